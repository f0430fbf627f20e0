"""Aligning text to a printed template: anchors found in order, blanks between them.

Used by every document whose values sit inside fixed wording: the 承诺书's blanks
and the filing proof's sentence (兹证明 … 已纳入 … 备案管理).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zhanchi.extractors.fields import strip_edges
from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.text import fold

ANCHOR_RATIO = 0.3  # weighted edits per anchor character still accepted

Template = Sequence[tuple[str, tuple[str, ...]]]


@dataclass
class Blank:
    """A stretch of text between two anchors, and how well those anchors matched."""

    fields: tuple[str, ...]
    start: int
    end: int
    quality: float
    closed: bool  # the template's next anchor was found right after it


def align(text: str, template: Template, ratio: float = ANCHOR_RATIO) -> list[Blank]:
    """Find the template's anchors in order; return the stretches that follow them.

    An anchor that is not found is skipped: the blank before it then runs on to the
    next anchor that was found and is marked not ``closed`` (it may hold two values).
    """
    found: list[tuple[int, int, int, float]] = []  # (template index, begin, end, quality)
    pos = 0
    for i, (anchor, _) in enumerate(template):
        a = fold(anchor, keep_spaces=True)
        hit = search(text, a, ratio, pos)
        if hit is not None:
            found.append((i, hit[0], hit[1], 1.0 - hit[2] / len(a)))
            pos = hit[1]
    blanks: list[Blank] = []
    last = len(template) - 1
    for k, (i, _, end, q) in enumerate(found):
        names = template[i][1]
        if not names:
            continue
        if k + 1 < len(found):
            j, nbegin, _, nq = found[k + 1]
            blanks.append(Blank(names, end, nbegin, min(q, nq), closed=j == i + 1))
        else:
            blanks.append(Blank(names, end, len(text), q, closed=i == last))
    return blanks


def trim_span(tm: TextMap, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to its value, without the punctuation and underlines around it."""
    s = tm.text[start:end]
    inner = strip_edges(s)
    if not inner:
        return start, start
    off = s.find(inner)
    return start + off, start + off + len(inner)
