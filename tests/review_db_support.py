"""The review app on both databases: a store with accounts and sample cases on SQLite
and on the real PostgreSQL (a fresh schema per test, from ``pg_fixtures``).

Load with ``pytest_plugins = ["test_review_support", "pg_fixtures", "review_db_support"]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_review_support import CHEAP_ARGON2, ReviewEnv, Session, add_accounts

from zhanchi.review.passwords import use_parameters
from zhanchi.review.samples import add_sample_cases, write_registry
from zhanchi.review.state import ReviewSettings
from zhanchi.store.review_queries import ReviewStore

_EXPECT = re.compile(r'name="expect" value="([0-9a-f]+)"')


@pytest.fixture
def db_env(store_url: str, tmp_path) -> Iterator[ReviewEnv]:  # type: ignore[no-untyped-def]
    """Three sample cases (pks 1–3) and the accounts zhang, li (reviewers) and boss."""
    use_parameters(**CHEAP_ARGON2)
    store = ReviewStore.open(store_url)
    registry = write_registry(tmp_path / "registry")
    add_accounts(store)
    add_sample_cases(store, 3, registry)
    settings = ReviewSettings(db_url="unused", registry_dir=registry)
    try:
        yield ReviewEnv(store, registry, settings, [1, 2, 3])
    finally:
        store.close()
        use_parameters()


def preview(boss: Session, **params: str):  # type: ignore[no-untyped-def]
    """The export preview page for ``params``."""
    response = boss.client.get("/export/preview", params=params)
    assert response.status_code == 200, response.text[:300]
    return response


def export(boss: Session, kind: str = "csv", **params: str):  # type: ignore[no-untyped-def]
    """Preview, then download what the preview showed (as a supervisor's browser does)."""
    match = _EXPECT.search(preview(boss, **params).text)
    return boss.post(f"/export/{kind}", {**params, "expect": match.group(1) if match else ""})
