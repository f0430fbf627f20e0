"""Parallelism planning, task-runner choice, schedules and the batch report's text."""

from __future__ import annotations

import pytest

from zhanchi.deploy.parallel import (
    DEFAULT_WORKERS,
    dask_target,
    parallelism,
    plan,
    task_runner,
)
from zhanchi.errors import InputError
from zhanchi.ocr import engine_options
from zhanchi.pipeline.batch import BatchSummary


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ZHANCHI_OCR_WORKERS", "ZHANCHI_OCR_THREADS", "ZHANCHI_DASK_ADDRESS"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(("workers", "cores", "expected"), [
    (None, 2, (DEFAULT_WORKERS, 1)), (1, 2, (1, 2)), (2, 2, (2, 1)), (4, 2, (4, 1)),
    (None, 1, (1, 1)), (4, 16, (4, 4)), (16, 16, (16, 1)),
])
def test_workers_times_threads_fit_the_cores(workers: int | None, cores: int,
                                             expected: tuple[int, int]) -> None:
    par = plan(workers, cores=cores)
    assert (par.workers, par.ort_threads) == expected
    assert par.oversubscribed == (par.workers * par.ort_threads > cores)


def test_environment_sets_workers_and_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHANCHI_OCR_WORKERS", "3")
    assert plan(cores=6).ort_threads == 2
    monkeypatch.setenv("ZHANCHI_OCR_THREADS", "1")
    assert (plan(cores=6).workers, plan(cores=6).ort_threads) == (3, 1)
    monkeypatch.setenv("ZHANCHI_OCR_WORKERS", "many")
    with pytest.raises(InputError, match="ZHANCHI_OCR_WORKERS"):
        plan(cores=6)
    with pytest.raises(InputError):
        plan(0, cores=2)


def test_only_rapidocr_gets_a_thread_count() -> None:
    assert engine_options("rapidocr", 2) == {"threads": 2}
    assert engine_options("rapidocr:threads=4", 2) == {}  # the operator's own choice wins
    assert engine_options("null", 2) == {} and engine_options("rapidocr", None) == {}


def test_task_runner_follows_the_dask_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    assert dask_target(None) is None
    runner = task_runner(plan(2, cores=2), None)
    assert isinstance(runner, ThreadPoolTaskRunner) and runner._max_workers == 2
    monkeypatch.setenv("ZHANCHI_DASK_ADDRESS", "tcp://10.0.0.10:8786")
    target = dask_target(None)
    assert target == "tcp://10.0.0.10:8786"
    assert parallelism(None, target).ort_threads == 1  # remote workers: one ORT thread
    assert isinstance(task_runner(plan(2, cores=2), target), DaskTaskRunner)
    local = task_runner(plan(2, cores=2), "local")
    assert local.cluster_kwargs["n_workers"] == 2 and local.cluster_kwargs["threads_per_worker"] == 1


def test_schedules_take_cron_and_interval_together() -> None:
    from zhanchi.flows.inbox import DEFAULT_INTERVAL, schedules

    both = schedules(["*/5 7-20 * * *"], 60, "Asia/Shanghai")
    assert [s.cron for s in both if getattr(s, "cron", None)] == ["*/5 7-20 * * *"]
    assert [s.interval.total_seconds() for s in both if getattr(s, "interval", None)] == [60]
    default = schedules([], None, "Asia/Shanghai")
    assert [s.interval.total_seconds() for s in default] == [DEFAULT_INTERVAL]
    with pytest.raises(InputError):
        schedules([], 0, "UTC")


def test_report_names_ids_and_counts_only() -> None:
    from zhanchi.flows.reports import routes_table, summary_markdown

    s = BatchSummary(discovered=5, skipped=1, processed=3, pages=12, cache_hits=2,
                     routes={"pass": 1, "review": 2},
                     reasons={"missing_field": 2, "name_mismatch": 1}, seconds=60.0,
                     slowest=[("A0002", 30_000), ("A0001", 12_000)], failed=["A0005"])
    rows = routes_table(s)
    assert rows[:2] == [{"kind": "route", "code": "pass", "count": 1},
                        {"kind": "route", "code": "review", "count": 2}]
    assert rows[2] == {"kind": "reason", "code": "missing_field", "count": 2}
    assert rows[-1] == {"kind": "failed", "code": "no_result", "count": 1}
    md = summary_markdown(s, title="t", parallelism="2 × 1")
    assert "| pages/min | 12.0 |" in md
    assert md.index("`A0002`") < md.index("`A0001`") and "`A0005`" in md


def test_deployment_runs_take_dask_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from zhanchi.flows.process import _default_runner

    assert isinstance(_default_runner(), ThreadPoolTaskRunner)
    monkeypatch.setenv("ZHANCHI_DASK_ADDRESS", "tcp://10.0.0.10:8786")
    assert isinstance(_default_runner(), DaskTaskRunner)
    monkeypatch.setenv("ZHANCHI_DASK_ADDRESS", "")
    monkeypatch.setenv("ZHANCHI_OCR_WORKERS", "bad")
    assert isinstance(_default_runner(), ThreadPoolTaskRunner)  # reported when the flow runs
