"""``POST /queue/next`` under contention: losing races never reads as an empty queue.

Found by ``benchmarks/load_review.py``: with 20 reviewers claiming at once, one was
told "queue empty" while cases were left, because the route gave up after 5 lost
races. Here other reviewers win the race for the first 6 cases it picks.
"""

from __future__ import annotations

import pytest
from test_review_support import ReviewEnv, Session

from zhanchi.review.samples import add_sample_cases
from zhanchi.store.review_queries import ReviewStore

pytest_plugins = ["test_review_support"]


def test_next_case_keeps_trying_until_no_free_case_is_left(
        review_env: ReviewEnv, zhang: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    store = review_env.store
    extra = add_sample_cases(store, 5, review_env.registry, prefix="R")
    original = ReviewStore.claim_case
    lost: list[int] = []

    def another_reviewer_first(self: ReviewStore, pk: int, reviewer: str, **kw: object):  # type: ignore[no-untyped-def]
        if reviewer == "zhang" and len(lost) < 6:
            lost.append(pk)
            original(self, pk, f"rival{len(lost)}", **kw)  # a rival claims it just before
        return original(self, pk, reviewer, **kw)

    monkeypatch.setattr(ReviewStore, "claim_case", another_reviewer_first)
    response = zhang.post("/queue/next")
    assert len(lost) == 6
    assert response.status_code == 303
    won = int(response.headers["location"].rsplit("/", 1)[1])
    assert won not in lost and won in [*review_env.cases, *extra]
    assert store.case_lock(won).reviewer == "zhang"  # type: ignore[union-attr]
