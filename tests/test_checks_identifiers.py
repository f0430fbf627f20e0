"""Certificate-number formats and level digits; GB 11643 ID numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from test_checks_samples import (
    QUAL_NUMBER,
    SKILL_NUMBER,
    context,
    failed,
    letter,
    qual_cert,
    registries,
    run,
    skill_cert,
    statuses,
)

from zhanchi.checks import validate_id_number


def test_skill_number_of_wrong_shape_fails() -> None:
    bad = SKILL_NUMBER[:-1]  # 21 characters
    checks = run([letter(certificate_number=bad), skill_cert(certificate_number=bad)])
    assert checks["invalid_certificate_number"].status == "fail"
    assert "22 位" in checks["invalid_certificate_number"].message


@pytest.mark.parametrize("bad", ["X000036000001214000123", "S000036000001216000123",
                                 "2036010001400123"])
def test_skill_certificate_rejects_other_formats(bad: str) -> None:
    assert "invalid_certificate_number" in failed([letter(certificate_number=bad),
                                                    skill_cert(certificate_number=bad)])


def test_level_digit_must_equal_printed_level() -> None:
    number = SKILL_NUMBER[:15] + "3" + SKILL_NUMBER[16:]
    checks = run([letter(certificate_number=number), skill_cert(certificate_number=number)])
    assert checks["invalid_certificate_number"].status == "fail"
    assert "等级位为 3" in checks["invalid_certificate_number"].message


def test_qualification_number_format_and_level_digit() -> None:
    ok = run([letter(certificate_number=QUAL_NUMBER), qual_cert()])
    assert ok["invalid_certificate_number"].status == "pass"
    wrong_level = QUAL_NUMBER[:10] + "5" + QUAL_NUMBER[11:]
    bad = run([letter(certificate_number=wrong_level), qual_cert(certificate_number=wrong_level)])
    assert bad["invalid_certificate_number"].status == "fail"
    agency_type_5 = QUAL_NUMBER[:6] + "5" + QUAL_NUMBER[7:]
    assert "invalid_certificate_number" in failed([qual_cert(certificate_number=agency_type_5)])


def test_number_is_normalised_before_checking() -> None:
    spaced = "ｓ0000 36000001 214000123"
    assert statuses([letter(), skill_cert(certificate_number=spaced)])[
        "invalid_certificate_number"] == "pass"


def test_letter_number_and_level_stand_in_without_certificate() -> None:
    assert statuses([letter()])["invalid_certificate_number"] == "pass"
    assert statuses([letter(level=5)])["invalid_certificate_number"] == "fail"
    assert statuses([letter(certificate_number="123")])["invalid_certificate_number"] == "fail"


def test_jiangxi_exam_with_another_provinces_number_fails() -> None:
    zhejiang = SKILL_NUMBER[:5] + "33" + SKILL_NUMBER[7:]
    checks = run([letter(certificate_number=zhejiang), skill_cert(certificate_number=zhejiang)])
    assert checks["invalid_certificate_number"].status == "fail"
    assert "省份代码为 33" in checks["invalid_certificate_number"].message


def test_skipped_without_number_or_level() -> None:
    assert statuses([letter(), skill_cert(certificate_number=None)])[
        "invalid_certificate_number"] == "skipped"
    assert statuses([letter(), skill_cert(level=None)])["invalid_certificate_number"] == "skipped"
    assert statuses([])["invalid_certificate_number"] == "skipped"


# ---- GB 11643 ----

def test_valid_id_numbers() -> None:
    assert validate_id_number("11010519491231002X") is None
    assert validate_id_number("360102199202290044") is None  # born on 29 February


@pytest.mark.parametrize("value, why", [
    ("11010519491231002", "18 位"),
    ("1101051949123100X2", "前 17 位"),
    ("110105194912310021", "校验位"),
    ("110105194902300028", "出生日期"),  # 30 February
    ("360102199102290045", "出生日期"),  # 1991 has no 29 February
    ("110105189912310026", "出生日期不合理"),
])
def test_invalid_id_numbers(value: str, why: str) -> None:
    problem = validate_id_number(value, date(2021, 6, 1))
    assert problem is not None and why in problem


def test_birth_after_as_of_is_invalid() -> None:
    base = "36010220220101123"
    value = base + ric.calc_check_digit(base + "0")
    assert validate_id_number(value) is None
    assert validate_id_number(value, date(2021, 6, 1)) == "出生日期不合理"


def test_unknown_address_code_is_not_a_hard_rule() -> None:
    base = "99999919900101123"  # no such area: late registrants carry odd codes
    assert validate_id_number(base + ric.calc_check_digit(base + "0")) is None


@given(st.text(max_size=30))
def test_validator_never_raises(value: str) -> None:
    assert validate_id_number(value) is None or isinstance(validate_id_number(value), str)


@given(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True))
def test_validator_agrees_with_stdnum_checksum(value: str) -> None:
    problem = validate_id_number(value)
    if problem is None:
        assert ric.calc_check_digit(value) == value[-1]


def test_invalid_id_number_check() -> None:
    bad = "360102199001011231"
    regs = registries(certificates=[])
    checks = run([letter(), skill_cert(id_number=bad)], context(regs))
    assert checks["invalid_id_number"].status == "fail"
    assert bad not in checks["invalid_id_number"].message  # masked
    assert statuses([letter(), skill_cert(id_number=None)])["invalid_id_number"] == "skipped"
    assert statuses([letter()])["invalid_id_number"] == "skipped"
