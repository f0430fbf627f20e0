"""From a located raw text to an :class:`ExtractedField`: parse, snap, score.

Each parser kind maps raw text to a normalised value, a *quality* in 0–1 (how strict
the parse was, how close the snap) and extra keys; the field's confidence is the OCR
confidence of the lines that carried it times that quality.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhanchi.extractors.dates import find_date, mixed_padding
from zhanchi.extractors.fuzzy import only_doubtful_edits, search
from zhanchi.extractors.gazetteer import Gazetteer, Kind
from zhanchi.extractors.identifiers import (
    QUALIFICATION_NUMBER,
    SKILL_NUMBER,
    id_checksum_ok,
    parse_certificate_number,
    parse_id_number,
)
from zhanchi.extractors.levels import find_levels, parse_level
from zhanchi.extractors.parse_errors import ParseError, TextParseError
from zhanchi.extractors.places import JIANGXI, Place, parse_city, parse_county, parse_province
from zhanchi.extractors.text import squash
from zhanchi.models import BBox, ExtractedField, FieldValue

# Punctuation and underline leftovers around a fill-in (brackets are handled apart).
_EDGE = re.compile(r"^[:,.;、_\-—|~·。]+|[:,.;、_\-—|~·。]+$")
# Chinese names print brackets full width; OCR returns either width.
_CJK_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
UNKNOWN_NAME_QUALITY = 0.95  # a clean read of a name the gazetteer does not know
# … unless it is a known occupation with a character lost or changed (应急员 for
# 应急救援员, 锻遣工 for 锻造工): a hurried hand's misread more likely than a new name
RESEMBLES_QUALITY = 0.7
# a clean read one or two plain characters from a known name: a misread or another name
NEAR_KNOWN_QUALITY = 0.9
AMBIGUOUS_QUALITY = 0.4  # two known names about equally close: must go to review
# an agency is named by its place and kind (…中心, …学院): a few characters are a piece
# of a name (the rest unread, written elsewhere), never a sure read of one; so is an
# occupation shorter than every catalogue name (the page read 具 of a written 模具工)
MIN_AGENCY_CHARS = 4
PIECE_QUALITY = 0.5
# Extra key on a field whose value a reference list picked among doubtful readings
# (look-alikes, blots, lost characters): only then do ``raw`` and ``value`` differ by
# more than normalisation (SPEC §3/§5).
PICKED = "picked"


@dataclass
class Parsed:
    """A parsed value, how strict the parse was and extra keys for the field."""

    value: FieldValue
    quality: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What parsers may need besides the text: the gazetteer and sibling fields."""

    gazetteer: Gazetteer
    province: str = JIANGXI
    city: str | None = None


def strip_edges(s: str) -> str:
    """Drop punctuation and underline leftovers at both ends, and unbalanced brackets."""
    prev = None
    while prev != s:
        prev = s
        s = _EDGE.sub("", s)
        if s.startswith("(") and ")" not in s:
            s = s[1:]
        if s.endswith(")") and "(" not in s:
            s = s[:-1]
        if s.startswith("(") and s.endswith(")"):
            s = s[1:-1]
    return s


def clean_text(text: str) -> str:
    """Whitespace removed, widths folded, stray punctuation at the edges dropped; the
    brackets and colons left inside are given their Chinese (full) width."""
    s = strip_edges(squash(text))
    if not s:
        raise TextParseError("empty once cleaned")
    return s.translate(_CJK_PUNCT)


DOUBTFUL_DATE = 0.75  # quality of a date that may have lost a digit


def _date(raw: str, ctx: Context) -> Parsed:
    # A date not closed by 日 and run straight into other text (seal residue, a
    # neighbour's value) may have lost a digit to it: 2022-01-2信8 reads as the 2nd.
    # So may one whose month and day are padded unlike each other (2023-01-1 for -21).
    s = squash(raw)
    iso, start, end = find_date(s)
    closed = s[end - 1] in "日曰" or end == len(s) or not s[end].isalnum()
    return Parsed(iso, 1.0 if closed and not mixed_padding(s[start:end]) else DOUBTFUL_DATE)


def _text(raw: str, ctx: Context) -> Parsed:
    return Parsed(clean_text(raw))


# The （职业、等级） blank's title as written (电工三级/高级工). Between two names of one
# level only the slash can stand; a hurried slash is read as a look-alike (1 l | 丨 \).
SLASH_LIKE = frozenset("1lI|丨\\／")
SLASH_QUALITY = 0.9  # the slash rebuilt from its look-alike: the rest read as it was


# A title is an occupation and its level: one without a level word lost it (装配工初 for
# 装配钳工初级工), and its occupation is as doubtful as the same words in the occupation
# blank (a known one with a character lost or changed, one that only snaps to a known one)
NO_LEVEL_QUALITY = 0.7


def _title(raw: str, ctx: Context) -> Parsed:
    s = clean_text(raw)
    levels = find_levels(s)
    quality = min(_occupation(s, ctx).quality if s else 1.0, 1.0 if levels else NO_LEVEL_QUALITY)
    for (_, end, a), (start, _, b) in zip(levels, levels[1:], strict=False):
        if a == b and start == end + 1 and s[end] in SLASH_LIKE:
            value = f"{s[:end]}/{s[start:]}"
            return Parsed(value, min(quality, SLASH_QUALITY), _picked(s, value))
        if start == end:  # two names of a level run together: a slash (and more) lost
            quality = min(quality, SLASH_QUALITY)
    return Parsed(s, quality)


ONE_CHARACTER_NAME = 0.6  # quality of a name read as a single character


def _name(raw: str, ctx: Context) -> Parsed:
    s = re.sub(r"[^\u4e00-\u9fff·•]", "", clean_text(raw)).replace("•", "·")
    if not s:
        raise TextParseError("no characters of a name", kind="name")
    # a one-character name is a name cut short (its rest under a fingerprint or a seal),
    # not a name: doubtful; five or more is rare, but real (compound and minority names)
    n = len(s.replace("·", ""))
    return Parsed(s, 1.0 if 2 <= n <= 4 else ONE_CHARACTER_NAME if n <= 1 else 0.85)


def _snapped(kind: Kind, raw: str, ctx: Context) -> Parsed:
    s = clean_text(raw)
    hit = ctx.gazetteer.snap(kind, s)
    if hit.ambiguous:
        return Parsed(hit.value, AMBIGUOUS_QUALITY, {"ambiguous": True})
    if hit.near:
        return Parsed(s, NEAR_KNOWN_QUALITY, {"nearest_known": hit.near})
    if hit.score == 0.0:
        if kind == "agency" and len(s) < MIN_AGENCY_CHARS:
            return Parsed(s, PIECE_QUALITY)
        if kind == "occupation" and len(squash(s)) < ctx.gazetteer.shortest(kind):
            return Parsed(s, PIECE_QUALITY)  # 具 of 模具工: no occupation is that short
        if kind == "occupation" and ctx.gazetteer.resembles(kind, s):
            return Parsed(s, RESEMBLES_QUALITY)
        return Parsed(s, UNKNOWN_NAME_QUALITY)
    return Parsed(hit.value, hit.score, _picked(s, hit.value))


def _picked(read: str, value: str) -> dict[str, Any]:
    return {PICKED: True} if value != read else {}


def _occupation(raw: str, ctx: Context) -> Parsed:
    # 职业(工种)及等级 prints "电工 四级/中级工": the occupation is what precedes the level.
    s = squash(raw)
    levels = find_levels(s)
    if levels and levels[0][0] > 0:
        s = s[: levels[0][0]]
    return _snapped("occupation", s, ctx)


HRSS = "人力资源和社会保障"


def _issuer(raw: str, ctx: Context) -> Parsed:
    """A certificate's issuer: an HR department (named by its place) or an agency.

    A department's name is rebuilt from its parts, so doubtful readings of the fixed
    words (人力资沥和社会保障局: a blot, a look-alike, a lost character) or a place
    printed without its suffix are settled; a plainly different word is kept as read.
    """
    s = clean_text(raw)
    if any(re.search(rf"..{word}[厅局]$", s) for word in (HRSS, "人力资源社会保障")):
        return Parsed(s)  # both spellings are in official use: keep the printed one
    hit = search(s, HRSS, 0.25)
    if hit is None or hit[0] < 2:
        return _snapped("agency", s, ctx)
    if not only_doubtful_edits(s[hit[0]:hit[1]], HRSS):
        return Parsed(s, NEAR_KNOWN_QUALITY)
    prefix, tail = s[: hit[0]], s[hit[1]:]
    place = parse_province(prefix) if len(prefix) >= 2 else None
    if place is None or not place.known:
        city = parse_city(prefix)
        place = city if city.known else place
    name = place.name if place is not None and place.known else prefix
    is_province = place is not None and place.known and place.level == "province"
    office = tail[:1] if tail[:1] in ("厅", "局") else ("厅" if is_province else "局")
    value = f"{name}{HRSS}{office}"
    return Parsed(value, 1.0 if value == s else 0.9, _picked(s, value))


def _place(kind: Kind, raw: str, ctx: Context) -> Parsed:
    def parse(text: str) -> Place:
        if kind == "province":
            return parse_province(text)
        if kind == "city":
            return parse_city(text, ctx.province)
        return parse_county(text, ctx.province, ctx.city)

    place = parse(raw)
    quality = 1.0
    extra: dict[str, Any] = {}
    if not place.known and (kind == "province" or ctx.province == JIANGXI):
        hit = ctx.gazetteer.snap(kind, place.name, parent=ctx.city if kind == "county" else None)
        if hit.ambiguous:
            return Parsed(place.name, AMBIGUOUS_QUALITY, {"ambiguous": True})
        if hit.score > 0.0:
            extra = _picked(place.name, hit.value)
            place, quality = parse(hit.value), hit.score
        else:
            quality = 0.8  # a Jiangxi place the reference does not know: a check decides
            extra = {"nearest_known": hit.near} if hit.near else {}
    if place.former:
        extra["current"] = list(place.current)
    return Parsed(place.name, quality, extra)


# A number of the wrong length was most likely cut short (a seal, a fold) or run into
# other text: that is doubt about the reading. The right length in a wrong pattern is
# more likely what is printed (a forged or mistyped number): the checks' business.
WRONG_LENGTH = 0.7
WRONG_PATTERN = 0.9


def _certificate_number(raw: str, ctx: Context) -> Parsed:
    ident = parse_certificate_number(raw)
    v = ident.value
    fit = 1.0 if SKILL_NUMBER.match(v) or QUALIFICATION_NUMBER.match(v) else (
        WRONG_PATTERN if len(v) in (16, 22) else WRONG_LENGTH)
    return Parsed(v, (0.9 if ident.corrected else 1.0) * fit, {PICKED: True} if ident.corrected else {})


def _id_number(raw: str, ctx: Context) -> Parsed:
    ident = parse_id_number(raw)
    v = ident.value
    fit = 1.0 if id_checksum_ok(v) else (WRONG_PATTERN if len(v) == 18 else WRONG_LENGTH)
    return Parsed(v, (0.9 if ident.corrected else 1.0) * fit, {PICKED: True} if ident.corrected else {})


PARSERS: dict[str, Callable[[str, Context], Parsed]] = {
    "date": _date,
    "level": lambda raw, ctx: Parsed(parse_level(raw)),
    "text": _text,
    "title": _title,
    "name": _name,
    "agency": lambda raw, ctx: _snapped("agency", raw, ctx),
    "occupation": _occupation,
    "issuer": _issuer,
    "province": lambda raw, ctx: _place("province", raw, ctx),
    "city": lambda raw, ctx: _place("city", raw, ctx),
    "county": lambda raw, ctx: _place("county", raw, ctx),
    "certificate_number": _certificate_number,
    "id_number": _id_number,
}


def well_formed(parser: str, value: FieldValue) -> bool:
    """Whether a value has its kind's format (numbers only; other kinds always do)."""
    if parser == "certificate_number":
        return bool(SKILL_NUMBER.match(str(value)) or QUALIFICATION_NUMBER.match(str(value)))
    if parser == "id_number":
        return id_checksum_ok(str(value))
    return True


def make_field(parser: str, raw: str, ctx: Context, *, ocr_conf: float, bbox: BBox | None,
               page: int = 1, quality: float = 1.0) -> ExtractedField | None:
    """Parse ``raw`` with ``parser``; ``None`` when it does not parse (field not found)."""
    try:
        parsed = PARSERS[parser](raw, ctx)
    except ParseError:
        return None
    conf = round(max(0.0, min(1.0, ocr_conf * parsed.quality * quality)), 4)
    return ExtractedField(
        value=parsed.value, confidence=conf, page=page,
        bbox=list(bbox) if bbox is not None else None, raw=squash(raw), **parsed.extra,
    )
