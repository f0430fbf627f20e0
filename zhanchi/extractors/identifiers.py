"""Certificate numbers and ID numbers: upper case, no spaces, ASCII.

OCR confusions are fixed only where the format leaves no doubt: in a position that
must be a digit, ``O``/``o``/``D``/``Q`` read as 0 and ``I``/``l``/``|``/``i`` as 1; where
a 22-character number must begin with Y or S, a ``5`` or ``8`` there is the S.
:class:`Identifier` says whether anything was corrected, so confidence can drop.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from zhanchi.extractors.parse_errors import IdentifierParseError
from zhanchi.extractors.text import squash

_TO_ZERO = "OoDQ〇○"
_TO_ONE = "Il|i丨"
_TO_S = "58"  # where only Y or S may stand (a 22-character number's first): S read as a digit
_DIGIT_FIX = str.maketrans({**{c: "0" for c in _TO_ZERO}, **{c: "1" for c in _TO_ONE}})
_DIGITISH = re.compile(rf"[0-9{_TO_ZERO}{_TO_ONE}]")
# Everything that may be a character of a number, confusions included.
_KEEP = re.compile(rf"[0-9A-Za-z{_TO_ZERO}{_TO_ONE}×]")

SKILL_NUMBER = re.compile(r"^[YS]\d{4}\d{2}\d{6}\d{2}[1-5]\d{6}$")
QUALIFICATION_NUMBER = re.compile(r"^\d{6}[0-4]\d{3}[1-5]\d{5}$")


class Identifier(NamedTuple):
    """A normalised number and whether format-driven corrections were applied."""

    value: str
    corrected: bool


def _digits_only(chars: str) -> str:
    return chars.translate(_DIGIT_FIX)


def _ascii_alnum(raw: str) -> str:
    """Upper-case ASCII letters and digits only: a malformed number kept as printed."""
    return "".join(c for c in raw.upper().replace("×", "X") if c.isascii() and c.isalnum())


def _candidate(text: str) -> str:
    s = squash(text)
    return "".join(_KEEP.findall(s))


def parse_certificate_number(text: str) -> Identifier:
    """Normalise a certificate number (22-char skill or 16-digit qualification form).

    >>> parse_certificate_number("s 0000 36 OO0001 21 4 OOOl23")
    Identifier(value='S000036000001214000123', corrected=True)
    >>> parse_certificate_number("8673336853055245841534")
    Identifier(value='S673336853055245841534', corrected=True)
    """
    raw = _candidate(text)
    if not any(c.isalnum() for c in raw):
        raise IdentifierParseError("no characters of a number", kind="certificate_number")
    if len(raw) == 22 and raw[0] in "YySs" + _TO_S and all(_DIGITISH.fullmatch(c) for c in raw[1:]):
        value = ("S" if raw[0] in _TO_S else raw[0].upper()) + _digits_only(raw[1:])
    elif len(raw) == 16 and all(_DIGITISH.fullmatch(c) for c in raw):
        value = _digits_only(raw)
    else:
        value = _ascii_alnum(raw)
        if not value:
            raise IdentifierParseError("no characters of a number", kind="certificate_number")
    return Identifier(value, corrected=value != raw.upper())


def parse_id_number(text: str) -> Identifier:
    """Normalise a 公民身份号码 (18 chars, the last a digit or X; old 15-digit kept).

    >>> parse_id_number("36010 219900101 123x")
    Identifier(value='36010219900101123X', corrected=False)
    """
    raw = _candidate(text)
    if not any(c.isdigit() for c in raw):
        raise IdentifierParseError("no digits", kind="id_number")
    upper = raw.upper()
    if len(raw) == 18 and all(_DIGITISH.fullmatch(c) for c in raw[:17]):
        last = raw[17]
        if last in "xX×":
            last = "X"
        elif _DIGITISH.fullmatch(last):
            last = _digits_only(last)
        value = _digits_only(raw[:17]) + last.upper()
        return Identifier(value, corrected=value != upper.replace("×", "X"))
    if len(raw) == 15 and all(_DIGITISH.fullmatch(c) for c in raw):
        value = _digits_only(raw)
        return Identifier(value, corrected=value != upper)
    value = _ascii_alnum(raw)
    if not value:
        raise IdentifierParseError("no digits", kind="id_number")
    return Identifier(value, corrected=False)


def id_checksum_ok(value: str) -> bool:
    """ISO 7064 MOD 11-2 check of an 18-character ID number (no birth-place rule)."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(value[:17], weights, strict=True))
    return "10X98765432"[total % 11] == value[17]
