"""Reference lists shipped with the package (``zhanchi/reference/*.csv``).

Jiangxi's divisions (current and former, with the years a former name existed),
the provincial-level divisions and the occupation catalogue. Loaded once per
process through :mod:`importlib.resources`, so an installed wheel works.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from zhanchi.registry.text import fold, norm_label

JIANGXI = "江西省"


@dataclass(frozen=True)
class Division:
    """A Jiangxi unit: a prefecture city or a county-level unit, current or former.

    ``parent`` is the prefecture's name (``""`` for a prefecture). A former unit
    carries the years its name existed; a current unit has ``None`` for both,
    meaning "valid on any date the pipeline sees".
    """

    name: str
    level: str  # "prefecture" | "county" | "new_area"
    parent: str
    from_year: int | None = None
    to_year: int | None = None

    @property
    def current(self) -> bool:
        return self.to_year is None

    def exists_in(self, year: int | None) -> bool:
        """True if the name existed in ``year``; the change year counts on both sides.

        The data has years only, so an exam in the year of a rename may carry either
        name; a date-less question (``year=None``) accepts current units only.
        """
        if self.current:
            return True
        if year is None or self.from_year is None or self.to_year is None:
            return False
        return self.from_year <= year <= self.to_year


@dataclass(frozen=True)
class Reference:
    """The shipped reference lists, indexed for the checks."""

    provinces: dict[str, str]  # full name and short name -> full name
    divisions: tuple[Division, ...]
    occupations: dict[str, str]  # normalised name -> kind ("access" | "level-recognition")

    def canonical_province(self, name: str) -> str | None:
        """The full name of a real provincial-level division, or None.

        >>> load_reference().canonical_province("江西")
        '江西省'
        """
        return self.provinces.get(fold(name))

    def jiangxi_units(self, name: str) -> list[Division]:
        """Every unit (current or former) printed as ``name``."""
        key = fold(name)
        return [d for d in self.divisions if d.name == key]

    def occupation_kind(self, name: str) -> str | None:
        """``access`` / ``level-recognition`` / None (not in the catalogue)."""
        return self.occupations.get(norm_label(name))

    def place_names(self) -> frozenset[str]:
        """Every place name worth protecting when agency names are compared.

        Full names plus their stems (``南昌`` from ``南昌市``), because agency names
        often drop the suffix; one-character stems (``赣`` of ``赣县``) are too common
        a character to count.
        """
        names: set[str] = set()
        for full in self.provinces:
            names.add(full)
        for d in self.divisions:
            names.add(d.name)
            stem = d.name[:-1] if d.name[-1] in "市县区" else d.name
            if d.name.endswith("地区"):
                stem = d.name[:-2]
            if len(stem) >= 2:
                names.add(stem)
        return frozenset(names)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("zhanchi.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    """Load (once) and index the shipped reference CSVs."""
    provinces: dict[str, str] = {}
    for row in _read("provinces.csv"):
        provinces[row["name"]] = row["name"]
        provinces[row["short_name"]] = row["name"]

    current = _read("jiangxi_divisions.csv")
    names_by_code = {r["adcode"]: r["name"] for r in current if r["adcode"]}
    divisions: list[Division] = []
    for row in current:
        if row["level"] == "province":
            continue
        if row["level"] == "prefecture":
            divisions.append(Division(row["name"], "prefecture", ""))
        elif row["level"] == "county":
            divisions.append(Division(row["name"], "county", names_by_code[row["parent_adcode"]]))
        else:  # 赣江新区: a state-level new area, not an administrative unit (DOMAIN.md)
            divisions.append(Division(row["name"], "new_area", ""))
    for row in _read("jiangxi_divisions_former.csv"):
        level = "prefecture" if row["level"] == "prefecture" else "county"
        parent = "" if level == "prefecture" else row["parent_name"]
        divisions.append(Division(row["name"], level, parent,
                                  int(row["valid_from_year"]), int(row["valid_to_year"])))

    occupations: dict[str, str] = {}
    for row in _read("occupations.csv"):
        # "民用核安全设备焊工、焊接操作工" names two occupations of one access entry
        for part in [row["name"], *row["name"].split("、")]:
            occupations.setdefault(norm_label(part), row["kind"])
    return Reference(provinces, tuple(divisions), occupations)
