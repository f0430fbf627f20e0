"""The store's connection handling: sessions, transactions and error translation.

Every public store operation runs in exactly one transaction from :meth:`transaction`
(writes) or :meth:`reader` (reads). Database errors leave the store as
:class:`~zhanchi.errors.StoreError` whose message names the operation and the error
class only: driver messages can quote row values (certificate numbers, names).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
        session = self._writer()
        try:
            with _translated(operation, self.safe_url):
                with session.begin():
                    yield session
        finally:
            session.close()

    @contextmanager
    def reader(self, operation: str = "read") -> Iterator[Session]:
        """A read-only session (a consistent snapshot on SQLite, read committed on PostgreSQL)."""
        session = self._reader()
        try:
            with _translated(operation, self.safe_url):
                yield session
        finally:  # close() rolls the read transaction back
            session.close()

    def insert_ignore(self, session: Session, model: type[Base], values: Mapping[str, Any]) -> bool:
        """Insert a row unless its primary key exists; True when inserted (content-addressed data)."""
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(model).values(**values).on_conflict_do_nothing()
        result = session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

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
