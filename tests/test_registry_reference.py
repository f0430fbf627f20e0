"""The shipped reference lists: provinces, Jiangxi divisions over time, occupations."""

from __future__ import annotations

from zhanchi.registry import load_reference

REF = load_reference()


def test_provinces_by_full_and_short_name() -> None:
    assert REF.canonical_province("江西省") == REF.canonical_province("江西") == "江西省"
    assert REF.canonical_province("内蒙古") == "内蒙古自治区"
    assert REF.canonical_province("江南省") is None


def test_jiangxi_has_11_cities_and_100_current_counties() -> None:
    current = [d for d in REF.divisions if d.current]
    assert sum(d.level == "prefecture" for d in current) == 11
    assert sum(d.level == "county" for d in current) == 100


def test_former_names_exist_only_in_their_years() -> None:
    (shangrao,) = [d for d in REF.jiangxi_units("上饶县") if d.parent == "上饶市"]
    assert shangrao.exists_in(2018) and shangrao.exists_in(2019)
    assert not shangrao.exists_in(2020)
    assert not shangrao.exists_in(None)  # a former name needs a date
    (qingshanhu,) = REF.jiangxi_units("青山湖区")
    assert qingshanhu.exists_in(None) and qingshanhu.exists_in(1990)


def test_occupation_kinds() -> None:
    assert REF.occupation_kind("保安员") == "access"
    assert REF.occupation_kind("焊接操作工") == "access"
    assert REF.occupation_kind("电工") == "level-recognition"
    assert REF.occupation_kind("不存在的职业") is None


def test_place_names_hold_full_names_and_stems() -> None:
    names = REF.place_names()
    assert {"南昌市", "南昌县", "南昌", "江西省", "江西", "上饶县", "赣江新区"} <= names
    assert "赣" not in names  # one-character stems are too common to protect
