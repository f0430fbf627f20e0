"""Chinese names of documents, fields and levels for check messages reviewers read.

Messages name the field (Chinese label and SPEC field name) and the values involved
so a reviewer can act without opening the raw scan. ID numbers are masked: the full
number is in the document's fields, a message may end up in places with less care.
"""

from __future__ import annotations

from zhanchi.models import Document

DOC_LABELS = {
    "commitment_letter": "承诺书",
    "skill_level_certificate": "职业技能等级证书",
    "qualification_certificate": "职业资格证书",
    "filing_proof": "备案证明",
    "unknown": "其他页面",
}

FIELD_LABELS = {
    "exam_date": "考试日期",
    "exam_province": "考试省份",
    "exam_city": "考试设区市",
    "exam_county": "考试县（市、区）",
    "agency": "考核鉴定机构",
    "occupation": "职业（工种）",
    "certificate_title": "所获证书",
    "level": "等级",
    "certificate_number": "证书编号",
    "signer_name": "承诺人签名",
    "sign_date": "签署日期",
    "has_signature": "签字",
    "has_fingerprint": "手印",
    "holder_name": "持证人姓名",
    "id_number": "身份证号",
    "issuer": "发证机构",
    "issue_date": "发证日期",
    "province": "备案省份",
}

LEVEL_LABELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}


def doc_label(doc: Document | None) -> str:
    return DOC_LABELS.get(doc.type, doc.type) if doc is not None else "证书"


def field_label(name: str) -> str:
    """``考试日期(exam_date)``: Chinese for the reviewer, the SPEC name for tracing."""
    return f"{FIELD_LABELS.get(name, name)}({name})"


def level_label(level: int) -> str:
    return f"{level}（{LEVEL_LABELS.get(level, '?')}）"


def mask_id(id_number: str) -> str:
    """Keep the address code and the last four characters: enough to tell two apart.

    >>> mask_id("36010219900101123X")
    '360102********123X'
    """
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def joined(items: list[str]) -> str:
    return "；".join(items)
