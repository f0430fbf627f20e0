"""Replays real OCR of generated pages (tests/recordings/extract/, see its README)."""

import json
from pathlib import Path

import pytest

from zhanchi.extractors import extract
from zhanchi.models import OcrPage, PageRef, ReadPage

HERE = Path(__file__).parent / "recordings" / "extract"
FIXTURES = sorted(HERE.glob("*.json"))
AGENCIES = ["上饶市广信职业技能培训学校", "九江市浔阳职业技能培训学校", "南昌市职业技能鉴定指导中心", "南昌市技能鉴定指导中心",
            "江西省职业技能鉴定指导中心", "江西省技能鉴定指导中心", "江西省机电技师学院", "江西机电技师学院", "江西省交通技师学院",
            "赣州市华安职业培训学校", "赣州华安职业培训学校", "九江市职业技能鉴定所", "宜春市创业职业培训学校", "宜春创业职业培训学校",
            "景德镇市陶瓷技能评价中心", "吉安市井冈职业技能评价中心", "抚州市临川职业技能等级认定中心", "抚州临川职业技能等级认定中心",
            "萍乡市安源职业技能评价站", "鹰潭市技工学校", "鹰潭技工学校", "新余市职业技能鉴定中心", "南昌市红谷职业技能培训学校"]
# Values the page OCR lost under a seal: only the engine's second look (reread/rescue) finds them.
LOST_WITHOUT_ENGINE = {
    "letter_seal_over_row": {"exam_city", "exam_county", "agency"},
    "skill_seal_over_level": {"level"},
}


def load(path: Path) -> tuple[dict, list[ReadPage]]:
    fx = json.loads(path.read_text(encoding="utf-8"))
    pages = [ReadPage(PageRef(file=p["file"], page=p["page"], source=p["source"]), OcrPage.model_validate(p["ocr"]))
             for p in fx["pages"]]
    return fx, pages


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_recorded_page_reads_as_expected(path: Path) -> None:
    fx, pages = load(path)
    result = extract(pages, agencies=AGENCIES)
    assert [c.type for c in result.pages] == [fx["expected_type"]] * len(pages)
    assert len(result.documents) == 1
    doc = result.documents[0]
    got = {k: f.value for k, f in doc.fields.items() if k not in ("has_signature", "has_fingerprint")}
    lost = LOST_WITHOUT_ENGINE.get(path.stem, set())
    expected = {k: v for k, v in fx["expected_fields"].items() if k not in lost}
    assert got == expected
    for f in doc.fields.values():
        assert 0.0 <= f.confidence <= 1.0
        if f.bbox is not None:
            x0, y0, x1, y1 = f.bbox
            page = pages[f.page - 1].ocr
            assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height


def test_fixtures_are_documented() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for path in FIXTURES:
        assert path.name in readme
