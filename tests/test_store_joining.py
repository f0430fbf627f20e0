"""One operation, one connection: store operations join an open transaction.

A field edit's recheck reads the policy, the accepted aliases and the claims; it once
did so on fresh pooled connections while the edit's write transaction held its own,
so 20 reviewers at once exhausted the pool (30 s stalls, then 503s). Now a read or
write inside an open transaction of the same store goes through that transaction.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import event, select

from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.pipeline.recheck import recheck_case
from zhanchi.review.queue import QueueFilter, next_open_case, queue_page
from zhanchi.review.samples import add_sample_cases, write_registry
from zhanchi.store.core import NestedWriteError
from zhanchi.store.engine import make_engine, parse_url
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema_audit import EventRow

pytest_plugins = ["pg_fixtures"]


def _store(tmp_path: Path) -> tuple[ReviewStore, str]:
    url = f"sqlite:///{tmp_path / 'z.sqlite3'}"
    ReviewStore.open(url).close()  # created and migrated
    return ReviewStore.open(url), url


def test_a_read_inside_a_transaction_reads_through_it(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    try:
        with store.transaction("outer") as outer:
            store.append_event("test.joined", "tester", {"n": 1})
            with store.reader("inner") as inner:
                assert inner is outer
                kinds = inner.scalars(select(EventRow.kind)).all()
            assert "test.joined" in kinds  # the outer's own, not yet committed, write
        with store.reader("after") as s:
            assert "test.joined" in s.scalars(select(EventRow.kind)).all()
    finally:
        store.close()


def test_a_write_inside_a_read_only_session_is_refused(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    try:
        with store.reader("outer"), pytest.raises(NestedWriteError):
            store.append_event("test.refused", "tester", {})
        with store.reader("after") as s:
            assert "test.refused" not in s.scalars(select(EventRow.kind)).all()
    finally:
        store.close()


def test_a_failed_joined_operation_rolls_the_whole_transaction_back(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    try:
        with pytest.raises(RuntimeError), store.transaction("outer"):
            store.append_event("test.rolled_back", "tester", {})
            raise RuntimeError("the outer block fails after the joined write")
        with store.reader("after") as s:
            assert "test.rolled_back" not in s.scalars(select(EventRow.kind)).all()
    finally:
        store.close()


def test_an_edit_recheck_needs_one_connection(tmp_path: Path, store_url: str) -> None:
    """A pool of ONE connection: the recheck must not wait for a second one."""
    url = store_url
    registry = write_registry(tmp_path / "registry", count=2)
    seeded = ReviewStore.open(url)
    try:
        pk = add_sample_cases(seeded, 1, registry, prefix="J")[0]
    finally:
        seeded.close()
    parsed = parse_url(url)
    store = ReviewStore(make_engine(parsed, pool_size=1, max_overflow=0, pool_timeout=3),
                        parsed)
    try:
        inputs = RecheckInputs(store, registry)
        started = time.perf_counter()
        outcome = recheck_case(store, pk, inputs, actor="tester", kind="review.recheck",
                               after="request")
        assert outcome is not None and time.perf_counter() - started < 3
    finally:
        store.close()


def test_a_queue_page_reads_on_one_connection(tmp_path: Path, store_url: str) -> None:
    """The queue's reads are store functions now, each opening a reader: inside the
    page's reader they join it, so a page (in any order) takes one pooled connection."""
    registry = write_registry(tmp_path / "registry", count=3)
    store = ReviewStore.open(store_url)
    checkouts: list[int] = []
    try:
        pks = add_sample_cases(store, 3, registry, prefix="Q")
        event.listen(store.engine.pool, "checkout", lambda *_: checkouts.append(1))
        for sort in ("deadline", "name", "holder", "id", "waited"):
            checkouts.clear()
            page = queue_page(store, QueueFilter(sort=sort))
            assert sorted(r.pk for r in page.rows) == sorted(pks)
            assert len(checkouts) == 1, sort
            checkouts.clear()
            assert next_open_case(store, QueueFilter(sort=sort), "li") in pks
            assert len(checkouts) == 1, sort
    finally:
        store.close()


def test_the_lock_touch_keeps_only_its_holders_live_lock(tmp_path: Path, store_url: str) -> None:
    """The case page's lock touch is one UPDATE (held by this reviewer and not idle
    longer than ``idle``): the holder's live lock is kept alive; another reviewer, an
    expired lock or no lock at all touch nothing."""
    from datetime import timedelta

    registry = write_registry(tmp_path / "registry", count=2)
    store = ReviewStore.open(store_url)
    try:
        pk, free = add_sample_cases(store, 2, registry, prefix="T")
        assert not store.touch_case_lock(pk, "li")  # no lock yet
        assert store.claim_case(pk, "li").ok
        seen = store.case_lock(pk)
        assert seen is not None
        time.sleep(0.01)
        assert store.touch_case_lock(pk, "li")
        after = store.case_lock(pk)
        assert after is not None and after.last_seen_at > seen.last_seen_at
        assert not store.touch_case_lock(pk, "zhang")  # someone else's lock
        time.sleep(0.05)
        assert not store.touch_case_lock(pk, "li", idle=timedelta(milliseconds=20))  # lapsed
        still = store.case_lock(pk)
        assert still is not None and still.last_seen_at == after.last_seen_at
        assert not store.touch_case_lock(free, "li")
    finally:
        store.close()
