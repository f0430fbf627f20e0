"""Server-side login sessions that expire, and a brake on password guessing.

The browser holds only a random token; the server keeps its SHA-256 with the user,
the session's CSRF token and its times. A session ends after ``idle`` without a
request, after ``absolute`` in any case, and at logout (the token is forgotten, so a
copied cookie is worthless afterwards). Sessions live in the server process: a
restart logs everyone out, which is the safe side for a back-office tool.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class LoginSession:
    """Who is logged in, with the CSRF token every form of theirs must carry."""

    user_id: int
    name: str
    role: str
    csrf: str
    created: float
    last_seen: float

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


@dataclass
class SessionStore:
    """Tokens → sessions, thread-safe (the app serves requests from a thread pool)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=10)
    clock: Callable[[], float] = time.time
    _sessions: dict[str, LoginSession] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, user_id: int, name: str, role: str) -> tuple[str, LoginSession]:
        """A new session; returns the token to put in the cookie (only place it exists)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        session = LoginSession(user_id, name, role, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._prune(now)
            self._sessions[_digest(token)] = session
        return token, session

    def get(self, token: str | None) -> LoginSession | None:
        """The live session of a token (its idle timer restarted), or None."""
        if not token or len(token) > 200:
            return None
        key, now = _digest(token), self.clock()
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[key]
                return None
            session.last_seen = now
            return session

    def drop(self, token: str | None) -> None:
        """Log a token out."""
        if token:
            with self._lock:
                self._sessions.pop(_digest(token), None)

    def drop_user(self, name: str) -> int:
        """End every session of one account (disabled, password changed); how many."""
        with self._lock:
            keys = [k for k, s in self._sessions.items() if s.name == name]
            for key in keys:
                del self._sessions[key]
            return len(keys)

    def _expired(self, session: LoginSession, now: float) -> bool:
        return (now - session.last_seen > self.idle.total_seconds()
                or now - session.created > self.absolute.total_seconds())

    def _prune(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]


@dataclass
class LoginThrottle:
    """After ``limit`` failed logins for one name within ``window``, refuse for ``pause``."""

    limit: int = 5
    window: timedelta = timedelta(minutes=15)
    pause: timedelta = timedelta(minutes=5)
    clock: Callable[[], float] = time.time
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, name: str) -> bool:
        """True while ``name`` is paused after too many failures."""
        now = self.clock()
        with self._lock:
            recent = self._recent(name, now)
            return len(recent) >= self.limit and now - recent[-1] < self.pause.total_seconds()

    def failed(self, name: str) -> None:
        now = self.clock()
        with self._lock:
            self._failures[name] = [*self._recent(name, now), now][-self.limit:]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _recent(self, name: str, now: float) -> list[float]:
        return [t for t in self._failures.get(name, []) if now - t < self.window.total_seconds()]
