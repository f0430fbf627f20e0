"""Password hashing with Argon2id (argon2-cffi), and the rules a new password must meet.

Only the encoded hash (parameters, salt, digest) is stored. Verifying an unknown user
still runs one Argon2 computation against a fixed dummy hash, so the response time
does not tell which account names exist.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10


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
    return _hasher().hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """True when ``password`` matches ``encoded``; ``None`` (no such user) is always False."""
    try:
        return bool(_hasher().verify(encoded or _dummy_hash(), password)) and encoded is not None
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
