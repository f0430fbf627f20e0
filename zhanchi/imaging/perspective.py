"""Phone photos: find the sheet on the desk, warp it flat, even out the light.

A photographed page is a bright quadrilateral on a darker background. It is looked for
on a ~640 px copy (Otsu split of paper against desk, then the largest 4-corner convex
contour). A quadrilateral counts only when it is large, does not merely trace the
image border, and is clearly brighter than what surrounds it: a scan (all paper) or a
page with a printed frame (paper on both sides of the frame) is left alone.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

SEARCH_SIDE = 640
MIN_AREA = 0.2  # of the image
MIN_CONTRAST = 35  # grey levels between the sheet and its surroundings
A4 = math.sqrt(2.0)
A4_SNAP = 0.15  # measured aspect within 15 % of A4: call it A4


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points clockwise from the top-left."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen (y down), starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def find_page_quad(image: np.ndarray) -> np.ndarray | None:
    """Corners (4×2, clockwise from top-left, image pixels) of a photographed sheet, or None."""
    h, w = image.shape[:2]
    scale = min(1.0, SEARCH_SIDE / max(h, w))
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Close the text holes so the sheet is one solid region.
    k = max(5, int(max(small.shape) * 0.03)) | 1
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    sh, sw = small.shape[:2]
    best: np.ndarray | None = None
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        area = cv2.contourArea(c)
        if area < MIN_AREA * sh * sw:
            break
        hull = cv2.convexHull(c)
        quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(quad) != 4 or not cv2.isContourConvex(quad):
            continue
        best = order_corners(quad.reshape(4, 2).astype(np.float32))
        break
    if best is None or _traces_border(best, sw, sh) or not _stands_out(small, best):
        return None
    return best / scale


def _traces_border(quad: np.ndarray, w: int, h: int) -> bool:
    """True when the quad is (nearly) the image itself: a scan, not a photo."""
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return bool(np.all(np.linalg.norm(quad - corners, axis=1) < 0.03 * max(w, h)))


def _stands_out(grey: np.ndarray, quad: np.ndarray) -> bool:
    """The sheet must be clearly brighter than a band around it."""
    inside = np.zeros_like(grey)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    k = max(5, int(max(grey.shape) * 0.04)) | 1
    ring = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))) & ~inside
    if cv2.countNonZero(ring) < 50:
        return False
    return float(np.median(grey[inside > 0])) - float(np.median(grey[ring > 0])) >= MIN_CONTRAST


def target_size(quad: np.ndarray) -> tuple[int, int]:
    """Output width and height: the sheet's measured size, snapped to A4 when close."""
    tl, tr, br, bl = quad
    top, bottom = float(np.linalg.norm(tr - tl)), float(np.linalg.norm(br - bl))
    left, right = float(np.linalg.norm(bl - tl)), float(np.linalg.norm(br - tr))
    width, height = (top + bottom) / 2, (left + right) / 2
    long_side = max(top, bottom, left, right)
    aspect = height / max(width, 1.0)
    if abs(aspect / A4 - 1) <= A4_SNAP:
        aspect = A4
    elif abs(aspect * A4 - 1) <= A4_SNAP:
        aspect = 1 / A4
    if aspect >= 1:
        return int(round(long_side / aspect)), int(round(long_side))
    return int(round(long_side)), int(round(long_side * aspect))


def flatten(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the sheet inside ``quad`` to an upright rectangle."""
    w, h = target_size(quad)
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(np.asarray(quad, np.float32), dst)
    return cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def even_lighting(image: np.ndarray) -> np.ndarray:
    """Divide out the paper's shading, per channel (also removes a colour cast).

    The background is the page with its ink closed away (a max filter wider than any
    stroke), blurred and scaled back up; every channel is divided by it.
    """
    h, w = image.shape[:2]
    scale = min(1.0, 500.0 / max(h, w))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(7, int(max(small.shape[:2]) * 0.04)) | 1
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (k, k), 0)
    bg = cv2.resize(np.maximum(bg, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(image, bg, scale=255.0)  # uint8 in, saturated uint8 out: fast


def flatten_photo(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Flatten and even out a phone photo; a scan comes back unchanged with ``None``."""
    quad = find_page_quad(image)
    if quad is None:
        return image, None
    return even_lighting(flatten(image, quad)), quad
