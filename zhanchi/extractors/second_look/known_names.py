"""Second look ``known_names``: a doubtful read of a known kind of name settled among
the names its own crop allows.

A handwritten place or occupation read with a character wrong or lost (手木 for 手工木工,
汇西 for 江西) is doubtful, and string similarity to the reference list cannot always
say which name it was. The recogniser's output on the value's own box can: every known
name of the field's kind (the counties of the city read beside it) is scored against it
and one that fits far better than the rest is taken (:mod:`.choose`). The field keeps the read in
``raw``, gets ``picked`` and stays doubtful; a sure read is never touched, and a crop
that spans two rows (a value continued on the next line) is left alone. A read shorter
than every name it may be (上 of a written 上饶, 西 of 江西) is a piece: the rest is
written beside it, so the crop takes in up to :data:`MAX_MISSING` characters each side,
the print there too, and each name is scored as lying anywhere in it.
"""

from __future__ import annotations

import logging

import numpy as np

from zhanchi.extractors.fields import PICKED
from zhanchi.extractors.gazetteer import Kind
from zhanchi.extractors.places import JIANGXI
from zhanchi.extractors.second_look.base import Situation
from zhanchi.extractors.second_look.choose import DOUBTFUL, choose, settled
from zhanchi.models import ExtractedField

log = logging.getLogger("zhanchi.extract")

# the value's box is widened by this many of its heights each side (a first or last
# character the line's box left out) and this much up and down
WIDEN_X, WIDEN_Y = 0.4, 0.15
ONE_ROW = 1.7  # a box taller than this many median line heights spans two rows
MAX_MISSING = 2  # a piece's crop takes in at most this many characters each side
# the parser a layout names for a field → the reference list of its names. Only closed
# lists: places (Jiangxi's divisions, provinces) and occupations (the national catalogue).
# Agencies are not: an unfiled agency one character from a filed one is read as the
# recogniser's best reading and this look would take the filed one (placeholder_pen
# picks agencies only where the pen's own reading is garbage).
KIND_OF_PARSER: dict[str, Kind] = {"occupation": "occupation", "county": "county",
                                    "city": "city", "province": "province"}


def _crop(s: Situation, f: ExtractedField, missing: int = 0) -> np.ndarray | None:
    """The value's box widened; by ``missing`` more characters each side where the read
    is a piece of a name (the rest written beside it, unread)."""
    if f.bbox is None or not s.lines:
        return None
    x0, y0, x1, y1 = (int(v) for v in f.bbox)
    h = y1 - y0
    heights = [ln.bbox[3] - ln.bbox[1] for ln in s.lines]
    if h <= 0 or x1 <= x0 or h > ONE_ROW * float(np.median(heights)):
        return None
    ih, iw = s.image.shape[:2]
    dx, dy = int((WIDEN_X + missing) * h), int(WIDEN_Y * h)
    crop = s.image[max(0, y0 - dy):min(ih, y1 + dy), max(0, x0 - dx):min(iw, x1 + dx)]
    return crop if crop.size else None


def _missing(read: str, names: list[str]) -> int:
    """How many characters of a name may lie unread beside ``read``, each side: none
    unless it is shorter than every name it may be (上 of 上饶, 西 of 江西), then as many
    as the longest name lacks, at most :data:`MAX_MISSING`."""
    if not names or len(read) >= min(len(n) for n in names):
        return 0
    return min(MAX_MISSING, max(len(n) for n in names) - len(read))


def _names(s: Situation, kind: Kind) -> list[str]:
    """The known names a read of ``kind`` may be settled among: the reference lists
    only Jiangxi's cities and counties, so a place outside it (or in a province not read)
    has none."""
    if kind in ("city", "county"):
        province = s.fields.get("exam_province")
        if province is None or province.value != JIANGXI:
            return []
    if kind == "county":
        city = s.fields.get("exam_city")
        parent = city.value if city is not None and isinstance(city.value, str) else None
        return s.ctx.gazetteer.names(kind, parent=parent)
    return s.ctx.gazetteer.names(kind)


def look(s: Situation) -> None:
    """Settle the doubtful reads of known-name fields the layout lets this look see."""
    if s.engine is None:
        return
    for name in s.wanted("known_names"):
        f = s.fields.get(name)
        kind = KIND_OF_PARSER.get(s.spec.parsers.get(name, ""))
        if f is None or kind is None or f.confidence >= DOUBTFUL or getattr(f, PICKED, False):
            continue
        names = _names(s, kind)
        missing = _missing(str(f.value or ""), names)
        crop = _crop(s, f, missing)
        if crop is None:
            continue
        pick = choose(s.engine, [crop], names, within=missing > 0)
        if pick is None or pick.value == f.value:
            continue
        log.debug("%s: a known name fits its box best (%.2f per character, lead %.1f)",
                  name, pick.fit, pick.lead)
        s.fields[name] = settled(f, pick)
