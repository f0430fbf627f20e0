"""results.jsonl survives a crash mid-write and never gets a second line per content."""

from __future__ import annotations

import json
from pathlib import Path

from zhanchi.pipeline.results_file import ResultsWriter, repair, written_keys


def test_append_is_idempotent_per_content(tmp_path: Path) -> None:
    w = ResultsWriter(tmp_path / "results.jsonl")
    assert w.append(json.dumps({"submission_id": "A", "content_sha256": "1"}), "A", "1")
    assert not w.append(json.dumps({"submission_id": "A", "content_sha256": "1"}), "A", "1")
    assert w.append(json.dumps({"submission_id": "A", "content_sha256": "2"}), "A", "2")
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == 2


def test_partial_last_line_is_truncated_and_complete_lines_kept(tmp_path: Path) -> None:
    p = tmp_path / "results.jsonl"
    good = json.dumps({"submission_id": "A", "content_sha256": "1"})
    p.write_text(good + "\n" + '{"submission_id": "B", "conte', encoding="utf-8")
    assert repair(p) > 0
    assert p.read_text() == good + "\n"
    assert written_keys(p) == {("A", "1")}
    w = ResultsWriter(p)  # a new run continues the same file
    assert w.has("A", "1") and not w.has("B", "")


def test_newline_in_line_is_refused(tmp_path: Path) -> None:
    w = ResultsWriter(tmp_path / "r.jsonl")
    try:
        w.append("{}\n{}", "A", "1")
    except ValueError:
        return
    raise AssertionError("a line with a newline must be refused")
