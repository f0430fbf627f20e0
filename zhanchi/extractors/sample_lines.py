"""Hand-built OCR lines for tests and examples: text rows laid out on a page grid.

>>> [ln.bbox for ln in lines_from_rows(["承诺书", "本人于"])]
[(100, 100, 160, 120), (100, 150, 160, 170)]
"""

from __future__ import annotations

from collections.abc import Sequence

from zhanchi.models import OcrLine

# Whole pages as OCR would return them, one string per printed row.
LETTER_BODY = [
    "本人于2020年8月15日在江西省（直辖市、自治区）南昌市（设区市）青山湖区",
    "（县、市、区），参加了南昌市职业技能鉴定指导中心（职业技能鉴定考核机构或职",
    "业技能等级认定社会培训评价组织名称）组织开展的电工职业（工种）职业技能考核鉴定考试，",
    "符合国家职业技能标准规定的报考条件，考试成绩合格，获得电工四级（职业、等级）职业",
    "资格证书（职业技能等级证书），证书编号：S000036000001214000123",
    "本人已知晓并充分理解申请失业保险技能提升补贴所需条件。本人承诺所接受的职业技能鉴定考核及",
    "所提供的信息、材料完全属实，如有不实或其他任一不符合申请失业保险技能提升补贴的情形，",
    "本人愿意退回已申领的补贴，并承担相应损失及法律责任。",
    "承诺人：张三（签字、手印）",
    "时间：2021年3月5日",
]
SKILL = ["职业技能等级证书", "姓名：", "证件类型：居民身份证", "证件号码：360102199001011234", "职业名称：电工",
         "职业技能等级：四级/中级工", "证书编号：S000036000001214000123", "发证日期：2021-01-01",
         "评价机构名称：南昌市职业技能鉴定指导中心"]
QUAL = ["经鉴定考核合格，具备以下职业资格。", "职业(工种)及等级：保安员 五级/初级工", "理论知识考试成绩：80分",
        "操作技能考核成绩：85分", "评定成绩：良好", "证书编号：2036010010500001", "发证日期：2020年5月1日",
        "发证机关：江西省人力资源和社会保障厅"]
QUAL_PHOTO = ["中华人民共和国", "职业资格证书", "姓名：张三", "性别：男", "身份证号：360102199001011234", "文化程度：高中"]
PROOF = ["备案证明", "浙人社鉴备〔2020〕012号", "兹证明浙江省职业技能鉴定中心已纳入浙江省人力资源和社会保障厅职业技能考核鉴定机构备案管理，",
         "备案编号：浙人社鉴备〔2020〕012号，可在备案范围内开展职业技能考核鉴定工作。", "特此证明。", "浙江省人力资源和社会保障厅", "二〇二〇年三月一日"]
ID_CARD = ["姓名 张三", "性别 男 民族 汉", "出生 1990年1月1日", "住址 江西省南昌市某某路88号", "公民身份号码 360102199001011234",
           "中华人民共和国", "居民身份证", "签发机关 某某市公安局", "有效期限 2016.05.01-2036.05.01"]
FORM = ["失业保险技能提升补贴申请表", "姓名 张三", "联系电话", "参保单位", "开户银行", "银行账号", "申请日期", "经办人：", "审核人："]

CHAR_W = 20
LINE_H = 20
ROW_STEP = 50


def line(text: str, x: float, y: float, *, conf: float = 0.98, char_w: float = CHAR_W,
         h: float = LINE_H) -> OcrLine:
    """One OCR line starting at (x, y), ``char_w`` pixels per character."""
    w = max(1.0, char_w * len(text))
    return OcrLine(text=text, confidence=conf, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def lines_from_rows(rows: Sequence[str | Sequence[tuple[str, float]]], *, x0: float = 100,
                    y0: float = 100, conf: float = 0.98) -> list[OcrLine]:
    """One line per row, or several per row given as ``(text, x)`` pairs."""
    out: list[OcrLine] = []
    for i, row in enumerate(rows):
        y = y0 + i * ROW_STEP
        if isinstance(row, str):
            out.append(line(row, x0, y, conf=conf))
        else:
            out.extend(line(t, x, y, conf=conf) for t, x in row)
    return out
