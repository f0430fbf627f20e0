"""Do the letter and the certificate describe the same claim, and are the dates coherent?

Each comparison needs both documents and the field on both; otherwise it is skipped
(the missing document or field is its own reason). The date rules are exactly the
three of SPEC §6.
"""

from __future__ import annotations

from collections.abc import Callable

from zhanchi.checks.context import (
    DATE_FIELDS,
    CheckContext,
    Packet,
    day,
    doc_label,
    field_label,
    flag,
    joined,
    level,
    level_label,
    name,
    number,
    occupation,
    raw,
    result,
)
from zhanchi.models import Check, Document
from zhanchi.registry.text import norm_label


def _compare(p: Packet, code: str, letter_field: str, cert_field: str,
             get: Callable[[Document | None, str], object | None],
             show: Callable[[object], str] = str) -> Check:
    if p.letter is None or p.certificate is None:
        lacking = "承诺书" if p.letter is None else "证书"
        return result(code, "skipped", f"没有{lacking}，无法比对{field_label(cert_field)}")
    ours, theirs = get(p.letter, letter_field), get(p.certificate, cert_field)
    if ours is None or theirs is None:
        where = f"承诺书{field_label(letter_field)}" if ours is None else \
            f"{doc_label(p.certificate)}{field_label(cert_field)}"
        return result(code, "skipped", f"{where} 未识别，无法比对")
    cert = doc_label(p.certificate)
    if ours != theirs:
        return result(code, "fail", f"承诺书{field_label(letter_field)} {show(ours)} "
                      f"与{cert}{field_label(cert_field)} {show(theirs)} 不一致")
    return result(code, "pass", f"承诺书与{cert}的{field_label(cert_field)}一致：{show(ours)}")


def certificate_number_mismatch(p: Packet, ctx: CheckContext) -> Check:
    return _compare(p, "certificate_number_mismatch", "certificate_number",
                    "certificate_number", number)


def occupation_mismatch(p: Packet, ctx: CheckContext) -> Check:
    def get(doc: Document | None, field: str) -> str | None:
        return occupation(doc, ctx.policy)

    check = _compare(p, "occupation_mismatch", "occupation", "occupation", get)
    if check.status == "pass" and p.letter is not None and p.certificate is not None:
        printed = (raw(p.letter, "occupation"), raw(p.certificate, "occupation"))
        if norm_label(str(printed[0])) != norm_label(str(printed[1])):  # say so when only the old-name mapping made them equal
            check.message += f"（承诺书“{printed[0]}”，证书“{printed[1]}”，按同一职业计）"
    return check


def level_mismatch(p: Packet, ctx: CheckContext) -> Check:
    return _compare(p, "level_mismatch", "level", "level", lambda d, f: level(d, f),
                    lambda v: level_label(v) if isinstance(v, int) else str(v))


def name_mismatch(p: Packet, ctx: CheckContext) -> Check:
    code = "name_mismatch"
    if p.letter is not None and flag(p.letter, "has_signature") is False:
        return result(code, "skipped", "承诺书未签字，无签名可比对（见 signature_missing）")
    return _compare(p, code, "signer_name", "holder_name", name)


def date_inconsistent(p: Packet, ctx: CheckContext) -> Check:
    """Exactly: exam after issue; letter signed before issue; any date after ``as_of``."""
    code = "date_inconsistent"
    exam, signed = day(p.letter, "exam_date"), day(p.letter, "sign_date")
    issued = day(p.certificate, "issue_date")
    cert = doc_label(p.certificate)
    problems, unknown = [], []
    if exam is not None and issued is not None:
        if exam > issued:
            problems.append(f"考试日期 {exam} 晚于{cert}发证日期 {issued}")
    else:
        unknown.append("考试日期与发证日期")
    if signed is not None and issued is not None:
        if signed < issued:
            problems.append(f"承诺书签署日期 {signed} 早于{cert}发证日期 {issued}")
    else:
        unknown.append("签署日期与发证日期")
    for doc in p.documents:
        for field in sorted(DATE_FIELDS & doc.fields.keys()):
            value = day(doc, field)
            if value is not None and value > ctx.as_of:
                problems.append(f"{doc_label(doc)}{field_label(field)} {value} "
                                f"晚于处理基准日 {ctx.as_of}")
    if problems:
        return result(code, "fail", joined(problems))
    if unknown:
        return result(code, "skipped", f"缺少日期，无法比对：{'、'.join(unknown)}")
    return result(code, "pass", f"考试 {exam} ≤ 发证 {issued} ≤ 签署 {signed} ≤ 基准日 {ctx.as_of}")
