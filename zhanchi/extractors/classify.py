"""Page classification into the SPEC §2 types, and their layouts, from keyword evidence.

Every layout (:class:`~zhanchi.extractors.specs.DocSpec`) lists phrases with weights; a
page scores the weights of the phrases found in its text (exactly, or fuzzily in
proportion to the match), saturating at the layout's ``saturation``; a type scores its
best layout's score. Body phrases carry enough weight that a page whose title is cut
off or covered still classifies.

Pages that are no claim document (type ``unknown``: an application form, an ID card
copy, a blank back) are known by their own layouts too, and by three general rules:

* a page with fewer characters than a layout's ``max_chars`` is that layout (blank);
* a page's *heading* (its tallest print) that contains a layout's ``titles`` names the
  page: a form headed …申请表 is a form whatever particulars it shares with a
  certificate, a page headed 职业技能等级证书 is the certificate;
* what a page shares with a claim document is no evidence for it when the page also
  looks like the layout that shares it: on a page that reads as an application form,
  the labels 证书编号, 发证日期 … (the form's ``shares``) count for neither, so the
  certificate must show what only a certificate has (its title, issuer, query line).

Ties between a claim type and ``unknown`` go to ``unknown``: taking a form for a
certificate hides the real one's fields; a missed certificate is held for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.specs import SPECS, DocSpec
from zhanchi.extractors.text import fold, squash
from zhanchi.models import DocType, OcrLine

HEADING_RATIO = 1.3  # a heading's characters are this much taller than the page's median line
HEADINGS = 3  # the tallest lines looked at as the page's heading
OF_TALLEST = 0.75  # a heading is at least this share of the page's tallest line's height
TITLE_SCORE = 0.8  # a type named by the page's heading scores at least this


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


@lru_cache(maxsize=1024)  # the declared phrases
def _folded(phrase: str) -> str:
    return fold(phrase, keep_spaces=True)


def _hit(text: str, phrase: str) -> tuple[int, int, float] | None:
    p = _folded(phrase)
    # short phrases must match exactly: a one-character slip in 备案 is another word
    return search(text, p, 0.25 if len(p) >= 4 else 0.0)


def keyword_score(text: str, spec: DocSpec, neutral: frozenset[str] = frozenset(),
                  found: dict[str, float | None] | None = None) -> float:
    """The spec's saturated keyword evidence in ``text`` (folded, no whitespace),
    leaving out the ``neutral`` phrases (folded). ``found``: each phrase's match cost
    in this same text, filled and reused across the layouts scored on one page."""
    found = {} if found is None else found
    total = 0.0
    for phrase, weight in spec.keywords:
        folded = _folded(phrase)
        if folded in neutral:
            continue
        if phrase not in found:
            hit = _hit(text, phrase)
            found[phrase] = None if hit is None else hit[2]
        cost = found[phrase]
        if cost is not None:
            total += weight * (1.0 - cost / len(folded))
    return min(1.0, total / spec.saturation) if spec.keywords else 0.0


def headings(lines: Sequence[OcrLine]) -> list[str]:
    """The page's heading candidates: its tallest lines (folded, no spaces), tallest
    first, when they stand out from the page's usual line height and come near its
    tallest print. A value printed a little larger than its label (居民身份证 beside
    证件类型 on a certificate, over tiny English sub-labels that pull the usual height
    down) stands out from the usual lines, but it is no heading: the title is the
    page's largest print."""
    sized = [(ln.bbox[3] - ln.bbox[1], squash(ln.text)) for ln in lines if len(squash(ln.text)) >= 2]
    if len(sized) < 3:
        return []
    usual = median(h for h, _ in sized)
    top = max(h for h, _ in sized)
    tall = sorted((s for s in sized if s[0] >= max(HEADING_RATIO * usual, OF_TALLEST * top)),
                  key=lambda s: -s[0])
    return [t for _, t in tall[:HEADINGS]]


def titled(heads: Sequence[str]) -> DocSpec | None:
    """The layout the tallest heading names (its longest title found in it), if any."""
    for head in heads:
        named = [(len(t), s) for s in SPECS for t in s.titles if _hit(head, t) is not None]
        if named:
            return max(named, key=lambda n: n[0])[1]
    return None


def _scores(text: str) -> tuple[dict[str, float], dict[str, DocSpec]]:
    """Each type's best layout score, and that layout."""
    found: dict[str, float | None] = {}  # a phrase is looked for once per page
    by_layout = {s.layout: round(keyword_score(text, s, found=found), 3) for s in SPECS}
    sharing = [s for s in SPECS if s.shares and by_layout[s.layout] >= s.min_score]
    neutral = frozenset(_folded(p) for s in sharing for p in s.shares)
    if neutral:
        for s in SPECS:
            if s.group != "other":
                by_layout[s.layout] = round(keyword_score(text, s, neutral, found), 3)
    best_of: dict[str, DocSpec] = {}  # each type's best layout (the first of equals)
    for s in SPECS:
        if s.type not in best_of or by_layout[s.layout] > by_layout[best_of[s.type].layout]:
            best_of[s.type] = s
    return {t: by_layout[s.layout] for t, s in best_of.items()}, best_of


def classify_text(text: str, heads: Sequence[str] = ()) -> PageClass:
    """Classify a page from its folded, whitespace-free text and its heading candidates."""
    blank = next((s for s in SPECS if len(text) < s.max_chars), None)
    if blank is not None:
        return PageClass("unknown", dict.fromkeys((s.type for s in SPECS), 0.0), blank.layout)
    scores, best_of = _scores(text)
    named = titled(heads)
    if named is not None:
        scores[named.type] = max(scores[named.type], TITLE_SCORE)
        return PageClass(named.type, scores, named.layout)
    other = best_of["unknown"]
    other_layout = other.layout if scores["unknown"] >= other.min_score else None
    claim = [t for t in scores if t != "unknown"]
    best = best_of[max(claim, key=lambda t: scores[t])]
    if scores[best.type] < best.min_score or scores["unknown"] >= scores[best.type]:
        return PageClass("unknown", scores, other_layout)
    return PageClass(best.type, scores, best.layout)


def classify_page(lines: Sequence[OcrLine]) -> PageClass:
    """Classify one page from its OCR lines (reading order is rebuilt here)."""
    return classify_text(TextMap.from_lines(lines).text, headings(lines))
