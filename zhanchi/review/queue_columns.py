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

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from zhanchi.checks import add_months
from zhanchi.policy import load_policies, load_policy
from zhanchi.review.labels import CST, local_date
from zhanchi.store.core import StoreCore
from zhanchi.store.queue_reads import QueueSelection, Values, first_values

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


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _deadline(issue_date: str, months: int) -> date | None:
    issued = _day(issue_date)
    return add_months(issued, months) if issued else None


def _level(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _columns(pk: int, c: Values, lt: Values, months: int) -> Columns:
    issue = c["issue_date"].get(pk)
    level = c["level"].get(pk, lt["level"].get(pk))
    return Columns(name=_text(c["holder_name"].get(pk)) or _text(lt["signer_name"].get(pk)),
                   county=_text(lt["exam_county"].get(pk)), agency=_text(lt["agency"].get(pk)),
                   level=_level(level), issue_date=_day(issue),
                   deadline=_deadline(issue, months) if isinstance(issue, str) else None)


def load_columns(store: StoreCore, pks: list[int], policies: dict[int, str | None],
                 today: date) -> dict[int, Columns]:
    """Every column of the cases ``pks`` (one page of the queue)."""
    if not pks:
        return {}
    cert, letter = first_values(store, list(FIELDS), pks=pks)
    return {pk: _columns(pk, cert, letter, window_months(policies.get(pk), today))
            for pk in pks}


def sort_values(store: StoreCore, key: str, sel: QueueSelection,
                policies: dict[int, str | None], today: date) -> dict[int, Any]:
    """The value each case of the filter sorts by, for the field-based keys (else empty)."""
    names = SORT_FIELDS.get(key)
    if not names:
        return {}
    cert, letter = first_values(store, list(names), sel=sel, zone=CST)
    if key == "deadline":
        return {pk: _deadline(v, window_months(policies.get(pk), today))
                for pk, v in cert["issue_date"].items() if isinstance(v, str)}
    if key == "name":
        return {**{pk: _text(v) for pk, v in letter["signer_name"].items()},
                **{pk: _text(v) for pk, v in cert["holder_name"].items() if _text(v)}}
    if key == "level":
        return {**{pk: _level(v) for pk, v in letter["level"].items()},
                **{pk: _level(v) for pk, v in cert["level"].items()}}
    return {pk: _text(v) for pk, v in letter[names[0]].items()}  # county, agency


def sort_pks(pks: list[int], descending: bool, values: dict[int, Any] | None) -> list[int]:
    """``pks`` (oldest first) sorted by ``values`` (``None``: by age); no value goes last.

    Equal values keep the oldest first. Plain ints and one dict, no row objects: this
    runs over the whole queue on every view.
    """
    if values is None:  # "waited": ascending is the longest wait first
        return pks[::-1] if descending else list(pks)
    present = [pk for pk in pks if values.get(pk) is not None]
    absent = [pk for pk in pks if values.get(pk) is None]
    present.sort(key=values.__getitem__, reverse=descending)  # stable
    return present + absent


def today_local(now: datetime) -> date:
    """Today in China (days waited and days left count calendar days there)."""
    return local_date(now)
