"""Is the packet complete, about one claim, and were its fields read well enough?

Letter and certificate present, pages readable, one claim per packet; the required
fields of every document present, in normal form and above the confidence threshold;
the letter signed and fingerprinted.
"""

from __future__ import annotations

from zhanchi.checks.context import (
    CheckContext,
    Packet,
    day,
    doc_label,
    field_label,
    flag,
    illegible,
    joined,
    level,
    name,
    number,
    raw,
    result,
    usable,
)
from zhanchi.checks.corroboration import confirmed_by
from zhanchi.models import Check, Document

_HINT_UNREADABLE = "（另有无法读取的页面，可能即在其中）"


def missing_commitment_letter(p: Packet, ctx: CheckContext) -> Check:
    code = "missing_commitment_letter"
    if p.letter is not None:
        return result(code, "pass", f"承诺书：{len(p.letters)} 份")
    hint = _HINT_UNREADABLE if ctx.unreadable else ""
    return result(code, "fail", f"材料中没有承诺书{hint}")


def missing_certificate(p: Packet, ctx: CheckContext) -> Check:
    code = "missing_certificate"
    if p.certificate is not None:
        return result(code, "pass", f"证书：{doc_label(p.certificate)}")
    hint = _HINT_UNREADABLE if ctx.unreadable else ""
    return result(code, "fail", f"材料中没有职业技能等级证书或职业资格证书{hint}")


def unreadable_page(p: Packet, ctx: CheckContext) -> Check:
    code = "unreadable_page"
    if not ctx.unreadable:
        return result(code, "pass", "所有文件和页面均可读取")
    shown = ctx.unreadable[:5]
    more = f" 等 {len(ctx.unreadable)} 处" if len(ctx.unreadable) > len(shown) else ""
    return result(code, "fail", f"无法读取：{joined(shown)}{more}")


# Fields that identify what a document claims. Two documents of one kind are the
# same claim when every key field both carry agrees (a re-scan, a photo of the same
# page); one disagreement makes them two claims.
_LETTER_KEYS = ("certificate_number", "signer_name", "occupation", "level", "exam_date")
_CERT_KEYS = ("certificate_number", "holder_name", "id_number", "occupation", "level",
              "issue_date")


def _key(doc: Document, field: str) -> object | None:
    if field in ("certificate_number", "id_number"):
        return number(doc, field)
    if field == "level":
        return level(doc)
    if field.endswith("_date"):
        return day(doc, field)
    return name(doc, field)


def _differ(a: Document, b: Document, keys: tuple[str, ...]) -> list[str]:
    if a.type != b.type:
        return ["证书类型"]
    out = []
    for field in keys:
        va, vb = _key(a, field), _key(b, field)
        if va is not None and vb is not None and va != vb:
            out.append(field_label(field))
    return out


def _distinct(docs: list[Document], keys: tuple[str, ...]) -> list[str]:
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            diff = _differ(a, b, keys)
            if diff:
                return diff
    return []


def multiple_claims(p: Packet, ctx: CheckContext) -> Check:
    code = "multiple_claims"
    problems = []
    letter_diff = _distinct(p.letters, _LETTER_KEYS)
    if letter_diff:
        problems.append(f"{len(p.letters)} 份承诺书内容不同（{'、'.join(letter_diff)}）")
    cert_diff = _distinct(p.certificates, _CERT_KEYS)
    if cert_diff:
        problems.append(f"{len(p.certificates)} 份证书内容不同（{'、'.join(cert_diff)}）")
    if problems:
        return result(code, "fail", "一份材料含多项申领：" + joined(problems))
    return result(code, "pass", "材料只涉及一项申领")


def required_fields(doc: Document, ctx: CheckContext) -> tuple[str, ...]:
    """The policy's required fields for this document.

    An unsigned letter has no signer name to read: that is ``signature_missing``,
    not ``missing_field`` (SPEC §5).
    """
    fields = ctx.policy.required_fields.get(doc.type, ())
    if doc.type == "commitment_letter" and flag(doc, "has_signature") is False:
        fields = tuple(f for f in fields if f != "signer_name")
    return fields


def _checked(p: Packet) -> list[Document]:
    return [*p.letters, *p.certificates, *p.proofs]


def missing_field(p: Packet, ctx: CheckContext) -> Check:
    code = "missing_field"
    problems = []
    for doc in _checked(p):
        absent = [f for f in required_fields(doc, ctx)
                  if raw(doc, f) is None and not illegible(doc, f)]  # illegible: low_confidence
        malformed = [f for f in required_fields(doc, ctx)
                     if raw(doc, f) is not None and not usable(doc, f)]
        if absent:
            problems.append(f"{doc_label(doc)}缺少 {'、'.join(map(field_label, absent))}")
        for f in malformed:
            problems.append(f"{doc_label(doc)}{field_label(f)} 的值 {raw(doc, f)!r} 不是规范格式")
    if problems:
        return result(code, "fail", joined(problems))
    if not _checked(p):
        return result(code, "pass", "没有需要检查字段的文件")
    return result(code, "pass", "必填字段齐全")


def low_confidence(p: Packet, ctx: CheckContext) -> Check:
    code = "low_confidence"
    problems = []
    confirmed: list[str] = []
    conf = ctx.policy.confidence
    for doc in _checked(p):
        for f in required_fields(doc, ctx):
            if illegible(doc, f):
                problems.append(f"{doc_label(doc)}{field_label(f)} 处有字迹但无法辨认，请对照原件")
                continue
            if raw(doc, f) is None:
                continue  # missing_field's business
            got, need = doc.fields[f].confidence, conf.threshold(doc.type, f)
            if got >= need:
                continue
            source = confirmed_by(p, ctx, doc, f) if got == got else None  # NaN: never
            if source is not None:
                confirmed.append(f"{doc_label(doc)}{field_label(f)} 置信度 {got:.2f}，与{source}一致")
            else:
                problems.append(f"{doc_label(doc)}{field_label(f)} 置信度 {got:.2f} < {need:.2f}")
    if problems:
        return result(code, "fail", "识别置信度偏低：" + joined(problems))
    if confirmed:
        return result(code, "pass", "必填字段识别置信度达到阈值或已印证：" + joined(confirmed))
    return result(code, "pass", "必填字段识别置信度均达到阈值")


def _mark(p: Packet, code: str, field: str, absent: str) -> Check:
    what = field_label(field)
    if p.letter is None:
        return result(code, "skipped", f"没有承诺书，无法检查{what}")
    value = flag(p.letter, field)
    if value is None:
        return result(code, "skipped", f"承诺书{what} 未识别，无法检查")
    if value:
        return result(code, "pass", f"承诺书有{what}")
    return result(code, "fail", f"{absent}（{field}=false）")


def signature_missing(p: Packet, ctx: CheckContext) -> Check:
    return _mark(p, "signature_missing", "has_signature", "承诺书承诺人处没有手写签字")


def fingerprint_missing(p: Packet, ctx: CheckContext) -> Check:
    return _mark(p, "fingerprint_missing", "has_fingerprint", "承诺书没有手印")
