"""The exception queue: which packets wait for a person, oldest first, and their filters.

A packet is *in the queue* while it is open (status ``done``), is not a supplement
merged into another case, and was routed to review, by the pipeline (a failed check
in run 1) or by a later recheck. A case a reviewer has corrected until every check
passes stays in the queue: a person still has to decide it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from zhanchi.models import REVIEW_REASONS
from zhanchi.review.labels import CST, cn_datetime
from zhanchi.review.queue_columns import (
    DEFAULT_SORT,
    SORT_KEYS,
    Columns,
    load_columns,
    sort_pks,
    sort_values,
    today_local,
)
from zhanchi.store.review_queries import LOCK_IDLE, ReviewStore
from zhanchi.store.schema import (
    STATUS_DONE,
    STATUS_WAITING,
    BatchRow,
    CaseLockRow,
    CheckRow,
    SubmissionLinkRow,
    SubmissionRow,
)
from zhanchi.store.types import utcnow

PAGE_SIZE = 50


def routed_by_pipeline() -> ColumnElement[bool]:
    """The pipeline's own run (run 1) failed a check: it sent the packet to review."""
    return exists(select(CheckRow.id).where(CheckRow.submission_pk == SubmissionRow.pk,
                                            CheckRow.run == 1, CheckRow.status == "fail"))


def in_queue() -> ColumnElement[bool]:
    """Open, not merged into another case, routed to review (now or by the pipeline)."""
    merged = exists(select(SubmissionLinkRow.id).where(
        SubmissionLinkRow.supplement_pk == SubmissionRow.pk))
    return and_(SubmissionRow.status == STATUS_DONE, ~merged,
                or_(SubmissionRow.route == "review", routed_by_pipeline()))


def has_reason(code: str) -> ColumnElement[bool]:
    """``reasons`` (a JSON list) holds ``code``: a text match, the same on SQLite and PostgreSQL."""
    escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return cast(SubmissionRow.reasons, Text).like(f'%"{escaped}"%', escape="\\")


@dataclass(frozen=True)
class QueueFilter:
    """What the reviewer narrowed the queue to (all optional)."""

    reason: str | None = None
    batch: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    waiting: bool = False  # the cases waiting for more documents instead of the queue
    sort: str = DEFAULT_SORT
    descending: bool = False
    mine: str | None = None  # "my cases": only those this reviewer holds

    @classmethod
    def parse(cls, reason: str | None, batch: str | None, date_from: str | None,
              date_to: str | None, page: str | int | None, view: str | None = None,
              sort: str | None = None, order: str | None = None, user: str | None = None,
              ) -> QueueFilter:
        """From query parameters; anything unreadable is ignored rather than an error."""
        return cls(reason if reason in REVIEW_REASONS else None,
                   batch[:64] if batch else None, _day(date_from), _day(date_to),
                   max(1, _int(page)), view == "waiting",
                   sort if sort in SORT_KEYS else DEFAULT_SORT, order == "desc",
                   user if view == "mine" and user else None)

    def query(self, page: int | None = None) -> dict[str, str]:
        """Query parameters that reproduce this filter (for links and forms)."""
        out = {"reason": self.reason or "", "batch": self.batch or "",
               "from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else ""}
        if self.waiting:
            out["view"] = "waiting"
        elif self.mine:
            out["view"] = "mine"
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        if self.descending:
            out["order"] = "desc"
        if page is not None and page > 1:
            out["page"] = str(page)
        return {k: v for k, v in out.items() if v}

    def sorted_by(self, key: str) -> dict[str, str]:
        """The query for sorting by ``key`` (a second click on the same key reverses it)."""
        out = {k: v for k, v in self.query().items() if k not in ("sort", "order")}
        if key != DEFAULT_SORT:
            out["sort"] = key
        if key == self.sort and not self.descending:
            out["order"] = "desc"
        return out

    def conditions(self, *, with_reason: bool = True) -> list[ColumnElement[bool]]:
        out = [SubmissionRow.status == STATUS_WAITING] if self.waiting else [in_queue()]
        if self.mine:
            # an uncorrelated subquery: the queue's own query joins case_locks too
            out.append(SubmissionRow.pk.in_(
                select(CaseLockRow.submission_pk).where(CaseLockRow.reviewer == self.mine)
                .correlate_except(CaseLockRow)))
        if with_reason and self.reason:
            out.append(has_reason(self.reason))
        if self.batch:
            out.append(SubmissionRow.batch_id == self.batch)
        if self.date_from:
            out.append(SubmissionRow.received_at >= _start_of(self.date_from))
        if self.date_to:
            out.append(SubmissionRow.received_at < _start_of(self.date_to + timedelta(days=1)))
        return out


@dataclass(frozen=True)
class QueueRow:
    """One waiting case in the list."""

    pk: int
    submission_id: str
    revision: int
    received_at: datetime
    batch_id: str | None
    reasons: list[str]
    locked_by: str | None
    lock_expired: bool
    columns: Columns = Columns()
    days_waited: int = 0
    days_left: int | None = None


@dataclass
class QueuePage:
    """One page of the queue, with the counts the filter bar shows."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    reason_counts: list[tuple[str, int]]
    batches: list[tuple[str, str]] = field(default_factory=list)  # (id, date · name)
    batch_names: dict[str, str] = field(default_factory=dict)
    unfiltered_total: int = 0
    waiting_total: int = 0


def _ordered(s: Session, flt: QueueFilter, today: date,
             ) -> tuple[list[tuple[int, list[str]]], list[int], dict[int, str | None]]:
    """Every case of the filter with its reasons, the pks matching the reason in the
    filter's order, and each case's policy version.

    The cases come oldest first from the queue's index; the sort then needs only the
    one value it sorts by, per case (a field read for every case, the id, or the holder).
    """
    # below the ORM: 10 000 plain rows, no entity bookkeeping
    listed = s.connection().execute(
        select(SubmissionRow.pk, cast(SubmissionRow.reasons, Text), SubmissionRow.submission_id,
               SubmissionRow.policy_version)
        .where(*flt.conditions(with_reason=False))
        .order_by(SubmissionRow.received_at, SubmissionRow.pk)).all()
    reasons = json.loads("[" + ",".join(r[1] or "null" for r in listed) + "]")  # one call
    decoded = [(r[0], codes or []) for r, codes in zip(listed, reasons, strict=True)]
    pks = [pk for pk, codes in decoded if not flt.reason or flt.reason in codes]
    policies = {r[0]: r[3] for r in listed}
    values: dict[int, Any] | None
    if flt.sort == "waited":
        values = None
    elif flt.sort == "id":
        values = {r[0]: r[2] for r in listed}
    elif flt.sort == "holder":
        values = {pk: reviewer for pk, reviewer in s.execute(
            select(CaseLockRow.submission_pk, CaseLockRow.reviewer))}
    else:
        values = sort_values(s, flt.sort, flt.conditions(with_reason=False), policies, today)
    return decoded, sort_pks(pks, flt.descending, values), policies


def queue_page(store: ReviewStore, flt: QueueFilter, page_size: int = PAGE_SIZE) -> QueuePage:
    """The filtered queue, sorted (nearest deadline first by default), one page of it.

    One pass over the queue's (pk, reasons, sort inputs) gives the counts per reason,
    the reason filter and the order; one more query reads the columns of every
    matching case (sorting by them needs them all); details are read for one page.
    """
    now = utcnow()
    today = today_local(now)
    with store.reader("queue_page") as s:
        decoded, matching, policies = _ordered(s, flt, today)
        counts = Counter(code for _, reasons in decoded for code in set(reasons))
        pages = max(1, -(-len(matching) // page_size))
        page = min(flt.page, pages)
        members = matching[(page - 1) * page_size:page * page_size]
        columns = load_columns(s, members, policies, today)
        details = {r.pk: r for r in s.execute(
            select(SubmissionRow.pk, SubmissionRow.submission_id, SubmissionRow.revision,
                   SubmissionRow.received_at, SubmissionRow.batch_id, SubmissionRow.reasons,
                   CaseLockRow.reviewer, CaseLockRow.last_seen_at)
            .outerjoin(CaseLockRow, CaseLockRow.submission_pk == SubmissionRow.pk)
            .where(SubmissionRow.pk.in_(members)))} if members else {}
        waiting = s.scalar(select(func.count()).select_from(SubmissionRow)
                           .where(SubmissionRow.status == STATUS_WAITING)) or 0
        batches = s.execute(select(BatchRow.id, BatchRow.started_at, BatchRow.inbox).where(
            BatchRow.id.in_(select(SubmissionRow.batch_id).where(in_queue()).distinct()))
            .order_by(BatchRow.started_at.desc())).all()
    order = {code: i for i, code in enumerate(REVIEW_REASONS)}
    rows = [details[pk] for pk in members if pk in details]
    names = {b.id: batch_label(b.started_at, b.inbox) for b in batches}
    return QueuePage(
        rows=[QueueRow(r.pk, r.submission_id, r.revision, r.received_at, r.batch_id,
                       sorted(r.reasons or [], key=lambda c: order.get(c, 99)), r.reviewer,
                       r.last_seen_at is not None and r.last_seen_at + LOCK_IDLE < now,
                       columns.get(r.pk, Columns()),
                       (today - today_local(r.received_at)).days,
                       columns.get(r.pk, Columns()).days_left(today))
              for r in rows],
        total=len(matching), page=page, pages=pages,
        reason_counts=sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99))),
        batches=[(b.id, names[b.id]) for b in batches], batch_names=names,
        unfiltered_total=len(decoded), waiting_total=waiting)


def batch_label(started_at: datetime, inbox: str) -> str:
    """A batch as people name it: when it ran and the inbox folder it read (no hash)."""
    folder = inbox.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or inbox
    return f"{cn_datetime(started_at)} · {folder}"


def next_open_case(store: ReviewStore, flt: QueueFilter, reviewer: str,
                   skip: set[int] | None = None) -> int | None:
    """The first case, in the filter's order (nearest deadline first by default), that
    ``reviewer`` may claim (free, idle or theirs)."""
    cutoff = utcnow() - LOCK_IDLE
    with store.reader("next_open_case") as s:
        _, ordered, _ = _ordered(s, flt, today_local(utcnow()))
        taken = set(s.scalars(select(CaseLockRow.submission_pk).where(
            CaseLockRow.reviewer != reviewer, CaseLockRow.last_seen_at >= cutoff)))
    return next((pk for pk in ordered if pk not in taken and pk not in (skip or ())), None)


def find_case(store: ReviewStore, submission_id: str) -> int | None:
    """The newest decided revision of a submission id (what a reviewer looks up by id)."""
    with store.reader("find_case") as s:
        return s.scalar(select(SubmissionRow.pk).where(
            SubmissionRow.submission_id == submission_id.strip()[:255],
            SubmissionRow.result_json.is_not(None)).order_by(SubmissionRow.revision.desc())
            .limit(1))


def is_queued(store: ReviewStore, pk: int) -> bool:
    """True when the case is in the queue (open for a reviewer's decision)."""
    with store.reader("is_queued") as s:
        return s.scalar(select(SubmissionRow.pk).where(SubmissionRow.pk == pk, in_queue())) \
            is not None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), CST)


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _int(text: Any) -> int:
    try:
        return int(text) if text else 1
    except (TypeError, ValueError):
        return 1
