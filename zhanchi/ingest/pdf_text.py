"""A born-digital PDF page's text layer as OCR-like lines, via pdfplumber.

Downstream stages treat text-layer lines exactly like OCR output, so lines are cut the
way an OCR detector would cut them: words that share a baseline form a line, and a wide
horizontal gap (a form's label/value columns) starts a new one. Coordinates are pixels
of the page rendered at ``scale`` × 72 dpi from its crop box, matching pdfium's render.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import Any

from pdfplumber.page import Page
from pdfplumber.utils import extract_words

from zhanchi.models.pages import OcrLine

Word = dict[str, Any]

SAME_LINE = 0.35  # baseline difference, in font heights, still on one line
SPLIT_GAP = 2.0  # horizontal gap, in font heights, that starts a new line
WIDE_GAP = 0.6  # gap, in font heights, kept as a space even between CJK characters
MAX_GARBAGE = 0.1  # share of unmapped glyphs above which a text layer is not trusted
_CID = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_GARBAGE = re.compile(r"[\ufffd\ue000-\uf8ff]")


def text_layer_lines(page: Page, scale: float) -> list[OcrLine] | None:
    """Lines of the page's text layer, in pixels of its ``scale``-times rendering.

    ``None`` when the layer cannot stand in for OCR: no words, mostly unmapped glyphs,
    or text that is not upright on the displayed page (OCR finds the orientation).
    """
    origin = (float(page.cropbox[0]), float(page.cropbox[1]))
    if tuple(page.cropbox) != tuple(page.mediabox):
        page = page.crop(page.cropbox)  # text outside the crop box is not on the page
    if not _mostly_upright(page.chars):
        return None
    chars = dedupe(page.chars)  # fake-bold text is drawn twice, slightly offset
    words = extract_words(chars, use_text_flow=True, keep_blank_chars=False, extra_attrs=["size"])
    upright = [w for w in words if w.get("upright", True)]
    groups = [segment for line in _baseline_clusters(upright) for segment in _split_at_gaps(line)]
    # Vertical words are rare on these forms (stamps, margins): one line each.
    groups += [[w] for w in words if not w.get("upright", True)]
    lines = [_to_line(group, origin, scale) for group in groups]
    lines = [line for line in lines if line.text.strip()]
    lines = reading_order(lines)
    return lines if is_usable(lines) else None


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Rows top to bottom, left to right within a row.

    A label and its value in another font sit a few pixels apart vertically; sorting
    by top alone would put the value first.
    """
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=_centre_y):
        if rows:
            first = rows[-1][0]
            tolerance = 0.5 * min(_box_height(line), _box_height(first))
            if _centre_y(line) - _centre_y(first) <= tolerance:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda ln: ln.bbox[0])]


def _centre_y(line: OcrLine) -> float:
    return (line.bbox[1] + line.bbox[3]) / 2.0


def _box_height(line: OcrLine) -> float:
    return float(max(line.bbox[3] - line.bbox[1], 1))


def is_usable(lines: Sequence[OcrLine]) -> bool:
    """False when there is no text or most glyphs have no Unicode mapping.

    ``(cid:123)``, U+FFFD and private-use characters come from fonts embedded without
    a ToUnicode map; such a page must be OCRed instead.
    """
    text = "".join(line.text for line in lines if not line.text.isspace())
    if not text:
        return False
    garbage = len(_CID.findall(text)) + len(_GARBAGE.findall(text))
    total = len(_CID.sub("x", text).replace(" ", ""))
    return garbage <= MAX_GARBAGE * max(total, 1)


def dedupe(chars: Sequence[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Drop glyphs drawn again within ``tolerance`` points (fake bold, shadow text).

    Same rule as pdfplumber's ``dedupe_chars`` (text, font and size equal, position
    within tolerance) in linear time: its version is quadratic, half a second on a
    dense page.
    """
    seen: set[tuple[object, ...]] = set()
    kept: list[dict[str, Any]] = []
    for char in chars:
        ident = (char["text"], char.get("fontname"), round(float(char.get("size") or 0), 2))
        gx = round(float(char["x0"]) / tolerance)
        gy = round(float(char["top"]) / tolerance)
        near = ((gx + dx, gy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        if any((ident, cell) in seen for cell in near):
            continue
        seen.add((ident, (gx, gy)))
        kept.append(char)
    return kept


def _mostly_upright(chars: Sequence[dict[str, Any]]) -> bool:
    """Whether most glyphs run left to right on the displayed page.

    pdfminer's ``upright`` flag is also true for upside-down text, so the direction
    comes from each glyph's matrix (page rotation included; PDF space, y up).
    """
    upright = total = 0
    for char in chars:
        if str(char.get("text", "")).isspace():
            continue
        a, b = char["matrix"][0], char["matrix"][1]
        total += 1
        upright += a > 0 and abs(b) < a  # baseline within 45° of "rightwards"
    return total > 0 and upright * 2 >= total


def _height(word: Word) -> float:
    return max(float(word["bottom"]) - float(word["top"]), float(word.get("size") or 0.0), 1.0)


def _baseline_clusters(words: list[Word]) -> list[list[Word]]:
    clusters: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (float(w["bottom"]), float(w["x0"]))):
        if clusters:
            current = clusters[-1]
            baseline = statistics.median(float(w["bottom"]) for w in current)
            tolerance = SAME_LINE * min(_height(word), max(_height(w) for w in current))
            if abs(float(word["bottom"]) - baseline) <= tolerance:
                current.append(word)
                continue
        clusters.append([word])
    return clusters


def _split_at_gaps(line: list[Word]) -> list[list[Word]]:
    line = sorted(line, key=lambda w: float(w["x0"]))
    segments: list[list[Word]] = [[line[0]]]
    for word in line[1:]:
        previous = segments[-1][-1]
        gap = float(word["x0"]) - float(previous["x1"])
        if gap > SPLIT_GAP * min(_height(word), _height(previous)):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _join(words: list[Word]) -> str:
    text = str(words[0]["text"])
    for previous, word in zip(words, words[1:], strict=False):
        nxt = str(word["text"])
        gap = float(word["x0"]) - float(previous["x1"])
        wide = gap > WIDE_GAP * min(_height(word), _height(previous))
        # OCR engines put no spaces between CJK characters; Latin words and visibly
        # separate fields ("姓名：张三    性别：男") keep one.
        cjk_edge = bool(_CJK.match(text[-1:]) or _CJK.match(nxt[:1]))
        text += " " + nxt if wide or not cjk_edge else nxt
    return text


def _to_line(words: list[Word], origin: tuple[float, float], scale: float) -> OcrLine:
    x0 = (min(float(w["x0"]) for w in words) - origin[0]) * scale
    x1 = (max(float(w["x1"]) for w in words) - origin[0]) * scale
    top = (min(float(w["top"]) for w in words) - origin[1]) * scale
    bottom = (max(float(w["bottom"]) for w in words) - origin[1]) * scale
    x0, top = max(x0, 0.0), max(top, 0.0)
    polygon = [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]
    return OcrLine(text=_join(words), confidence=1.0, polygon=polygon)
