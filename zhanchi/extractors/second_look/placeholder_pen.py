"""Second look ``placeholder_pen``: a value written over its printed placeholder, read
from the pen alone.

Where a form prints no blank for the agency, only （职业技能鉴定考核机构…名称）, many
applicants write the name right over those words. The page OCR then reads neither: the
print and the handwriting merge into one garbled line. On a colour page the pen (blue
or blue-black) is told from the black print by its colour: this look keeps only the pen
on the rows between the value's two anchors (and the band above them, where a name
written above the words sits), recognises each row's pen and reads the value from it.

A value read so is kept below the review bar when the page read had another one; where
the page read found nothing, it is a re-read of a guessed region (:data:`REREAD_QUALITY`).
Where the pen itself reads doubtful (its strokes broken where they crossed the print),
the known names of the field's kind are scored against the pen crops and one that fits
far better than the rest is taken, as a doubtful pick (:mod:`.choose`).
Grey and binarised pages have no colour to go by: nothing is done there.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from zhanchi.extractors.anchors import align, trim_span
from zhanchi.extractors.fields import make_field
from zhanchi.extractors.gazetteer import KINDS
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.placeholder import value_runs
from zhanchi.extractors.readers import LetterReader
from zhanchi.extractors.second_look.base import Situation
from zhanchi.extractors.second_look.choose import DOUBTFUL, choose, settled
from zhanchi.extractors.text import fold
from zhanchi.models import BBox, ExtractedField

log = logging.getLogger("zhanchi.extract")

REREAD_QUALITY = 0.9
DISAGREE_CAP = 0.6  # the pen says other than the page read: a reviewer decides
BLUE_OVER_RED = 25  # a pen pixel's blue channel exceeds its red by this much
INK_L = 215  # Lab lightness under which a pixel is ink (print or pen), not paper
BLUER = 6  # a faint pen's Lab b* lies this far below the print's
LEAD = 1.5  # the first row's box reaches this many row heights left of its first character
MIN_PEN_SHARE = 0.002  # a row with less pen than this holds no writing
ABOVE = 0.3  # the band above a row searched too (handwriting stands taller), in row heights


def print_tint(image: np.ndarray) -> float:
    """The blue–yellow tint (Lab b*, 128 neutral) of the page's ink: its median over
    the dark pixels, which on a printed form are mostly print. A scanner or a camera
    shifts print and pen alike; the pen is told by how much bluer it is than this."""
    small = image[::4, ::4]
    lab = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_BGR2LAB)
    dark = lab[:, :, 0] < INK_L
    return float(np.median(lab[:, :, 2][dark])) if dark.any() else 128.0


def pen_only(crop: np.ndarray, tint: float | None = None) -> tuple[np.ndarray, float]:
    """The crop with everything but blue pen set to white, and the pen's share of it.

    Saturated pen is blue well over red. A faint or scanned pen (light blue-grey, blue
    only a little over red) is ink bluer than the page's print by :data:`BLUER` in Lab
    b* (``tint``: :func:`print_tint` of the page; without it only saturated pen counts).
    """
    b, g, r = (crop[:, :, k].astype(np.int16) for k in range(3))
    keep = (b - r > BLUE_OVER_RED) & (b - g > 5) & (r < 160)
    out = np.full_like(crop, 255)
    if tint is None:
        out[keep] = crop[keep]
        return out, float(keep.mean()) if keep.size else 0.0
    lab = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_BGR2LAB)
    keep |= (lab[:, :, 0] < INK_L) & (lab[:, :, 2] < tint - BLUER) & (b > r)
    # where the pen crossed the print its strokes lose those pixels; closing the gaps
    # (3-7 px, ink pixels only) or redrawing the pen dark did not read better on the
    # eight family-A letters tried (2026-12), so the pen is kept as scanned
    out[keep] = crop[keep]
    return out, float(keep.mean()) if keep.size else 0.0


def _row_boxes(tm: TextMap, start: int, end: int, width: int) -> list[BBox]:
    """Per row the span ``start:end`` touches: that row's part, raised by :data:`ABOVE`
    row heights; the first widened left by :data:`LEAD` (the pen's first strokes may
    lie over the anchor's end: the print is dropped anyway)."""
    out: list[BBox] = []
    pos = start
    while pos < end:
        row = tm.row_of(pos)
        nxt = tm.row_starts[row + 1] if row + 1 < len(tm.row_starts) else len(tm.text)
        box, _ = tm.locate(pos, min(end, nxt))
        if box is not None:
            h = box[3] - box[1]
            lead = int(LEAD * h) if not out else h // 4
            out.append((max(0, box[0] - lead), max(0, box[1] - int(ABOVE * h)),
                        min(width, box[2] + h // 4), box[3] + h // 4))
        pos = max(nxt, pos + 1)
    return out


def reread(s: Situation, name: str, placeholder: str) -> ExtractedField | None:
    """The field ``name`` read from the pen between its anchors, or None."""
    image = s.image
    if s.engine is None or image is None or image.ndim != 3:
        return None
    tm = s.reader.tm if isinstance(s.reader, LetterReader) else TextMap.from_lines(s.lines, interlinear=True)
    blank = next((b for b in align(tm.text, s.spec.anchors) if b.fields == (name,) and b.closed), None)
    if blank is None:
        return None
    h, w = image.shape[:2]
    crops = []
    boxes = _row_boxes(tm, blank.start, blank.end, w)
    tint = print_tint(image)
    for x0, y0, x1, y1 in boxes:
        pen, share = pen_only(image[y0:min(h, y1), x0:x1], tint)
        if share >= MIN_PEN_SHARE:
            crops.append(pen)
    if not crops:
        return None
    try:
        lines = s.engine.recognize(crops)
    except Exception as exc:  # an engine failure must not lose the fields already read
        log.warning("re-reading the pen over a placeholder failed: %s", type(exc).__name__)
        return None
    text = "".join(fold(ln.text, keep_spaces=True).replace(" ", "") for ln in lines)
    runs = value_runs(text, placeholder)
    text = "".join(text[a:b] for a, b in runs)
    a, b = trim_span(TextMap(lines=[], text=text), 0, len(text))
    if b <= a:
        return None
    conf = sum(ln.confidence for ln in lines) / len(lines)
    box = (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes),
           max(x[3] for x in boxes))
    got = make_field(s.spec.parsers[name], text[a:b], s.ctx, ocr_conf=conf, bbox=box,
                     quality=REREAD_QUALITY)
    kind = next((k for k in KINDS if k == name), None)  # a field of a known-names kind
    if got is None or got.confidence >= DOUBTFUL or kind is None:
        return got
    pick = choose(s.engine, crops, s.ctx.gazetteer.names(kind))
    if pick is None or pick.value == got.value:
        return got
    log.debug("pen over a placeholder: a known name fits best (%.2f per character, lead %.1f)",
              pick.fit, pick.lead)
    return settled(got, pick)


def look(s: Situation) -> None:
    """Re-read from the pen the placeholder fields the page read missed or doubts."""
    for name, placeholder in s.spec.placeholders:
        if name not in s.wanted("placeholder_pen"):
            continue
        have = s.fields.get(name)
        if have is not None and have.confidence >= DOUBTFUL:
            continue
        got = reread(s, name, fold(placeholder, keep_spaces=True))
        if got is None:
            continue
        if have is not None and have.value not in ("", got.value):
            got = got.model_copy(update={"confidence": min(got.confidence, DISAGREE_CAP)})
        s.fields[name] = got
