"""Fingerprint (手印) finding: a ridged, roughly elliptical blob of 1–3 cm.

Sizes are measured in printed character pitches (about 4–6 mm), so the rules hold at
any resolution. A fingerprint is 3–7 pitches tall, elliptical, and its ink lies in
fine parallel ridges: many ink/paper transitions per pitch at a middling ink density
(or, when the scan smeared the ridges, a dense solid ellipse). In colour the ink must
be red; on gray and binarised scans shape and ridge texture carry the decision. A
round official seal (larger, a thin ring with text and a star) is found first and
everything inside it is ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from zhanchi.extractors.marks_ink import ScanKind, dark_mask, red_mask, transitions_per_pitch
from zhanchi.extractors.marks_layout import LetterLayout
from zhanchi.models.pages import BBox

# transitions per pitch (rows + columns) above which ink counts as ridged: printed
# text and handwriting stay well below, fingertip ridges (~10 per pitch) well above
RIDGE_TRANSITIONS = 12.0
# …unless the whole page is dithered (fax of a blurred scan): then print itself is
# "ridged", and ridges must stand out from it by this factor
_ABOVE_PRINT = 1.25
# ink share (over 0.6 pitch) of red in a seal's ring band above which it is more than
# ring and arc text: a fingerprint pressed across the ring is ~0.85 there, while a
# seal's own ring and bold text reach it only in specks (< 0.1 pitch², gone by the opening)
_BAND_SOLID = 0.8


def ridge_threshold(print_transitions: float | None) -> float:
    """Transitions per pitch that count as ridged on a page whose print shows ``print_transitions``."""
    if print_transitions is None:
        return RIDGE_TRANSITIONS
    return max(RIDGE_TRANSITIONS, _ABOVE_PRINT * print_transitions)


def print_texture(bgr: np.ndarray, layout: LetterLayout) -> float | None:
    """Median transitions per pitch of the body print (high when a fax dithered the page)."""
    h, w = bgr.shape[:2]
    values = []
    for (x0, y0, x1, y1), _ in layout.reference:
        cut = bgr[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)]
        if cut.size:
            ink = dark_mask(cv2.cvtColor(cut, cv2.COLOR_BGR2GRAY))
            if ink.any():
                values.append(transitions_per_pitch(ink, layout.pitch)[ink])
    return float(np.median(np.concatenate(values))) if values else None


@dataclass(frozen=True)
class BlobScore:
    """One candidate blob and why it does or does not look like a fingerprint."""

    bbox: BBox  # page pixels
    score: float  # 0..1, >= 0.5 means fingerprint
    major: float  # in pitches
    minor: float
    solidity: float
    density: float  # ink fraction inside the blob
    transitions: float  # per pitch, rows + columns
    centre: tuple[float, float]
    ink_level: float = 0.0  # median gray of its ink (pen strokes across it are darker)


def _odd(n: float) -> int:
    k = max(3, int(round(n)))
    return k if k % 2 else k + 1


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 below ``lo``, 1 above ``hi``, linear between."""
    if hi == lo:
        return float(x >= hi)
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


def _ring_share(ink: np.ndarray, cx: float, cy: float, radii: np.ndarray, angles: int = 120) -> np.ndarray:
    """For each radius, the share of points round (cx, cy) that land on ink."""
    a = np.linspace(0, 2 * math.pi, angles, endpoint=False)
    xs = np.clip((cx + radii[:, None] * np.cos(a)).astype(int), 0, ink.shape[1] - 1)
    ys = np.clip((cy + radii[:, None] * np.sin(a)).astype(int), 0, ink.shape[0] - 1)
    return np.asarray(ink[ys, xs].mean(axis=1), np.float64)


def _centre_ring(
    ink: np.ndarray, cx: float, cy: float, radii: np.ndarray, pitch: float
) -> tuple[float, float, np.ndarray]:
    """Move a proposed centre (Hough is off by up to half a pitch) to where the ring is sharpest."""
    best = (cx, cy, _ring_share(ink, cx, cy, radii))
    step = max(1.0, 0.1 * pitch)
    for _ in range(2):  # coarse, then fine
        offsets = np.arange(-3, 4) * step
        for dx in offsets:
            for dy in offsets:
                share = _ring_share(ink, best[0] + dx, best[1] + dy, radii, angles=60)
                if share.max() > best[2].max():
                    best = (best[0] + dx, best[1] + dy, share)
        step /= 3
    return best[0], best[1], _ring_share(ink, best[0], best[1], radii)


def find_seals(ink: np.ndarray, pitch: float) -> list[tuple[float, float, float]]:
    """Circles (cx, cy, r) covering round seals: a ring of 6–16 pitches across, mostly inked."""
    scale = 10.0 / pitch  # work at ~10 px per pitch: fast and enough for a 60+ px circle
    small = cv2.resize(ink.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if min(small.shape) < 40:
        return []
    small = cv2.GaussianBlur(small, (5, 5), 1.2)
    found = cv2.HoughCircles(
        small, cv2.HOUGH_GRADIENT, dp=1.5, minDist=40, param1=100, param2=22, minRadius=28, maxRadius=85
    )
    seals: list[tuple[float, float, float]] = []
    if found is None:
        return seals
    # a fax dithers a seal's ring into dots: join them before measuring how inked it is
    joined = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    for cx, cy, r in found[0]:
        # Hough proposes centres (its radius may be the inner text ring); at full size a
        # seal's ring is a sharp peak of ink most of the way round with little just
        # outside it, which lines of text that a circle happens to cross never give
        cx, cy, r = cx / scale, cy / scale, r / scale
        if any(math.hypot(cx - sx, cy - sy) < 0.5 * sr for sx, sy, sr in seals):
            continue
        radii = np.arange(max(3.0 * pitch, 0.8 * r), min(8.5 * pitch, 1.5 * r), 1.0)
        if radii.size == 0:
            continue
        share = _ring_share(joined, cx, cy, radii)
        if share.max() < 0.3:
            continue
        cx, cy, share = _centre_ring(joined, cx, cy, radii, pitch)
        ring = int(np.argmax(share))
        beyond = share[(radii > radii[ring] + 0.3 * pitch) & (radii < radii[ring] + 0.7 * pitch)]
        if share[ring] < 0.6 or (beyond.size and float(beyond.mean()) > 0.5 * share[ring]):
            continue
        outer = radii[(share >= 0.25) & (radii >= radii[ring])]
        seals.append((float(cx), float(cy), float(outer.max()) + 0.3 * pitch))  # centre is ±2 px
    return seals


def blob_candidates(
    bgr: np.ndarray, kind: ScanKind, pitch: float, origin: tuple[int, int],
    ridges: float = RIDGE_TRANSITIONS,
) -> tuple[list[BlobScore], list[tuple[float, float, float]]]:
    """Score every blob in ``bgr`` (a window of the page at ``origin``) as a fingerprint.

    ``ridges`` is the transitions-per-pitch level that counts as ridged (:func:`ridge_threshold`).
    """
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    ink = red_mask(bgr) if kind == "colour" else dark_mask(gray)
    seals = find_seals(ink, pitch)
    ink_u8 = ink.astype(np.uint8)
    win = _odd(0.6 * pitch)
    in_seal = np.zeros_like(ink_u8)
    band = np.zeros_like(ink_u8)
    for sx, sy, sr in seals:
        # the ring and the arc text go (a fingerprint touching them must not merge with
        # them); what is inside stays, but only ridged ink there can be a fingerprint
        cv2.circle(in_seal, (int(sx), int(sy)), int(0.72 * sr) if kind == "colour" else int(sr), 1, -1)
        cv2.circle(band, (int(sx), int(sy)), int(0.86 * sr), 1, thickness=max(2, int(0.28 * sr)))
    if kind == "colour" and seals:
        # …except red far denser than a thin ring and its text: the part of a red
        # fingerprint pressed across the ring, which would otherwise be cut off it
        solid = cv2.blur(ink_u8.astype(np.float32), (win, win)) >= _BAND_SOLID
        band[solid] = 0
    ink_u8[band == 1] = 0
    ink = ink_u8.astype(bool)
    t_map = transitions_per_pitch(ink_u8, pitch)
    d_map = cv2.blur(ink_u8.astype(np.float32), (win, win))
    # pen and print are not ridged: keep ridged areas and dense smears only
    # (a fax dithers the red ridges into sparse dots: low density, many transitions)
    ridged = (t_map >= ridges) & (d_map >= 0.07)
    if kind == "colour":  # red is rare on a letter: any red area is a candidate
        body = np.where(in_seal == 1, ridged, d_map >= 0.12)
    else:
        body = ridged | ((d_map >= 0.85) & (in_seal == 0))
    body_u8: np.ndarray = body.astype(np.uint8)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_odd(0.3 * pitch), _odd(0.3 * pitch)))
    body_u8 = cv2.morphologyEx(body_u8, cv2.MORPH_CLOSE, k)
    # a wide opening cuts off pen strokes that cross the print and stick out of it
    k_open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_odd(0.6 * pitch), _odd(0.6 * pitch)))
    body_u8 = cv2.morphologyEx(body_u8, cv2.MORPH_OPEN, k_open)
    n, labels, stats, cents = cv2.connectedComponentsWithStats(body_u8, connectivity=8)
    out: list[BlobScore] = []
    min_area = (1.2 * pitch) ** 2
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area < min_area:
            continue
        cx, cy = float(cents[i][0]), float(cents[i][1])
        comp = labels[y : y + h, x : x + w] == i
        cut = (slice(y, y + h), slice(x, x + w))
        sealed = bool(in_seal[int(cy), int(cx)])
        blob = _score(comp, ink[cut], t_map[cut], kind, pitch, (x + origin[0], y + origin[1]), sealed, ridges)
        inked = gray[cut][comp & ink[cut]]
        level = float(np.median(inked)) if inked.size else 0.0
        out.append(replace(blob, centre=(cx + origin[0], cy + origin[1]), ink_level=level))
    return out, [(sx + origin[0], sy + origin[1], sr) for sx, sy, sr in seals]


def _score(
    comp: np.ndarray,
    ink: np.ndarray,
    t_map: np.ndarray,
    kind: ScanKind,
    pitch: float,
    at: tuple[int, int],
    in_seal: bool = False,
    ridges: float = RIDGE_TRANSITIONS,
) -> BlobScore:
    ys, xs = np.nonzero(comp)
    cov = np.cov(np.vstack([xs, ys]).astype(np.float64))
    ev = np.sort(np.linalg.eigvalsh(cov))[::-1]
    major = 4 * math.sqrt(max(ev[0], 1e-6)) / pitch
    minor = 4 * math.sqrt(max(ev[1], 1e-6)) / pitch
    contours, _ = cv2.findContours(comp.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull_area = cv2.contourArea(cv2.convexHull(max(contours, key=cv2.contourArea)))
    solidity = float(comp.sum()) / max(1.0, hull_area)
    density = float(ink[comp].mean())
    transitions = float(t_map[comp].mean())
    ellipse_fill = float(comp.sum()) / (math.pi / 4 * major * minor * pitch * pitch)

    size = min(_ramp(major, 1.8, 2.4), 1 - _ramp(major, 7.0, 8.5), _ramp(minor, 1.2, 1.6))
    # strong ridges are evidence enough to forgive a ragged outline (binarisation keeps
    # only the darker half of a light print: a crescent)
    loose = _ramp(transitions, 1.25 * ridges, 1.45 * ridges)
    shape = min(_ramp(solidity, 0.72 - 0.15 * loose, 0.85 - 0.15 * loose),
                1 - _ramp(major / max(minor, 1e-6), 2.2, 2.8),
                _ramp(ellipse_fill, 0.65 - 0.15 * loose, 0.8 - 0.15 * loose))
    ridged = min(_ramp(transitions, ridges * 0.8, ridges * 1.2),
                 _ramp(density, 0.07, 0.12), 1 - _ramp(density, 0.8, 0.9))
    smeared = min(_ramp(density, 0.75, 0.85), _ramp(solidity, 0.88, 0.93), _ramp(ellipse_fill, 0.85, 0.92))
    texture = max(ridged, smeared)
    if kind == "colour":  # red already says "ink pad": a red blob of the right size and shape
        texture = max(texture, 0.9 * _ramp(density, 0.15, 0.3))
    if in_seal:  # a seal's star and text are red and dense too: only ridges count there
        texture = ridged
    score = size * shape * texture
    h, w = comp.shape
    return BlobScore((at[0], at[1], at[0] + w, at[1] + h), score, major, minor, solidity, density, transitions, (0.0, 0.0))
