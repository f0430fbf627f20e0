"""Family B's typefaces: print and hand faces family A never uses, with glyph coverage.

Family A prints in AR PL UMing, writes in AR PL UKai and heads certificates in
WenQuanYi Zen Hei. Family B draws from Noto Serif/Sans CJK SC, AR PL SungtiL GB and
Droid Sans Fallback for print, and from AR PL KaitiM GB, Noto Sans CJK and Droid Sans
Fallback (warped character by character in :mod:`.hand`) for handwriting.

A face that lacks a glyph would draw a box or nothing, and the page would then
disagree with its expected JSON. Every string drawn goes through :func:`require`,
which checks the face's character map and raises :class:`GlyphMissing`.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from PIL import ImageFont

NOTO = Path("/usr/share/fonts/opentype/noto")
TRUETYPE = Path("/usr/share/fonts/truetype")
# name -> (file, family name inside it: picks the index of a collection)
FACES: dict[str, tuple[Path, str]] = {
    "serif": (NOTO / "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "serif_bold": (NOTO / "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "sans": (NOTO / "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    "sans_bold": (NOTO / "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
    "sung": (TRUETYPE / "arphic-gbsn00lp/gbsn00lp.ttf", "AR PL SungtiL GB"),
    "droid": (TRUETYPE / "droid/DroidSansFallbackFull.ttf", "Droid Sans Fallback"),
    "kaiti": (TRUETYPE / "arphic-gkai00mp/gkai00mp.ttf", "AR PL KaitiM GB"),
}
PRINT_FACES = ("serif", "sans", "sung", "droid")
HAND_FACES = ("kaiti", "sans", "droid")
# Families family A draws in; B must never load them.
FAMILY_A_FACES = ("AR PL UMing", "AR PL UKai", "WenQuanYi Zen Hei")
# Spaces and line breaks are layout, not glyphs.
_LAYOUT = frozenset(" \n\u3000")


class GlyphMissing(ValueError):
    """A face was asked to draw a character it has no glyph for."""

    def __init__(self, face: str, missing: str) -> None:
        super().__init__(f"face {face!r} has no glyph for {missing!r}")
        self.face = face
        self.missing = missing


@cache
def _index(name: str) -> int:
    path, family = FACES[name]
    if path.suffix.lower() != ".ttc":
        return 0
    for i, tt in enumerate(TTCollection(str(path), lazy=True).fonts):
        if tt["name"].getDebugName(1) == family:
            return i
    raise FileNotFoundError(f"{family} not in {path}")


@cache
def codepoints(name: str) -> frozenset[int]:
    """Every code point the face maps to a glyph."""
    path, _ = FACES[name]
    tt = TTFont(str(path), fontNumber=_index(name), lazy=True)
    cmap = tt.getBestCmap() or {}
    return frozenset(cp for cp, glyph in cmap.items() if glyph != ".notdef")


def missing(name: str, text: str) -> str:
    """The characters of ``text`` the face cannot draw (empty when it covers them)."""
    have = codepoints(name)
    return "".join(sorted({c for c in text if c not in _LAYOUT and ord(c) not in have}))


def covers(name: str, text: str) -> bool:
    return not missing(name, text)


def require(name: str, text: str) -> None:
    """Raise :class:`GlyphMissing` unless the face draws every character of ``text``."""
    gap = missing(name, text)
    if gap:
        raise GlyphMissing(name, gap)


@lru_cache(maxsize=512)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    """The face at ``px`` pixels, loaded from the right index of its collection."""
    path, family = FACES[name]
    f = ImageFont.truetype(str(path), max(4, px), index=_index(name))
    if f.getname()[0] in FAMILY_A_FACES or f.getname()[0] != family:
        raise RuntimeError(f"face {name!r} resolved to {f.getname()[0]!r}")
    return f


def first_covering(candidates: tuple[str, ...], text: str) -> str:
    """The first face among ``candidates`` that covers ``text`` (raises if none does)."""
    for name in candidates:
        if covers(name, text):
            return name
    raise GlyphMissing(candidates[-1], missing(candidates[-1], text))


def advance_mm(text: str, name: str, pt: float) -> float:
    """Advance width of printed ``text`` in mm."""
    return font(name, 200).getlength(text) / 200.0 * pt / 72.0 * 25.4
