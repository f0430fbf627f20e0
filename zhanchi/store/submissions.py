"""Batches and submission identity: find, number revisions, claim exactly once.

SPEC §1: a submission is its id plus the hash of its content. The same pair is never
processed twice (it is found and skipped); changed content under the same id is the
next revision. Two runs over one inbox never process the same pair at once: a run
*claims* it by inserting a ``processing`` row, and the unique constraints decide the
race. A claim left by a killed run is taken over (see :mod:`zhanchi.store.owner`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError
from zhanchi.models import Submission
from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.owner import current_owner, owner_alive
from zhanchi.store.schema_pipeline import (
    STATUS_DONE,
    STATUS_PROCESSING,
    BatchRow,
    SourceFileRow,
    SubmissionRow,
)
from zhanchi.store.types import as_utc, utcnow

DEFAULT_STALE_AFTER = timedelta(minutes=30)
_CLAIM_ATTEMPTS = 10


@dataclass(frozen=True)
class Claim:
    """A run's right to process one (submission id, content): pass it to ``save_result``."""

    pk: int
    submission_id: str
    revision: int
    content_sha256: str
    batch_id: str
    taken_over: bool = False  # True when a dead run's claim was taken over


@dataclass(frozen=True)
class StoredSubmission:
    """A submission row as the pipeline needs it (no personal data)."""

    pk: int
    submission_id: str
    revision: int
    content_sha256: str
    status: str
    route: str | None
    batch_id: str | None
    received_at: datetime
    decided_at: datetime | None
    result_json: str | None  # the exact results.jsonl line once decided

    @classmethod
    def of(cls, row: SubmissionRow) -> StoredSubmission:
        return cls(row.pk, row.submission_id, row.revision, row.content_sha256, row.status,
                   row.route, row.batch_id, row.received_at, row.decided_at, row.result_json)


class _ClaimConflict(Exception):
    """Another run inserted a conflicting row first: retry in a new transaction."""


class SubmissionsMixin(StoreCore):
    """Batches, identity and claims."""

    def start_batch(self, inbox: str, *, as_of: str | None = None,
                    options: Mapping[str, Any] | None = None,
                    batch_id: str | None = None, actor: str = "pipeline") -> str:
        """Record the start of a run (``batch_id`` may be a Prefect flow-run id); returns its id."""
        batch_id = batch_id or uuid.uuid4().hex
        with self.transaction("start_batch") as s:
            s.add(BatchRow(id=batch_id, owner=current_owner(), inbox=str(inbox), as_of=as_of,
                           options=dict(options or {})))
            s.flush()
            append_event(s, "batch.started", actor, {"batch_id": batch_id, "as_of": as_of})
        return batch_id

    def touch_batch(self, batch_id: str) -> None:
        """Heartbeat: keeps a long run's claims from looking abandoned to other hosts."""
        with self.transaction("touch_batch") as s:
            self._batch(s, batch_id).heartbeat_at = utcnow()

    def finish_batch(self, batch_id: str, *, actor: str = "pipeline",
                     summary: Mapping[str, Any] | None = None) -> None:
        """Record the end of a run; its unfinished claims become free to take over."""
        with self.transaction("finish_batch") as s:
            batch = self._batch(s, batch_id)
            batch.finished_at = batch.heartbeat_at = utcnow()
            append_event(s, "batch.finished", actor, {"batch_id": batch_id, **(summary or {})})

    def find_submission(self, submission_id: str, content_sha256: str) -> StoredSubmission | None:
        """The stored (id, content) pair, whatever its status, or None."""
        with self.reader("find_submission") as s:
            row = s.scalars(select(SubmissionRow).where(
                SubmissionRow.submission_id == submission_id,
                SubmissionRow.content_sha256 == content_sha256)).one_or_none()
            return StoredSubmission.of(row) if row else None

    def get_submission(self, pk: int) -> StoredSubmission | None:
        """A submission by its primary key."""
        with self.reader("get_submission") as s:
            row = s.get(SubmissionRow, pk)
            return StoredSubmission.of(row) if row else None

    def revisions(self, submission_id: str) -> list[StoredSubmission]:
        """Every stored revision of a submission id, oldest first."""
        with self.reader("revisions") as s:
            rows = s.scalars(select(SubmissionRow).where(
                SubmissionRow.submission_id == submission_id).order_by(SubmissionRow.revision))
            return [StoredSubmission.of(r) for r in rows]

    def newest_decided(self, submission_ids: list[str] | None = None) -> list[int]:
        """Primary keys of the newest revision of each id, where that revision is ``done``
        (decided by the pipeline, no reviewer closed it); ids in order. ``zhanchi recheck``."""
        newest = select(SubmissionRow.submission_id,
                        func.max(SubmissionRow.revision).label("rev")) \
            .group_by(SubmissionRow.submission_id).subquery()
        query = select(SubmissionRow.pk).join(
            newest, (SubmissionRow.submission_id == newest.c.submission_id)
            & (SubmissionRow.revision == newest.c.rev)) \
            .where(SubmissionRow.status == STATUS_DONE).order_by(SubmissionRow.submission_id)
        if submission_ids:
            query = query.where(SubmissionRow.submission_id.in_(submission_ids))
        with self.reader("recheck_targets") as s:
            return list(s.scalars(query))

    def next_revision(self, submission_id: str) -> int:
        """1 for a new id, else one more than the highest stored (or claimed) revision."""
        with self.reader("next_revision") as s:
            return _next_revision(s, submission_id)

    def claim_submission(self, submission: Submission, batch_id: str, *,
                         stale_after: timedelta = DEFAULT_STALE_AFTER) -> Claim | None:
        """Atomically claim (id, content) for ``batch_id``; None if done or claimed by a live run.

        A new pair gets the next revision and its source files are recorded. A pair
        left ``processing`` by a dead run (or a finished batch) is taken over.
        """
        for _ in range(_CLAIM_ATTEMPTS):
            try:
                with self.transaction("claim_submission") as s:
                    return self._claim_once(s, submission, batch_id, stale_after)
            except _ClaimConflict:
                continue  # a concurrent run won the insert: look again
        raise StoreError(f"could not claim submission {submission.submission_id}: "
                         f"{_CLAIM_ATTEMPTS} conflicting attempts")

    def release_claim(self, claim: Claim) -> bool:
        """Give a claim up (the run failed on it) so a later run processes it; True if released."""
        with self.transaction("release_claim") as s:
            row = s.get(SubmissionRow, claim.pk, with_for_update=True)
            if row is None or row.status != STATUS_PROCESSING or row.batch_id != claim.batch_id:
                return False
            s.execute(delete(SourceFileRow).where(SourceFileRow.submission_pk == claim.pk))
            s.delete(row)
            return True

    # -- internals ---------------------------------------------------------------------

    def _batch(self, s: Session, batch_id: str) -> BatchRow:
        batch = s.get(BatchRow, batch_id, with_for_update=True)
        if batch is None:
            raise StoreError(f"unknown batch {batch_id}: call start_batch first")
        return batch

    def _claim_once(self, s: Session, sub: Submission, batch_id: str,
                    stale_after: timedelta) -> Claim | None:
        now = utcnow()
        self._batch(s, batch_id).heartbeat_at = now
        row = s.scalars(select(SubmissionRow).where(
            SubmissionRow.submission_id == sub.submission_id,
            SubmissionRow.content_sha256 == sub.content_sha256).with_for_update()).one_or_none()
        if row is not None:
            if row.status != STATUS_PROCESSING:
                return None  # decided already: the caller skips it
            if row.batch_id != batch_id and not self._abandoned(s, row, now, stale_after):
                return None  # a live run is on it
            taken_over = row.batch_id != batch_id
            row.batch_id, row.claimed_at = batch_id, now
            return Claim(row.pk, row.submission_id, row.revision, row.content_sha256, batch_id,
                         taken_over)
        row = SubmissionRow(
            submission_id=sub.submission_id, revision=_next_revision(s, sub.submission_id),
            content_sha256=sub.content_sha256, received_at=as_utc(sub.received_at),
            batch_id=batch_id, status=STATUS_PROCESSING, reasons=[], claimed_at=now)
        s.add(row)
        try:
            s.flush()
        except IntegrityError:
            raise _ClaimConflict() from None
        s.add_all(SourceFileRow(submission_pk=row.pk, path=f.path, sha256=f.sha256, size=f.size)
                  for f in sub.files)
        return Claim(row.pk, row.submission_id, row.revision, row.content_sha256, batch_id)

    @staticmethod
    def _abandoned(s: Session, row: SubmissionRow, now: datetime, stale_after: timedelta) -> bool:
        owner = s.get(BatchRow, row.batch_id) if row.batch_id else None
        if owner is None or owner.finished_at is not None:
            return True
        alive = owner_alive(owner.owner)
        if alive is not None:
            return not alive
        return owner.heartbeat_at < now - stale_after


def _next_revision(s: Session, submission_id: str) -> int:
    top = s.scalar(select(func.max(SubmissionRow.revision)).where(
        SubmissionRow.submission_id == submission_id))
    return (top or 0) + 1
