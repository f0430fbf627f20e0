"""Dates in every form the packets print or handwrite, to ISO ``YYYY-MM-DD``.

Accepted: ``2020年8月15日``, ``2020年08月15日``, ``二〇二〇年八月十五日``, ``2020.8.15``,
``2020-8-15``, ``2020/08/15``, ``20200815``; with the OCR slips that a date's format makes
unambiguous (``O``/``o``/``○`` for a zero, ``l``/``I``/``|`` for a one, ``曰`` for ``日``).
"""

from __future__ import annotations

import re
from datetime import date

from zhanchi.extractors.parse_errors import DateParseError
from zhanchi.extractors.text import cn_digit_string, cn_small_number, squash

MIN_YEAR = 1950
MAX_YEAR = 2099

# A digit position may hold a look-alike; the surrounding format makes it unambiguous.
_D = r"[0-9OoIl|○〇]"
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "○": "0", "〇": "0", "I": "1", "l": "1", "|": "1"})
_CN = r"[〇零○Oo0一二三四五六七八九]"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"

_ARABIC_CN = re.compile(
    rf"(?<![0-9])({_D}{{4}})年({_D}{{1,2}})月({_D}{{1,2}})(?:[日曰目]|(?![0-9]))"
)
_CHINESE = re.compile(rf"({_CN}{{4}})年({_CN_SMALL})月({_CN_SMALL})[日曰目号]?")
_SEPARATED = re.compile(rf"(?<![0-9])({_D}{{4}})([./\-])({_D}{{1,2}})\2({_D}{{1,2}})(?![0-9])")
_COMPACT = re.compile(r"(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])")


def _make(year: int, month: int, day: int) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError("year out of range")
    try:
        return date(year, month, day).isoformat()
    except ValueError as exc:  # 2021-02-30 and the like
        raise DateParseError("not a calendar date") from exc


def _digits(text: str) -> int:
    return int(text.translate(_DIGIT_FIX))


def parse_date(text: str) -> str:
    """Return the first date in ``text`` as ISO ``YYYY-MM-DD`` or raise DateParseError.

    >>> parse_date("二〇二〇年八月十五日")
    '2020-08-15'
    >>> parse_date("2020.8.15")
    '2020-08-15'
    """
    return find_date(squash(text))[0]


def find_date(s: str) -> tuple[str, int, int]:
    """The first valid date in a squashed text as ``(iso, start, end)`` of its span."""
    if not s:
        raise DateParseError("empty text")
    found: list[tuple[int, int, tuple[int, int, int]]] = []
    for m in _ARABIC_CN.finditer(s):
        found.append((m.start(), m.end(), (_digits(m[1]), _digits(m[2]), _digits(m[3]))))
    for m in _CHINESE.finditer(s):
        year = cn_digit_string(m[1].replace("0", "〇"))
        month, day = cn_small_number(m[2]), cn_small_number(m[3])
        if year is not None and month is not None and day is not None:
            found.append((m.start(), m.end(), (year, month, day)))
    for m in _SEPARATED.finditer(s):
        found.append((m.start(), m.end(), (_digits(m[1]), _digits(m[3]), _digits(m[4]))))
    for m in _COMPACT.finditer(s):
        found.append((m.start(), m.end(), (int(m[1]), int(m[2]), int(m[3]))))
    if not found:
        raise DateParseError("no date pattern")
    last_error: DateParseError | None = None
    for start, end, (y, mo, d) in sorted(found):
        try:
            return _make(y, mo, d), start, end
        except DateParseError as exc:
            last_error = exc
    assert last_error is not None
    raise last_error


def parse_date_parts(year: str, month: str, day: str) -> str:
    """Build a date from the three fill-ins of a template (``__年__月__日``)."""
    parts: list[int] = []
    for part in (year, month, day):
        p = squash(part)
        n: int | None
        if re.fullmatch(rf"{_D}{{1,4}}", p):
            n = _digits(p)
        else:
            n = cn_digit_string(p) if len(p) == 4 else cn_small_number(p)
        if n is None:
            raise DateParseError("a date part is not a number")
        parts.append(n)
    y, mo, d = parts
    if y < 100:  # a two-digit year on a form filled in after 2000
        y += 2000
    return _make(y, mo, d)


def _padded(part: str) -> bool:
    """A two-digit month or day that begins with a zero (or what reads as one)."""
    return len(part) == 2 and part[0].translate(_DIGIT_FIX) == "0"


def mixed_padding(span: str) -> bool:
    """True when a date written in digits pads one of month and day with a zero and not
    the other (``2023-01-1``, ``2023年1月05日``): a printed date pads both or neither, so
    the short one has likely lost a digit (2023-01-21 read as 2023-01-1)."""
    parts = re.findall(_D + "+", span)
    if len(parts) != 3:
        return False
    month, day = parts[1], parts[2]
    return (_padded(month) and len(day) == 1) or (_padded(day) and len(month) == 1)
