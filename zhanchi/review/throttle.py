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

from zhanchi.store.core import StoreCore
from zhanchi.store.logins import app_secret, blocked_until, count_failure, forget_failures
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
            value = app_secret(self.store, NAME_KEY_SECRET, secrets.token_hex(32), utcnow())
            self._secret = bytes.fromhex(value)
        return self._secret

    def _keys(self, client: str, name: str) -> dict[str, str]:
        def digest(*parts: str) -> str:
            return hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()
        return {"pair": digest("pair", client, self.name_key(name)),
                "client": digest("client", client)}

    def check(self, client: str, name: str) -> Refusal | None:
        """A refusal while this client (for this name) must wait, else None."""
        keys, now = self._keys(client, name), self.clock()
        rows = blocked_until(self.store, list(keys.values()))
        waits = {key: until for key, until in rows.items() if until is not None and until > now}
        for scope, key in keys.items():
            if key in waits:
                seconds = (waits[key] - now).total_seconds()
                return Refusal(scope, max(1, int(seconds + 0.999)))
        return None

    def failed(self, client: str, name: str) -> list[Refusal]:
        """Count a failure; the brakes it switched on (for the event log)."""
        keys, now = self._keys(client, name), self.clock()
        limits = {"pair": self.pair, "client": self.client}
        # rows whose brake is off and whose count is forgotten (keeps the table small)
        started = count_failure(
            self.store, keys, now,
            forget_before=now - self.forget_after - self.pair.cap - self.client.cap,
            reset_after=self.forget_after,
            delay=lambda scope, failures: limits[scope].delay(failures))
        return [Refusal(scope, max(1, int(delay.total_seconds()))) for scope, delay in started]

    def succeeded(self, client: str, name: str) -> None:
        """Forget this client's failures for this name (not its failures overall)."""
        key = self._keys(client, name)["pair"]
        forget_failures(self.store, key)
