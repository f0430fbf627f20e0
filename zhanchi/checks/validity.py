"""Is each value real: certificate numbers, ID numbers (GB 11643), the exam place?

Jiangxi places are checked against the 民政部 list, former names included for the
years they existed (an old letter may print 上饶县 for an exam in 2018, not in 2021).
For another province only the province name must be real: the reference data holds
no other province's cities.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric

from zhanchi.checks.context import (
    CheckContext,
    Packet,
    day,
    doc_label,
    level,
    level_label,
    mask_id,
    number,
    result,
    text,
)
from zhanchi.doctypes import CERTIFICATE_TYPES, DOC_LABELS
from zhanchi.models import Check
from zhanchi.policy import NumberRule
from zhanchi.registry import Division, Reference
from zhanchi.registry.reference import JIANGXI

_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


def validate_id_number(value: str, as_of: date | None = None) -> str | None:
    """Why ``value`` is not a GB 11643-1999 citizen ID number, or None if it is one.

    Only hard rules: 18 characters, a real birth date (not after ``as_of``), the
    ISO 7064 MOD 11-2 check character. The address code is not checked: late
    registrants carry codes of units since renamed. Never raises.

    >>> validate_id_number("11010519491231002X") is None
    True
    >>> validate_id_number("110105194912310021")
    '校验位应为 X'
    """
    if not isinstance(value, str):
        return "不是文本"
    if len(value) != 18:
        return f"应为 18 位，实为 {len(value)} 位"
    if not _ID_SHAPE.match(value):
        return "前 17 位应为数字，末位应为数字或 X"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "出生日期不是有效日期"
    if born.year < 1900 or (as_of is not None and born > as_of):
        return "出生日期不合理"
    expected = ric.calc_check_digit(value)
    if value[-1] != expected:
        return f"校验位应为 {expected}"
    return None


def invalid_id_number(p: Packet, ctx: CheckContext) -> Check:
    code = "invalid_id_number"
    cert = p.certificate
    if cert is None:
        return result(code, "skipped", "没有证书，无法检查身份证号")
    value = number(cert, "id_number")
    if value is None:
        if cert.type == "qualification_certificate":
            return result(code, "pass", "职业资格证书未印身份证号（旧版证书可只印出生日期），不适用")
        return result(code, "skipped", "证书身份证号(id_number) 未识别，无法检查")
    problem = validate_id_number(value, ctx.as_of)
    if problem:
        return result(code, "fail", f"证书身份证号 {mask_id(value)} 不符合 GB 11643：{problem}")
    return result(code, "pass", f"证书身份证号 {mask_id(value)} 符合 GB 11643")


def _rule_for(doc_type: str, value: str, ctx: CheckContext) -> tuple[str, NumberRule | None]:
    """The format the number must follow: its certificate's, or (letter only) the one it fits."""
    rules = ctx.policy.certificate_numbers
    if doc_type in rules:
        return doc_type, rules[doc_type]
    for kind, rule in rules.items():
        if rule.match(value):
            return kind, rule
    return "", None


def _format_name(kind: str, ctx: CheckContext) -> str:
    """职业资格证书 16 位编号; for a number that fits no format, every format named."""
    rules = ctx.policy.certificate_numbers
    kinds = [kind] if kind in rules else [t for t in CERTIFICATE_TYPES if t in rules]
    return "或".join(f"{DOC_LABELS[t]} {rules[t].length} 位" for t in kinds) + "编号"


def invalid_certificate_number(p: Packet, ctx: CheckContext) -> Check:
    code = "invalid_certificate_number"
    doc = p.claimed
    if doc is None:
        return result(code, "skipped", "没有证书和承诺书，无法检查证书编号")
    where = doc_label(doc)
    value = number(doc, "certificate_number")
    if value is None:
        return result(code, "skipped", f"{where}所载证书编号(certificate_number) 未识别，无法检查")
    kind, rule = _rule_for(doc.type, value, ctx)
    match = rule.match(value) if rule is not None else None
    if rule is None or match is None:
        expected = _format_name(kind, ctx)
        return result(code, "fail", f"{where}所载证书编号 {value} 不符合{expected}的格式")
    notes = []
    if rule.jiangxi_province_code and p.letter is not None:
        province = ctx.reference.canonical_province(text(p.letter, "exam_province") or "")
        digits = match.group("province")
        if province == JIANGXI and digits != rule.jiangxi_province_code:
            return result(code, "fail", f"{where}所载证书编号 {value} 的省份代码为 {digits}，"
                          f"而承诺书考试省份为江西省（{rule.jiangxi_province_code}）")
        if province is None:
            notes.append("考试省份未识别，未核对省份代码")
    printed = level(doc)
    if printed is None:
        return result(code, "skipped", f"{where}等级(level) 未识别，无法核对编号 {value} 的等级位")
    digit = int(match.group("level"))
    if digit != printed:
        return result(code, "fail", f"{where}所载证书编号 {value} 的等级位为 {digit}，"
                      f"与{where}所印等级 {level_label(printed)} 不符")
    extra = f"（{'；'.join(notes)}）" if notes else ""
    return result(code, "pass", f"{where}所载证书编号 {value} 格式正确，等级位与等级一致{extra}")


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
