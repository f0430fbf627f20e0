"""Were the required fields read, well enough, and is the letter signed and fingerprinted?"""

from __future__ import annotations

from zhanchi.checks.context import CheckContext, Packet, flag, raw, result, usable
from zhanchi.checks.labels import doc_label, field_label, joined
from zhanchi.models import Check, Document


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
        absent = [f for f in required_fields(doc, ctx) if raw(doc, f) is None]
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
    conf = ctx.policy.confidence
    for doc in _checked(p):
        for f in required_fields(doc, ctx):
            if raw(doc, f) is None:
                continue  # missing_field's business
            got, need = doc.fields[f].confidence, conf.threshold(doc.type, f)
            if not got >= need:  # NaN counts as low
                problems.append(f"{doc_label(doc)}{field_label(f)} 置信度 {got:.2f} < {need:.2f}")
    if problems:
        return result(code, "fail", "识别置信度偏低：" + joined(problems))
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
