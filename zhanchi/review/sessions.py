"""Login sessions kept in the database, so restarts and several server processes share them.

The browser holds only a random token; the table ``login_sessions`` keeps its SHA-256
with the account, the session's CSRF token and its times. A session ends after
``idle`` without a request, after ``absolute`` in any case, at logout (the row is
deleted, so a copied cookie is worthless afterwards), and when its account is
disabled. Each request reads one row joined with its account (a role change applies
at once); the idle timer is written back at most once a minute, not on every request.

An expired row stays a while (``KEEP_EXPIRED``) so that a form sent just after expiry
can still be told apart from a forged one (:meth:`SessionStore.expired_owner`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from zhanchi.store.core import StoreCore
from zhanchi.store.logins import (
    add_session,
    drop_session,
    drop_user_sessions,
    stored_session,
    touch_session,
)
from zhanchi.store.types import utcnow

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=10)
KEEP_EXPIRED = timedelta(hours=12)
MAX_TOKEN_LENGTH = 200


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a browser's token is stored."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass
class LoginSession:
    """Who is logged in, with the CSRF token every form of theirs must carry."""

    user_id: int
    name: str
    role: str
    csrf: str
    created: datetime
    last_seen: datetime

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


@dataclass
class SessionStore:
    """Tokens → sessions in the store's ``login_sessions`` table (safe across processes)."""

    store: StoreCore
    idle: timedelta = IDLE
    absolute: timedelta = ABSOLUTE
    clock: Callable[[], datetime] = utcnow

    @property
    def touch_every(self) -> timedelta:
        """How stale the stored idle timer may get before a request writes it back."""
        return min(timedelta(minutes=1), self.idle / 10)

    def create(self, user_id: int, name: str, role: str) -> tuple[str, LoginSession]:
        """A new session; returns the token to put in the cookie (the only place it exists)."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.clock()
        add_session(self.store, token_digest(token), user_id, csrf, now,
                    forget_seen_before=now - self.idle - KEEP_EXPIRED,
                    forget_created_before=now - self.absolute - KEEP_EXPIRED)
        return token, LoginSession(user_id, name, role, csrf, now, now)

    def _load(self, token: str | None) -> tuple[LoginSession, bool] | None:
        """The session of a token, live or expired, and whether its account is active."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = stored_session(self.store, token_digest(token))
        if row is None:
            return None
        return LoginSession(row.user_id, row.name, row.role, row.csrf, row.created_at,
                            row.last_seen_at), row.active

    def expired(self, session: LoginSession, now: datetime) -> bool:
        return now - session.last_seen > self.idle or now - session.created > self.absolute

    def get(self, token: str | None) -> LoginSession | None:
        """The live session of a token (its idle timer restarted), or None."""
        loaded = self._load(token)
        if loaded is None:
            return None
        session, active = loaded
        now = self.clock()
        if not active:  # disabled since login: every session of the account ends
            self.drop_user(session.user_id)
            return None
        if self.expired(session, now):
            return None
        if now - session.last_seen >= self.touch_every:
            touch_session(self.store, token_digest(token or ""), now)
            session.last_seen = now
        return session

    def expired_owner(self, token: str | None, csrf: str) -> int | None:
        """The account of an *expired* session whose CSRF token is ``csrf``, else None.

        Proves that a form arriving after expiry came from that account's own page (a
        forged cross-site form cannot know the token), so it may be kept for them.
        """
        loaded = self._load(token)
        if loaded is None or not csrf:
            return None
        session, active = loaded
        if not active or not self.expired(session, self.clock()):
            return None
        return session.user_id if hmac.compare_digest(session.csrf.encode(), csrf.encode("utf-8", "replace")) else None

    def drop(self, token: str | None) -> None:
        """Log a token out (its row is deleted)."""
        if token and len(token) <= MAX_TOKEN_LENGTH:
            drop_session(self.store, token_digest(token))

    def drop_user(self, user_id: int) -> int:
        """End every session of one account (disabled, password changed); how many."""
        return drop_user_sessions(self.store, user_id)
