"""Certificate numbers (format and level digit) and ID numbers (GB 11643)."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric

from zhanchi.checks.context import CheckContext, Packet, level, number, result, text
from zhanchi.checks.labels import doc_label, level_label, mask_id
from zhanchi.models import Check
from zhanchi.policy import NumberRule
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


_FORMAT_NAMES = {
    "skill_level_certificate": "职业技能等级证书 22 位编号",
    "qualification_certificate": "职业资格证书 16 位编号",
}


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
        expected = _FORMAT_NAMES.get(kind, "职业技能等级证书 22 位或职业资格证书 16 位编号")
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
