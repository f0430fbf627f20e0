"""Finding the printed ``（签字、手印）`` / ``承诺人：`` on the row when OCR dropped them.

The fingerprint is pressed on the hint and the signature written across it, and OCR
engines then often return nothing for it. Left unmasked, the printed hint would count
as handwriting. Its look is known, so it is found by template matching: the text is
drawn in a Ming (Song) face at the page's character pitch and correlated with the
row's dark ink. Official letters use 宋体; AR PL UMing is close enough at scan
resolutions for a correlation, not for an exact overlay.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from zhanchi.extractors.marks_ink import (
    dark_mask,
    red_mask,
    scan_kind,
    transitions_per_pitch,
)
from zhanchi.extractors.marks_layout import LetterLayout, is_anchor_text
from zhanchi.models.pages import BBox

HINT = "（签字、手印）"
PREFIX = "承诺人："
_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
# normalised correlation a printed hint reaches even half covered by a fingerprint
# (0.55–0.9 measured); handwriting and ridges stay under 0.3
_MATCH = 0.45
_SCALES = (0.9, 1.0, 1.1)
_RIDGED = 15.0  # transitions per pitch: print stays under it, a gray fingerprint's ridges above  # the pitch estimate is good to about ±10 %


@lru_cache(maxsize=32)
def _glyphs(text: str, size: int) -> np.ndarray | None:
    """``text`` drawn at ``size`` px as a float ink mask cropped to its ink, or None without the font."""
    try:
        font = ImageFont.truetype(_FONT, size)
    except OSError:  # no CJK font installed: matching is skipped
        return None
    img = Image.new("L", (int(size * (len(text) + 1)), size * 2), 0)
    ImageDraw.Draw(img).text((size // 2, size // 2), text, font=font, fill=255)
    arr = np.asarray(img, np.float32) / 255.0
    ys, xs = np.nonzero(arr > 0.3)
    if xs.size == 0:
        return None
    return arr[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def find_printed(text: str, ink_mask: np.ndarray, pitch: float) -> tuple[BBox, float] | None:
    """Where ``text`` is printed in ``ink_mask`` (a row of the page) and how well it matches."""
    ink = cv2.GaussianBlur(ink_mask.astype(np.float32), (0, 0), max(0.6, 0.06 * pitch))
    best: tuple[BBox, float] | None = None
    for scale in _SCALES:
        glyphs = _glyphs(text, max(8, int(round(pitch * scale))))
        if glyphs is None:
            return None
        templ = cv2.GaussianBlur(glyphs, (0, 0), max(0.6, 0.06 * pitch))
        th, tw = templ.shape
        if th >= ink.shape[0] or tw >= ink.shape[1]:
            continue
        res = cv2.matchTemplate(ink, templ, cv2.TM_CCOEFF_NORMED)
        # on blank paper the normalised score is 0/0 (OpenCV says 1): demand the ink
        mass = cv2.boxFilter(ink, -1, (tw, th), normalize=False, anchor=(0, 0))[: res.shape[0], : res.shape[1]]
        res[(mass < 0.5 * float(templ.sum())) | ~np.isfinite(res)] = -1.0
        _, score, _, (x, y) = cv2.minMaxLoc(res)
        if best is None or score > best[1]:
            best = ((x, y, x + tw, y + th), float(score))
    return best if best is not None and best[1] >= _MATCH else None


def _print_ink(bgr: np.ndarray, pitch: float) -> np.ndarray:
    """Dark ink that is not fingerprint (clutter to the match): not red, not finely ridged."""
    ink = dark_mask(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    kind = scan_kind(bgr)
    if kind == "colour":
        return ink & ~red_mask(bgr)
    if kind == "gray":  # (binarised: a fax's dots beside the print would take the print too)
        return ink & (transitions_per_pitch(ink, pitch) < _RIDGED)
    return ink


def _kind_of(text: str) -> str | None:
    if is_anchor_text(text):
        return PREFIX
    if "签" in text or "印" in text:
        return HINT
    return None


def complete_template(layout: LetterLayout, bgr: np.ndarray) -> LetterLayout:
    """Place the printed hint and ``承诺人：`` by their look.

    Spans OCR gave are moved onto the print when it is found near them (their place
    was estimated by counting characters); spans OCR missed are added when found on
    the row.
    """
    if not layout.anchor_found:
        return layout
    pitch = layout.pitch
    h, w = bgr.shape[:2]
    cy = layout.anchor_point[1]
    y0, y1 = max(0, int(cy - 1.3 * pitch)), min(h, int(cy + 1.3 * pitch))
    row_x0, row_x1 = max(0, int(layout.fingerprint_region[0])), min(w, int(layout.signature_region[2]))
    pad = 0.2 * pitch
    placed: dict[str, BBox] = {}
    kept: list[tuple[BBox, str]] = []
    for box, text in layout.template:
        kind = _kind_of(text)
        if kind is None or kind in placed:
            kept.append((box, text))
            continue
        placed[kind] = box
    for kind in (HINT, PREFIX):
        near = placed.get(kind)
        x0 = max(row_x0, int(near[0] - 2 * pitch)) if near else row_x0
        x1 = min(row_x1, int(near[2] + 2 * pitch)) if near else row_x1
        crop = bgr[y0:y1, x0:x1]
        found = find_printed(kind, _print_ink(crop, pitch), pitch) if crop.size else None
        if found is not None:
            (bx0, by0, bx1, by1), _ = found
            placed[kind] = (max(0, int(bx0 + x0 - pad)), max(0, int(by0 + y0 - pad)),
                            min(w, int(bx1 + x0 + pad)), min(h, int(by1 + y0 + pad)))
    template = kept + [(box, kind) for kind, box in placed.items()]
    hint = placed.get(HINT)
    anchor_x = (hint[0] + hint[2]) / 2 if hint else layout.anchor_point[0]
    return replace(layout, template=tuple(template), anchor_point=(anchor_x, cy))
