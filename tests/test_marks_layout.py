"""Locating the 承诺人 row from OCR lines alone: pitch, fuzzy anchors, printed spans."""

from __future__ import annotations

from zhanchi.extractors.marks_layout import estimate_pitch, find_layout, is_anchor_text
from zhanchi.models.pages import OcrLine

PITCH = 40


def line(text: str, x0: float, y0: float, chars: float | None = None) -> OcrLine:
    width = (chars if chars is not None else len(text)) * PITCH
    return OcrLine(text=text, confidence=0.9, polygon=[(x0, y0), (x0 + width, y0), (x0 + width, y0 + 46), (x0, y0 + 46)])


BODY = [
    line("本人于2023年10月11日在江西省（直辖市、自治区）", 180, 300, 24),
    line("不实或其他任一不符合申请失业保险技能提升补贴的情形，本人愿意退", 180, 900),
    line("回已申领的补贴，并承担相应损失及法律责任。", 180, 980),
]


def test_pitch_from_body_lines_ignores_gappy_lines() -> None:
    gappy = line("时间：年月日", 700, 1300, 14)  # six characters spread over fourteen
    assert abs(estimate_pitch([*BODY, gappy], 1654) - PITCH) < 2
    assert abs(estimate_pitch([], 1800) - 40) < 1  # an A4 page is ~45 characters wide


def test_fuzzy_anchor_text() -> None:
    for text in ("承诺人：", "承诺入：", "承诺 人:", "承诺人：张三（签字、手印）"):
        assert is_anchor_text(text), text
    for text in ("承诺书", "本人承诺所接受的职业技能鉴定考核", "（签字、手印）"):
        assert not is_anchor_text(text), text


def test_regions_hug_the_signing_row_and_stop_at_the_date() -> None:
    row = line("承诺人：（签字、手印）", 700, 1150, 20)  # the engine merged a wide signing gap
    when = line("时 间：年 月 日", 700, 1260, 14)
    lay = find_layout([*BODY, row, when], 1654, 2339)
    assert lay.anchor_found
    x0, y0, x1, y1 = lay.signature_region
    assert abs(x0 - (700 + 4 * PITCH)) < 0.5 * PITCH  # right of 承诺人：
    assert y1 <= 1260 + 1 and y0 < 1150  # (boxes are end-exclusive)
    spans = dict((t, b) for b, t in lay.template)
    hint = spans["（签字、手印）"]
    assert abs(hint[2] - (700 + 20 * PITCH)) < 0.5 * PITCH  # counted from the right end
    assert hint[0] > 700 + 11 * PITCH  # the gap stays unmasked
    assert lay.fingerprint_region[3] > 1260 + 46  # a print may overlap the date line
    assert len(lay.printed) == len(BODY) + 1  # body lines and the date line are blanked
    assert "时 间：年 月 日" not in [t for _, t in lay.reference]


def test_a_name_read_into_the_row_is_not_masked() -> None:
    row = line("承诺人：王小明（签字、手印）", 700, 1150)
    lay = find_layout([*BODY, row], 1654, 2339)
    texts = [t for _, t in lay.template]
    assert texts == ["承诺人：", "（签字、手印）"]
    (pb, _), (hb, _) = lay.template
    assert pb[2] < 700 + 5 * PITCH and hb[0] > 700 + 6 * PITCH  # 王小明 lies between them


def test_a_short_line_off_the_row_may_be_handwriting() -> None:
    row = line("承诺人：（签字、手印）", 700, 1150, 20)
    name_above = line("王小明", 900, 1100)
    lay = find_layout([*BODY, row, name_above], 1654, 2339)
    assert all(b[0] > 900 + 3 * PITCH or b[2] < 900 for b in lay.printed if b[1] > 1050)


def test_only_the_hint_and_date_survive_ocr() -> None:
    hint = line("(签字、手印)", 1130, 1150, 7)
    when = line("时间：2024年8月6日", 700, 1260, 13)
    lay = find_layout([*BODY, hint, when], 1654, 2339)
    assert lay.anchor_found
    assert abs(lay.signature_region[0] - (700 + 4 * PITCH)) < 0.5 * PITCH


def test_nothing_of_the_template_means_the_whole_page() -> None:
    lay = find_layout(BODY, 1654, 2339)
    assert not lay.anchor_found
    assert lay.fingerprint_region == (0, 0, 1654, 2339)
