"""The writes of case transitions, inside the caller's (already checked) transaction.

Only :class:`zhanchi.store.case_state.CaseTx` calls these: it has locked the case's
row and checked its state, lock and version first. Each write appends its event in
the same transaction, so the case history always matches the stored state.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError
from zhanchi.models import FieldValue
from zhanchi.store.chain import append_event
from zhanchi.store.claims import ClaimKey, insert_recorded_claim
from zhanchi.store.core import rows_affected
from zhanchi.store.schema_audit import CLAIM_SOURCE_REVIEWER, RecordedClaimRow
from zhanchi.store.schema_pipeline import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_REJECTED,
    STATUS_WAITING,
    DocumentRow,
    FieldRow,
    SubmissionRow,
)
from zhanchi.store.schema_review import DECISIONS, ReviewDecisionRow, SubmissionLinkRow
from zhanchi.store.types import utcnow

DECISION_STATUS = {"approve": STATUS_APPROVED, "reject": STATUS_REJECTED,
                   "request_documents": STATUS_WAITING}


def apply_edit(s: Session, packet_pk: int, document_index: int, name: str, value: FieldValue,
               actor: str) -> FieldValue | None:
    """Overwrite one field's value (a reviewer's correction, confidence 1); the old value."""
    doc = s.scalars(select(DocumentRow).where(
        DocumentRow.submission_pk == packet_pk,
        DocumentRow.document_index == document_index)).one_or_none()
    if doc is None:
        raise StoreError(f"submission {packet_pk} has no document {document_index}")
    row = s.scalars(select(FieldRow).where(FieldRow.document_id == doc.id,
                                           FieldRow.name == name)).one_or_none()
    old = row.value if row else None
    if row is None:  # a field the pipeline did not find, typed in by the reviewer
        row = FieldRow(document_id=doc.id, name=name, raw=None, confidence=1.0,
                       page=1, bbox=None, extra={})
        s.add(row)
    # read by a person now: the machine's reading (``raw``) no longer describes the value,
    # and checks that judge the text as read (agency: ``as_read``) must judge this one
    row.value, row.confidence, row.raw = value, 1.0, None
    if row.extra and "illegible" in row.extra:  # read by a person now
        row.extra = {k: v for k, v in row.extra.items() if k != "illegible"}
    row.edited_by, row.edited_at = actor, utcnow()
    append_event(s, "review.field_edit", actor, {
        "document_index": document_index, "field": name, "from": old, "to": value}, packet_pk)
    return old


def decide_in(s: Session, case: SubmissionRow, decision: str, *, reviewer: str,
              reason: str | None, note: str | None, claim_key: ClaimKey | None,
              supplements: Sequence[int], version: int) -> str:
    """Record the decision, its status and event, and the approved claim; the new status.

    Linked supplement packets still open take the same final status (approve / reject).
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    status = DECISION_STATUS[decision]
    s.add(ReviewDecisionRow(submission_pk=case.pk, decision=decision, reason=reason,
                            reviewer=reviewer, decided_at=utcnow()))
    old, case.status = case.status, status
    append_event(s, "review.decision", reviewer, {
        "decision": decision, "reason": reason, "note": note, "from": old, "to": status,
        "supplements": list(supplements), "version": version}, case.pk)
    if decision != "request_documents":
        for spk in supplements:
            other = s.get(SubmissionRow, spk, with_for_update=True)
            if other is not None and other.status == STATUS_DONE:
                other.status = status
                append_event(s, "review.decision", reviewer, {
                    "decision": decision, "case_pk": case.pk, "from": STATUS_DONE,
                    "to": status}, spk)
    if decision == "approve" and claim_key is not None:
        insert_recorded_claim(s, claim_key, case.pk, CLAIM_SOURCE_REVIEWER, reviewer)
    return status


def link_in(s: Session, case: SubmissionRow, supplement_pk: int, actor: str) -> None:
    """Link a packet to the waiting case and put the case back in the queue."""
    supplement = s.get(SubmissionRow, supplement_pk, with_for_update=True)
    if supplement is None or supplement_pk == case.pk:
        raise StoreError(f"cannot link submission {supplement_pk} to case {case.pk}")
    s.add(SubmissionLinkRow(waiting_pk=case.pk, supplement_pk=supplement_pk))
    old, case.status = case.status, STATUS_DONE
    append_event(s, "review.supplement_linked", actor, {
        "supplement_pk": supplement_pk, "supplement_id": supplement.submission_id,
        "revision": supplement.revision, "from": old, "to": STATUS_DONE}, case.pk)
    append_event(s, "review.supplement_linked", actor, {
        "case_pk": case.pk, "case_id": case.submission_id}, supplement_pk)


def reopen_in(s: Session, case: SubmissionRow, supplements: Sequence[int], actor: str,
              reason: str) -> str:
    """Put a decided case back in the queue; its approval's recorded claim is withdrawn.

    Supplements that took the case's final status go back with it. Returns the old status.
    """
    old, case.status = case.status, STATUS_DONE
    withdrawn = rows_affected(s.execute(delete(RecordedClaimRow).where(
        RecordedClaimRow.submission_pk == case.pk,
        RecordedClaimRow.source == CLAIM_SOURCE_REVIEWER)))
    append_event(s, "review.reopen", actor, {
        "reason": reason, "from": old, "to": STATUS_DONE,
        "claim_withdrawn": bool(withdrawn)}, case.pk)
    for spk in supplements:
        other = s.get(SubmissionRow, spk, with_for_update=True)
        if other is not None and old != STATUS_WAITING and other.status == old:
            other.status = STATUS_DONE
            append_event(s, "review.reopen", actor, {"case_pk": case.pk, "from": old,
                                                     "to": STATUS_DONE}, spk)
    return old
