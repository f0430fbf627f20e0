"""The queue's columns besides id and reasons: who, where, which agency, level, deadline.

A reviewer plans the day by the application deadline (申请期限): the certificate's
issue date plus the policy's ``application_window.months``, counted with the same
:func:`zhanchi.checks.add_months` the ``application_window_expired`` check uses. The
values come from the case's own packet as stored now (reviewers' corrections
included): the certificate's name, level and issue date, else the letter's.

Sorting happens here, on the server, over the whole filtered queue, by a fixed set of
keys (anything else falls back to the default: the nearest deadline first).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Text, cast, select
from sqlalchemy.orm import Session

from zhanchi.checks import add_months
from zhanchi.checks.context import CERTIFICATE_TYPES
from zhanchi.policy import load_policies, load_policy
from zhanchi.review.labels import local_date
from zhanchi.store.schema import DocumentRow, FieldRow, SubmissionRow

FIELDS = ("holder_name", "signer_name", "exam_county", "agency", "level", "issue_date")
SORT_KEYS = ("deadline", "name", "county", "agency", "level", "waited", "id", "holder")
# the fields each sort needs for every case of the queue (the page needs all, for 50)
SORT_FIELDS = {"deadline": ("issue_date",), "name": ("holder_name", "signer_name"),
               "county": ("exam_county",), "agency": ("agency",), "level": ("level",)}
DEFAULT_SORT = "deadline"


@dataclass(frozen=True)
class Columns:
    """One case's column values (``None`` when the packet does not say)."""

    name: str | None = None
    county: str | None = None
    agency: str | None = None
    level: int | None = None
    issue_date: date | None = None
    deadline: date | None = None

    def days_left(self, today: date) -> int | None:
        """Days until the deadline (negative: past it)."""
        return (self.deadline - today).days if self.deadline else None


@lru_cache(maxsize=1)
def _window_months() -> dict[str, int]:
    return {p.version: p.application_window.months for p in load_policies()}


@lru_cache(maxsize=256)
def window_months(policy_version: str | None, today: date) -> int:
    """The application window of the policy that decided the packet (else today's)."""
    months = _window_months().get(policy_version or "")
    return months if months is not None else load_policy(today).application_window.months


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def load_columns(session: Session, policies: dict[int, str | None], today: date, *,
                 conditions: Iterable[ColumnElement[bool]] = (), pks: Iterable[int] | None = None,
                 names: Iterable[str] = FIELDS) -> dict[int, Columns]:
    """Column values (only ``names``) of the cases matching ``conditions`` or in ``pks``.

    One query, run below the ORM, its JSON values decoded in one call: the queue sorts
    10 000 cases by a column on every page view.
    """
    wanted = list(names)
    if not wanted:
        return {}
    where = [*conditions] if pks is None else [DocumentRow.submission_pk.in_(list(pks))]
    rows = session.connection().execute(
        select(DocumentRow.submission_pk, DocumentRow.type, DocumentRow.document_index,
               FieldRow.name, cast(FieldRow.value, Text))
        .join(FieldRow, FieldRow.document_id == DocumentRow.id)
        .join(SubmissionRow, SubmissionRow.pk == DocumentRow.submission_pk)
        .where(*where, FieldRow.name.in_(wanted))).all()
    values = json.loads("[" + ",".join(r[4] or "null" for r in rows) + "]")
    # the first document of each kind counts: (pk, name) -> (document index, value)
    cert: dict[int, dict[str, tuple[int, Any]]] = defaultdict(dict)
    letter: dict[int, dict[str, tuple[int, Any]]] = defaultdict(dict)
    for (pk, doc_type, index, name, _), value in zip(rows, values, strict=True):
        target = cert if doc_type in CERTIFICATE_TYPES else \
            letter if doc_type == "commitment_letter" else None
        if target is None or value in (None, ""):
            continue
        held = target[pk].get(name)
        if held is None or index < held[0]:
            target[pk][name] = (index, value)
    out = {}
    for pk in set(cert) | set(letter):
        c = {k: v for k, (_, v) in cert.get(pk, {}).items()}
        lt = {k: v for k, (_, v) in letter.get(pk, {}).items()}
        level = c.get("level", lt.get("level"))
        issued = _day(c.get("issue_date"))
        deadline = add_months(issued, window_months(policies.get(pk), today)) if issued else None
        out[pk] = Columns(
            name=_text(c.get("holder_name")) or _text(lt.get("signer_name")),
            county=_text(lt.get("exam_county")), agency=_text(lt.get("agency")),
            level=level if isinstance(level, int) and not isinstance(level, bool) else None,
            issue_date=issued, deadline=deadline)
    return out


class SortRow(NamedTuple):
    """What the sort looks at for one case (a tuple: 10 000 are made per queue view)."""

    pk: int
    submission_id: str
    rank: int  # position in received order (oldest first): the "waited" key and tie-break
    holder: str | None
    columns: Columns
    policy_version: str | None = None


def sort_rows(rows: list[SortRow], key: str, descending: bool) -> list[SortRow]:
    """Sorted by ``key`` (a :data:`SORT_KEYS` entry); cases without a value go last.

    ``rows`` come oldest first; equal keys keep that order.
    """
    pick: dict[str, Callable[[SortRow], Any]] = {
        "deadline": lambda r: r.columns.deadline, "name": lambda r: r.columns.name,
        "county": lambda r: r.columns.county, "agency": lambda r: r.columns.agency,
        "level": lambda r: r.columns.level, "waited": lambda r: r.rank,
        "id": lambda r: r.submission_id, "holder": lambda r: r.holder,
    }
    get = pick.get(key, pick[DEFAULT_SORT])
    # "waited" ascending means the longest wait first: the oldest receipt
    present = [r for r in rows if get(r) is not None]
    absent = [r for r in rows if get(r) is None]
    present.sort(key=get, reverse=descending)  # stable: equal keys stay oldest first
    return present + absent


def today_local(now: datetime) -> date:
    """Today in China (days waited and days left count calendar days there)."""
    return local_date(now)
