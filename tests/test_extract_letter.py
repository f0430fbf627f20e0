import pytest

from zhanchi.extractors.commitment_letter import read_letter
from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.sample_lines import line, lines_from_rows

AGENCIES = ("南昌市职业技能鉴定指导中心", "江西省职业技能鉴定指导中心", "南昌市技能鉴定指导中心")
EXPECTED = {
    "exam_date": "2020-08-15", "exam_province": "江西省", "exam_city": "南昌市", "exam_county": "青山湖区",
    "agency": "南昌市职业技能鉴定指导中心", "occupation": "电工", "certificate_title": "电工四级", "level": 4,
    "certificate_number": "S000036000001214000123", "signer_name": "张三", "sign_date": "2021-03-05",
}
CLEAN = [
    "附件", "承诺书",
    "本人于 2020 年8月 15 日在江西（直辖市、自治区）",
    "南昌市（设区市）青山湖区（县、市、区），参加了",
    "南昌市职业技能鉴定指导中心（职业技能鉴定考核机构或职",
    "业技能等级认定社会培训评价组织名称）组织开展的电工职",
    "业（工种）职业技能考核鉴定考试，符合国家职业技能标准规定的报考",
    "条件，考试成绩合格，获得电工四级（职业、等级）职业",
    "资格证书（职业技能等级证书），证书编号：",
    "S000036000001214000123",
    "本人已知晓并充分理解申请失业保险技能提升补贴所需条件。本人",
    "承诺所接受的职业技能鉴定考核及所提供的信息、材料完全属实，如有",
    "回已申领的补贴，并承担相应损失及法律责任。",
    "承诺人：张三 (签字、手印)",
    "时间：2021年3 月 5日",
]


def read(rows, agencies=AGENCIES):
    fields = read_letter(lines_from_rows(rows) if isinstance(rows[0], str) else rows,
                         Context(get_gazetteer(agencies)))
    return {k: f.value for k, f in fields.items()}, fields


def test_clean_letter_reads_every_field() -> None:
    values, fields = read(CLEAN)
    assert values == EXPECTED
    assert all(0.9 < f.confidence <= 1.0 for f in fields.values())


def test_values_carry_boxes_inside_their_line() -> None:
    _, fields = read(CLEAN)
    number = fields["certificate_number"]
    assert number.bbox == [100, 550, 540, 570]  # the whole 10th row: 22 chars × 20 px
    county = fields["exam_county"]  # a sub-box of row 4, after 南昌市（设区市）
    assert county.bbox[0] == 100 + 8 * 20 and county.bbox[2] == 100 + 12 * 20
    assert county.raw == "青山湖区"


def test_missing_title_and_header() -> None:
    assert read(CLEAN[2:])[0] == EXPECTED


def test_ocr_slips_in_anchors_and_half_width_brackets() -> None:
    noisy = [r.replace("（", "(").replace("）", ")").replace("设区市", "设区巿").replace("承诺人", "承若人")
             .replace("组织开展的", "组织开晨的").replace("证书编号", "证书编兮") for r in CLEAN]
    assert read(noisy)[0] == EXPECTED


def test_values_broken_over_lines_and_noisy_values() -> None:
    rows = list(CLEAN)
    rows[3] = "南昌巿（设区市）青山湖（县、市、区），参加了南昌市职业技能"
    rows[4] = "鉴定指导中心（职业技能鉴定考核机构或职"
    rows[9] = "S0000360000O1214000l23"
    values, fields = read(rows)
    assert values == EXPECTED
    assert fields["certificate_number"].confidence < fields["sign_date"].confidence  # corrected
    assert fields["exam_city"].raw == "南昌巿"


def test_handwriting_returned_as_separate_boxes_overlapping_the_printed_line() -> None:
    lines = lines_from_rows(CLEAN)
    y = 100 + 2 * 50
    lines[2:3] = [  # row 3 as printed pieces and taller fill-ins a little above them
        line("本人于", 100, y), line("2020", 170, y - 8, h=30, conf=0.9), line("年", 260, y),
        line("8", 290, y - 6, h=30, conf=0.85), line("月", 320, y), line("15", 350, y - 9, h=30),
        line("日在", 400, y), line("江西", 450, y - 7, h=30), line("（直辖市、自治区）", 500, y),
    ]
    values, fields = read(lines)
    assert values == EXPECTED
    assert fields["exam_date"].confidence < 0.98  # the handwriting's lower confidence counts


def test_unsigned_letter_has_no_signer_name() -> None:
    rows = list(CLEAN)
    rows[13] = "承诺人： (签字、手印)"
    values, _ = read(rows)
    assert "signer_name" not in values
    assert values["sign_date"] == "2021-03-05"


def test_signature_hint_covered_by_the_fingerprint() -> None:
    rows = list(CLEAN)
    rows[13] = "承诺人：张三 ■■手"
    assert read(rows)[0]["signer_name"] == "张三"


def test_blank_left_empty_is_not_found() -> None:
    rows = list(CLEAN)
    rows[7] = "条件，考试成绩合格，获得（职业、等级）职业"
    values, _ = read(rows)
    assert "certificate_title" not in values and "level" not in values
    assert values["occupation"] == "电工"


def test_out_of_province_places_stay_as_printed() -> None:
    rows = list(CLEAN)
    rows[2] = "本人于二〇二〇年八月十五日在浙江（直辖市、自治区）"
    rows[3] = "杭州市（设区市）西湖区（县、市、区），参加了"
    values, _ = read(rows)
    assert (values["exam_date"], values["exam_province"], values["exam_city"], values["exam_county"]) == (
        "2020-08-15", "浙江省", "杭州市", "西湖区")


def test_former_county_name_is_kept_with_the_current_unit() -> None:
    rows = list(CLEAN)
    rows[3] = "上饶市（设区市）上饶县（县、市、区），参加了"
    _, fields = read(rows)
    county = fields["exam_county"]
    assert county.value == "上饶县" and county.model_extra == {"current": ["广信区"]}


@pytest.mark.parametrize("title,level", [("电工三级/高级工", 3), ("电工高级工", 3), ("电工五级", 5)])
def test_level_comes_from_the_certificate_title(title: str, level: int) -> None:
    rows = list(CLEAN)
    rows[7] = f"条件，考试成绩合格，获得{title}（职业、等级）职业"
    values, _ = read(rows)
    assert values["certificate_title"] == title and values["level"] == level


def test_alias_agency_stays_as_written_and_unknown_agency_as_read() -> None:
    rows = list(CLEAN)
    rows[4] = "南昌市技能鉴定指导中心（职业技能鉴定考核机构或职"
    assert read(rows)[0]["agency"] == "南昌市技能鉴定指导中心"
    rows[4] = "南昌市金鼎职业技能培训中心（职业技能鉴定考核机构或职"
    assert read(rows)[0]["agency"] == "南昌市金鼎职业技能培训中心"
