"""Second looks ``number_box`` and ``sign_date_row``: a value re-read from its own band.

A number inside a long printed line is squeezed with the whole line into the
recogniser's input and can lose a digit (2514080953493919 → 254080953493919); read from
its own box it keeps the full width. A seal's ghost across the letter's signing-date row
can break it into pieces the page OCR reads apart, losing a digit between them
(2022年 | 月21日); read as one band it stays whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np

from zhanchi.extractors.dates import find_date
from zhanchi.extractors.fields import Context, make_field, well_formed
from zhanchi.extractors.layout import group_rows
from zhanchi.extractors.parse_errors import DateParseError
from zhanchi.extractors.second_look.base import Situation
from zhanchi.imaging import for_ocr
from zhanchi.models import BBox, ExtractedField, OcrLine
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

REREAD_QUALITY = 0.9  # a value read from a guessed region
NUMBER_PAD = 0.15  # margin round a number's box, in its heights
_NUMBER_RUN = re.compile(r"[A-Za-z0-9]{14,24}")
_TIME_LABEL = re.compile(r"时\s*间|间\s*[:：]")


def _read_padded(image: np.ndarray, engine: OcrEngine, bbox: BBox, what: str
                 ) -> tuple[BBox, OcrLine] | None:
    """Recognise ``bbox`` with a margin of :data:`NUMBER_PAD` of its height, clipped to the
    page, on the seal-faded copy the page OCR saw; the box read and its line, or ``None``
    when the engine fails (a failed second look must not lose the first one)."""
    x0, y0, x1, y1 = bbox
    h, w = image.shape[:2]
    pad = int(NUMBER_PAD * (y1 - y0))
    box = (max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad))
    try:
        return box, engine.read_regions(for_ocr(image), [box])[0]
    except Exception as exc:
        log.warning("re-reading %s failed: %s", what, type(exc).__name__)
        return None


def reread_number(image: np.ndarray | None, engine: OcrEngine | None, found: ExtractedField,
                  ctx: Context, page: int = 1) -> ExtractedField | None:
    """A malformed certificate number re-read from its own box; the re-read if it is
    well formed, else ``None``."""
    if image is None or engine is None or found.bbox is None:
        return None
    x0, y0, x1, y1 = found.bbox
    read = _read_padded(image, engine, (x0, y0, x1, y1), "a certificate number")
    if read is None:
        return None
    box, line = read
    runs = [m.group(0) for m in _NUMBER_RUN.finditer(re.sub(r"\s", "", line.text))]
    for text in (t for run in runs for t in (run, run.rstrip("Oo"))):  # o: the full stop
        f = make_field("certificate_number", text, ctx, ocr_conf=line.confidence, bbox=box,
                       page=page, quality=REREAD_QUALITY)
        if f is not None and well_formed("certificate_number", f.value):
            return f
    return None


def reread_sign_date(image: np.ndarray | None, engine: OcrEngine | None,
                     lines: Sequence[OcrLine], ctx: Context, page: int = 1) -> ExtractedField | None:
    """The letter's signing date re-read from its whole row (``时间：…年…月…日``)."""
    if image is None or engine is None:
        return None
    rows = [row for row in group_rows(lines) if _TIME_LABEL.search("".join(ln.text for ln in row))]
    if not rows:
        return None
    row = rows[-1]  # the signing date closes the letter
    x0, y0 = min(ln.bbox[0] for ln in row), min(ln.bbox[1] for ln in row)
    x1, y1 = max(ln.bbox[2] for ln in row), max(ln.bbox[3] for ln in row)
    read = _read_padded(image, engine, (x0, y0, x1, y1), "the signing date's row")
    if read is None:
        return None
    box, line = read
    text = re.sub(r"\s", "", line.text)
    try:
        _, start, end = find_date(text)
    except DateParseError:
        return None
    return make_field("date", text[start:end], ctx, ocr_conf=line.confidence, bbox=box,
                      page=page, quality=REREAD_QUALITY)


def number_look(s: Situation) -> None:
    """Each named certificate number that was read malformed, re-read from its own box."""
    for name in s.wanted("number_box"):
        found = s.fields.get(name)
        if found is not None and not well_formed("certificate_number", found.value):
            whole = reread_number(s.image, s.engine, found, s.ctx)
            if whole is not None:
                s.fields[name] = whole


def sign_date_look(s: Situation) -> None:
    """A named date not read at all, re-read from the last ``时间`` row as one band."""
    for name in s.wanted("sign_date_row"):
        if name not in s.fields:
            date = reread_sign_date(s.image, s.engine, s.lines, s.ctx)
            if date is not None:
                s.fields[name] = date
