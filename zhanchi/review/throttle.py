"""A brake on password guessing that a stranger cannot use to lock a reviewer out.

Failures are counted per client address *and name* and per client address alone, in
the database (``login_throttle``), so every server process sees the same counts.
After a few free failures each further one makes that client wait longer (1 s, 2 s,
4 s … up to a cap) before its next try is even looked at. There is no count per name
alone: failures from one machine never stop the right password from another. A
success clears its (client, name) count; the per-client count fades on its own (a
guesser cannot reset it by logging in to an account of their own).

Rows are keyed by a SHA-256 of the client and a keyed hash (HMAC) of the name, so the
table holds no typed names: people type passwords into the name box. The same keyed
hash names an unknown login name in the event log (:func:`name_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from zhanchi.store.core import StoreCore
from zhanchi.store.schema_sessions import AppSecretRow, LoginThrottleRow
from zhanchi.store.types import utcnow

NAME_KEY_SECRET = "login_name_hmac"


@dataclass(frozen=True)
class Limit:
    """``free`` failures without delay, then ``first`` doubling per failure up to ``cap``."""

    free: int
    cap: timedelta
    first: timedelta = timedelta(seconds=1)

    def delay(self, failures: int) -> timedelta | None:
        """How long to refuse after the ``failures``-th failure (None: no delay yet).

        >>> Limit(3, timedelta(seconds=60)).delay(3), Limit(3, timedelta(seconds=60)).delay(6)
        (None, datetime.timedelta(seconds=4))
        """
        extra = failures - self.free
        if extra <= 0:
            return None
        return min(self.cap, self.first * 2 ** min(extra - 1, 30))


@dataclass(frozen=True)
class Refusal:
    """A login not even tried: who is braked (``pair`` or ``client``) and for how long."""

    scope: str
    retry_after: int  # whole seconds, at least 1


@dataclass
class LoginThrottle:
    """Counts failed logins in the store; see the module text for the rules."""

    store: StoreCore
    pair: Limit = Limit(free=5, cap=timedelta(minutes=15))
    client: Limit = Limit(free=20, cap=timedelta(minutes=5))
    forget_after: timedelta = timedelta(minutes=30)
    clock: Callable[[], datetime] = utcnow
    _secret: bytes | None = field(default=None, repr=False)

    def name_key(self, name: str) -> str:
        """A keyed hash of a login name: the same name gives the same key, the key no name."""
        return hmac.new(self._key(), name.encode("utf-8", "replace"), hashlib.sha256
                        ).hexdigest()[:32]

    def _key(self) -> bytes:
        if self._secret is None:
            with self.store.transaction("app_secret") as s:
                self.store.insert_ignore(s, AppSecretRow, {
                    "name": NAME_KEY_SECRET, "value": secrets.token_hex(32),
                    "created_at": utcnow()})
                value = s.scalar(select(AppSecretRow.value).where(
                    AppSecretRow.name == NAME_KEY_SECRET))
            self._secret = bytes.fromhex(str(value))
        return self._secret

    def _keys(self, client: str, name: str) -> dict[str, str]:
        def digest(*parts: str) -> str:
            return hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()
        return {"pair": digest("pair", client, self.name_key(name)),
                "client": digest("client", client)}

    def check(self, client: str, name: str) -> Refusal | None:
        """A refusal while this client (for this name) must wait, else None."""
        keys, now = self._keys(client, name), self.clock()
        with self.store.reader("login_throttle") as s:
            rows = s.execute(select(LoginThrottleRow.key, LoginThrottleRow.blocked_until)
                             .where(LoginThrottleRow.key.in_(list(keys.values())))).all()
        waits = {key: until for key, until in rows if until is not None and until > now}
        for scope, key in keys.items():
            if key in waits:
                seconds = (waits[key] - now).total_seconds()
                return Refusal(scope, max(1, int(seconds + 0.999)))
        return None

    def failed(self, client: str, name: str) -> list[Refusal]:
        """Count a failure; the brakes it switched on (for the event log)."""
        keys, now = self._keys(client, name), self.clock()
        limits = {"pair": self.pair, "client": self.client}
        started = []
        with self.store.transaction("login_failed") as s:
            # rows whose brake is off and whose count is forgotten (keeps the table small)
            s.execute(delete(LoginThrottleRow).where(
                LoginThrottleRow.last_failure_at < now - self.forget_after - self.pair.cap
                - self.client.cap))
            for scope, key in keys.items():
                self.store.insert_ignore(s, LoginThrottleRow, {
                    "key": key, "failures": 0, "last_failure_at": now, "blocked_until": None})
                row = s.get(LoginThrottleRow, key, with_for_update=True)
                assert row is not None
                if now - row.last_failure_at > self.forget_after:
                    row.failures = 0
                row.failures += 1
                row.last_failure_at = now
                delay = limits[scope].delay(row.failures)
                if delay is not None:
                    row.blocked_until = now + delay
                    started.append(Refusal(scope, max(1, int(delay.total_seconds()))))
        return started

    def succeeded(self, client: str, name: str) -> None:
        """Forget this client's failures for this name (not its failures overall)."""
        key = self._keys(client, name)["pair"]
        with self.store.transaction("login_succeeded") as s:
            row = s.get(LoginThrottleRow, key)
            if row is not None:
                s.delete(row)
