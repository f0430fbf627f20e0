"""The inbox spool: stable-only, exactly-once claiming, dead runs adopted, nothing deleted."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from zhanchi.deploy.spool import LOCK_NAME, Spool, listing
from zhanchi.errors import InputError


def packet(inbox: Path, name: str, files: int = 2, size: int = 100) -> Path:
    folder = inbox / name
    folder.mkdir(parents=True)
    for i in range(files):
        (folder / f"p{i}.jpg").write_bytes(bytes([i]) * size)
    return folder


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    (tmp_path / "inbox").mkdir()
    return Spool.for_inbox(tmp_path / "inbox", tmp_path / "out")


def test_defaults_keep_work_hidden_in_the_inbox_and_archive_in_out(spool: Spool,
                                                                   tmp_path: Path) -> None:
    assert spool.work == (tmp_path / "inbox" / ".zhanchi").absolute()
    assert spool.archive == (tmp_path / "out" / "archive").absolute()
    assert spool.processing.is_dir() and spool.failed.is_dir()


def test_only_entries_unchanged_for_stable_seconds_are_taken(spool: Spool) -> None:
    packet(spool.inbox, "A0001")
    (spool.inbox / "A0002.pdf").write_bytes(b"%PDF-1.4")
    (spool.inbox / "upload.pdf.part").write_bytes(b"partial")  # litter: never a packet
    (spool.inbox / ".hidden").write_bytes(b"x")
    with spool.begin("run1") as run:
        assert run.claim_stable(3600) == []  # just written: still arriving
        assert run.claim_stable(0) == ["A0001", "A0002.pdf"]
        assert sorted(p.name for p in run.entries()) == ["A0001", "A0002.pdf"]
    assert sorted(p.name for p in spool.inbox.iterdir()) == [".hidden", ".zhanchi",
                                                              "upload.pdf.part"]


def test_a_copy_that_back_dates_mtime_still_waits_for_its_ctime(spool: Spool) -> None:
    folder = packet(spool.inbox, "A0003")
    old = time.time() - 86400
    for p in [*folder.iterdir(), folder]:
        os.utime(p, (old, old))  # what `cp -p` or rsync -t leave behind
    _, newest = listing(folder)
    assert time.time() - newest < 60  # ctime cannot be back-dated
    with spool.begin("run1") as run:
        assert run.claim_stable(60) == []


def test_concurrent_runs_take_each_packet_exactly_once(spool: Spool) -> None:
    names = [f"P{i:03d}" for i in range(60)]
    for n in names:
        packet(spool.inbox, n, files=1, size=10)
    taken: dict[str, list[str]] = {}

    def one(run_id: str) -> None:
        with spool.begin(run_id) as run:
            taken[run_id] = run.claim_stable(0)
            assert sorted(p.name for p in run.entries()) == sorted(taken[run_id])

    threads = [threading.Thread(target=one, args=(f"run{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [n for got in taken.values() for n in got]
    assert sorted(every) == names  # each taken once, by one run


def test_a_dead_runs_packets_are_adopted_and_a_live_runs_are_not(spool: Spool) -> None:
    packet(spool.inbox, "A0001")
    packet(spool.inbox, "A0002")
    dead = spool.begin("dead").__enter__()
    dead.claim_stable(0, limit=1)
    live = spool.begin("live").__enter__()
    live.claim_stable(0)
    assert [p.name for p in dead.entries()] == ["A0001"]
    assert dead._fd is not None
    os.close(dead._fd)  # the process died: the kernel drops its lock, the folder stays
    with spool.begin("next") as nxt:
        assert nxt.adopt_orphans(min_age=0) == ["A0001"]
        assert [p.name for p in nxt.entries()] == ["A0001"]
        assert not (spool.processing / "dead").exists()
        assert [p.name for p in live.entries()] == ["A0002"]  # alive: left alone
    live.__exit__(None, None, None)


def test_archive_is_keyed_by_content_hash_and_never_overwrites(spool: Spool) -> None:
    sha = "ab" * 32
    for attempt in range(2):
        packet(spool.inbox, "A0001", size=50 + attempt)
        with spool.begin(f"run{attempt}") as run:
            run.claim_stable(0)
            dest = run.archive("A0001", sha)
        assert dest.parent == spool.archive / "ab" / sha
    kept = sorted(p.name for p in (spool.archive / "ab" / sha).iterdir())
    assert kept == ["A0001", "A0001.2"]
    assert (spool.archive / "ab" / sha / "A0001.2" / "p0.jpg").read_bytes() == b"\0" * 51
    assert not (spool.processing / "run0").exists()  # emptied run folders are removed


def test_failed_packets_are_set_aside_and_busy_ones_go_back(spool: Spool) -> None:
    packet(spool.inbox, "BAD")
    packet(spool.inbox, "BUSY")
    with spool.begin("run1") as run:
        run.claim_stable(0)
        run.fail("BAD")
        run.put_back("BUSY")
        assert run.entries() == []
    assert (spool.failed / "run1" / "BAD" / "p1.jpg").exists()
    assert (spool.inbox / "BUSY" / "p1.jpg").exists()


def test_a_locked_run_folder_refuses_a_second_owner(spool: Spool) -> None:
    with spool.begin("same"):
        with pytest.raises(BlockingIOError):
            spool.begin("same").__enter__()
    assert not (spool.processing / "same" / LOCK_NAME).exists()


def test_spool_on_another_filesystem_is_refused(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem (/dev/shm) to put the spool on")
    work = shm / f"zhanchi-spool-{os.getpid()}"
    try:
        with pytest.raises(InputError, match="filesystem"):
            Spool.for_inbox(tmp_path, tmp_path / "out", work=work)
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
