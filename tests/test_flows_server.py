"""``zhanchi process`` against real Prefect servers (SQLite- and PostgreSQL-backed).

Each test runs the real CLI in a subprocess with ``PREFECT_API_URL`` pointing at a
server the session started (tests/prefect_fixtures.py), the ``null`` OCR engine (the
flow, not OCR, is under test; born-digital PDFs still yield names and numbers through
their text layer) and INFO logging, then reads back what Prefect recorded: the flow
run's state, its task runs, the batch artifacts — and checks that none of it carries
a name, ID number or certificate number.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("prefect_fixtures")
from prefect_fixtures import client_env, use_server  # noqa: E402

pytest_plugins = ["prefect_fixtures", "pg_fixtures"]
pytestmark = pytest.mark.slow

SAMPLE_DOCS = Path(__file__).resolve().parents[1] / "sample_docs"
AS_OF = "2024-06-30"


def sample_inbox(dest: Path, limit: int | None = None) -> Path:
    """A copy of the sample inbox (born-digital packets first: they carry personal data)."""
    entries = sorted((SAMPLE_DOCS / "inbox").iterdir(),
                     key=lambda p: ("born-digital" not in p.name, p.name))[:limit]
    dest.mkdir(parents=True)
    for e in entries:
        (shutil.copytree if e.is_dir() else shutil.copy2)(e, dest / e.name)
    return dest


def personal_values(results: Path) -> set[str]:
    """Names, ID and certificate numbers of the sample registry and of the results."""
    values: set[str] = set()
    with (SAMPLE_DOCS / "registry" / "certificates.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            values |= {row["holder_name"], row["id_number"], row["certificate_number"]}
    for line in results.read_text(encoding="utf-8").splitlines():
        for doc in json.loads(line)["documents"]:
            for name in ("holder_name", "signer_name", "id_number", "certificate_number"):
                value = doc["fields"].get(name, {}).get("value")
                if isinstance(value, str) and len(value) >= 2:
                    values.add(value)
    return {v for v in values if v}


def run_cli(api_url: str, inbox: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = client_env(api_url, ZHANCHI_OCR_WORKERS="2")
    env.pop("ZHANCHI_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "zhanchi", "process", str(inbox), "--registry",
         str(SAMPLE_DOCS / "registry"), "--out", str(out), "--as-of", AS_OF, "--engine", "null",
         "--quiet", *extra], capture_output=True, text=True, env=env, timeout=900, check=False)


def recorded(api_url: str, tmp_path: Path) -> dict[str, Any]:
    """What the server holds about the newest zhanchi-process run."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with use_server(api_url, tmp_path), get_client(sync_client=True) as client:
        run = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["zhanchi-process"])),
            sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
    return {"run": run, "tasks": tasks, "logs": logs, "artifacts": artifacts}


def assert_recorded_cleanly(seen: dict[str, Any], results: Path, submissions: int) -> None:
    run = seen["run"]
    assert run.state.is_completed(), run.state
    names = sorted(t.name for t in seen["tasks"])
    assert sum(n.startswith("read-") for n in names) == submissions
    assert sum(n.startswith("decide-") for n in names) == submissions
    assert all(t.state.is_completed() for t in seen["tasks"])
    keys = {a.key for a in seen["artifacts"]}
    assert {"zhanchi-batch-routes", "zhanchi-batch-summary"} <= keys
    summary = next(a for a in seen["artifacts"] if a.key == "zhanchi-batch-summary")
    assert "pages/min" in summary.data and "Slowest packets" in summary.data
    assert any("read " in log.message for log in seen["logs"])  # INFO logs did arrive
    recorded_text = "\n".join([json.dumps(run.parameters, ensure_ascii=False), *names,
                               *(str(a.data) for a in seen["artifacts"]),
                               *(log.message for log in seen["logs"])])
    leaked = sorted(v for v in personal_values(results) if v in recorded_text)
    assert not leaked, f"personal data in Prefect's records: {len(leaked)} value(s)"


def test_process_on_a_sqlite_backed_server(prefect_server: str, tmp_path: Path) -> None:
    inbox = sample_inbox(tmp_path / "inbox")
    out = tmp_path / "out"
    proc = run_cli(prefect_server, inbox, out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list(inbox.iterdir()))
    assert personal_values(out / "results.jsonl")  # the check below has something to find
    assert_recorded_cleanly(recorded(prefect_server, tmp_path), out / "results.jsonl", len(lines))


@pytest.mark.postgres
def test_process_on_a_postgres_backed_server_with_a_postgres_store(
        prefect_pg_server: str, pg_database_url: str, tmp_path: Path) -> None:
    inbox = sample_inbox(tmp_path / "inbox", limit=3)
    out = tmp_path / "out"
    proc = run_cli(prefect_pg_server, inbox, out, "--db", pg_database_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not (out / "zhanchi.sqlite3").exists()  # the store is the PostgreSQL one
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert_recorded_cleanly(recorded(prefect_pg_server, tmp_path), out / "results.jsonl", 3)
    # the same packets again: skipped, nothing read, no new line
    proc = run_cli(prefect_pg_server, inbox, out, "--db", pg_database_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "results.jsonl").read_text(encoding="utf-8").splitlines() == lines
