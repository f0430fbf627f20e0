"""Agency alias suggestions in the store: record, list, decide, and read the accepted.

Every suggestion and decision is an event in the hash-chained log. The four-eyes rule
is kept here, inside the deciding transaction: nobody who suggested an alias may
decide it, and a decided alias stays decided. Whether an alias is *safe* (the guard of
agency matching) is judged by the review app before it calls :func:`decide_alias`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from zhanchi.registry import Registries
from zhanchi.registry.aliases import AcceptedAlias, with_aliases
from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.schema_feedback import (
    ALIAS_ACCEPTED,
    ALIAS_PENDING,
    ALIAS_REJECTED,
    AgencyAliasRow,
)
from zhanchi.store.types import utcnow


@dataclass(frozen=True)
class AliasSuggestion:
    """One suggested alias as the supervisors' page shows it."""

    id: int
    alias: str
    agency_name: str
    filing_no: str
    times: int
    suggested_by: tuple[str, ...]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    last_suggested_at: datetime


def _view(row: AgencyAliasRow) -> AliasSuggestion:
    return AliasSuggestion(row.id, row.alias, row.agency_name, row.filing_no, row.times,
                           tuple(row.suggested_by or ()), row.status, row.decided_by,
                           row.decided_at, row.note, row.last_suggested_at)


def suggest_alias(store: StoreCore, alias: str, agency_name: str, filing_no: str, *,
                  actor: str, submission_pk: int | None = None) -> int:
    """Record that ``actor`` corrected the written ``alias`` to the filed ``agency_name``."""
    with store.transaction("suggest_alias") as s:
        store.insert_ignore(s, AgencyAliasRow, {
            "alias": alias, "agency_name": agency_name, "filing_no": filing_no, "times": 0,
            "suggested_by": [], "status": ALIAS_PENDING, "created_at": utcnow(),
            "last_suggested_at": utcnow()})
        row = s.scalars(select(AgencyAliasRow).where(
            AgencyAliasRow.alias == alias, AgencyAliasRow.agency_name == agency_name)
            .with_for_update()).one()
        row.times += 1
        if actor not in (row.suggested_by or []):
            row.suggested_by = [*(row.suggested_by or []), actor]
        row.last_suggested_at = utcnow()
        append_event(s, "alias.suggested", actor, {
            "alias_id": row.id, "alias": alias, "agency": agency_name, "times": row.times},
            submission_pk)
        return row.id


def alias_suggestions(store: StoreCore, status: str | None = None) -> list[AliasSuggestion]:
    """Suggestions (of one status, or all), most often made first."""
    query = select(AgencyAliasRow)
    if status is not None:
        query = query.where(AgencyAliasRow.status == status)
    with store.reader("alias_suggestions") as s:
        rows = s.scalars(query.order_by(AgencyAliasRow.times.desc(),
                                        AgencyAliasRow.last_suggested_at.desc())).all()
        return [_view(r) for r in rows]


def alias_suggestion(store: StoreCore, alias_id: int) -> AliasSuggestion | None:
    with store.reader("alias_suggestion") as s:
        row = s.get(AgencyAliasRow, alias_id)
        return _view(row) if row is not None else None


def decide_alias(store: StoreCore, alias_id: int, *, accept: bool, actor: str,
                 note: str | None = None) -> AliasSuggestion:
    """Accept or reject a pending suggestion; refused to anyone who suggested it."""
    with store.transaction("decide_alias") as s:
        row = s.scalars(select(AgencyAliasRow).where(AgencyAliasRow.id == alias_id)
                        .with_for_update()).one_or_none()
        if row is None:
            raise ReviewConflictError("no such alias suggestion", reason="alias_unknown")
        if row.status != ALIAS_PENDING:
            raise ReviewConflictError("the suggestion is already decided", reason="alias_decided")
        if actor in (row.suggested_by or []):
            raise ReviewConflictError("a suggestion is decided by someone who did not make it",
                                      reason="alias_self_decision")
        row.status = ALIAS_ACCEPTED if accept else ALIAS_REJECTED
        row.decided_by, row.decided_at, row.note = actor, utcnow(), note or None
        append_event(s, f"alias.{row.status}", actor, {
            "alias_id": row.id, "alias": row.alias, "agency": row.agency_name,
            "times": row.times, "suggested_by": list(row.suggested_by or []), "note": note})
        return _view(row)


def accepted_aliases(store: StoreCore) -> list[AcceptedAlias]:
    """Every accepted alias (registry data), in a stable order."""
    with store.reader("accepted_aliases") as s:
        rows = s.execute(select(AgencyAliasRow.alias, AgencyAliasRow.agency_name)
                         .where(AgencyAliasRow.status == ALIAS_ACCEPTED)
                         .order_by(AgencyAliasRow.id)).all()
    return [AcceptedAlias(str(a), str(n)) for a, n in rows]


def registries_with_accepted_aliases(store: StoreCore, registries: Registries) -> Registries:
    """``registries`` as every batch and recheck must see them: with the accepted aliases.

    The one hook between the stored aliases and the checks; the result's provenance
    then names the aliases' hash (``agency_aliases.csv``) beside agencies.csv's.
    """
    if registries.agencies is None:
        return registries
    return with_aliases(registries, accepted_aliases(store))
