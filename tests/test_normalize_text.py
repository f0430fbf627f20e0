from hypothesis import given, settings
from hypothesis import strategies as st

from zhanchi.extractors.fields import Context, clean_text, strip_edges
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.parse_errors import ParseError
from zhanchi.extractors.text import cn_small_number, fold, squash


def test_fold_and_squash() -> None:
    assert fold("ＡＢ１２（：") == "AB12(:"
    assert squash(" 南 昌\u3000市\n") == "南昌市"


def test_clean_text_keeps_inner_brackets_full_width() -> None:
    assert clean_text("：江西省某某(南昌)有限公司。") == "江西省某某（南昌）有限公司"
    assert strip_edges("(电工四级)") == "电工四级"
    assert strip_edges("电工(四级)") == "电工(四级)"


def test_chinese_small_numbers() -> None:
    assert [cn_small_number(t) for t in ("十", "十五", "二十", "三十一", "8")] == [10, 15, 20, 31, 8]
    assert cn_small_number("十十") is None


@settings(deadline=None)
@given(st.text(max_size=40))
def test_every_text_parser_gives_a_value_or_a_parse_error(text: str) -> None:
    from zhanchi.extractors.fields import PARSERS

    ctx = Context(get_gazetteer(("南昌市职业技能鉴定指导中心",)))
    for name, parser in PARSERS.items():
        try:
            parsed = parser(text, ctx)
        except ParseError:
            continue
        assert 0.0 <= parsed.quality <= 1.0, name
        assert parsed.value is not None
