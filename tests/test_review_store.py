"""The review app's queries and atomic operations on SQLite *and* PostgreSQL.

Claims race across real processes; the queue, export and dashboard queries run on both
databases (JSON-as-text matching, date bounds, aggregates); a whole HTTP correction and
approval runs on each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from store_samples import run_processes
from test_review_support import add_accounts, login

from zhanchi.pipeline.supplements import link_supplement
from zhanchi.policy import load_policy
from zhanchi.registry import load_registries
from zhanchi.review.aliases import name_matcher
from zhanchi.review.app import create_app
from zhanchi.review.dashboard import build_dashboard
from zhanchi.review.export import export_rows
from zhanchi.review.queue import QueueFilter, is_queued, next_open_case, queue_page
from zhanchi.review.samples import (
    AS_OF,
    add_sample_cases,
    cert_number,
    sample_result,
    write_registry,
)
from zhanchi.review.state import ReviewSettings
from zhanchi.store import Store
from zhanchi.store.review_queries import ReviewStore

pytest_plugins = ["pg_fixtures"]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "registry")


@pytest.fixture
def review_store(store_url: str, registry: Path) -> Iterator[ReviewStore]:
    store = ReviewStore.open(store_url)
    add_sample_cases(store, 3, registry)
    yield store
    store.close()


def test_only_one_of_several_processes_claims_a_case(review_store: ReviewStore,
                                                     store_url: str) -> None:
    code = """
        from zhanchi.store.review_queries import ReviewStore
        store = ReviewStore.open(sys.argv[2])
        wait_go()
        print(store.claim_case(1, sys.argv[3]).ok)
        wait_all_done()
    """
    outs = run_processes(code, [[store_url, f"r{i}"] for i in range(4)])
    assert sorted(outs) == ["False", "False", "False", "True"]
    winner = review_store.case_lock(1)
    assert winner is not None and outs[int(winner.reviewer[1:])] == "True"
    claims = [e for e in review_store.history(1) if e.kind == "review.claim"]
    assert len(claims) == 1 and review_store.verify_chain().ok


def test_queue_queries(review_store: ReviewStore) -> None:
    page = queue_page(review_store, QueueFilter())
    assert [r.submission_id for r in page.rows] == ["T00000", "T00001", "T00002"]
    assert page.reason_counts == [("certificate_number_mismatch", 3)]
    assert queue_page(review_store, QueueFilter(reason="missing_field")).total == 0
    assert queue_page(review_store, QueueFilter.parse(None, None, "2024-06-01", "2024-06-01",
                                                      1)).total == 3
    assert queue_page(review_store, QueueFilter.parse(None, None, "2024-06-02", None, 1)
                      ).total == 0
    review_store.claim_case(1, "zhang")
    assert next_open_case(review_store, QueueFilter(reason="certificate_number_mismatch"),
                          "li") == 2
    assert next_open_case(review_store, QueueFilter(), "zhang") == 1  # one's own comes first
    assert is_queued(review_store, 1)


def test_decision_supplement_export_and_dashboard(review_store: ReviewStore, registry: Path,
                                                  store_url: str) -> None:
    review_store.claim_case(1, "zhang")
    review_store.decide_case(1, "request_documents", reviewer="zhang", reason="补交承诺书")
    assert not is_queued(review_store, 1)
    batch = review_store.start_batch(inbox="later")
    new, images = sample_result("T00000-2", registry, mismatch=False)
    review_store.save_result(new, batch_id=batch, images=images)
    new_pk = review_store.find_submission(new.submission_id, new.content_sha256).pk  # type: ignore[union-attr]
    with Store.open(store_url) as pipeline_store:  # the pipeline holds a plain Store
        assert link_supplement(pipeline_store, new_pk) == 1
    assert is_queued(review_store, 1) and not is_queued(review_store, new_pk)
    # the supplement passed every check on its own, yet is not paid apart from its case
    assert review_store.get_submission(new_pk).route == "pass"  # type: ignore[union-attr]
    assert export_rows(review_store) == []
    review_store.claim_case(1, "zhang")
    review_store.decide_case(1, "approve", reviewer="zhang", note="已核实")
    rows = export_rows(review_store)
    assert [(r.submission_id, r.decision, r.amount) for r in rows] == [("T00000", "approve", 1500)]
    data = build_dashboard(review_store, load_registries(registry),
                           name_matcher(load_policy(AS_OF)))
    assert (data.decided, data.routed, data.queue_size) == (4, 3, 2)
    assert data.by_status["approved"] == 2  # the case and its supplement
    assert review_store.verify_chain().ok


def test_a_correction_and_approval_over_http(review_store: ReviewStore, registry: Path) -> None:
    add_accounts(review_store)
    app = create_app(ReviewSettings(db_url="unused", registry_dir=registry), review_store)
    client = TestClient(app, follow_redirects=False)
    token = login(client, "zhang")
    assert client.post("/cases/2/claim", data={"csrf_token": token}).status_code == 303
    edit = client.post("/cases/2/fields", data={
        "csrf_token": token, "packet": 2, "document": 0, "name": "certificate_number",
        "value": cert_number(1)}, headers={"HX-Request": "true"})
    assert 'data-code="certificate_number_mismatch" data-status="pass"' in edit.text
    version = str(review_store.case_version(2))
    assert client.post("/cases/2/decision", data={"csrf_token": token, "decision": "approve",
                                                   "version": version}).status_code == 303
    assert review_store.get_submission(2).status == "approved"  # type: ignore[union-attr]
    assert review_store.find_recorded_claims(certificate_number=cert_number(1))[0].source == \
        "reviewer_approved"
