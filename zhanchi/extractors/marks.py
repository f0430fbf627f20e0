"""The applicant's marks on a 承诺书: handwritten signature and fingerprint (手印).

SPEC §5 makes ``has_signature`` and ``has_fingerprint`` fields every letter carries,
and §6 routes their absence to review (``signature_missing``, ``fingerprint_missing``).
:func:`detect_marks` looks at the upright page image around the ``承诺人： （签字、手印）``
line found in the OCR lines; :func:`decode_qr` reads certificate QR codes as evidence.

Pieces: ``marks_layout`` (where to look, from OCR), ``marks_ink`` (colour / gray /
binarised scans and their ink masks), ``marks_signature``, ``marks_fingerprint``,
``marks_qr``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict

from zhanchi.extractors.marks_fingerprint import BlobScore, blob_candidates, ridge_threshold
from zhanchi.extractors.marks_ink import (
    ScanKind,
    as_bgr,
    dark_mask,
    pen_mask,
    scan_kind,
    transitions_per_pitch,
)
from zhanchi.extractors.marks_layout import LetterLayout, find_layout, is_anchor_text
from zhanchi.extractors.marks_qr import decode_qr
from zhanchi.extractors.marks_signature import (
    SignatureScore,
    print_density,
    score_signature,
)
from zhanchi.models.documents import ExtractedField
from zhanchi.models.pages import BBox, ReadPage

__all__ = ["Marks", "decode_qr", "detect_marks"]

# how far the evidence of "nothing there" can be trusted per scan kind: binarisation
# can wipe out a light pink fingerprint, so its absence on such scans is less certain
_ABSENCE_TRUST: dict[ScanKind, float] = {"colour": 1.0, "gray": 0.9, "binary": 0.85}
_NO_ANCHOR_TRUST = 0.75  # regions were guessed without the 承诺人 line
# share of ink pixels with at most one inked neighbour: dither 0.2-0.9, Otsu ridges < 0.15
_DOTTED = 0.2


class Marks(BaseModel):
    """What :func:`detect_marks` found on a letter page.

    Confidences are in the reported boolean (a confident ``False`` is near 1.0 too);
    0.0 means the page had no image to look at. Boxes are ``[x0, y0, x1, y1]`` in
    pixels of the page image.
    """

    model_config = ConfigDict(frozen=True)

    has_signature: bool
    signature_confidence: float
    signature_bbox: list[int] | None = None
    has_fingerprint: bool
    fingerprint_confidence: float
    fingerprint_bbox: list[int] | None = None
    scan_kind: str = "colour"  # colour | gray | binary: which evidence was available
    anchor_found: bool = False  # the 承诺人 line was located in the OCR lines

    def to_fields(self, page: int = 1) -> dict[str, ExtractedField]:
        """The two SPEC §5 letter fields, with their boxes on ``page``."""
        return {
            "has_signature": ExtractedField(
                value=self.has_signature, confidence=self.signature_confidence, page=page, bbox=self.signature_bbox
            ),
            "has_fingerprint": ExtractedField(
                value=self.has_fingerprint, confidence=self.fingerprint_confidence, page=page, bbox=self.fingerprint_bbox
            ),
        }


def _pad(box: BBox, by: float, w: int, h: int) -> BBox:
    return (max(0, int(box[0] - by)), max(0, int(box[1] - by)), min(w, int(box[2] + by)), min(h, int(box[3] + by)))


def _inside(point: tuple[float, float], box: BBox) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _pick_fingerprint(cands: list[BlobScore], layout: LetterLayout) -> BlobScore | None:
    """The fingerprint nearest the 承诺人 hint among convincing blobs, else the best one."""
    near = [c for c in cands if _inside(c.centre, layout.fingerprint_region)]
    if not near:
        return None
    good = [c for c in near if c.score >= 0.5]
    if good:
        ax, ay = layout.anchor_point
        return min(good, key=lambda c: math.hypot(c.centre[0] - ax, c.centre[1] - ay) - 3 * layout.pitch * c.score)
    return max(near, key=lambda c: c.score)


def _confidence(p: float, kind: ScanKind, anchored: bool) -> float:
    conf = 0.5 + abs(p - 0.5)
    if p < 0.5:
        conf = 0.5 + (conf - 0.5) * _ABSENCE_TRUST[kind]
    if not anchored:
        conf = 0.5 + (conf - 0.5) * _NO_ANCHOR_TRUST
    return round(conf, 3)


def _dotted(ink: np.ndarray) -> bool:
    """Whether ink is a dither of dots (a fax's mid-tones) rather than solid lines."""
    if not ink.any():
        return False
    u = ink.astype(np.float32)
    neighbours = cv2.filter2D(u, -1, np.ones((3, 3), np.float32), borderType=cv2.BORDER_CONSTANT) - u
    return float(((neighbours <= 1) & ink).sum()) >= _DOTTED * float(ink.sum())


def _print_texture(bgr: np.ndarray, kind: ScanKind, layout: LetterLayout) -> float | None:
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


def _signature(
    bgr: np.ndarray,
    kind: ScanKind,
    layout: LetterLayout,
    seals: list[tuple[float, float, float]],
    fingerprint: BlobScore | None,
    ridges: float,
) -> SignatureScore:
    """Score the signing region once print, seals and (gray scans) the fingerprint are set aside."""
    x0, y0, x1, y1 = layout.signature_region
    crop = bgr[y0:y1, x0:x1]
    if crop.size == 0:
        return SignatureScore(0.0, 0.0, None)
    pitch = layout.pitch
    pen = pen_mask(crop, kind, pitch)
    blank = np.zeros(pen.shape, np.uint8)
    for bx0, by0, bx1, by1 in layout.printed:
        blank[max(0, by0 - y0) : max(0, by1 - y0), max(0, bx0 - x0) : max(0, bx1 - x0)] = 1
    zone = None
    if fingerprint is not None:
        fx0, fy0, fx1, fy1 = fingerprint.bbox
        centre = (int((fx0 + fx1) / 2 - x0), int((fy0 + fy1) / 2 - y0))
        half = ((fx1 - fx0) / 2, (fy1 - fy0) / 2)
        zone = np.zeros(pen.shape, np.uint8)
        cv2.ellipse(zone, centre, (int(half[0] + 1.2 * pitch), int(half[1] + 1.2 * pitch)), 0, 0, 360, 1, -1)
    if kind != "colour":  # red is already out of the pen mask in colour
        for sx, sy, r in seals:
            cv2.circle(blank, (int(sx - x0), int(sy - y0)), int(r), 1, -1)
        if fingerprint is not None:
            ell = np.zeros_like(blank)
            # the padding takes in the faint rim the blob's outline leaves out
            cv2.ellipse(ell, centre, (int(half[0] + 0.5 * pitch), int(half[1] + 0.5 * pitch)), 0, 0, 360, 1, -1)
            if kind == "gray":  # pen strokes under a gray fingerprint are darker than its ridges
                keep = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < fingerprint.ink_level - 35
            elif _dotted(pen & (ell == 1)):  # a fax dithers the ridges into dots, pen stays solid
                keep = cv2.morphologyEx(pen.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
            else:  # Otsu keeps ridges as solid as strokes: nothing under the print can be told apart
                keep = np.zeros(pen.shape, bool)
            pen = (pen & (ell == 0)) | (keep & (ell == 1))
    h, w = bgr.shape[:2]

    def ink_in(box: BBox) -> int:
        cut = bgr[max(0, box[1]) : min(h, box[3]), max(0, box[0]) : min(w, box[2])]
        return int(pen_mask(cut, kind, pitch).sum()) if cut.size else 0

    body = [(ink_in(box), text) for box, text in layout.reference]
    prefix = next(((ink_in(box), t) for box, t in layout.template if is_anchor_text(t)), None)
    density = print_density(body, prefix, pitch)
    if kind == "binary" and _dotted(pen & (blank == 0)):  # a fax dithered faint pen into dots: rejoin them
        pen = cv2.morphologyEx(pen.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) > 0
    return score_signature(pen, (x0, y0), blank, layout.template, density, pitch, zone, ridges)


def detect_marks(page: ReadPage) -> Marks:
    """Find the signature and the fingerprint on an upright 承诺书 page.

    Uses ``page.image`` (BGR, gray or BGRA array) and ``page.ocr.lines`` (same pixel
    frame). Colour scans are judged by colour (red ink-pad vs dark/blue pen); gray and
    binarised scans by shape and ridge texture.
    """
    if page.image is None:
        return Marks(has_signature=False, signature_confidence=0.0, has_fingerprint=False, fingerprint_confidence=0.0)
    bgr = as_bgr(page.image)
    height, width = bgr.shape[:2]
    kind = scan_kind(bgr)
    layout = find_layout(page.ocr.lines, width, height)
    pitch = layout.pitch

    # fingerprint first: on gray scans its ink must then be kept out of the signature
    wx0, wy0, wx1, wy1 = _pad(layout.fingerprint_region, 8 * pitch, width, height)
    ridges = ridge_threshold(_print_texture(bgr, kind, layout) if kind != "colour" else None)
    cands, seals = blob_candidates(bgr[wy0:wy1, wx0:wx1], kind, pitch, (wx0, wy0), ridges)
    best = _pick_fingerprint(cands, layout)
    fp_score = best.score if best is not None else 0.0
    has_fp = fp_score >= 0.5

    sig = _signature(bgr, kind, layout, seals, best if has_fp else None, ridges)
    return Marks(
        has_signature=sig.probability >= 0.5,
        signature_confidence=_confidence(sig.probability, kind, layout.anchor_found),
        signature_bbox=list(sig.bbox) if sig.bbox else None,
        has_fingerprint=has_fp,
        fingerprint_confidence=_confidence(fp_score, kind, layout.anchor_found),
        fingerprint_bbox=list(best.bbox) if has_fp and best is not None else None,
        scan_kind=kind,
        anchor_found=layout.anchor_found,
    )
