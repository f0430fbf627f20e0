"""The batch flow: a thin Prefect wrapper around :mod:`zhanchi.pipeline.batch`.

Tasks receive only a run key and an index — never names, ID numbers or OCR text —
and persist nothing in Prefect: the project's database and results.jsonl are the
record of truth (PREFECT.md: the embedded server may drop task records at exit).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from zhanchi.flows.prefect_env import configure

configure()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from zhanchi.pipeline.batch import (  # noqa: E402
    BatchRun,
    BatchSummary,
    Planned,
    claimed_numbers,
    settings_from_args,
)
from zhanchi.pipeline.decide import Extracted  # noqa: E402

# Live, non-serialisable run state, looked up by key inside the tasks of this process.
_RUNS: dict[str, _RunState] = {}


class _RunState:
    def __init__(self, run: BatchRun, planned: list[Planned], progress: Any) -> None:
        self.run = run
        self.planned = planned
        self.extracted: dict[int, Extracted] = {}
        self.read_ms: dict[int, int] = {}
        self.progress = progress


@task(name="read-submission", retries=2, retry_delay_seconds=2, persist_result=False,
      cache_policy=NO_CACHE, task_run_name="read-{submission_id}")
def read_submission(run_key: str, index: int, submission_id: str) -> dict[str, int]:
    """OCR and extract one submission (phase 1); returns page counts only."""
    state = _RUNS[run_key]
    t0 = time.perf_counter()
    ex = state.run.read(state.planned[index])
    state.read_ms[index] = int(round((time.perf_counter() - t0) * 1000))
    state.extracted[index] = ex
    get_run_logger().info("read %s: %d pages (%d from cache)", submission_id, ex.pages,
                          ex.cache_hits)
    return {"pages": ex.pages, "cache_hits": ex.cache_hits}


@task(name="decide-submission", retries=1, persist_result=False, cache_policy=NO_CACHE,
      task_run_name="decide-{submission_id}")
def decide_submission(run_key: str, index: int, submission_id: str,
                      numbers: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """Check, route and write one submission (phase 2); returns route and reason codes."""
    state = _RUNS[run_key]
    result = state.run.finish_one(state.planned[index], state.extracted.pop(index),
                                  state.read_ms[index], numbers)
    get_run_logger().info("decided %s: %s %s", submission_id, result.route,
                          ",".join(result.reasons))
    return {"route": result.route, "reasons": result.reasons}


@flow(name="zhanchi-process", persist_result=False)
def process_inbox(inbox: str, registry: str, out: str, as_of: str | None = None,
                  engine: str = "rapidocr", show_progress: bool = False) -> dict[str, Any]:
    """Process every new or changed submission in ``inbox`` into ``out``/results.jsonl.

    The database URL comes from ``ZHANCHI_DATABASE_URL`` (the CLI sets it from ``--db``)
    so credentials never appear among the flow's parameters.
    """
    import os

    settings = settings_from_args(Path(inbox), Path(registry), Path(out), as_of,
                                  os.environ.get("ZHANCHI_DATABASE_URL"), engine)
    run = BatchRun(settings)
    planned = run.plan()
    from zhanchi.flows.progress import BatchProgress

    progress = BatchProgress(len(planned), enabled=show_progress)
    key = f"{id(run)}"
    state = _RUNS[key] = _RunState(run, planned, progress)
    try:
        with progress:
            for i, p in enumerate(planned):
                counts = read_submission(key, i, p.submission_id)
                progress.advance(counts["pages"])
            numbers = claimed_numbers(list(state.extracted.values()))
            for i, p in enumerate(planned):
                decide_submission(key, i, p.submission_id, numbers)
        summary = run.close()
    finally:
        _RUNS.pop(key, None)
    return summary_dict(summary)


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    return {
        "discovered": summary.discovered, "skipped": summary.skipped,
        "processed": summary.processed, "pages": summary.pages,
        "cache_hits": summary.cache_hits, "routes": summary.routes,
        "reasons": summary.reasons, "seconds": round(summary.seconds, 2),
        "slowest": summary.slowest,
    }
