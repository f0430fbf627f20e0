"""The signing region's pen ink, with print, seals and the fingerprint set aside.

On a colour scan the ink-pad red is simply not pen. On gray and binarised scans the
fingerprint's ridges are as dark as writing, so the found fingerprint is cut out and
only what can still be told apart is put back: strokes darker than its ridges (gray)
or solid where a fax dithered its ridges into dots, and only where they carry on
outside it (dark ridge cores do not).
"""

from __future__ import annotations

import cv2
import numpy as np

from zhanchi.extractors.marks_fingerprint import BlobScore
from zhanchi.extractors.marks_ink import ScanKind, dotted, pen_mask
from zhanchi.extractors.marks_layout import LetterLayout, is_anchor_text
from zhanchi.extractors.marks_signature import SignatureScore, print_density, score_signature
from zhanchi.models.pages import BBox

_DARKER_THAN_RIDGES = 35  # gray levels below the fingerprint's median ink


def continued(outside: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """``outside`` plus the pieces of ``inside`` that connect to it.

    Pen strokes seen through a fingerprint carry on outside it; dark ridge cores that
    only look like pen do not.
    """
    both = (outside | inside).astype(np.uint8)
    n, labels = cv2.connectedComponents(both, connectivity=8)
    if n <= 1:
        return outside
    touching = np.unique(labels[outside])
    return outside | (inside & np.isin(labels, touching[touching > 0]))


def _ellipse(shape: tuple[int, ...], box: BBox, origin: tuple[int, int], pad: float) -> np.ndarray:
    """A filled ellipse inscribed in ``box`` (page pixels) grown by ``pad``, in region pixels."""
    out = np.zeros(shape[:2], np.uint8)
    centre = (int((box[0] + box[2]) / 2 - origin[0]), int((box[1] + box[3]) / 2 - origin[1]))
    axes = (int((box[2] - box[0]) / 2 + pad), int((box[3] - box[1]) / 2 + pad))
    cv2.ellipse(out, centre, axes, 0, 0, 360, 1, -1)
    return out == 1


def _through_fingerprint(
    pen: np.ndarray, crop: np.ndarray, kind: ScanKind, fingerprint: BlobScore, ell: np.ndarray
) -> np.ndarray:
    """The pen mask with a gray/binarised fingerprint cut out and the pen it hides put back."""
    if kind == "gray":  # pen strokes under a gray fingerprint are darker than its ridges
        keep = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < fingerprint.ink_level - _DARKER_THAN_RIDGES
    elif dotted(pen & ell):  # a fax dithers the ridges into dots, pen stays solid
        keep = cv2.morphologyEx(pen.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    else:  # Otsu keeps ridges as solid as strokes: nothing under them can be told apart
        keep = np.zeros(pen.shape, bool)
    return continued(pen & ~ell, keep & ell)


def _template_density(bgr: np.ndarray, kind: ScanKind, layout: LetterLayout) -> float:
    """Expected print ink per CJK character of the template, measured on this page."""
    h, w = bgr.shape[:2]

    def ink_in(box: BBox) -> int:
        cut = bgr[max(0, box[1]) : min(h, box[3]), max(0, box[0]) : min(w, box[2])]
        return int(pen_mask(cut, kind, layout.pitch).sum()) if cut.size else 0

    body = [(ink_in(box), text) for box, text in layout.reference]
    prefix = next(((ink_in(box), t) for box, t in layout.template if is_anchor_text(t)), None)
    return print_density(body, prefix, layout.pitch)


def signature_evidence(
    bgr: np.ndarray,
    kind: ScanKind,
    layout: LetterLayout,
    seals: list[tuple[float, float, float]],
    fingerprint: BlobScore | None,
    ridges: float,
    fingerprint_kind: ScanKind | None = None,
) -> SignatureScore:
    """Score the signing region once print, seals and (gray scans) the fingerprint are set aside.

    ``fingerprint_kind`` is the evidence the fingerprint was found by when it differs
    from the page's (a gray fingerprint on a colour photo of a photocopy).
    """
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
    if fingerprint is not None:  # ridge fragments round it are its rim, not strokes
        zone = _ellipse(pen.shape, fingerprint.bbox, (x0, y0), 1.2 * pitch).astype(np.uint8)
    if kind != "colour":  # red is already out of the pen mask in colour
        for sx, sy, r in seals:
            cv2.circle(blank, (int(sx - x0), int(sy - y0)), int(r), 1, -1)
    fp_kind = fingerprint_kind or kind
    if fingerprint is not None and fp_kind != "colour":  # padded: the faint rim its outline leaves out
        ell = _ellipse(pen.shape, fingerprint.bbox, (x0, y0), 0.5 * pitch)
        pen = _through_fingerprint(pen, crop, fp_kind, fingerprint, ell)
    if kind == "binary" and dotted(pen & (blank == 0)):  # a fax dithered faint pen into dots: rejoin them
        pen = cv2.morphologyEx(pen.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) > 0
    density = _template_density(bgr, kind, layout)
    return score_signature(pen, (x0, y0), blank, layout.template, density, pitch, zone, ridges)
