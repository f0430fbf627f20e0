"""The real server (``zhanchi review``) keeps logins across a restart and across workers.

Starts ``python -m zhanchi review --workers 2`` on a SQLite file, logs in over HTTP,
stops the server process, starts a new one (one worker) on the same database, and
uses the same cookie again.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from test_review_support import PASSWORDS

pytest_plugins = ["test_review_support"]
pytestmark = pytest.mark.slow

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path, tmp_path: Path, workers: int, log: list[str] | None = None
            ) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhanchi", "review", "--db", f"sqlite:///{db}", "--port",
         str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("server did not start: " + (proc.stderr.read()
                                     if proc.stderr and proc.poll() is not None else ""))
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its worker processes
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log is not None and proc.stderr is not None:
            log.append(proc.stderr.read())


def test_a_login_survives_a_restart_and_works_on_every_worker(review_template: Path,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "zhanchi.sqlite3"
    shutil.copy(review_template / "zhanchi.sqlite3", db)
    log: list[str] = []
    with serving(db, tmp_path, workers=2, log=log) as base:
        page = httpx.get(f"{base}/login")
        token = _CSRF.search(page.text)
        assert token is not None
        answer = httpx.post(f"{base}/login", data={
            "name": "zhang", "password": PASSWORDS["zhang"], "csrf_token": token.group(1),
            "next": "/queue"}, cookies=page.cookies)
        assert answer.status_code == 303
        cookie = answer.cookies["zhanchi_session"]
        # new connections each time: the kernel hands them to either worker
        codes = [httpx.get(f"{base}/queue", cookies={"zhanchi_session": cookie}).status_code
                 for _ in range(12)]
        assert codes == [200] * 12
    assert len(set(re.findall(r"Started server process \[(\d+)\]", log[0]))) == 2
    with serving(db, tmp_path, workers=1) as base:
        again = httpx.get(f"{base}/queue", cookies={"zhanchi_session": cookie})
        assert again.status_code == 200 and "zhang" in again.text
        assert httpx.get(f"{base}/queue").status_code == 303  # and without it, no entry
