"""Soak: does the pipeline's memory stay flat over thousands of pages? (not part of CI)

Generates ``--packets`` synthetic packets (``zhanchi.synth``), then runs them through
the pipeline's own batch steps (``BatchRun``: claim → read with the real RapidOCR →
extract → check → store → results.jsonl, the functions the Prefect flow's tasks call)
in one process, over and over under new submission ids, until ``--pages`` pages have
been read. The OCR cache is off: every page is cleaned and OCR'd again (the cache's
lookups are answered "miss"; its writes go on, as in production). Prints the process's
resident set size every 100 pages, then the slope (MB per 1000 pages, least squares
from page 500 on) and the growth from page 500 to the last. Goal (issue 12): growth
≤ 5 %.

    nice python benchmarks/soak.py --pages 2000          # ~35 min on a 2-core box
    nice python benchmarks/soak.py --pages 200           # a quick check of the script

Prefect itself is not in the loop (one process, no task runs): what is measured is
the pipeline's code, the OCR engine and the store.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_GROWTH = 0.05
FROM_PAGE = 500


def rss_mb() -> float:
    """The current resident set size of this process (not the peak), in MB."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        resident_pages = int(fh.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def slope_per_1000(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS (MB) against pages, per 1000 pages."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(p for p, _ in points) / n
    my = sum(r for _, r in points) / n
    sxx = sum((p - mx) ** 2 for p, _ in points)
    sxy = sum((p - mx) * (r - my) for p, r in points)
    return 1000 * sxy / sxx if sxx else 0.0


def renamed(entry: Any, new_id: str) -> Any:
    """The same files as another submission (a new id: nothing is skipped as decided)."""
    return dataclasses.replace(entry, submission=entry.submission.model_copy(
        update={"submission_id": new_id}))


def run(pages: int, packets: int, seed: int, dpi: int, work: Path) -> int:
    from zhanchi.config import RunSettings, limits_from_env
    from zhanchi.ingest import Limits, discover
    from zhanchi.pipeline import stages
    from zhanchi.pipeline.batch import BatchRun, Planned
    from zhanchi.synth import generate_corpus

    t0 = time.perf_counter()
    manifest = generate_corpus(work / "corpus", n_packets=packets, seed=seed, dpi=dpi)
    entries = discover(work / "corpus" / "inbox")
    print(f"{len(entries)} packets generated in {time.perf_counter() - t0:.0f} s "
          f"(seed {seed}, {dpi} dpi); as-of {manifest.as_of}", flush=True)
    settings = RunSettings(inbox=work / "corpus" / "inbox", registry_dir=work / "corpus" /
                           "registry", out_dir=work / "out",
                           db_url=f"sqlite:///{work / 'out' / 'zhanchi.sqlite3'}",
                           as_of=manifest.as_of.isoformat(), limits=limits_from_env(Limits))
    batch = BatchRun(settings)
    batch.store.get_ocr = lambda key: None  # OCR cache off: every page is read again
    done, cycle, next_report = 0, 0, 100
    points: list[tuple[int, float]] = []
    started = time.perf_counter()
    print(f"{'pages':>6} {'packets':>8} {'RSS MB':>8} {'s/page':>7}", flush=True)
    try:
        while done < pages:
            for entry in entries:
                copy = renamed(entry, f"{entry.submission_id}-c{cycle:03d}")
                claim = batch.store.claim_submission(copy.submission, batch.batch_id)
                if claim is None:
                    continue
                planned = Planned(entry=copy, revision=claim.revision, claim=claim)
                t = time.perf_counter()
                extracted = stages.read_and_extract(batch, planned)
                stages.announce(batch, planned, extracted)
                stages.decide(batch, planned, extracted, int((time.perf_counter() - t) * 1000), {})
                done += extracted.pages
                while done >= next_report:
                    rss = rss_mb()
                    points.append((next_report, rss))
                    rate = (time.perf_counter() - started) / done
                    print(f"{next_report:>6} {batch.summary.processed:>8} {rss:>8.1f} "
                          f"{rate:>7.2f}", flush=True)
                    next_report += 100
                if done >= pages:
                    break
            cycle += 1
    finally:
        batch.close()
        batch.store.close()
    return report(points, done, time.perf_counter() - started)


def report(points: list[tuple[int, float]], done: int, seconds: float) -> int:
    late = [(p, r) for p, r in points if p >= FROM_PAGE]
    print(f"\n{done} pages in {seconds / 60:.1f} min ({seconds / max(done, 1):.2f} s/page)")
    if len(late) < 2:
        print(f"too few pages after page {FROM_PAGE} for a slope: run with --pages ≥ "
              f"{FROM_PAGE + 200}; slope over all samples: {slope_per_1000(points):+.1f} "
              "MB/1000 pages")
        return 0
    first, last = late[0][1], late[-1][1]
    growth = (last - first) / first
    print(f"slope from page {late[0][0]}: {slope_per_1000(late):+.1f} MB per 1000 pages")
    print(f"RSS page {late[0][0]}: {first:.1f} MB → page {late[-1][0]}: {last:.1f} MB "
          f"= {100 * growth:+.1f} % (goal ≤ {100 * GOAL_GROWTH:.0f} %)")
    return 0 if growth <= GOAL_GROWTH else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages to read (default 2000)")
    parser.add_argument("--packets", type=int, default=16,
                        help="distinct synthetic packets, reused under new ids")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--keep", type=Path, default=None,
                        help="work folder to keep (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = args.keep or Path(tempfile.mkdtemp(prefix="zhanchi-soak-"))
    try:
        return run(args.pages, args.packets, args.seed, args.dpi, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
