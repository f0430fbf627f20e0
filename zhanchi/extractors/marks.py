"""The applicant's marks on a 承诺书: handwritten signature and fingerprint (手印).

SPEC §5 makes ``has_signature`` and ``has_fingerprint`` fields every letter carries,
and §6 routes their absence to review (``signature_missing``, ``fingerprint_missing``).
:func:`detect_marks` looks at the upright page image around the ``承诺人： （签字、手印）``
line found in the OCR lines; :func:`decode_qr` reads certificate QR codes as evidence.

Pieces: ``marks_layout`` (where to look, from OCR), ``marks_hint`` (the printed
template found by its look when OCR missed it), ``marks_ink`` (colour / gray /
binarised scans and their ink masks), ``marks_fingerprint`` (blobs and seals),
``marks_pen`` (what in the signing region is pen), ``marks_signature`` (how much of
it is handwriting), ``marks_qr``.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from zhanchi.extractors.marks_fingerprint import (
    BlobScore,
    blob_candidates,
    print_texture,
    ridge_threshold,
)
from zhanchi.extractors.marks_hint import complete_template
from zhanchi.extractors.marks_ink import ScanKind, as_bgr, scan_kind
from zhanchi.extractors.marks_layout import LetterLayout, find_layout
from zhanchi.extractors.marks_pen import signature_evidence
from zhanchi.extractors.marks_qr import decode_qr
from zhanchi.models.documents import ExtractedField
from zhanchi.models.pages import BBox, ReadPage

__all__ = ["Marks", "decode_qr", "detect_marks"]

# how far the evidence of "nothing there" can be trusted per scan kind: binarisation
# can wipe out a light pink fingerprint, so its absence on such scans is less certain
_ABSENCE_TRUST: dict[ScanKind, float] = {"colour": 1.0, "gray": 0.9, "binary": 0.85}
_NO_ANCHOR_TRUST = 0.75  # regions were guessed without the 承诺人 line
_UNDER_SEAL_TRUST = 0.6  # "no fingerprint" where a seal covers the place it would be


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
    scan_kind: ScanKind = "colour"  # which evidence the page could offer
    anchor_found: bool = False  # the 承诺人 line was located in the OCR lines
    # for reading the name from the pen alone (:mod:`.signer_ink`): the printed character
    # advance, and the evidence the fingerprint was found by and its ink's gray level
    pitch: float = 0.0
    fingerprint_kind: ScanKind | None = None
    fingerprint_ink_level: float = 0.0
    hint_x0: int | None = None  # where the printed （签字、手印） begins, when it was placed

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


def _overlaps(circle: tuple[float, float, float], box: BBox) -> bool:
    cx, cy, r = circle
    nx, ny = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return math.hypot(cx - nx, cy - ny) < r


def _confidence(p: float, kind: ScanKind, anchored: bool, hidden: bool = False) -> float:
    conf = 0.5 + abs(p - 0.5)
    if p < 0.5:
        conf = 0.5 + (conf - 0.5) * _ABSENCE_TRUST[kind] * (_UNDER_SEAL_TRUST if hidden else 1.0)
    if not anchored:
        conf = 0.5 + (conf - 0.5) * _NO_ANCHOR_TRUST
    return round(conf, 3)


def _fingerprint(
    bgr: np.ndarray, kind: ScanKind, layout: LetterLayout, window: BBox
) -> tuple[BlobScore | None, list[tuple[float, float, float]], ScanKind]:
    """The fingerprint blob (if any), the seals seen, and the kind of evidence that found it.

    A colour page without a red fingerprint may be a photo of a photocopy (colour cast,
    gray fingerprint): then it is searched again as a gray page.
    """
    x0, y0, x1, y1 = window
    cut = bgr[y0:y1, x0:x1]
    ridges = ridge_threshold(print_texture(bgr, layout) if kind != "colour" else None)
    cands, seals = blob_candidates(cut, kind, layout.pitch, (x0, y0), ridges)
    best = _pick_fingerprint(cands, layout)
    if kind != "colour" or (best is not None and best.score >= 0.5):
        return best, seals, kind
    ridges = ridge_threshold(print_texture(bgr, layout))
    gray_cands, gray_seals = blob_candidates(cut, "gray", layout.pitch, (x0, y0), ridges)
    gray_best = _pick_fingerprint(gray_cands, layout)
    if gray_best is not None and gray_best.score >= 0.5:
        return gray_best, seals + gray_seals, "gray"
    return best, seals, kind


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
    layout = complete_template(find_layout(page.ocr.lines, width, height), bgr)
    pitch = layout.pitch

    # fingerprint first: on gray scans its ink must then be kept out of the signature
    window = _pad(layout.fingerprint_region, 8 * pitch, width, height)
    best, seals, fp_kind = _fingerprint(bgr, kind, layout, window)
    fp_score = best.score if best is not None else 0.0
    has_fp = fp_score >= 0.5
    # a seal stamped over the signing row can hide a fingerprint (only ridges count in it)
    hidden = any(_overlaps(seal, layout.fingerprint_region) for seal in seals)

    ridges = ridge_threshold(print_texture(bgr, layout) if kind != "colour" else None)
    sig = signature_evidence(bgr, kind, layout, seals, best if has_fp else None, ridges, fp_kind)
    return Marks(
        has_signature=sig.probability >= 0.5,
        signature_confidence=_confidence(sig.probability, kind, layout.anchor_found),
        signature_bbox=list(sig.bbox) if sig.bbox else None,
        has_fingerprint=has_fp,
        fingerprint_confidence=_confidence(fp_score, kind, layout.anchor_found, hidden),
        fingerprint_bbox=list(best.bbox) if has_fp and best is not None else None,
        scan_kind=kind,
        anchor_found=layout.anchor_found,
        pitch=float(pitch),
        fingerprint_kind=fp_kind if has_fp else None,
        fingerprint_ink_level=float(best.ink_level) if has_fp and best is not None else 0.0,
        hint_x0=min((int(b[0]) for b, t in layout.template if "签" in t or "印" in t), default=None),
    )
