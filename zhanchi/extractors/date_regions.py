"""Dates the page OCR read only in part: repair what the text allows, mark the rest.

Two ways a printed date gets lost under a seal or at the start of a line:

- a separator vanishes where the seal's ring crosses it (``2025-0716``) or a coarse
  fax drops a thin dash (``202507-16``): four digits after the year's separator can
  only be month and day, six before the day's only year and month, so the date is
  rebuilt, with a lower quality since one character was inferred;
- the text detector cuts the first characters off a right-aligned date line
  (``二四年三月十二日`` for ``二〇二四年三月十二日``): the year cannot be guessed, but
  the line's place is known, so its region, widened to the left, is marked here and
  recognised again by the second look ``date_region``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.text import fold
from zhanchi.models import BBox, ExtractedField, OcrLine

REPAIRED_QUALITY = 0.9  # one separator inferred from the date's format
WIDEN_LEFT = 3.5  # line heights added on the left: up to three lost year characters
PAD = 0.2  # line heights of margin above, below and right

# 2025-0716: year, a separator, then month and day run together (exactly four digits);
# 202507-16: year and a two-digit month run together, then the separator and the day.
_LOST_SEPARATOR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([./\-])([01][0-9])([0-3][0-9])(?![0-9])")
_LOST_FIRST = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([01][0-9])([./\-])([0-3]?[0-9])(?![0-9])")
# 年…月…日 whose year is too short to be one: the line lost its first characters.
_DATE_TAIL = re.compile(r"^[^年]{0,3}年[^年月]{1,3}月[^月日]{1,3}[日曰]")


def repair_separator(text: str) -> str | None:
    """``text`` with a date's lost second separator put back, or ``None``.

    >>> repair_separator("2025-0716")
    '2025-07-16'
    >>> repair_separator("202507-16")
    '2025-07-16'
    """
    m = _LOST_SEPARATOR.search(text)
    if m is not None:
        y, sep, mo, d = m.groups()
    else:
        m = _LOST_FIRST.search(text)
        if m is None:
            return None
        y, mo, sep, d = m.groups()
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
