"""A case's event log told in Chinese: who did what, when, and what changed from what to what.

The log itself (hash-chained, append-only) is the store's; this module only reads
it. A case's history covers its own packet and every supplement linked into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from zhanchi.review.labels import (
    DECISION_LABELS,
    cn_datetime,
    doc_label,
    field_label,
    reason_label,
    value_text,
)
from zhanchi.store import Event

ACTOR_LABELS = {"pipeline": "流水线", "system": "系统"}


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the case history."""

    id: int
    when: str
    actor: str
    kind: str
    text: str
    packet: str
    change_from: str | None = None
    change_to: str | None = None
    packet_pk: int | None = None
    count: int = 1  # repeated views folded into one line


def _reasons(codes: Iterable[object] | None) -> str:
    return "、".join(reason_label(str(c)) for c in codes or [])


def _route(payload: Mapping[str, Any]) -> str:
    if payload.get("route") == "pass":
        return "全部通过"
    return f"{len(payload.get('reasons') or [])} 项未通过（{_reasons(payload.get('reasons'))}）"


def describe(event: Event, doc_types: Mapping[tuple[int | None, int], str]) -> tuple[str, str | None, str | None]:
    """The sentence for one event, and the old and new value when it changed a field."""
    p, kind = event.payload, event.kind
    if kind == "pipeline.decision":
        return f"流水线判定：{'直接通过' if p.get('route') == 'pass' else '转人工审核'}" + (
            f"（{_reasons(p.get('reasons'))}）" if p.get("reasons") else ""), None, None
    if kind in ("review.recheck", "pipeline.recheck"):
        why = {"field_edit": "修改字段后", "supplement": "并入补充材料后",
               "duplicate_claim": f"提交 {p.get('by')} 申领同一证书后"}.get(str(p.get("after")), "")
        return f"{why}重新检查：{_route(p)}", None, None
    if kind == "review.field_edit":
        doc = doc_label(doc_types.get((event.submission_pk, int(p.get("document_index", 0))), ""))
        name = str(p.get("field", ""))
        return (f"修改 {doc}·{field_label(name)}", value_text(name, p.get("from")) or "（空）",
                value_text(name, p.get("to")))
    if kind == "review.decision":
        label = DECISION_LABELS.get(str(p.get("decision")), str(p.get("decision")))
        if p.get("case_pk") is not None:
            return f"随案件一并{label}", None, None
        extra = [str(x) for x in (p.get("reason"), p.get("note")) if x]
        return f"决定：{label}" + (f"（{'；'.join(extra)}）" if extra else ""), None, None
    if kind == "review.view":
        return ("查看案件（含完整身份证号）" if p.get("id_number_shown") else "查看案件"), None, None
    if kind == "review.reopen":
        if p.get("case_pk") is not None:
            return "随案件一并重新打开", None, None
        return f"重新打开案件（{p.get('reason')}），回到待审队列", None, None
    if kind == "review.claim":
        if p.get("took_over_from"):
            return f"接手案件（{p['took_over_from']} 超过空闲时限）", None, None
        return "认领案件", None, None
    if kind == "review.release":
        if p.get("forced"):
            return f"解除 {p.get('holder')} 的认领", None, None
        return "释放案件", None, None
    if kind == "review.supplement_linked":
        if p.get("case_pk") is not None:
            return f"作为补充材料并入案件 {p.get('case_id', p['case_pk'])}", None, None
        return (f"补充材料 {p.get('supplement_id')}（第 {p.get('revision')} 版）已并入，"
                "案件回到待审队列"), None, None
    if kind == "claim.recorded":
        source = "审核批准" if p.get("source") == "reviewer_approved" else "自动通过"
        return f"登记申领（{source}），此后重复申领将被发现", None, None
    return kind, None, None


def case_history(events: list[Event], doc_types: Mapping[tuple[int | None, int], str],
                 packet_names: Mapping[int, str]) -> list[HistoryEntry]:
    """History lines, newest first; ``doc_types`` maps (packet pk, document index) → type.

    Repeated views by one reviewer in a row are one line (``查看案件（共 3 次）``): every
    view stays in the log; the history just stays readable.
    """
    out: list[HistoryEntry] = []
    for e in sorted(events, key=lambda e: e.id, reverse=True):
        if e.kind == "review.image_view":
            continue  # each page image served is in the log; the history lists case views
        last = out[-1] if out else None
        if e.kind == "review.view" and last is not None and last.kind == e.kind and \
                last.actor == ACTOR_LABELS.get(e.actor, e.actor) and last.packet_pk == e.submission_pk:
            out[-1] = replace(last, count=last.count + 1)
            continue
        text, old, new = describe(e, doc_types)
        out.append(HistoryEntry(
            id=e.id, when=cn_datetime(e.ts), actor=ACTOR_LABELS.get(e.actor, e.actor), kind=e.kind,
            text=text, packet=packet_names.get(e.submission_pk or 0, ""), change_from=old,
            change_to=new, packet_pk=e.submission_pk))
    return out
