"""Comparison with the agencies' reports of certified people (信息比对), and registry presence."""

from __future__ import annotations

from zhanchi.checks.agency import needs_agencies
from zhanchi.checks.context import (
    CheckContext,
    Packet,
    canonical_occupation,
    day,
    doc_label,
    field_label,
    flag,
    level,
    level_label,
    mask_id,
    name,
    number,
    occupation,
    result,
)
from zhanchi.checks.entitlement import needs_claims
from zhanchi.models import Check, Document
from zhanchi.registry import CertificateRow


def _carried(doc: Document, ctx: CheckContext) -> dict[str, object]:
    """The registry-comparable values ``doc`` carries, keyed by certificates.csv column."""
    if doc.type == "commitment_letter":
        values: dict[str, object | None] = {
            # the signer claims to be the holder; an unsigned letter names nobody
            "holder_name": name(doc, "signer_name") if flag(doc, "has_signature") is not False
            else None,
            "occupation": occupation(doc, ctx.policy),
            "level": level(doc),
        }
    else:
        values = {
            "holder_name": name(doc, "holder_name"),
            "id_number": number(doc, "id_number"),
            "occupation": occupation(doc, ctx.policy),
            "level": level(doc),
            "issue_date": day(doc, "issue_date"),
        }
    return {k: v for k, v in values.items() if v is not None}


def row_value(row: CertificateRow, column: str, ctx: CheckContext) -> object | None:
    """A certificates.csv cell in the form the checks compare (rows are normalised when
    loaded; occupations map old names to current ones); None when empty."""
    if column == "occupation":
        return canonical_occupation(row.occupation, ctx.policy)
    value = getattr(row, column)
    return value if value != "" else None


def _show(column: str, value: object) -> str:
    if column == "id_number":
        return mask_id(str(value))
    if column == "level" and isinstance(value, int):
        return level_label(value)
    return str(value)


def _differences(row: CertificateRow, ours: dict[str, object], ctx: CheckContext) -> list[str]:
    out = []
    for column, value in ours.items():
        theirs = row_value(row, column, ctx)
        if theirs is not None and theirs != value:
            out.append(f"{field_label(column)} 材料为 {_show(column, value)}，"
                       f"名录为 {_show(column, theirs)}")
    return out


def certificate_not_in_registry(p: Packet, ctx: CheckContext) -> Check:
    code = "certificate_not_in_registry"
    doc = p.claimed
    if doc is None:
        return result(code, "skipped", "没有证书和承诺书，无法与获证人员名录比对")
    where = doc_label(doc)
    value = number(doc, "certificate_number")
    if value is None:
        return result(code, "skipped", f"{where}所载证书编号(certificate_number) 未识别，无法比对")
    registry = ctx.registries.certificates
    if registry is None:
        return result(code, "skipped", "缺少 certificates.csv，无法与获证人员名录比对")
    rows = registry.lookup(value)
    if not rows:
        return result(code, "fail", f"{where}所载证书编号 {value} 不在获证人员名录（certificates.csv）中")
    ours = _carried(doc, ctx)
    diffs = [_differences(row, ours, ctx) for row in rows]
    if any(not d for d in diffs):
        compared = "、".join(field_label(c) for c in ours) or "仅编号"
        return result(code, "pass", f"证书编号 {value} 在获证人员名录中，{compared} 一致")
    return result(code, "fail", f"{where}与获证人员名录（certificates.csv 第 {rows[0].line} 行）"
                  f"不一致：{'；'.join(diffs[0])}")


def needs_certificates(p: Packet) -> bool:
    """certificate_not_in_registry has a number to look up."""
    return number(p.claimed, "certificate_number") is not None


def registry_unavailable(p: Packet, ctx: CheckContext) -> Check:
    """A registry file is absent although a check had everything else it needed."""
    code = "registry_unavailable"
    needed = {
        "agencies.csv": needs_agencies(p, ctx),
        "certificates.csv": needs_certificates(p),
        "claims.csv": needs_claims(p),
    }
    absent = set(ctx.registries.missing())
    missing = [n for n, need in needed.items() if need and n in absent]
    if missing:
        return result(code, "fail", f"缺少参照名录 {'、'.join(missing)}，相关检查未能进行")
    unused = sorted(absent - set(missing))
    note = f"（{'、'.join(unused)} 缺失，但本件无需使用）" if unused else ""
    used = [n for n, need in needed.items() if need]
    return result(code, "pass", f"所需参照名录齐全：{'、'.join(used) or '无'}{note}")
