from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhanchi.extractors.dates import find_date, parse_date, parse_date_parts
from zhanchi.extractors.parse_errors import DateParseError, ParseError

CN = "〇一二三四五六七八九"


def cn_year(y: int) -> str:
    return "".join(CN[int(c)] for c in str(y))


def cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens <= 1 else CN[tens]) + ("十" if tens else "") + (CN[ones] if ones else "")


@pytest.mark.parametrize(
    "text",
    [
        "2020年8月15日", "2020年08月15日", "二〇二〇年八月十五日", "2020.8.15", "2020-8-15",
        "2020/08/15", "20200815", "时 间： 2020 年 8 月 15 日", "２０２０年８月１５日",
        "二O二O年八月十五日", "2O2O年8月l5日", "2020年8月15曰", "发证日期：2020-08-15",
    ],
)
def test_every_printed_form_reads_as_iso(text: str) -> None:
    assert parse_date(text) == "2020-08-15"


@pytest.mark.parametrize("text", ["", "年月日", "2020年13月1日", "2021年2月30日", "1850年1月1日", "2020年8月"])
def test_not_a_date_is_a_typed_error(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.kind == "date"
    assert text not in info.value.message or not text  # never quotes the text


def test_first_valid_date_wins_and_span_is_reported() -> None:
    iso, start, end = find_date("备案编号：〔2019〕3号，2021年2月30日，二〇二一年三月一日")
    assert iso == "2021-03-01"
    assert end > start


def test_template_parts() -> None:
    assert parse_date_parts("2021", "3", "O5") == "2021-03-05"
    assert parse_date_parts("二〇二一", "十二", "三十一") == "2021-12-31"
    with pytest.raises(DateParseError):
        parse_date_parts("2021", "", "5")


@given(st.text(max_size=60))
def test_any_text_gives_a_date_or_a_parse_error(text: str) -> None:
    try:
        value = parse_date(text)
    except ParseError:
        return
    assert date.fromisoformat(value)


@given(st.text(alphabet="0123456789年月日.-/〇一二三四五六七八九十Ool ", max_size=30))
def test_date_like_noise_gives_a_date_or_a_parse_error(text: str) -> None:
    try:
        assert date.fromisoformat(parse_date(text))
    except DateParseError:
        pass


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_round_trip_through_every_form(d: date) -> None:
    forms = [
        f"{d.year}年{d.month}月{d.day}日", f"{d.year}年{d.month:02d}月{d.day:02d}日",
        f"{d.year}.{d.month}.{d.day}", f"{d.year}-{d.month}-{d.day}", f"{d.year}/{d.month:02d}/{d.day:02d}",
        f"{cn_year(d.year)}年{cn_small(d.month)}月{cn_small(d.day)}日", d.isoformat(),
    ]
    for form in forms:
        assert parse_date(form) == d.isoformat(), form


@given(st.text(max_size=6), st.text(max_size=4), st.text(max_size=4))
def test_template_parts_give_a_date_or_a_parse_error(y: str, m: str, d: str) -> None:
    try:
        assert date.fromisoformat(parse_date_parts(y, m, d))
    except DateParseError:
        pass


@pytest.mark.parametrize(("raw", "doubtful"), [
    ("2023-01-1", True),  # 2023-01-21 with the day's first digit lost (seen on a booklet photo)
    ("2023年1月05日", True), ("2023.1.02", True),
    ("2023-01-21", False), ("2023-1-21", False), ("2023年1月5日", False), ("2023年10月5日", False),
    ("二〇二三年一月二十一日", False), ("20230121", False),
])
def test_a_date_padded_unevenly_may_have_lost_a_digit(raw: str, doubtful: bool) -> None:
    """A printed date pads month and day alike: 2023-01-1 reads as the 1st with a digit
    lost, so its field is doubtful (quality 0.75), never a sure 2023-01-01."""
    from zhanchi.extractors.fields import DOUBTFUL_DATE, PARSERS, Context
    from zhanchi.extractors.gazetteer import get_gazetteer

    parsed = PARSERS["date"](raw, Context(get_gazetteer(())))
    assert parsed.quality == (DOUBTFUL_DATE if doubtful else 1.0)
    # the values themselves are unchanged: what the page says
    assert parsed.value == find_date(raw)[0]

