"""Second looks ``missing_rows`` and ``broken_rows``: rows the page OCR lost or broke.

Printed forms set their rows at a regular pitch. Where two neighbouring rows are about
two or three pitches apart, rows are missing between them; their bands are re-read
with ``OcrEngine.read_regions`` and the lines found are added to the page, so the
template and label readers get a second chance. A row a stamp broke into pieces with
wide gaps is re-read as one band instead of its pieces. Each runs only when a field the
layout names for it is missing (on a booklet, a field of the side the page shows).
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence

import numpy as np

from zhanchi.extractors.fields import Context
from zhanchi.extractors.layout import group_rows
from zhanchi.extractors.readers import read_layout
from zhanchi.extractors.second_look.base import Situation
from zhanchi.imaging import for_ocr
from zhanchi.models import BBox, OcrLine
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

MIN_GAP, MAX_GAP = 1.6, 3.6  # row distances (in pitches) that mean "rows missing here"
MIN_CONFIDENCE = 0.5


def missing_row_bands(lines: Sequence[OcrLine], width: int, height: int) -> list[BBox]:
    """Bands where whole printed rows seem to be missing, top to bottom."""
    rows = group_rows(lines)
    if len(rows) < 4:
        return []
    centres = [statistics.median((ln.bbox[1] + ln.bbox[3]) / 2 for ln in row) for row in rows]
    heights = [statistics.median(ln.bbox[3] - ln.bbox[1] for ln in row) for row in rows]
    steps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    pitch = statistics.median(steps)
    h = statistics.median(heights)
    if pitch <= h:
        return []
    x0 = min(ln.bbox[0] for ln in lines)
    x1 = max(ln.bbox[2] for ln in lines)
    bands: list[BBox] = []
    for i, step in enumerate(steps):
        if not MIN_GAP * pitch <= step <= MAX_GAP * pitch:
            continue
        missing = max(1, round(step / pitch) - 1)
        for k in range(1, missing + 1):
            cy = centres[i] + k * step / (missing + 1)
            bands.append((max(0, x0), max(0, int(cy - 0.75 * h)), min(width, x1), min(height, int(cy + 0.75 * h))))
    return bands


def reread_bands(image: np.ndarray | None, engine: OcrEngine | None, bands: Sequence[BBox]
                 ) -> list[OcrLine]:
    """Lines recognised in the given bands (empty or doubtful reads dropped)."""
    if image is None or engine is None or not bands:
        return []
    try:
        lines = engine.read_regions(for_ocr(image), list(bands))
    except Exception as exc:  # a failed second look must not lose the first one
        log.warning("re-reading %d missing rows failed: %s", len(bands), type(exc).__name__)
        return []
    return [ln for ln in lines if ln.text.strip() and ln.confidence >= MIN_CONFIDENCE]


def fragmented_rows(lines: Sequence[OcrLine], gap: float = 2.0) -> list[tuple[BBox, list[OcrLine]]]:
    """Rows the OCR broke into pieces with wide gaps (a stamp across them): each row's
    band and the pieces a re-read of the band would replace."""
    out: list[tuple[BBox, list[OcrLine]]] = []
    for row in group_rows(lines):
        if len(row) < 2:
            continue
        h = statistics.median(ln.bbox[3] - ln.bbox[1] for ln in row)
        if not any(b.bbox[0] - a.bbox[2] > gap * h for a, b in zip(row, row[1:], strict=False)):
            continue
        box = (min(ln.bbox[0] for ln in row), min(ln.bbox[1] for ln in row),
               max(ln.bbox[2] for ln in row), max(ln.bbox[3] for ln in row))
        out.append((box, list(row)))
    return out


def missing(s: Situation, look: str) -> list[str]:
    """The fields named for ``look`` that the page lacks; on a booklet only those of the
    side it shows (the last side of which it shows a field, else the first)."""
    wanted = s.wanted(look)
    if s.spec.sides:
        shown = [side for side in s.spec.sides if set(side) & set(s.fields)]
        side = shown[-1] if shown else s.spec.sides[0]
        wanted = tuple(f for f in wanted if f in side)
    return [f for f in wanted if f not in s.fields]


def missing_rows_look(s: Situation) -> None:
    """Whole rows lost: re-read the bands where the row pitch says they were."""
    lacking = missing(s, "missing_rows")
    if not lacking:
        return
    bands = missing_row_bands(s.lines, s.page.ocr.width, s.page.ocr.height)
    extra = reread_bands(s.image, s.engine, bands)
    if extra:
        s.lines += extra
        more, _ = read_layout(s.spec, s.lines, Context(s.ctx.gazetteer))
        s.fields.update({k: more[k] for k in lacking if k in more})


def broken_rows_look(s: Situation) -> None:
    """Rows broken by a stamp: re-read each as one band instead of its pieces."""
    lacking = missing(s, "broken_rows")
    if not lacking:
        return
    broken = fragmented_rows(s.lines)
    again = reread_bands(s.image, s.engine, [box for box, _ in broken])
    if again:
        drop = {id(ln) for _, pieces in broken for ln in pieces}
        kept = [ln for ln in s.lines if id(ln) not in drop]
        more, _ = read_layout(s.spec, [*kept, *again], Context(s.ctx.gazetteer))
        s.fields.update({k: more[k] for k in lacking if k in more})
