"""Is the packet complete and about one claim? (letter, certificate, readable pages)."""

from __future__ import annotations

from zhanchi.checks.context import CheckContext, Packet, day, level, name, number, result
from zhanchi.checks.labels import doc_label, field_label, joined
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
