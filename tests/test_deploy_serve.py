"""``zhanchi serve`` against a real server, and ``prefect.yaml`` deployed and run by a worker.

Both use the session's SQLite-backed ``prefect server start`` and the ``null`` OCR
engine: what is under test is scheduling, claiming, archiving and the deployment
definitions, not reading.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from typer.testing import CliRunner

pytest.register_assert_rewrite("prefect_fixtures")
from prefect_fixtures import client_env, use_server  # noqa: E402

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State

pytest_plugins = ["prefect_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_docs"
PREFECT = Path(sys.executable).with_name("prefect")


def small_packets(n: int) -> list[Path]:
    return sorted((e for e in (SAMPLE / "inbox").iterdir() if e.is_file()),
                  key=lambda p: p.stat().st_size)[:n]


def wait_for(cond: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def lines(out: Path) -> list[dict]:
    path = out / "results.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_serve_refuses_to_run_without_a_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanchi.cli import app

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    (tmp_path / "inbox").mkdir()
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "inbox"), "--registry",
                                      str(SAMPLE / "registry"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "PREFECT_API_URL" in result.output


def test_prefect_yaml_deployments_match_the_flows() -> None:
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    names = {d["name"] for d in spec["deployments"]}
    assert names == {"zhanchi-inbox", "zhanchi-process"}
    for d in spec["deployments"]:
        path, _, _ = d["entrypoint"].partition(":")
        flow = load_flow_from_entrypoint(str(ROOT / d["entrypoint"]))
        assert set(d["parameters"]) <= set(flow.parameters.properties), d["name"]
        assert (ROOT / path).is_file()
        assert d["concurrency_limit"]["limit"] == 1
    inbox = next(d for d in spec["deployments"] if d["name"] == "zhanchi-inbox")
    assert inbox["concurrency_limit"]["collision_strategy"] == "CANCEL_NEW"
    assert inbox["schedules"][0]["cron"]


@pytest.mark.slow
def test_serve_polls_the_inbox_and_runs_never_overlap(prefect_server: str, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    env = client_env(prefect_server)
    serve = subprocess.Popen(
        [sys.executable, "-m", "zhanchi", "serve", str(inbox), "--registry",
         str(SAMPLE / "registry"), "--out", str(out), "--interval", "2", "--stable-seconds", "1",
         "--engine", "null", "--name", "test-serve"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        first, second = small_packets(2)
        shutil.copy2(first, inbox / first.name)
        wait_for(lambda: len(lines(out)) == 1, 300, "the first packet's result")
        shutil.copy2(second, inbox / second.name)
        wait_for(lambda: len(lines(out)) == 2, 300, "the second packet's result")
        wait_for(lambda: not list(p for p in inbox.iterdir() if p.name != ".zhanchi"), 60,
                 "the inbox to empty")
        # the archive move follows the result line: wait for it, don't race it (a loaded
        # CI box once stopped the server between the two)
        wait_for(lambda: len(list((out / "archive").glob("*/*/*"))) >= 2, 60,
                 "both packets archived")
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    assert sorted(x["submission_id"] for x in lines(out)) == sorted([first.stem, second.stem])
    archived = sorted(p.name for p in (out / "archive").glob("*/*/*"))
    assert archived == sorted([first.name, second.name])
    _assert_runs_did_not_overlap(prefect_server, tmp_path)


Window = tuple[datetime, datetime | None]


def execution_window(states: Iterable[State]) -> Window | None:
    """When a run's flow code could execute: its first Running state to the first final one.

    ``None`` if it never ran; an end of ``None`` if it never finished (then it overlaps any
    later start). Why not ``FlowRun.start_time``/``end_time`` (Prefect 3.9 source):

    - a run that CANCEL_NEW rejects at Scheduled -> Pending (core_policy.py:683-688) never
      runs, yet SetEndTime sets its start_time = end_time = the rejection time
      (global_policy.py:289-291). At each poll the runner proposes Pending for every run
      due within its 10 s prefetch (_scheduled_run_poller.py:86,140,170), so these
      zero-length runs land inside the running one's span whenever a poll falls in it
      (the loaded-CI failure: one run "ended 33.05 > next started 29.63").
    - a run's final state can be followed by a forced Cancelled when ``serve`` stops
      (runner.py:640 cancel_all, _state_proposer.py:182 force=True): its state_name then
      says Cancelled though it completed; only the first final state ends it.

    Why not from Pending, where the slot is taken (core_policy.py:580,620; released on
    leaving Pending/Running/Cancelling, core_policy.py:903-913): state timestamps are
    minted server-side before the write lock is taken (api/flow_runs.py:870,
    schemas/states.py:129), so a Pending accepted just after a release may carry an
    earlier time. Running is proposed only after Pending was accepted, so with one slot
    a run's Running always follows the previous run's first final state.
    """
    start: datetime | None = None
    for s in sorted(states, key=lambda s: s.timestamp):
        if start is None:
            if s.is_running():
                start = s.timestamp
        elif s.is_final():
            return start, s.timestamp
    return None if start is None else (start, None)


def first_overlap(windows: Sequence[tuple[str, Window]]) -> tuple[str, str] | None:
    """Two runs whose execution windows overlap (earlier start first), or ``None``."""
    ordered = sorted(windows, key=lambda w: w[1][0])
    for (a, (_, end)), (b, (start, _)) in zip(ordered, ordered[1:], strict=False):
        if end is None or end > start:
            return a, b
    return None


def test_execution_windows_skip_runs_cancelled_before_running_and_catch_overlaps() -> None:
    from datetime import UTC, timedelta

    from prefect.client.schemas.objects import State, StateType

    t0 = datetime(2026, 12, 2, 17, 38, tzinfo=UTC)
    S, P, R, C, X = (StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING,
                     StateType.COMPLETED, StateType.CANCELLED)

    def t(seconds: float) -> datetime:
        return t0 + timedelta(seconds=seconds)

    def window(*states: tuple[float, StateType]) -> Window | None:
        return execution_window([State(type=ty, timestamp=t(s)) for s, ty in states])

    ran = window((0, S), (1, P), (2, R), (6, C), (9, X))  # then Cancelled by serve's stop
    assert ran == (t(2), t(6))
    assert window((0, S), (3, X)) is None  # CANCEL_NEW at Pending: start_time=end_time=3
    assert window((0, S), (1, P), (2, X)) is None  # stopped before it ran
    assert first_overlap([("a", ran), ("b", (t(6), t(8))), ("c", (t(9), t(10)))]) is None
    # a genuine overlap is caught in any order, and so is a run that never finished
    assert first_overlap([("b", (t(5), t(8))), ("a", ran)]) == ("a", "b")
    assert first_overlap([("a", (t(1), t(9))), ("b", (t(2), t(3))), ("c", (t(4), t(5)))]) \
        == ("a", "b")
    unfinished = window((0, S), (1, P), (2, R))
    assert unfinished == (t(2), None)
    assert first_overlap([("b", (t(30), t(31))), ("a", unfinished)]) == ("a", "b")


def _assert_runs_did_not_overlap(api_url: str, tmp_path: Path) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterStartTime,
    )

    with use_server(api_url, tmp_path), get_client(sync_client=True) as client:
        dep = client.read_deployment_by_name("zhanchi-inbox/test-serve")
        assert dep.global_concurrency_limit is not None
        assert dep.global_concurrency_limit.limit == 1
        assert dep.concurrency_options is not None
        assert dep.concurrency_options.collision_strategy.value == "CANCEL_NEW"
        runs = client.read_flow_runs(  # never left Scheduled: no start_time
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[dep.id])),
            flow_run_filter=FlowRunFilter(start_time=FlowRunFilterStartTime(is_null_=False)))
        windows = [(f"{r.name} ({r.state_name})", w) for r in runs
                   if (w := execution_window(client.read_flow_run_states(r.id))) is not None]
    assert len(windows) >= 2, windows  # both packets were taken by runs that ran
    assert first_overlap(windows) is None, sorted(windows, key=lambda w: w[1][0])


@pytest.mark.slow
def test_prefect_yaml_deploys_and_a_process_worker_runs_the_inbox(prefect_server: str,
                                                                  tmp_path: Path) -> None:
    env = client_env(prefect_server, ZHANCHI_HOME=str(ROOT), PREFECT_HOME=str(tmp_path / "home"))

    def prefect(*args: str, timeout: float = 300) -> str:
        proc = subprocess.run([str(PREFECT), *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout, check=False)
        assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
        return proc.stdout

    prefect("work-pool", "create", "zhanchi", "--type", "process", "--overwrite")
    prefect("--no-prompt", "deploy", "--all")
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    packet = small_packets(1)[0]
    shutil.copy2(packet, inbox / packet.name)
    time.sleep(1.5)
    params = {"inbox": str(inbox), "out": str(out), "registry": str(SAMPLE / "registry"),
              "engine": "null", "stable_seconds": 1}
    prefect("deployment", "run", "zhanchi-inbox/zhanchi-inbox", "--params", json.dumps(params))
    prefect("worker", "start", "--pool", "zhanchi", "--run-once", timeout=600)
    assert [x["submission_id"] for x in lines(out)] == [packet.stem]
    assert [p.name for p in (out / "archive").glob("*/*/*")] == [packet.name]
