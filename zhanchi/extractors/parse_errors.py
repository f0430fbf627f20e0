"""The parsers' one error family: a value could not be read as its field kind.

Every normaliser in :mod:`zhanchi.extractors` returns a value or raises a
:class:`ParseError` subclass carrying the field ``kind``; nothing else escapes them
(hypothesis tests hold them to it). Messages never quote the text (it may be personal
data); they name the kind and why.
"""

from __future__ import annotations

from zhanchi.errors import ZhanchiError


class ParseError(ZhanchiError):
    """A text could not be parsed as a field of ``kind`` (an expected outcome)."""

    reason = "parse_failed"
    exit_code = 0  # a field that is not found is a review outcome, never a run failure
    kind: str = "text"

    def __init__(self, why: str, *, kind: str | None = None) -> None:
        if kind is not None:
            self.kind = kind
        super().__init__(f"cannot parse {self.kind}: {why}")
        self.why = why


class DateParseError(ParseError):
    """No valid calendar date in the text."""

    kind = "date"


class LevelParseError(ParseError):
    """No level 1–5 (or two conflicting levels) in the text."""

    kind = "level"


class PlaceParseError(ParseError):
    """No place name in the text."""

    kind = "place"


class IdentifierParseError(ParseError):
    """No certificate or ID number in the text."""

    kind = "identifier"


class TextParseError(ParseError):
    """A name, agency, occupation or issuer is empty once cleaned."""

    kind = "text"
