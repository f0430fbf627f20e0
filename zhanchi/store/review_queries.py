"""Review-app writes that must be atomic with their events: accounts, case locks, decisions.

Each method is one transaction that changes the review tables (``users``,
``case_locks``, ``review_decisions``, ``submission_links``) *and* appends the event
that records it, so the case history always matches the stored state. Read-only
reads of the review app live in :mod:`zhanchi.store.queue_reads` (the queue),
:mod:`zhanchi.store.report_reads` (dashboard, export) and :mod:`zhanchi.store.logins`.

The mixin is used through :class:`ReviewStore` (``ReviewStore.open(url)``), a
:class:`~zhanchi.store.Store` with these methods added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError
from zhanchi.store.case_state import (
    LOCK_IDLE,
    CaseClosedError,
    CaseLock,
    CaseStateMixin,
    NotHolderError,
    ReviewConflictError,
    StaleCaseError,
    lock_of,
)
from zhanchi.store.chain import append_event
from zhanchi.store.claims import ClaimKey
from zhanchi.store.core import rows_affected
from zhanchi.store.schema_pipeline import STATUS_DONE, SubmissionRow
from zhanchi.store.schema_review import ROLES, CaseLockRow, SubmissionLinkRow, UserRow
from zhanchi.store.store import Store
from zhanchi.store.types import utcnow

__all__ = ["LOCK_IDLE", "CaseClosedError", "CaseLock", "ClaimOutcome", "NotHolderError",
           "ReviewConflictError", "ReviewStore", "StaleCaseError", "UserAccount"]

@dataclass(frozen=True)
class UserAccount:
    """A reviewer or supervisor (the hash never leaves the store except for verification)."""

    id: int
    name: str
    role: str
    password_hash: str
    active: bool


@dataclass(frozen=True)
class ClaimOutcome:
    """The result of claiming a case: ``ok``, and who holds it now."""

    ok: bool
    holder: str | None
    took_over_from: str | None = None


def _open_case(s: Session, pk: int) -> SubmissionRow:
    row = s.get(SubmissionRow, pk, with_for_update=True)
    if row is None:
        raise StoreError(f"no submission with pk {pk}")
    return row


class ReviewQueriesMixin(CaseStateMixin):
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
            return lock_of(row) if row else None

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
            if not lock_of(row).expired(now, idle):
                return ClaimOutcome(False, row.reviewer)
            previous = row.reviewer
            row.reviewer, row.locked_at, row.last_seen_at = reviewer, now, now
            append_event(s, "review.claim", reviewer, {"took_over_from": previous,
                                                       "why": "idle"}, pk)
            return ClaimOutcome(True, reviewer, previous)

    def touch_case_lock(self, pk: int, reviewer: str, *, idle: timedelta = LOCK_IDLE) -> bool:
        """Keep ``reviewer``'s lock alive; False when they do not hold a live lock."""
        now = utcnow()
        with self.transaction("touch_case_lock") as s:  # one statement: held and not expired
            result = s.execute(update(CaseLockRow).where(
                CaseLockRow.submission_pk == pk, CaseLockRow.reviewer == reviewer,
                CaseLockRow.last_seen_at >= now - idle).values(last_seen_at=now)
                .execution_options(synchronize_session=False))
            return rows_affected(result) == 1

    def release_case(self, pk: int, actor: str, *, force: bool = False) -> bool:
        """Give a lock up (its holder) or break it (``force``: a supervisor); True if released."""
        with self.transaction("release_case") as s:
            _open_case(s, pk)  # the case's row first, as every case transition locks it
            row = s.get(CaseLockRow, pk, with_for_update=True)
            if row is None or (row.reviewer != actor and not force):
                return False
            payload = {"holder": row.reviewer, "forced": row.reviewer != actor}
            s.delete(row)
            append_event(s, "review.release", actor, payload, pk)
            return True

    # -- decisions (through the case state machine) -------------------------------

    def decide_case(self, pk: int, decision: str, *, reviewer: str, reason: str | None = None,
                    note: str | None = None, claim_key: ClaimKey | None = None,
                    idle: timedelta = LOCK_IDLE, version: int | None = None) -> None:
        """Record a reviewer's decision, its status, event, recorded claim; free the lock.

        Only the holder of a live lock decides an open case; with ``version``, only if
        the case is still at the version the reviewer saw (else :class:`StaleCaseError`).
        """
        with self.case_change(pk, actor=reviewer, holder=reviewer, idle=idle, version=version,
                              operation="decide_case") as tx:
            tx.decide(decision, reason=reason, note=note, claim_key=claim_key)

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
