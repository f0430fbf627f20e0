"""decode_qr on certificate-like pages: clean, rotated and noisy, small, absent."""

from __future__ import annotations

import cv2
import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from zhanchi.extractors.marks import decode_qr

NUMBER = "Y944336813930245601193"  # a 22-character skill-level certificate number


def qr_image(data: str, module_px: int) -> np.ndarray:
    qr = qrcode.QRCode(border=2, box_size=module_px, error_correction=ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    pil = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    return np.asarray(pil, np.uint8)


def page_with(code: np.ndarray, at: tuple[int, int], size: tuple[int, int] = (1654, 2339)) -> np.ndarray:
    page = np.full((size[1], size[0]), 238, np.uint8)  # cream certificate paper
    cv2.putText(page, "SKILL LEVEL CERTIFICATE", (300, 300), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 40, 4)
    x, y = at
    page[y : y + code.shape[0], x : x + code.shape[1]] = np.minimum(code, 238)
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)


def test_clean_code_on_a_page() -> None:
    assert decode_qr(page_with(qr_image(NUMBER, 6), (200, 1900))) == NUMBER


def test_rotated_blurred_noisy_code() -> None:
    page = page_with(qr_image(NUMBER, 7), (700, 1200))
    m = cv2.getRotationMatrix2D((900, 1400), 23, 1.0)
    page = cv2.warpAffine(page, m, (page.shape[1], page.shape[0]), borderValue=(238, 238, 238))
    page = cv2.GaussianBlur(page, (0, 0), 1.2)
    rng = np.random.default_rng(5)
    noisy = page.astype(np.int16) + rng.normal(0, 18, page.shape).astype(np.int16)
    speck = rng.random(page.shape[:2]) < 0.01
    noisy[speck] = 0
    page = np.clip(noisy, 0, 255).astype(np.uint8)
    ok, jpg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert decode_qr(cv2.imdecode(jpg, cv2.IMREAD_COLOR)) == NUMBER


def test_small_code_on_a_small_photo() -> None:
    page = page_with(qr_image(NUMBER, 3), (80, 600), size=(800, 1100))
    assert decode_qr(page) == NUMBER


def test_gray_input_and_no_code() -> None:
    assert decode_qr(cv2.cvtColor(page_with(qr_image("ABC123", 5), (300, 300)), cv2.COLOR_BGR2GRAY)) == "ABC123"
    assert decode_qr(page_with(np.full((10, 10), 238, np.uint8), (0, 0))) is None
