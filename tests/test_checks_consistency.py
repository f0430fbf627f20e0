"""Letter vs certificate: number, occupation (old names), level, signer vs holder."""

from __future__ import annotations

import pytest
from test_checks_samples import SKILL_NUMBER, failed, letter, run, skill_cert, statuses


def test_number_mismatch_names_both_values() -> None:
    other = SKILL_NUMBER[:-1] + "9"
    check = run([letter(certificate_number=other), skill_cert()])["certificate_number_mismatch"]
    assert check.status == "fail"
    assert other in check.message and SKILL_NUMBER in check.message


def test_number_compared_in_normal_form() -> None:
    spaced = " ".join(SKILL_NUMBER.lower())
    assert "certificate_number_mismatch" not in failed([letter(certificate_number=spaced),
                                                        skill_cert()])


def test_occupation_mismatch() -> None:
    assert "occupation_mismatch" in failed([letter(occupation="焊工"), skill_cert()])


@pytest.mark.parametrize("old, new", [("维修电工", "电工"), ("保育员", "保育师")])
def test_old_occupation_names_map_to_current_ones(old: str, new: str) -> None:
    check = run([letter(occupation=old), skill_cert(occupation=new)])["occupation_mismatch"]
    assert check.status == "pass"
    assert old in check.message  # the reviewer sees the mapping was used


def test_occupation_spacing_and_width_do_not_matter() -> None:
    assert "occupation_mismatch" not in failed([letter(occupation="电 工"), skill_cert()])


def test_level_mismatch() -> None:
    check = run([letter(level=3), skill_cert()])["level_mismatch"]
    assert check.status == "fail" and "三级" in check.message and "四级" in check.message


def test_name_mismatch_and_dot_variants() -> None:
    assert "name_mismatch" in failed([letter(signer_name="张山"), skill_cert()])
    dotted = [letter(signer_name="阿依古丽•买买提"), skill_cert(holder_name="阿依古丽·买买提")]
    assert statuses(dotted)["name_mismatch"] == "pass"


def test_name_mismatch_skipped_when_unsigned() -> None:
    s = statuses([letter(has_signature=False, signer_name="李四"), skill_cert()])
    assert s["name_mismatch"] == "skipped" and s["signature_missing"] == "fail"


@pytest.mark.parametrize("code, field", [
    ("certificate_number_mismatch", "certificate_number"), ("occupation_mismatch", "occupation"),
    ("level_mismatch", "level"),
])
def test_comparisons_skip_when_a_side_is_missing(code: str, field: str) -> None:
    assert statuses([letter(**{field: None}), skill_cert()])[code] == "skipped"
    assert statuses([letter(), skill_cert(**{field: None})])[code] == "skipped"
    assert statuses([letter()])[code] == "skipped"
    assert statuses([skill_cert()])[code] == "skipped"
