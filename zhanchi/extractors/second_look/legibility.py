"""Second look ``legibility``: blanks with ink in them but no value read are illegible.

SPEC §6 separates ``missing_field`` (a required field was not found: the blank is empty,
the worker must fill it in) from ``low_confidence`` (it was found but cannot be read with
confidence: a reviewer looks at the scan). When the template's anchors around a blank
were found on one row but the readers produced no value, the pixels between the anchors
decide which it is: an empty blank holds paper and at most its underline, a blank that
was written in and then smeared, blotted or washed out holds ink. Such a field is
reported with an empty value, the text the OCR made of it as ``raw``, a confidence
below any sensible threshold, its box, and ``illegible: true`` — so the reviewer is
sent to the right place and can type the value in.

The measure is the share of the blank that is darker than the paper by :data:`INK_DELTA`
after a box blur a quarter of the row high, so a fax's dither reads as the grey it
depicts. Measured on generated letters (200 dpi, 10 smeared and 8 empty blanks over
clean, scan, photo and fax pages): empty blanks 0–14 % (a stretch of underline), smeared
blanks 87–96 % and 59 % on a dithered fax.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from zhanchi.extractors.anchors import Blank, align
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.second_look.base import Situation
from zhanchi.extractors.specs import COMMITMENT_LETTER, DocSpec
from zhanchi.models import BBox, ExtractedField, OcrLine

INK_DELTA = 20  # grey levels below the paper that count as ink (scan noise stays above)
INK_SHARE = 0.35  # share of the (blurred) blank that must be ink for "written in"
ILLEGIBLE_CONF_CAP = 0.3  # an illegible field never scores higher than this
# The layout names the blanks this look judges (on the letter: every blank that holds
# one field, except the signer's slot, read by its own delimiters; marks are not text).


def _same_row(a: BBox, b: BBox) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def blank_region(tm: TextMap, blank: Blank) -> BBox | None:
    """The pixels between a blank's two anchors when both lie on one row, else None."""
    if not blank.closed or blank.start == 0 or blank.end >= len(tm.text):
        return None
    before, _ = tm.locate(blank.start - 1, blank.start)
    after, _ = tm.locate(blank.end, blank.end + 1)
    if before is None or after is None or not _same_row(before, after):
        return None
    h = before[3] - before[1]
    x0, x1 = before[2] + h // 4, after[0] - h // 4  # keep the anchors' own strokes out
    if x1 - x0 < h:
        return None
    return (x0, min(before[1], after[1]), x1, max(before[3], after[3]))


def ink_share(gray: np.ndarray, box: BBox) -> float:
    """Share of ``box`` (blurred) darker than the paper around it by :data:`INK_DELTA`.

    The paper's level is the 95th percentile of the box and a strip of the same width
    above it (the gap between rows), so a grey scan or a shaded photo is not "ink".
    """
    x0, y0, x1, y1 = box
    h = y1 - y0
    region = gray[y0:y1, x0:x1]
    if region.size == 0:
        return 0.0
    above = gray[max(0, y0 - h):y0, x0:x1]
    paper = float(np.percentile(np.concatenate([region.ravel(), above.ravel()]), 95))
    k = max(3, h // 4)
    smooth = cv2.blur(np.ascontiguousarray(region), (k, k)).astype(np.int16)
    return float((smooth < paper - INK_DELTA).mean())


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def illegible_blanks(lines: Sequence[OcrLine], image: np.ndarray | None,
                     fields: dict[str, ExtractedField], page: int = 1,
                     spec: DocSpec = COMMITMENT_LETTER) -> dict[str, ExtractedField]:
    """Fields the layout names for this look that are absent from ``fields`` although
    their blank holds ink, as illegible :class:`ExtractedField` entries."""
    checked = spec.fields_with("legibility")
    if image is None or not checked:
        return {}
    tm = TextMap.from_lines(lines)
    gray = None
    out: dict[str, ExtractedField] = {}
    for blank in align(tm.text, spec.anchors):
        if len(blank.fields) != 1 or blank.fields[0] not in checked or blank.fields[0] in fields:
            continue
        box = blank_region(tm, blank)
        if box is None:
            continue
        gray = _gray(image) if gray is None else gray
        if ink_share(gray, box) < INK_SHARE:
            continue  # an empty blank: missing_field's business
        text = tm.text[blank.start:blank.end].strip()
        conf = tm.locate(blank.start, blank.end)[1] if text else 0.0
        out[blank.fields[0]] = ExtractedField.model_validate({
            "value": "", "confidence": round(min(ILLEGIBLE_CONF_CAP, conf * ILLEGIBLE_CONF_CAP), 4),
            "page": page, "bbox": list(box), "raw": text or None, "illegible": True})
    if "certificate_title" in out and "level" not in fields:  # the level is read from the title
        out["level"] = out["certificate_title"].model_copy()
    return out


def is_illegible(field: ExtractedField | None) -> bool:
    """True for a field :func:`illegible_blanks` reported (stored results included)."""
    return bool(field is not None and (field.model_extra or {}).get("illegible"))


def look(s: Situation) -> None:
    """Mark the inked blanks the page OCR read nothing from (on the page's own lines)."""
    s.fields.update(illegible_blanks(s.page.ocr.lines, s.image, s.fields, spec=s.spec))
