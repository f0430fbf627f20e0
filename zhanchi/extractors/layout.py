"""Reading order, rows and character-to-box maps over OCR lines.

The extractors search text but must report where a value sat on the page. A
:class:`TextMap` joins lines in reading order into one folded, whitespace-free string
and remembers, for every character, the line and the character position it came from;
:meth:`TextMap.locate` turns a character span back into a pixel box (a proportional
sub-box when the value is part of a line) and the confidence of the lines that carried it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from zhanchi.extractors.text import fold
from zhanchi.models import BBox, OcrLine

TALL = 3.0  # a line this many times the page's typical text height is not text
# A line at least this many times as long as high has a slope worth extending across the
# page; a shorter one's polygon tilts by a few degrees either way (a label, a sub-label).
LONG = 5.0
SQUEEZED = 0.7  # a row this close (× the usual row pitch) above the next is written above it
OVER = 0.5  # a line over this share of whose width lies on another line is written over it
LOWER = 0.3  # … and one whose centre lies this many heights below that line's is above the next


class _Mid:
    """A line's centre line (left and right mid-points) and its text height.

    From the polygon rather than the box, so a line on a slanted photo keeps its
    true height and slope instead of a tall box that swallows its neighbours.
    """

    __slots__ = ("xl", "yl", "xr", "yr", "h", "line", "slope")

    def __init__(self, line: OcrLine) -> None:
        self.line = line
        pts = line.polygon
        if len(pts) == 4:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
            self.xl, self.yl = (x0 + x3) / 2, (y0 + y3) / 2
            self.xr, self.yr = (x1 + x2) / 2, (y1 + y2) / 2
            self.h = max(1.0, (abs(y3 - y0) + abs(y2 - y1)) / 2)
        else:
            b = line.bbox
            self.xl, self.xr = b[0], b[2]
            self.yl = self.yr = (b[1] + b[3]) / 2
            self.h = max(1.0, b[3] - b[1])
        if self.xr <= self.xl:
            self.xr = self.xl + 1.0
        self.slope = (self.yr - self.yl) / (self.xr - self.xl)

    @property
    def long(self) -> bool:
        return self.xr - self.xl >= LONG * self.h

    @property
    def cx(self) -> float:
        return (self.xl + self.xr) / 2

    @property
    def cy(self) -> float:
        return (self.yl + self.yr) / 2

    def y_at(self, x: float) -> float:
        return self.yl + self.slope * (x - self.xl)


def group_rows(lines: Sequence[OcrLine], tolerance: float = 0.6, *,
               short_slopes: bool = True) -> list[list[OcrLine]]:
    return [[m.line for m in row] for row in _rows(lines, tolerance, short_slopes=short_slopes)]


def _rows(lines: Sequence[OcrLine], tolerance: float = 0.6, *,
          short_slopes: bool = True) -> list[list[_Mid]]:
    """Group lines into visual rows (top to bottom), each row left to right.

    A line joins the row whose widest line's centre line, extended to where this line
    sits, passes within ``tolerance`` × the larger text height of its centre: a
    handwritten fill-in drawn a little above the printed underline still belongs to the
    printed line it fills, and slanted rows of a photographed page stay apart.
    ``short_slopes=False``: a short line's own slope is not extended across the page (a
    certificate's label column and value column may stand far apart); it runs at the
    median slope of the page's long lines instead.
    """
    mids = [_Mid(ln) for ln in lines]
    if not mids:
        return []
    if not short_slopes:
        page_slope = statistics.median([m.slope for m in mids if m.long] or [0.0])
        for m in mids:
            if not m.long:
                m.slope = page_slope
    typical = statistics.median(m.h for m in mids)
    rows: list[list[_Mid]] = []
    refs: list[_Mid] = []
    for mid in sorted(mids, key=lambda m: m.cy):
        # A box far taller than text (a photo, a seal read as a glyph) stands alone: its
        # height must not pull the rows it spans into one.
        tall = mid.h > TALL * typical
        best, best_d = None, 0.0
        for i, ref in enumerate(refs):
            if tall or ref.h > TALL * typical:
                continue
            d = abs(mid.cy - ref.y_at(mid.cx))
            if d <= tolerance * max(ref.h, mid.h) and (best is None or d < best_d):
                best, best_d = i, d
        if best is None:
            rows.append([mid])
            refs.append(mid)
        else:
            rows[best].append(mid)
            if mid.xr - mid.xl > refs[best].xr - refs[best].xl:
                refs[best] = mid  # the widest (printed, usually) line leads the row
    order = sorted(range(len(rows)), key=lambda i: statistics.median(m.cy for m in rows[i]))
    return [sorted(rows[i], key=lambda m: m.xl) for i in order]


def _over(m: _Mid, row: Sequence[_Mid]) -> _Mid | None:
    """The longer line of ``row`` that ``m`` mostly lies on (written over it), if any."""
    for o in row:
        if (o is not m and len(o.line.text) > len(m.line.text)
                and min(o.xr, m.xr) - max(o.xl, m.xl) > OVER * (m.xr - m.xl)):
            return o
    return None


def _lower_overlaps(rows: list[list[_Mid]]) -> list[list[_Mid]]:
    """A line lying on the print of its row but well below it was written above the
    next row (a value is written in a gap, on an underline or over the print, never
    under it): it moves to the next row."""
    out = [list(row) for row in rows]
    for i in range(len(out) - 1):
        for m in list(out[i]):
            o = _over(m, out[i])
            if o is not None and m.cy - o.y_at(m.cx) > LOWER * o.h:
                out[i].remove(m)
                out[i + 1] = sorted([*out[i + 1], m], key=lambda k: k.xl)
    return [row for row in out if row]


def join_interlinear(rows: list[list[_Mid]]) -> tuple[list[list[_Mid]], set[int]]:
    """Rows written between two printed rows, joined to the row below them.

    A value written above the printed words it belongs to (an agency above the printed
    placeholder, the rest of a name above the next line's start) is read as its own row,
    squeezed between two rows; it is read as part of the row below, at its place there.
    Returns the rows and the ids of the lines moved (to be read as blocks).
    """
    if len(rows) < 3:
        return rows, set()
    centres = [statistics.median(m.cy for m in row) for row in rows]
    widths = [max(m.xr for m in row) - min(m.xl for m in row) for row in rows]
    widest = max(widths)
    # the pitch of the printed rows (wide ones), not of the rows squeezed between them
    printed = [c for c, w in zip(centres, widths, strict=True) if w >= 0.5 * widest]
    steps = [b - a for a, b in zip(printed, printed[1:], strict=False)] or [
        b - a for a, b in zip(centres, centres[1:], strict=False)]
    pitch = statistics.median(steps)
    out: list[list[_Mid]] = []
    moved: set[int] = set()
    carry: list[_Mid] = []
    for i, row in enumerate(rows):
        row = sorted([*carry, *row], key=lambda m: m.xl)
        carry = []
        width = max(m.xr for m in row) - min(m.xl for m in row)
        if (0 < i < len(rows) - 1 and centres[i + 1] - centres[i] < SQUEEZED * pitch
                and width < 0.8 * widest and not moved.intersection(id(m.line) for m in row)):
            carry = row
            moved.update(id(m.line) for m in row)
            continue
        out.append(row)
    return out, moved


@dataclass
class TextMap:
    """Folded, whitespace-free text of some lines with a per-character origin map."""

    lines: list[OcrLine]
    text: str = ""
    origin: list[tuple[int, int]] = field(default_factory=list)  # (line index, char index)
    row_starts: list[int] = field(default_factory=list)  # text offsets where rows begin

    @classmethod
    def build(cls, rows: Sequence[Sequence[OcrLine]], blocks: frozenset[int] = frozenset()) -> TextMap:
        """Join rows in reading order; a line drawn inside another (a fill-in written
        over a printed line) is interleaved by its horizontal position, a line in
        ``blocks`` (ids) is put whole where it begins."""
        tm = cls(lines=[])
        chars: list[str] = []
        for row in rows:
            tm.row_starts.append(len(chars))
            for li, ci, ch in _row_chars(row, len(tm.lines), blocks):
                for f in fold(ch, keep_spaces=True):
                    if not f.isspace():
                        chars.append(f)
                        tm.origin.append((li, ci))
            tm.lines.extend(row)
        tm.text = "".join(chars)
        return tm

    @classmethod
    def from_lines(cls, lines: Sequence[OcrLine], interlinear: bool = False) -> TextMap:
        """``interlinear``: a form's values may be written above or over its printed
        words (:func:`join_interlinear`; a line mostly over another is put whole where
        it begins, not interleaved character by character)."""
        if not interlinear:
            return cls.build(group_rows(lines))
        rows, moved = join_interlinear(_lower_overlaps(_rows(lines)))
        blocks = set(moved)
        for row in rows:
            blocks.update(id(m.line) for m in row if _over(m, row) is not None)
        return cls.build([[m.line for m in row] for row in rows], frozenset(blocks))

    def row_of(self, pos: int) -> int:
        """Index of the row holding text offset ``pos``."""
        row = 0
        for i, start in enumerate(self.row_starts):
            if start <= pos:
                row = i
        return row

    def locate(self, start: int, end: int) -> tuple[BBox | None, float]:
        """Pixel box and mean confidence of the lines carrying ``text[start:end]``."""
        if end <= start or start >= len(self.origin):
            return None, 0.0
        per_line: dict[int, list[int]] = {}
        for li, ci in self.origin[start:end]:
            per_line.setdefault(li, []).append(ci)
        boxes = [_sub_box(self.lines[li], min(cs), max(cs) + 1) for li, cs in per_line.items()]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
               max(b[2] for b in boxes), max(b[3] for b in boxes))
        weights = [len(cs) for cs in per_line.values()]
        conf = sum(self.lines[li].confidence * w for li, w in zip(per_line, weights, strict=True))
        return box, conf / sum(weights)


def _sub_box(line: OcrLine, c0: int, c1: int) -> BBox:
    """Estimate the box of characters ``c0:c1`` of a line, proportionally by position."""
    x0, y0, x1, y1 = line.bbox
    n = max(1, len(line.text))
    if c0 <= 0 and c1 >= n:
        return line.bbox
    w = (x1 - x0) / n
    return (int(x0 + c0 * w), y0, int(round(x0 + c1 * w)), y1)


def _row_chars(row: Sequence[OcrLine], base: int, blocks: frozenset[int] = frozenset()
               ) -> list[tuple[int, int, str]]:
    """Characters of a row left to right as (line index, char index, char); a line in
    ``blocks`` stays whole, placed where it begins."""
    placed: list[tuple[float, int, int, str]] = []
    for k, line in enumerate(row):
        x0, _, x1, _ = line.bbox
        n = max(1, len(line.text))
        w = (x1 - x0) / n
        whole = id(line) in blocks
        for ci, ch in enumerate(line.text):
            placed.append((x0 + ci * 1e-3 if whole else x0 + (ci + 0.5) * w, base + k, ci, ch))
    # Lines that do not overlap keep their own order; overlapping ones interleave by x.
    placed.sort(key=lambda p: (p[0], p[1]))
    return [(li, ci, ch) for _, li, ci, ch in placed]
