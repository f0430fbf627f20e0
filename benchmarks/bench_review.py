"""Server time of the review app's pages: a 3-page case, and the queue with 10 000 cases.

Builds a temporary SQLite store: one sample case saved through ``store.save_result``
(three rendered pages, real checks), then ``--cases`` queued packets cloned in bulk
(submission rows and their 24 checks each, mixed reasons, some claimed), as a
long-running office's database would hold them. The app runs in-process; each page is
requested ``--repeat`` times by a logged-in reviewer and the app's own
``Server-Timing`` (request in, response out, database included) is reported.

Goals (issue 5): case view ≤ 300 ms, queue page with 10 000 cases ≤ 500 ms.

    python benchmarks/bench_review.py --cases 10000 --repeat 20
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhanchi.store.review_queries import ReviewStore

GOALS_MS = {"case (3 pages)": 300.0, "queue (10 000 cases)": 500.0}


def bulk_queue(store: ReviewStore, count: int, batch_id: str, seed: int = 7) -> None:
    """``count`` queued packets with 24 checks each, inserted in bulk (no events)."""
    from sqlalchemy import insert

    from zhanchi.models import REVIEW_REASONS
    from zhanchi.store.schema import CaseLockRow, CheckRow, SubmissionRow

    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    subs: list[dict[str, object]] = []
    checks: list[dict[str, object]] = []
    locks: list[dict[str, object]] = []
    failing_by_row: list[set[str]] = []
    for i in range(count):
        reasons = sorted(rng.sample(REVIEW_REASONS, rng.choice((1, 1, 2, 3))))
        subs.append({"submission_id": f"B{i:06d}", "revision": 1, "content_sha256": f"{i:064x}",
                     "received_at": start + timedelta(minutes=7 * i), "batch_id": batch_id,
                     "status": "done", "route": "review", "reasons": reasons,
                     "result_json": "{}", "certificate_number": f"S{i:021d}",
                     "policy_version": "jx-2020-332/v1", "created_at": start,
                     "decided_at": start})
        failing_by_row.append(set(reasons))
    with store.transaction("bench_bulk") as s:
        first = s.execute(insert(SubmissionRow).returning(SubmissionRow.pk), subs).scalars().all()
        _bulk_fields(s, first, rng)
        for pk, failing in zip(first, failing_by_row, strict=True):
            checks += [{"submission_pk": pk, "run": 1, "code": code,
                        "status": "fail" if code in failing else "pass", "message": "…",
                        "policy_version": "jx-2020-332/v1", "created_at": start}
                       for code in REVIEW_REASONS]
            if rng.random() < 0.05:
                locks.append({"submission_pk": pk, "reviewer": "li", "locked_at": start,
                              "last_seen_at": datetime.now(UTC)})
        for i in range(0, len(checks), 20000):
            s.execute(insert(CheckRow), checks[i:i + 20000])
        if locks:
            s.execute(insert(CaseLockRow), locks)


def _bulk_fields(s: object, pks: list[int], rng: random.Random) -> None:
    """A letter and a certificate per packet with the fields the queue shows and sorts by."""
    from sqlalchemy import insert

    from zhanchi.store.schema import DocumentRow, FieldRow

    docs = [{"submission_pk": pk, "document_index": i, "type": t}
            for pk in pks for i, t in enumerate(("commitment_letter", "skill_level_certificate"))]
    ids = s.execute(insert(DocumentRow).returning(DocumentRow.id), docs).scalars().all()  # type: ignore[attr-defined]
    names, counties = "赵钱孙李周吴郑王冯陈", ("东湖区", "西湖区", "青山湖区", "新建区", "红谷滩区")
    fields: list[dict[str, object]] = []
    for n, (letter, cert) in enumerate(zip(ids[::2], ids[1::2], strict=True)):
        level = rng.choice((3, 4, 5))
        issued = (datetime(2024, 1, 1) + timedelta(days=rng.randrange(700))).date().isoformat()
        values = [(letter, "signer_name", names[n % 10] + "某"),
                  (letter, "exam_county", counties[n % 5]),
                  (letter, "agency", f"机构{n % 37}"), (letter, "level", level),
                  (cert, "holder_name", names[n % 10] + "某"), (cert, "level", level),
                  (cert, "issue_date", issued)]
        fields += [{"document_id": d, "name": k, "value": v, "confidence": 0.99, "page": 1,
                    "extra": {}} for d, k, v in values]
    for i in range(0, len(fields), 20000):
        s.execute(insert(FieldRow), fields[i:i + 20000])  # type: ignore[attr-defined]


def measure(client: object, url: str, repeat: int) -> tuple[list[float], list[float]]:
    """Server-Timing and client wall time (ms) of ``repeat`` GETs (after one warm-up)."""
    server, wall = [], []
    client.get(url)  # type: ignore[attr-defined]
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        wall.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        server.append(float(response.headers["server-timing"].split("dur=")[1]))
    return server, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary store.")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from zhanchi.review.app import create_app
    from zhanchi.review.passwords import hash_password
    from zhanchi.review.samples import add_sample_cases, write_registry
    from zhanchi.review.state import ReviewSettings
    from zhanchi.store.review_queries import ReviewStore

    work = Path(tempfile.mkdtemp(prefix="zhanchi-bench-review-"))
    store = ReviewStore.open(f"sqlite:///{work / 'zhanchi.sqlite3'}")
    registry = write_registry(work / "registry", count=1)
    t0 = time.perf_counter()
    case_pk = add_sample_cases(store, 1, registry)[0]
    batch = store.start_batch(inbox="bench", as_of="2024-06-30")
    bulk_queue(store, args.cases - 1, batch)
    build_s = time.perf_counter() - t0
    store.add_user("bench", "reviewer", hash_password("bench-password-1"), actor="bench")
    client = TestClient(create_app(ReviewSettings(db_url="unused", registry_dir=registry), store),
                        follow_redirects=False)
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"name": "bench", "password": "bench-password-1",
                                "csrf_token": token})
    pages = {
        "case (3 pages)": f"/cases/{case_pk}",
        f"queue ({args.cases:,} cases)".replace(",", " "): "/queue",
        "queue, filtered by reason": "/queue?reason=missing_field",
        "queue, page 100": "/queue?page=100",
        "queue, sorted by agency": "/queue?sort=agency&order=desc",
        "dashboard": "/dashboard",
    }
    print(f"store: {args.cases} queued cases built in {build_s:.1f} s"
          + (f" ({work})" if args.keep else ""))
    print(f"{'page':30} {'server median':>14} {'p95':>8} {'client median':>14}   goal")
    worst_over = False
    for label, url in pages.items():
        server, wall = measure(client, url, args.repeat)
        med = statistics.median(server)
        p95 = sorted(server)[max(0, int(len(server) * 0.95) - 1)]
        goal = GOALS_MS.get(label)
        verdict = "" if goal is None else (f"≤ {goal:.0f} ms " + ("ok" if med <= goal else "OVER"))
        worst_over |= goal is not None and med > goal
        print(f"{label:30} {med:11.1f} ms {p95:5.1f} ms {statistics.median(wall):11.1f} ms   "
              f"{verdict}")
    store.close()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if worst_over else 0


if __name__ == "__main__":
    sys.exit(main())
