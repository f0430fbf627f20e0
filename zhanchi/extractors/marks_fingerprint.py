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
from zhanchi.models.pages import BBox

# transitions per pitch (rows + columns) above which ink counts as ridged: printed
# text and handwriting stay well below, fingertip ridges (~10 per pitch) well above
RIDGE_TRANSITIONS = 12.0
# …unless the whole page is dithered (fax of a blurred scan): then print itself is
# "ridged", and ridges must stand out from it by this factor
_ABOVE_PRINT = 1.25


def ridge_threshold(print_transitions: float | None) -> float:
    """Transitions per pitch that count as ridged on a page whose print shows ``print_transitions``."""
    if print_transitions is None:
        return RIDGE_TRANSITIONS
    return max(RIDGE_TRANSITIONS, _ABOVE_PRINT * print_transitions)


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


def find_seals(ink: np.ndarray, pitch: float) -> list[tuple[float, float, float]]:
    """Circles (cx, cy, r) covering round seals: a ring of 6–16 pitches across, mostly inked."""
    scale = 10.0 / pitch  # work at ~10 px per pitch: fast and enough for a 60+ px circle
    small = cv2.resize(ink.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if min(small.shape) < 40:
        return []
    small = cv2.GaussianBlur(small, (5, 5), 1.2)
    found = cv2.HoughCircles(
        small, cv2.HOUGH_GRADIENT, dp=1.5, minDist=40, param1=100, param2=30, minRadius=28, maxRadius=85
    )
    seals: list[tuple[float, float, float]] = []
    if found is None:
        return seals
    binary = small > 60
    for cx, cy, r in found[0]:
        angles = np.linspace(0, 2 * math.pi, 90, endpoint=False)
        hits = 0
        for a in angles:  # the ring must be there most of the way round
            xs = cx + np.array([r - 2, r, r + 2]) * math.cos(a)
            ys = cy + np.array([r - 2, r, r + 2]) * math.sin(a)
            xi = np.clip(xs.astype(int), 0, binary.shape[1] - 1)
            yi = np.clip(ys.astype(int), 0, binary.shape[0] - 1)
            hits += bool(binary[yi, xi].any())
        if hits / len(angles) >= 0.7:
            # Hough finds the ring's middle; report a circle that covers all of it
            seals.append((float(cx / scale), float(cy / scale), float(r / scale) * 1.06 + 0.2 * pitch))
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
    in_seal = np.zeros_like(ink_u8)
    for sx, sy, sr in seals:
        # the ring and the arc text go (a fingerprint touching them must not merge with
        # them); what is inside stays, but only ridged ink there can be a fingerprint
        cv2.circle(in_seal, (int(sx), int(sy)), int(sr), 1, -1)
        cv2.circle(ink_u8, (int(sx), int(sy)), int(0.86 * sr), 0, thickness=max(2, int(0.28 * sr)))
    ink = ink_u8.astype(bool)
    win = _odd(0.6 * pitch)
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
        texture = max(texture, 0.6 * _ramp(density, 0.15, 0.3))
    if in_seal:  # a seal's star and text are red and dense too: only ridges count there
        texture = ridged
    score = size * shape * texture
    h, w = comp.shape
    return BlobScore((at[0], at[1], at[0] + w, at[1] + h), score, major, minor, solidity, density, transitions, (0.0, 0.0))
