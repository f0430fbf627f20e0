"""BatchRun's claims and the remote-read path, without Prefect (null OCR engine).

The cross-process versions (SIGKILL, two CLI runs at once) are in test_crash_kill.py;
these pin the same rules down in milliseconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhanchi.pipeline import stages
from zhanchi.pipeline.batch import BatchRun, claimed_numbers, settings_from_args

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Two small sample packets: a born-digital PDF (text layer) and a one-file scan."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    entries = sorted((SAMPLE / "inbox").iterdir(), key=lambda p: p.stat().st_size)
    picked = [next(e for e in entries if "born-digital" in e.name),
              next(e for e in entries if e.is_file() and "born-digital" not in e.name)]
    for e in picked:
        shutil.copy2(e, inbox / e.name)
    return inbox


def new_run(inbox: Path, out: Path) -> BatchRun:
    settings = settings_from_args(inbox, SAMPLE / "registry", out, "2024-06-30", None, "null")
    return BatchRun(settings, ort_threads=1)


def finish_all(run: BatchRun) -> None:
    planned = stages.ingest(run)
    extracted = [stages.read_and_extract(run, p) for p in planned]
    numbers = claimed_numbers(extracted)
    for p, ex in zip(planned, extracted, strict=True):
        stages.announce(run, p, ex)
        stages.decide(run, p, ex, 0, numbers)
    run.close()


def lines(out: Path) -> list[str]:
    return (out / "results.jsonl").read_text(encoding="utf-8").splitlines()


def test_a_second_run_leaves_packets_held_by_a_live_run_alone(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = new_run(inbox, out)
    planned = stages.ingest(first)
    assert len(planned) == 2 and all(p.claim is not None for p in planned)
    second = new_run(inbox, out)
    assert stages.ingest(second) == []
    assert sorted(second.summary.busy) == sorted(p.submission_id for p in planned)
    second.close()
    for p in planned:
        stages.decide(first, p, stages.read_and_extract(first, p), 0, {})
    first.close()
    third = new_run(inbox, out)
    assert stages.ingest(third) == [] and third.summary.skipped == 2
    assert len(lines(out)) == 2


def test_a_failed_packet_gives_its_claim_back(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = new_run(inbox, out)
    planned = stages.ingest(first)
    stages.release(first, planned[0], "simulated")
    assert first.summary.failed == [planned[0].submission_id]
    again = new_run(inbox, out)
    retried = stages.ingest(again)
    assert [p.submission_id for p in retried] == [planned[0].submission_id]
    assert retried[0].revision == planned[0].revision  # the same revision, not a new one


def test_claims_of_a_finished_batch_are_taken_over(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stopped = new_run(inbox, out)
    stages.ingest(stopped)
    stopped.close()  # ended without deciding (an exception in the flow, say)
    nxt = new_run(inbox, out)
    planned = stages.ingest(nxt)
    assert len(planned) == 2 and all(p.claim.taken_over for p in planned)
    finish_all(nxt)
    assert len(lines(out)) == 2


def test_a_remote_read_writes_nothing_and_the_flow_stores_its_cache(
        inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanchi.flows.remote import absorb, make_job, needs_local_read, read_job

    run = new_run(inbox, tmp_path / "out")
    planned = stages.ingest(run)
    entry = planned[0].entry
    assert not needs_local_read(run, entry)
    job = make_job(run, entry)
    with monkeypatch.context() as m:
        def no_store(*_a: object, **_k: object) -> None:
            raise AssertionError("a worker must not open the database")

        m.setattr("zhanchi.store.Store.open", no_store)
        answer = read_job(job)
    assert answer.extracted.pages >= 1 and answer.ocr and answer.images
    assert not needs_local_read(run, entry)  # nothing reached the store yet
    absorb(run, answer)
    assert needs_local_read(run, entry)
    again = stages.read_and_extract(run, planned[0])  # the flow process reads it from the cache now
    assert again.cache_hits == again.pages == answer.extracted.pages
    assert [d.type for d in again.documents] == [d.type for d in answer.extracted.documents]
    run.close()
