"""Small-angle deskew: measure the slope of the text lines and rotate it away.

Angles follow one convention across ``zhanchi.imaging``: *degrees applied clockwise*
(as ``PageRef.rotation`` does for quarter turns). A page scanned 3° counter-clockwise
is fixed by ``deskew_deg = 3.0``. The canvas grows to keep every pixel and the new
corners are filled with white, so nothing printed near an edge is cut off.
"""

from __future__ import annotations

import cv2
import numpy as np

from zhanchi.imaging.textlines import analyse, find_lines

MAX_SKEW_DEG = 10.0  # beyond this a slope is more likely layout (a slanted stamp) than skew
MIN_SKEW_DEG = 0.2  # below this a resample costs more sharpness than it gains


def skew_angle(image: np.ndarray) -> float:
    """Clockwise degrees that would level the text lines of an upright page (0 if unsure).

    >>> import numpy as np
    >>> skew_angle(np.full((100, 100, 3), 255, np.uint8))
    0.0
    """
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    layout, mask, scale = analyse(grey)
    _, slope = find_lines(mask, layout.glyph_px * scale)
    return correction_for(slope)


def correction_for(slope_deg: float) -> float:
    """Clockwise correction for lines sloping ``slope_deg`` (image coordinates, y down)."""
    if not MIN_SKEW_DEG <= abs(slope_deg) <= MAX_SKEW_DEG:
        return 0.0
    return -float(slope_deg)


def rotate_cw(image: np.ndarray, degrees_cw: float,
              fill: tuple[int, int, int] = (255, 255, 255)) -> tuple[np.ndarray, np.ndarray]:
    """Rotate by a small clockwise angle on a canvas grown to fit, white corners.

    Returns the image and the 2×3 affine matrix that maps old pixel positions to new
    ones (for moving boxes along with the page).
    """
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -degrees_cw, 1.0)  # OpenCV: + = counter-clockwise
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    border = fill if image.ndim == 3 else int(np.mean(fill))
    out = cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return out, m


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    """Level the text lines of an upright page; returns the image and the angle applied."""
    angle = skew_angle(image)
    if angle == 0.0:
        return image, 0.0
    out, _ = rotate_cw(image, angle)
    return out, angle
