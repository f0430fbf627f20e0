"""Reference lists the generator draws from: places, provinces, occupations.

Read once from ``zhanchi/reference`` (the same files the checks use), so a synthetic
Jiangxi place is always a real one and an "invalid" one is invalid for a known reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"


@dataclass(frozen=True)
class Division:
    """One row of jiangxi_divisions.csv."""

    adcode: str
    name: str
    level: str
    parent_adcode: str


@dataclass(frozen=True)
class ReferenceData:
    """The lists the generator needs, indexed for quick draws."""

    prefectures: tuple[Division, ...]
    counties_by_city: dict[str, tuple[Division, ...]]  # prefecture name -> its counties
    provinces: dict[str, str]  # full name -> short name
    province_codes: dict[str, str]  # full name -> 2-digit GB/T 2260 prefix
    access_occupations: tuple[str, ...]
    level_occupations: tuple[str, ...]

    def county_codes(self) -> list[str]:
        return sorted(d.adcode for ds in self.counties_by_city.values() for d in ds)

    def city_of_county(self, county: str) -> str | None:
        for city, counties in self.counties_by_city.items():
            if any(c.name == county for c in counties):
                return city
        return None


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# Access-type qualifications that really carry five levels (五级…一级), so a
# 职业资格证书 for them is plausible at any date; the rest of the access list are
# licences without levels and would make odd certificates.
LEVELLED_ACCESS = (
    "保安员",
    "消防设施操作员",
    "民航安全检查员",
    "应急救援员",
    "游泳救生员",
    "社会体育指导员",
    "家畜繁殖员",
)


@lru_cache(maxsize=1)
def load_reference() -> ReferenceData:
    """Load and index the reference CSVs (cached; they never change at run time)."""
    divisions = [Division(**r) for r in _rows("jiangxi_divisions.csv")]
    prefectures = tuple(d for d in divisions if d.level == "prefecture")
    by_code = {d.adcode: d for d in prefectures}
    counties: dict[str, list[Division]] = {p.name: [] for p in prefectures}
    for d in divisions:
        if d.level == "county" and d.parent_adcode in by_code:
            counties[by_code[d.parent_adcode].name].append(d)
    provinces = {r["name"]: r["short_name"] for r in _rows("provinces.csv")}
    codes = {r["name"]: r["adcode"][:2] for r in _rows("provinces.csv")}
    occ = _rows("occupations.csv")
    access = {r["name"] for r in occ if r["kind"] == "access"}
    levelled = tuple(n for n in LEVELLED_ACCESS if n in access)
    level_occ = tuple(r["name"] for r in occ if r["kind"] == "level-recognition")
    return ReferenceData(
        prefectures=prefectures,
        counties_by_city={k: tuple(v) for k, v in counties.items()},
        provinces=provinces,
        province_codes=codes,
        access_occupations=levelled,
        level_occupations=level_occ,
    )


@dataclass(frozen=True)
class OutsidePlace:
    """A real exam place in another province (city and county as printed)."""

    province: str
    city: str
    county: str


# A few real places outside Jiangxi; the pipeline checks only that the province is
# real, and keeps city and county as printed.
OUTSIDE_PLACES: tuple[OutsidePlace, ...] = (
    OutsidePlace("浙江省", "杭州市", "西湖区"),
    OutsidePlace("广东省", "广州市", "天河区"),
    OutsidePlace("湖南省", "长沙市", "岳麓区"),
    OutsidePlace("福建省", "福州市", "鼓楼区"),
    OutsidePlace("湖北省", "武汉市", "武昌区"),
    OutsidePlace("安徽省", "合肥市", "蜀山区"),
)

LEVEL_NAMES: dict[int, tuple[str, str]] = {
    5: ("五级", "初级工"),
    4: ("四级", "中级工"),
    3: ("三级", "高级工"),
    2: ("二级", "技师"),
    1: ("一级", "高级技师"),
}

CN_DIGITS = "〇一二三四五六七八九"


def level_label(level: int) -> str:
    """The certificate's printed level, e.g. ``三级/高级工``."""
    num, name = LEVEL_NAMES[level]
    return f"{num}/{name}"
