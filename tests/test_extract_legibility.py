"""Illegible versus empty letter blanks: ink between two anchors that no reader parsed."""

from __future__ import annotations

import numpy as np
import pytest

from zhanchi.extractors.second_look.legibility import illegible_blanks, ink_share, is_illegible
from zhanchi.models import ExtractedField, OcrLine

ROW_Y0, ROW_Y1 = 100, 150  # one printed row, 50 px high (≈ 200 dpi body text)
CITY_END, COUNTY_START = 300, 560  # "(设区市)" ends here, "(县、市、区)…" starts there


def line(text: str, x0: int, x1: int, y0: int = ROW_Y0, y1: int = ROW_Y1) -> OcrLine:
    return OcrLine(text=text, confidence=0.95, polygon=[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def letter_lines() -> list[OcrLine]:
    """The letter's opening, with the county blank left unread."""
    return [
        line("本人于2023年4月26日在江西省(直辖市、自治区)", 60, 1400, 20, 70),
        line("抚州(设区市)", 60, CITY_END),
        line("(县、市、区),参加了", COUNTY_START, 1100),
    ]


def page(fill: str) -> np.ndarray:
    img = np.full((400, 1500, 3), 245, np.uint8)
    img[ROW_Y1 + 2:ROW_Y1 + 5, CITY_END + 20:COUNTY_START - 20] = 30  # the underline
    x0, x1 = CITY_END + 30, COUNTY_START - 30
    if fill == "smear":  # grey wash over blurred writing
        img[ROW_Y0 + 5:ROW_Y1 - 2, x0:x1] = 200
    elif fill == "dither":  # a fax's rendering of the same grey: sparse black dots
        rng = np.random.default_rng(1)
        dots = rng.random((ROW_Y1 - 2 - ROW_Y0 - 5, x1 - x0)) < 0.2
        img[ROW_Y0 + 5:ROW_Y1 - 2, x0:x1][dots] = 0
    elif fill == "specks":  # scan dust on an empty blank
        img[120, 350] = img[130, 480] = 0
    return img


@pytest.mark.parametrize("fill", ["smear", "dither"])
def test_ink_in_an_unread_blank_is_illegible(fill: str) -> None:
    out = illegible_blanks(letter_lines(), page(fill), {})
    f = out["exam_county"]
    assert is_illegible(f) and f.value == "" and f.confidence <= 0.3
    assert f.bbox is not None and CITY_END <= f.bbox[0] < f.bbox[2] <= COUNTY_START


@pytest.mark.parametrize("fill", ["empty", "specks"])
def test_an_empty_blank_is_not_illegible(fill: str) -> None:
    assert "exam_county" not in illegible_blanks(letter_lines(), page(fill), {})


def test_a_field_already_read_is_left_alone() -> None:
    read = {"exam_county": ExtractedField(value="临川区", confidence=0.9)}
    assert illegible_blanks(letter_lines(), page("smear"), read) == {}


def test_no_image_no_verdict() -> None:
    assert illegible_blanks(letter_lines(), None, {}) == {}


def test_ink_share_of_gray_and_empty_boxes() -> None:
    gray = page("smear")[:, :, 0]
    assert ink_share(gray, (CITY_END + 30, ROW_Y0, COUNTY_START - 30, ROW_Y1)) > 0.8
    assert ink_share(gray, (700, 200, 900, 250)) == 0.0
    assert ink_share(gray, (10, 10, 10, 10)) == 0.0
