"""The hash-chained event log: every kind of tampering is found, concurrent appends stay chained."""

from __future__ import annotations

import threading

import pytest
from store_samples import make_result, make_submission, run_processes

from zhanchi.errors import AuditError
from zhanchi.store import Store
from zhanchi.store.chain import canonical_json, entry_hash

pytest_plugins = ["pg_fixtures"]


def fill(store: Store, n: int = 5) -> None:
    for i in range(n):
        store.append_event("test.event", f"actor{i}", {"i": i, "名": "值", "f": 0.1 * i})


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(statement)


def test_empty_and_intact_chains_verify(store: Store) -> None:
    report = store.verify_chain()
    assert report.ok and report.checked == 0
    fill(store)
    report = store.verify_chain()
    assert report.ok and report.checked == 5 and report.first_broken_id is None
    report.raise_if_broken()


def test_hash_is_canonical_json_of_the_entry(store: Store) -> None:
    event = store.append_event("k", "a", {"b": 1, "a": [1, 2]}, None)
    assert event.hash == entry_hash(event.id, event.ts, "a", "k", None, {"a": [1, 2], "b": 1},
                                    "0" * 64)
    assert canonical_json({"b": 1, "a": "中"}) == '{"a":"中","b":1}'


def test_edited_row_is_detected(store: Store) -> None:
    fill(store)
    sql(store, "UPDATE events SET actor = 'mallory' WHERE id = 3")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 3 and "edited" in (report.why or "")
    with pytest.raises(AuditError, match="entry 3"):
        report.raise_if_broken()


def test_edited_payload_is_detected(store: Store) -> None:
    fill(store)
    sql(store, """UPDATE events SET payload = '{"i":99}' WHERE id = 2""")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 2


def test_deleted_row_is_detected(store: Store) -> None:
    fill(store)
    sql(store, "DELETE FROM events WHERE id = 2")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 2 and "missing" in (report.why or "")
    assert report.checked == 1


def test_deleted_and_renumbered_row_is_detected(store: Store) -> None:
    fill(store)
    sql(store, "DELETE FROM events WHERE id = 2")
    for i in (3, 4, 5):  # close the gap, as a careful forger would
        sql(store, f"UPDATE events SET id = {i - 1} WHERE id = {i}")
    sql(store, "UPDATE event_chain_head SET last_event_id = 4")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 2


def test_reordered_rows_are_detected(store: Store) -> None:
    fill(store)
    sql(store, "UPDATE events SET id = -3 WHERE id = 3")
    sql(store, "UPDATE events SET id = 3 WHERE id = 4")
    sql(store, "UPDATE events SET id = 4 WHERE id = -3")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 3


def test_removed_tail_is_detected(store: Store) -> None:
    fill(store)
    sql(store, "DELETE FROM events WHERE id = 5")
    report = store.verify_chain()
    assert not report.ok and report.first_broken_id == 5 and "removed" in (report.why or "")


def test_result_edited_after_its_decision_is_detected(store: Store) -> None:
    batch = store.start_batch("inbox")
    sub = make_submission()
    claim = store.claim_submission(sub, batch)
    assert claim is not None
    store.save_result(make_result(sub), claim=claim)
    assert store.verify_chain().ok
    sql(store, "UPDATE submissions SET result_json = REPLACE(result_json, '\"review\"', '\"pass\"')")
    report = store.verify_chain()
    assert not report.ok and "edited after the decision" in (report.why or "")
    assert "张三" not in (report.why or "")  # messages never carry personal data


def test_concurrent_threads_append_one_chain(store: Store) -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                store.append_event("thread", f"t{n}", {"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = store.verify_chain()
    assert report.ok and report.checked == 60


def test_concurrent_processes_append_one_chain(store_url: str) -> None:
    code = """
        from zhanchi.store import Store
        store = Store.open(sys.argv[2])
        wait_go()
        for i in range(20):
            store.append_event("proc", sys.argv[3], {"i": i})
        store.close()
    """
    Store.open(store_url).close()
    run_processes(code, [[store_url, f"p{n}"] for n in range(3)])
    with Store.open(store_url) as store:
        report = store.verify_chain()
        assert report.ok and report.checked == 60
