"""Review-app writes that must be atomic with their events: accounts, case locks, decisions.

Each method is one transaction that changes the review tables (``users``,
``case_locks``, ``review_decisions``, ``submission_links``) *and* appends the event
that records it, so the case history always matches the stored state. Read-only
queries of the review app (queue, dashboard, export) live in :mod:`zhanchi.review`.

The mixin is used through :class:`ReviewStore` (``ReviewStore.open(url)``), a
:class:`~zhanchi.store.Store` with these methods added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError, ZhanchiError
from zhanchi.store.chain import append_event
from zhanchi.store.claims import ClaimKey, insert_recorded_claim
from zhanchi.store.core import StoreCore
from zhanchi.store.schema_audit import CLAIM_SOURCE_REVIEWER
from zhanchi.store.schema_pipeline import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_REJECTED,
    STATUS_WAITING,
    SubmissionRow,
)
from zhanchi.store.schema_review import (
    DECISIONS,
    ROLES,
    CaseLockRow,
    ReviewDecisionRow,
    SubmissionLinkRow,
    UserRow,
)
from zhanchi.store.store import Store
from zhanchi.store.types import utcnow

LOCK_IDLE = timedelta(minutes=15)
DECISION_STATUS = {"approve": STATUS_APPROVED, "reject": STATUS_REJECTED,
                   "request_documents": STATUS_WAITING}


class ReviewConflictError(ZhanchiError):
    """A review action that the case's state does not allow (taken, decided, not locked)."""

    reason = "review_conflict"
    exit_code = 1


@dataclass(frozen=True)
class UserAccount:
    """A reviewer or supervisor (the hash never leaves the store except for verification)."""

    id: int
    name: str
    role: str
    password_hash: str
    active: bool


@dataclass(frozen=True)
class CaseLock:
    """Who holds a case, and since when they were last seen working on it."""

    submission_pk: int
    reviewer: str
    locked_at: datetime
    last_seen_at: datetime

    def expired(self, now: datetime, idle: timedelta = LOCK_IDLE) -> bool:
        return self.last_seen_at + idle < now


@dataclass(frozen=True)
class ClaimOutcome:
    """The result of claiming a case: ``ok``, and who holds it now."""

    ok: bool
    holder: str | None
    took_over_from: str | None = None


def _lock(row: CaseLockRow) -> CaseLock:
    return CaseLock(row.submission_pk, row.reviewer, row.locked_at, row.last_seen_at)


def _open_case(s: Session, pk: int) -> SubmissionRow:
    row = s.get(SubmissionRow, pk, with_for_update=True)
    if row is None:
        raise StoreError(f"no submission with pk {pk}")
    return row


class ReviewQueriesMixin(StoreCore):
    """Accounts, case locks, decisions and supplement links, each with its event."""

    # -- accounts ------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, *, actor: str) -> int:
        """Create an account; :class:`StoreError` when the name is taken."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        with self.transaction("add_user") as s:
            if s.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
                raise StoreError(f"user {name!r} exists already")
            user = UserRow(name=name, role=role, password_hash=password_hash, active=True)
            s.add(user)
            s.flush()
            append_event(s, "user.added", actor, {"user": name, "role": role})
            return user.id

    def get_user(self, name: str) -> UserAccount | None:
        """An account by name (active or not), or None."""
        with self.reader("get_user") as s:
            row = s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
            return UserAccount(row.id, row.name, row.role, row.password_hash, row.active) \
                if row else None

    def list_users(self) -> list[UserAccount]:
        """Every account, by name."""
        with self.reader("list_users") as s:
            return [UserAccount(r.id, r.name, r.role, r.password_hash, r.active)
                    for r in s.scalars(select(UserRow).order_by(UserRow.name))]

    def set_user_active(self, name: str, active: bool, *, actor: str) -> bool:
        """Enable or disable an account; False when there is no such account."""
        with self.transaction("set_user_active") as s:
            row = s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
            if row is None:
                return False
            row.active = active
            append_event(s, "user.enabled" if active else "user.disabled", actor, {"user": name})
            return True

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Store a re-hashed password (stronger KDF parameters); no event: nothing changed."""
        with self.transaction("set_password_hash") as s:
            row = s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
            if row is not None:
                row.password_hash = password_hash

    # -- case locks ----------------------------------------------------------------

    def case_lock(self, pk: int) -> CaseLock | None:
        """The lock on a case, expired or not."""
        with self.reader("case_lock") as s:
            row = s.get(CaseLockRow, pk)
            return _lock(row) if row else None

    def claim_case(self, pk: int, reviewer: str, *, idle: timedelta = LOCK_IDLE) -> ClaimOutcome:
        """Lock an open case for ``reviewer``; a lock idle longer than ``idle`` is taken over.

        The submission row is locked first, so two claims of one case are serialised
        (SQLite: the write lock; PostgreSQL: ``FOR UPDATE``) and exactly one wins.
        """
        now = utcnow()
        with self.transaction("claim_case") as s:
            sub = _open_case(s, pk)
            if sub.status != STATUS_DONE:
                raise ReviewConflictError(f"case {pk} is not open for review")
            row = s.get(CaseLockRow, pk)
            if row is None:
                s.add(CaseLockRow(submission_pk=pk, reviewer=reviewer, locked_at=now,
                                  last_seen_at=now))
                append_event(s, "review.claim", reviewer, {}, pk)
                return ClaimOutcome(True, reviewer)
            if row.reviewer == reviewer:
                row.last_seen_at = now
                return ClaimOutcome(True, reviewer)
            if not _lock(row).expired(now, idle):
                return ClaimOutcome(False, row.reviewer)
            previous = row.reviewer
            row.reviewer, row.locked_at, row.last_seen_at = reviewer, now, now
            append_event(s, "review.claim", reviewer, {"took_over_from": previous,
                                                       "why": "idle"}, pk)
            return ClaimOutcome(True, reviewer, previous)

    def touch_case_lock(self, pk: int, reviewer: str, *, idle: timedelta = LOCK_IDLE) -> bool:
        """Keep ``reviewer``'s lock alive; False when they do not hold a live lock."""
        now = utcnow()
        with self.transaction("touch_case_lock") as s:
            row = s.get(CaseLockRow, pk)
            if row is None or row.reviewer != reviewer or _lock(row).expired(now, idle):
                return False
            row.last_seen_at = now
            return True

    def release_case(self, pk: int, actor: str, *, force: bool = False) -> bool:
        """Give a lock up (its holder) or break it (``force``: a supervisor); True if released."""
        with self.transaction("release_case") as s:
            row = s.get(CaseLockRow, pk, with_for_update=True)
            if row is None or (row.reviewer != actor and not force):
                return False
            payload = {"holder": row.reviewer, "forced": row.reviewer != actor}
            s.delete(row)
            append_event(s, "review.release", actor, payload, pk)
            return True

    # -- decisions -----------------------------------------------------------------

    def decide_case(self, pk: int, decision: str, *, reviewer: str, reason: str | None = None,
                    note: str | None = None, claim_key: ClaimKey | None = None,
                    supplements: Sequence[int] = (), idle: timedelta = LOCK_IDLE) -> None:
        """Record a reviewer's decision, its status, event, recorded claim; free the lock.

        Only the holder of a live lock decides an open case. Linked supplement packets
        that are still open take the same final status (approve / reject).
        """
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        status = DECISION_STATUS[decision]
        now = utcnow()
        with self.transaction("decide_case") as s:
            sub = _open_case(s, pk)
            lock = s.get(CaseLockRow, pk)
            if sub.status != STATUS_DONE:
                raise ReviewConflictError(f"case {pk} was decided already")
            if lock is None or lock.reviewer != reviewer or _lock(lock).expired(now, idle):
                raise ReviewConflictError(f"case {pk} is not locked by this reviewer")
            s.add(ReviewDecisionRow(submission_pk=pk, decision=decision, reason=reason,
                                    reviewer=reviewer, decided_at=now))
            old, sub.status = sub.status, status
            append_event(s, "review.decision", reviewer, {
                "decision": decision, "reason": reason, "note": note, "from": old,
                "to": status, "supplements": list(supplements)}, pk)
            if decision != "request_documents":
                for spk in supplements:
                    other = s.get(SubmissionRow, spk, with_for_update=True)
                    if other is not None and other.status == STATUS_DONE:
                        other.status = status
                        append_event(s, "review.decision", reviewer, {
                            "decision": decision, "case_pk": pk, "from": STATUS_DONE,
                            "to": status}, spk)
            if decision == "approve" and claim_key is not None:
                insert_recorded_claim(s, claim_key, pk, CLAIM_SOURCE_REVIEWER, reviewer)
            s.delete(lock)

    # -- supplements ---------------------------------------------------------------

    def link_supplement_to(self, waiting_pk: int, supplement_pk: int, *, actor: str) -> bool:
        """Link a new packet to a waiting case and put the case back in the queue.

        False (nothing changed) when the case is no longer waiting.
        """
        with self.transaction("link_supplement") as s:
            case = _open_case(s, waiting_pk)
            supplement = _open_case(s, supplement_pk)
            if case.status != STATUS_WAITING or waiting_pk == supplement_pk:
                return False
            s.add(SubmissionLinkRow(waiting_pk=waiting_pk, supplement_pk=supplement_pk))
            case.status = STATUS_DONE
            append_event(s, "review.supplement_linked", actor, {
                "supplement_pk": supplement_pk, "supplement_id": supplement.submission_id,
                "revision": supplement.revision, "from": STATUS_WAITING, "to": STATUS_DONE},
                waiting_pk)
            append_event(s, "review.supplement_linked", actor, {
                "case_pk": waiting_pk, "case_id": case.submission_id}, supplement_pk)
            return True

    def supplements_of(self, pk: int) -> list[int]:
        """The packets linked to a case, oldest link first."""
        with self.reader("supplements_of") as s:
            return list(s.scalars(select(SubmissionLinkRow.supplement_pk).where(
                SubmissionLinkRow.waiting_pk == pk).order_by(SubmissionLinkRow.id)))

    def case_of_supplement(self, pk: int) -> int | None:
        """The case a packet was linked into as a supplement, if any."""
        with self.reader("case_of_supplement") as s:
            return s.scalar(select(SubmissionLinkRow.waiting_pk).where(
                SubmissionLinkRow.supplement_pk == pk).order_by(SubmissionLinkRow.id.desc())
                .limit(1))


class ReviewStore(ReviewQueriesMixin, Store):
    """The store with the review app's operations (open with ``ReviewStore.open(url)``)."""

    @classmethod
    def open(cls, url: str) -> ReviewStore:
        """Connect and migrate, as :meth:`Store.open`."""
        store = super().open(url)
        assert isinstance(store, ReviewStore)
        return store

    def __enter__(self) -> ReviewStore:
        return self

    @classmethod
    def sharing(cls, store: Store) -> ReviewStore:
        """A review store on an open store's engine (no second connection pool)."""
        return store if isinstance(store, ReviewStore) else cls(store.engine, store.url)
