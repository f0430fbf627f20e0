"""jx-2020-332/v2: v1's rules with calibrated confidences; v1 closed, never edited."""

from __future__ import annotations

from datetime import date

from test_checks_samples import context, field, letter, run, skill_cert

from zhanchi.pipeline.decide import calibrated
from zhanchi.policy import load_policy, policy_by_version
from zhanchi.policy.calibration import load_calibration

V1, V2 = policy_by_version("jx-2020-332/v1"), policy_by_version("jx-2020-332/v2")
FLOOR = ("exam_date", "sign_date", "exam_province", "exam_city", "exam_county", "agency",
         "has_signature", "has_fingerprint")


def test_v1_is_closed_the_day_before_v2_and_keeps_its_rules() -> None:
    assert load_policy(date(2026, 12, 2)).version == V1.version
    assert load_policy(date(2026, 12, 3)).version == V2.version
    assert V1.confidence.calibration is None and V1.confidence.default == 0.80
    assert V1.confidence.fields == {} and V1.confidence.corroboration


def test_v2_differs_from_v1_only_in_its_confidence_table() -> None:
    skip = {"version", "in_force_from", "in_force_to", "confidence"}
    assert V1.model_dump(exclude=skip) == V2.model_dump(exclude=skip)
    cal = load_calibration(V2.confidence.calibration or "")
    assert cal.fitted_on["family"] == "A" and cal.fitted_on["reads"] > 1000
    for name in FLOOR:  # no second source: a floor at least the default
        assert V2.confidence.threshold("commitment_letter", name) >= V2.confidence.default


def _v2(docs: list) -> dict:  # type: ignore[type-arg]
    return run(calibrated(docs, V2), context(policy=V2))


def test_a_sure_read_under_a_seal_passes_and_a_doubtful_one_does_not() -> None:
    cal = load_calibration(V2.confidence.calibration or "")
    sure = cal.curves["skill_level_certificate.issuer"].x[0]  # inside the curve's evidence
    seal = skill_cert(issuer=field("南昌市职业技能鉴定中心", confidence=sure))
    assert _v2([letter(), seal])["low_confidence"].status == "pass"
    doubtful = letter(exam_county=field("青山湖区", confidence=0.6))  # no second source
    assert _v2([doubtful, skill_cert()])["low_confidence"].status == "fail"


def test_a_doubtful_name_confirmed_by_an_independent_sure_source_passes() -> None:
    low = skill_cert(holder_name=field("张三", confidence=0.6))
    assert calibrated([low], V2)[0].fields["holder_name"].confidence < V2.confidence.default
    assert _v2([letter(), low])["low_confidence"].status == "pass"  # the letter and the registry agree
    alone = skill_cert(holder_name=field("张四", confidence=0.6))
    assert _v2([letter(), alone])["low_confidence"].status == "fail"
