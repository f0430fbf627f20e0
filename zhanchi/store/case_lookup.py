"""What rechecks, supplements and the case page ask the store about a stored case.

The pipeline's recheck inputs (which as-of date and policy version decided a packet,
whether a newer registry import arrived), the supplement linker (which case waits
for a packet's certificate) and the review app's case page (who corrected which
field, the last decision, which packet a page image belongs to) ask here, so that
database queries stay in ``store/``. All read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from zhanchi.store.core import StoreCore
from zhanchi.store.schema import (
    STATUS_DONE,
    STATUS_WAITING,
    BatchRow,
    DocumentRow,
    EventRow,
    FieldRow,
    PageRow,
    RegistryImportRow,
    ReviewDecisionRow,
    SubmissionRow,
)


@dataclass(frozen=True)
class CaseOutcome:
    """The case's last decision."""

    decision: str
    reason: str | None
    note: str | None
    reviewer: str
    decided_at: datetime


class CaseLookupMixin(StoreCore):
    """Small read-only questions about stored submissions and registry imports."""

    def batch_as_of(self, submission_pk: int) -> str | None:
        """The ``--as-of`` date (ISO text) of the batch that decided the submission."""
        with self.reader("recheck_as_of") as s:
            text = s.scalar(select(BatchRow.as_of).join(
                SubmissionRow, SubmissionRow.batch_id == BatchRow.id)
                .where(SubmissionRow.pk == submission_pk))
        return str(text) if text else None

    def decided_policy_version(self, submission_pk: int) -> str | None:
        """The policy version the pipeline decided the submission under."""
        with self.reader("recheck_policy") as s:
            version = s.scalar(select(SubmissionRow.policy_version)
                               .where(SubmissionRow.pk == submission_pk))
        return str(version) if version else None

    def newest_registry_import_ids(self, kinds: tuple[str, ...]) -> tuple[int, ...]:
        """Per kind, the id of its newest ``zhanchi registry import`` (0: none)."""
        with self.reader("registry_import_ids") as s:
            return tuple(s.scalar(select(RegistryImportRow.id).where(
                RegistryImportRow.kind == k).order_by(
                RegistryImportRow.imported_at.desc(), RegistryImportRow.id.desc()).limit(1))
                or 0 for k in kinds)

    def waiting_cases_for(self, submission_pk: int) -> list[int]:
        """Cases waiting for documents that claim the (decided) submission's certificate,
        newest first; empty when the submission is not decided or names no number."""
        with self.reader("find_waiting_case") as s:
            row = s.get(SubmissionRow, submission_pk)
            if row is None or row.status != STATUS_DONE or not row.certificate_number:
                return []
            return list(s.scalars(select(SubmissionRow.pk).where(
                SubmissionRow.status == STATUS_WAITING,
                SubmissionRow.certificate_number == row.certificate_number,
                SubmissionRow.pk != submission_pk).order_by(SubmissionRow.pk.desc())))

    def edited_fields(self, pks: list[int]) -> dict[tuple[int, int, str], str]:
        """(packet pk, document index, field) → the reviewer who last corrected it."""
        with self.reader("edited_fields") as s:
            rows = s.execute(select(DocumentRow.submission_pk, DocumentRow.document_index,
                                    FieldRow.name, FieldRow.edited_by)
                             .join(FieldRow, FieldRow.document_id == DocumentRow.id)
                             .where(DocumentRow.submission_pk.in_(pks),
                                    FieldRow.edited_by.is_not(None)))
            return {(pk, index, name): str(who) for pk, index, name, who in rows}

    def case_outcome(self, pk: int) -> CaseOutcome | None:
        """The newest decision on the case, with its event's note (``None`` before any)."""
        with self.reader("case_outcome") as s:
            row = s.scalars(select(ReviewDecisionRow)
                            .where(ReviewDecisionRow.submission_pk == pk)
                            .order_by(ReviewDecisionRow.id.desc()).limit(1)).first()
            if row is None:
                return None
            event = s.scalar(select(EventRow.payload).where(
                EventRow.submission_pk == pk, EventRow.kind == "review.decision")
                .order_by(EventRow.id.desc()).limit(1))
        note = None
        if event:
            note = json.loads(event).get("note") or None
        return CaseOutcome(row.decision, row.reason, note, row.reviewer, row.decided_at)

    def image_submission(self, sha256: str) -> int | None:
        """The (first) submission a page image belongs to."""
        with self.reader("image_submission") as s:
            return s.scalar(select(PageRow.submission_pk).where(PageRow.page_sha256 == sha256)
                            .order_by(PageRow.submission_pk).limit(1))
