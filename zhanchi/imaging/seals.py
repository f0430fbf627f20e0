"""Red seal ink: find it and take it off the copy the OCR engine reads.

Seals (公章) are stamped in red over printed black or blue text. In the red channel
red ink is nearly as bright as paper while black and blue ink stay dark, so inside a
seal region each pixel is replaced by its red-channel value: the ink fades to paper
and the text under it keeps its contrast. Red ink *outside* seal-shaped regions (a red
printed title, a red line) is left alone. The colour page itself is kept unchanged for
seal and fingerprint detection; only :func:`for_ocr`'s copy loses the seals.
"""

from __future__ import annotations

import cv2
import numpy as np

# Red hue wraps around 0 in OpenCV's 0–179 hue scale.
RED_LOW_HUE = 12
RED_HIGH_HUE = 160
MIN_SATURATION = 60
MIN_VALUE = 70
# Fading a seal (see fade_seal): how red a pixel must be to change, to count as seal ink
# when measuring the ink, and at most to count as paper.
REDDISH = 12
SEAL_INK = 60
PAPER_REDNESS = 10
MIN_INK_PIXELS = 50
FADE_KNEE = 0.95  # red level (× the seal ink's) from which a pixel becomes paper …
DARK_KNEE = 0.0  # … and up to which it is black print under the seal


def red_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of red ink (uint8 mask, 255 = red) of a BGR image."""
    if image.ndim != 3:
        return np.zeros(image.shape[:2], np.uint8)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = ((hue <= RED_LOW_HUE) | (hue >= RED_HIGH_HUE)) & (sat >= MIN_SATURATION) & (val >= MIN_VALUE)
    return red.astype(np.uint8) * 255


def seal_regions(image: np.ndarray, *, min_size: int | None = None) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of seal-shaped red areas: large and roughly round or square.

    ``min_size`` is the smallest seal side in pixels (default: 6 % of the page's short
    side, about 1.3 cm on A4, below any official seal).
    """
    h, w = image.shape[:2]
    if min_size is None:
        min_size = max(24, int(min(h, w) * 0.06))
    # Work at most at ~800 px: seals are large, and this keeps the pass to a few ms.
    scale = min(1.0, 800.0 / max(h, w))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    mask = red_mask(small)
    k = max(3, int(min_size * scale * 0.15)) | 1
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if min(bw, bh) < min_size * scale:
            continue
        if max(bw, bh) > 1.8 * min(bw, bh):
            continue  # elongated: red printed text or a rule, not a seal
        if area < 0.04 * bw * bh:
            continue
        pad = int(0.04 * max(bw, bh)) + 2
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(small.shape[1], x + bw + pad), min(small.shape[0], y + bh + pad)
        boxes.append((int(x0 / scale), int(y0 / scale), min(w, int(np.ceil(x1 / scale))),
                      min(h, int(np.ceil(y1 / scale)))))
    return _outermost(boxes)


def _outermost(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Drop boxes inside another (a seal's star and inner text inside its ring)."""
    boxes = sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    kept: list[tuple[int, int, int, int]] = []
    for b in boxes:
        if not any(k[0] <= b[0] and k[1] <= b[1] and k[2] >= b[2] and k[3] >= b[3] for k in kept):
            kept.append(b)
    return kept


def remove_red(image: np.ndarray, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """Replace pixels by their red-channel value (inside ``box`` or everywhere), in place."""
    x0, y0, x1, y1 = box if box is not None else (0, 0, image.shape[1], image.shape[0])
    region = image[y0:y1, x0:x1]
    red = region[..., 2].copy()
    # Keep ink that is dark in red too (black, blue): only pixels where red dominates
    # change, so antialiased black text edges are not lightened.
    reddish = (region[..., 2].astype(np.int16) - np.maximum(region[..., 0], region[..., 1])) > 25
    for c in range(3):
        channel = region[..., c]
        channel[reddish] = red[reddish]
    return image


def fade_seal(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Take the seal ink inside ``box`` off to the paper's own colour, in place.

    :func:`remove_red` keeps each red pixel's red channel, but seal ink is not a pure
    filter: its red channel sits well below the paper's (≈200 against ≈240), so it
    leaves a grey ghost of the ring and its wording that the engine reads as text
    (``业务专用章`` beside a value, ring characters interleaved with a name, a date's
    separator lost in the ring). Here the red channel is divided by the seal ink's own
    red level, measured in the box: the ink becomes paper, while black or blue print
    under it (dark in red too) stays dark in proportion to its own darkness.
    """
    x0, y0, x1, y1 = box
    region = image[y0:y1, x0:x1]
    if region.size == 0:
        return image
    r = region[..., 2].astype(np.float32)
    redness = r - np.maximum(region[..., 0], region[..., 1]).astype(np.float32)
    reddish = redness > REDDISH
    inked = redness > SEAL_INK
    if int(inked.sum()) < MIN_INK_PIXELS:
        return remove_red(image, box)
    plain = (redness < PAPER_REDNESS) & (r >= np.percentile(r, 50))
    paper = (np.median(region[plain], axis=0) if plain.any() else np.full(3, 255.0)).astype(np.float32)
    ink_r = float(np.median(r[inked]))
    # Relative darkness in red: 1 = as light as the seal ink alone (→ paper), 0 = black.
    # Ink a little darker than the median (a heavier stroke, two seals overlapping)
    # must fade as well, hence the knee at FADE_KNEE rather than at 1.
    x = np.clip(r[reddish] / max(ink_r, 1.0), 0.0, 1.0)
    level = np.clip((x - DARK_KNEE) / (FADE_KNEE - DARK_KNEE), 0.0, 1.0)
    region[reddish] = (level[:, None] * paper[None, :]).round().astype(np.uint8)
    return image


def for_ocr(image: np.ndarray) -> np.ndarray:
    """A copy of the page for the OCR engine, with red seal ink faded to paper.

    >>> import numpy as np
    >>> for_ocr(np.full((10, 10, 3), 255, np.uint8)).shape
    (10, 10, 3)
    """
    if image.ndim != 3 or image.shape[2] != 3:
        return image.copy()
    out = image.copy()
    for box in seal_regions(image):
        fade_seal(out, box)
    return out
