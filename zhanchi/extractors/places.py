"""Places to their full official names (SPEC §5).

A Jiangxi unit printed with or without its suffix (``南昌`` / ``南昌市``, ``青山湖`` /
``青山湖区``) becomes its full name from ``jiangxi_divisions.csv``; a former name
(``上饶县``) stays as printed with the current unit(s) beside it; another province
becomes its full name from ``provinces.csv`` and its city and county stay as printed.
Exact lookups only: noisy names are the gazetteer's job (:mod:`.gazetteer`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from zhanchi.extractors.parse_errors import PlaceParseError
from zhanchi.extractors.reference import Division, load_reference
from zhanchi.extractors.text import has_cjk, squash

JIANGXI = "江西省"
_SUFFIXES = {"province": ("省", "市", "自治区"), "prefecture": ("市", "地区"), "county": ("区", "县", "市")}
_NOISE = re.compile(r"[^\u4e00-\u9fff〇·]")


class Place(NamedTuple):
    """A normalised place: its name and what the reference says about it."""

    name: str
    level: str  # province | prefecture | county
    known: bool  # found in the reference lists
    former: bool = False
    current: tuple[str, ...] = ()  # for a former unit: the current unit(s)
    parent: str = ""


def clean_place(text: str) -> str:
    """Keep only the ideographs of a place name (drops brackets, colons, underlines)."""
    s = _NOISE.sub("", squash(text))
    if not s or not has_cjk(s):
        raise PlaceParseError("no place name")
    return s


def parse_province(text: str) -> Place:
    """``江西`` / ``江西省`` → ``江西省``; an unknown province stays as printed.

    >>> parse_province("浙江").name
    '浙江省'
    """
    s = clean_place(text)
    provinces = load_reference().provinces
    if s in provinces:
        return Place(s, "province", True)
    for full, short in provinces.items():
        if s == short:
            return Place(full, "province", True)
    return Place(s, "province", False)


def _pick(found: list[Division], parent: str | None) -> Division | None:
    if parent:
        under = [d for d in found if d.parent == parent or parent in d.successors]
        found = under or found
    current = [d for d in found if not d.former]
    if current:
        return current[0]
    return found[0] if found else None


def _lookup(s: str, level: str, parent: str | None) -> Division | None:
    divisions = [d for d in load_reference().divisions if d.level == level]
    exact = [d for d in divisions if d.name == s]
    if exact:
        return _pick(exact, parent)
    if any(s.endswith(suffix) for suffix in _SUFFIXES[level]) and len(s) > 2:
        return None  # printed with a suffix that names no unit: keep as printed
    bare = [d for d in divisions if any(d.name == s + suffix for suffix in _SUFFIXES[level])]
    return _pick(bare, parent)


def _from_division(d: Division) -> Place:
    return Place(d.name, d.level, True, d.former, d.successors if d.former else (), d.parent)


def parse_city(text: str, province: str = JIANGXI) -> Place:
    """A prefecture city (设区市): full name in Jiangxi, as printed elsewhere.

    >>> parse_city("南昌").name
    '南昌市'
    """
    s = clean_place(text)
    if province != JIANGXI:
        return Place(s, "prefecture", False)
    found = _lookup(s, "prefecture", JIANGXI)
    return _from_division(found) if found else Place(s, "prefecture", False)


def parse_county(text: str, province: str = JIANGXI, city: str | None = None) -> Place:
    """A county-level unit (县、市、区); within ``city`` first when it is given.

    >>> parse_county("上饶县", city="上饶市").current
    ('广信区',)
    """
    s = clean_place(text)
    if province != JIANGXI:
        return Place(s, "county", False)
    found = _lookup(s, "county", city)
    return _from_division(found) if found else Place(s, "county", False)
