"""What the supervisor's reports ask the database: the dashboard's counts and the
decided claims the payment export lists.

"Straight through" and "exception" are the pipeline's own verdict (run 1 of the
checks, :func:`~zhanchi.store.queue_reads.routed_by_pipeline`), so reviewers'
corrections do not flatter the rate. The review app turns these plain values into
its pages (:mod:`zhanchi.review.dashboard`, :mod:`zhanchi.review.export`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select

from zhanchi.models import Document, ExtractedField
from zhanchi.store.core import StoreCore
from zhanchi.store.queue_reads import in_queue, not_merged, routed_by_pipeline
from zhanchi.store.schema import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_PROCESSING,
    STATUS_REJECTED,
    CheckRow,
    DocumentRow,
    FieldRow,
    ReviewDecisionRow,
    SubmissionLinkRow,
    SubmissionRow,
)

_CHUNK = 500


@dataclass
class DashboardCounts:
    """The dashboard's raw numbers, read in one snapshot."""

    by_status: dict[str, int] = field(default_factory=dict)
    routed: int = 0  # decided packets the pipeline sent to review
    received: list[datetime] = field(default_factory=list)  # of the queue, oldest first
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    letters: list[tuple[int, object]] = field(default_factory=list)  # (pk, agency field)
    routed_pks: set[int] = field(default_factory=set)


def dashboard_counts(store: StoreCore, *, reasons: int = 8) -> DashboardCounts:
    """Counts by status, the queue's arrival times, the most frequent failed checks of
    run 1, every letter's agency and the packets the pipeline routed to review."""
    out = DashboardCounts()
    with store.reader("dashboard") as s:
        decided = SubmissionRow.status != STATUS_PROCESSING
        out.by_status = {str(k): int(n) for k, n in s.execute(
            select(SubmissionRow.status, func.count()).group_by(SubmissionRow.status))}
        out.routed = s.scalar(select(func.count()).select_from(SubmissionRow)
                              .where(decided, routed_by_pipeline())) or 0
        out.received = sorted(s.scalars(select(SubmissionRow.received_at)
                                        .where(in_queue())).all())
        out.top_reasons = [(str(k), int(n)) for k, n in s.execute(
            select(CheckRow.code, func.count()).where(CheckRow.run == 1,
                                                      CheckRow.status == "fail")
            .group_by(CheckRow.code).order_by(func.count().desc()).limit(reasons))]
        out.letters = [(pk, value) for pk, value in s.execute(
            select(DocumentRow.submission_pk, FieldRow.value)
            .join(FieldRow, FieldRow.document_id == DocumentRow.id)
            .where(DocumentRow.type == "commitment_letter", FieldRow.name == "agency"))]
        out.routed_pks = set(s.scalars(select(SubmissionRow.pk)
                                       .where(decided, routed_by_pipeline())))
    return out


@dataclass(frozen=True)
class DecidedClaim:
    """A decided packet as the export needs it (``decision``: approve, reject or
    ``pipeline_pass``)."""

    pk: int
    submission_id: str
    received_at: datetime
    policy_version: str | None
    decision: str
    reviewer: str
    reason: str
    decided_at: datetime


def decided_claims(store: StoreCore, start: datetime, end: datetime, *,
                   include_straight_through: bool) -> tuple[list[DecidedClaim],
                                                            list[tuple[int, int]]]:
    """Claims decided in [start, end) by a reviewer's last decision (and, optionally,
    straight-through passes), and every (waiting case, supplement) link in order."""
    with store.reader("export_rows") as s:
        latest = select(ReviewDecisionRow.submission_pk,
                        func.max(ReviewDecisionRow.id).label("id")).group_by(
            ReviewDecisionRow.submission_pk).subquery()
        reviewed = s.execute(
            select(SubmissionRow, ReviewDecisionRow)
            .join(latest, latest.c.submission_pk == SubmissionRow.pk)
            .join(ReviewDecisionRow, ReviewDecisionRow.id == latest.c.id)
            .where(SubmissionRow.status.in_((STATUS_APPROVED, STATUS_REJECTED)),
                   ReviewDecisionRow.decided_at >= start, ReviewDecisionRow.decided_at < end)
        ).all()
        items = [DecidedClaim(sub.pk, sub.submission_id, sub.received_at, sub.policy_version,
                              d.decision, d.reviewer, d.reason or "", d.decided_at)
                 for sub, d in reviewed]
        if include_straight_through:
            # a supplement merged into a case is paid (or not) with that case, never alone
            passed = s.scalars(select(SubmissionRow).where(and_(
                SubmissionRow.status == STATUS_DONE, SubmissionRow.route == "pass",
                ~routed_by_pipeline(), not_merged(), SubmissionRow.decided_at >= start,
                SubmissionRow.decided_at < end))).all()
            items += [DecidedClaim(sub.pk, sub.submission_id, sub.received_at,
                                   sub.policy_version, "pipeline_pass", "（自动）", "",
                                   sub.decided_at or sub.created_at) for sub in passed]
        links = [(w, p) for w, p in s.execute(
            select(SubmissionLinkRow.waiting_pk, SubmissionLinkRow.supplement_pk)
            .order_by(SubmissionLinkRow.id))]
    return items, links


def light_documents(store: StoreCore, pks: list[int]) -> dict[int, list[Document]]:
    """Documents with field values only (no pages), many packets at a time."""
    out: dict[int, list[Document]] = defaultdict(list)
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i:i + _CHUNK]
        with store.reader("export_documents") as s:
            docs = s.execute(select(DocumentRow.id, DocumentRow.submission_pk, DocumentRow.type)
                             .where(DocumentRow.submission_pk.in_(chunk))
                             .order_by(DocumentRow.submission_pk, DocumentRow.document_index)).all()
            fields: dict[int, dict[str, ExtractedField]] = defaultdict(dict)
            for doc_id, name, value in s.execute(
                    select(FieldRow.document_id, FieldRow.name, FieldRow.value)
                    .where(FieldRow.document_id.in_([d.id for d in docs]))):
                fields[doc_id][name] = ExtractedField(value=value, confidence=1.0)
        for d in docs:
            out[d.submission_pk].append(Document.model_validate(
                {"type": d.type, "pages": [], "fields": fields.get(d.id, {})}))
    return out
