"""The case page reads its case once, on one connection (issue 12: p95 under load).

The page's reads used to open twice (once to find a merged supplement or stale
checks, once to show the page): 35 statements and two loads of every document on
SQLite. Now the view's reads share one reader and the lock touch plus the view event
one write transaction; a stale case (a supplement linked since the checks ran) is
rechecked and read again, so what is shown is what the checks saw.
"""

from __future__ import annotations

from sqlalchemy import event
from test_review_support import ReviewEnv, Session

pytest_plugins = ["test_review_support"]


def _watch(env: ReviewEnv) -> tuple[list[str], list[int]]:
    statements: list[str] = []
    checkouts: list[int] = []
    event.listen(env.store.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql))
    event.listen(env.store.engine.pool, "checkout", lambda *_: checkouts.append(1))
    return statements, checkouts


def test_a_case_page_reads_each_table_once_on_one_reader(review_env: ReviewEnv,
                                                         zhang: Session) -> None:
    pk = review_env.cases[0]
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    zhang.client.get(f"/cases/{pk}")  # warm: templates compiled, policy loaded
    statements, checkouts = _watch(review_env)
    page = zhang.client.get(f"/cases/{pk}")
    assert page.status_code == 200 and 'name="version"' in page.text
    fields_reads = [s for s in statements if s.lstrip().startswith("SELECT fields.")]
    submission_reads = [s for s in statements if s.lstrip().startswith("SELECT submissions.pk, ")]
    assert len(fields_reads) == 1, "the case's documents are loaded once"
    assert len(submission_reads) == 1, "the case's submission row is read once"
    # the login session, the page's one reader, the lock touch + view event
    assert len(checkouts) == 3, len(checkouts)
    updates = [s for s in statements if s.lstrip().startswith("UPDATE case_locks")]
    assert len(updates) == 1 and "reviewer" in updates[0], "the touch is one guarded UPDATE"


def test_the_holders_page_keeps_the_lock_and_logs_the_view(review_env: ReviewEnv,
                                                            zhang: Session) -> None:
    pk = review_env.cases[1]
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    before = review_env.store.case_lock(pk)
    page = zhang.client.get(f"/cases/{pk}")
    after = review_env.store.case_lock(pk)
    assert page.status_code == 200 and 'name="decision"' in page.text  # editable: held
    assert before is not None and after is not None
    assert after.last_seen_at >= before.last_seen_at
    views = [e for e in review_env.store.history(pk) if e.kind == "review.view"]
    assert views and views[-1].payload == {"id_number_shown": True}
