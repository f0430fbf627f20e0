"""Claims: two runs never process one (id, content); a dead run's claim is taken over."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from store_samples import ROOT, make_result, make_submission, run_processes

from zhanchi.errors import StoreError
from zhanchi.store import Claim, Store
from zhanchi.store.schema import BatchRow

pytest_plugins = ["pg_fixtures"]


def test_two_threads_claim_one_submission_one_wins(store: Store) -> None:
    batches = [store.start_batch("inbox") for _ in range(2)]
    sub = make_submission()
    barrier = threading.Barrier(2)
    claims: list[Claim | None] = []

    def claim(batch: str) -> None:
        barrier.wait()
        claims.append(store.claim_submission(sub, batch))

    threads = [threading.Thread(target=claim, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [c for c in claims if c is not None]
    assert len(claims) == 2 and len(won) == 1 and won[0].revision == 1


CLAIM_CODE = """
    from datetime import datetime, UTC
    from zhanchi.models import Submission, SourceFile
    from zhanchi.store import Store
    store = Store.open(sys.argv[2])
    batch = store.start_batch("inbox")
    subs = [Submission(submission_id=f"S{i:03d}", content_sha256=f"{i:064x}",
                       received_at=datetime.now(UTC),
                       files=[SourceFile(path=f"S{i:03d}.pdf", sha256=f"{i:064x}", size=1)])
            for i in range(int(sys.argv[3]))]
    wait_go()
    won = [s.submission_id for s in subs if store.claim_submission(s, batch) is not None]
    wait_all_done()
    print(" ".join(won))
    store.close()
"""


def test_two_processes_claim_each_submission_once(store_url: str) -> None:
    Store.open(store_url).close()
    outs = run_processes(CLAIM_CODE, [[store_url, "30"], [store_url, "30"]])
    won = [set(o.split()) for o in outs]
    assert won[0].isdisjoint(won[1])
    assert won[0] | won[1] == {f"S{i:03d}" for i in range(30)}


def test_concurrent_changed_content_gets_distinct_revisions(store: Store) -> None:
    batch = store.start_batch("inbox")
    barrier = threading.Barrier(3)
    claims: list[Claim | None] = []

    def claim(content: str) -> None:
        barrier.wait()
        claims.append(store.claim_submission(make_submission("A0001", content), batch))

    threads = [threading.Thread(target=claim, args=(f"v{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(c.revision for c in claims if c is not None) == [1, 2, 3]


def test_claim_of_a_killed_run_is_taken_over(store_url: str) -> None:
    code = textwrap.dedent("""
        import os, signal, sys
        from store_samples import make_submission
        from zhanchi.store import Store
        store = Store.open(sys.argv[1])
        claim = store.claim_submission(make_submission(), store.start_batch("inbox"))
        print(claim.pk, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # dies mid-batch: no result, no finish_batch
    """)
    proc = subprocess.run([sys.executable, "-c", code, store_url], capture_output=True,
                          text=True, cwd=ROOT / "tests")
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    out = proc.stdout
    with Store.open(store_url) as store:
        claim = store.claim_submission(make_submission(), store.start_batch("inbox"))
        assert claim is not None and claim.taken_over and claim.pk == int(out)
        store.save_result(make_result(make_submission()), claim=claim)
        assert len(store.all_result_lines()) == 1


def test_claim_of_a_live_run_is_respected_until_it_finishes(store: Store) -> None:
    sub = make_submission()
    first, second = store.start_batch("inbox"), store.start_batch("inbox")
    claim = store.claim_submission(sub, first)
    assert claim is not None
    assert store.claim_submission(sub, second) is None  # the owner (this process) is alive
    again = store.claim_submission(sub, first)  # the owner itself may claim again
    assert again is not None and again.pk == claim.pk and not again.taken_over
    store.finish_batch(first)
    taken = store.claim_submission(sub, second)
    assert taken is not None and taken.taken_over
    # the first run lost it: its late result is refused, the new owner's is kept
    with pytest.raises(StoreError, match="lost to another run"):
        store.save_result(make_result(sub), claim=claim)
    store.save_result(make_result(sub), claim=taken)
    assert len(store.all_result_lines()) == 1


def test_claim_of_another_host_waits_for_its_heartbeat(store: Store) -> None:
    sub = make_submission()
    remote, local = store.start_batch("inbox"), store.start_batch("inbox")
    assert store.claim_submission(sub, remote) is not None
    with store.transaction() as s:
        s.execute(update(BatchRow).where(BatchRow.id == remote).values(owner="elsewhere:1:1"))
    assert store.claim_submission(sub, local) is None  # heartbeat is fresh
    taken = store.claim_submission(sub, local, stale_after=timedelta(0))
    assert taken is not None and taken.taken_over


def test_release_claim_lets_the_next_run_process_it(store: Store) -> None:
    sub = make_submission()
    batch = store.start_batch("inbox")
    claim = store.claim_submission(sub, batch)
    assert claim is not None and store.release_claim(claim)
    assert store.find_submission(sub.submission_id, sub.content_sha256) is None
    assert not store.release_claim(claim)
    again = store.claim_submission(sub, store.start_batch("inbox"))
    assert again is not None and again.revision == 1


def test_batches_are_recorded_in_the_log(store: Store) -> None:
    batch = store.start_batch("inbox", as_of="2024-03-05", options={"workers": 2})
    store.touch_batch(batch)
    store.finish_batch(batch, summary={"processed": 0})
    report = store.verify_chain()
    assert report.ok and report.checked == 2
    with store.reader() as s:
        row = s.get(BatchRow, batch)
        assert row is not None and row.finished_at is not None and row.options == {"workers": 2}
        assert row.finished_at.tzinfo is not None
    assert len(report.head_hash) == 64 and report.head_hash != "0" * 64
