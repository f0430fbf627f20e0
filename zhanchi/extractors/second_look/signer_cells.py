"""The signature character by character, where a print or a blot hides part of it.

Read as one line, a signed name under a fingerprint loses a character: the recogniser
merges the one under the ridges into its neighbour or drops it, or a squeezed,
hurried character beside the print goes unread (邓云杰 → 云杰, 于晶翔 → 于翔). The pen
crop (fingerprint already wiped, :func:`.signer.pen_crop`) is cut into character cells
by its column profile (touching characters split by the ink's height), each cell is recognised alone, and the cells are counted.

Two uses, neither of which looks at the certificate (``name_mismatch`` compares the
two, so the holder's name never picks the answer):

* :func:`cell_count`: how many characters the pen holds. A name read with fewer is
  doubtful, never a confident shortened name.
* :func:`read_cells`: the name read cell by cell, which the caller may prefer to a
  line read one character short of it (still doubtful: a reviewer confirms it).
"""

from __future__ import annotations

import logging
import re

import cv2
import numpy as np

from zhanchi.extractors.marks_ink import dark_mask
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

MIN_COLUMN_INK = 2  # inked pixels a column needs to count (dust, dither dots stay below)
NARROW = 0.55  # a piece narrower than this many ink heights is half a character…
MERGED_MAX = 1.25  # …joined to its neighbour while the two stay within this width
MIN_CELL_INK = 0.04  # ink share of a cell's box below this is a stroke run on, not a character
CHAR_WIDTH = 1.0  # a handwritten character is about as wide as the signature's ink is tall
PAD = 0.15  # white margin round a cell, in ink heights, for the recogniser


def _runs(cols: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in ``cols`` as (start, end) column pairs."""
    out: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate(cols):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(cols)))
    return out


def _merge(runs: list[tuple[int, int]], height: float) -> list[tuple[int, int]]:
    """Join half characters (a left-right 邓, 明) to their nearer neighbour."""
    cells = list(runs)
    changed = True
    while changed and len(cells) > 1:
        changed = False
        for i, (a, b) in enumerate(cells):
            if b - a >= NARROW * height:
                continue
            options = []
            if i > 0 and b - cells[i - 1][0] <= MERGED_MAX * height:
                options.append((a - cells[i - 1][1], i - 1))
            if i + 1 < len(cells) and cells[i + 1][1] - a <= MERGED_MAX * height:
                options.append((cells[i + 1][0] - b, i + 1))
            if not options:
                continue
            _, j = min(options)
            lo, hi = min(i, j), max(i, j)
            cells[lo:hi + 1] = [(cells[lo][0], cells[hi][1])]
            changed = True
            break
    return cells


def cells(crop: np.ndarray) -> list[tuple[int, int]]:
    """Column spans of the characters in a wiped pen crop (BGR or gray)."""
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    ink = dark_mask(gray)
    ink = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)) > 0
    rows = np.nonzero(ink.sum(axis=1) >= MIN_COLUMN_INK)[0]
    if rows.size == 0:
        return []
    height = float(rows[-1] - rows[0] + 1)
    runs = _runs(ink.sum(axis=0) >= MIN_COLUMN_INK)
    runs = [(a, b) for a, b in runs
            if ink[:, a:b].mean() >= MIN_CELL_INK and b - a >= 0.15 * height]
    out: list[tuple[int, int]] = []
    for a, b in _merge(runs, height):  # crowded characters touch: split by the ink's height
        k = max(1, int(round((b - a) / (CHAR_WIDTH * height))))
        out.extend((a + (b - a) * i // k, a + (b - a) * (i + 1) // k) for i in range(k))
    return out


def cell_count(crop: np.ndarray) -> int:
    """How many characters the pen crop holds (0 when it holds no ink)."""
    return len(cells(crop))


def read_cells(crop: np.ndarray, engine: OcrEngine) -> tuple[str, float] | None:
    """The name read one cell at a time, with its weakest cell's confidence; ``None``
    when a cell reads as no single CJK character (then the count is all it tells)."""
    spans = cells(crop)
    if not spans:
        return None
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    pad = max(2, int(PAD * gray.shape[0]))
    pieces = [cv2.copyMakeBorder(np.ascontiguousarray(crop[:, a:b]), pad, pad, pad, pad,
                                 cv2.BORDER_CONSTANT, value=(255, 255, 255) if crop.ndim == 3 else 255)
              for a, b in spans]
    try:
        found = engine.recognize(pieces)
    except Exception as exc:  # a failed second look must not lose the first one
        log.warning("reading the signature by character failed: %s", type(exc).__name__)
        return None
    chars = []
    for got in found:
        hanzi = re.findall(r"[\u4e00-\u9fff]", got.text)
        if len(hanzi) != 1:
            return None
        chars.append(hanzi[0])
    return "".join(chars), min(float(g.confidence) for g in found)
