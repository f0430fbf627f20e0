from zhanchi.extractors.fields import Context
from zhanchi.extractors.filing_proof import read_filing_proof
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.sample_lines import lines_from_rows

PROOF = [
    "备案证明", "湖南人社鉴备〔2021〕037号",
    "兹证明湖南省职业技能鉴定中心已纳入湖南省人力资源和社会保障厅",
    "职业技能考核鉴定机构备案管理，备案编号：湖南人社鉴备〔2021〕037",
    "号，可在备案范围内开展职业技能考核鉴定（职业技能等级认定）工作。",
    "特此证明。", "湖南省人力资源和社会保障厅", "二〇二一年十一月二十六日",
]
EXPECTED = {"agency": "湖南省职业技能鉴定中心", "issuer": "湖南省人力资源和社会保障厅", "province": "湖南省",
            "issue_date": "2021-11-26"}


def read(rows):
    return {k: f.value for k, f in read_filing_proof(lines_from_rows(rows), Context(get_gazetteer(()))).items()}


def test_proof_sentence() -> None:
    assert read(PROOF) == EXPECTED


def test_printed_date_and_noisy_anchor() -> None:
    rows = list(PROOF)
    rows[2] = rows[2].replace("已纳入", "己纳入")
    rows[7] = "2021年11月26日"
    assert read(rows) == EXPECTED


def test_province_from_the_agency_when_the_issuer_is_lost() -> None:
    rows = ["备案证明", "兹证明浙江省职业技能鉴定中心已纳入", "特此证明。"]
    got = read(rows)
    assert got["province"] == "浙江省" and "issuer" not in got and "issue_date" not in got
