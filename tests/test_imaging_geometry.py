"""Deskew, line direction and perspective flattening on synthetic pages (no OCR engine)."""

from __future__ import annotations

import numpy as np
import pytest

from zhanchi.imaging import (
    detect_orientation,
    even_lighting,
    find_page_quad,
    flatten_photo,
    rotate_cw,
    skew_angle,
)
from zhanchi.imaging import synthetic as syn


@pytest.fixture(scope="module")
def letter() -> np.ndarray:
    return syn.text_page(font="uming", size=33)[0]


@pytest.fixture(scope="module")
def notice() -> np.ndarray:
    return syn.text_page(syn.NOTICE_TEXT * 2, title="通知", font="zenhei", size=29, spacing=1.4)[0]


@pytest.mark.parametrize("angle", [2.5, -2.5, 6.0, -6.0])
def test_skew_is_recovered_within_half_a_degree(letter: np.ndarray, angle: float) -> None:
    assert skew_angle(syn.skew(letter, angle)) == pytest.approx(angle, abs=0.5)


@pytest.mark.parametrize("angle", [3.0, -4.5])
def test_skew_of_a_dense_fax_page(notice: np.ndarray, angle: float) -> None:
    assert skew_angle(syn.fax(syn.skew(notice, angle))) == pytest.approx(angle, abs=0.5)


def test_level_and_blank_pages_need_no_deskew(letter: np.ndarray) -> None:
    assert skew_angle(letter) == 0.0
    assert skew_angle(np.full((800, 600, 3), 255, np.uint8)) == 0.0


def test_rotate_cw_keeps_every_pixel_and_fills_white() -> None:
    img = np.zeros((300, 200, 3), np.uint8)  # all ink: nothing may fall off the canvas
    out, m = rotate_cw(img, 5.0)
    assert out.shape[0] > 300 and out.shape[1] > 200
    assert (out == 0).all(axis=2).sum() >= 0.97 * 300 * 200
    assert (out[0, 0] == 255).all()  # a new corner is paper
    # The matrix moves the old centre to the new centre.
    cx, cy = m @ np.array([100.0, 150.0, 1.0])
    assert (cx, cy) == pytest.approx((out.shape[1] / 2, out.shape[0] / 2), abs=1)


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_sideways_pages_are_seen_without_an_engine(notice: np.ndarray, degrees: int) -> None:
    # Without an engine only the quarter turn is decided: 0 for 0/180, 90 for 90/270.
    assert detect_orientation(syn.turn(notice, degrees)) == (90 if degrees % 180 else 0)


def test_too_little_text_means_no_turn() -> None:
    page = np.full((2339, 1654, 3), 255, np.uint8)
    page[1000:1030, 700:760] = 0
    assert detect_orientation(page) == 0


PORTRAIT = [(220, 180), (1400, 260), (1480, 1950), (150, 1880)]
STRONG = [(330, 140), (1290, 210), (1520, 1990), (90, 1900)]


@pytest.mark.parametrize("corners", [PORTRAIT, STRONG])
def test_photo_corners_are_found_within_two_percent(letter: np.ndarray, corners: list) -> None:
    photo = syn.phone_photo(syn.add_seal(letter, (1100, 1900)), corners)
    quad = find_page_quad(photo)
    assert quad is not None
    diag = float(np.hypot(*photo.shape[:2]))
    assert np.linalg.norm(quad - np.array(corners, float), axis=1).max() < 0.02 * diag


def test_flattened_photo_is_a4_and_evenly_lit(letter: np.ndarray) -> None:
    photo = syn.phone_photo(letter, STRONG, light=0.45)
    flat, quad = flatten_photo(photo)
    assert quad is not None
    h, w = flat.shape[:2]
    assert h / w == pytest.approx(np.sqrt(2), rel=0.01)
    paper = flat[int(h * 0.6):int(h * 0.9), int(w * 0.1):int(w * 0.9)]  # blank lower part
    grey = paper.mean(axis=2)
    assert grey.mean() > 235 and grey.std() < 10  # shading divided out


def test_landscape_photo_stays_landscape() -> None:
    page = syn.text_page(syn.NOTICE_TEXT[:200], landscape=True, size=40)[0]
    corners = [(150, 300), (1900, 250), (1950, 1500), (120, 1450)]
    flat, quad = flatten_photo(syn.phone_photo(page, corners, canvas=(2100, 1700)))
    assert quad is not None
    assert flat.shape[1] / flat.shape[0] == pytest.approx(np.sqrt(2), rel=0.01)


def test_scans_and_framed_pages_are_not_flattened(letter: np.ndarray) -> None:
    assert find_page_quad(letter) is None
    assert find_page_quad(syn.fax(letter)) is None
    framed = letter.copy()
    framed[60:68, 60:1590] = 0
    framed[2262:2270, 60:1590] = 0
    framed[60:2270, 60:68] = 0
    framed[60:2270, 1582:1590] = 0
    assert find_page_quad(framed) is None
    same, quad = flatten_photo(letter)
    assert quad is None and same is letter


def test_even_lighting_whitens_a_shaded_page() -> None:
    page = np.full((400, 300, 3), 255, np.float32)
    page *= np.linspace(0.6, 1.0, 300)[None, :, None]
    out = even_lighting(page.astype(np.uint8))
    assert out.mean() > 245 and out.std() < 6
