"""Text that belongs to a seal, not to the page's print: never part of a value.

Where seal ink cannot be faded (a fax, a grey scan) or leaves a trace, the engine reads
the seal too: its wording (``业务专用章``, ``职业技能等级认定专用章``) and pieces of the
issuer's name running round its ring. On an upright, deskewed certificate or filing
proof every printed line runs horizontally, so a line of several characters that runs
at a slant or downwards is ring text; a line that *is* seal wording is the seal's centre
text. Both are dropped before labels and values are paired, so that they can neither
join a value's row (``美发师业务专用章``, ``吉安市井冈职业技安能市评价中心``) nor stand
in for a value under its label (holder ``业务专用章``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from zhanchi.extractors.text import fold
from zhanchi.models import OcrLine

# A seal's centre wording: a kind of business, then 专用章. 专用章 is never the end of an
# occupation, a name or an issuer (公章 / 印章 are left alone: a name may end in 章).
SEAL_WORDING = re.compile(
    r"(?:(?:职业技能)?(?:等级认定|鉴定|考核鉴定)|业务|财务|合同|证书|发票|行政审批)?专用章$"
)
RING_SLANT_DEG = 12.0  # printed lines on a deskewed page run within a few degrees of level
MIN_RING_CHARS = 2  # a single character's box has no direction to judge


def _direction_deg(line: OcrLine) -> float | None:
    """The angle (0–90°) from horizontal along which a line's text runs, from its polygon."""
    pts = line.polygon
    if len(pts) != 4:
        return None
    (x0, y0), (x1, y1), _, (x3, y3) = pts
    top = (x1 - x0, y1 - y0)
    side = (x3 - x0, y3 - y0)
    # Text runs along the box's longer edge (a vertical run is taller than wide).
    dx, dy = top if math.hypot(*top) >= math.hypot(*side) else side
    return math.degrees(math.atan2(abs(dy), abs(dx) + 1e-9))


def is_ring_text(line: OcrLine) -> bool:
    """A line of several characters that runs at a slant: text on a seal's curved ring."""
    n = len(re.sub(r"\s", "", line.text))
    if n < MIN_RING_CHARS:
        return False
    angle = _direction_deg(line)
    return angle is not None and angle > RING_SLANT_DEG


def is_seal_wording(text: str) -> bool:
    """Whether a whole line is a seal's centre wording (``业务专用章``)."""
    s = re.sub(r"\s", "", fold(text, keep_spaces=True))
    m = SEAL_WORDING.search(s)
    # all of it, give or take one stray character the ring added in front
    return m is not None and m.start() <= 1 and len(s) - m.start() >= 2


def strip_seal_wording(text: str) -> str:
    """A value's text without seal wording run into its end (``美发师业务专用章``)."""
    m = SEAL_WORDING.search(fold(text, keep_spaces=True))
    if m is None or len(text) != len(fold(text, keep_spaces=True)):
        return text
    return text[: m.start()]


def drop_seal_text(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The lines that are the page's print: ring text and seal wording left out, and
    seal wording cut off the end of a printed line it was read together with."""
    kept: list[OcrLine] = []
    for ln in lines:
        if is_ring_text(ln) or is_seal_wording(ln.text):
            continue
        cut = strip_seal_wording(ln.text)
        if cut != ln.text and cut.strip():
            # the box keeps the printed part only, in proportion to its characters
            ln = _shortened(ln, len(cut))
        kept.append(ln)
    return kept


def _shortened(line: OcrLine, n: int) -> OcrLine:
    x0, y0, x1, y1 = (float(v) for v in line.bbox)
    w = (x1 - x0) * n / max(1, len(line.text))
    poly = [(x0, y0), (x0 + w, y0), (x0 + w, y1), (x0, y1)]
    return OcrLine(text=line.text[:n], confidence=line.confidence, polygon=poly)
