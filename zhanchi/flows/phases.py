"""The stages of a batch (:mod:`zhanchi.pipeline.stages`) wired into Prefect tasks:
read in parallel, then decide in order.

Phase 1 reads submissions concurrently through the flow's task runner — a thread
pool of ``workers`` threads sharing one engine of ``cores // workers`` ORT threads,
or Dask workers each holding their own engine (:mod:`zhanchi.flows.remote`). Read
tasks carry the tag ``ocr``, so ``prefect concurrency-limit create ocr N`` also caps
OCR across flow runs. Phase 2 decides each submission in the flow process, which
alone writes the database and results.jsonl.

Tasks receive only a run key, an index and the submission id — never names, ID
numbers, certificate numbers or OCR text — and persist nothing in Prefect: the
project's database and results.jsonl are the record of truth.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from zhanchi.flows.prefect_env import configure

configure()

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402

from zhanchi.errors import ZhanchiError  # noqa: E402
from zhanchi.flows.progress import BatchProgress  # noqa: E402
from zhanchi.flows.remote import ReadJob, ReadReturn, absorb, make_job, needs_local_read  # noqa: E402
from zhanchi.pipeline import stages  # noqa: E402
from zhanchi.pipeline.batch import BatchRun, Planned, claimed_numbers  # noqa: E402
from zhanchi.pipeline.decide import Extracted  # noqa: E402

HEARTBEAT_SECONDS = 30.0

# Live, non-serialisable run state, looked up by key inside the tasks of this process.
_RUNS: dict[str, _RunState] = {}


class IncompleteBatch(ZhanchiError):
    """Some submissions ended without a result (their claims were released)."""

    reason = "batch_incomplete"


class _RunState:
    def __init__(self, run: BatchRun, planned: list[Planned], progress: BatchProgress) -> None:
        self.run = run
        self.planned = planned
        self.extracted: dict[int, Extracted] = {}
        self.read_ms: dict[int, int] = {}
        self.numbers: dict[str, list[tuple[str, str]]] = {}
        self.progress = progress


@task(name="read-submission", tags=["ocr"], retries=1, retry_delay_seconds=2,
      persist_result=False, cache_policy=NO_CACHE, task_run_name="read-{submission_id}")
def read_submission(run_key: str, index: int, submission_id: str) -> dict[str, int]:
    """OCR and extract one submission in this process (phase 1); returns page counts."""
    state = _RUNS[run_key]
    t0 = time.perf_counter()
    ex = stages.read_and_extract(state.run, state.planned[index])
    state.read_ms[index] = int(round((time.perf_counter() - t0) * 1000))
    state.extracted[index] = ex
    get_run_logger().info("read %s: %d pages (%d from cache)", submission_id, ex.pages,
                          ex.cache_hits)
    return {"pages": ex.pages, "cache_hits": ex.cache_hits}


@task(name="read-submission-remote", tags=["ocr"], retries=1, retry_delay_seconds=2,
      persist_result=False, cache_policy=NO_CACHE, task_run_name="read-{submission_id}")
def read_remote(submission_id: str, job: ReadJob) -> ReadReturn:
    """OCR and extract one submission on a Dask worker; the flow process stores the result."""
    from zhanchi.flows.remote import read_job

    answer = read_job(job)
    get_run_logger().info("read %s on %s:%d: %d pages in %.1f s", submission_id, answer.host,
                          answer.pid, answer.extracted.pages, answer.seconds)
    return answer


# No retries: a decision is saved once; a failure after the save is repaired from the
# store (see run_phases), never decided a second time.
@task(name="decide-submission", persist_result=False, cache_policy=NO_CACHE,
      task_run_name="decide-{submission_id}")
def decide_submission(run_key: str, index: int, submission_id: str) -> dict[str, Any]:
    """Check, route and write one submission (phase 2); returns route and reason codes."""
    state = _RUNS[run_key]
    result = stages.decide(state.run, state.planned[index], state.extracted[index],
                           state.read_ms.get(index, 0), state.numbers)
    get_run_logger().info("decided %s: %s %s", submission_id, result.route,
                          ",".join(result.reasons))
    return {"route": result.route, "reasons": result.reasons}


def run_phases(run: BatchRun, planned: list[Planned], *, remote: bool,
               progress: BatchProgress) -> None:
    """Read every planned submission, then decide each one; failures release their claim."""
    key = uuid.uuid4().hex
    state = _RUNS[key] = _RunState(run, planned, progress)
    try:
        _read_all(state, key, remote)
        for i in sorted(state.extracted):
            stages.announce(run, planned[i], state.extracted[i])
        state.numbers = claimed_numbers(list(state.extracted.values()))
        for i in sorted(state.extracted):
            outcome = decide_submission(key, i, planned[i].submission_id, return_state=True)
            if not outcome.is_completed() and not stages.repair_line(run, planned[i]):
                stages.release(run, planned[i], outcome.name or "decide failed")
            state.extracted.pop(i, None)
    finally:
        _RUNS.pop(key, None)


def _read_all(state: _RunState, key: str, remote: bool) -> None:
    run, planned = state.run, state.planned
    futures: dict[Any, int] = {}
    local: list[int] = []
    for i, p in enumerate(planned):
        if remote and needs_local_read(run, p.entry):
            local.append(i)  # some pages cached: read here, the workers never get OCR text
        elif remote:
            futures[read_remote.submit(p.submission_id, make_job(run, p.entry))] = i
        else:
            futures[read_submission.submit(key, i, p.submission_id)] = i
    last_beat = time.monotonic()
    for i in local:
        outcome = read_submission(key, i, planned[i].submission_id, return_state=True)
        _after_read(state, i, None if outcome.is_completed() else outcome.name)
    for fut in as_completed(list(futures)):
        i = futures[fut]
        try:
            value = fut.result()
        except Exception as exc:  # the task failed after its retries
            _after_read(state, i, type(exc).__name__)
            continue
        if isinstance(value, ReadReturn):
            absorb(run, value)
            state.extracted[i] = value.extracted
            state.read_ms[i] = int(round(value.seconds * 1000))
        _after_read(state, i, None)
        if time.monotonic() - last_beat > HEARTBEAT_SECONDS:
            run.heartbeat()
            last_beat = time.monotonic()


def _after_read(state: _RunState, i: int, failure: str | None) -> None:
    if failure is not None or i not in state.extracted:
        stages.release(state.run, state.planned[i], failure or "read failed")
        state.progress.advance(0)
        return
    state.progress.advance(state.extracted[i].pages)
