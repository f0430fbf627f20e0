"""A normal run ends without tracebacks, embedded Prefect server shutdown included.

The embedded server is stopped at exit while its task-run recorder may still be
writing the last events; Prefect logs that cancellation as an ERROR with two chained
tracebacks (measured: four tracebacks at the end of ``zhanchi eval --packets 40``).
``EmbeddedShutdownFilter`` turns exactly that record into one INFO line and lets every
other error through unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from zhanchi.flows import prefect_env
from zhanchi.flows.prefect_env import EmbeddedShutdownFilter

SHUTDOWN_MSG = "Error flushing %d events (%d to retry, %d dropped)"


def record(exc: BaseException | None, dropped: int = 0) -> logging.LogRecord:
    exc_info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord("prefect.server.services.task_run_recorder", logging.ERROR,
                             __file__, 1, SHUTDOWN_MSG, (1, 1 - dropped, dropped), exc_info)


def test_the_shutdown_cancellation_becomes_one_info_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT__SERVER_EPHEMERAL", "1")
    rec = record(asyncio.CancelledError("Cancelled via cancel scope"))
    assert EmbeddedShutdownFilter().filter(rec)
    assert rec.levelno == logging.INFO and rec.exc_info is None
    assert "Error flushing 1 events (1 to retry, 0 dropped)" in rec.getMessage()
    assert "\n" not in logging.Formatter().format(rec)  # no traceback


@pytest.mark.parametrize("case", ["dropped", "other error", "not embedded", "no exception"])
def test_real_errors_stay_loud(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT__SERVER_EPHEMERAL", "1")
    exc: BaseException | None = asyncio.CancelledError()
    dropped = 0
    if case == "dropped":
        dropped = 1
    elif case == "other error":
        exc = RuntimeError("database is locked")
    elif case == "not embedded":
        monkeypatch.delenv("PREFECT__SERVER_EPHEMERAL")
    else:
        exc = None
    rec = record(exc, dropped)
    assert EmbeddedShutdownFilter().filter(rec)
    assert rec.levelno == logging.ERROR and rec.exc_info == (
        (type(exc), exc, None) if exc is not None else None)


def test_the_logging_file_is_prefects_default_plus_the_filter() -> None:
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    default = yaml.safe_load((Path(spec.submodule_search_locations[0]) / "logging" /
                              "logging.yml").read_text())
    ours = yaml.safe_load(prefect_env.LOGGING_FILE.read_text())
    for section in ("formatters", "handlers", "loggers"):
        for name, value in default[section].items():
            assert ours[section][name] == value, f"{section}.{name} drifted from Prefect's"
    assert ours["root"] == default["root"]
    recorder = ours["loggers"]["prefect.server.services.task_run_recorder"]
    assert recorder["filters"] == ["embedded_shutdown"]
    assert ours["filters"]["embedded_shutdown"]["()"] == \
        "zhanchi.flows.prefect_env.EmbeddedShutdownFilter"


def test_an_operators_logging_file_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_LOGGING_SETTINGS_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    prefect_env.configure()
    assert os.environ["PREFECT_LOGGING_SETTINGS_PATH"] == str(prefect_env.LOGGING_FILE)
    monkeypatch.delenv("PREFECT_LOGGING_SETTINGS_PATH")
    (tmp_path / "logging.yml").write_text("version: 1\n")
    prefect_env.configure()
    assert "PREFECT_LOGGING_SETTINGS_PATH" not in os.environ


FLOW = textwrap.dedent("""
    import sys
    from zhanchi.flows.prefect_env import configure
    configure()
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE

    @task(persist_result=False, cache_policy=NO_CACHE)
    def one(i: int) -> int:
        return i

    @flow(persist_result=False)
    def many(n: int) -> int:
        return sum(f.result() for f in [one.submit(i) for i in range(n)])

    print("total", many(int(sys.argv[1])))
""")


@pytest.mark.slow
def test_a_real_flow_on_the_embedded_server_ends_without_traceback(tmp_path: Path) -> None:
    # 300 tasks: enough task-run events in flight at exit that, before the filter,
    # the recorder was interrupted (measured: 2 records, 4 tracebacks, in one run).
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PREFECT_") or k in prefect_env.DEFAULTS}
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)
    env.pop("PREFECT_API_URL", None)
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    # a fresh home migrates its database first: on a loaded machine that outlasts 90 s
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"
    proc = subprocess.run([sys.executable, str(script), "300"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=1200)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert f"total {sum(range(300))}" in proc.stdout
    assert "Traceback" not in out, out[-3000:]
