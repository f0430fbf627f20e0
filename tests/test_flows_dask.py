"""Scale-out: the same flow with prefect-dask's DaskTaskRunner on a LocalCluster of 2.

``zhanchi process`` runs as a subprocess with ``ZHANCHI_DASK_ADDRESS=local`` (a
``distributed.LocalCluster`` of ``ZHANCHI_OCR_WORKERS=2`` single-threaded worker
processes) against the session's Prefect server. The read tasks must have run in the
worker processes — not the flow's — while every OCR-cache row, page image and results
line was written by the flow process (workers get no database URL at all).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.register_assert_rewrite("prefect_fixtures")
from prefect_fixtures import client_env, use_server  # noqa: E402

pytest_plugins = ["prefect_fixtures"]
pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"


def read_logs(api_url: str, tmp_path: Path) -> list[str]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, LogFilter
    from prefect.client.schemas.filters import LogFilterFlowRunId as ByRun
    from prefect.client.schemas.sorting import FlowRunSort

    with use_server(api_url, tmp_path), get_client(sync_client=True) as client:
        run = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["zhanchi-process"])),
            sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        assert run.state.is_completed(), run.state
        return [log.message for log in client.read_logs(
            log_filter=LogFilter(flow_run_id=ByRun(any_=[run.id])))]


def test_pages_are_read_on_dask_workers_and_written_by_the_flow(prefect_server: str,
                                                                tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    entries = sorted((SAMPLE / "inbox").iterdir(), key=lambda p: p.stat().st_size)
    for e in [e for e in entries if e.is_file()][:4]:
        shutil.copy2(e, inbox / e.name)
    out = tmp_path / "out"
    env = client_env(prefect_server, ZHANCHI_DASK_ADDRESS="local", ZHANCHI_OCR_WORKERS="2")
    env.pop("ZHANCHI_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhanchi", "process", str(inbox), "--registry",
         str(SAMPLE / "registry"), "--out", str(out), "--as-of", "2024-06-30", "--engine",
         "null", "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = proc.communicate(timeout=900)
    assert proc.returncode == 0, stderr[-3000:]
    ids = sorted(p.stem for p in inbox.iterdir())
    results = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(results) == len(ids)

    reads = [m for m in read_logs(prefect_server, tmp_path) if re.match(r"read \S+ on ", m)]
    pids = {int(re.search(r":(\d+): ", m).group(1)) for m in reads}  # type: ignore[union-attr]
    assert len(reads) == len(ids)
    assert proc.pid not in pids  # read on the workers, not in the flow process
    assert len(pids) == 2  # both workers of the LocalCluster took packets

    db = sqlite3.connect(out / "zhanchi.sqlite3")
    try:
        cached = db.execute("select count(*) from ocr_cache").fetchone()[0]
        images = db.execute("select count(*) from page_images").fetchone()[0]
        decided = db.execute("select count(*) from submissions where status='done'").fetchone()[0]
    finally:
        db.close()
    read_pages = {(p["file"], p["page"]) for line in results
                  for doc in json.loads(line)["documents"] for p in doc["pages"]}
    assert cached >= len(read_pages) >= len(ids) and images >= 1
    assert decided == len(ids)
