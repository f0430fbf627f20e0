"""jx-2020-332/v3: v2 with its calibration curve refitted; v2 closed, never edited."""

from __future__ import annotations

from datetime import date

from test_checks_samples import context, field, letter, run, skill_cert

from zhanchi.pipeline.decide import calibrated
from zhanchi.policy import load_policy, policy_by_version
from zhanchi.policy.calibration import load_calibration

V2, V3 = policy_by_version("jx-2020-332/v2"), policy_by_version("jx-2020-332/v3")


def test_v2_is_closed_the_day_before_v3() -> None:
    assert load_policy(date(2026, 12, 3)).version == V2.version
    assert load_policy(date(2026, 12, 4)).version == V3.version
    assert V2.confidence.calibration == "family-a-2026-12"  # as it decided its results


def test_v3_differs_from_v2_only_in_its_curve() -> None:
    skip = {"version", "in_force_from", "in_force_to"}
    a, b = V2.model_dump(exclude=skip), V3.model_dump(exclude=skip)
    assert a["confidence"].pop("calibration") != b["confidence"].pop("calibration")
    assert a == b


def test_v3s_curve_is_fitted_on_family_a_and_keeps_scores_below_its_evidence() -> None:
    cal = load_calibration(V3.confidence.calibration or "")
    assert cal.fitted_on["family"] == "A" and int(str(cal.fitted_on["reads"])) > 1000
    assert cal.below_evidence == "score"
    assert load_calibration(V2.confidence.calibration or "").below_evidence == "less_specific"
    # every letter field the checks judge has a curve of its own
    for name in ("exam_date", "agency", "occupation", "signer_name", "sign_date"):
        assert f"commitment_letter.{name}" in cal.curves


def test_a_clean_packet_passes_and_a_doubtful_read_is_held_under_v3() -> None:
    docs = [letter(), skill_cert()]
    assert run(calibrated(docs, V3), context(policy=V3))["low_confidence"].status == "pass"
    doubtful = letter(exam_county=field("青山湖区", confidence=0.5))  # no second source
    got = run(calibrated([doubtful, skill_cert()], V3), context(policy=V3))
    assert got["low_confidence"].status == "fail"


def test_a_pick_among_known_names_stays_under_the_review_bar() -> None:
    """A reference list may pick among doubtful readings, never pass a packet by itself:
    a picked place, occupation or agency (score PICK_QUALITY) stays under its threshold.
    v2's curve interpolated a county between a knot at 0.0 and one at 0.92 and stated a
    picked 上栗县 (read 上粟县) 0.81, over the 0.80 floor: that packet passed under v2."""
    from zhanchi.extractors.second_look.choose import PICK_QUALITY

    cal = load_calibration(V3.confidence.calibration or "")
    for name in ("exam_province", "exam_city", "exam_county", "occupation", "agency"):
        stated = cal.probability("commitment_letter", name, PICK_QUALITY)
        assert stated < V3.confidence.threshold("commitment_letter", name), name
    old = load_calibration(V2.confidence.calibration or "")
    assert old.probability("commitment_letter", "exam_county", PICK_QUALITY) >= 0.80
