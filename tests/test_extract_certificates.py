from zhanchi.extractors.certificates import read_labelled
from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.sample_lines import line, lines_from_rows
from zhanchi.extractors.specs import QUALIFICATION_CERTIFICATE, SKILL_LEVEL_CERTIFICATE

AGENCIES = ("抚州市临川职业技能等级认定中心", "南昌市职业技能鉴定指导中心")
SKILL_EXPECTED = {
    "holder_name": "孙龙超", "id_number": "360124198809042278", "occupation": "冷作钣金工", "level": 5,
    "certificate_number": "S798736149666235484038", "issue_date": "2023-09-24",
    "issuer": "抚州市临川职业技能等级认定中心",
}
SKILL_ROWS = [
    ("姓名：", "孙龙超"), ("证件类型：", "居民身份证"), ("证件号码：", "360124198809042278"),
    ("职业名称：", "冷作钣金工"), ("工种/职业方向：", "—"), ("职业技能等级：", "五级/初级工"),
    ("证书编号：", "S798736149666235484038"), ("发证日期：", "2023年09月24日"),
    ("评价机构名称：", "抚州市临川职业技能等级认定中心"),
]


def ctx() -> Context:
    return Context(get_gazetteer(AGENCIES))


def layout(rows, *, label_x=600, value_x=980, extra=()):
    """Labels and values as separate boxes, like the OCR returns a printed certificate."""
    lines = [line("职业技能等级证书", 820, 240, char_w=80, h=90)]
    for i, (label, value) in enumerate(rows):
        y = 520 + 100 * i
        lines += [line(label, label_x, y, char_w=46, h=50), line(value, value_x, y + 2, char_w=46, h=48)]
    return lines + list(extra)


def values(fields):
    return {k: f.value for k, f in fields.items()}


def test_portrait_skill_certificate_with_separate_boxes() -> None:
    got = read_labelled(layout(SKILL_ROWS), SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == SKILL_EXPECTED
    assert got["holder_name"].bbox == [980, 522, 980 + 3 * 46, 570]


def test_landscape_with_qr_caption_on_a_label_row() -> None:
    # 扫码查验 printed far right on the row of 工种/职业方向 and 职业技能等级 must not join a value
    extra = [line("扫码查验", 2076, 1022, char_w=30, h=44)]
    got = read_labelled(layout(SKILL_ROWS, extra=extra), SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == SKILL_EXPECTED


def test_label_and_value_in_one_line_and_agency_named_like_a_label() -> None:
    rows = [f"{label}{value}" for label, value in SKILL_ROWS]
    got = read_labelled(lines_from_rows(rows), SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == SKILL_EXPECTED  # …职业技能等级认定中心 is not the label 职业技能等级
    assert got["holder_name"].bbox == [100 + 3 * 20, 100, 100 + 6 * 20, 120]


def test_value_below_its_label() -> None:
    lines = [line("姓名", 100, 100), line("张三", 100, 140), line("证书编号", 400, 100),
             line("S000036000001214000123", 400, 140)]
    got = read_labelled(lines, SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == {"holder_name": "张三", "certificate_number": "S000036000001214000123"}


def test_noisy_labels_and_values() -> None:
    rows = [("娃名：", "孙龙超"), ("证件号码:", "36O124198809042278"), ("职业名祢：", "冷作钣金工"),
            ("职业技能等级：", "五级/初级工"), ("证书编号：", "S79873614966623548403B"),
            ("发证日期：", "2023-09-24"), ("评价机构名称：", "抚州市临川职业技能等级认定中")]
    got = values(read_labelled(layout(rows), SKILL_LEVEL_CERTIFICATE, ctx()))
    assert got["id_number"] == "360124198809042278"
    assert got["occupation"] == "冷作钣金工"
    assert got["issuer"] == "抚州市临川职业技能等级认定中心"  # last character lost under the seal
    assert got["certificate_number"] == "S79873614966623548403B"  # B is not a digit slip we fix


def test_qualification_booklet_pages() -> None:
    photo = lines_from_rows(["中华人民共和国", "职业资格证书", "姓名：黃慧", "性别：女", "身份证号：360423199008280182",
                             "文化程度：中专"])
    result = lines_from_rows(["经鉴定考核合格，具备以下职业资格。", "职业(工种)及等级：应急救援员 四级/中级工",
                              "理论知识考试成绩：72分", "操作技能考核成绩：89分", "评定成绩：合格",
                              "证书编号：2414010680438063", "发证日期：2024-02-18", "发证机关：南昌市人力资源和社会保障局"])
    assert values(read_labelled(photo, QUALIFICATION_CERTIFICATE, ctx())) == {
        "holder_name": "黄慧", "id_number": "360423199008280182"}
    assert values(read_labelled(result, QUALIFICATION_CERTIFICATE, ctx())) == {
        "occupation": "应急救援员", "level": 4, "certificate_number": "2414010680438063",
        "issue_date": "2024-02-18", "issuer": "南昌市人力资源和社会保障局"}
