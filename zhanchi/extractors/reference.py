"""The reference lists the extractors snap to, loaded once per process.

Read from the package's ``zhanchi/reference/`` (copied from ``shared/reference``):
Jiangxi divisions with their former names, provinces, occupations; plus the old
occupation names that older certificates still print (kept here because they are the
extractors' knowledge, not the registry's).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Division:
    """A Jiangxi administrative unit, current or former."""

    adcode: str
    name: str
    level: str  # province | prefecture | county
    parent: str  # the parent's name ("" for the province)
    former: bool = False
    valid_from_year: int | None = None
    valid_to_year: int | None = None
    successors: tuple[str, ...] = ()  # current names of the units that replaced it


@dataclass(frozen=True)
class Reference:
    """Every list the extractors know, indexed by name."""

    divisions: tuple[Division, ...]
    provinces: dict[str, str]  # full name -> short name
    occupations: dict[str, str]  # name -> kind (access | level-recognition)
    old_occupations: dict[str, str] = field(default_factory=dict)  # old name -> current

    def by_name(self, name: str) -> list[Division]:
        return [d for d in self.divisions if d.name == name]


# Old names printed on pre-2019 certificates and how they are called now.
OLD_OCCUPATION_NAMES: dict[str, str] = {
    "维修电工": "电工",
    "保育员": "保育师",
}


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("zhanchi.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _year(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@cache
def load_reference() -> Reference:
    """Load and index the reference CSVs (cached for the process)."""
    current = _rows("jiangxi_divisions.csv")
    by_code = {r["adcode"]: r["name"] for r in current}
    divisions: list[Division] = []
    for r in current:
        divisions.append(
            Division(r["adcode"], r["name"], r["level"], by_code.get(r["parent_adcode"], ""))
        )
    former_rows = _rows("jiangxi_divisions_former.csv")
    former_next = {
        r["adcode"]: [c.split("[")[0] for c in r["successor_codes"].split(";") if c]
        for r in former_rows
    }

    def current_names(codes: list[str], depth: int = 0) -> list[str]:
        # A successor may itself be former (上饶地区的上饶县 → 上饶市的上饶县 → 广信区).
        names: list[str] = []
        for code in codes:
            if code in by_code:
                names.append(by_code[code])
            elif code in former_next and depth < 5:
                names.extend(current_names(former_next[code], depth + 1))
        return list(dict.fromkeys(names))

    for r in former_rows:
        divisions.append(
            Division(
                r["adcode"], r["name"], r["level"], r["parent_name"], former=True,
                valid_from_year=_year(r["valid_from_year"]),
                valid_to_year=_year(r["valid_to_year"]),
                successors=tuple(current_names(former_next[r["adcode"]])),
            )
        )
    provinces = {r["name"]: r["short_name"] for r in _rows("provinces.csv")}
    occupations = {r["name"]: r["kind"] for r in _rows("occupations.csv")}
    return Reference(tuple(divisions), provinces, occupations, dict(OLD_OCCUPATION_NAMES))


def canonical_occupation(name: str) -> str:
    """The current catalogue name for an occupation (old names mapped), for comparisons."""
    return load_reference().old_occupations.get(name, name)
