"""Which task runner reads the pages: a bounded thread pool, or a Dask cluster.

- Default: Prefect's ``ThreadPoolTaskRunner`` with ``workers`` threads; the engine
  they share gets ``cores // workers`` ONNX Runtime threads
  (:func:`zhanchi.deploy.parallel.plan`).
- ``dask="local"``: ``prefect-dask``'s ``DaskTaskRunner`` on a ``LocalCluster`` of
  ``workers`` single-threaded processes, one engine each (tests, one big machine).
- ``dask="tcp://host:8786"``: the same runner against a running ``dask scheduler``
  whose ``dask worker`` processes may sit on other machines (docs/DEPLOYING.md).
  Their engines use ``ZHANCHI_OCR_THREADS`` ORT threads, default 1: processes scale
  almost linearly, ORT threads poorly past two (PREFECT.md).

``ZHANCHI_OCR_WORKERS`` and ``ZHANCHI_DASK_ADDRESS`` choose these for commands that
have no option for them (``zhanchi process``).
"""

from __future__ import annotations

import os
from typing import Any

from zhanchi.deploy.parallel import THREADS_ENV, Parallelism, plan

DASK_ENV = "ZHANCHI_DASK_ADDRESS"


def dask_target(dask: str | None) -> str | None:
    """The ``--dask`` value, else ``ZHANCHI_DASK_ADDRESS``; None for the thread pool."""
    value = (dask if dask is not None else os.environ.get(DASK_ENV, "")).strip()
    return value or None


def parallelism(workers: int | None, dask: str | None) -> Parallelism:
    """Workers and ORT threads for a run on the thread pool or on Dask."""
    if dask is not None and dask != "local" and not os.environ.get(THREADS_ENV):
        return plan(workers, ort_threads=1)  # remote workers: one thread per process
    return plan(workers)


def task_runner(par: Parallelism, dask: str | None) -> Any:
    """The Prefect task runner for phase 1 (reading)."""
    if dask is None:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=par.workers)
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs={
            "n_workers": par.workers, "threads_per_worker": 1, "processes": True,
            "dashboard_address": None})
    return DaskTaskRunner(address=dask)
