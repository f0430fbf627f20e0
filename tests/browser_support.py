"""The review app in a real browser: Debian's chromium (headless, via Playwright) against
the real app served by uvicorn on a free loopback port.

Import the ``server`` fixture by name (with ``pytest_plugins = ["test_review_support"]``
for the ``review_env`` it serves). Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from test_review_support import PASSWORDS, ReviewEnv

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="needs Debian's /usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free local port, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                        log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(review_env: ReviewEnv) -> Iterator[str]:
    """The app of ``review_env`` served by uvicorn on a free local port."""
    review_env.client()  # builds the app
    assert review_env.app is not None
    with serve(review_env.app) as url:
        yield url


def watch(page: Any, problems: list[str]) -> Any:
    """Collect ``page``'s script errors and console errors (CSP violations among them)."""
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page


def login(page: Any, base: str, name: str, password: str | None = None) -> None:
    """Log in through the form as ``name``; ends on the queue."""
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password or PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")


def queue_rows(page: Any) -> list[int]:
    """The pks of the queue's rows, in the order shown."""
    return [int(x) for x in page.locator("table.queue-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.pk)")]
