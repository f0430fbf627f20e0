"""Fixtures for the review app's tests (no tests here): a store with sample cases,
accounts, and logged-in HTTP clients.

The store is a SQLite file under ``tmp_path`` filled with ``store.save_result`` (no
OCR); the app is the real one, driven in-process through Starlette's TestClient.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from zhanchi.review.app import create_app
from zhanchi.review.passwords import hash_password, use_parameters
from zhanchi.review.samples import add_sample_cases, write_registry
from zhanchi.review.state import ReviewSettings
from zhanchi.store.review_queries import ReviewStore

PASSWORDS = {"zhang": "reviewer-pass-1", "li": "reviewer-pass-2", "boss": "supervisor-pass-1"}
_HASHES: dict[str, str] = {}
# Argon2 at its production cost takes most of a second per login on a busy CI box;
# the tests check the flow, not the cost (test_passwords_are_argon2id_hashes keeps
# checking the default profile's format).
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([0-9]+)"')


@dataclass
class ReviewEnv:
    """A store with sample cases, its registry folder and the app's settings."""

    store: ReviewStore
    registry: Path
    settings: ReviewSettings
    cases: list[int]
    app: FastAPI | None = None

    def client(self) -> TestClient:
        """A new browser (own cookies) on the one app of this environment."""
        if self.app is None:
            self.app = create_app(self.settings, self.store)
        return TestClient(self.app, follow_redirects=False)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> str:
    """Log ``client`` in; returns the session's CSRF token."""
    page = client.get("/login")
    token = csrf_of(page.text)
    response = client.post("/login", data={"name": name, "password": password or PASSWORDS[name],
                                           "csrf_token": token, "next": "/queue"})
    assert response.status_code == 303, response.text[:500]
    queue = client.get("/queue")
    assert queue.status_code == 200
    return csrf_of(queue.text)


def add_accounts(store: ReviewStore) -> None:
    for name, role in (("zhang", "reviewer"), ("li", "reviewer"), ("boss", "supervisor")):
        if name not in _HASHES:
            _HASHES[name] = hash_password(PASSWORDS[name])
        store.add_user(name, role, _HASHES[name], actor="test")


@pytest.fixture(scope="session")
def review_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store with accounts and three sample cases, built once and copied per test."""
    use_parameters(**CHEAP_ARGON2)
    folder = tmp_path_factory.mktemp("review-template")
    store = ReviewStore.open(f"sqlite:///{folder / 'zhanchi.sqlite3'}")
    add_accounts(store)
    add_sample_cases(store, 3, write_registry(folder / "registry"))
    store.close()  # the last connection checkpoints the WAL into the file
    yield folder
    use_parameters()


@pytest.fixture
def review_env(review_template: Path, tmp_path: Path) -> Iterator[ReviewEnv]:
    shutil.copy(review_template / "zhanchi.sqlite3", tmp_path / "zhanchi.sqlite3")
    registry = tmp_path / "registry"
    shutil.copytree(review_template / "registry", registry)
    store = ReviewStore.open(f"sqlite:///{tmp_path / 'zhanchi.sqlite3'}")
    settings = ReviewSettings(db_url="unused", registry_dir=registry)
    yield ReviewEnv(store, registry, settings, [1, 2, 3])
    store.close()


@pytest.fixture
def anon(review_env: ReviewEnv) -> TestClient:
    return review_env.client()


@dataclass
class Session:
    """A logged-in client and its CSRF token."""

    client: TestClient
    csrf: str

    def post(self, url: str, data: dict[str, object] | None = None, **kw: object):  # type: ignore[no-untyped-def]
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)  # type: ignore[arg-type]

    def decide(self, pk: int, data: dict[str, object], **kw: object):  # type: ignore[no-untyped-def]
        """Post a decision as the case page's form does: with the version the page shows."""
        seen = _VERSION.search(self.client.get(f"/cases/{pk}").text)
        version = {"version": seen.group(1)} if seen else {}
        return self.post(f"/cases/{pk}/decision", {**data, **version}, **kw)


def session_for(env: ReviewEnv, name: str) -> Session:
    client = env.client()
    return Session(client, login(client, name))


@pytest.fixture
def zhang(review_env: ReviewEnv) -> Session:
    return session_for(review_env, "zhang")


@pytest.fixture
def li(review_env: ReviewEnv) -> Session:
    return session_for(review_env, "li")


@pytest.fixture
def boss(review_env: ReviewEnv) -> Session:
    return session_for(review_env, "boss")
