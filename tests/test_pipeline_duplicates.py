"""SPEC §6 ``duplicate_claim`` across batches: the same files under a second id.

A clean packet passes; the identical files are handed in again under another id into
the same OUT_DIR (same store). Both must end up flagged: the second by its own checks,
the first by a recheck through the case state machine, with a results.jsonl line that
follows its first one. The real batch (pipeline.stages: ingest, announce, check, route,
store, write, follow-ups) on a sample packet's files; what OCR would read from them is the
sample's expected documents (as in test_recheck_store), to keep the test quick.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_recheck_store import documents

from zhanchi.pipeline import stages
from zhanchi.pipeline.batch import BatchRun, claimed_numbers, settings_from_args
from zhanchi.pipeline.decide import Extracted
from zhanchi.review.queue import is_queued
from zhanchi.store.review_queries import ReviewStore

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"
PACKET = "S03-clean-born-digital.pdf"
EXPECTED = json.loads((SAMPLE / "expected" / "S03-clean-born-digital.json").read_text(
    encoding="utf-8"))


def hand_in(inbox: Path, submission_id: str) -> None:
    """The sample packet as a folder entry: same names and bytes under any id."""
    (inbox / submission_id).mkdir()
    shutil.copy2(SAMPLE / "inbox" / PACKET, inbox / submission_id / PACKET)


def run_batch(inbox: Path, out: Path) -> BatchRun:
    settings = settings_from_args(inbox, SAMPLE / "registry", out, "2024-06-30", None, "null")
    run = BatchRun(settings, ort_threads=1)
    planned = stages.ingest(run)
    extracted = [Extracted(submission=p.entry.submission, documents=documents(EXPECTED),
                           unreadable=[], timings_ms={}, pages=2, cache_hits=0)
                 for p in planned]
    numbers = claimed_numbers(extracted)
    for p, ex in zip(planned, extracted, strict=True):
        stages.announce(run, p, ex)
        stages.decide(run, p, ex, 0, numbers)
    run.close()
    return run


def results(out: Path) -> list[dict]:
    return [json.loads(line) for line in
            (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def duplicate(line: dict) -> dict:
    return next(c for c in line["checks"] if c["code"] == "duplicate_claim")


def test_the_same_files_under_a_second_id_flag_both(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first_inbox, second_inbox = tmp_path / "in1", tmp_path / "in2"
    first_inbox.mkdir()
    second_inbox.mkdir()
    hand_in(first_inbox, "A-001")
    run_batch(first_inbox, out)
    [first] = results(out)
    assert first["route"] == "pass", first["reasons"]

    hand_in(second_inbox, "B-002")  # identical files: the same content hash
    run_batch(second_inbox, out)
    lines = results(out)
    assert [line["submission_id"] for line in lines] == ["A-001", "B-002", "A-001"]
    second, again = lines[1], lines[2]
    assert second["content_sha256"] == first["content_sha256"]
    assert second["route"] == "review" and "duplicate_claim" in second["reasons"]
    assert "A-001" in duplicate(second)["message"]
    # the earlier packet: a line after its first, same id, revision and content
    assert (again["revision"], again["content_sha256"]) == (first["revision"],
                                                            first["content_sha256"])
    assert again["route"] == "review" and again["reasons"] == ["duplicate_claim"]
    assert "B-002" in duplicate(again)["message"]
    assert again["recheck"] == {"run": 2, "after": "duplicate_claim",
                                "previous_route": "pass", "by": "B-002"}
    assert lines[0] == first  # the first line is never rewritten

    with ReviewStore.open(f"sqlite:///{out / 'zhanchi.sqlite3'}") as store:
        a = store.find_submission("A-001", first["content_sha256"])
        assert a is not None and a.route == "review" and is_queued(store, a.pk)
        kinds = [e.kind for e in store.history(a.pk)]
        assert kinds[-1] == "pipeline.recheck" and store.case_version(a.pk) == 1
        assert store.history(a.pk)[-1].payload["by"] == "B-002"
        assert store.verify_chain().ok

    # a third run finds nothing new: no more lines
    run_batch(second_inbox, out)
    assert len(results(out)) == 3


def test_two_ids_in_one_batch_are_both_flagged(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for name in ("A-001", "B-002"):
        hand_in(inbox, name)
    run_batch(inbox, out)
    lines = results(out)
    assert sorted(line["submission_id"] for line in lines) == ["A-001", "B-002"]
    for line in lines:
        assert "duplicate_claim" in line["reasons"], line["submission_id"]
