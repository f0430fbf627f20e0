"""Database fixtures for the store tests: every store test runs on SQLite and PostgreSQL.

PostgreSQL is real: ``ZHANCHI_TEST_PG_URL`` names an admin URL (``.ci/run`` sets it to
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). The session creates a database
of its own (``zhanchi_test_<random>``) and drops it at the end; each test gets a fresh
schema in it (via ``search_path``), so tests never see each other's rows. Without the
variable the PostgreSQL cases skip and say why.

Load with ``pytest_plugins = ["pg_fixtures"]`` in a test module (tests/conftest.py is the
lead's; this plugin keeps the store's fixtures out of it).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import OperationalError

from zhanchi.store import Store, default_url

PG_ENV = "ZHANCHI_TEST_PG_URL"
PG_SKIP_REASON = "ZHANCHI_TEST_PG_URL not set: no PostgreSQL server configured"


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A database created for this test session on the configured server (dropped after)."""
    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(PG_SKIP_REASON)
    admin = _psycopg(admin)
    name = f"zhanchi_test_{secrets.token_hex(6)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:  # configured but unreachable: a failure, not a skip
        pytest.fail(f"{PG_ENV} is set but the server cannot be used: {type(exc.orig).__name__}")
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


def pg_schema_url(database_url: str, schema: str) -> str:
    """``database_url`` with ``schema`` first on the search path (tables are created there)."""
    parsed = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield default_url(tmp_path)
        return
    database_url = request.getfixturevalue("pg_database_url")
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield pg_schema_url(database_url, schema)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An opened (migrated) store on an empty database; closed after the test."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
