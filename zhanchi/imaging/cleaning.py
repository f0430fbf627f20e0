"""``clean_page``: one page image in, an upright, level, flat colour page out.

The steps, each a plain function of its own module, wired here in one place:

1. **flatten** (:mod:`.perspective`) — only phone photos, where a sheet stands out on
   a darker desk; scans pass untouched;
2. **analyse** (:mod:`.textlines`) — on a small binarised copy with seal ink faded:
   glyph size, line direction, text lines, skew;
3. **quarter turn + deskew** — one lossless ``rot90`` and one small rotation;
4. **0° or 180°** (:mod:`.orientation`) — the engine votes on a few line pieces.

The colour page keeps its seals (fingerprint and seal detection need them); the copy
to OCR is :func:`zhanchi.imaging.for_ocr` of the result. Every step's time is kept in
``timings_ms`` so cleaning can be watched against OCR cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal, cast

import cv2
import numpy as np

from zhanchi.errors import UnreadablePageError
from zhanchi.imaging.deskew import correction_for, rotate_cw
from zhanchi.imaging.orientation import turn, upside_down
from zhanchi.imaging.perspective import even_lighting, find_page_quad, flatten
from zhanchi.imaging.seals import for_ocr
from zhanchi.imaging.textlines import ANALYSIS_SIDE, analyse, find_lines
from zhanchi.ocr.base import OcrEngine

Rotation = Literal[0, 90, 180, 270]
MIN_SIDE = 32  # smaller than this is no page; returned as is


@dataclass
class CleanedPage:
    """A cleaned page and what was done to it.

    ``rotation`` is the clockwise quarter turn applied (0/90/180/270) and
    ``deskew_deg`` the small clockwise rotation applied after it; both after
    flattening when ``flattened`` (``page_quad`` then holds the sheet's corners in
    the original image, clockwise from its top-left).
    """

    image: np.ndarray
    rotation: Rotation = 0
    deskew_deg: float = 0.0
    flattened: bool = False
    page_quad: list[tuple[float, float]] | None = None
    upside_down_score: float | None = None  # mean engine vote (+ = was upside down); None = not asked
    line_direction: str | None = None  # "h"/"v" as found; None = too little text to tell
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


def _as_bgr(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise UnreadablePageError("page image is empty", file="<image>")
    if image.dtype != np.uint8:
        if image.dtype == np.uint16:  # 16-bit TIFF scans
            image = (image >> 8).astype(np.uint8)
        else:
            raise UnreadablePageError(f"page image has unsupported type {image.dtype}", file="<image>")
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    raise UnreadablePageError(f"page image has unsupported shape {image.shape}", file="<image>")


def clean_page(image: np.ndarray, *, engine: OcrEngine | None = None,
               flatten_photos: bool = True) -> CleanedPage:
    """Make a page upright, level and flat; the input array is not modified.

    ``engine`` decides 0° against 180° (without one, only sideways pages are turned).
    Engine failures propagate as :class:`~zhanchi.errors.OcrEngineError`.

    >>> import numpy as np
    >>> clean_page(np.full((400, 300, 3), 255, np.uint8)).rotation
    0
    """
    t = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(step: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[step] = round((now - t) * 1000, 1)
        t = now

    img = _as_bgr(image)
    if min(img.shape[:2]) < MIN_SIDE:
        return CleanedPage(image=img.copy(), timings_ms=timings)

    quad = find_page_quad(img) if flatten_photos else None
    if quad is not None:
        img = even_lighting(flatten(img, quad))
    lap("flatten")

    # Shrink before fading seals and binarising: the analysis never needs full size.
    shrink = min(1.0, ANALYSIS_SIDE / max(img.shape[:2]))
    small = cv2.resize(img, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA) if shrink < 1 else img
    layout, mask, scale = analyse(cv2.cvtColor(for_ocr(small), cv2.COLOR_BGR2GRAY))
    scale *= shrink
    layout.glyph_px /= shrink
    quarter = 90 if layout.direction == "v" else 0
    boxes, slope = find_lines(turn(mask, quarter), layout.glyph_px * scale)
    lap("analyse")

    img = turn(img, quarter)
    angle = correction_for(slope) if layout.direction is not None else 0.0
    lines: list[np.ndarray] = [b / scale for b in boxes]
    if angle:
        img, m = rotate_cw(img, angle)
        lines = [cv2.transform(b.reshape(-1, 1, 2), m).reshape(4, 2) for b in lines]
    lap("rotate")

    score: float | None = None
    if engine is not None and lines:
        verdict = upside_down(engine, img, lines)
        score = verdict.score
        if verdict.flipped:
            img = turn(img, 180)
            quarter += 180
    lap("orientation")

    if img is image:
        img = img.copy()  # never hand back the caller's array
    return CleanedPage(
        image=np.ascontiguousarray(img),
        rotation=cast(Rotation, quarter % 360),
        deskew_deg=round(angle, 2),
        flattened=quad is not None,
        page_quad=[(round(float(x), 1), round(float(y), 1)) for x, y in quad] if quad is not None else None,
        upside_down_score=None if score is None else round(score, 3),
        line_direction=layout.direction,
        timings_ms=timings,
    )
