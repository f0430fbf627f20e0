"""Certificates: label–value pairing by layout.

Labels (from each layout's :class:`~.specs.DocSpec`) are found in the page's visual rows;
a value is what follows its label on the same row (past a dotted leader, however far),
up to the next label or a wide gap, or, when nothing follows, the text just below the
label (never an English sub-label printed there). Works the same for the
skill-level certificate (portrait and landscape), each page of the two-page
qualification booklet, and any future form laid out with labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zhanchi.extractors.date_regions import repaired_date
from zhanchi.extractors.fields import Context, make_field, strip_edges, well_formed
from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.layout import TextMap, group_rows
from zhanchi.extractors.seal_text import drop_seal_text
from zhanchi.extractors.specs import DocSpec
from zhanchi.extractors.text import fold, has_cjk
from zhanchi.models import ExtractedField, OcrLine

# The layout names its labels, the printed labels that are no field but end the value
# before them (``stop_labels``) and the printed texts that never are a value (``captions``).
GAP_FACTOR = 3.0  # a horizontal gap wider than this × the row height ends a value
LABEL_RATIO = 0.25
# A label's colon, and the dotted leader some forms print from a label to a far value
# (read as dots, an ellipsis, dashes or a run of 一): never the start of a value.
LEADER = frozenset(":：.·…-_—~。，,、")
LEADER_RUN = "一"  # a run of two or more is a leader, one may start a value


@dataclass
class LabelHit:
    """A label found in a row: the fields it introduces (none for a stop label), where."""

    fields: tuple[str, ...]
    start: int
    end: int
    quality: float


def _find_labels(tm: TextMap, spec: DocSpec) -> list[LabelHit]:
    """Non-overlapping label hits in one row, longest labels first."""
    text = tm.text
    owners: dict[str, list[str]] = {fold(lbl, keep_spaces=True): [] for lbl in spec.stop_labels}
    for f in spec.fields:
        for lbl in f.labels:
            owners.setdefault(fold(lbl, keep_spaces=True), []).append(f.name)
    candidates = sorted(owners.items(), key=lambda c: -len(c[0]))
    taken = [False] * len(text)
    hits: list[LabelHit] = []
    for label, names in candidates:
        # With its colon first: a wrong last character (职业名祢：) then counts as one
        # substitution instead of a shorter label plus a stray character in the value.
        for phrase in (label + ":", label):
            _collect(tm, phrase, tuple(names), taken, hits)
    return sorted(hits, key=lambda h: h.start)


def _collect(tm: TextMap, label: str, names: tuple[str, ...], taken: list[bool],
             hits: list[LabelHit]) -> None:
    text = tm.text
    pos = 0
    core = len(label.rstrip(":"))
    while True:
        hit = search(text, label, LABEL_RATIO if core >= 4 else 0.0, pos)
        if hit is None:
            return
        b, e, cost = hit
        pos = e
        if any(taken[b:e]):
            continue
        after = text[e - 1] if label.endswith(":") else text[e:e + 1]
        # A label ends at its colon, or is a whole OCR box of its own; otherwise it is a
        # word inside a value or title (职业资格证书 is not the label 职业, the title
        # 职业技能等级证书 is not the label 职业技能等级, nor is …职业技能等级认定中心).
        colon = after in (":", "：")
        at_box_start = b == 0 or tm.origin[b - 1][0] != tm.origin[b][0]
        at_box_end = e >= len(text) or tm.origin[e][0] != tm.origin[e - 1][0]
        if not colon and not (at_box_start and at_box_end):
            continue
        for i in range(b, e):
            taken[i] = True
        hits.append(LabelHit(names, b, e, 1.0 - cost / len(label)))


def _after_leader(text: str, start: int, end: int) -> int:
    """Where a value begins after its label: past the colon and any dotted leader."""
    while start < end:
        if text[start] in LEADER:
            start += 1
        elif text[start:start + 2] == LEADER_RUN * 2:
            while start < end and text[start] == LEADER_RUN:
                start += 1
        else:
            break
    return start


def _value_end(tm: TextMap, start: int, end: int) -> int:
    """Cut a value at the first wide horizontal gap between two OCR boxes."""
    for i in range(start + 1, end):
        a, b = tm.origin[i - 1][0], tm.origin[i][0]
        if a != b:
            la, lb = tm.lines[a].bbox, tm.lines[b].bbox
            h = max(la[3] - la[1], lb[3] - lb[1])
            if lb[0] - la[2] > GAP_FACTOR * h:
                return i
    return end


class LabelReader:
    """Reads the fields of one page laid out as labels and values."""

    def __init__(self, lines: Sequence[OcrLine], spec: DocSpec, ctx: Context, page: int = 1) -> None:
        # seal text (ring pieces, 业务专用章) is no label and no part of any value, nor is
        # print without a Chinese character or a digit (English sub-labels: ID Type)
        printed = [ln for ln in drop_seal_text(lines) if not _latin_only(ln.text)]
        # a label's slope is no guide across the page to a far value column
        self.rows = [TextMap.build([row]) for row in group_rows(printed, short_slopes=False)]
        self.spec = spec
        self.ctx = ctx
        self.page = page
        self.parsers = {f.name: f.parser for f in spec.fields}
        # fields whose label was found but whose value was not: the label's box, for a
        # second, region-driven OCR pass (zhanchi.extractors.reread)
        self.unread: dict[str, tuple[int, int, int, int]] = {}

    def read(self) -> dict[str, ExtractedField]:
        out: dict[str, ExtractedField] = {}
        for r, tm in enumerate(self.rows):
            hits = _find_labels(tm, self.spec)
            for k, hit in enumerate(hits):
                if not hit.fields:
                    continue
                end = hits[k + 1].start if k + 1 < len(hits) else len(tm.text)
                start = _after_leader(tm.text, hit.end, end)
                end = _value_end(tm, start, end)
                for name in hit.fields:
                    if name in out:
                        continue
                    f = self._field(name, tm, start, end, hit.quality)
                    if f is None and not strip_edges(tm.text[start:end]):
                        f = self._below(name, r, tm.lines[tm.origin[hit.start][0]], hit.quality)
                    if f is not None:
                        out[name] = f
                        self.unread.pop(name, None)
                        if not well_formed(self.parsers[name], f.value):
                            # kept, but worth a second look (a seal may hide digits)
                            self.unread[name] = _span_box(tm, hit.start, hit.end)
                    else:
                        self.unread.setdefault(name, _span_box(tm, hit.start, hit.end))
        return out

    def _field(self, name: str, tm: TextMap, start: int, end: int, quality: float) -> ExtractedField | None:
        if end <= start:
            return None
        box, conf = tm.locate(start, end)
        f = make_field(self.parsers[name], tm.text[start:end], self.ctx, ocr_conf=conf,
                       bbox=box, page=self.page, quality=quality)
        if f is None and self.parsers[name] == "date":
            # a separator lost under a seal's ring (2025-0716)
            f = repaired_date(tm.text[start:end], self.ctx, ocr_conf=conf, bbox=box,
                              page=self.page, quality=quality)
        return f

    def _below(self, name: str, r: int, label: OcrLine, quality: float) -> ExtractedField | None:
        """The value printed under its label: the next row's text overlapping it in x,
        close below it, and not itself a label or a printed caption."""
        if r + 1 >= len(self.rows):
            return None
        x0, y0, x1, y1 = label.bbox
        h = y1 - y0
        below = [ln for ln in self.rows[r + 1].lines
                 if ln.bbox[0] < x1 + (x1 - x0) and ln.bbox[2] > x0 and ln.bbox[1] - y1 < 1.5 * h]
        if not below:
            return None
        tm = TextMap.build([below[:1]])
        if _find_labels(tm, self.spec) or any(search(tm.text, fold(c, keep_spaces=True), 0.25) for c in self.spec.captions):
            return None
        return self._field(name, tm, 0, len(tm.text), quality * 0.95)


def _latin_only(text: str) -> bool:
    """English print (a sub-label, a title's translation): letters, no CJK, no digit."""
    return any(ch.isascii() and ch.isalpha() for ch in text) and not any(
        has_cjk(ch) or ch.isdigit() for ch in text)


def _span_box(tm: TextMap, start: int, end: int) -> tuple[int, int, int, int]:
    box, _ = tm.locate(start, end)
    assert box is not None
    return box


def read_labelled(lines: Sequence[OcrLine], spec: DocSpec, ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """Every field of ``spec`` found on one page laid out as labels and values."""
    return LabelReader(lines, spec, ctx, page).read()
