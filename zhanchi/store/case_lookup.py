"""What rechecks and supplements ask the store about a stored case (read-only).

The pipeline's recheck inputs (which as-of date and policy version decided a packet,
whether a newer registry import arrived) and the supplement linker (which case waits
for a packet's certificate) ask here, so that database queries stay in ``store/``.
"""

from __future__ import annotations

from sqlalchemy import select

from zhanchi.store.core import StoreCore
from zhanchi.store.schema import (
    STATUS_DONE,
    STATUS_WAITING,
    BatchRow,
    RegistryImportRow,
    SubmissionRow,
)


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
