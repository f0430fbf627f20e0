"""The QA sample in the store: straight-through passes drawn for a second look.

A sampled pass keeps its result (``pass``, paid as usual); this table only adds it to
the QA queue. A QA reviewer's verdict — the pass was correct, or the packet should
have been held (with the reason) — is recorded once, as an event in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.schema_feedback import QA_CORRECT, QA_SHOULD_HOLD, QA_VERDICTS, QaSampleRow
from zhanchi.store.schema_pipeline import BatchRow, SubmissionRow
from zhanchi.store.types import utcnow

__all__ = ["QA_CORRECT", "QA_SHOULD_HOLD", "QA_VERDICTS", "QaItem", "add_qa_sample", "qa_counts",
           "qa_item", "qa_items", "record_qa_verdict"]


@dataclass(frozen=True)
class QaItem:
    """One sampled pass as the QA queue lists it (ids and dates only)."""

    submission_pk: int
    submission_id: str
    batch: str
    received_at: datetime | None
    sampled_at: datetime
    verdict: str | None
    reason: str | None
    reviewer: str | None


def add_qa_sample(store: StoreCore, submission_pk: int, *, share: float, draw: float,
                  policy_version: str, actor: str = "pipeline") -> bool:
    """Put a decided pass in the QA queue; False when it was already there."""
    dialect_insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    # RETURNING names the row only when it was inserted (rowcount is not reliable here)
    stmt = dialect_insert(QaSampleRow).values(
        submission_pk=submission_pk, share=share, draw=draw, policy_version=policy_version,
        sampled_at=utcnow()).on_conflict_do_nothing().returning(QaSampleRow.submission_pk)
    with store.transaction("add_qa_sample") as s:
        added = s.execute(stmt).first() is not None
        if added:
            append_event(s, "qa.sampled", actor, {"share": share, "draw": round(draw, 6),
                                                  "policy": policy_version}, submission_pk)
        return added


def qa_items(store: StoreCore, *, open_only: bool = False, limit: int = 200,
             submission_pk: int | None = None) -> list[QaItem]:
    """The QA queue: sampled passes, those still without a verdict first, oldest first."""
    query = (select(QaSampleRow, SubmissionRow.submission_id, SubmissionRow.received_at,
                    BatchRow.started_at)
             .join(SubmissionRow, SubmissionRow.pk == QaSampleRow.submission_pk)
             .outerjoin(BatchRow, BatchRow.id == SubmissionRow.batch_id))
    if open_only:
        query = query.where(QaSampleRow.verdict.is_(None))
    if submission_pk is not None:
        query = query.where(QaSampleRow.submission_pk == submission_pk)
    query = query.order_by(QaSampleRow.verdict.is_not(None), QaSampleRow.sampled_at,
                           QaSampleRow.submission_pk).limit(limit)
    with store.reader("qa_items") as s:
        out = []
        for row, sid, received, started in s.execute(query):
            batch = started.date().isoformat() if started else ""
            out.append(QaItem(row.submission_pk, sid, batch, received, row.sampled_at,
                              row.verdict, row.reason, row.reviewer))
        return out


def qa_item(store: StoreCore, submission_pk: int) -> QaItem | None:
    """The sampled pass ``submission_pk``, or None when it is not in the sample."""
    found = qa_items(store, submission_pk=submission_pk, limit=1)
    return found[0] if found else None


def record_qa_verdict(store: StoreCore, submission_pk: int, verdict: str, *, actor: str,
                      reason: str | None = None) -> None:
    """A QA reviewer's verdict on a sampled pass; each sample gets exactly one."""
    if verdict not in QA_VERDICTS:
        raise ValueError(f"verdict must be one of {QA_VERDICTS}, not {verdict!r}")
    if verdict == QA_SHOULD_HOLD and not (reason or "").strip():
        raise ValueError("a pass that should have been held needs its reason")
    with store.transaction("record_qa_verdict") as s:
        row = s.scalars(select(QaSampleRow).where(QaSampleRow.submission_pk == submission_pk)
                        .with_for_update()).one_or_none()
        if row is None:
            raise ReviewConflictError("not in the QA sample", reason="qa_not_sampled")
        if row.verdict is not None:
            raise ReviewConflictError("this sample already has a verdict", reason="qa_decided")
        row.verdict, row.reason = verdict, (reason or "").strip() or None
        row.reviewer, row.reviewed_at = actor, utcnow()
        append_event(s, "qa.verdict", actor, {"verdict": verdict, "reason": row.reason},
                     submission_pk)


def qa_counts(store: StoreCore) -> tuple[int, int, int]:
    """(sampled, reviewed, judged should-have-been-held) over the whole sample."""
    with store.reader("qa_counts") as s:
        sampled = s.scalar(select(func.count()).select_from(QaSampleRow)) or 0
        reviewed = s.scalar(select(func.count()).select_from(QaSampleRow)
                            .where(QaSampleRow.verdict.is_not(None))) or 0
        held = s.scalar(select(func.count()).select_from(QaSampleRow)
                        .where(QaSampleRow.verdict == QA_SHOULD_HOLD)) or 0
    return int(sampled), int(reviewed), int(held)
