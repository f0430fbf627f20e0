"""The evaluation scorer counts fields, routes and reasons the way the issues define them."""

from __future__ import annotations

import json
from pathlib import Path

from zhanchi.evaluation.score import score_run


def _expected(sid: str, route: str, reasons: list[str], fields: dict) -> dict:
    return {"submission_id": sid, "route": route, "reasons": reasons, "tolerated_reasons": [],
            "documents": [{"type": "commitment_letter", "fields": fields,
                           "pages": [{"degradations": ["scan", "rot90"]}]}]}


def _result(sid: str, route: str, reasons: list[str], fields: dict) -> dict:
    return {"submission_id": sid, "route": route, "reasons": reasons,
            "documents": [{"type": "commitment_letter",
                           "fields": {k: {"value": v} for k, v in fields.items()}}]}


def test_scores_fields_routes_and_false_passes(tmp_path: Path) -> None:
    (tmp_path / "expected").mkdir()
    exps = [_expected("A", "pass", [], {"level": 4, "exam_date": "2021-01-02"}),
            _expected("B", "review", ["agency_not_filed"], {"level": 3})]
    for e in exps:
        (tmp_path / "expected" / f"{e['submission_id']}.json").write_text(json.dumps(e))
    results = tmp_path / "results.jsonl"
    lines = [_result("A", "pass", [], {"level": 4, "exam_date": "2021-01-03"}),
             _result("B", "pass", [], {"level": 3})]
    results.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    r = score_run(tmp_path, results)
    assert (r.overall.right, r.overall.total) == (2, 3)
    assert r.by_field["exam_date"].rate == 0.0 and r.by_field["level"].rate == 1.0
    assert r.by_degradation["rot90"].total == 3
    assert r.false_passes == ["B"]
    assert r.reason_recall["agency_not_filed"].rate == 0.0
    assert r.routes[("review", "pass")] == 1 and r.routes[("pass", "pass")] == 1


def test_latest_line_per_submission_counts_and_missing_is_reported(tmp_path: Path) -> None:
    (tmp_path / "expected").mkdir()
    for sid in ("A", "B"):
        (tmp_path / "expected" / f"{sid}.json").write_text(
            json.dumps(_expected(sid, "pass", [], {"level": 4})))
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(_result("A", "review", ["low_confidence"], {"level": 5})) + "\n"
                       + json.dumps(_result("A", "pass", [], {"level": 4})) + "\n")
    r = score_run(tmp_path, results)
    assert r.missing_results == ["B"]
    assert r.by_field["level"].rate == 1.0 and r.clean_held == []
