"""The exception queue: which packets wait for a person, oldest first, and their filters.

A packet is *in the queue* while it is open (status ``done``), is not a supplement
merged into another case, and was routed to review, by the pipeline (a failed check
in run 1) or by a later recheck. A case a reviewer has corrected until every check
passes stays in the queue: a person still has to decide it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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
from zhanchi.store.queue_reads import (
    find_case,
    held_by_others,
    is_queued,
    listed_cases,
    lock_holders,
    queue_batches,
    queue_cases,
    waiting_count,
)
from zhanchi.store.review_queries import LOCK_IDLE, ReviewStore
from zhanchi.store.types import utcnow

__all__ = ["PAGE_SIZE", "QueueFilter", "QueuePage", "QueueRow", "batch_label", "find_case",
           "is_queued", "next_open_case", "queue_page"]

PAGE_SIZE = 50


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


def _ordered(store: ReviewStore, flt: QueueFilter, today: date,
             ) -> tuple[list[tuple[int, list[str]]], list[int], dict[int, str | None]]:
    """Every case of the filter with its reasons, the pks matching the reason in the
    filter's order, and each case's policy version.

    The cases come oldest first from the queue's index; the sort then needs only the
    one value it sorts by, per case (a field read for every case, the id, or the holder).
    """
    listed = listed_cases(store, flt, CST)
    decoded = [(pk, codes) for pk, codes, _, _ in listed]
    pks = [pk for pk, codes in decoded if not flt.reason or flt.reason in codes]
    policies = {r[0]: r[3] for r in listed}
    values: dict[int, Any] | None
    if flt.sort == "waited":
        values = None
    elif flt.sort == "id":
        values = {r[0]: r[2] for r in listed}
    elif flt.sort == "holder":
        values = dict(lock_holders(store))
    else:
        values = sort_values(store, flt.sort, flt, policies, today)
    return decoded, sort_pks(pks, flt.descending, values), policies


def queue_page(store: ReviewStore, flt: QueueFilter, page_size: int = PAGE_SIZE) -> QueuePage:
    """The filtered queue, sorted (nearest deadline first by default), one page of it.

    One pass over the queue's (pk, reasons, sort inputs) gives the counts per reason,
    the reason filter and the order; one more query reads the columns of every
    matching case (sorting by them needs them all); details are read for one page.
    """
    now = utcnow()
    today = today_local(now)
    with store.reader("queue_page"):  # every read of the page on one connection
        decoded, matching, policies = _ordered(store, flt, today)
        counts = Counter(code for _, reasons in decoded for code in set(reasons))
        pages = max(1, -(-len(matching) // page_size))
        page = min(flt.page, pages)
        members = matching[(page - 1) * page_size:page * page_size]
        columns = load_columns(store, members, policies, today)
        details = queue_cases(store, members)
        waiting = waiting_count(store)
        batches = queue_batches(store)
    order = {code: i for i, code in enumerate(REVIEW_REASONS)}
    rows = [details[pk] for pk in members if pk in details]
    names = {b: batch_label(started, inbox) for b, started, inbox in batches}
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
        batches=[(b, names[b]) for b, _, _ in batches], batch_names=names,
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
    with store.reader("next_open_case"):
        _, ordered, _ = _ordered(store, flt, today_local(utcnow()))
        taken = held_by_others(store, reviewer, cutoff)
    return next((pk for pk in ordered if pk not in taken and pk not in (skip or ())), None)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _int(text: str | int | None) -> int:
    try:
        return int(text) if text else 1
    except (TypeError, ValueError):
        return 1
