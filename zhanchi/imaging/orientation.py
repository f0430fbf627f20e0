"""Which way up: a quarter turn from geometry, then 0° against 180° from the engine.

Whether lines run across or down the page is pure geometry (see
:mod:`zhanchi.imaging.textlines`); whether they are upside down is not, because CJK
glyphs have no ascenders or baselines to go by. For that, a few line pieces are cut
from the page and the OCR engine votes on each (rapidocr's direction classifier; any
other engine compares recognition confidence both ways up). Pieces are short
(about four glyphs) because the classifier squashes anything longer to 48×192 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from zhanchi.imaging.seals import remove_red
from zhanchi.imaging.textlines import analyse, find_lines
from zhanchi.ocr.base import OcrEngine, crop_quad

MAX_LINES = 8  # the longest lines are the most telling; more adds time, not certainty
PIECES_PER_LINE = 2
PIECE_RATIO = 4.0  # piece width / line height


@dataclass(frozen=True)
class UpsideDown:
    """The engine's verdict on a set of lines: mean vote in [-1, 1] (+ = upside down)."""

    score: float
    pieces: int

    @property
    def flipped(self) -> bool:
        return self.score > 0


def turn(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Turn an image by a multiple of 90° clockwise (lossless)."""
    k = (degrees_cw // 90) % 4
    if k == 0:
        return image
    # cv2.rotate is several times faster than a contiguous copy of np.rot90 on big pages.
    return cv2.rotate(image, (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE)[k - 1])


def line_pieces(image: np.ndarray, boxes: Sequence[np.ndarray], max_lines: int = MAX_LINES,
                per_line: int = PIECES_PER_LINE) -> list[np.ndarray]:
    """Short crops (≈ 4 glyphs each) from the longest horizontal lines of ``image``.

    Boxes are padded a little (line masks hug the ink) and red ink is faded in the
    crops, so a seal over a line does not sway the vote.
    """
    pieces: list[np.ndarray] = []
    for box in list(boxes)[:max_lines]:
        tl, tr, br, bl = np.asarray(box, np.float32)
        height = float(np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
        length = float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
        if height < 6:
            continue
        down = (bl - tl) / max(np.linalg.norm(bl - tl), 1e-6) * height * 0.2
        across = (tr - tl) / max(length, 1e-6)
        step = height * PIECE_RATIO
        n = max(1, min(per_line, int(length // step)))
        # Spread the pieces along the line: its start, middle and end differ most.
        starts = np.linspace(0, max(0.0, length - step), n)
        for s in starts:
            a = tl + across * s
            b = tl + across * min(length, s + step)
            quad = [a - down, b - down, b + (bl - tl) + down, a + (bl - tl) + down]
            crop = crop_quad(image, [(float(x), float(y)) for x, y in quad])
            if crop.shape[0] >= 6 and crop.shape[1] >= 6:
                pieces.append(remove_red(crop) if crop.ndim == 3 else crop)
    return pieces


def upside_down(engine: OcrEngine, image: np.ndarray, boxes: Sequence[np.ndarray]) -> UpsideDown:
    """Ask ``engine`` whether the lines in ``boxes`` (on ``image``) are upside down."""
    pieces = line_pieces(image, boxes)
    if not pieces:
        return UpsideDown(0.0, 0)
    votes = engine.upside_down_votes(pieces)
    return UpsideDown(float(np.mean(votes)) if votes else 0.0, len(pieces))


def detect_orientation(image: np.ndarray, engine: OcrEngine | None = None) -> int:
    """Clockwise degrees (0, 90, 180 or 270) that turn ``image`` upright.

    Without an engine only the quarter turn is decided (0 or 90).

    >>> import numpy as np
    >>> detect_orientation(np.full((200, 100, 3), 255, np.uint8))
    0
    """
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    layout, mask, scale = analyse(grey)
    quarter = 90 if layout.direction == "v" else 0
    if engine is None:
        return quarter
    mask = turn(mask, quarter)
    boxes, _ = find_lines(mask, layout.glyph_px * scale)
    upright = turn(image, quarter)
    verdict = upside_down(engine, upright, [b / scale for b in boxes])
    return (quarter + (180 if verdict.flipped else 0)) % 360
