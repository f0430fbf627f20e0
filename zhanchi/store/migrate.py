"""Run the store's Alembic migrations from inside the package.

The migration scripts ship as package data (``zhanchi/store/migrations``), and the
Alembic configuration is built in code, so ``Store.open`` works the same from a fresh
clone and from an installed wheel, whatever the working directory.

Concurrent opens of one database must not both create the schema: the whole upgrade
runs in one transaction that first takes the database's write lock (SQLite
``BEGIN IMMEDIATE``; a transaction-scoped advisory lock on PostgreSQL). The loser waits,
then finds the schema at head and does nothing. Both engines have transactional DDL,
so a failed migration leaves no half-made schema behind.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary but fixed: the advisory lock key zhanchi's migrations take on PostgreSQL.
PG_MIGRATION_LOCK_KEY = 0x7A68616E6368  # "zhanch"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts (no ini file, no logging setup)."""
    cfg = Config()
    # configparser interpolation: a literal % in the install path must be doubled
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration this version of zhanchi ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found in the package")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Create or migrate the schema; safe to call from several processes at once.

    ``engine`` must be the store's write engine (so SQLite begins ``IMMEDIATE``).
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": PG_MIGRATION_LOCK_KEY})
        if current_revision(connection) == head_revision():
            return  # the common case: nothing to do, no script loading
        command.upgrade(alembic_config(connection), "head")
