"""Second look ``value_region``: re-read the region right of a label found without its value.

The page-level detector sometimes drops a printed value (a seal's faded ghost merged
into its box, a stamp across it). When the label was found, the value's place is
known: this look crops that region from the page image and asks the engine to
recognise just it (``OcrEngine.read_regions``); where the page's other values stand far
right of their labels (a far value column), the region reaches as far as they do. Values read this way keep a lower
confidence, so a reviewer still sees them when the threshold is strict. A value the
reader kept although malformed is replaced only by a well-formed re-read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from zhanchi.extractors.certificates import LabelReader
from zhanchi.extractors.fields import Context, make_field, well_formed
from zhanchi.extractors.second_look.base import Situation
from zhanchi.imaging import for_ocr
from zhanchi.models import BBox, ExtractedField
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

REREAD_QUALITY = 0.9  # a value read from a guessed region …
# … and one whose format does not delimit it: seal residue may trail it, so it goes to review
TEXT_QUALITY = 0.75
DELIMITED = frozenset({"date", "level", "certificate_number", "id_number"})
WIDTH_IN_HEIGHTS = 16.0  # a value runs at most this many label heights to the right …
FAR_IN_HEIGHTS = 6.0  # … unless the page's values start this far right of their labels


def value_region(label: BBox, width: int, height: int, reach: int = 0) -> BBox:
    """Where a value printed right of ``label`` lies, clipped to the page; ``reach``: the
    right edge of the values read on the page's other rows (a far value column)."""
    x0, y0, x1, y1 = label
    h = y1 - y0
    right = max(x1 + int(WIDTH_IN_HEIGHTS * h), reach)
    return (min(width - 1, x1 + int(0.2 * h)), max(0, y0 - int(0.2 * h)),
            min(width, right), min(height, y1 + int(0.2 * h)))


def value_column_reach(fields: dict[str, ExtractedField], unread: dict[str, BBox]) -> int:
    """How far right a far value column runs (0: the values sit near their labels).

    Judged from the values read on the page's other rows: when even the nearest starts
    more than ``FAR_IN_HEIGHTS`` label heights right of the unread labels, the column
    is far, and its values reach the rightmost value edge (plus a label height)."""
    labels = list(unread.values())
    if not labels:
        return 0
    h = max(b[3] - b[1] for b in labels)
    label_end = max(b[2] for b in labels)
    boxes = [f.bbox for f in fields.values() if f.bbox is not None and f.bbox[0] > label_end]
    if not boxes or min(b[0] for b in boxes) - label_end < FAR_IN_HEIGHTS * h:
        return 0
    return max(b[2] for b in boxes) + h


def reread(image: np.ndarray | None, engine: OcrEngine | None, unread: dict[str, BBox],
           parsers: dict[str, str], ctx: Context, page: int = 1, reach: int = 0
           ) -> dict[str, ExtractedField]:
    """Recognise the value region of every unread label; the fields that then parse."""
    if not unread or image is None or engine is None:
        return {}
    h, w = image.shape[:2]
    names: Sequence[str] = list(unread)
    boxes = [value_region(unread[n], w, h, reach) for n in names]
    try:
        # the same seal-faded copy the page OCR saw
        lines = engine.read_regions(for_ocr(image), boxes)
    except Exception as exc:  # an engine failure here must not lose the fields already read
        log.warning("re-reading %d value regions failed: %s", len(boxes), type(exc).__name__)
        return {}
    out: dict[str, ExtractedField] = {}
    for name, box, line in zip(names, boxes, lines, strict=True):
        if not line.text.strip():
            continue
        f = make_field(parsers[name], line.text, ctx, ocr_conf=line.confidence, bbox=box,
                       page=page,
                       quality=REREAD_QUALITY if parsers[name] in DELIMITED else TEXT_QUALITY)
        if f is not None:
            out[name] = f
    return out


def look(s: Situation) -> None:
    """Re-read the unread labels' values (a label reader's ``unread``) the layout names."""
    reader = s.reader
    if not isinstance(reader, LabelReader):
        return
    unread = {k: v for k, v in reader.unread.items() if k in s.wanted("value_region")}
    reach = value_column_reach(s.fields, unread)
    for k, v in reread(s.image, s.engine, unread, reader.parsers, s.ctx, reach=reach).items():
        # a missing value is taken as re-read; a malformed one only if the re-read is sound
        if k not in s.fields or well_formed(reader.parsers[k], v.value):
            s.fields[k] = v
