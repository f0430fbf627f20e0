"""The append-only, hash-chained event log and its verifier (``zhanchi audit verify``).

An entry's hash is SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of
``{id, ts, actor, kind, submission_pk, payload, prev_hash}``; ``prev_hash`` is the
previous entry's hash (64 zeros for the first). Editing a row changes its hash,
deleting one leaves a gap and a dangling ``prev_hash``, moving one breaks both, and
the head row names the last entry so a removed tail is noticed too.

Appends are serialised: the appender locks the head row (``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite every write transaction already holds the file's write lock).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.errors import AuditError, StoreError
from zhanchi.store.schema_audit import CHAIN_HEAD_ID, GENESIS_HASH, ChainHeadRow, EventRow
from zhanchi.store.types import utcnow


def canonical_json(value: Any) -> str:
    """The one JSON text used for hashing: sorted keys, compact, UTF-8, no NaN."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def entry_hash(
    id: int, ts: str, actor: str, kind: str, submission_pk: int | None, payload: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of one entry's canonical JSON."""
    doc = {"id": id, "ts": ts, "actor": actor, "kind": kind, "submission_pk": submission_pk,
           "payload": payload, "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Event:
    """One entry of the log, payload decoded."""

    id: int
    ts: str
    actor: str
    kind: str
    submission_pk: int | None
    payload: dict[str, Any]
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """What ``verify_chain`` found: ``ok``, how many entries it checked, the first break."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    why: str | None = None
    head_hash: str = GENESIS_HASH  # publish it elsewhere to anchor the chain

    def raise_if_broken(self) -> None:
        """Raise :class:`AuditError` (exit code 6) when the chain is broken."""
        if not self.ok:
            raise AuditError(f"event log broken at entry {self.first_broken_id}: {self.why}")


def append_event(
    session: Session, kind: str, actor: str, payload: dict[str, Any],
    submission_pk: int | None = None,
) -> Event:
    """Append one entry inside the caller's write transaction (commit makes it final)."""
    head = session.execute(
        select(ChainHeadRow).where(ChainHeadRow.id == CHAIN_HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        raise StoreError("the event log has no head row: the store was not migrated")
    text = canonical_json(payload)
    decoded = json.loads(text)  # hash what verify will decode, not the caller's objects
    new_id = head.last_event_id + 1
    ts = utcnow().isoformat(timespec="microseconds")
    digest = entry_hash(new_id, ts, actor, kind, submission_pk, decoded, head.last_hash)
    session.add(EventRow(id=new_id, ts=ts, actor=actor, kind=kind, submission_pk=submission_pk,
                         payload=text, prev_hash=head.last_hash, hash=digest))
    head.last_event_id = new_id
    head.last_hash = digest
    session.flush()
    return Event(new_id, ts, actor, kind, submission_pk, decoded, digest)


def verify_chain(session: Session) -> ChainReport:
    """Walk the log in id order and check every link; stop at the first break.

    The head is read first and only entries up to it are walked: an entry and the head
    move in one transaction, so entries appended meanwhile are simply not looked at.
    """
    head = session.get(ChainHeadRow, CHAIN_HEAD_ID)
    if head is None:
        return ChainReport(False, 0, None, "the chain head row is missing")
    rows = session.execute(
        select(EventRow.id, EventRow.ts, EventRow.actor, EventRow.kind, EventRow.submission_pk,
               EventRow.payload, EventRow.prev_hash, EventRow.hash)
        .where(EventRow.id <= head.last_event_id)
        .order_by(EventRow.id).execution_options(yield_per=2000)
    )
    expected_id, prev, checked = 1, GENESIS_HASH, 0
    for id_, ts, actor, kind, submission_pk, payload, prev_hash, stored in rows:
        why = None
        if id_ != expected_id:
            why = f"entry {expected_id} is missing (removed); the next entry is {id_}"
            id_ = expected_id
        elif prev_hash != prev:
            why = "its prev_hash is not the previous entry's hash (an entry was moved or replaced)"
        else:
            try:
                decoded = json.loads(payload)
            except ValueError:
                decoded, why = None, "its payload is not valid JSON (edited)"
            if why is None and entry_hash(
                id_, ts, actor, kind, submission_pk, decoded, prev_hash
            ) != stored:
                why = "its content does not match its hash (edited)"
        if why is not None:
            rows.close()
            return ChainReport(False, checked, id_, why, prev)
        checked += 1
        expected_id, prev = id_ + 1, stored
    if head.last_event_id != expected_id - 1 or head.last_hash != prev:
        why = (f"the log ends at entry {expected_id - 1} but its head names entry "
               f"{head.last_event_id} (entries at the end were removed or the head was edited)")
        return ChainReport(False, checked, expected_id, why, prev)
    return ChainReport(True, checked, None, None, prev)


def events_for(session: Session, submission_pk: int) -> list[Event]:
    """A submission's history (views, edits, decisions), oldest first."""
    rows = session.scalars(
        select(EventRow).where(EventRow.submission_pk == submission_pk).order_by(EventRow.id)
    )
    return [Event(r.id, r.ts, r.actor, r.kind, r.submission_pk, json.loads(r.payload), r.hash)
            for r in rows]
