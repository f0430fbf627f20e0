"""Required fields, confidence thresholds, signature and fingerprint."""

from __future__ import annotations

import pytest
from test_checks_samples import (
    POLICY,
    document,
    failed,
    field,
    letter,
    proof,
    qual_cert,
    run,
    skill_cert,
    statuses,
)

from zhanchi.models import ExtractedField


@pytest.mark.parametrize("name", ["exam_date", "exam_county", "agency", "level", "sign_date",
                                  "has_fingerprint", "certificate_number"])
def test_a_missing_letter_field_is_missing_field(name: str) -> None:
    checks = run([letter(**{name: None}), skill_cert()])
    assert checks["missing_field"].status == "fail"
    assert name in checks["missing_field"].message


def test_certificate_title_is_optional() -> None:
    assert "missing_field" not in failed([letter(certificate_title=None), skill_cert()])


@pytest.mark.parametrize("name", ["holder_name", "id_number", "issuer", "issue_date"])
def test_every_skill_certificate_field_is_required(name: str) -> None:
    assert "missing_field" in failed([letter(), skill_cert(**{name: None})])


def test_qualification_certificate_may_lack_id_number_and_issuer() -> None:
    checks = run([letter(), qual_cert(id_number=None, issuer=None)])
    assert checks["missing_field"].status == "pass"
    assert checks["invalid_id_number"].status == "pass"  # not applicable, said so
    assert "missing_field" in failed([letter(), qual_cert(holder_name=None)])


def test_filing_proof_requires_agency_and_province_only() -> None:
    assert "missing_field" not in failed([letter(), skill_cert(), proof(issuer=None)])
    assert "missing_field" in failed([letter(), skill_cert(), proof(province=None)])


def test_unsigned_letter_is_signature_missing_not_missing_field() -> None:
    checks = run([letter(has_signature=False, signer_name=None), skill_cert()])
    assert checks["signature_missing"].status == "fail"
    assert checks["missing_field"].status == "pass"
    assert checks["name_mismatch"].status == "skipped"


def test_signed_letter_without_readable_name_is_missing_field() -> None:
    checks = run([letter(signer_name=None), skill_cert()])
    assert checks["missing_field"].status == "fail"
    assert checks["signature_missing"].status == "pass"
    assert checks["name_mismatch"].status == "skipped"


def test_a_value_not_in_normal_form_counts_as_missing() -> None:
    checks = run([letter(exam_date="2021年1月10日", level="四级"), skill_cert()])
    assert checks["missing_field"].status == "fail"
    assert "不是规范格式" in checks["missing_field"].message
    assert checks["date_inconsistent"].status == "skipped"
    assert checks["level_mismatch"].status == "skipped"


def test_empty_string_is_missing() -> None:
    assert "missing_field" in failed([letter(agency="  "), skill_cert()])


def test_low_confidence_uses_the_policy_threshold() -> None:
    threshold = POLICY.confidence.threshold("commitment_letter", "exam_county")
    below = letter(exam_county=field("青山湖区", confidence=threshold - 0.01))
    at = letter(exam_county=field("青山湖区", confidence=threshold))
    checks = run([below, skill_cert()])
    assert checks["low_confidence"].status == "fail"
    assert "exam_county" in checks["low_confidence"].message
    assert "low_confidence" not in failed([at, skill_cert()])


def test_low_confidence_ignores_optional_fields() -> None:
    doc = letter(certificate_title=field("电工四级", confidence=0.1))
    assert "low_confidence" not in failed([doc, skill_cert()])


def test_low_confidence_nan_counts_as_low() -> None:
    doc = skill_cert(issuer=field("x", confidence=float("nan")))
    assert "low_confidence" in failed([letter(), doc])


def test_fingerprint_missing_and_unknown() -> None:
    assert statuses([letter(has_fingerprint=False), skill_cert()])["fingerprint_missing"] == "fail"
    unknown = statuses([letter(has_fingerprint=None), skill_cert()])
    assert unknown["fingerprint_missing"] == "skipped" and unknown["missing_field"] == "fail"


def test_signature_check_skipped_without_letter() -> None:
    assert statuses([skill_cert()])["signature_missing"] == "skipped"


def test_unknown_documents_are_not_checked_for_fields() -> None:
    other = document("unknown", {})
    assert "missing_field" not in failed([letter(), skill_cert(), other])


def test_punctuation_only_text_is_missing() -> None:
    checks = run([letter(occupation="（）", certificate_number="-"), skill_cert()])
    assert checks["missing_field"].status == "fail"
    assert checks["occupation_mismatch"].status == "skipped"


def illegible_field() -> ExtractedField:
    return ExtractedField.model_validate({"value": "", "confidence": 0.0, "bbox": [1, 2, 3, 4],
                                          "illegible": True})


def test_an_illegible_field_is_low_confidence_not_missing() -> None:
    checks = run([letter(exam_county=illegible_field()), skill_cert()])
    assert checks["low_confidence"].status == "fail"
    assert "exam_county" in checks["low_confidence"].message
    assert checks["missing_field"].status == "pass"


def test_an_empty_field_without_the_illegible_mark_stays_missing() -> None:
    checks = run([letter(exam_county=field("", confidence=0.0)), skill_cert()])
    assert checks["missing_field"].status == "fail"
    assert checks["low_confidence"].status == "pass"


def test_an_illegible_field_given_a_value_is_judged_like_any_other() -> None:
    typed_in = ExtractedField.model_validate({"value": "青山湖区", "confidence": 1.0,
                                              "illegible": True})
    checks = run([letter(exam_county=typed_in), skill_cert()])
    assert checks["low_confidence"].status == "pass"
    assert checks["missing_field"].status == "pass"
