"""QR codes on skill certificates, decoded with OpenCV and kept as evidence.

OpenCV's detector misses codes that are small on a large page, low in contrast or
speckled, so several renderings of the page are tried in turn, cheapest first.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from zhanchi.extractors.marks_ink import as_bgr

_MAX_SIDE = 2600  # the detector slows sharply above this; QR modules stay large enough


def _views(bgr: np.ndarray) -> Iterator[np.ndarray]:
    longest = max(bgr.shape[:2])
    base = bgr
    if longest > _MAX_SIDE:
        f = _MAX_SIDE / longest
        base = cv2.resize(bgr, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    yield base
    gray = cv2.cvtColor(base, cv2.COLOR_BGR2GRAY)
    smooth = cv2.medianBlur(gray, 3)  # speckle breaks finder-pattern runs
    _, otsu = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    yield otsu
    block = max(31, (min(gray.shape) // 30) | 1)
    yield cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 10)
    if longest < 1600:  # small codes: more pixels per module help the finder
        up = cv2.resize(smooth, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        _, up_bin = cv2.threshold(up, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        yield up_bin
    if longest > 1200:  # large pages: a smaller copy sometimes locates the code better
        yield cv2.resize(otsu, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)


def decode_qr(image: object) -> str | None:
    """The text of the first QR code OpenCV can read on the page, or None.

    >>> decode_qr(np.full((100, 100, 3), 255, np.uint8)) is None
    True
    """
    bgr = as_bgr(image)
    # the ArUco-based finder is the cheaper of the two; each catches codes the other misses
    detectors = (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector())
    for view in _views(bgr):
        for det in detectors:
            try:
                text, _, _ = det.detectAndDecode(view)
            except cv2.error:
                continue
            if text:
                return str(text)
    return None
