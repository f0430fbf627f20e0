"""Is the letter's exam place real: a Jiangxi city and county that belong together?

Jiangxi places are checked against the 民政部 list, former names included for the
years they existed (an old letter may print 上饶县 for an exam in 2018, not in 2021).
For another province only the province name must be real: the reference data holds
no other province's cities.
"""

from __future__ import annotations

from zhanchi.checks.context import CheckContext, Packet, day, result, text
from zhanchi.models import Check
from zhanchi.registry import Division, Reference
from zhanchi.registry.reference import JIANGXI


def _years(d: Division) -> str:
    return f"{d.from_year}–{d.to_year} 年" if not d.current else "现行"


def jiangxi_place(city: str, county: str, year: int | None, ref: Reference,
                  new_areas: dict[str, list[str]]) -> tuple[bool | None, str]:
    """(True, why) if the pair forms a real hierarchy in ``year``; (False, why) if not;
    (None, why) when it depends on the exam year and that is unknown."""
    # 赣江新区 is no administrative unit: accept it as the city with one of the units
    # it spans, or as the "county" under a city that holds one of them.
    if city in new_areas:
        if county == city or county in new_areas[city]:
            return True, f"{city} {county}"
        return False, f"{county} 不在{city}范围内（{'、'.join(new_areas[city])}）"
    if county in new_areas:
        parents = {d.parent for c in new_areas[county] for d in ref.jiangxi_units(c) if d.current}
        if city in parents:
            return True, f"{city} {county}"
        return False, f"{county}不涉及{city}"
    cities = [d for d in ref.jiangxi_units(city) if d.level == "prefecture"]
    if not cities:
        return False, f"{city} 不是江西省的设区市"
    if not any(d.exists_in(year) for d in cities):
        if year is None:
            return None, f"{city} 是旧设区市名（{_years(cities[0])}），缺少考试日期无法核对"
        return False, f"{city} 在 {year} 年已不是设区市（{_years(cities[0])}）"
    counties = [d for d in ref.jiangxi_units(county) if d.level == "county"]
    under = [d for d in counties if d.parent == city]
    if not under:
        if counties:
            owners = "、".join(sorted({d.parent for d in counties}))
            return False, f"{county} 不属于{city}（属于{owners}）"
        return False, f"{county} 不是江西省的县级行政区"
    if any(d.exists_in(year) for d in under):
        return True, f"{city} {county}"
    spans = "、".join(_years(d) for d in under)
    if year is None:
        return None, f"{county} 是旧县区名（{spans}），缺少考试日期无法核对"
    return False, f"{county} 在 {year} 年已撤销或更名（该名称有效期 {spans}）"


def invalid_location(p: Packet, ctx: CheckContext) -> Check:
    code = "invalid_location"
    letter = p.letter
    if letter is None:
        return result(code, "skipped", "没有承诺书，无法检查考试地点")
    printed = text(letter, "exam_province")
    if printed is None:
        return result(code, "skipped", "承诺书考试省份(exam_province) 未识别，无法检查考试地点")
    province = ctx.reference.canonical_province(printed)
    if province is None:
        return result(code, "fail", f"承诺书考试省份(exam_province) {printed} 不是真实的省级行政区")
    if province != JIANGXI:
        return result(code, "pass", f"省外考试（{province}），设区市与县区按原样记录")
    city, county = text(letter, "exam_city"), text(letter, "exam_county")
    if city is None or county is None:
        lacking = "exam_city" if city is None else "exam_county"
        return result(code, "skipped", f"承诺书考试地点({lacking}) 未识别，无法检查")
    exam = day(letter, "exam_date")
    ok, why = jiangxi_place(city, county, exam.year if exam else None, ctx.reference,
                            ctx.policy.places.new_areas)
    if ok is None:
        return result(code, "skipped", f"承诺书考试地点：{why}")
    if ok:
        return result(code, "pass", f"考试地点 江西省 {why} 层级正确")
    return result(code, "fail", f"承诺书考试地点（exam_city/exam_county）有误：{why}")
