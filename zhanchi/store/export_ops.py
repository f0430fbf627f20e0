"""Marking claims as exported for payment, atomically with the export's event.

An export is one transaction: it takes the chain's lock (which serialises exports,
as it serialises every append), finds which of the claims are already marked,
refuses the export when a claim it means to hand out as *new* was marked meanwhile
(another supervisor's export won the race), appends the ``review.export`` event with
the submission ids it carries, and marks the new ones. So a claim leaves as new
exactly once; a re-export is only ever an explicit, recorded choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from zhanchi.store.chain import Event, append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.schema_audit import CHAIN_HEAD_ID, ChainHeadRow
from zhanchi.store.schema_export import ExportMarkRow

EXPORT_EVENT = "review.export"
_CHUNK = 500


@dataclass(frozen=True)
class ExportMark:
    """When and by whom a claim was first exported."""

    submission_pk: int
    exported_by: str
    exported_at: datetime


def export_marks(store: StoreCore, pks: Sequence[int] | None = None) -> dict[int, ExportMark]:
    """The marks of ``pks`` (every mark when ``None``)."""
    out: dict[int, ExportMark] = {}
    with store.reader("export_marks") as s:
        chunks = [None] if pks is None else [list(pks[i:i + _CHUNK])
                                             for i in range(0, len(pks), _CHUNK)]
        for chunk in chunks:
            query = select(ExportMarkRow)
            if chunk is not None:
                query = query.where(ExportMarkRow.submission_pk.in_(chunk))
            for row in s.scalars(query):
                out[row.submission_pk] = ExportMark(row.submission_pk, row.exported_by,
                                                    row.exported_at)
    return out


def record_export(store: StoreCore, actor: str, payload: dict[str, Any],
                  pks: Sequence[int], *, reexport: bool) -> Event:
    """Append the export's event and mark its claims, in one transaction.

    Without ``reexport`` every claim must still be unmarked, else
    :class:`ReviewConflictError` (nothing is written). With it, already marked claims
    keep their first mark and are listed as re-exported in the event.
    """
    with store.transaction("record_export") as s:
        s.execute(select(ChainHeadRow.id).where(ChainHeadRow.id == CHAIN_HEAD_ID)
                  .with_for_update())
        marked: set[int] = set()
        for i in range(0, len(pks), _CHUNK):
            marked.update(s.scalars(select(ExportMarkRow.submission_pk).where(
                ExportMarkRow.submission_pk.in_(list(pks[i:i + _CHUNK])))))
        if marked and not reexport:
            raise ReviewConflictError(f"{len(marked)} of the claims were exported meanwhile")
        event = append_event(s, EXPORT_EVENT, actor, {
            **payload, "reexport": reexport,
            "reexported_pks": sorted(marked)})
        for pk in pks:
            if pk not in marked:
                s.add(ExportMarkRow(submission_pk=pk, event_id=event.id, exported_by=actor))
        s.flush()
        return event
