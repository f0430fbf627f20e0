"""Fixtures for the feedback tests (aliases, QA sample): a review app on SQLite and on
PostgreSQL, with two reviewers and two supervisors, and sample cases built to order.

Cases are the review app's synthetic sample packets (no OCR), decided by the real
checks against the sample registry; the app is the real one, driven over HTTP.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from test_review_support import CHEAP_ARGON2, PASSWORDS, ReviewEnv, Session, add_accounts, login

from zhanchi.models import SourceFile
from zhanchi.review.passwords import hash_password, use_parameters
from zhanchi.review.samples import sample_result, write_registry
from zhanchi.review.state import ReviewSettings
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema import EventRow

CHIEF = ("chief", "supervisor-pass-2")  # a second supervisor (four eyes on aliases)
VARIANT = "南昌市红谷职业培训学校"  # the sample agency with 技能 left out: same identity


def events_of(store: ReviewStore, kind: str) -> list[tuple[str, dict]]:
    """(actor, payload) of every event of ``kind`` in the log, oldest first."""
    with store.reader() as s:
        rows = s.scalars(select(EventRow).where(EventRow.kind == kind).order_by(EventRow.id))
        return [(r.actor, json.loads(r.payload)) for r in rows]


@dataclass
class FeedbackEnv:
    """The review environment plus a way to add cases."""

    env: ReviewEnv
    registry: Path
    batch: str

    @property
    def store(self) -> ReviewStore:
        return self.env.store

    def add_case(self, submission_id: str, index: int, *, mismatch: bool = False,
                 agency: str | None = None) -> int:
        """Save one sample packet (letter agency as given); returns its pk."""
        overrides = {"agency": agency} if agency else None
        result, images = sample_result(submission_id, self.registry, index=index,
                                       mismatch=mismatch, letter_overrides=overrides)
        files = [SourceFile(path=p, sha256=hashlib.sha256(p.encode()).hexdigest(), size=1)
                 for p in result.source]
        self.store.save_result(result, batch_id=self.batch, images=images, files=files)
        found = self.store.find_submission(submission_id, result.content_sha256)
        assert found is not None
        return found.pk

    def session(self, name: str) -> Session:
        client = self.env.client()
        password = CHIEF[1] if name == CHIEF[0] else PASSWORDS[name]
        return Session(client, login(client, name, password))


@pytest.fixture
def feedback(store_url: str, tmp_path: Path) -> Iterator[FeedbackEnv]:
    use_parameters(**CHEAP_ARGON2)
    store = ReviewStore.open(store_url)
    try:
        add_accounts(store)
        store.add_user(CHIEF[0], "supervisor", hash_password(CHIEF[1]), actor="test")
        registry = write_registry(tmp_path / "registry")
        settings = ReviewSettings(db_url="unused", registry_dir=registry)
        env = ReviewEnv(store, registry, settings, [])
        yield FeedbackEnv(env, registry, store.start_batch(inbox="samples", as_of="2024-06-30"))
    finally:
        store.close()
        use_parameters()
