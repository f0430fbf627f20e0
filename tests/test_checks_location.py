"""Exam places: Jiangxi hierarchy, former names by exam date, 赣江新区, other provinces."""

from __future__ import annotations

import pytest
from test_checks_samples import letter, run, skill_cert


def _status(**place: object) -> str:
    return run([letter(**place), skill_cert()])["invalid_location"].status


@pytest.mark.parametrize("city, county", [
    ("南昌市", "青山湖区"), ("南昌市", "南昌县"), ("九江市", "共青城市"), ("赣州市", "龙南市"),
    ("上饶市", "广信区"),
])
def test_current_hierarchy_passes(city: str, county: str) -> None:
    assert _status(exam_city=city, exam_county=county) == "pass"


@pytest.mark.parametrize("city, county", [
    ("南昌市", "章贡区"),  # a real county of another city
    ("南昌市", "青山区"),  # no such unit
    ("南昌", "青山湖区"),  # not a full name (the extractor must normalise)
    ("杭州市", "西湖区"),  # not a Jiangxi city
])
def test_broken_hierarchy_fails(city: str, county: str) -> None:
    assert _status(exam_city=city, exam_county=county) == "fail"


def test_message_names_the_real_parent() -> None:
    check = run([letter(exam_county="章贡区"), skill_cert()])["invalid_location"]
    assert "章贡区" in check.message and "赣州市" in check.message


def test_former_county_valid_on_exam_dates_when_it_existed() -> None:
    # 上饶县 became 广信区 in 2019: a 2018 exam may print the old name, a 2020 one may not
    assert _status(exam_city="上饶市", exam_county="上饶县", exam_date="2018-05-10") == "pass"
    assert _status(exam_city="上饶市", exam_county="上饶县", exam_date="2020-05-10") == "fail"
    assert _status(exam_city="赣州市", exam_county="龙南县", exam_date="2019-07-01") == "pass"
    assert _status(exam_city="赣州市", exam_county="龙南县", exam_date="2021-01-10") == "fail"


def test_former_name_without_exam_date_is_skipped() -> None:
    checks = run([letter(exam_city="上饶市", exam_county="上饶县", exam_date=None), skill_cert()])
    assert checks["invalid_location"].status == "skipped"
    assert checks["missing_field"].status == "fail"


def test_former_prefecture_only_in_its_years() -> None:
    assert _status(exam_city="上饶地区", exam_county="上饶县", exam_date="1999-05-01") == "pass"
    assert _status(exam_city="上饶地区", exam_county="上饶县", exam_date="2018-05-01") == "fail"


@pytest.mark.parametrize("city, county, ok", [
    ("赣江新区", "新建区", True), ("赣江新区", "永修县", True), ("赣江新区", "赣江新区", True),
    ("南昌市", "赣江新区", True), ("九江市", "赣江新区", True),
    ("赣江新区", "章贡区", False), ("赣州市", "赣江新区", False),
])
def test_ganjiang_new_area(city: str, county: str, ok: bool) -> None:
    assert _status(exam_city=city, exam_county=county) == ("pass" if ok else "fail")


def test_other_province_needs_only_a_real_province_name() -> None:
    assert _status(exam_province="浙江省", exam_city="某市", exam_county="某区") == "pass"
    assert _status(exam_province="浙江", exam_city="杭州市", exam_county="西湖区") == "pass"
    assert _status(exam_province="江南省", exam_city="杭州市", exam_county="西湖区") == "fail"


def test_short_jiangxi_name_is_still_jiangxi() -> None:
    assert _status(exam_province="江西", exam_county="章贡区") == "fail"


def test_skipped_when_place_fields_missing() -> None:
    assert _status(exam_province=None) == "skipped"
    assert _status(exam_county=None) == "skipped"
    assert run([skill_cert()])["invalid_location"].status == "skipped"
