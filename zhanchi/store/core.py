"""The store's connection handling: sessions, transactions and error translation.

Every public store operation runs in exactly one transaction from :meth:`transaction`
(writes) or :meth:`reader` (reads). An operation called while the same thread (or
task) already has one of the store's transactions open *joins* it instead of taking a
second connection: a read inside a write sees the write's own changes, and a request
never holds one pooled connection while waiting for another. (It did: a field edit's
recheck read the policy, aliases and claims on fresh connections inside the edit's
transaction, and 20 reviewers at once exhausted the pool — 30 s stalls, then 503s.)
A write inside a read-only session is refused, since it could not wait for the lock.
Database errors leave the store as
:class:`~zhanchi.errors.StoreError` whose message names the operation and the error
class only: driver messages can quote row values (certificate numbers, names).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import URL, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from zhanchi.errors import StoreError
from zhanchi.store.engine import safe_url, write_engine
from zhanchi.store.types import Base


def describe_db_error(exc: BaseException) -> str:
    """``ClassName`` (and SQLSTATE) of a database error, without its message text."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(
        orig, "sqlite_errorname", None
    )
    name = type(orig).__name__
    return f"{name} {code}" if code else name


# Per thread/task: id(store) → (its open session, whether that session writes).
# (Copied on change, never mutated: a thread or task sees only its own.)
_OPEN: ContextVar[dict[int, tuple[Session, bool]] | None] = ContextVar("zhanchi_store_open",
                                                                       default=None)


def rows_affected(result: object) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched (0 where the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)


def _open_sessions() -> dict[int, tuple[Session, bool]]:
    return _OPEN.get() or {}


class NestedWriteError(StoreError):
    """A write transaction was asked for inside a read-only session of the same store."""

    reason = "nested_write"


class StoreCore:
    """Engine, session factories and the transaction helpers the repositories share."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url
        self.safe_url = safe_url(url)
        self._writer = sessionmaker(bind=write_engine(engine), expire_on_commit=False)
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, operation: str = "write") -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on error.

        On SQLite it begins ``IMMEDIATE`` (it waits for the file's write lock up
        front), so keep blocks short and do no OCR inside one.
        """
        joined = _open_sessions().get(id(self))
        if joined is not None:
            session, writes = joined
            if not writes:
                raise NestedWriteError(f"store {operation}: a write inside a read-only session")
            yield session  # the outer transaction commits or rolls back
            return
        session = self._writer()
        token = _OPEN.set({**_open_sessions(), id(self): (session, True)})
        try:
            with _translated(operation, self.safe_url):
                with session.begin():
                    yield session
        finally:
            _OPEN.reset(token)
            session.close()

    @contextmanager
    def reader(self, operation: str = "read") -> Iterator[Session]:
        """A read-only session (a consistent snapshot on SQLite, read committed on PostgreSQL)."""
        joined = _open_sessions().get(id(self))
        if joined is not None:
            yield joined[0]  # inside an open transaction: read through it
            return
        session = self._reader()
        token = _OPEN.set({**_open_sessions(), id(self): (session, False)})
        try:
            with _translated(operation, self.safe_url):
                yield session
        finally:  # close() rolls the read transaction back
            _OPEN.reset(token)
            session.close()

    def insert_ignore(self, session: Session, model: type[Base], values: Mapping[str, Any]) -> bool:
        """Insert a row unless its primary key exists; True when inserted (content-addressed data)."""
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(model).values(**values).on_conflict_do_nothing()
        return rows_affected(session.execute(stmt)) != 0

    def close(self) -> None:
        """Release the connection pool (the store object must not be used afterwards)."""
        self.engine.dispose()

    def __enter__(self) -> StoreCore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@contextmanager
def _translated(operation: str, where: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(
            f"store {operation} failed on {where}: {describe_db_error(exc)}"
        ) from None
