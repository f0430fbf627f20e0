"""Is the claim entitled to the subsidy at all?

The level is covered, the qualification has not left the catalogue, the letter is
signed within the application window, and nothing was paid for it before: not this
certificate (claims.csv, or another submission in the store), and not the same person
and occupation at the same or a higher level (1 is highest, so ``claims.level <= level``).
"""

from __future__ import annotations

import calendar
from datetime import date

from zhanchi.checks.context import (
    CheckContext,
    Packet,
    canonical_occupation,
    day,
    doc_label,
    joined,
    level,
    level_label,
    mask_id,
    number,
    occupation,
    result,
)
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


def add_months(start: date, months: int) -> date:
    """The same calendar day ``months`` later; a day the month lacks becomes its last day.

    That is how the Civil Code (民法典 第二百零三条) ends a period counted in months:
    "没有对应日的，月末日为期间的最后一日".

    >>> add_months(date(2020, 2, 29), 12)
    datetime.date(2021, 2, 28)
    >>> add_months(date(2021, 8, 31), 6)
    datetime.date(2022, 2, 28)
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def application_window_expired(p: Packet, ctx: CheckContext) -> Check:
    code = "application_window_expired"
    months = ctx.policy.application_window.months
    signed, issued = day(p.letter, "sign_date"), day(p.certificate, "issue_date")
    if p.letter is None or p.certificate is None:
        lacking = "承诺书" if p.letter is None else "证书"
        return result(code, "skipped", f"没有{lacking}，无法检查 {months} 个月申请期")
    if signed is None or issued is None:
        lacking = "承诺书签署日期(sign_date)" if signed is None else "证书发证日期(issue_date)"
        return result(code, "skipped", f"{lacking} 未识别，无法检查申请期")
    deadline = add_months(issued, months)
    if signed > deadline:
        return result(code, "fail", f"承诺书签署日期 {signed} 超过申请期：发证日期 {issued} "
                      f"起 {months} 个月，截至 {deadline}")
    return result(code, "pass", f"签署日期 {signed} 在申请期内（截至 {deadline}）")


def _numbers(p: Packet) -> list[str]:
    """Every certificate number the packet claims (the certificate's and the letter's)."""
    found = [number(d, "certificate_number") for d in (p.certificate, p.letter)]
    return list(dict.fromkeys(n for n in found if n))


def needs_claims(p: Packet) -> bool:
    """duplicate_claim has a certificate number to look up in claims.csv."""
    return bool(_numbers(p))


def _id_number(p: Packet, ctx: CheckContext, numbers: list[str]) -> str | None:
    """The holder's ID number: printed on the certificate, else as the agency reported it."""
    printed = number(p.certificate, "id_number")
    if printed:
        return printed
    registry = ctx.registries.certificates
    if registry is None:
        return None
    reported = {row.id_number for n in numbers for row in registry.lookup(n) if row.id_number}
    return reported.pop() if len(reported) == 1 else None


def duplicate_claim(p: Packet, ctx: CheckContext) -> Check:
    code = "duplicate_claim"
    numbers = _numbers(p)
    if not numbers:
        return result(code, "skipped", "证书编号未识别，无法查重")
    problems: list[str] = []
    unknown: list[str] = []
    notes: list[str] = []
    claims = ctx.registries.claims
    if claims is None:
        unknown.append("缺少 claims.csv，未与已发放补贴比对")
    else:
        for n in numbers:
            for row in claims.by_number(n):
                paid = f"于 {row.paid_date} " if row.paid_date else ""
                problems.append(f"证书编号 {n} 已{paid}领取补贴（claims.csv 第 {row.line} 行）")
        holder = _id_number(p, ctx, numbers)
        job, lvl = occupation(p.claimed, ctx.policy), level(p.claimed)
        if holder is None:
            notes.append("无身份证号，未按同人同职业比对")
        elif job is None or lvl is None:
            unknown.append("职业或等级未识别，未按同人同职业比对")
        else:
            for row in claims.by_id_number(holder):
                if row.certificate_number in numbers or row.level is None:
                    continue
                if canonical_occupation(row.occupation, ctx.policy) == job and row.level <= lvl:
                    problems.append(
                        f"身份证号 {mask_id(holder)} 已按{row.occupation}"
                        f"{level_label(row.level)}领取补贴（claims.csv 第 {row.line} 行），"
                        f"本次为{level_label(lvl)}")
    for n in numbers:
        others = list(ctx.other_claims(n))
        if others:
            problems.append(f"证书编号 {n} 另由提交 {'、'.join(others)} 申领")
    if problems:
        return result(code, "fail", joined(problems))
    if unknown:
        return result(code, "skipped", joined(unknown))
    suffix = f"（{joined(notes)}）" if notes else ""
    return result(code, "pass", f"证书编号 {'、'.join(numbers)} 未发现重复申领{suffix}")
