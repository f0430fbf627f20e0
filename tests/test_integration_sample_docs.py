"""The batch command end to end on sample_docs/ with the real OCR engine and Prefect.

One session-scoped run (real ``zhanchi process`` subprocess, embedded Prefect server,
SQLite store) feeds every assertion here, so the OCR cost is paid once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

pytestmark = pytest.mark.slow

SAMPLE_DOCS = Path(__file__).resolve().parents[1] / "sample_docs"

SCHEMA = json.loads((Path(__file__).parent / "schema" / "result.schema.json").read_text())
AS_OF = "2024-06-30"


def run_cli(inbox: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PREFECT_LOGGING_LEVEL="WARNING")
    env.pop("ZHANCHI_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "zhanchi", "process", str(inbox), "--registry",
         str(SAMPLE_DOCS / "registry"), "--out", str(out), "--as-of", AS_OF, "--quiet", *extra],
        capture_output=True, text=True, env=env, timeout=1800, check=False)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict]]:
    work = tmp_path_factory.mktemp("sample_run")
    inbox = work / "inbox"
    shutil.copytree(SAMPLE_DOCS / "inbox", inbox)
    out = work / "out"
    proc = run_cli(inbox, out)
    assert proc.returncode == 0, proc.stderr[-4000:]
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    return inbox, out, lines


def expected(submission_id: str) -> dict:
    return json.loads((SAMPLE_DOCS / "expected" / f"{submission_id}.json").read_text())


def test_every_submission_has_one_schema_valid_line(sample_run) -> None:
    inbox, _, lines = sample_run
    for line in lines:
        jsonschema.validate(line, SCHEMA)
    ids = [line["submission_id"] for line in lines]
    assert len(ids) == len(set(ids))
    assert set(ids) == {p.stem if p.is_file() else p.name for p in inbox.iterdir()}


def test_pages_carry_rotation_and_size_and_fields_their_boxes(sample_run) -> None:
    _, _, lines = sample_run
    for line in lines:
        for doc in line["documents"]:
            for page in doc["pages"]:
                assert page["width"] > 0 and page["height"] > 0
            for name, field in doc["fields"].items():
                if name not in ("has_signature", "has_fingerprint"):
                    assert field.get("bbox"), (line["submission_id"], name)
                    x0, y0, x1, y1 = field["bbox"]
                    page = doc["pages"][field["page"] - 1]
                    assert 0 <= x0 <= x1 <= page["width"] and 0 <= y0 <= y1 <= page["height"]


def test_unreadable_file_is_reported_by_name(sample_run) -> None:
    _, _, lines = sample_run
    for line in lines:
        exp = expected(line["submission_id"])
        for bad in exp.get("unreadable_files", []):
            assert "unreadable_page" in line["reasons"]
            msg = next(c["message"] for c in line["checks"] if c["code"] == "unreadable_page")
            assert Path(bad).name in msg


def test_defective_packets_never_pass(sample_run) -> None:
    _, _, lines = sample_run
    for line in lines:
        exp = expected(line["submission_id"])
        if exp["route"] == "review":
            assert line["route"] == "review", line["submission_id"]


def test_rerun_skips_unchanged_and_revises_changed(sample_run, tmp_path: Path) -> None:
    inbox, out, lines = sample_run
    before = (out / "results.jsonl").read_text().splitlines()
    # Change one packet's content under the same id: drop one of its files.
    folder = next(p for p in sorted(inbox.iterdir()) if p.is_dir() and len(list(p.iterdir())) > 1)
    victim = sorted(folder.iterdir())[-1]
    victim.unlink()
    proc = run_cli(inbox, out)
    assert proc.returncode == 0, proc.stderr[-4000:]
    after = (out / "results.jsonl").read_text().splitlines()
    assert after[: len(before)] == before  # nothing rewritten
    new = [json.loads(x) for x in after[len(before):]]
    assert [(n["submission_id"], n["revision"]) for n in new] == [(folder.name, 2)]
    assert new[0]["timings_ms"].get("ocr", 0) == 0  # the remaining pages came from the cache
