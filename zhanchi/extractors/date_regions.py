"""Dates the page OCR read only in part: repair what the text allows, re-read the rest.

Two ways a printed date gets lost under a seal or at the start of a line:

- a separator vanishes where the seal's ring crosses it (``2025-0716``): four digits
  after the year's separator can only be month and day, so the date is rebuilt, with a
  lower quality since one character was inferred;
- the text detector cuts the first characters off a right-aligned date line
  (``二四年三月十二日`` for ``二〇二四年三月十二日``): the year cannot be guessed, but
  the line's place is known, so its region, widened to the left, is recognised again
  (``OcrEngine.read_regions``) on the same seal-faded copy the page OCR saw.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.text import fold
from zhanchi.models import BBox, ExtractedField, OcrLine

log = logging.getLogger("zhanchi.extract")

REPAIRED_QUALITY = 0.9  # one separator inferred from the date's format
REREAD_QUALITY = 0.9  # a date read again from a widened region of its own line
WIDEN_LEFT = 3.5  # line heights added on the left: up to three lost year characters
PAD = 0.2  # line heights of margin above, below and right

# 2025-0716: year, a separator, then month and day run together (exactly four digits).
_LOST_SEPARATOR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([./\-])([01][0-9])([0-3][0-9])(?![0-9])")
# 年…月…日 whose year is too short to be one: the line lost its first characters.
_DATE_TAIL = re.compile(r"^[^年]{0,3}年[^年月]{1,3}月[^月日]{1,3}[日曰]")


def repair_separator(text: str) -> str | None:
    """``text`` with a date's lost second separator put back, or ``None``.

    >>> repair_separator("2025-0716")
    '2025-07-16'
    """
    m = _LOST_SEPARATOR.search(text)
    if m is None:
        return None
    y, sep, mo, d = m.groups()
    return f"{text[: m.start()]}{y}{sep}{mo}{sep}{d}{text[m.end():]}"


def repaired_date(raw: str, ctx: Context, *, ocr_conf: float, bbox: BBox | None, page: int,
                  quality: float) -> ExtractedField | None:
    """A date field from ``raw`` once its lost separator is restored; ``None`` if that
    does not help. ``raw`` stays what the engine read."""
    fixed = repair_separator(re.sub(r"\s", "", fold(raw, keep_spaces=True)))
    if fixed is None:
        return None
    f = make_field("date", fixed, ctx, ocr_conf=ocr_conf, bbox=bbox, page=page,
                   quality=quality * REPAIRED_QUALITY)
    return None if f is None else f.model_copy(update={"raw": re.sub(r"\s", "", raw)})


def date_tail_region(lines: Sequence[OcrLine]) -> BBox | None:
    """The widened region of the last line that reads as a date missing its start."""
    for ln in reversed(lines):
        s = re.sub(r"\s", "", fold(ln.text, keep_spaces=True))
        if not _DATE_TAIL.search(s):
            continue
        x0, y0, x1, y1 = ln.bbox
        h = y1 - y0
        return (max(0, x0 - int(WIDEN_LEFT * h)), max(0, y0 - int(PAD * h)),
                x1 + int(PAD * h), y1 + int(PAD * h))
    return None


def reread_dates(image: Any, engine: Any, regions: dict[str, BBox], ctx: Context,
                 page: int = 1) -> dict[str, ExtractedField]:
    """Recognise each date region again; the fields whose text then parses as a date."""
    if not regions or image is None or engine is None:
        return {}
    from zhanchi.imaging import for_ocr  # the same seal-faded copy the page OCR saw

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
