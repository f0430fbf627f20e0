import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhanchi.extractors.levels import LEVEL_NAMES, level_digit, parse_level
from zhanchi.extractors.parse_errors import LevelParseError, ParseError


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("五级/初级工", 5), ("初级", 5), ("初级工", 5), ("国家职业资格五级", 5), ("四级/中级工", 4),
        ("中级", 4), ("高级工", 3), ("三级/高级工", 3), ("三级", 3), ("技师", 2), ("二级/技师", 2),
        ("高级技师", 1), ("一级/高级技师", 1), ("一级", 1), ("电工四级", 4), ("保育师 三级", 3),
        ("职业技能等级：四级", 4), ("国家职业资格二级（技师）", 2), ("4级", 4),
    ],
)
def test_levels_in_every_form(text: str, level: int) -> None:
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["", "职业技能等级证书", "四级/高级工", "电工", "等级"])
def test_no_level_or_conflicting_levels(text: str) -> None:
    with pytest.raises(LevelParseError):
        parse_level(text)


@given(st.text(max_size=40))
def test_any_text_gives_a_level_or_a_parse_error(text: str) -> None:
    try:
        assert parse_level(text) in range(1, 6)
    except ParseError:
        pass


@given(st.sampled_from(sorted(LEVEL_NAMES)), st.text(alphabet="电工焊保育师 /（）", max_size=6))
def test_round_trip_level_names(level: int, occupation: str) -> None:
    num, name = LEVEL_NAMES[level].split("/")
    for form in (num, name, LEVEL_NAMES[level], occupation + num):
        if form and any(ch in "级技" for ch in form):
            try:
                assert parse_level(form) == level
            except LevelParseError:
                # an occupation fragment like 高级 may name another level: then it is a conflict
                assert any(w in occupation for w in ("高", "级", "技"))


def test_level_digit_of_numbers() -> None:
    assert level_digit("S000036000001214000123") == 4
    assert level_digit("2036010010300001") == 3
    assert level_digit("X123") is None
