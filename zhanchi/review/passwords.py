"""Password hashing with Argon2id (argon2-cffi), and the rules a new password must meet.

Only the encoded hash (parameters, salt, digest) is stored. Verifying an unknown user
still runs one Argon2 computation against a fixed dummy hash, so the response time
does not tell which account names exist.

Each computation takes 64 MiB and most of a CPU second, so at most ``hash_slots()``
run at once in a process; a login that cannot get a slot within ``SLOT_WAIT_S`` is
answered "busy" (:class:`HashingBusyError`) instead of queueing without end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
SLOT_WAIT_S = 10.0
DEFAULT_HASH_SLOTS = 2


class HashingBusyError(Exception):
    """Every hashing slot stayed taken for ``SLOT_WAIT_S``: try again shortly."""


class _Slots:
    """The process's hashing slots (replaced whole by :func:`use_hash_slots`)."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self.semaphore = threading.BoundedSemaphore(self.count)


_SLOTS = _Slots(DEFAULT_HASH_SLOTS)


def use_hash_slots(count: int) -> None:
    """Allow ``count`` Argon2 computations at once in this process (set at start-up)."""
    global _SLOTS
    _SLOTS = _Slots(count)


def hash_slots() -> int:
    """How many Argon2 computations may run at once in this process."""
    return _SLOTS.count


@contextmanager
def _slot() -> Iterator[None]:
    semaphore = _SLOTS.semaphore
    if not semaphore.acquire(timeout=SLOT_WAIT_S):
        raise HashingBusyError()
    try:
        yield
    finally:
        semaphore.release()


_PARAMETERS: dict[str, int] = {}  # empty: argon2-cffi's RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if not _PARAMETERS:
        return PasswordHasher()  # argon2id (64 MiB, t=3, p=4)
    return PasswordHasher(time_cost=_PARAMETERS.get("time_cost", 3),
                          memory_cost=_PARAMETERS.get("memory_cost", 65536),
                          parallelism=_PARAMETERS.get("parallelism", 4))


def use_parameters(**parameters: int) -> None:
    """Change the Argon2 cost (``time_cost``, ``memory_cost`` KiB, ``parallelism``).

    For tests and benchmarks only: production keeps the default profile. Hashes made
    with other parameters still verify (they carry their own), and are re-hashed with
    the current ones at the next successful login.
    """
    _PARAMETERS.clear()
    _PARAMETERS.update(parameters)
    _hasher.cache_clear()
    _dummy_hash.cache_clear()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a password of any account")


def hash_password(password: str) -> str:
    """The encoded Argon2id hash of ``password`` (random salt each time)."""
    with _slot():
        return _hasher().hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """True when ``password`` matches ``encoded``; ``None`` (no such user) is always False.

    Raises :class:`HashingBusyError` when no hashing slot frees up in time.
    """
    target = encoded or _dummy_hash()
    with _slot():
        try:
            return bool(_hasher().verify(target, password)) and encoded is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(encoded: str) -> bool:
    """True when the stored hash used weaker parameters than the current ones."""
    try:
        return bool(_hasher().check_needs_rehash(encoded))
    except (InvalidHashError, ValueError):  # unreadable: verification fails anyway
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (Chinese), or None.

    >>> password_problem("short")
    '密码至少需要 10 个字符'
    """
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if password.strip() != password:
        return "密码首尾不能是空格"
    if len(set(password)) < 4:
        return "密码过于简单"
    return None
