"""What the exception queue asks the database: which cases wait, in what order, with what.

A packet is *in the queue* while it is open (status ``done``), is not a supplement
merged into another case, and was routed to review, by the pipeline (a failed check
in run 1) or by a later recheck. The review app's queue (:mod:`zhanchi.review.queue`)
describes what a reviewer narrowed it to as a :class:`QueueSelection`; the queries
that follow from it live here. Each opens a reader, which joins the caller's when
the page already holds one (one connection per page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from sqlalchemy import ColumnElement, Text, and_, cast, exists, func, or_, select

from zhanchi.doctypes import CERTIFICATE_TYPES
from zhanchi.store.core import StoreCore
from zhanchi.store.schema import (
    STATUS_DONE,
    STATUS_WAITING,
    BatchRow,
    CaseLockRow,
    CheckRow,
    DocumentRow,
    FieldRow,
    SubmissionLinkRow,
    SubmissionRow,
)

Values = dict[str, dict[int, object]]  # field name -> case pk -> value


class QueueSelection(Protocol):
    """What a reviewer narrowed the queue to (the review app's ``QueueFilter``)."""

    @property
    def reason(self) -> str | None: ...
    @property
    def batch(self) -> str | None: ...
    @property
    def date_from(self) -> date | None: ...
    @property
    def date_to(self) -> date | None: ...
    @property
    def waiting(self) -> bool: ...
    @property
    def mine(self) -> str | None: ...


@dataclass(frozen=True)
class QueueCase:
    """The details one row of the queue page shows."""

    pk: int
    submission_id: str
    revision: int
    received_at: datetime
    batch_id: str | None
    reasons: list[str] | None
    reviewer: str | None
    last_seen_at: datetime | None


def routed_by_pipeline() -> ColumnElement[bool]:
    """The pipeline's own run (run 1) failed a check: it sent the packet to review."""
    return exists(select(CheckRow.id).where(CheckRow.submission_pk == SubmissionRow.pk,
                                            CheckRow.run == 1, CheckRow.status == "fail"))


def not_merged() -> ColumnElement[bool]:
    """The packet is not a supplement merged into another case."""
    return ~exists(select(SubmissionLinkRow.id).where(
        SubmissionLinkRow.supplement_pk == SubmissionRow.pk))


def in_queue() -> ColumnElement[bool]:
    """Open, not merged into another case, routed to review (now or by the pipeline)."""
    return and_(SubmissionRow.status == STATUS_DONE, not_merged(),
                or_(SubmissionRow.route == "review", routed_by_pipeline()))


def has_reason(code: str) -> ColumnElement[bool]:
    """``reasons`` (a JSON list) holds ``code``: a text match, the same on SQLite and PostgreSQL."""
    escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return cast(SubmissionRow.reasons, Text).like(f'%"{escaped}"%', escape="\\")


def start_of(day: date, zone: tzinfo) -> datetime:
    """Midnight of ``day`` in the time zone ``zone``."""
    return datetime.combine(day, time(0), zone)


def conditions(sel: QueueSelection, zone: tzinfo, *, with_reason: bool = True,
               ) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a selection (dates are days in ``zone``)."""
    out = [SubmissionRow.status == STATUS_WAITING] if sel.waiting else [in_queue()]
    if sel.mine:
        # an uncorrelated subquery: the queue's own query joins case_locks too
        out.append(SubmissionRow.pk.in_(
            select(CaseLockRow.submission_pk).where(CaseLockRow.reviewer == sel.mine)
            .correlate_except(CaseLockRow)))
    if with_reason and sel.reason:
        out.append(has_reason(sel.reason))
    if sel.batch:
        out.append(SubmissionRow.batch_id == sel.batch)
    if sel.date_from:
        out.append(SubmissionRow.received_at >= start_of(sel.date_from, zone))
    if sel.date_to:
        out.append(SubmissionRow.received_at < start_of(sel.date_to + timedelta(days=1), zone))
    return out


def listed_cases(store: StoreCore, sel: QueueSelection, zone: tzinfo,
                 ) -> list[tuple[int, list[str], str, str | None]]:
    """Every case of the selection (any reason), oldest first: (pk, reasons, submission
    id, policy version). Below the ORM: 10 000 plain rows, no entity bookkeeping, the
    reasons decoded in one call."""
    with store.reader("queue_list") as s:
        listed = s.connection().execute(
            select(SubmissionRow.pk, cast(SubmissionRow.reasons, Text),
                   SubmissionRow.submission_id, SubmissionRow.policy_version)
            .where(*conditions(sel, zone, with_reason=False))
            .order_by(SubmissionRow.received_at, SubmissionRow.pk)).all()
    reasons = json.loads("[" + ",".join(r[1] or "null" for r in listed) + "]")  # one call
    return [(r[0], codes or [], r[2], r[3]) for r, codes in zip(listed, reasons, strict=True)]


def lock_holders(store: StoreCore) -> dict[int, str]:
    """Case pk → the reviewer holding its lock (idle or not)."""
    with store.reader("lock_holders") as s:
        return {pk: reviewer for pk, reviewer in s.execute(
            select(CaseLockRow.submission_pk, CaseLockRow.reviewer))}


def held_by_others(store: StoreCore, reviewer: str, active_since: datetime) -> set[int]:
    """Cases another reviewer holds and has touched since ``active_since``."""
    with store.reader("held_by_others") as s:
        return set(s.scalars(select(CaseLockRow.submission_pk).where(
            CaseLockRow.reviewer != reviewer, CaseLockRow.last_seen_at >= active_since)))


def first_values(store: StoreCore, names: list[str], *, pks: list[int] | None = None,
                 sel: QueueSelection | None = None, zone: tzinfo = UTC,
                 ) -> tuple[Values, Values]:
    """(certificate values, letter values): the first document of each kind per case,
    for the cases ``pks`` or else those of the selection ``sel`` (any reason).

    One query, run below the ORM, its JSON values decoded in one call, and values kept
    per field in flat dicts: the queue sorts 10 000 cases by a column on every view.
    """
    where = [DocumentRow.submission_pk.in_(pks or [])] if sel is None else \
        conditions(sel, zone, with_reason=False)
    with store.reader("queue_values") as s:
        rows = s.connection().execute(
            select(DocumentRow.submission_pk, DocumentRow.type, DocumentRow.document_index,
                   FieldRow.name, cast(FieldRow.value, Text))
            .join(FieldRow, FieldRow.document_id == DocumentRow.id)
            .join(SubmissionRow, SubmissionRow.pk == DocumentRow.submission_pk)
            .where(*where, FieldRow.name.in_(names))
            .order_by(DocumentRow.document_index.desc())).all()
    values = json.loads("[" + ",".join(r[4] or "null" for r in rows) + "]")
    cert: Values = {name: {} for name in names}
    letter: Values = {name: {} for name in names}
    # the highest document index comes first, so the first document's value is set last
    for (pk, doc_type, _, name, _), value in zip(rows, values, strict=True):
        if value is None or value == "":
            continue
        if doc_type in CERTIFICATE_TYPES:
            cert[name][pk] = value
        elif doc_type == "commitment_letter":
            letter[name][pk] = value
    return cert, letter


def queue_cases(store: StoreCore, pks: list[int]) -> dict[int, QueueCase]:
    """The details of the cases ``pks`` (one page of the queue), by pk."""
    if not pks:
        return {}
    with store.reader("queue_cases") as s:
        return {r.pk: QueueCase(*r) for r in s.execute(
            select(SubmissionRow.pk, SubmissionRow.submission_id, SubmissionRow.revision,
                   SubmissionRow.received_at, SubmissionRow.batch_id, SubmissionRow.reasons,
                   CaseLockRow.reviewer, CaseLockRow.last_seen_at)
            .outerjoin(CaseLockRow, CaseLockRow.submission_pk == SubmissionRow.pk)
            .where(SubmissionRow.pk.in_(pks)))}


def waiting_count(store: StoreCore) -> int:
    """How many cases wait for more documents."""
    with store.reader("waiting_count") as s:
        return s.scalar(select(func.count()).select_from(SubmissionRow)
                        .where(SubmissionRow.status == STATUS_WAITING)) or 0


def queue_batches(store: StoreCore) -> list[tuple[str, datetime, str]]:
    """(id, started at, inbox) of every batch with a case in the queue, newest first."""
    with store.reader("queue_batches") as s:
        return [(b.id, b.started_at, b.inbox) for b in s.execute(
            select(BatchRow.id, BatchRow.started_at, BatchRow.inbox).where(
                BatchRow.id.in_(select(SubmissionRow.batch_id).where(in_queue()).distinct()))
            .order_by(BatchRow.started_at.desc()))]


def find_case(store: StoreCore, submission_id: str) -> int | None:
    """The newest decided revision of a submission id (what a reviewer looks up by id)."""
    with store.reader("find_case") as s:
        return s.scalar(select(SubmissionRow.pk).where(
            SubmissionRow.submission_id == submission_id.strip()[:255],
            SubmissionRow.result_json.is_not(None)).order_by(SubmissionRow.revision.desc())
            .limit(1))


def is_queued(store: StoreCore, pk: int) -> bool:
    """True when the case is in the queue (open for a reviewer's decision)."""
    with store.reader("is_queued") as s:
        return s.scalar(select(SubmissionRow.pk).where(SubmissionRow.pk == pk, in_queue())) \
            is not None
