"""Load test of the review app: 20 reviewers at once, claim → edit → decide (not in CI).

Builds a temporary store with ``--reviewers × --loops`` sample cases (each with a
misread certificate number on its letter), starts ``zhanchi review`` on a free
loopback port (uvicorn, a real HTTP server in its own process), and lets each reviewer
— one thread, one HTTP client, logged in — run ``--loops`` times: claim the next case
(``POST /queue/next``), open it (``GET /cases/{pk}``, the case page), correct the
letter's number (``POST /cases/{pk}/fields``) and approve (``POST /cases/{pk}/decision``).
A fixed number of requests, then it stops by itself.

``--think`` is the time a reviewer spends on a page before the next action (drawn
uniformly from 0.5–1.5 × the value; default 1 s — a real reviewer reads a case for
minutes, so this is 20 very fast people). ``--think 0`` is a stress test instead: 20
requests always in flight, which measures the server's capacity (requests/s), not
what a reviewer waits; its latency is queueing (≈ 20 ÷ capacity) whatever the code does.

Prints p50/p95 latency per route as the client sees it, and checks afterwards, in the
database: no 5xx, every case decided exactly once (none lost, none twice), each after
its correction, and the event log intact. Goal (issue 12): case page p95 ≤ 300 ms.

    python benchmarks/load_review.py                          # 20 reviewers × 10 loops
    python benchmarks/load_review.py --workers 2 --think 0    # capacity (stress)
    nice python benchmarks/load_review.py --db postgresql+psycopg://postgres@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

GOAL_CASE_P95_MS = 300.0
PASSWORD = "load-test-pass-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_DUR = re.compile(r"app;dur=([0-9.]+)")
ROUTES = ("queue/next", "case page", "edit field", "decision")
LOGIN_TRIES = 10
VERSION = re.compile(r'name="version" value="([0-9]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(db_url: str, work: Path, reviewers: int, cases: int) -> dict[int, str]:
    """Accounts and cases in the store; returns case pk → the correct certificate number."""
    from zhanchi.review.passwords import hash_password, use_parameters
    from zhanchi.review.samples import add_sample_cases, cert_number, write_registry
    from zhanchi.store.review_queries import ReviewStore

    # Logins are not what is measured: a cheap Argon2 profile keeps 20 logins quick.
    use_parameters(time_cost=1, memory_cost=1024, parallelism=1)
    store = ReviewStore.open(db_url)
    try:
        digest = hash_password(PASSWORD)
        for i in range(reviewers):
            store.add_user(f"r{i:02d}", "reviewer", digest, actor="load-test")
        registry = write_registry(work / "registry", count=cases)
        pks = add_sample_cases(store, cases, registry, prefix="L")
    finally:
        store.close()
    return {pk: cert_number(i) for i, pk in enumerate(pks)}


class Reviewer(threading.Thread):
    """One reviewer's browser: logs in, then claims, opens, corrects and approves."""

    def __init__(self, base: str, name: str, loops: int, numbers: dict[int, str],
                 think: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.think = think
        self.rng = random.Random(name)
        self.client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
        self.name, self.loops, self.numbers = name, loops, numbers
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.server: dict[str, list[float]] = defaultdict(list)  # the app's Server-Timing
        self.statuses: dict[str, list[int]] = defaultdict(list)
        self.decided: list[int] = []
        self.errors: list[str] = []
        self.login_busy = 0  # logins answered 503 "busy, try again" (retried, not measured)

    def _call(self, route: str, method: str, url: str, **kw: object) -> httpx.Response:
        if self.think:
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
        t0 = time.perf_counter()
        response = self.client.request(method, url, **kw)  # type: ignore[arg-type]
        self.timings[route].append((time.perf_counter() - t0) * 1000)
        timing = _DUR.search(response.headers.get("server-timing", ""))
        if timing:
            self.server[route].append(float(timing.group(1)))
        self.statuses[route].append(response.status_code)
        return response

    def run(self) -> None:
        try:
            for attempt in range(LOGIN_TRIES):
                token = _CSRF.search(self.client.get("/login").text)
                assert token, "login page without CSRF token"
                r = self.client.post("/login", data={
                    "name": self.name, "password": PASSWORD, "csrf_token": token.group(1),
                    "next": "/queue"})
                if r.status_code != 503:
                    break
                # every hashing slot busy (20 logins at once): the page says try again
                self.login_busy += 1
                time.sleep(0.5 * (attempt + 1))
            assert r.status_code == 303, f"login {r.status_code}"
            csrf = _CSRF.search(self.client.get("/queue").text)
            assert csrf, "queue page without CSRF token"
            self._work(csrf.group(1))
        except Exception as exc:  # reported, and the run fails
            self.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")

    def _work(self, csrf: str) -> None:
        for _ in range(self.loops):
            r = self._call("queue/next", "POST", "/queue/next", data={"csrf_token": csrf})
            where = r.headers.get("location", "")
            if not where.startswith("/cases/"):
                self.errors.append(f"{self.name}: queue/next gave {r.status_code} {where}")
                return
            pk = int(where.rsplit("/", 1)[1])
            self._call("case page", "GET", where)
            self._call("edit field", "POST", f"{where}/fields", data={
                "csrf_token": csrf, "packet": pk, "document": 0, "name": "certificate_number",
                "value": self.numbers[pk]})
            # the page the edit redirects to: the decision carries the version it shows
            seen = VERSION.search(self._call("case page", "GET", where).text)
            r = self._call("decision", "POST", f"{where}/decision", data={
                "csrf_token": csrf, "decision": "approve",
                "version": seen.group(1) if seen else ""})
            if r.status_code == 303:
                self.decided.append(pk)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def verify(db_url: str, decided: list[int], numbers: dict[int, str]) -> list[str]:
    """What the database says: each case decided once, after its correction."""
    from sqlalchemy import func, select

    from zhanchi.store.review_queries import ReviewStore
    from zhanchi.store.schema import DocumentRow, FieldRow, ReviewDecisionRow

    problems = []
    store = ReviewStore.open(db_url)
    try:
        with store.reader() as s:
            per_case = dict(s.execute(select(ReviewDecisionRow.submission_pk, func.count())
                                      .group_by(ReviewDecisionRow.submission_pk)).all())
            values = dict(s.execute(select(DocumentRow.submission_pk, FieldRow.value).join(
                FieldRow, FieldRow.document_id == DocumentRow.id).where(
                DocumentRow.document_index == 0, FieldRow.name == "certificate_number")).all())
        twice = sorted(pk for pk, n in per_case.items() if n > 1)
        lost = sorted(set(decided) - set(per_case))
        if twice:
            problems.append(f"{len(twice)} case(s) decided more than once: {twice[:5]}")
        if lost:
            problems.append(f"{len(lost)} decision(s) answered 303 but not stored: {lost[:5]}")
        if len(decided) != len(set(decided)):
            problems.append("a case was approved twice over HTTP")
        if set(per_case) - set(decided):
            problems.append("decisions stored that no reviewer was told of")
        stale = [pk for pk in decided if values.get(pk) != numbers[pk]]
        if stale:
            problems.append(f"{len(stale)} case(s) decided without their correction")
        if not store.verify_chain().ok:
            problems.append("the event log does not verify")
    finally:
        store.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--loops", type=int, default=10, help="cases per reviewer")
    parser.add_argument("--db", default=None, help="an EMPTY database URL (default: SQLite)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a reviewer spends on a page before acting (0: stress)")
    parser.add_argument("--workers", type=int, default=0,
                        help="zhanchi review --workers (0, its default: one per core)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="zhanchi-load-"))
    db_url = args.db or f"sqlite:///{work / 'zhanchi.sqlite3'}"
    server = None
    try:
        cases = args.reviewers * args.loops
        t0 = time.perf_counter()
        numbers = prepare(db_url, work, args.reviewers, cases)
        print(f"{cases} cases and {args.reviewers} reviewers ready in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "zhanchi", "review", "--db", db_url, "--host", "127.0.0.1",
             "--port", str(port), "--registry", str(work / "registry"),
             "--workers", str(args.workers)],
            stdout=subprocess.DEVNULL, stderr=(work / "server.log").open("w"))
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print("the review app did not start", file=sys.stderr)
            return 2
        team = [Reviewer(base, f"r{i:02d}", args.loops, numbers, args.think)
                for i in range(args.reviewers)]
        print(f"{args.reviewers} reviewers, think time {args.think:g} s, "
              f"{args.workers or 'one per core'} server worker(s)", flush=True)
        t0 = time.perf_counter()
        for r in team:
            r.start()
        for r in team:
            r.join()
        seconds = time.perf_counter() - t0
        log = (work / "server.log").read_text(errors="replace")
        if "Traceback" in log or "ERROR" in log:  # the server's own account of a failure
            print("--- server.log (tail) ---\n" + "\n".join(log.splitlines()[-60:]))
        return summarise(team, seconds, verify(db_url, [pk for r in team for pk in r.decided],
                                               numbers))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def summarise(team: list[Reviewer], seconds: float, problems: list[str]) -> int:
    requests = sum(len(v) for r in team for v in r.timings.values())
    print(f"\n{requests} requests by {len(team)} concurrent reviewers in {seconds:.1f} s "
          f"({requests / seconds:.1f} req/s)")
    print("client: request sent → response read; server: the app's own Server-Timing")
    print(f"{'route':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'srv p50':>8} {'srv p95':>8}  statuses")
    server_errors = 0
    for route in ROUTES:
        times = [t for r in team for t in r.timings[route]]
        codes = [c for r in team for c in r.statuses[route]]
        server_errors += sum(1 for c in codes if c >= 500)
        server = [t for r in team for t in r.server[route]] or [float("nan")]
        if times:
            counts = ", ".join(f"{c}×{codes.count(c)}" for c in sorted(set(codes)))
            print(f"{route:<12} {len(times):>5} {statistics.median(times):>8.0f} "
                  f"{percentile(times, 0.95):>8.0f} {max(times):>8.0f} "
                  f"{statistics.median(server):>8.0f} {percentile(server, 0.95):>8.0f}  {counts}")
    decided = sum(len(r.decided) for r in team)
    busy = sum(r.login_busy for r in team)
    print(f"decisions: {decided} answered, 5xx: {server_errors}; logins first answered "
          f"503 'busy, try again' (hash slots, before the measured loop): {busy}")
    for line in [e for r in team for e in r.errors] + problems:
        print(f"PROBLEM: {line}")
    case = [t for r in team for t in r.timings["case page"]]
    p95 = percentile(case, 0.95) if case else float("inf")
    print(f"case page p95 {p95:.0f} ms (goal ≤ {GOAL_CASE_P95_MS:.0f} ms)")
    assert server_errors == 0, "5xx answers"
    assert not problems and not any(r.errors for r in team), "lost, duplicated or failed work"
    return 0 if p95 <= GOAL_CASE_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
