"""Certificates printed in other ways (issue 10, classes 1 and 6): other label words, a
value column far from the labels (dotted leaders between), English sub-labels, the
photo and QR beside the values, a framed certificate photographed.

The hand-built lines copy what the OCR returned on family-A pages drawn so
(``zhanchi.synth.cert_styles``); the slow test renders such a page and reads it with
the real engine.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from zhanchi.extractors.certificates import read_labelled
from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.layout import group_rows
from zhanchi.extractors.sample_lines import line
from zhanchi.extractors.second_look.value_region import value_column_reach, value_region
from zhanchi.extractors.specs import SKILL_LEVEL_CERTIFICATE
from zhanchi.models import ExtractedField, OcrLine
from zhanchi.synth.cert_styles import SkillStyle, draw_style

AGENCY = "景德镇市陶瓷技能评价中心"
ROWS = [("姓名：", "张刚"), ("证件类型：", "居民身份证"), ("证件号码：", "360982198403268258"),
        ("职业名称：", "西式烹调师"), ("职业技能等级：", "五级/初级工"),
        ("证书编号：", "S993336065075235831901"), ("认定日期：", "2023年12月4日"),
        ("发证机构：", AGENCY)]
EXPECTED = {"holder_name": "张刚", "id_number": "360982198403268258", "occupation": "西式烹调师",
            "level": 5, "certificate_number": "S993336065075235831901",
            "issue_date": "2023-12-04", "issuer": AGENCY}
ENGLISH = ("Name", "ID Type", "ID No.", "Occupation", "Skill Level", "Certificate No.",
           "Date of Recognition", "Issuing Authority")


def ctx() -> Context:
    return Context(get_gazetteer([AGENCY]))


def values(fields: dict[str, ExtractedField]) -> dict[str, object]:
    return {k: f.value for k, f in fields.items()}


def tilted(text: str, x: float, y: float, w: float, h: float, rise: float) -> OcrLine:
    """A line whose polygon climbs ``rise`` pixels over its width (a short line's tilt)."""
    return OcrLine(text=text, confidence=0.98,
                   polygon=[(x, y + rise), (x + w, y), (x + w, y + h), (x, y + h + rise)])


def far_page(*, english: bool = True, leaders: str | None = None) -> list[OcrLine]:
    """Labels at x=250, values at x=1216 (the far layout), English sub-labels under the
    labels: small lines whose polygons tilt by 3°, as the OCR returns them."""
    out = [line("职业技能等级证书", 863, 293, char_w=85, h=100)]
    for i, (label, value) in enumerate(ROWS):
        y = 587 + 97 * i
        out.append(line(label, 253, y, char_w=37, h=50))
        if leaders is not None:
            out.append(line(leaders, 560, y + 8, char_w=14, h=30))
        out.append(line(value, 1216, y + 2, char_w=22 if value[0].isdigit() else 40, h=40))
        if english:
            out.append(tilted(ENGLISH[i], 252, y + 48, 12 * len(ENGLISH[i]), 32, -5))
    return out


def test_other_label_words_are_layout_data() -> None:
    labels = {f.name: f.labels for f in SKILL_LEVEL_CERTIFICATE.fields}
    assert {"评价机构", "发证机构", "发证单位", "认定机构"} <= set(labels["issuer"])
    assert {"发证日期", "认定日期", "颁证日期"} <= set(labels["issue_date"])


def test_far_value_column_with_english_sub_labels() -> None:
    # the sub-label ID Type tilts enough that, extended 1000 px, it met the number's row
    got = read_labelled(far_page(), SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == EXPECTED


def test_a_short_line_does_not_lend_its_tilt_to_a_far_row() -> None:
    sub = tilted("ID Type", 252, 734, 84, 32, -5)  # rises 5 px over 84: ~3.4°
    number = line("360982198403268258", 1216, 788, char_w=20, h=37)
    label = line("证件号码：", 253, 786, char_w=37, h=50)
    assert [len(r) for r in group_rows([sub, number, label])] == [3]  # as it was read
    rows = group_rows([sub, number, label], short_slopes=False)
    assert [[ln.text for ln in r] for r in rows] == [["ID Type"], ["证件号码：", "360982198403268258"]]


@pytest.mark.parametrize("leader", ["··················", "………………", "...............", "一一一一一一"])
def test_dotted_leaders_are_no_part_of_the_value(leader: str) -> None:
    got = read_labelled(far_page(english=False, leaders=leader), SKILL_LEVEL_CERTIFICATE, ctx())
    assert values(got) == EXPECTED


def test_a_leader_read_into_the_label_box() -> None:
    rows = [line("姓名：··········", 250, 600, char_w=30), line("张刚", 1216, 600, char_w=40),
            line("发证机构：…………", 250, 700, char_w=30), line(AGENCY, 1216, 700, char_w=40)]
    assert values(read_labelled(rows, SKILL_LEVEL_CERTIFICATE, ctx())) == {
        "holder_name": "张刚", "issuer": AGENCY}


def test_an_english_sub_label_is_never_the_value_below_its_label() -> None:
    # the issuer's value lost (under the seal): the sub-label under the label is no issuer
    lines = [ln for ln in far_page() if ln.text != AGENCY]
    got = read_labelled(lines, SKILL_LEVEL_CERTIFICATE, ctx())
    assert "issuer" not in got
    assert values(got) == {k: v for k, v in EXPECTED.items() if k != "issuer"}


def test_the_value_region_reaches_a_far_column() -> None:
    found = {"holder_name": ExtractedField(value="张刚", confidence=1.0, bbox=[1216, 587, 1300, 630]),
             "issuer": ExtractedField(value=AGENCY, confidence=1.0, bbox=[1216, 1270, 1700, 1310])}
    label = (253, 1180, 440, 1230)
    reach = value_column_reach(found, {"certificate_number": label})
    assert reach == 1700 + 50
    assert value_region(label, 2339, 1654, reach)[2] == 1750
    assert value_region(label, 2339, 1654)[2] == 440 + 16 * 50  # near: as before
    # values right beside their labels: no far column
    near = {"holder_name": ExtractedField(value="张刚", confidence=1.0, bbox=[470, 587, 560, 630])}
    assert value_column_reach(near, {"certificate_number": label}) == 0


def test_styles_are_drawn_apart_from_the_packet() -> None:
    styles = [draw_style(f"S99333606507523583{i:04d}", True) for i in range(400)]
    assert any(s == SkillStyle() for s in styles)
    assert any(s.far and s.boxes_beside and s.english for s in styles)
    assert {s.issuer_label for s in styles} >= {"评价机构名称", "发证机构", "认定机构"}
    assert not any(s.boxes_beside for s in (draw_style(f"Y{i:021d}", False) for i in range(200)))


# ---- family-A renders read with the real OCR -------------------------------------------

FAR = SkillStyle("发证机构", "认定日期", far=True, leaders=True, english=True, boxes_beside=True)


@pytest.mark.slow
@pytest.mark.parametrize(("style", "capture"), [
    (FAR, ["scan"]),
    # the framed phone photo was taken for an ID card copy (a value, 居民身份证, counted
    # as a heading) until a heading had to be the page's largest print (issue 10, class 6)
    (FAR, ["photo_frame", "photo"])])
def test_a_far_bilingual_certificate_is_read(tmp_path: Path, style: SkillStyle,
                                            capture: list[str]) -> None:
    from zhanchi.extractors.documents import extract
    from zhanchi.extractors.evaluate import read_submission
    from zhanchi.ocr import get_engine
    from zhanchi.synth.corpus import build_corpus
    from zhanchi.synth.packet import PacketPlan

    plan = PacketPlan("C0001", fmt="jpeg_folder", kind="skill", style="scan", landscape=True,
                      cert_style=style, degradations={"skill_level_certificate": capture})
    root = tmp_path / "corpus"
    build_corpus(root, [plan], seed=101, as_of=date(2024, 6, 30), dpi=200)
    expected = json.loads((root / "expected" / "C0001.json").read_text("utf-8"))
    engine = get_engine("rapidocr")
    (tmp_path / "ocr").mkdir()
    pages = read_submission(root / "inbox" / "C0001", root / "inbox", tmp_path / "ocr", engine)
    cert = [p for p in pages if "certificate" in p.ref.file]
    result = extract(cert, agencies=[], engine=engine)
    [doc] = [d for d in result.documents if d.type == "skill_level_certificate"]
    [want] = [d["fields"] for d in expected["documents"] if d["type"] == "skill_level_certificate"]
    assert {k: f.value for k, f in doc.fields.items()} == want


def test_an_ecertificate_with_other_words_and_its_print_time() -> None:
    from zhanchi.extractors.specs import LAYOUTS

    rows = [[("持证人", 220), ("张刚", 420), ("性别", 1100), ("男", 1300)],
            [("身份证件号码", 220), ("360982198403268258", 420)],
            [("职业（工种）", 220), ("西式烹调师", 420), ("技能等级", 1100), ("五级/初级工", 1300)],
            [("证书编号", 220), ("S993336065075235831901", 420)],
            [("发证机构", 220), (AGENCY, 420)],
            [("发证日期", 220), ("2023年12月4日", 420), ("证书状态", 1100), ("有效", 1300)],
            [("打印时间：2025-02-11 09:41", 220)]]
    lines = [line("职业技能等级电子证书", 700, 100, char_w=60, h=60)]
    for i, row in enumerate(rows):
        lines += [line(t, x, 300 + 120 * i, char_w=40, h=45) for t, x in row]
    got = read_labelled(lines, LAYOUTS["skill_level_ecertificate"], ctx())
    assert values(got) == EXPECTED  # the printout's time is no issue date
    del rows[5]  # the date row lost: the print time must not stand in for it
    lines = [line(t, x, 300 + 120 * i, char_w=40, h=45) for i, row in enumerate(rows) for t, x in row]
    assert "issue_date" not in read_labelled(lines, LAYOUTS["skill_level_ecertificate"], ctx())


def test_a_coarse_fax_keeps_a_stroke_one_row_thin() -> None:
    import numpy as np

    from zhanchi.synth.degrade import fax_coarse

    img = np.full((200, 300, 3), 255, np.uint8)
    img[101, 40:260] = 0  # a hairline on an odd row: halving must not drop it
    out = fax_coarse(img, np.random.default_rng(1))
    assert out.shape == img.shape
    assert (out[100:102, 60:240] == 0).mean() > 0.9


def test_a_booklet_spread_holds_both_pages() -> None:
    import random

    from zhanchi.synth.certificates import A5, booklet_spread, render_qualification
    from zhanchi.synth.content import make_claim
    from zhanchi.synth.refdata import load_reference

    claim = make_claim(random.Random(5), load_reference(), date(2024, 6, 30), kind="qualification")
    pages = render_qualification(claim.certificate, 100, random.Random(1))
    sheet = booklet_spread(pages)
    texts = {op.text for op in sheet.ops if hasattr(op, "text")}
    assert {"职业资格证书", "经鉴定考核合格，具备以下职业资格。"} <= texts
    assert sheet.regions["发证机关"][0] > A5[0] > sheet.regions["姓名"][0]
    assert "cert_booklet_spread" in sheet.phenomena


@pytest.mark.parametrize(("holder", "ident", "occupation", "level"), [
    ("姓名", "证件号码", "职业名称", "等级"),
    ("姓名", "公民身份号码", "职业（工种）", "职业技能等级"),
    ("持证人", "身份证号码", "职业名称", "技能等级"),
])
def test_an_ecertificate_headed_with_the_paper_certificate_s_words(
        holder: str, ident: str, occupation: str, level: str) -> None:
    """Platforms head the holder, ID, occupation and level cells in any of the words the
    paper certificate uses (issue 10: e-certificate printouts whose name, ID and level
    were not found at all); family A draws them (``ecert.render_skill_ecert``)."""
    from zhanchi.extractors.specs import LAYOUTS

    rows = [[(holder, 220), ("张刚", 420), ("性别", 1100), ("男", 1300)],
            [(ident, 220), ("360982198403268258", 420)],
            [(occupation, 220), ("西式烹调师", 420), (level, 1100), ("五级/初级工", 1300)],
            [("证书编号", 220), ("S993336065075235831901", 420)],
            [("认定单位", 220), (AGENCY, 420)],
            [("认定日期", 220), ("2023年12月4日", 420), ("证书状态", 1100), ("有效", 1300)]]
    lines = [line("职业技能等级电子证书", 700, 100, char_w=60, h=60)]
    for i, row in enumerate(rows):
        lines += [line(t, x, 300 + 120 * i, char_w=40, h=45) for t, x in row]
    assert values(read_labelled(lines, LAYOUTS["skill_level_ecertificate"], ctx())) == EXPECTED


@pytest.mark.slow
def test_a_rendered_ecertificate_headed_with_paper_words_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Family A's e-certificate printout with the paper certificate's words on its cells
    (drawn for half the varied printouts; pinned here), scanned, read by the real OCR."""
    from zhanchi.extractors.documents import extract
    from zhanchi.extractors.evaluate import read_submission
    from zhanchi.ocr import get_engine
    from zhanchi.synth import ecert
    from zhanchi.synth.corpus import build_corpus
    from zhanchi.synth.packet import PacketPlan

    monkeypatch.setattr(ecert, "_cell_words", lambda number, varied: ("姓名", "证件号码", "职业名称", "等级"))
    plan = PacketPlan("C0002", fmt="jpeg_folder", kind="skill", style="scan", ecert=True)
    root = tmp_path / "corpus"
    build_corpus(root, [plan], seed=7, as_of=date(2024, 6, 30), dpi=200)
    expected = json.loads((root / "expected" / "C0002.json").read_text("utf-8"))
    [want_doc] = [d for d in expected["documents"] if d["type"] == "skill_level_certificate"]
    assert "cert_label_words" in want_doc["pages"][0]["degradations"]
    engine = get_engine("rapidocr")
    (tmp_path / "ocr").mkdir()
    pages = read_submission(root / "inbox" / "C0002", root / "inbox", tmp_path / "ocr", engine)
    result = extract([p for p in pages if "certificate" in p.ref.file], agencies=[], engine=engine)
    [doc] = [d for d in result.documents if d.type == "skill_level_certificate"]
    assert {k: f.value for k, f in doc.fields.items()} == want_doc["fields"]
