"""The supervisor's numbers: straight-through rate, the queue's size and age, top
reasons, and the exception rate of each assessment agency.

"Straight through" and "exception" are the pipeline's own verdict (run 1 of the
checks), so reviewers' corrections do not flatter the rate. Ages count from
``received_at``, the time the packet arrived, not the time it was processed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from zhanchi.review.queue import in_queue, routed_by_pipeline
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema import (
    STATUS_PROCESSING,
    CheckRow,
    DocumentRow,
    FieldRow,
    SubmissionRow,
)
from zhanchi.store.types import utcnow

# (label, upper limit) of the queue-age chart; the last bucket takes everything older
AGE_BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("1天内", timedelta(days=1)), ("1–3天", timedelta(days=3)), ("3–7天", timedelta(days=7)),
    ("7–14天", timedelta(days=14)), ("14–30天", timedelta(days=30)),
    ("30天以上", timedelta.max))


@dataclass(frozen=True)
class AgencyRate:
    """One agency's packets and how many went to review."""

    name: str
    total: int
    exceptions: int

    @property
    def rate(self) -> float:
        return self.exceptions / self.total if self.total else 0.0


@dataclass
class Dashboard:
    """Everything the dashboard page shows."""

    decided: int = 0
    routed: int = 0
    queue_size: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    oldest: datetime | None = None
    median_wait: timedelta | None = None
    age_buckets: list[tuple[str, int]] = field(default_factory=list)
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    agencies: list[AgencyRate] = field(default_factory=list)

    @property
    def straight_through(self) -> float:
        return (self.decided - self.routed) / self.decided if self.decided else 0.0


def build_dashboard(store: ReviewStore, *, agencies: int = 12) -> Dashboard:
    """Compute the dashboard in a handful of aggregate queries."""
    now = utcnow()
    out = Dashboard()
    with store.reader("dashboard") as s:
        decided = SubmissionRow.status != STATUS_PROCESSING
        out.by_status = {str(k): int(n) for k, n in s.execute(
            select(SubmissionRow.status, func.count()).group_by(SubmissionRow.status))}
        out.decided = sum(n for k, n in out.by_status.items() if k != STATUS_PROCESSING)
        out.routed = s.scalar(select(func.count()).select_from(SubmissionRow)
                              .where(decided, routed_by_pipeline())) or 0
        received = sorted(s.scalars(select(SubmissionRow.received_at).where(in_queue())).all())
        out.top_reasons = [(str(k), int(n)) for k, n in s.execute(
            select(CheckRow.code, func.count()).where(CheckRow.run == 1,
                                                      CheckRow.status == "fail")
            .group_by(CheckRow.code).order_by(func.count().desc()).limit(8))]
        letters = s.execute(
            select(DocumentRow.submission_pk, FieldRow.value)
            .join(FieldRow, FieldRow.document_id == DocumentRow.id)
            .where(DocumentRow.type == "commitment_letter", FieldRow.name == "agency")).all()
        routed = set(s.scalars(select(SubmissionRow.pk).where(decided, routed_by_pipeline())))
    out.queue_size = len(received)
    if received:
        out.oldest = received[0]
        out.median_wait = now - received[len(received) // 2]
    ages = Counter(_bucket(now - r) for r in received)
    out.age_buckets = [(label, ages.get(label, 0)) for label, _ in AGE_BUCKETS]
    per_agency: dict[str, set[int]] = {}
    for pk, value in letters:
        per_agency.setdefault(str(value), set()).add(pk)
    rates = [AgencyRate(name, len(pks), len(pks & routed)) for name, pks in per_agency.items()]
    out.agencies = sorted(rates, key=lambda a: (-a.total, -a.rate, a.name))[:agencies]
    return out


def _bucket(age: timedelta) -> str:
    for label, limit in AGE_BUCKETS:
        if age < limit:
            return label
    return AGE_BUCKETS[-1][0]
