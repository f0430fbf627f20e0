"""The engine's second look: values, rows and signatures the page OCR missed."""

from collections.abc import Sequence

import numpy as np

from zhanchi.extractors import extract
from zhanchi.extractors.sample_lines import LETTER_BODY, line, lines_from_rows
from zhanchi.extractors.second_look.rows import fragmented_rows, missing_row_bands
from zhanchi.models import OcrPage, PageRef, ReadPage
from zhanchi.ocr import CrashingEngine, OcrEngine, Recognized


class ScriptedEngine(OcrEngine):
    """Answers region reads from a function of the crop's position (tests only)."""

    name = "scripted"

    def __init__(self, answer) -> None:
        self.answer = answer
        self.regions: list[tuple[int, int, int, int]] = []

    def read(self, image):  # never used by the extractors
        raise AssertionError("the extractors must not re-read whole pages")

    def read_regions(self, image, boxes):
        self.regions.extend(tuple(int(v) for v in b) for b in boxes)
        return super().read_regions(image, boxes)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        box = self.regions[-len(crops):]
        return [Recognized(*self.answer(b)) for b in box]


def page(lines, w=2000, h=2800) -> ReadPage:
    return ReadPage(PageRef(file="A/x.jpg", page=1, width=w, height=h),
                    OcrPage(engine="test", lines=lines, width=w, height=h), np.full((h, w, 3), 255, np.uint8))


SKILL = [("职业技能等级证书", ""), ("姓名：", "孙龙超"), ("证件号码：", "360124198809042278"), ("职业名称：", "电工"),
         ("职业技能等级：", "四级/中级工"), ("证书编号：", "S798736149666245484038"), ("发证日期：", None),
         ("评价机构名称：", "南昌市职业技能鉴定指导中心")]


def skill_lines(skip_row: str | None = None):
    out = []
    for i, (label, value) in enumerate(SKILL):
        if label == skip_row:
            continue
        y = 300 + 100 * i
        out.append(line(label, 600, y, char_w=46, h=50))
        if value:
            out.append(line(value, 980, y, char_w=46, h=48))
    return out


def test_value_missing_beside_its_label_is_re_read_from_its_region() -> None:
    engine = ScriptedEngine(lambda box: ("2023年09月24日", 0.93))
    doc = extract([page(skill_lines())], engine=engine).documents[0]
    f = doc.fields["issue_date"]
    assert f.value == "2023-09-24" and f.confidence < 0.93
    assert f.bbox[0] > 600 + 5 * 46 and f.bbox[1] < 900 < f.bbox[3]  # right of the label's row
    assert len(engine.regions) == 1


def test_whole_row_lost_is_found_from_the_row_pitch() -> None:
    lines = skill_lines(skip_row="发证日期：")
    bands = missing_row_bands(lines, 2000, 2800)
    assert len(bands) == 1 and bands[0][1] < 925 < bands[0][3]
    engine = ScriptedEngine(lambda box: ("发证日期：2023-09-24", 0.9))
    doc = extract([page(lines)], engine=engine).documents[0]
    assert doc.fields["issue_date"].value == "2023-09-24"
    assert doc.fields["holder_name"].value == "孙龙超"


def test_row_broken_by_a_stamp_is_re_read_as_one_band() -> None:
    rows = ["承诺书", *LETTER_BODY[:-1]]
    lines = lines_from_rows(rows)
    y = 100 + len(rows) * 50
    lines += [line("时", 100, y), line("业务专用章", 400, y), line("月5日", 700, y)]
    assert [len(pieces) for _, pieces in fragmented_rows(lines)] == [3]
    engine = ScriptedEngine(lambda box: ("时间：2021年3月5日", 0.9) if box[1] >= y - 5 else ("", 0.0))
    fields = extract([page(lines)], engine=engine).documents[0].fields
    assert fields["sign_date"].value == "2021-03-05"


def test_signature_under_the_fingerprint_is_re_read() -> None:
    rows = ["承诺书", *LETTER_BODY]
    lines = lines_from_rows(rows)
    k = next(i for i, r in enumerate(rows) if r.startswith("承诺人"))
    y = 100 + k * 50
    lines[k] = line("承诺人：杨秀", 100, y)
    lines.insert(k + 1, line("(签字、手印)", 500, y))
    engine = ScriptedEngine(lambda box: ("承诺人：杨秀斌", 0.95))
    fields = extract([page(lines)], engine=engine).documents[0].fields
    assert fields["signer_name"].value == "杨秀斌"


def test_a_crashing_engine_keeps_what_the_page_ocr_read() -> None:
    doc = extract([page(skill_lines())], engine=CrashingEngine()).documents[0]
    assert "issue_date" not in doc.fields and doc.fields["holder_name"].value == "孙龙超"


def test_without_an_image_there_is_no_second_look() -> None:
    p = page(skill_lines())
    p.image = None
    engine = ScriptedEngine(lambda box: ("2023年09月24日", 0.93))
    doc = extract([p], engine=engine).documents[0]
    assert "issue_date" not in doc.fields and engine.regions == []


def test_a_number_cut_short_is_replaced_only_by_a_well_formed_re_read() -> None:
    lines = skill_lines()
    cut = next(i for i, ln in enumerate(lines) if ln.text.startswith("S7987"))
    lines[cut] = line("S79873614966", lines[cut].bbox[0], lines[cut].bbox[1], char_w=46, h=48)
    good = ScriptedEngine(lambda box: ("S798736149666245484038", 0.9))
    assert extract([page(lines)], engine=good).documents[0].fields["certificate_number"].value == (
        "S798736149666245484038")
    bad = ScriptedEngine(lambda box: ("S7987361", 0.9))
    assert extract([page(lines)], engine=bad).documents[0].fields["certificate_number"].value == "S79873614966"


def test_ink_only_keeps_the_pen_and_drops_the_fingerprint_ridges() -> None:
    from zhanchi.extractors.second_look.signer import ink_only

    crop = np.full((40, 80, 3), 250, np.uint8)
    crop[10:30, 5:40] = (120, 40, 30)  # navy pen stroke (BGR)
    crop[5:35, 35:75] = (60, 60, 190)  # red ridges (BGR), overlapping the stroke's end
    crop[10:30, 35:40] = (30, 20, 40)  # pen under the ridge: dark in every channel
    out = ink_only(crop)
    assert (out[20, 10] == crop[20, 10]).all() and (out[20, 37] == crop[20, 37]).all()
    assert (out[20, 60] == 255).all()


def test_a_fourth_signature_character_is_not_trusted() -> None:
    rows = ["承诺书", *LETTER_BODY]
    lines = lines_from_rows(rows)
    k = next(i for i, r in enumerate(rows) if r.startswith("承诺人"))
    y = 100 + k * 50
    lines[k] = line("承诺人：胡秀金", 100, y)
    lines.insert(k + 1, line("(签字、手印)", 600, y))
    engine = ScriptedEngine(lambda box: ("承诺人：胡秀金多", 0.95))
    assert extract([page(lines)], engine=engine).documents[0].fields["signer_name"].value == "胡秀金"
