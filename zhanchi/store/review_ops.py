"""Changes after the pipeline's decision: re-run checks, field corrections, case status.

Each change and its event are written in one transaction, so the case history (the
event log) always matches the stored state. Used by ``zhanchi recheck`` and the
review app; the stored results.jsonl line always stays the pipeline's original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError
from zhanchi.models import Check, FieldValue
from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.result_rows import write_checks
from zhanchi.store.schema_pipeline import SUBMISSION_STATUSES, DocumentRow, FieldRow, SubmissionRow
from zhanchi.store.types import utcnow


def _submission(s: Session, pk: int) -> SubmissionRow:
    row = s.get(SubmissionRow, pk, with_for_update=True)
    if row is None:
        raise StoreError(f"no submission with pk {pk}")
    return row


class ReviewOpsMixin(StoreCore):
    """Rechecks, field edits and status changes, each with its event."""

    def add_check_run(self, submission_pk: int, checks: list[Check], *, actor: str,
                      policy_version: str | None, kind: str = "pipeline.recheck",
                      payload: Mapping[str, Any] | None = None) -> int:
        """Record re-run checks beside the old ones and make their route current
        (a held packet stays ``review`` until decided).

        Used by ``zhanchi recheck`` and by the review app after a field edit; the stored
        results.jsonl line stays the pipeline's original. Returns the run number.
        """
        reasons = sorted({c.code for c in checks if c.status == "fail"})
        with self.transaction("add_check_run") as s:
            row = _submission(s, submission_pk)
            # A recheck may send a packet to review, never take one out: a held case
            # stays held until a reviewer decides it, whatever the checks now say.
            route = "review" if reasons or row.route == "review" else "pass"
            run = write_checks(s, submission_pk, checks, policy_version)
            row.route, row.reasons = route, reasons
            append_event(s, kind, actor, {**(payload or {}), "run": run, "route": route,
                                          "reasons": reasons, "policy": policy_version},
                         submission_pk)
        return run

    def edit_field(self, submission_pk: int, document_index: int, name: str,
                   value: FieldValue, *, actor: str) -> None:
        """A reviewer's correction of one field, recorded with its old and new value."""
        with self.transaction("edit_field") as s:
            doc = s.scalars(select(DocumentRow).where(
                DocumentRow.submission_pk == submission_pk,
                DocumentRow.document_index == document_index)).one_or_none()
            if doc is None:
                raise StoreError(f"submission {submission_pk} has no document {document_index}")
            field = s.scalars(select(FieldRow).where(FieldRow.document_id == doc.id,
                                                     FieldRow.name == name)).one_or_none()
            old = field.value if field else None
            if field is None:  # a field the pipeline did not find, typed in by the reviewer
                field = FieldRow(document_id=doc.id, name=name, raw=None, confidence=1.0,
                                 page=1, bbox=None, extra={})
                s.add(field)
            field.value, field.confidence = value, 1.0
            if field.extra and "illegible" in field.extra:  # read by a person now
                field.extra = {k: v for k, v in field.extra.items() if k != "illegible"}
            field.edited_by, field.edited_at = actor, utcnow()
            append_event(s, "review.field_edit", actor, {
                "document_index": document_index, "field": name, "from": old, "to": value},
                submission_pk)

    def set_status(self, submission_pk: int, status: str, *, actor: str, kind: str,
                   payload: Mapping[str, Any] | None = None) -> None:
        """Change a case's status (waiting, approved, …) with its event, atomically."""
        if status not in SUBMISSION_STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.transaction("set_status") as s:
            row = _submission(s, submission_pk)
            old, row.status = row.status, status
            append_event(s, kind, actor, {**(payload or {}), "from": old, "to": status},
                         submission_pk)
