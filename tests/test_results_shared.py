"""results.jsonl written by several processes at once: whole lines, each key once."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from zhanchi.pipeline.shared_results import SharedResultsWriter


def line(sid: str, pad: int = 0) -> str:
    return json.dumps({"submission_id": sid, "content_sha256": "c" + sid, "pad": "x" * pad})


def _writer(path: str, prefix: str, n: int) -> None:
    w = SharedResultsWriter(Path(path))
    for i in range(n):
        # lines longer than any buffer, so a line written in pieces would interleave
        w.append(line(f"{prefix}{i}", pad=70_000), f"{prefix}{i}", f"c{prefix}{i}")
        w.append(line("SHARED"), "SHARED", "cSHARED")  # every process tries the same key


def test_concurrent_processes_append_whole_lines_each_key_once(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), p, 15)) for p in "ABCD"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    ids = [json.loads(x)["submission_id"] for x in path.read_text().splitlines()]
    assert sorted(ids) == sorted([f"{p}{i}" for p in "ABCD" for i in range(15)] + ["SHARED"])


def test_a_dead_writers_partial_line_is_cut_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    w = SharedResultsWriter(path)
    w.append(line("A1"), "A1", "cA1")
    with path.open("ab") as fh:
        fh.write(line("B1", pad=100_000)[:90_000].encode())  # killed mid-line
    assert w.append(line("A2"), "A2", "cA2")
    ids = [json.loads(x)["submission_id"] for x in path.read_text().splitlines()]
    assert ids == ["A1", "A2"]


def test_a_line_another_run_appended_meanwhile_is_not_repeated(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    mine = SharedResultsWriter(path)
    other = SharedResultsWriter(path)
    assert other.append(line("X"), "X", "cX")
    assert not mine.append(line("X"), "X", "cX")
    assert mine.has("X", "cX")
    assert len(path.read_text().splitlines()) == 1
