"""Second look ``value_region``: re-read the region right of a label found without its value.

The page-level detector sometimes drops a printed value (a seal's faded ghost merged
into its box, a stamp across it). When the label was found, the value's place is
known: this look crops that region from the page image and asks the engine to
recognise just it (``OcrEngine.read_regions``). Values read this way keep a lower
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
WIDTH_IN_HEIGHTS = 16.0  # a value runs at most this many label heights to the right


def value_region(label: BBox, width: int, height: int) -> BBox:
    """Where a value printed right of ``label`` lies, clipped to the page."""
    x0, y0, x1, y1 = label
    h = y1 - y0
    return (min(width - 1, x1 + int(0.2 * h)), max(0, y0 - int(0.2 * h)),
            min(width, x1 + int(WIDTH_IN_HEIGHTS * h)), min(height, y1 + int(0.2 * h)))


def reread(image: np.ndarray | None, engine: OcrEngine | None, unread: dict[str, BBox],
           parsers: dict[str, str], ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """Recognise the value region of every unread label; the fields that then parse."""
    if not unread or image is None or engine is None:
        return {}
    h, w = image.shape[:2]
    names: Sequence[str] = list(unread)
    boxes = [value_region(unread[n], w, h) for n in names]
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
    for k, v in reread(s.image, s.engine, unread, reader.parsers, s.ctx).items():
        # a missing value is taken as re-read; a malformed one only if the re-read is sound
        if k not in s.fields or well_formed(reader.parsers[k], v.value):
            s.fields[k] = v
