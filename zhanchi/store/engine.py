"""Database URLs and engines: SQLite files by default, PostgreSQL (psycopg 3) by URL.

SQLite is opened in WAL mode with a busy timeout, and every write transaction starts
with ``BEGIN IMMEDIATE``: two processes on one file then queue for the write lock at
the start of a transaction instead of failing with "database is locked" half-way
through it (a deferred transaction cannot wait when it upgrades from read to write).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from zhanchi.errors import StoreError

DATABASE_URL_ENV = "ZHANCHI_DATABASE_URL"
DB_FILE_NAME = "zhanchi.sqlite3"
SQLITE_BUSY_TIMEOUT_S = 60.0
# Execution option that marks an engine's transactions as writes (BEGIN IMMEDIATE).
WRITE_OPTION = "zhanchi_write"


def default_url(out_dir: str | os.PathLike[str]) -> str:
    """The default store: a SQLite file inside the batch's output folder.

    >>> default_url("/data/out")
    'sqlite:////data/out/zhanchi.sqlite3'
    """
    path = Path(out_dir).absolute() / DB_FILE_NAME
    return URL.create("sqlite", database=str(path)).render_as_string()


def resolve_url(db: str | None, out_dir: str | os.PathLike[str]) -> str:
    """``--db`` if given, else ``ZHANCHI_DATABASE_URL``, else the SQLite file in ``out_dir``."""
    return db or os.environ.get(DATABASE_URL_ENV) or default_url(out_dir)


def parse_url(url: str) -> URL:
    """Parse a store URL; a bare ``postgresql://`` means psycopg 3 (the driver we ship)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # never echo the text back: it may hold a password
        raise StoreError(
            "the database URL is malformed (expected sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
    return parsed


def safe_url(url: URL) -> str:
    """The URL for messages: no password and no query string (which may carry one)."""
    return url.set(password=None, query={}).render_as_string(hide_password=True)


def make_engine(url: URL, **pool_options: Any) -> Engine:
    """Create the engine for ``url`` with the settings the store relies on.

    ``pool_options`` (``pool_size``, ``max_overflow``, ``pool_timeout``) size the
    connection pool of a file or server database; tests use them to prove that one
    operation never needs two connections.
    """
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_options)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **pool_options)


def write_engine(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions are writes."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_engine(url: URL, pool_options: dict[str, Any]) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if in_memory:
        # one shared connection, or every session would see its own empty database
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).absolute().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        kwargs.update(pool_options)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own implicit BEGIN
    # is always DEFERRED and is skipped before DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL: a committed decision survives power loss, not only a killed process
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
