"""Everything the case view shows, gathered from the store into plain objects.

A *case* is a packet routed to review plus any supplement packets linked into it.
Its documents are shown packet by packet (each field editable where it was read);
its checks are the newest run recorded on the case's own packet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from zhanchi.models import Check, Document
from zhanchi.policy import Policy
from zhanchi.review.history import HistoryEntry, case_history
from zhanchi.review.labels import (
    FIELD_ORDER,
    REASON_LABELS,
    cn_date,
    doc_label,
    field_label,
    value_text,
)
from zhanchi.store import StoredSubmission
from zhanchi.store.case_state import Part
from zhanchi.store.review_queries import CaseLock, ReviewStore


@dataclass(frozen=True)
class PageView:
    """A stored page image of a document, by hash."""

    anchor: str
    sha256: str
    width: int
    height: int
    number: int
    file: str
    page: int


@dataclass(frozen=True)
class FieldView:
    """One field as the reviewer sees and edits it; ``box`` is in percent of its page."""

    key: str
    submission_pk: int
    document_index: int
    name: str
    label: str
    value: object
    display: str
    input_value: str
    confidence: float | None
    low: bool
    missing: bool
    required: bool
    page_anchor: str | None
    box: tuple[float, float, float, float] | None
    edited_by: str | None
    raw: str | None


@dataclass(frozen=True)
class DocumentView:
    """A document of one packet: its pages and its fields in form order."""

    submission_pk: int
    index: int
    type: str
    label: str
    pages: list[PageView]
    fields: list[FieldView]


@dataclass(frozen=True)
class PacketView:
    """One packet of the case (the first is the case's own)."""

    pk: int
    submission_id: str
    revision: int
    received_at: datetime
    supplement: bool
    documents: list[DocumentView]


@dataclass(frozen=True)
class CheckView:
    """A check of the newest run, with its status in the run before (to show changes)."""

    code: str
    label: str
    status: str
    message: str
    before: str | None
    fields: tuple[tuple[str, str], ...] = ()  # (field key, "承诺书·手印") the message names

    @property
    def changed(self) -> bool:
        return self.before is not None and self.before != self.status


@dataclass
class CaseView:
    """The whole case page."""

    sub: StoredSubmission
    packets: list[PacketView]
    checks: list[CheckView]
    run: int
    lock: CaseLock | None
    history: list[HistoryEntry]
    case_of: int | None
    fields: list[FieldView] = field(default_factory=list)

    @property
    def failed(self) -> list[CheckView]:
        return [c for c in self.checks if c.status == "fail"]


def load_parts(store: ReviewStore, case_pk: int,
               case_sub: StoredSubmission | None = None) -> list[Part]:
    """The case's own packet and its supplements, with their documents as stored now
    (``case_sub``: the case's own submission, when the caller has just read it)."""
    parts = []
    for pk in [case_pk, *store.supplements_of(case_pk)]:
        sub = case_sub if case_sub is not None and pk == case_pk else store.get_submission(pk)
        if sub is not None:
            parts.append(Part(pk, sub.submission_id, sub.revision, sub.content_sha256,
                              store.documents(pk)))
    return parts


def _box(bbox: list[int] | None, page: PageView | None) -> tuple[float, float, float, float] | None:
    if not bbox or page is None or page.width <= 0 or page.height <= 0 or len(bbox) != 4:
        return None
    x0, y0, x1, y1 = bbox
    return (round(100 * x0 / page.width, 3), round(100 * y0 / page.height, 3),
            round(100 * max(0, x1 - x0) / page.width, 3),
            round(100 * max(0, y1 - y0) / page.height, 3))


def _input_value(name: str, value: object) -> str:
    """What the field's input holds: dates the way reviewers write them (parsed back on save)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name.endswith("_date") and isinstance(value, str):
        return cn_date(value)
    return str(value)


def document_view(pk: int, index: int, doc: Document, policy: Policy,
                  edited: Mapping[tuple[int, int, str], str]) -> DocumentView:
    """Pages and fields of one document (missing form fields shown empty, to fill in)."""
    pages = [PageView(f"p{pk}-{index}-{n}", ref.page_sha256, ref.width, ref.height, n, ref.file,
                      ref.page) for n, ref in enumerate(doc.pages, start=1) if ref.page_sha256]
    by_number = {p.number: p for p in pages}
    required = set(policy.required_fields.get(doc.type, ()))
    names = list(FIELD_ORDER.get(doc.type, ())) + [n for n in doc.fields
                                                    if n not in FIELD_ORDER.get(doc.type, ())]
    fields = []
    for name in names:
        f = doc.fields.get(name)
        page = by_number.get(f.page) if f else None
        value = f.value if f else None
        conf = f.confidence if f else None
        low = f is not None and conf is not None and name in required and \
            conf < policy.confidence.threshold(doc.type, name)
        fields.append(FieldView(
            key=f"f{pk}-{index}-{name}", submission_pk=pk, document_index=index, name=name,
            label=field_label(name), value=value, display=value_text(name, value),
            input_value=_input_value(name, value),
            confidence=conf, low=low, missing=f is None, required=name in required,
            page_anchor=page.anchor if page else None, box=_box(f.bbox if f else None, page),
            edited_by=edited.get((pk, index, name)),
            raw=f.raw if f else None))
    return DocumentView(pk, index, doc.type, doc_label(doc.type), pages, fields)


def check_views(latest: list[Check], before: list[Check]) -> list[CheckView]:
    """Failed first, then skipped, then passed; each with its previous status."""
    previous = {c.code: c.status for c in before}
    order = {"fail": 0, "skipped": 1, "pass": 2}
    views = [CheckView(c.code, REASON_LABELS.get(c.code, c.code), c.status, c.message,
                       previous.get(c.code)) for c in latest]
    return sorted(views, key=lambda v: order.get(v.status, 3))


def load_case(store: ReviewStore, case_pk: int, parts: list[Part], policy: Policy,
              sub: StoredSubmission, *, case_of: int | None) -> CaseView:
    """The case page's data (the submission must exist; ``case_of``: the case this
    packet was merged into, as the caller read it)."""
    packets: list[PacketView] = []
    doc_types: dict[tuple[int | None, int], str] = {}
    names: dict[int, str] = {}
    edited = store.edited_fields([p.pk for p in parts])
    for n, part in enumerate(parts):
        stored = sub if part.pk == case_pk else store.get_submission(part.pk)
        docs = [document_view(part.pk, i, d, policy, edited)
                for i, d in enumerate(part.documents)]
        packets.append(PacketView(part.pk, part.submission_id, part.revision,
                                  stored.received_at if stored else sub.received_at, n > 0, docs))
        names[part.pk] = f"{part.submission_id}（第{part.revision}版）"
        doc_types.update({(part.pk, i): d.type for i, d in enumerate(part.documents)})
    run, latest = store.checks(case_pk)
    _, before = store.checks(case_pk, run - 1) if run > 1 else (0, [])
    events = [e for part in parts for e in store.history(part.pk)]
    view = CaseView(sub=sub, packets=packets, checks=check_views(latest, before), run=run,
                    lock=store.case_lock(case_pk),
                    history=case_history(events, doc_types, names),
                    case_of=case_of)
    view.fields = [f for p in packets for d in p.documents for f in d.fields]
    view.checks = [replace(c, fields=named_fields(c.message, packets)) if c.status != "pass"
                   else c for c in view.checks]
    return view


_FIELD_NAME = re.compile(r"\(([a-z_]+)\)")


def named_fields(message: str, packets: list[PacketView]) -> tuple[tuple[str, str], ...]:
    """The fields a check message names (``承诺书手印(has_fingerprint)``), to jump to them.

    Messages name a field by its SPEC name in brackets after the document's label;
    when the label is not in the message every document's field of that name is given.
    """
    names = dict.fromkeys(_FIELD_NAME.findall(message))
    everything = [(d, f) for p in packets for d in p.documents for f in d.fields]
    out: list[tuple[str, str]] = []
    for name in names:
        found = [(d, f) for d, f in everything if f.name == name]
        named = [(d, f) for d, f in found if d.label in message] or found
        out += [(f.key, f"{d.label}·{f.label}") for d, f in named]
    # some messages name a field only in words: 承诺书考核鉴定机构 …
    out += [(f.key, f"{d.label}·{f.label}") for d, f in everything
            if f"{d.label}{f.label}" in message]
    return tuple(dict.fromkeys(out))
