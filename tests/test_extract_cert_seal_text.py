"""Seal text on certificates and filing proofs: never a value, and lost dates recovered."""

from __future__ import annotations

import numpy as np

from zhanchi.extractors.certificates import read_labelled
from zhanchi.extractors.date_regions import date_tail_region, repair_separator
from zhanchi.extractors.fields import Context
from zhanchi.extractors.filing_proof import FilingProofReader
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.sample_lines import line
from zhanchi.extractors.seal_text import drop_seal_text, is_ring_text, is_seal_wording
from zhanchi.extractors.second_look.date_region import reread_dates
from zhanchi.extractors.specs import QUALIFICATION_CERTIFICATE, SKILL_LEVEL_CERTIFICATE
from zhanchi.models import OcrLine
from zhanchi.ocr.fakes import FakeEngine


def ctx() -> Context:
    return Context(get_gazetteer(("吉安市井冈职业技能评价中心",)))


def quad(text: str, pts: list[tuple[float, float]], conf: float = 0.9) -> OcrLine:
    return OcrLine(text=text, confidence=conf, polygon=pts)


def rows(pairs: list[tuple[str, str]], extra: list[OcrLine]) -> list[OcrLine]:
    out = [line("职业技能等级证书", 520, 260, char_w=85, h=100)]
    for i, (label, value) in enumerate(pairs):
        y = 1000 + 110 * i
        out += [line(label, 280, y, char_w=46, h=50), line(value, 660, y, char_w=46, h=50)]
    return out + extra


def test_seal_wording_beside_a_value_is_not_part_of_it() -> None:
    # 业务专用章 read from the seal's centre, on the occupation's row (P0004-like)
    stamp = quad("业务专用章", [(765, 1302), (906, 1290), (910, 1335), (769, 1347)])
    got = read_labelled(rows([("姓名：", "韩亮丽"), ("证件类型：", "居民身份证"),
                              ("证件号码：", "360483197502054436"), ("职业名称：", "美发师")],
                             [stamp]), SKILL_LEVEL_CERTIFICATE, ctx())
    assert got["occupation"].value == "美发师"


def test_seal_wording_is_never_a_value_under_its_label() -> None:
    # the name missed by the page OCR, the seal's wording sits where it was
    lines = [line("姓名：", 200, 900, char_w=50, h=48), line("业务专用章", 440, 905, char_w=30, h=48)]
    got = read_labelled(lines, QUALIFICATION_CERTIFICATE, ctx())
    assert "holder_name" not in got


def test_ring_text_does_not_interleave_with_a_value() -> None:
    ring = quad("安市", [(967, 1926), (1034, 1912), (1063, 2046), (996, 2061)], 0.67)
    got = read_labelled(rows([("评价机构名称：", "吉安市井冈职业技能评价中心")], [ring]),
                        SKILL_LEVEL_CERTIFICATE, ctx())
    assert got["issuer"].value == "吉安市井冈职业技能评价中心"


def test_what_counts_as_seal_text() -> None:
    assert is_seal_wording("业务专用章") and is_seal_wording("职业技能等级认定专用章")
    assert not is_seal_wording("美发师") and not is_seal_wording("李印章")
    assert is_ring_text(quad("保障", [(682, 912), (730, 911), (734, 1007), (686, 1008)]))
    assert not is_ring_text(line("2025-02-06", 230, 900, char_w=25, h=45))
    assert not is_ring_text(quad("黄", [(0, 0), (10, 20), (0, 30), (-10, 10)]))  # one glyph
    merged = drop_seal_text([line("美发师业务专用章", 600, 1300, char_w=40, h=50)])
    assert [ln.text for ln in merged] == ["美发师"] and merged[0].bbox[2] == 720


def test_a_date_that_lost_a_separator_is_rebuilt_with_lower_confidence() -> None:
    assert repair_separator("2025-0716") == "2025-07-16"
    assert repair_separator("2025-116") is None  # 11-6 or 1-16: not guessed
    # a coarse fax drops the first dash (seen on a faxed booklet: 发证日期:202412-22)
    assert repair_separator("发证日期:202412-22性别") == "发证日期:2024-12-22性别"
    for text in ("0791-86123456", "2013-12-2811:50", "2414073217395"):  # no date there
        assert repair_separator(text) is None
    lines = [line("发证日期：", 130, 900, char_w=46, h=45), line("2025-0716", 440, 900, char_w=25, h=45)]
    f = read_labelled(lines, QUALIFICATION_CERTIFICATE, ctx())["issue_date"]
    assert f.value == "2025-07-16" and f.raw == "2025-0716"
    assert 0.8 < f.confidence < 0.95


def proof_lines(date_text: str, date_x: float) -> list[OcrLine]:
    return [
        line("备案证明", 700, 320, char_w=65, h=88),
        line("兹证明湖南省职业技能鉴定中心已纳入湖南省人力资源和社会保障厅", 300, 645, char_w=39, h=48),
        line("职业技能考核鉴定机构备案管理，备案编号：湖南人社鉴备〔2024〕053", 228, 727, char_w=37, h=43),
        line("特此证明。", 300, 893, char_w=40, h=55),
        line("湖南省人力资源和社会保障厅", 982, 1213, char_w=39, h=48),
        line(date_text, date_x, 1308, char_w=40, h=48),
    ]


def test_filing_proof_date_missing_its_start_is_marked_and_re_read() -> None:
    reader = FilingProofReader(proof_lines("二四年三月十二日", 1129), ctx())
    got = reader.read()
    assert "issue_date" not in got
    region = reader.regions["issue_date"]
    assert region[0] < 1129 - 2 * 48 and region[2] >= 1129 + 8 * 40
    engine = FakeEngine(region_text="二〇二四年三月十二日", region_confidence=0.97)
    again = reread_dates(np.full((2400, 1700, 3), 255, np.uint8), engine, reader.regions, ctx())
    assert again["issue_date"].value == "2024-03-12"
    assert 0.8 < again["issue_date"].confidence < 0.9
    garbled = FakeEngine(region_text="二〇第三年十一月八日", region_confidence=0.88)
    assert reread_dates(np.full((2400, 1700, 3), 255, np.uint8), garbled, reader.regions, ctx()) == {}


def test_a_whole_filing_proof_date_needs_no_second_look() -> None:
    reader = FilingProofReader(proof_lines("二〇二四年三月十二日", 1089), ctx())
    assert reader.read()["issue_date"].value == "2024-03-12"
    assert reader.regions == {}
    assert date_tail_region([line("三月十二日", 0, 0)]) is None
