"""Does the certificate qualify at all: level covered, qualification not exited?"""

from __future__ import annotations

from zhanchi.checks.context import CheckContext, Packet, day, level, number, occupation, result
from zhanchi.checks.labels import doc_label, level_label
from zhanchi.models import Check


def level_not_eligible(p: Packet, ctx: CheckContext) -> Check:
    code = "level_not_eligible"
    doc = p.claimed
    value = level(doc)
    if doc is None or value is None:
        where = doc_label(doc) if doc is not None else "证书"
        return result(code, "skipped", f"{where}等级(level) 未识别，无法检查补贴等级")
    eligible = sorted(ctx.policy.levels.eligible, reverse=True)
    shown = "、".join(level_label(lv) for lv in eligible)
    if value not in ctx.policy.levels.eligible:
        return result(code, "fail", f"{doc_label(doc)}等级 {level_label(value)} 不在补贴范围"
                      f"（{shown}）")
    return result(code, "pass", f"{doc_label(doc)}等级 {level_label(value)} 在补贴范围内")


def _is_qualification(p: Packet, ctx: CheckContext) -> bool | None:
    """Is the claimed certificate a 职业资格证书? From the certificate, else the letter's number."""
    if p.certificate is not None:
        return p.certificate.type == "qualification_certificate"
    value = number(p.letter, "certificate_number")
    if value is None:
        return None
    rule = ctx.policy.certificate_numbers["qualification_certificate"]
    return rule.match(value) is not None


def exited_qualification(p: Packet, ctx: CheckContext) -> Check:
    """A 职业资格证书 of a level-evaluation (non-access) occupation examined after the cut-off."""
    code = "exited_qualification"
    cutoff = ctx.policy.exited_qualification.last_exam_date
    kind = _is_qualification(p, ctx)
    if kind is None:
        return result(code, "skipped", "无法确定证书类型，未检查水平评价类职业资格退出")
    if not kind:
        return result(code, "pass", "职业技能等级证书，不涉及职业资格退出")
    job = occupation(p.claimed, ctx.policy)
    if job is None:
        return result(code, "skipped", "职业(occupation) 未识别，无法判断是否准入类职业资格")
    if ctx.reference.occupation_kind(job) == "access":
        return result(code, "pass", f"{job} 为准入类职业资格，未退出目录")
    exam = day(p.letter, "exam_date")
    if exam is None:
        # no exam date: an issue date on or before the cut-off still settles it,
        # since the exam came before the certificate
        issued = day(p.certificate, "issue_date")
        if issued is not None and issued <= cutoff:
            return result(code, "pass", f"发证日期 {issued} 不晚于 {cutoff}，考试必在此前")
        return result(code, "skipped", "考试日期(exam_date) 未识别，无法检查职业资格退出")
    if exam > cutoff:
        return result(code, "fail", f"{job} 属水平评价类职业资格（已退出目录），考试日期 {exam} "
                      f"晚于 {cutoff}，不应再颁发职业资格证书")
    return result(code, "pass", f"考试日期 {exam} 不晚于 {cutoff}")
