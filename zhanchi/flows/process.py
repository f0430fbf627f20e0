"""The batch flow: a thin Prefect wrapper around :mod:`zhanchi.pipeline.batch`.

``process_inbox`` (what ``zhanchi process`` calls) picks the task runner — a bounded
thread pool by default, Dask on request — and runs :func:`process_flow` with it.
Parameters are paths, a date, an engine name and counts: the database URL comes from
``ZHANCHI_DATABASE_URL`` so credentials never appear among them, and nothing the
packets contain ever does. The project's database and results.jsonl are the record of
truth (PREFECT.md: the embedded server may drop task records at exit).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from zhanchi.flows.prefect_env import configure

configure()

from prefect import flow, get_run_logger  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from zhanchi.deploy.parallel import (  # noqa: E402
    DEFAULT_WORKERS,
    dask_target,
    parallelism,
    task_runner,
)
from zhanchi.errors import ZhanchiError  # noqa: E402
from zhanchi.flows.phases import IncompleteBatch, run_phases  # noqa: E402
from zhanchi.flows.reports import publish, summary_dict  # noqa: E402
from zhanchi.pipeline import stages  # noqa: E402
from zhanchi.pipeline.batch import BatchRun, BatchSummary, settings_from_args  # noqa: E402

__all__ = ["process_flow", "process_inbox", "run_batch", "summary_dict"]


def current_flow_run_id() -> str | None:
    """The Prefect flow run's id (the batch id in the store), None outside a flow run."""
    from prefect.runtime import flow_run

    run_id = flow_run.id
    return str(run_id) if run_id else None


def reading_remotely() -> bool:
    """Whether this flow run's task runner sends tasks to other processes (Dask)."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    runner = getattr(ctx, "task_runner", None)
    return runner is not None and type(runner).__name__ == "DaskTaskRunner"


def run_batch(inbox: Path, registry: Path, out: Path, *, as_of: str | None, engine: str,
              workers: int | None, dask: str | None, show_progress: bool = False,
              report_key: str = "zhanchi-batch", title: str = "zhanchi batch",
              policy: str | None = None) -> tuple[BatchRun, BatchSummary]:
    """Plan, read, decide and report one batch inside the current flow run.

    Whether pages are read on Dask follows the flow run's task runner (chosen by
    :func:`process_inbox`, or from ``ZHANCHI_DASK_ADDRESS`` when a deployment loads the
    flow); ``dask`` only names the cluster for the thread count and the log.
    """
    from zhanchi.flows.progress import BatchProgress

    logger = get_run_logger()
    settings = replace(settings_from_args(inbox, registry, out, as_of,
                                          os.environ.get("ZHANCHI_DATABASE_URL"), engine),
                       policy_version=policy)
    remote = reading_remotely()
    target = (dask or dask_target(None) or "cluster") if remote else None
    par = parallelism(workers, target)
    how = par.describe() + (f" via Dask ({target})" if remote else "")
    run = BatchRun(settings, ort_threads=par.ort_threads, batch_id=current_flow_run_id())
    try:
        planned = stages.ingest(run)
        logger.info("batch %s: %d found, %d to process, %d unchanged, %d held by other runs; %s",
                    run.batch_id, run.summary.discovered, len(planned), run.summary.skipped,
                    len(run.summary.busy), how)
        with BatchProgress(len(planned), enabled=show_progress) as progress:
            run_phases(run, planned, remote=remote, progress=progress)
    finally:
        summary = run.close()
    publish(summary, key=report_key, title=title, parallelism=how)
    return run, summary


def _default_runner() -> Any:
    """What a flow loaded from its entrypoint (a deployment's run) reads with.

    ``ZHANCHI_DASK_ADDRESS`` of the serving process or worker selects Dask; else
    ``ZHANCHI_OCR_WORKERS`` threads, else the benchmarked default.
    """
    try:
        target = dask_target(None)
        return task_runner(parallelism(None, target), target)
    except ZhanchiError:  # a bad ZHANCHI_OCR_WORKERS is reported when the flow runs
        return ThreadPoolTaskRunner(max_workers=DEFAULT_WORKERS)


DEFAULT_RUNNER: Any = _default_runner()


@flow(name="zhanchi-process", persist_result=False, task_runner=DEFAULT_RUNNER)
def process_flow(inbox: str, registry: str, out: str, as_of: str | None = None,
                 engine: str = "rapidocr", show_progress: bool = False,
                 workers: int | None = None, dask: str | None = None,
                 policy: str | None = None) -> dict[str, Any]:
    """Process every new or changed submission in ``inbox`` into ``out``/results.jsonl."""
    run, summary = run_batch(Path(inbox), Path(registry), Path(out), as_of=as_of,
                             engine=engine, workers=workers, dask=dask,
                             show_progress=show_progress, policy=policy)
    run.store.close()
    if summary.failed:
        raise IncompleteBatch(f"{len(summary.failed)} submission(s) ended without a result "
                              f"({', '.join(summary.failed[:10])}); run again to retry them")
    return summary_dict(summary)


def process_inbox(inbox: str, registry: str, out: str, as_of: str | None = None,
                  engine: str = "rapidocr", show_progress: bool = False,
                  workers: int | None = None, dask: str | None = None,
                  policy: str | None = None) -> dict[str, Any]:
    """Run :func:`process_flow` with the task runner ``workers``/``dask`` call for.

    ``dask``: ``"local"`` for a LocalCluster, a scheduler address for a cluster, or None
    (then ``ZHANCHI_DASK_ADDRESS``; unset = the thread pool). ``policy``: a version id
    to apply instead of the one in force on ``as_of`` (evaluating a candidate version).
    """
    target = dask_target(dask)
    par = parallelism(workers, target)
    runner = task_runner(par, target)
    return process_flow.with_options(task_runner=runner)(
        inbox=inbox, registry=registry, out=out, as_of=as_of, engine=engine,
        show_progress=show_progress, workers=par.workers, dask=target, policy=policy)
