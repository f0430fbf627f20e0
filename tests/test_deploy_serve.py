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
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

pytest.register_assert_rewrite("prefect_fixtures")
from prefect_fixtures import client_env, use_server  # noqa: E402

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


def _assert_runs_did_not_overlap(api_url: str, tmp_path: Path) -> None:
    from prefect import get_client

    with use_server(api_url, tmp_path), get_client(sync_client=True) as client:
        dep = client.read_deployment_by_name("zhanchi-inbox/test-serve")
        assert dep.global_concurrency_limit is not None
        assert dep.global_concurrency_limit.limit == 1
        assert dep.concurrency_options is not None
        assert dep.concurrency_options.collision_strategy.value == "CANCEL_NEW"
        from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

        runs = client.read_flow_runs(deployment_filter=DeploymentFilter(
            id=DeploymentFilterId(any_=[dep.id])))
    spans = sorted((r.start_time, r.end_time) for r in runs
                   if r.start_time is not None and r.end_time is not None)
    assert len(spans) >= 2
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start  # one run at a time


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
