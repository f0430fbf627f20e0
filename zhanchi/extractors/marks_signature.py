"""Signature finding: pen strokes right of ``承诺人：`` once printed text is accounted for.

What remains in the signing region after blanking the printed lines, printed rules and
(on gray scans) the fingerprint is handwriting or scanner dust. Dust is small and
isolated; a signature is a few characters of strokes, so the decision is the amount of
stroke ink measured in printed-character areas (pitch²).

People often sign over the printed ``（签字、手印）`` hint, so the template's own boxes are
not blanked: the ink in them is compared with what that much print leaves on this page
(measured on the body lines), and only the excess counts as handwriting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from zhanchi.extractors.marks_ink import transitions_per_pitch
from zhanchi.models.pages import BBox

# ink (in pitch²) of a clear signature: two handwritten characters with thin ballpoint
# strokes already carry about 0.5; residue of printed text and dust stays below 0.1
_INK_ABSENT = 0.10
_INK_PRESENT = 0.30
# print ink per CJK character in pitch² when the page has no body line to measure
# (Song/Ming faces at 12–16 pt measure 0.16–0.27)
DEFAULT_PRINT_DENSITY = 0.2
# the template's ink may exceed its expected print ink by this much before it counts as pen
_PRINT_SLACK = 1.15
# the template's characters are simpler than the body's: ~0.85 of the body's ink each
# (Ming faces 12–16 pt); ``承诺人：`` on the same row predicts the hint better (±4 %)
TEMPLATE_TO_BODY = 0.85
# mean transitions per pitch of a fingerprint fragment, as multiples of the page's ridge
# level (12 on an ordinary scan, where strokes stay below 15; higher on dithered pages)
_RIDGED = 1.5
_RIDGED_NEAR_PRINT = 1.1  # … for a fragment lying mostly round a found fingerprint


@dataclass(frozen=True)
class SignatureScore:
    """How much handwriting is in the signing region and where."""

    probability: float  # 0..1, >= 0.5 means signed
    ink: float  # stroke ink in pitch²
    bbox: BBox | None  # page pixels


def ink_weight(text: str) -> float:
    """How much ink a printed string carries, in CJK-character units (punctuation is light)."""
    return sum(1.0 if "\u4e00" <= c <= "\u9fff" else 0.3 for c in text if not c.isspace())


def print_density(body: Sequence[tuple[int, str]], prefix: tuple[int, str] | None, pitch: float) -> float:
    """Expected print ink per CJK character (pitch²) of the template on this page.

    ``body`` and ``prefix`` are (ink pixels, text) of printed body lines and of the
    ``承诺人：`` box. The prefix is the same face and size as the hint beside it, so it is
    preferred unless it disagrees with the body (a fingerprint or stroke over it).
    """
    vals = [n / ink_weight(t) / (pitch * pitch) for n, t in body if ink_weight(t) >= 5]
    from_body = TEMPLATE_TO_BODY * (float(np.median(vals)) if vals else DEFAULT_PRINT_DENSITY)
    if prefix is None or ink_weight(prefix[1]) < 2:
        return from_body
    from_prefix = prefix[0] / ink_weight(prefix[1]) / (pitch * pitch)
    return from_prefix if 0.7 * from_body <= from_prefix <= 1.3 * from_body else from_body


def _strokes(
    ink: np.ndarray, pitch: float, ridges: float, near_print: np.ndarray | None = None
) -> list[np.ndarray]:
    """Components that look like pen strokes, as stats rows (x, y, w, h, area).

    Dust is too small; fingerprint ridges left outside the blanked fingerprint (or on
    a gray scan whose fingerprint was not found) are too finely ridged, and a ridged
    fragment lying mostly in ``near_print`` (round the found fingerprint) is its rim.
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = max(4.0, 0.012 * pitch * pitch)
    min_extent = 0.15 * pitch
    t_map = transitions_per_pitch(ink, pitch)
    kept = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area < min_area or max(w, h) < min_extent:
            continue
        comp = labels[y : y + h, x : x + w] == i
        ridged = float(t_map[y : y + h, x : x + w][comp].mean())
        if ridged >= _RIDGED * ridges:
            continue
        if near_print is not None and ridged >= _RIDGED_NEAR_PRINT * ridges:
            if float(near_print[y : y + h, x : x + w][comp].mean()) >= 0.5:
                continue
        kept.append(stats[i])
    return kept


def score_signature(
    pen: np.ndarray,
    origin: tuple[int, int],
    blank: np.ndarray,
    template: Sequence[tuple[BBox, str]],
    density: float,
    pitch: float,
    fingerprint_zone: np.ndarray | None = None,
    ridges: float = 12.0,
) -> SignatureScore:
    """Measure handwriting in ``pen``, the pen-ink mask of the signing region at ``origin``.

    ``blank`` (same shape) marks pixels to ignore; ``template`` lists the printed
    template boxes on the row (page pixels) with their text; ``density`` is the
    template's expected print ink per CJK character in pitch² (:func:`print_density`);
    ``fingerprint_zone`` (same shape) marks the surroundings of a found fingerprint;
    ``ridges`` is the page's ridge level (``marks_fingerprint.ridge_threshold``).
    """
    x0, y0 = origin
    if pen.size == 0:
        return SignatureScore(0.0, 0.0, None)
    ink = (pen & ~blank.astype(bool)).astype(np.uint8)
    # printed rules (a signing underline, table borders) are long and straight; strokes are not
    long = max(5, int(2.5 * pitch))
    rules = np.maximum(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, long), np.uint8)),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8)),
    )
    ink &= 1 - cv2.dilate(rules, np.ones((3, 3), np.uint8))

    in_template = np.zeros_like(ink)
    for (bx0, by0, bx1, by1), _ in template:
        in_template[max(0, by0 - y0) : max(0, by1 - y0), max(0, bx0 - x0) : max(0, bx1 - x0)] = 1
    outside = ink & (1 - in_template)
    kept = _strokes(outside, pitch, ridges, fingerprint_zone)
    total = float(sum(int(s[4]) for s in kept)) / (pitch * pitch)
    boxes = [(int(s[0]) + x0, int(s[1]) + y0, int(s[0] + s[2]) + x0, int(s[1] + s[3]) + y0) for s in kept]

    for box, text in template:
        bx0, by0, bx1, by1 = (max(0, box[0] - x0), max(0, box[1] - y0), max(0, box[2] - x0), max(0, box[3] - y0))
        inside = ink[by0:by1, bx0:bx1] & in_template[by0:by1, bx0:bx1]
        if inside.size == 0:
            continue
        found = float(sum(int(s[4]) for s in _strokes(inside, pitch, ridges, fingerprint_zone))) / (pitch * pitch)
        excess = found - _PRINT_SLACK * density * ink_weight(text)
        if excess > 0:
            total += excess
            if excess > _INK_ABSENT:
                boxes.append((bx0 + x0, by0 + y0, bx1 + x0, by1 + y0))

    if not boxes:
        return SignatureScore(0.0, total, None)
    union = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    extent = max(union[2] - union[0], union[3] - union[1]) / pitch
    prob = (total - _INK_ABSENT) / (_INK_PRESENT - _INK_ABSENT)
    if extent < 0.6:  # a dot or a short dash is not a name
        prob = min(prob, 0.3)
    prob = float(min(1.0, max(0.0, prob)))
    return SignatureScore(prob, total, union if prob >= 0.5 else None)
