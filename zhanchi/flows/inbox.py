"""The scheduled inbox flow: take stable packets, process them once, archive the originals.

Each run (on a cron or interval schedule, see ``zhanchi serve`` and ``prefect.yaml``):

1. locks its own ``processing/<flow-run-id>/`` folder and adopts the packets of any run
   that died (:mod:`zhanchi.deploy.spool`);
2. moves every packet whose files stopped changing ``stable_seconds`` ago into it, by
   atomic rename — of two runs at once, exactly one gets each packet;
3. runs the batch on that folder exactly as ``zhanchi process`` would (same store,
   same results.jsonl, same skip-if-unchanged and revisions);
4. files every packet with a results line into ``archive/<sha[:2]>/<sha>/<name>`` and
   records where in the store's event log; one without a result goes to ``failed/``.

Parameters are folders, a date, an engine name and numbers; the database URL comes
from ``ZHANCHI_DATABASE_URL`` of the process that runs the flow.

``zhanchi serve`` serves this flow (:func:`serve_inbox`): Prefect's ``Flow.serve``
registers a deployment with its schedules and runs each scheduled run in a subprocess
of the serving process (so ``ZHANCHI_DATABASE_URL`` and ``ZHANCHI_OCR_WORKERS`` set
there reach every run). ``global_limit=1`` with ``CANCEL_NEW`` keeps a long batch from
overlapping the next poll: the next run is cancelled and the one after picks up
whatever is left. For a work pool use ``prefect.yaml`` (docs/DEPLOYING.md).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from zhanchi.flows.prefect_env import configure

configure()

from prefect import flow, get_run_logger  # noqa: E402

from zhanchi.deploy.spool import Spool, SpoolRun  # noqa: E402
from zhanchi.flows.phases import IncompleteBatch  # noqa: E402
from zhanchi.flows.process import DEFAULT_RUNNER, current_flow_run_id, run_batch  # noqa: E402
from zhanchi.flows.reports import summary_dict  # noqa: E402
from zhanchi.pipeline.batch import BatchRun  # noqa: E402

DEFAULT_STABLE_SECONDS = 30.0
DEFAULT_INTERVAL = 120.0
DEFAULT_TIMEZONE = "Asia/Shanghai"

@flow(name="zhanchi-inbox", persist_result=False, task_runner=DEFAULT_RUNNER)
def inbox_flow(inbox: str, registry: str, out: str, archive: str | None = None,
               spool: str | None = None, as_of: str | None = None, engine: str = "rapidocr",
               stable_seconds: float = DEFAULT_STABLE_SECONDS, max_packets: int | None = None) -> dict[str, Any]:
    """Process the packets that arrived in ``inbox`` since the last run, then archive them.

    ``archive`` defaults to ``OUT/archive``, ``spool`` (processing/ and failed/) to
    ``INBOX/.zhanchi``; ``max_packets`` bounds one run (the rest wait for the next).
    OCR workers: ``ZHANCHI_OCR_WORKERS`` of the serving process (``zhanchi serve --workers``).
    """
    logger = get_run_logger()
    sp = Spool.for_inbox(Path(inbox), Path(out), work=Path(spool) if spool else None,
                         archive=Path(archive) if archive else None)
    with sp.begin(current_flow_run_id() or uuid.uuid4().hex) as taken_run:
        adopted = taken_run.adopt_orphans()
        taken = taken_run.claim_stable(stable_seconds, limit=max_packets)
        if not taken_run.entries():
            logger.info("inbox: nothing new and stable")
            return {"taken": 0, "adopted": 0, "archived": 0, "processed": 0}
        logger.info("inbox: took %d packet(s), adopted %d from a stopped run",
                    len(taken), len(adopted))
        run, summary = run_batch(taken_run.dir, Path(registry), Path(out), as_of=as_of,
                                 engine=engine, workers=None, dask=None,
                                 report_key="zhanchi-inbox", title="zhanchi inbox run")
        try:
            archived = file_entries(run, taken_run)
        finally:
            run.store.close()
    logger.info("inbox: archived %d packet(s)", archived)
    if summary.failed:
        raise IncompleteBatch(f"{len(summary.failed)} packet(s) got no result and were set "
                              f"aside in {sp.failed}: {', '.join(summary.failed[:10])}")
    return {**summary_dict(summary), "taken": len(taken), "adopted": len(adopted),
            "archived": archived}


def file_entries(run: BatchRun, taken_run: SpoolRun) -> int:
    """Archive every entry with a results line; put back or set aside the others."""
    logger = get_run_logger()
    archived = 0
    archive_root = taken_run.spool.archive
    for entry in run.entries:
        sub = entry.submission
        name = entry.root.name
        if run.is_written(entry):
            dest = taken_run.archive(name, sub.content_sha256)
            stored = run.store.find_submission(sub.submission_id, sub.content_sha256)
            run.store.append_event("inbox.archived", "pipeline", {
                "submission_id": sub.submission_id, "content_sha256": sub.content_sha256,
                "archive": dest.relative_to(archive_root).as_posix()},
                stored.pk if stored else None)
            archived += 1
        elif sub.submission_id in run.summary.busy:
            logger.warning("%s is held by another run; returned to the inbox", sub.submission_id)
            taken_run.put_back(name)
        else:
            logger.error("%s got no result; set aside in failed/", sub.submission_id)
            taken_run.fail(name)
    return archived



def schedules(cron: list[str], interval: float | None, timezone: str) -> list[Any]:
    """Cron and interval schedules (both may be given); every 2 minutes if neither is."""
    from datetime import timedelta

    from prefect.schedules import Cron, Interval

    from zhanchi.errors import InputError

    if interval is not None and interval <= 0:
        raise InputError(f"--interval must be positive seconds, got {interval}")
    out: list[Any] = [Cron(expr, timezone=timezone) for expr in cron]
    if interval is not None or not out:
        out.append(Interval(timedelta(seconds=interval or DEFAULT_INTERVAL), timezone=timezone))
    return out


def require_server() -> str:
    """The ``PREFECT_API_URL`` to serve against; serving on the embedded server is refused.

    The embedded server lives only as long as one process and drops task records at
    exit (PREFECT.md); a deployment needs a server that outlives its runs.
    """
    from zhanchi.errors import InputError

    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        from prefect.settings import PREFECT_API_URL

        url = str(PREFECT_API_URL.value() or "").strip()
    if not url:
        raise InputError("zhanchi serve needs a Prefect server: start one with "
                         "`prefect server start` and set PREFECT_API_URL "
                         "(docs/DEPLOYING.md)")
    return url


def serve_inbox(parameters: dict[str, Any], *, cron: list[str], interval: float | None,
                timezone: str = DEFAULT_TIMEZONE, name: str = "zhanchi-inbox") -> None:
    """Register the inbox deployment and run its scheduled runs until interrupted."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    inbox_flow.serve(
        name=name, schedules=schedules(cron, interval, timezone), parameters=parameters,
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description="Takes stable packets from the inbox, processes each once, "
                    "archives the originals by content hash.",
        tags=["zhanchi", "inbox"])
