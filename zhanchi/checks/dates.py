"""Date rules: the three consistency rules of SPEC §6 and the application window."""

from __future__ import annotations

import calendar
from datetime import date

from zhanchi.checks.context import DATE_FIELDS, CheckContext, Packet, day, result
from zhanchi.checks.labels import doc_label, field_label, joined
from zhanchi.models import Check


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
