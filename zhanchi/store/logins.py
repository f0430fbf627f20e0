"""The review app's login state in the database: sessions, the login brake, kept forms.

The rules (how long a session lives, when a client must wait, what a kept form may
hold) are the review app's (:mod:`zhanchi.review.sessions`,
:mod:`zhanchi.review.throttle`, :mod:`zhanchi.review.pending`); here are only the rows
they read and write, each call one transaction. Rows are keyed by digests: no token
a browser holds, and no typed login name, is ever stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from zhanchi.store.core import StoreCore, rows_affected
from zhanchi.store.schema_review import UserRow
from zhanchi.store.schema_sessions import (
    AppSecretRow,
    LoginSessionRow,
    LoginThrottleRow,
    PendingFormRow,
)


@dataclass(frozen=True)
class StoredSession:
    """A session row with its account's name, role and whether the account is active."""

    user_id: int
    name: str
    role: str
    csrf: str
    created_at: datetime
    last_seen_at: datetime
    active: bool


def add_session(store: StoreCore, digest: str, user_id: int, csrf: str, now: datetime, *,
                forget_seen_before: datetime, forget_created_before: datetime) -> None:
    """Store a new session (and forget sessions long expired, to keep the table small)."""
    with store.transaction("create_session") as s:
        s.execute(delete(LoginSessionRow).where(or_(
            LoginSessionRow.last_seen_at < forget_seen_before,
            LoginSessionRow.created_at < forget_created_before)))
        s.add(LoginSessionRow(token_sha256=digest, user_id=user_id, csrf=csrf,
                              created_at=now, last_seen_at=now))


def stored_session(store: StoreCore, digest: str) -> StoredSession | None:
    """The session stored under a token's digest, live or expired (None: unknown)."""
    with store.reader("get_session") as s:
        row = s.execute(
            select(LoginSessionRow, UserRow.name, UserRow.role, UserRow.active)
            .join(UserRow, UserRow.id == LoginSessionRow.user_id)
            .where(LoginSessionRow.token_sha256 == digest)).one_or_none()
    if row is None:
        return None
    session, name, role, active = row
    return StoredSession(session.user_id, name, role, session.csrf, session.created_at,
                         session.last_seen_at, bool(active))


def touch_session(store: StoreCore, digest: str, now: datetime) -> None:
    """Restart a session's idle timer (never moving it backwards)."""
    with store.transaction("touch_session") as s:
        row = s.get(LoginSessionRow, digest)
        if row is not None:
            row.last_seen_at = max(row.last_seen_at, now)


def drop_session(store: StoreCore, digest: str) -> None:
    """Delete one session (logout)."""
    with store.transaction("drop_session") as s:
        s.execute(delete(LoginSessionRow).where(LoginSessionRow.token_sha256 == digest))


def drop_user_sessions(store: StoreCore, user_id: int) -> int:
    """Delete every session of one account; how many there were."""
    with store.transaction("drop_user_sessions") as s:
        result = s.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
        return rows_affected(result)


def app_secret(store: StoreCore, name: str, candidate: str, now: datetime) -> str:
    """The app's secret ``name``, stored as ``candidate`` if it has none yet."""
    with store.transaction("app_secret") as s:
        store.insert_ignore(s, AppSecretRow, {"name": name, "value": candidate,
                                              "created_at": now})
        value = s.scalar(select(AppSecretRow.value).where(AppSecretRow.name == name))
    return str(value)


def blocked_until(store: StoreCore, keys: list[str]) -> dict[str, datetime | None]:
    """Throttle key → until when it is braked (keys without a row are absent)."""
    with store.reader("login_throttle") as s:
        return {key: until for key, until in s.execute(
            select(LoginThrottleRow.key, LoginThrottleRow.blocked_until)
            .where(LoginThrottleRow.key.in_(keys)))}


def count_failure(store: StoreCore, keys: Mapping[str, str], now: datetime, *,
                  forget_before: datetime, reset_after: timedelta,
                  delay: Callable[[str, int], timedelta | None]) -> list[tuple[str, timedelta]]:
    """Count a failed login on every (scope → key) in one transaction.

    A count older than ``reset_after`` starts again; ``delay(scope, failures)`` says how
    long that scope is braked now. Returns the (scope, delay) brakes switched on.
    Rows whose last failure is before ``forget_before`` are deleted first.
    """
    started = []
    with store.transaction("login_failed") as s:
        s.execute(delete(LoginThrottleRow).where(LoginThrottleRow.last_failure_at < forget_before))
        for scope, key in keys.items():
            store.insert_ignore(s, LoginThrottleRow, {
                "key": key, "failures": 0, "last_failure_at": now, "blocked_until": None})
            row = s.get(LoginThrottleRow, key, with_for_update=True)
            assert row is not None
            if now - row.last_failure_at > reset_after:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            wait = delay(scope, row.failures)
            if wait is not None:
                row.blocked_until = now + wait
                started.append((scope, wait))
    return started


def forget_failures(store: StoreCore, key: str) -> None:
    """Delete one throttle key's count."""
    with store.transaction("login_succeeded") as s:
        row = s.get(LoginThrottleRow, key)
        if row is not None:
            s.delete(row)


def keep_pending_form(store: StoreCore, digest: str, user_id: int, path: str, payload: str,
                      now: datetime, *, forget_before: datetime, max_per_user: int) -> None:
    """Store a kept form; an account with ``max_per_user`` kept already loses them all
    first (a loop re-sending forms does not fill the table)."""
    with store.transaction("keep_form") as s:
        s.execute(delete(PendingFormRow).where(PendingFormRow.created_at < forget_before))
        kept = s.scalar(select(func.count()).select_from(PendingFormRow)
                        .where(PendingFormRow.user_id == user_id)) or 0
        if kept >= max_per_user:
            s.execute(delete(PendingFormRow).where(PendingFormRow.user_id == user_id))
        s.add(PendingFormRow(token_sha256=digest, user_id=user_id, path=path,
                             payload=payload, created_at=now))


def take_pending_form(store: StoreCore, digest: str, user_id: int,
                      path: str) -> tuple[str, datetime] | None:
    """The kept form's (payload, created at), deleted as it is read; None when there is
    none under the digest for this account and page (then nothing is deleted)."""
    with store.transaction("take_form") as s:
        row = s.get(PendingFormRow, digest, with_for_update=True)
        if row is None or row.user_id != user_id or row.path != path:
            return None
        s.delete(row)
        return row.payload, row.created_at
