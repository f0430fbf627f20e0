"""Confidence calibration: isotonic curves fitted on reads, stored as data, applied."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from pydantic import ValidationError

from zhanchi.evaluation.calibration import Read, _pav, bin_table, fit, reads, tradeoff
from zhanchi.models import Document, ExtractedField, PageRef
from zhanchi.policy.calibration import SCORE, Calibration, Curve


def test_curve_interpolates_between_knots_and_clamps_beyond() -> None:
    c = Curve(x=[0.5, 0.9], y=[0.6, 1.0])
    assert c(0.1) == 0.1 and c(0.55) == pytest.approx(0.65) and c(0.99) == 1.0
    assert Curve(x=[0.5], y=[0.3])(0.4) == 0.3  # below the evidence: never raised
    assert c(0.7) == pytest.approx(0.8)
    with pytest.raises(ValidationError):
        Curve(x=[0.9, 0.5], y=[0.6, 1.0])
    with pytest.raises(ValidationError):
        Curve(x=[0.5, 0.9], y=[0.9, 0.6])


def _doc(conf: float) -> Document:
    return Document(type="commitment_letter", pages=[PageRef(file="a.png", page=1)],
                    fields={"agency": ExtractedField(value="x", confidence=conf)})


def test_applying_a_calibration_keeps_the_score_and_is_idempotent() -> None:
    cal = Calibration(name="t", curves={"commitment_letter.agency": Curve(x=[0.5, 1.0], y=[0.2, 0.7]),
                                        "*": Curve(x=[0.0], y=[0.5])})
    once = cal.apply([_doc(0.75)])
    f = once[0].fields["agency"]
    assert f.confidence == pytest.approx(0.45) and (f.model_extra or {})[SCORE] == 0.75
    assert cal.apply(once)[0].fields["agency"].confidence == f.confidence
    assert cal.curve("qualification_certificate", "holder_name") is cal.curves["*"]


def test_the_most_specific_curve_with_evidence_at_the_score_speaks() -> None:
    cal = Calibration(name="t", curves={
        "commitment_letter.agency": Curve(x=[0.9, 1.0], y=[0.99, 0.99]),
        "*": Curve(x=[0.7, 0.8], y=[0.5, 0.9])})
    assert cal.probability("commitment_letter", "agency", 0.95) == 0.99
    assert cal.probability("commitment_letter", "agency", 0.8) == 0.9  # below the key's evidence
    assert cal.probability("commitment_letter", "agency", 0.6) == 0.6  # below all: as it is


def test_below_the_specific_curves_evidence_the_score_can_be_kept() -> None:
    """A malformed certificate number (score 0.89) sits below its own curve's evidence;
    the pooled curve speaks for other fields' reads at 0.89 (seal-capped issuers, right
    nearly always) and stated it 0.98. A curve file fitted since says ``score``: only
    the most specific curve there is speaks, and below its evidence nothing is raised."""
    curves = {"commitment_letter.certificate_number": Curve(x=[0.97, 1.0], y=[0.99, 0.99]),
              "*": Curve(x=[0.0, 0.85], y=[0.25, 0.98])}
    old = Calibration(name="t", curves=curves)
    new = Calibration(name="t", curves=curves, below_evidence="score")
    assert old.probability("commitment_letter", "certificate_number", 0.89) == 0.98
    assert new.probability("commitment_letter", "certificate_number", 0.89) == 0.89
    assert new.probability("commitment_letter", "certificate_number", 0.98) == 0.99
    assert new.probability("skill_level_certificate", "issuer", 0.89) == 0.98  # no own curve
    assert fit([Read("a.b", 0.9, 0.9, True)] * 50, name="t", fitted_on={})["below_evidence"] == "score"


def test_reads_of_one_score_are_one_block() -> None:
    """Family A: 32 signer names capped at 0.6 (a print on the pen), 24 right. Sorted as
    (score, ok) the 8 wrong ones went first, joined the wrong reads below, and the 24
    right ones began the block of the sure reads: 0.6 was stated 0.98."""
    pts = [(0.55, False)] * 3 + [(0.6, False)] * 8 + [(0.6, True)] * 24 + [(0.99, True)] * 100
    curve = Curve(x=_pav(pts)[0], y=_pav(pts)[1])
    assert curve(0.6) == pytest.approx(25 / 34, abs=1e-3)
    assert curve(0.99) > 0.98


def test_a_few_reads_above_join_the_many_below_rather_than_drag_them_down() -> None:
    """Family A's exam_county: 215 right reads, then at 0.989 one wrong among a few right.
    Clamping each block to the smoothed rate of the one above stated every county 0.857;
    merged, the block states what it earned."""
    pts = [(0.80 + i / 1200, True) for i in range(215)] + [(0.989, False)] + [(0.99, True)] * 3
    xs, ys = _pav(pts)
    assert ys == sorted(ys) and Curve(x=xs, y=ys)(0.95) > 0.98


def test_pav_is_monotone_smoothed_and_never_states_more_than_earned() -> None:
    rng = random.Random(1)
    pts = [(s, rng.random() < s) for s in (rng.random() for _ in range(500))]
    xs, ys = _pav(pts)
    assert xs == sorted(xs) and ys == sorted(ys)
    assert all(0.0 < y < 1.0 for y in ys)  # smoothed: never certain on finite evidence
    xs, ys = _pav([(0.9, True)] * 10)
    assert ys == [pytest.approx(11 / 12, abs=1e-4)]
    xs, ys = _pav([(0.1, False)] + [(0.5 + i / 100, True) for i in range(40)])
    assert xs == [0.1, 0.59, 0.89] and ys[1] == ys[2] == pytest.approx(41 / 42, abs=1e-4)
    # one right read at a low score does not lift that score: the step starts at the
    # tenth read of its block
    assert Curve(x=xs, y=ys)(0.5) < 0.9


def test_fit_keeps_keys_with_enough_reads_and_a_pooled_curve() -> None:
    rs = [Read("commitment_letter.agency", 0.9, 0.9, True)] * 50 + \
         [Read("skill_level_certificate.issuer", 0.8, 0.8, i % 2 == 0) for i in range(10)]
    data = fit(rs, name="t", fitted_on={"seed": 1})
    assert set(data["curves"]) == {"*", "commitment_letter.agency", "agency"}
    cal = Calibration.model_validate(data)
    assert cal.curve("skill_level_certificate", "issuer") is cal.curves["*"]


def test_bins_and_tradeoff_count_reads() -> None:
    rs = [Read("a.b", 0.97, 0.97, True)] * 9 + [Read("a.b", 0.97, 0.97, False),
                                                 Read("a.b", 0.55, 0.55, True)]
    table = {label: (n, stated, obs) for label, n, stated, obs in bin_table(rs)}
    assert table["0.95–1.00"][0] == 10 and table["0.95–1.00"][2] == pytest.approx(0.9)
    assert table["0.50–0.60"][0] == 1 and table["0.60–0.70"][0] == 0
    assert tradeoff(rs, (0.6, 0.98)) == [(0.6, 1, 1), (0.98, 10, 0)]


def test_reads_join_results_to_expected_fields(tmp_path: Path) -> None:
    (tmp_path / "expected").mkdir()
    exp = {"submission_id": "P1", "documents": [
        {"type": "commitment_letter", "fields": {"agency": "甲", "occupation": "电工", "level": 4}}]}
    (tmp_path / "expected" / "P1.json").write_text(json.dumps(exp), encoding="utf-8")
    got = {"submission_id": "P1", "documents": [{"type": "commitment_letter", "fields": {
        "agency": {"value": "甲", "confidence": 0.9, SCORE: 0.8},
        "occupation": {"value": "电上", "confidence": 0.7}}}]}
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(got) + "\n", encoding="utf-8")
    rs = sorted(reads(tmp_path, results), key=lambda r: r.key)
    assert rs == [Read("commitment_letter.agency", 0.8, 0.9, True),
                  Read("commitment_letter.occupation", 0.7, 0.7, False)]


def test_defect_kinds_count_held_and_passed(tmp_path: Path) -> None:
    from zhanchi.evaluation.defect_kinds import by_defect_kind

    (tmp_path / "expected").mkdir()
    for sid, defects in (("P1", ["agency_near_miss"]), ("P2", ["agency_near_miss"]), ("P3", [])):
        (tmp_path / "expected" / f"{sid}.json").write_text(
            json.dumps({"submission_id": sid, "defects": defects}), encoding="utf-8")
    results = tmp_path / "results.jsonl"
    results.write_text("".join(json.dumps({"submission_id": s, "route": r}) + "\n"
                               for s, r in (("P1", "review"), ("P2", "pass"), ("P3", "pass"))),
                       encoding="utf-8")
    assert by_defect_kind(tmp_path, results) == {"agency_near_miss": (2, 1, 1)}
