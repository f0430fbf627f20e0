"""Second look ``date_region``: a date line that lost its first characters, read again.

The text detector can cut the first characters off a right-aligned date line
(``二四年三月十二日`` for ``二〇二四年三月十二日``): the year cannot be guessed, but the
line's place is known (the reader's ``regions``, see
:func:`~zhanchi.extractors.date_regions.date_tail_region`), so its region, widened to
the left, is recognised again on the same seal-faded copy the page OCR saw.
"""

from __future__ import annotations

import logging

import numpy as np

from zhanchi.extractors.date_regions import repaired_date
from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.second_look.base import Situation
from zhanchi.imaging import for_ocr
from zhanchi.models import BBox, ExtractedField
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

REREAD_QUALITY = 0.9  # a date read again from a widened region of its own line


def reread_dates(image: np.ndarray | None, engine: OcrEngine | None, regions: dict[str, BBox],
                 ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """Recognise each date region again; the fields whose text then parses as a date."""
    if not regions or image is None or engine is None:
        return {}
    h, w = image.shape[:2]
    names = list(regions)
    boxes = [(max(0, b[0]), max(0, b[1]), min(w, b[2]), min(h, b[3])) for b in
             (regions[n] for n in names)]
    try:
        lines = engine.read_regions(for_ocr(image), boxes)
    except Exception as exc:  # a failed second look must not lose the first one
        log.warning("re-reading %d date regions failed: %s", len(boxes), type(exc).__name__)
        return {}
    out: dict[str, ExtractedField] = {}
    for name, box, line in zip(names, boxes, lines, strict=True):
        f = make_field("date", line.text, ctx, ocr_conf=line.confidence, bbox=box, page=page,
                       quality=REREAD_QUALITY)
        if f is None:
            f = repaired_date(line.text, ctx, ocr_conf=line.confidence, bbox=box, page=page,
                              quality=REREAD_QUALITY)
        if f is not None:
            out[name] = f
    return out


def look(s: Situation) -> None:
    """Re-read the date regions the reader marked, for the fields the layout names."""
    marked: dict[str, BBox] = getattr(s.reader, "regions", {})
    regions = {k: v for k, v in marked.items() if k in s.wanted("date_region")}
    for k, v in reread_dates(s.image, s.engine, regions, s.ctx).items():
        s.fields.setdefault(k, v)
