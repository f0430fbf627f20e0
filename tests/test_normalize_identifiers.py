import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhanchi.extractors.identifiers import (
    QUALIFICATION_NUMBER,
    SKILL_NUMBER,
    id_checksum_ok,
    parse_certificate_number,
    parse_id_number,
)
from zhanchi.extractors.parse_errors import IdentifierParseError, ParseError

FULL = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def with_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def test_skill_number_with_ocr_slips() -> None:
    got = parse_certificate_number("s 0000 36 OO0001 21 4 OOOl23")
    assert got.value == "S000036000001214000123" and got.corrected
    assert SKILL_NUMBER.match(got.value)


@pytest.mark.parametrize("first", ["8", "5"])
def test_the_s_of_a_skill_number_read_as_a_digit_is_the_s(first: str) -> None:
    # family A seed 2026126: a letter's S673336853055245841534 read 8673…, stated 0.98,
    # then certificate_number_mismatch against the certificate's sure S673…
    got = parse_certificate_number(first + "673336853055245841534")
    assert got.value == "S673336853055245841534" and got.corrected
    # 16 digits are a qualification number: nothing there is an S
    assert parse_certificate_number("8036010010300001").value == "8036010010300001"


def test_qualification_number_full_width() -> None:
    got = parse_certificate_number("2036010010300001".translate(FULL))
    assert got.value == "2036010010300001" and not got.corrected
    assert QUALIFICATION_NUMBER.match(got.value)


def test_an_odd_number_is_kept_as_printed_upper_case() -> None:
    assert parse_certificate_number("ab-12 3").value == "AB123"


def test_no_number_is_a_typed_error() -> None:
    with pytest.raises(IdentifierParseError) as info:
        parse_certificate_number("证书编号：")
    assert info.value.kind == "certificate_number"


def test_id_number_forms() -> None:
    assert parse_id_number("36010 219900101 123x").value == "36010219900101123X"
    fixed = parse_id_number("3601O219900101123X")
    assert fixed.value == "36010219900101123X" and fixed.corrected
    assert parse_id_number("３６０１０２１９９００１０１１２３Ｘ").value == "36010219900101123X"
    with pytest.raises(IdentifierParseError):
        parse_id_number("无")


def test_checksum() -> None:
    valid = with_check("36010219900101123")
    assert id_checksum_ok(valid)
    assert not id_checksum_ok(valid[:-1] + ("0" if valid[-1] != "0" else "1"))


@given(st.text(max_size=40))
def test_any_text_gives_a_number_or_a_parse_error(text: str) -> None:
    for parser in (parse_certificate_number, parse_id_number):
        try:
            got = parser(text)
        except ParseError:
            continue
        assert got.value == got.value.upper() and " " not in got.value and got.value.isascii()


@given(st.sampled_from("YS"), st.text(alphabet="0123456789", min_size=21, max_size=21),
       st.booleans(), st.booleans())
def test_round_trip_skill_numbers(prefix: str, digits: str, spaced: bool, full: bool) -> None:
    number = prefix + digits
    printed = " ".join(number[i:i + 4] for i in range(0, 22, 4)) if spaced else number.lower()
    if full:
        printed = printed.translate(FULL)
    assert parse_certificate_number(printed).value == number


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_round_trip_id_numbers(body: str) -> None:
    number = with_check(body)
    assert parse_id_number(number.lower().translate(FULL)).value == number
