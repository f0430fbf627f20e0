"""Where the text is and which way it runs, from a small binarised copy of the page.

Three cheap facts, all from one ~1200 px binary image (a few tens of ms on A4):

* **glyph size** — the upper quartile of connected-component sizes;
* **line direction** (horizontal or vertical) — the docstrum idea: in a text block a
  glyph's nearest neighbour sits beside it on the same line, because characters are
  packed tighter than lines. Counting horizontal against vertical nearest-neighbour
  vectors tells which way the lines run, whatever the script's shapes;
* **text lines and skew** — closing the glyph mask along the line direction merges
  each line into one long blob; their minimum-area rectangles give line boxes (for the
  0°/180° classifier) and, by a length-weighted median of their angles, the skew.

Photos, QR codes, rules and seals are kept out by size: only glyph-sized components
take part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

ANALYSIS_SIDE = 1200  # longest side of the analysis copy, in pixels
MAX_POINTS = 2500  # nearest-neighbour points sampled (cost is quadratic in them)


@dataclass
class LineLayout:
    """What :func:`analyse` found, in the coordinates of the image it was given."""

    glyph_px: float = 0.0  # typical glyph height/width
    horizontal_votes: int = 0
    vertical_votes: int = 0
    skew_deg: float = 0.0  # angle of horizontal lines, image coordinates (y down): + = sloping down to the right
    lines: list[np.ndarray] = field(default_factory=list)  # 4×2 float32 boxes, longest first

    @property
    def direction(self) -> str | None:
        """``"h"``, ``"v"`` or ``None`` when there is too little text to tell."""
        h, v = self.horizontal_votes, self.vertical_votes
        if max(h, v) < 8 or max(h, v) < 1.25 * min(h, v):
            return None
        return "h" if h > v else "v"


def binarise(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Ink mask (255 = ink) of a grey page shrunk to ANALYSIS_SIDE, and the scale used."""
    h, w = grey.shape[:2]
    scale = min(1.0, ANALYSIS_SIDE / max(h, w))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    # Adaptive threshold copes with shading in photos; C keeps paper texture out.
    block = max(15, (int(max(small.shape) / 40) | 1))
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    return ink, scale


def glyph_mask(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Keep only glyph-sized components; return the mask, their centres and the glyph size."""
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return np.zeros_like(ink), np.zeros((0, 2), np.float32), 0.0
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    size = np.maximum(w, h)
    limit = 0.08 * max(ink.shape)
    plausible = (size >= 4) & (size <= limit) & (area >= 6)
    if plausible.sum() < 5:
        return np.zeros_like(ink), np.zeros((0, 2), np.float32), 0.0
    glyph = float(np.percentile(size[plausible], 75))
    keep = plausible & (size <= 2.5 * glyph) & (area >= 0.02 * glyph * glyph)
    # Components below a third of a glyph are dots and strokes of split characters:
    # they stay in the mask (lines need them) but not among the neighbour points.
    points = keep & (size >= 0.35 * glyph)
    lut = np.zeros(n, np.uint8)
    lut[1:][keep] = 255
    return lut[labels], centroids[1:][points].astype(np.float32), glyph


def direction_votes(points: np.ndarray, glyph: float, seed: int = 0) -> tuple[int, int]:
    """Count nearest-neighbour vectors within 30° of horizontal and of vertical."""
    if len(points) < 3:
        return 0, 0
    if len(points) > MAX_POINTS:
        points = points[np.random.default_rng(seed).choice(len(points), MAX_POINTS, replace=False)]
    horizontal = vertical = 0
    for start in range(0, len(points), 500):
        chunk = points[start:start + 500]
        d = chunk[:, None, :] - points[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        dist[np.arange(len(chunk)), np.arange(start, start + len(chunk))] = np.inf
        j = np.argmin(dist, axis=1)
        near = dist[np.arange(len(chunk)), j] < 2.5 * glyph
        vec = np.abs(d[np.arange(len(chunk)), j][near])
        ang = np.degrees(np.arctan2(vec[:, 1], vec[:, 0]))
        horizontal += int((ang < 30).sum())
        vertical += int((ang > 60).sum())
    return horizontal, vertical


def find_lines(mask: np.ndarray, glyph: float) -> tuple[list[np.ndarray], float]:
    """Horizontal text lines of a glyph mask: boxes (longest first) and the skew angle."""
    if glyph <= 0:
        return [], 0.0
    k = max(3, int(round(glyph * 0.9)))
    merged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    contours, _ = cv2.findContours(merged, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[float, float, np.ndarray]] = []
    for c in contours:
        (cx, cy), (rw, rh), ang = cv2.minAreaRect(c)
        if rw < rh:  # OpenCV measures the angle along the width: make width the long side
            rw, rh, ang = rh, rw, ang + 90
        ang = (ang + 90) % 180 - 90  # a line's direction is only defined modulo 180°
        if rw < 3 * glyph or rh > 2.2 * glyph or rh < 0.3 * glyph or abs(ang) > 20:
            continue
        box = cv2.boxPoints(((cx, cy), (rw, rh), ang))
        found.append((float(rw), float(ang), _order(box)))
    if not found:
        return [], 0.0
    found.sort(key=lambda t: -t[0])
    lengths = np.array([f[0] for f in found])
    angles = np.array([f[1] for f in found])
    return [f[2] for f in found], _weighted_median(angles, lengths)


def analyse(grey: np.ndarray) -> tuple[LineLayout, np.ndarray, float]:
    """Glyph size and direction votes of a grey page; also its glyph mask and scale."""
    ink, scale = binarise(grey)
    mask, points, glyph = glyph_mask(ink)
    h, v = direction_votes(points, glyph)
    return LineLayout(glyph_px=glyph / scale, horizontal_votes=h, vertical_votes=v), mask, scale


def _order(box: np.ndarray) -> np.ndarray:
    """Order 4 corners clockwise from the top-left (smallest x+y)."""
    box = np.asarray(box, np.float32)
    s, d = box.sum(axis=1), np.diff(box, axis=1)[:, 0]
    return np.array([box[np.argmin(s)], box[np.argmin(d)], box[np.argmax(s)], box[np.argmax(d)]],
                    np.float32)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])
