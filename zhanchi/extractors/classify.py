"""Page classification into the SPEC §2 types, and their layouts, from keyword evidence.

Every layout (:class:`~zhanchi.extractors.specs.DocSpec`) lists phrases with weights; a
page scores the weights of the phrases found in its text (exactly, or fuzzily in
proportion to the match), saturating at the layout's ``saturation``; a type scores its
best layout's score. Body phrases carry enough
weight that a page whose title is cut off or covered still classifies; a page with
(almost) no text, or one that looks more like an ID card or a form than any claim
document, is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.specs import SPECS, DocSpec
from zhanchi.extractors.text import fold
from zhanchi.models import DocType, OcrLine

MIN_CHARS = 12  # fewer characters than this: a blank or unreadable page


@dataclass(frozen=True)
class PageClass:
    """A page's type and the score of every type (0–1), for audits and review, and the
    layout it was recognised as (``None`` for an unrecognised page)."""

    type: DocType
    scores: dict[str, float] = field(default_factory=dict)
    layout: str | None = None

    @property
    def confidence(self) -> float:
        return self.scores.get(self.type, 0.0)


def keyword_score(text: str, spec: DocSpec) -> float:
    """The spec's saturated keyword evidence in ``text`` (folded, no whitespace)."""
    total = 0.0
    for phrase, weight in spec.keywords:
        p = fold(phrase, keep_spaces=True)
        # short phrases must match exactly: a one-character slip in 备案 is another word
        hit = search(text, p, 0.25 if len(p) >= 4 else 0.0)
        if hit is not None:
            total += weight * (1.0 - hit[2] / len(p))
    return min(1.0, total / spec.saturation)


def classify_text(text: str) -> PageClass:
    """Classify a page from its folded, whitespace-free text."""
    if len(text) < MIN_CHARS:
        return PageClass("unknown", dict.fromkeys((s.type for s in SPECS), 0.0))
    by_layout = {s.layout: round(keyword_score(text, s), 3) for s in SPECS}
    best_of: dict[str, DocSpec] = {}  # each type's best layout (the first of equals)
    for s in SPECS:
        if s.type not in best_of or by_layout[s.layout] > by_layout[best_of[s.type].layout]:
            best_of[s.type] = s
    scores = {t: by_layout[s.layout] for t, s in best_of.items()}
    claim = [t for t in scores if t != "unknown"]
    best = best_of[max(claim, key=lambda t: scores[t])]
    if scores[best.type] < best.min_score or scores["unknown"] > scores[best.type]:
        return PageClass("unknown", scores)
    return PageClass(best.type, scores, best.layout)


def classify_page(lines: Sequence[OcrLine]) -> PageClass:
    """Classify one page from its OCR lines (reading order is rebuilt here)."""
    return classify_text(TextMap.from_lines(lines).text)
