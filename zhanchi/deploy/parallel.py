"""How many pages are read at once, and with how many ONNX Runtime threads each.

The rule (PREFECT.md, re-measured by ``benchmarks/bench_workers.py``): OCR workers ×
ORT intra-op threads ≤ cores. ONNX Runtime already spreads one page over every core
it is given, so more workers only help when each gets fewer threads, and workers
beyond the cores only add memory and switching. The default worker count is the one
the benchmark picked on a 2-core machine; an operator sets ``ZHANCHI_OCR_WORKERS``
(and, rarely, ``ZHANCHI_OCR_THREADS``) or ``--workers`` to change it, and
``ZHANCHI_DASK_ADDRESS`` to read on a Dask cluster instead of threads
(:func:`task_runner`). Prefect is imported only when a task runner is built.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("zhanchi.parallel")

# Chosen from benchmarks/bench_workers.py on the 2-core development machine (see
# docs/DEPLOYING.md for the table): 2 workers × 1 ORT thread.
DEFAULT_WORKERS = 2
WORKERS_ENV = "ZHANCHI_OCR_WORKERS"
THREADS_ENV = "ZHANCHI_OCR_THREADS"


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Parallelism:
    """OCR workers and the ORT threads each one's engine uses."""

    workers: int
    ort_threads: int
    cores: int

    @property
    def oversubscribed(self) -> bool:
        return self.workers * self.ort_threads > self.cores

    def describe(self) -> str:
        return f"{self.workers} OCR worker(s) × {self.ort_threads} ORT thread(s) on {self.cores} core(s)"


def _env_int(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        from zhanchi.errors import InputError

        raise InputError(f"{name} must be a positive integer, got {raw!r}") from None
    if value < 1:
        from zhanchi.errors import InputError

        raise InputError(f"{name} must be a positive integer, got {raw!r}")
    return value


def plan(workers: int | None = None, ort_threads: int | None = None,
         cores: int | None = None) -> Parallelism:
    """Workers from the argument, ``ZHANCHI_OCR_WORKERS`` or the default; threads to fit.

    >>> plan(2, cores=2)
    Parallelism(workers=2, ort_threads=1, cores=2)
    >>> plan(1, cores=2)
    Parallelism(workers=1, ort_threads=2, cores=2)
    >>> plan(4, cores=16).ort_threads
    4
    """
    cores = cores or available_cores()
    if workers is not None and workers < 1:
        from zhanchi.errors import InputError

        raise InputError(f"--workers must be at least 1, got {workers}")
    workers = workers or _env_int(WORKERS_ENV) or min(DEFAULT_WORKERS, cores)
    threads = ort_threads or _env_int(THREADS_ENV) or max(1, cores // workers)
    result = Parallelism(workers, threads, cores)
    if result.oversubscribed:
        log.warning("%s oversubscribes the cores: pages will be read slower, not faster",
                    result.describe())
    return result


# -- task runners ------------------------------------------------------------------
#
# - default: Prefect's ThreadPoolTaskRunner with ``workers`` threads sharing one engine;
# - ``dask="local"``: prefect-dask's DaskTaskRunner on a LocalCluster of ``workers``
#   single-threaded processes, one engine each (tests, one big machine);
# - ``dask="tcp://host:8786"``: the same runner against a running ``dask scheduler``
#   whose ``dask worker`` processes may sit on other machines (docs/DEPLOYING.md);
#   their engines use ZHANCHI_OCR_THREADS ORT threads, default 1: processes scale
#   almost linearly, ORT threads poorly past two (PREFECT.md).

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
