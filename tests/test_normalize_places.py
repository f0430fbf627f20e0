import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhanchi.extractors.parse_errors import ParseError, PlaceParseError
from zhanchi.extractors.places import parse_city, parse_county, parse_province
from zhanchi.extractors.reference import canonical_occupation, load_reference

REF = load_reference()
CURRENT = [d for d in REF.divisions if not d.former and d.level in ("province", "prefecture", "county")]


@pytest.mark.parametrize(("text", "name"), [("江西", "江西省"), ("江西省", "江西省"), ("浙江", "浙江省"),
                                            ("内蒙古", "内蒙古自治区"), ("北京市", "北京市"), (" 广 东 ", "广东省")])
def test_provinces_to_full_names(text: str, name: str) -> None:
    place = parse_province(text)
    assert place.name == name and place.known


def test_unknown_province_is_kept_as_printed() -> None:
    place = parse_province("江酉省")
    assert place.name == "江酉省" and not place.known


@pytest.mark.parametrize(("text", "name"), [("南昌", "南昌市"), ("南昌市", "南昌市"), ("赣州", "赣州市"), ("（南昌市）", "南昌市")])
def test_cities(text: str, name: str) -> None:
    assert parse_city(text).name == name


def test_counties_with_and_without_suffix() -> None:
    assert parse_county("青山湖").name == "青山湖区"
    assert parse_county("青山湖区").name == "青山湖区"
    assert parse_county("南昌").name == "南昌县"  # a county-level lookup: 南昌县
    assert parse_county("吉安", city="吉安市").name == "吉安县"


def test_former_name_stays_as_printed_with_the_current_unit_beside_it() -> None:
    place = parse_county("上饶县", city="上饶市")
    assert place.name == "上饶县" and place.former and place.current == ("广信区",)
    assert parse_county("龙南县").current == ("龙南市",)


def test_other_provinces_keep_city_and_county_as_printed() -> None:
    assert parse_city("杭州", province="浙江省").name == "杭州"
    assert parse_county("西湖区", province="浙江省").name == "西湖区"


def test_no_place_is_a_typed_error() -> None:
    with pytest.raises(PlaceParseError):
        parse_county("123 -")


@pytest.mark.parametrize("division", CURRENT, ids=lambda d: d.name)
def test_round_trip_every_current_division(division) -> None:
    if division.level == "province":
        assert parse_province(division.name).name == division.name
        return
    parse = parse_city if division.level == "prefecture" else parse_county
    parent = None if division.level == "prefecture" else division.parent
    got = parse(division.name) if parent is None else parse_county(division.name, city=parent)
    assert got.name == division.name and got.known and not got.former


@given(st.text(max_size=20))
def test_any_text_gives_a_place_or_a_parse_error(text: str) -> None:
    for parse in (parse_province, parse_city, parse_county):
        try:
            assert parse(text).name
        except ParseError:
            pass


def test_old_occupation_names_map_for_comparisons() -> None:
    assert canonical_occupation("维修电工") == "电工"
    assert canonical_occupation("保育员") == "保育师"
    assert canonical_occupation("焊工") == "焊工"
