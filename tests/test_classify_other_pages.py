"""Pages that are no claim document: known by what they lack as well as what they share.

An application form asks for the certificate's particulars (name, ID number,
occupation, level, certificate name and number, issue date, issuer), so on its words
alone it can look like a 职业技能等级证书. The fast tests use hand-built OCR lines; the
slow ones render family-A pages (``zhanchi.synth``) and read them with the real OCR.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from zhanchi.extractors.classify import classify_page, classify_text, headings, keyword_score
from zhanchi.extractors.sample_lines import FORM, ID_CARD, SKILL, line, lines_from_rows
from zhanchi.extractors.specs import LAYOUTS, SKILL_LEVEL_CERTIFICATE
from zhanchi.extractors.text import squash
from zhanchi.models import OcrLine

# what a filled-in application form shares with the certificate, row by row
FORM_ROWS = ["姓名 张三 性别 男", "身份证号码 360102199001011234", "职业名称 电工 技能等级 四级",
             "证书名称 职业技能等级证书 证书编号 S000036000001214000123",
             "发证日期 2021年01月01日 评价机构 南昌市职业技能鉴定指导中心"]
FORM_OWN = ["联系电话 13900000000", "开户银行", "申请人（签字）：张三", "经办人：", "审核意见"]


def _page(title: str, rows: list[str], title_h: float = 40) -> list[OcrLine]:
    """A heading ``title_h`` pixels tall above rows of ordinary (20 px) print."""
    return [line(title, 200, 40, h=title_h), *lines_from_rows(rows)]


def test_the_form_shares_enough_to_pass_for_a_certificate_on_keywords_alone() -> None:
    # the example is hard: its shared labels alone exceed the certificate's bar
    text = squash("".join(FORM_ROWS))
    assert keyword_score(text, SKILL_LEVEL_CERTIFICATE) >= SKILL_LEVEL_CERTIFICATE.min_score


def test_a_form_headed_as_a_form_is_unknown() -> None:
    got = classify_page(_page("失业保险技能提升补贴申请表", FORM_ROWS))
    assert (got.type, got.layout) == ("unknown", "application_form")


def test_a_form_with_its_heading_cut_off_is_known_by_its_own_words() -> None:
    got = classify_page(lines_from_rows(FORM_ROWS + FORM_OWN))
    assert (got.type, got.layout) == ("unknown", "application_form")


def test_any_heading_that_names_a_form_will_do() -> None:
    got = classify_page(_page("职业技能提升补贴申领登记表", FORM_ROWS))
    assert got.type == "unknown"


def test_a_certificate_stays_a_certificate() -> None:
    got = classify_page(_page(SKILL[0], SKILL[1:]))
    assert (got.type, got.layout) == ("skill_level_certificate", "skill_level_certificate")
    # even beside a filled-in table's words, what only a certificate has still counts
    got = classify_page(lines_from_rows(SKILL))
    assert got.type == "skill_level_certificate"


def test_the_heading_is_the_tallest_print_that_stands_out() -> None:
    assert headings(_page("失业保险技能提升补贴申请表", FORM_ROWS))[0] == "失业保险技能提升补贴申请表"
    assert headings(lines_from_rows(FORM_ROWS)) == []  # all alike: no heading
    # a large signature is no title: the form heading is still found among the tallest
    page = _page("技能提升补贴申请表", FORM_ROWS) + [line("张三", 600, 900, h=60)]
    assert classify_page(page).layout == "application_form"


def test_a_value_printed_larger_than_its_label_is_no_heading() -> None:
    """A bilingual certificate: tiny English sub-labels pull the usual line height down,
    so the value 居民身份证 (of 证件类型) stands out from it; it must not name the page
    an ID card copy. The title, the page's largest print, is the only heading."""
    rows: list[OcrLine] = [line("职业技能等级证书", 300, 40, h=100)]
    for i, (label, english, value) in enumerate([
            ("姓名：", "Name", "张三"), ("证件类型：", "ID Type", "居民身份证"),
            ("证件号码：", "ID No.", "360102199001011234"), ("职业名称：", "Occupation", "电工"),
            ("职业技能等级：", "Skill Level", "四级/中级工"),
            ("证书编号：", "Certificate No.", "S000036000001214000123"),
            ("颁证日期：", "Date of Issue", "2021-01-01"),
            ("评价机构：", "Evaluation Organization", "南昌市职业技能鉴定指导中心")]):
        y = 200 + 90 * i
        rows += [line(label, 100, y, h=42), line(english, 100, y + 44, h=16, char_w=8),
                 line(value, 700, y, h=56)]
    assert headings(rows) == ["职业技能等级证书"]
    got = classify_page(rows)
    assert (got.type, got.layout) == ("skill_level_certificate", "skill_level_certificate")


def test_id_card_copy_and_blank_back_have_their_layouts() -> None:
    got = classify_page(lines_from_rows(ID_CARD))
    assert (got.type, got.layout) == ("unknown", "id_card")
    got = classify_page(lines_from_rows(FORM))
    assert (got.type, got.layout) == ("unknown", "application_form")
    got = classify_text("")
    assert (got.type, got.layout) == ("unknown", "blank")


def test_the_other_layouts_are_data() -> None:
    for name in ("application_form", "id_card", "blank"):
        assert LAYOUTS[name].type == "unknown" and LAYOUTS[name].group == "other"
    assert LAYOUTS["blank"].max_chars > 0
    assert "证书编号" in LAYOUTS["application_form"].shares


# ---- family-A renders read with the real OCR -------------------------------------------

def _ocr_lines(img: np.ndarray) -> list[OcrLine]:
    from zhanchi.ocr import get_engine  # the real engine (RapidOCR)

    return list(get_engine("rapidocr").read(img).lines)


def _claim():  # type: ignore[no-untyped-def]
    from zhanchi.synth.content import make_claim
    from zhanchi.synth.refdata import load_reference

    return make_claim(random.Random(5), load_reference(), date(2024, 6, 30))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_a_rendered_application_form_is_read_as_one(seed: int) -> None:
    from zhanchi.synth.application_form import render_application_form
    from zhanchi.synth.canvas import rasterise

    img = np.asarray(rasterise(render_application_form(_claim(), 200, random.Random(seed)), 200))
    got = classify_page(_ocr_lines(img[:, :, ::-1].copy()))
    assert (got.type, got.layout) == ("unknown", "application_form")


@pytest.mark.slow
def test_rendered_id_copy_and_blank_back_are_unknown() -> None:
    from zhanchi.synth.canvas import rasterise
    from zhanchi.synth.other_pages import render_blank, render_id_copy

    claim = _claim()
    img = np.asarray(rasterise(render_id_copy(claim.person, 200, random.Random(1)), 200))
    got = classify_page(_ocr_lines(img[:, :, ::-1].copy()))
    assert (got.type, got.layout) == ("unknown", "id_card")
    seed = next(s for s in range(20) if render_blank(200, random.Random(s)).ops)  # with bleed
    img = np.asarray(rasterise(render_blank(200, random.Random(seed)), 200))
    got = classify_page(_ocr_lines(img[:, :, ::-1].copy()))
    assert got.type == "unknown" and got.layout in ("blank", None)


@pytest.mark.slow
def test_a_rendered_bilingual_certificates_values_are_no_headings() -> None:
    """Family A's far-column bilingual certificate, scanned (cert_english_labels,
    cert_far_columns, cert_label_words): its values, printed larger than the labels,
    once counted as headings beside the title, so a value such as 居民身份证 named the
    page an ID card copy (issue 10, class 5). Only the title heads the page now."""
    from dataclasses import replace

    from zhanchi.synth.canvas import rasterise
    from zhanchi.synth.cert_styles import SkillStyle
    from zhanchi.synth.certificates import render_skill
    from zhanchi.synth.degrade import scan

    cert = replace(_claim().certificate, landscape=True)
    style = SkillStyle(issuer_label="评价机构", date_label="颁证日期", english=True, far=True)
    page = render_skill(cert, 200, random.Random(3), style)
    assert {"cert_english_labels", "cert_far_columns"} <= set(page.phenomena)
    img = scan(np.asarray(rasterise(page, 200).convert("RGB")), np.random.default_rng(5))
    lines = _ocr_lines(np.asarray(img)[:, :, ::-1].copy())
    assert headings(lines) == ["职业技能等级证书"]
    assert classify_page(lines).type == "skill_level_certificate"
