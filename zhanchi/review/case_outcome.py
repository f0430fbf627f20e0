"""What sits at the top of a decided case, and what the case page may show in full.

A decided case opens with its decision, reason (or note) and who decided when, and,
once exported for payment, when and by whom. The full ID number is for the reviewer
who holds the case; for everyone else the page's ID numbers are masked, in the field,
its OCR text, the history and the check messages.
"""

from __future__ import annotations

from dataclasses import replace

from zhanchi.review.case import CaseView, DocumentView, PacketView
from zhanchi.review.history import HistoryEntry
from zhanchi.review.masking import mask_ids
from zhanchi.store.case_lookup import CaseOutcome
from zhanchi.store.export_ops import ExportMark, export_marks
from zhanchi.store.review_queries import ReviewStore

ID_FIELDS = frozenset({"id_number"})
__all__ = ["CaseOutcome", "case_exported", "case_outcome", "mask_case"]


def case_outcome(store: ReviewStore, pk: int) -> CaseOutcome | None:
    """The newest decision on the case (``None`` before any)."""
    return store.case_outcome(pk)


def case_exported(store: ReviewStore, pk: int) -> ExportMark | None:
    """When and by whom the case was exported for payment (``None``: not yet)."""
    return export_marks(store, [pk]).get(pk)


def _masked_document(doc: DocumentView) -> DocumentView:
    fields = [replace(f, display=mask_ids(f.display), input_value=mask_ids(f.input_value),
                      raw=mask_ids(f.raw) if f.raw else f.raw,
                      value=mask_ids(f.value) if f.name in ID_FIELDS and f.value else f.value)
              for f in doc.fields]
    return replace(doc, fields=fields)


def _masked_entry(h: HistoryEntry) -> HistoryEntry:
    return replace(h, text=mask_ids(h.text),
                   change_from=mask_ids(h.change_from) if h.change_from is not None else None,
                   change_to=mask_ids(h.change_to) if h.change_to is not None else None)


def mask_case(view: CaseView) -> CaseView:
    """The case view with every ID number masked (for anyone but the holder)."""
    packets = [PacketView(p.pk, p.submission_id, p.revision, p.received_at, p.supplement,
                          [_masked_document(d) for d in p.documents]) for p in view.packets]
    out = replace(view, packets=packets, history=[_masked_entry(h) for h in view.history])
    out.fields = [f for p in packets for d in p.documents for f in d.fields]
    return out
