"""``zhanchi eval --policy``: apply a named policy version whatever the corpus date."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_flows_batch import SAMPLE, finish_all, inbox, lines  # noqa: F401 (fixture)

from zhanchi.errors import PolicyError
from zhanchi.evaluation.policy_used import check_version, describe, versions_used
from zhanchi.pipeline.batch import BatchRun, settings_from_args
from zhanchi.policy import load_policies, policy_by_version

FIRST = load_policies()[0].version


def test_a_version_is_found_by_its_id_and_an_unknown_one_names_the_known() -> None:
    assert policy_by_version(FIRST).version == FIRST
    with pytest.raises(PolicyError, match=FIRST.replace("/", ".")):
        policy_by_version("jx-2020-332/v99")
    with pytest.raises(PolicyError):
        check_version("nope")
    check_version(None)


def test_the_printed_version_is_what_the_results_name(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join(json.dumps({"provenance": {"policy": v}})
                                 for v in ("b/v2", "a/v1", "b/v2")) + "\n", encoding="utf-8")
    assert versions_used(results) == ["a/v1", "b/v2"]
    assert versions_used(tmp_path / "absent.jsonl") == []
    assert "requested" in describe("b/v2", ["b/v2"]) and "b/v2" in describe("b/v2", ["b/v2"])
    assert "as-of" in describe(None, ["a/v1"])


def test_batch_run_applies_the_requested_version_outside_its_dates(
        inbox: Path, tmp_path: Path) -> None:  # noqa: F811
    # 2020-01-01 precedes every version: by date alone the run could not start
    settings = settings_from_args(inbox, SAMPLE / "registry", tmp_path / "out", "2020-01-01",
                                  None, "null")
    with pytest.raises(PolicyError):
        BatchRun(settings, ort_threads=1)
    run = BatchRun(replace(settings, policy_version=FIRST), ort_threads=1)
    assert run.policy.version == FIRST
    finish_all(run)
    assert {json.loads(x)["provenance"]["policy"] for x in lines(tmp_path / "out")} == {FIRST}
