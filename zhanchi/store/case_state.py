"""A case's state machine: every change is checked and made in ONE transaction.

States (``submissions.status``): ``done`` — decided by the pipeline (in the review
queue when routed ``review``); a reviewer's decision moves it to ``approved``,
``rejected`` or ``waiting`` (more documents requested); a supplement packet moves
``waiting`` back to ``done``; only a supervisor's audited reopen moves a decided case
back to ``done``. Fields and checks change only in ``done``.

:meth:`CaseStateMixin.case_change` opens one write transaction, locks the case's row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the transaction began ``IMMEDIATE``
and holds the file's write lock), checks the state, the reviewer's case lock and,
for a decision, the case version the reviewer saw; the caller then changes the case
through :class:`CaseTx`, and the version goes up before the commit. The row lock
makes check and change atomic against every other request; the version catches what
changed between the reviewer's page and their decision, which no transaction spans.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError, ZhanchiError
from zhanchi.models import Check, Document, FieldValue, route_of
from zhanchi.store.case_edits import apply_edit, decide_in, link_in, reopen_in
from zhanchi.store.chain import append_event
from zhanchi.store.claims import ClaimKey, insert_recorded_claim
from zhanchi.store.core import StoreCore
from zhanchi.store.result_rows import load_checks, load_documents, write_checks
from zhanchi.store.schema_case import CaseVersionRow
from zhanchi.store.schema_pipeline import STATUS_DONE, SubmissionRow
from zhanchi.store.schema_review import CaseLockRow, SubmissionLinkRow
from zhanchi.store.types import utcnow

LOCK_IDLE = timedelta(minutes=15)


class ReviewConflictError(ZhanchiError):
    """A review action that the case's state does not allow (taken, decided, not locked)."""

    reason = "review_conflict"
    exit_code = 1


class CaseClosedError(ReviewConflictError):
    """The case is not in a state that allows the change (decided, or not waiting)."""

    reason = "case_closed"


class NotHolderError(ReviewConflictError):
    """The reviewer does not hold a live lock on the case."""

    reason = "case_not_held"


class StaleCaseError(ReviewConflictError):
    """The case changed (fields, checks, packets) since the reviewer's page showed it."""

    reason = "case_stale"


@dataclass(frozen=True)
class CaseLock:
    """Who holds a case, and since when they were last seen working on it."""

    submission_pk: int
    reviewer: str
    locked_at: datetime
    last_seen_at: datetime

    def expired(self, now: datetime, idle: timedelta = LOCK_IDLE) -> bool:
        return self.last_seen_at + idle < now


def lock_of(row: CaseLockRow) -> CaseLock:
    return CaseLock(row.submission_pk, row.reviewer, row.locked_at, row.last_seen_at)


@dataclass(frozen=True)
class Part:
    """One packet of a case: the case's own (first) or a supplement linked into it."""

    pk: int
    submission_id: str
    revision: int
    content_sha256: str
    documents: list[Document]


@dataclass
class CaseTx:
    """The open transaction of one case change; use only inside ``case_change``."""

    s: Session
    row: SubmissionRow
    actor: str
    version: int
    lock: CaseLockRow | None
    changed: bool = field(default=False)

    @property
    def pk(self) -> int:
        return self.row.pk

    def packet_pks(self) -> list[int]:
        """The case's own packet and its linked supplements, oldest link first."""
        links = self.s.scalars(select(SubmissionLinkRow.supplement_pk).where(
            SubmissionLinkRow.waiting_pk == self.pk).order_by(SubmissionLinkRow.id))
        return [self.pk, *links]

    def parts(self) -> list[Part]:
        """Every packet of the case with its documents as they stand in this transaction."""
        out = []
        for pk in self.packet_pks():
            row = self.row if pk == self.pk else self.s.get(SubmissionRow, pk)
            if row is not None:
                out.append(Part(pk, row.submission_id, row.revision, row.content_sha256,
                                load_documents(self.s, pk)))
        return out

    def checks(self, pk: int | None = None) -> tuple[int, list[Check]]:
        """The latest run of checks of the case (or of one of its packets)."""
        return load_checks(self.s, self.pk if pk is None else pk)

    def held(self, now: datetime, idle: timedelta = LOCK_IDLE) -> bool:
        """True when a reviewer holds a live lock on the case."""
        return self.lock is not None and not lock_of(self.lock).expired(now, idle)

    def edit_field(self, packet_pk: int, document_index: int, name: str,
                   value: FieldValue) -> FieldValue | None:
        """A reviewer's correction of one field of one of the case's packets; the old value."""
        if packet_pk not in self.packet_pks():
            raise StoreError(f"packet {packet_pk} is not part of case {self.pk}")
        old = apply_edit(self.s, packet_pk, document_index, name, value, self.actor)
        self.changed = True
        return old

    def record_checks(self, checks: list[Check], *, policy_version: str | None, kind: str,
                      payload: dict[str, object]) -> int:
        """Store a new run of the case's checks and make its route current; the run number."""
        route, reasons = route_of(checks)
        if self.row.route == "review":
            # A recheck may send a packet to review, never take one out: a held case
            # stays held until a reviewer decides it, whatever the checks now say.
            route = "review"
        run = write_checks(self.s, self.pk, checks, policy_version)
        self.row.route, self.row.reasons = route, reasons
        append_event(self.s, kind, self.actor, {**payload, "run": run, "route": route,
                                                "reasons": reasons, "policy": policy_version},
                     self.pk)
        self.changed = True
        return run

    def record_claim(self, key: ClaimKey, source: str) -> None:
        """Record the case's claim (once per source) for later duplicate checks."""
        insert_recorded_claim(self.s, key, self.pk, source, self.actor)

    def decide(self, decision: str, *, reason: str | None, note: str | None,
               claim_key: ClaimKey | None) -> str:
        """The reviewer's decision (the lock holder's); frees the lock. The new status."""
        if self.lock is None or self.lock.reviewer != self.actor:
            raise NotHolderError(f"case {self.pk} is not locked by this reviewer")
        status = decide_in(self.s, self.row, decision, reviewer=self.actor, reason=reason,
                           note=note, claim_key=claim_key, supplements=self.packet_pks()[1:],
                           version=self.version)
        self.s.delete(self.lock)
        self.lock = None
        self.changed = True
        return status

    def link_supplement(self, supplement_pk: int) -> None:
        """Link a new packet to this waiting case; the case goes back to the queue."""
        link_in(self.s, self.row, supplement_pk, self.actor)
        self.changed = True

    def reopen(self, reason: str) -> str:
        """A supervisor reopens a decided case (audited); returns the status it had."""
        old = reopen_in(self.s, self.row, self.packet_pks()[1:], self.actor, reason)
        self.changed = True
        return old


class CaseStateMixin(StoreCore):
    """Case transitions, each checked and made in one transaction."""

    def case_version(self, pk: int) -> int:
        """How many times the case changed since the pipeline decided it."""
        with self.reader("case_version") as s:
            return s.scalar(select(CaseVersionRow.version).where(
                CaseVersionRow.submission_pk == pk)) or 0

    @contextmanager
    def case_change(self, pk: int, *, actor: str, states: Collection[str] = (STATUS_DONE,),
                    holder: str | None = None, idle: timedelta = LOCK_IDLE,
                    version: int | None = None,
                    operation: str = "case_change") -> Iterator[CaseTx]:
        """One checked transition of case ``pk``: the block changes it through a CaseTx.

        Raises :class:`CaseClosedError` when the case is not in ``states``,
        :class:`NotHolderError` when ``holder`` does not hold a live lock on it (a held
        lock is kept alive), :class:`StaleCaseError` when ``version`` is given and the
        case has moved on since. Nothing is stored when the block raises.
        """
        with self.transaction(operation) as s:
            row = s.get(SubmissionRow, pk, with_for_update=True)
            if row is None:
                raise StoreError(f"no submission with pk {pk}")
            if row.status not in states:
                raise CaseClosedError(f"case {pk} is {row.status}")
            lock = s.get(CaseLockRow, pk, with_for_update=True)
            now = utcnow()
            if holder is not None:
                if lock is None or lock.reviewer != holder or lock_of(lock).expired(now, idle):
                    raise NotHolderError(f"case {pk} is not locked by this reviewer")
                lock.last_seen_at = now
            current = s.get(CaseVersionRow, pk)
            seen = current.version if current is not None else 0
            if version is not None and version != seen:
                raise StaleCaseError(f"case {pk} is at version {seen}, not {version}")
            tx = CaseTx(s, row, actor, seen, lock)
            yield tx
            if tx.changed:
                if current is None:
                    s.add(CaseVersionRow(submission_pk=pk, version=seen + 1, changed_at=now))
                else:
                    current.version, current.changed_at = seen + 1, now
