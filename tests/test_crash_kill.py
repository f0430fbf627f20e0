"""Crash safety with real processes: SIGKILL mid-batch, and two runs at once.

The runs are the real CLI (``zhanchi process`` / ``zhanchi inbox``) against the session's
Prefect server, with one addition made by this file when it runs as the child's main
module: a ``counting`` OCR engine that reads nothing, takes a moment per page and
appends one line per page it OCRs to ``$ZHANCHI_TEST_OCR_LOG`` (after the OCR,
before the pipeline caches it). That turns "no OCR repeated" into arithmetic: a run
that completes OCRs exactly the pages that were not yet in the OCR cache, so its
count equals the number of cache rows it added; a killed run may lose at most the
pages in flight (one per worker).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

if __name__ != "__main__":
    pytest.register_assert_rewrite("prefect_fixtures")
    from prefect_fixtures import client_env

    pytest_plugins = ["prefect_fixtures"]
    pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"
WORKERS = 2


def sample_inbox(dest: Path, count: int = 8) -> list[str]:
    """Sample packets with image pages and no file shared between two of them."""
    dest.mkdir(parents=True)
    seen: set[str] = set()
    ids: list[str] = []
    for e in sorted((SAMPLE / "inbox").iterdir()):
        if "born-digital" in e.name:
            continue
        files = sorted(e.rglob("*")) if e.is_dir() else [e]
        shas = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}
        if shas & seen:
            continue
        seen |= shas
        (shutil.copytree if e.is_dir() else shutil.copy2)(e, dest / e.name)
        ids.append(e.stem if e.is_file() else e.name)
        if len(ids) == count:
            break
    return sorted(ids)


class Child:
    """One CLI run in its own process group."""

    def __init__(self, args: list[str], api_url: str, ocr_log: Path) -> None:
        env = client_env(api_url, ZHANCHI_TEST_OCR_LOG=str(ocr_log), ZHANCHI_TEST_OCR_DELAY="0.3",
                         ZHANCHI_OCR_WORKERS=str(WORKERS), PREFECT_LOGGING_LEVEL="WARNING")
        env.pop("ZHANCHI_DATABASE_URL", None)
        self.log = ocr_log
        self.proc = subprocess.Popen([sys.executable, __file__, *args], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)

    def reads(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0

    def kill_when(self, ready: object, timeout: float = 600) -> bool:
        """SIGKILL as soon as ``ready()`` holds; False if the run ended first."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                return True
            time.sleep(0.05)
        return False

    def finish(self, timeout: float = 900) -> None:
        _, err = self.proc.communicate(timeout=timeout)
        assert self.proc.returncode == 0, err[-3000:]


def process_args(inbox: Path, out: Path) -> list[str]:
    return ["process", str(inbox), "--registry", str(SAMPLE / "registry"), "--out", str(out),
            "--as-of", "2024-06-30", "--engine", "counting", "--quiet"]


def image_cache_rows(out: Path) -> int:
    db = out / "zhanchi.sqlite3"
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=30)
    try:
        return int(con.execute("select count(*) from ocr_cache where "
                               "json_extract(payload, '$.ref.source') = 'image'").fetchone()[0])
    except sqlite3.OperationalError:  # killed before the schema was made
        return 0
    finally:
        con.close()


def result_ids(out: Path) -> list[str]:
    path = out / "results.jsonl"
    if not path.exists():
        return []
    return sorted(json.loads(x)["submission_id"] for x in path.read_text().splitlines())


def test_killed_runs_leave_every_packet_decided_once_and_no_page_read_twice(
        prefect_server: str, tmp_path: Path) -> None:
    ids = sample_inbox(tmp_path / "inbox")
    out = tmp_path / "out"
    args = process_args(tmp_path / "inbox", out)
    # 1: killed while reading (phase 1), a few pages in
    first = Child(args, prefect_server, tmp_path / "ocr1.log")
    assert first.kill_when(lambda: first.reads() >= 3), "run 1 ended before it could be killed"
    rows1 = image_cache_rows(out)
    assert first.reads() - WORKERS <= rows1 <= first.reads()
    # 2: killed as soon as it has written a line (phase 2), or allowed to finish
    second = Child(args, prefect_server, tmp_path / "ocr2.log")
    killed = second.kill_when(lambda: len(result_ids(out)) >= 1)
    if not killed:
        second.finish()
    rows2 = image_cache_rows(out)
    assert second.reads() - (WORKERS if killed else 0) <= rows2 - rows1 <= second.reads()
    # 3: runs to the end
    third = Child(args, prefect_server, tmp_path / "ocr3.log")
    third.finish()
    rows3 = image_cache_rows(out)
    assert third.reads() == rows3 - rows2  # only pages nobody had cached were OCR'd
    assert result_ids(out) == ids  # every packet exactly once
    for line in (out / "results.jsonl").read_text().splitlines():
        assert json.loads(line)["revision"] == 1


def test_two_runs_at_once_over_one_inbox_share_the_packets(prefect_server: str,
                                                           tmp_path: Path) -> None:
    ids = sample_inbox(tmp_path / "inbox", count=6)
    out = tmp_path / "out"
    runs = [Child(process_args(tmp_path / "inbox", out), prefect_server, tmp_path / f"ocr{i}.log")
            for i in (1, 2)]
    for run in runs:
        run.finish()
    assert result_ids(out) == ids
    assert sum(r.reads() for r in runs) == image_cache_rows(out)  # no page OCR'd twice


def test_inbox_runs_adopt_a_killed_runs_packets_and_archive_each_once(
        prefect_server: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    ids = sample_inbox(inbox, count=6)
    out = tmp_path / "out"
    args = ["inbox", str(inbox), "--registry", str(SAMPLE / "registry"), "--out", str(out),
            "--as-of", "2024-06-30", "--engine", "counting", "--stable-seconds", "0"]
    first = Child(args, prefect_server, tmp_path / "ocr1.log")
    assert first.kill_when(lambda: first.reads() >= 2)
    time.sleep(6)  # a run folder younger than 5 s might be a live run's that is starting
    runs = [Child(args, prefect_server, tmp_path / f"ocr{i}.log") for i in (2, 3)]
    for run in runs:
        run.finish()
    assert result_ids(out) == ids
    archived = sorted(p.name for p in (out / "archive").glob("*/*/*"))
    assert sorted(Path(a).stem if "." in a else a for a in archived) == ids
    assert [p.name for p in inbox.iterdir()] == [".zhanchi"]
    assert list((inbox / ".zhanchi" / "processing").iterdir()) == []
    rows = image_cache_rows(out)
    assert rows <= sum(r.reads() for r in [first, *runs]) <= rows + WORKERS


def _child_main() -> None:  # pragma: no cover - runs in the child process
    import numpy as np

    from zhanchi.cli import app
    from zhanchi.ocr.fakes import NullEngine
    from zhanchi.ocr.registry import FACTORIES

    class CountingEngine(NullEngine):
        """Reads nothing, slowly, and counts every page it OCRs."""

        name = "counting"

        def read(self, image: np.ndarray):  # type: ignore[no-untyped-def]
            page = super().read(image)
            time.sleep(float(os.environ.get("ZHANCHI_TEST_OCR_DELAY", "0")))
            if min(image.shape[:2]) > 300:  # whole pages only, never line crops
                with open(os.environ["ZHANCHI_TEST_OCR_LOG"], "a") as fh:
                    fh.write(f"{os.getpid()}\n")
            return page

    FACTORIES["counting"] = lambda **_: CountingEngine()
    app(sys.argv[1:], prog_name="zhanchi")


if __name__ == "__main__":  # pragma: no cover
    _child_main()
