"""The OCR engine interface every engine implements, and the geometry they share.

An engine turns a page image into the project's own :class:`~zhanchi.models.OcrPage`
at once, so nothing downstream ever sees an engine's raw output. Two primitives are
abstract: :meth:`OcrEngine.read` (detect + recognise a whole page) and
:meth:`OcrEngine.recognize` (recognise ready-made single-line crops). Reading given
regions and judging whether lines are upside down are built on them here, so every
engine (fakes and recordings included) offers the whole interface.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import NamedTuple

import cv2
import numpy as np

from zhanchi.errors import OcrEngineError
from zhanchi.models import OcrLine, OcrPage

Quad = Sequence[tuple[float, float]]


class Recognized(NamedTuple):
    """Text and confidence (0–1) read from one line crop."""

    text: str
    confidence: float


class OcrEngine(ABC):
    """An OCR engine: reads page images into :class:`OcrPage` objects.

    ``name`` identifies engine, model and version (``rapidocr-3.10.0/PP-OCRv6_small``)
    and goes into provenance and cache keys: two engines with the same name must give
    the same output for the same image. Engines raise :class:`OcrEngineError` for any
    failure inside them, never the underlying library's exceptions.
    """

    name: str = "abstract"

    @abstractmethod
    def read(self, image: np.ndarray) -> OcrPage:
        """Detect and recognise every text line of a BGR (or grey) page image."""

    @abstractmethod
    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        """Recognise single-line crops (upright, horizontal text), one result per crop."""

    def read_regions(self, image: np.ndarray, boxes: Sequence[Quad | tuple[int, int, int, int]]
                     ) -> list[OcrLine]:
        """Recognise the given regions without detection (layout-driven OCR).

        ``boxes`` are axis-aligned ``(x0, y0, x1, y1)`` rectangles or 4-point polygons
        (clockwise from top-left) in ``image`` pixels; one line comes back per box, in
        the same order, with the box as its polygon (empty text when nothing was read).
        """
        quads = [as_quad(b) for b in boxes]
        crops = [crop_quad(image, q) for q in quads]
        results = self.recognize(crops) if crops else []
        if len(results) != len(quads):
            raise OcrEngineError(f"{self.name}: {len(results)} results for {len(quads)} regions")
        return [OcrLine(text=r.text, confidence=clamp01(r.confidence), polygon=q)
                for r, q in zip(results, quads, strict=True)]

    def fit(self, crop: np.ndarray, texts: Sequence[str], within: bool = False) -> list[float | None] | None:
        """How well each of ``texts`` fits the single-line ``crop``: its log-likelihood
        less the best reading's, per character (about 0: as good as the engine's own
        reading; more negative: worse; None: a character the engine does not know).
        ``within``: the text may lie anywhere in the crop with other ink around it.
        None when the engine cannot say (it gives no per-step output)."""
        return None

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        """For each horizontal line crop, a vote in [-1, 1]: positive means upside down.

        The generic way recognises each crop as given and turned by 180° and compares
        the confidences; engines with a direction classifier override this with it.
        """
        if not crops:
            return []
        turned = [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
        both = self.recognize([*crops, *turned])
        n = len(crops)
        return [float(np.clip(both[n + i].confidence - both[i].confidence, -1.0, 1.0))
                for i in range(n)]

    def close(self) -> None:
        """Release model sessions; the engine must not be used afterwards."""
        return None  # most engines hold nothing worth releasing

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def clamp01(x: float) -> float:
    """Confidence as a plain float in [0, 1] (engines return numpy floats, NaN, 1.0000001)."""
    v = float(x)
    if not np.isfinite(v):
        return 0.0
    return min(1.0, max(0.0, v))


def as_quad(box: Quad | tuple[int, int, int, int] | np.ndarray) -> list[tuple[float, float]]:
    """A 4-point polygon from a rectangle ``(x0, y0, x1, y1)`` or a 4×2 point list."""
    arr = np.asarray(box, dtype=np.float64)
    if arr.shape == (4,):
        x0, y0, x1, y1 = (float(v) for v in arr)
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if arr.shape == (4, 2):
        return [(float(x), float(y)) for x, y in arr]
    raise OcrEngineError(f"a region must be 4 numbers or 4 points, got shape {arr.shape}")


def crop_quad(image: np.ndarray, quad: Quad) -> np.ndarray:
    """Warp a (possibly slanted) line quadrilateral to an upright rectangle crop.

    Tall crops (height ≥ 1.5 × width) are turned to horizontal, as PaddleOCR does, so
    a vertical box still reaches the recogniser lying down.
    """
    pts = np.asarray(quad, dtype=np.float32)
    w = int(round(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3]))))
    h = int(round(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2]))))
    w, h = max(w, 1), max(h, 1)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(pts, dst)
    crop = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    if h >= 1.5 * w:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop


def image_sha256(image: np.ndarray) -> str:
    """Content hash of an image array: shape, dtype and pixel bytes."""
    arr = np.ascontiguousarray(image)
    h = hashlib.sha256(f"{arr.shape}|{arr.dtype.str}|".encode())
    h.update(arr.tobytes())
    return h.hexdigest()


def to_bgr(image: np.ndarray) -> np.ndarray:
    """A 3-channel uint8 BGR view of a grey, BGR or BGRA image; rejects anything else."""
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise OcrEngineError("page image is empty or not an array")
    if image.dtype != np.uint8:
        raise OcrEngineError(f"page image must be uint8, got {image.dtype}")
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    raise OcrEngineError(f"page image has unsupported shape {image.shape}")


def make_page(engine: str, image: np.ndarray, lines: list[OcrLine], elapsed_ms: int) -> OcrPage:
    """An :class:`OcrPage` in the frame of ``image``."""
    h, w = image.shape[:2]
    return OcrPage(engine=engine, lines=lines, width=int(w), height=int(h),
                   elapsed_ms=int(elapsed_ms))
