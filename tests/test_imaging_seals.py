"""Seal suppression: red seal ink fades for OCR, black text under it and red print stay."""

from __future__ import annotations

import numpy as np
import pytest

from zhanchi.imaging import for_ocr, red_mask, seal_regions
from zhanchi.imaging import synthetic as syn
from zhanchi.ocr import get_engine

CENTRE = (700, 420)  # over the first body lines of the synthetic letter


@pytest.fixture(scope="module")
def pages() -> tuple[np.ndarray, np.ndarray]:
    page, _ = syn.text_page(font="uming", size=33)
    return page, syn.add_seal(page, CENTRE, radius=200)


def _norm(text: str) -> str:
    return text.replace("，", ",").replace("：", ":")


def test_seal_is_found_where_it_was_stamped(pages: tuple[np.ndarray, np.ndarray]) -> None:
    plain, sealed = pages
    assert seal_regions(plain) == []
    boxes = seal_regions(sealed)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 <= 500 and y0 <= 220 and x1 >= 900 and y1 >= 620


def test_red_ink_goes_and_black_text_under_it_stays(pages: tuple[np.ndarray, np.ndarray]) -> None:
    plain, sealed = pages
    clean = for_ocr(sealed)
    box = (slice(220, 620), slice(500, 900))
    assert red_mask(sealed[box]).mean() > 10
    assert red_mask(clean[box]).mean() < 0.5
    ink_before = (plain[box].min(axis=2) < 100).sum()
    ink_after = (clean[box].min(axis=2) < 100).sum()
    assert ink_after == pytest.approx(ink_before, rel=0.1)
    assert (sealed == syn.add_seal(plain, CENTRE, radius=200)).all()  # input untouched


def test_red_printed_text_is_not_a_seal() -> None:
    page, _ = syn.text_page(font="uming", size=33)
    page[300:340, 200:1400] = (30, 30, 220)  # a long red rule / red title band
    assert seal_regions(page) == []
    assert (for_ocr(page) == page).all()


def test_grey_pages_pass_through() -> None:
    grey = np.full((50, 50), 200, np.uint8)
    assert (for_ocr(grey) == grey).all()


@pytest.mark.slow
def test_text_under_a_seal_becomes_readable(pages: tuple[np.ndarray, np.ndarray]) -> None:
    _, sealed = pages
    _, truth = syn.text_page(font="uming", size=33)
    engine = get_engine("rapidocr")

    def rows_read(img: np.ndarray) -> list[bool]:
        text = _norm("".join(ln.text for ln in engine.read(img).lines))
        return [_norm(row) in text for row in truth[1:5]]  # the four lines under the seal

    assert all(rows_read(for_ocr(sealed)))
    assert not all(rows_read(sealed))  # the seal really does spoil some of them
