"""Real Prefect servers for the flow tests: started once per session, torn down after.

- ``prefect_server``: ``prefect server start`` on a free loopback port with its own
  ``PREFECT_HOME`` and SQLite file (~8–20 s to start here).
- ``prefect_pg_server``: the same on PostgreSQL, in a database created for the session
  on the server named by ``ZHANCHI_TEST_PG_URL`` (``.ci/run`` sets it; never the
  project's database, never ``test`` itself) and dropped at the end.

Both run with the offline settings of PREFECT.md and no UI. ``prefect_client_env``
gives the environment for a subprocess that should use a server; ``use_server`` points
the flows of *this* process at one (``temporary_settings``: environment variables set
after ``import prefect`` have no effect).

Load with ``pytest_plugins = ["prefect_fixtures"]`` in a test module.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from zhanchi.flows.prefect_env import DEFAULTS as OFFLINE

PG_ENV = "ZHANCHI_TEST_PG_URL"
STARTUP_TIMEOUT = 180.0
PREFECT = Path(sys.executable).with_name("prefect")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client_env(api_url: str, **extra: str) -> dict[str, str]:
    """Environment for a subprocess that talks to the server at ``api_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update(OFFLINE)
    env.update({"PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "INFO", **extra})
    return env


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


@contextmanager
def running_server(home: Path, database_url: str) -> Iterator[str]:
    """Start ``prefect server start``; yield its API URL; stop it (whole process group)."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(OFFLINE)
    env.update(PREFECT_HOME=str(home), PREFECT_API_DATABASE_CONNECTION_URL=database_url,
               PREFECT_UI_ENABLED="false", PREFECT_SERVER_UI_ENABLED="false",
               PREFECT_LOGGING_LEVEL="WARNING")
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port",
                             str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(api_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (home / "server.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"prefect server did not start (exit {proc.returncode}):\n{tail}")
            time.sleep(0.5)
        yield api_url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """API URL of a SQLite-backed ``prefect server start`` for this session."""
    home = tmp_path_factory.mktemp("prefect_sqlite")
    with running_server(home, f"sqlite+aiosqlite:///{home / 'prefect.db'}") as url:
        yield url


@pytest.fixture(scope="session")
def prefect_pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """API URL of a PostgreSQL-backed ``prefect server start`` in a database of its own."""
    from sqlalchemy import create_engine, make_url

    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(f"{PG_ENV} not set: no PostgreSQL server configured")
    admin_url = make_url(admin).set(drivername="postgresql+psycopg")
    name = f"prefect_test_{secrets.token_hex(6)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server_url = admin_url.set(drivername="postgresql+asyncpg", database=name)
    try:
        with running_server(tmp_path_factory.mktemp("prefect_pg"),
                            server_url.render_as_string(hide_password=False)) as url:
            yield url
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@contextmanager
def use_server(api_url: str, tmp_path: Path) -> Iterator[None]:
    """Run this process's flows against ``api_url`` (and keep results out of ~/.prefect)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_LOCAL_STORAGE_PATH, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url,
                                     PREFECT_LOCAL_STORAGE_PATH: tmp_path / "prefect-results"}):
        yield


def flow_runs(api_url: str, tmp_path: Path, flow_name: str) -> list[object]:
    """The flow runs of ``flow_name`` the server knows (newest first)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with use_server(api_url, tmp_path), get_client(sync_client=True) as client:
        return list(client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            sort=FlowRunSort.START_TIME_DESC))
