"""The words and dates reviewers read: Chinese labels for codes, and date formats.

Field and document labels, and the order of a type's fields, come from the declared
document types (:mod:`zhanchi.doctypes`), as the checks' messages do, so a check
message and the case view name a field the same way. Dates are shown in China
Standard Time (UTC+8, no daylight saving) as ``2021年3月5日``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from zhanchi.checks.context import LEVEL_LABELS
from zhanchi.doctypes import DOC_LABELS, FIELD_LABELS, FIELD_ORDER

CST = timezone(timedelta(hours=8), "CST")

REASON_LABELS: dict[str, str] = {
    "missing_commitment_letter": "缺少承诺书",
    "missing_certificate": "缺少证书",
    "unreadable_page": "页面无法读取",
    "registry_unavailable": "缺少比对名单",
    "multiple_claims": "一份材料多项申领",
    "missing_field": "必填项未识别",
    "low_confidence": "识别置信度低",
    "invalid_certificate_number": "证书编号格式错误",
    "invalid_id_number": "身份证号无效",
    "invalid_location": "考试地点无效",
    "certificate_number_mismatch": "证书编号不一致",
    "occupation_mismatch": "职业不一致",
    "level_mismatch": "等级不一致",
    "name_mismatch": "姓名不一致",
    "date_inconsistent": "日期矛盾",
    "agency_not_filed": "鉴定机构未备案",
    "out_of_province_proof_missing": "缺少省外备案证明",
    "certificate_not_in_registry": "证书信息比对不符",
    "duplicate_claim": "重复申领",
    "signature_missing": "缺少签字",
    "fingerprint_missing": "缺少手印",
    "level_not_eligible": "等级不在补贴范围",
    "application_window_expired": "超过申请期限",
    "exited_qualification": "已退出目录的职业资格",
}

STATUS_LABELS = {"processing": "处理中", "done": "待审核", "waiting": "等待补充材料",
                 "approved": "已批准", "rejected": "已驳回"}
DECISION_LABELS = {"approve": "批准", "reject": "驳回", "request_documents": "要求补充材料",
                   "pipeline_pass": "自动通过"}
ROLE_LABELS = {"reviewer": "审核员", "supervisor": "主管"}
CHECK_STATUS_LABELS = {"pass": "通过", "fail": "未通过", "skipped": "未检查"}

__all__ = [
    "CHECK_STATUS_LABELS", "CST", "DECISION_LABELS", "DOC_LABELS", "FIELD_LABELS",
    "FIELD_ORDER", "LEVEL_LABELS", "REASON_LABELS", "ROLE_LABELS", "STATUS_LABELS",
    "cn_date", "cn_datetime", "doc_label", "field_label", "local_date", "reason_label",
    "value_text", "waited",
]


def reason_label(code: str) -> str:
    """``缺少手印`` for ``fingerprint_missing`` (the code itself when unknown)."""
    return REASON_LABELS.get(code, code)


def field_label(name: str) -> str:
    """``考试日期`` for ``exam_date``."""
    return FIELD_LABELS.get(name, name)


def doc_label(doc_type: str) -> str:
    """``承诺书`` for ``commitment_letter``."""
    return DOC_LABELS.get(doc_type, doc_type)


def local_date(value: datetime) -> date:
    """The calendar day of an instant in China Standard Time."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(CST).date()


def cn_date(value: date | datetime | str | None) -> str:
    """``2021年3月5日`` (an ISO text is parsed; anything unreadable is shown as given).

    >>> cn_date("2021-03-05"), cn_date(date(2020, 12, 31))
    ('2021年3月5日', '2020年12月31日')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    elif isinstance(value, datetime):
        day = local_date(value)
    else:
        day = value
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: datetime | str | None) -> str:
    """``2021年3月5日 14:05`` in China Standard Time."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        moment = value
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(CST)
    return f"{cn_date(local.date())} {local:%H:%M}"


def waited(since: datetime, now: datetime) -> str:
    """How long a packet has waited: ``3天``, ``5小时``, ``12分钟``.

    >>> waited(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 4, 2, tzinfo=UTC))
    '3天'
    """
    seconds = max(0, int((now - since).total_seconds()))
    if seconds >= 86400:
        return f"{seconds // 86400}天"
    if seconds >= 3600:
        return f"{seconds // 3600}小时"
    return f"{seconds // 60}分钟"


def value_text(name: str, value: object) -> str:
    """A field value as a reviewer reads it: dates in Chinese, levels named, 是/否."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "level" and isinstance(value, int):
        return f"{value}（{LEVEL_LABELS.get(value, '?')}）"
    if name.endswith("_date") and isinstance(value, str):
        return cn_date(value)
    return str(value)
