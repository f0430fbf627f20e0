"""Known names (places, occupations, agencies) and snapping noisy OCR values to them.

A blank spaCy ``zh`` pipeline (character segmenter: works offline) with an
EntityRuler finds known names in free text; :meth:`Gazetteer.snap` snaps one noisy
value to a known one when the noise is small and keeps the raw text beside it. It never
snaps when two different known values are about as close: that comes back
``ambiguous`` so the field's confidence drops and the packet goes to review.

Values are what the page says: a known name may only be *picked among doubtful
readings* — where every difference is a look-alike, a blot or a lost character
(:func:`~.fuzzy.only_doubtful_edits`). A read that differs by a plainly different
character (萍乡市技能人才评定中心 against the filed …评价中心) is a confident read of
another name: it is kept as read, with the known name beside it (``near``).

>>> g = get_gazetteer(("南昌市职业技能鉴定中心",))
>>> g.snap("agency", "南昌巿职业技能鉴定中心").value
'南昌市职业技能鉴定中心'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from zhanchi.extractors.fuzzy import distance, only_doubtful_edits
from zhanchi.extractors.reference import load_reference
from zhanchi.extractors.text import canonical, squash

Kind = Literal["province", "city", "county", "occupation", "agency"]
KINDS: tuple[Kind, ...] = ("province", "city", "county", "occupation", "agency")

# Similarity below which a value is "not a known one" at all. Agencies are stricter:
# an unfiled agency may be named like a filed one, and snapping it would hide that.
MIN_SCORE: dict[str, float] = {
    "province": 0.72, "city": 0.72, "county": 0.72, "occupation": 0.75, "agency": 0.88,
}
TRUNCATED_MIN = 5  # characters a truncated read must keep to be completed …
KEPT_SHARE = 0.6  # … and the share of the known name's characters
MARGIN = 0.6  # weighted edits by which the best candidate must beat a different one


class SnapResult(NamedTuple):
    """A value snapped to a known name (or left as read) and how sure that is.

    ``score`` is 1.0 for an exact known name, the similarity for a snapped one and 0.0
    when nothing known is close; ``ambiguous`` means two known names were about as close;
    ``near`` is a known name the read resembles but may not be replaced by (score 0.0).
    """

    value: str
    raw: str
    score: float
    ambiguous: bool = False
    near: str = ""

    @property
    def known(self) -> bool:
        return self.score > 0.0 and not self.ambiguous


class Entity(NamedTuple):
    """A known name found in a text: its kind, canonical value and character span."""

    kind: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class _Entry:
    surface: str  # what may be printed
    value: str  # what it normalises to
    parent: str = ""


def _reference_entries() -> dict[str, list[_Entry]]:
    ref = load_reference()
    entries: dict[str, list[_Entry]] = {k: [] for k in KINDS}
    for full, short in ref.provinces.items():
        entries["province"] += [_Entry(full, full), _Entry(short, full)]
    for d in ref.divisions:
        kind = "city" if d.level == "prefecture" else "county" if d.level == "county" else ""
        if kind:
            entries[kind].append(_Entry(d.name, d.name, d.parent))
            bare = d.name[:-1] if d.name[-1] in "市县区" else ""
            if len(bare) >= 2:  # printed without its suffix (宜春 for 宜春市)
                entries[kind].append(_Entry(bare, d.name, d.parent))
    for name in ref.occupations:
        entries["occupation"].append(_Entry(name, name))
    for old in ref.old_occupations:
        entries["occupation"].append(_Entry(old, old))  # printed old names stay as printed
    return entries


class Gazetteer:
    """Known names by kind, a spaCy EntityRuler over them, and fuzzy snapping."""

    def __init__(self, agencies: Iterable[str] = ()) -> None:
        self._entries = _reference_entries()
        self._entries["agency"] = [_Entry(squash(a), squash(a)) for a in agencies if squash(a)]
        self._exact: dict[str, dict[str, str]] = {
            k: {e.surface: e.value for e in es} for k, es in self._entries.items()
        }
        import spacy  # here, not at import time: importing zhanchi stays cheap

        self.nlp = spacy.blank("zh")  # default segmenter "char": no downloads
        ruler: Any = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        patterns = [
            {"label": kind.upper(), "pattern": e.surface, "id": e.value}
            for kind, es in self._entries.items()
            for e in es
        ]
        ruler.add_patterns(patterns)
        self._cache: dict[tuple[str, str, str], SnapResult] = {}

    def resembles(self, kind: Kind, text: str) -> bool:
        """Whether ``text`` is a known name with one or two characters lost (a
        subsequence of it) or one changed (as long, three characters or more, one place
        differs): read where no known name is, that is more likely a misread than a
        name of its own."""
        raw = squash(text)
        if len(raw) < 2:
            return False
        for e in self._entries[kind]:
            extra = len(e.surface) - len(raw)
            if extra == 0 and len(raw) >= 3 and sum(
                    a != b for a, b in zip(e.surface, raw, strict=True)) == 1:
                return True
            if 0 < extra <= 2 and subsequence(raw, e.surface):
                return True
        return False

    def shortest(self, kind: Kind) -> int:
        """The length of the shortest known name of a kind (0 when none is known)."""
        return min((len(e.surface) for e in self._entries[kind]), default=0)

    def names(self, kind: Kind, *, parent: str | None = None) -> list[str]:
        """Every canonical value of a kind (of ``parent``'s, a city's counties, when it
        has any)."""
        entries: Sequence[_Entry] = self._entries[kind]
        if parent:
            entries = [e for e in entries if e.parent == parent] or entries
        return sorted({e.value for e in entries})

    def find(self, text: str) -> list[Entity]:
        """Known names occurring exactly in ``text`` (longest match wins)."""
        doc = self.nlp(text)
        return [Entity(ent.label_.lower(), ent.ent_id_ or ent.text, ent.start_char, ent.end_char)
                for ent in doc.ents]

    def snap(self, kind: Kind, text: str, *, parent: str | None = None) -> SnapResult:
        """Snap ``text`` to a known ``kind`` value when the OCR noise is small.

        ``parent`` (a city, for counties) narrows the candidates first, so a county is
        never snapped into a different city.
        """
        key = (kind, text, parent or "")
        hit = self._cache.get(key)
        if hit is None:
            hit = self._snap(kind, text, parent)
            if len(self._cache) < 100_000:
                self._cache[key] = hit
        return hit

    def _snap(self, kind: Kind, text: str, parent: str | None) -> SnapResult:
        raw = squash(text)
        exact = self._exact[kind].get(raw)
        if exact is not None:
            return SnapResult(exact, raw, 1.0)
        entries: Sequence[_Entry] = self._entries[kind]
        if parent:
            entries = [e for e in entries if e.parent == parent] or entries
        scored: dict[str, tuple[float, float]] = {}  # value -> (distance, score)
        min_score = MIN_SCORE[kind]
        for e in entries:
            limit = (1.0 - min_score) * len(e.surface) + MARGIN
            d = distance(raw, e.surface, limit)
            if d > limit:
                continue
            score = 1.0 - d / max(len(e.surface), len(raw), 1)
            if e.value not in scored or d < scored[e.value][0]:
                scored[e.value] = (d, score)
        if not scored:
            return self._truncated(kind, raw, entries)
        ranked = sorted(scored.items(), key=lambda kv: kv[1][0])
        best_value, (best_d, best_score) = ranked[0]
        if best_score < min_score:
            return self._truncated(kind, raw, entries)
        if len(ranked) > 1 and ranked[1][1][0] - best_d < MARGIN:
            return SnapResult(raw, raw, best_score, ambiguous=True)
        surfaces = [e.surface for e in entries if e.value == best_value]
        if not any(only_doubtful_edits(raw, sf) for sf in surfaces):
            return SnapResult(raw, raw, 0.0, near=best_value)
        return SnapResult(best_value, raw, best_score)


    def _truncated(self, kind: Kind, raw: str, entries: Sequence[_Entry]) -> SnapResult:
        """A long name with characters lost under a seal or a fold (its head, its tail or
        a few inside): complete it when it is a subsequence (look-alikes equal, so only
        doubtful readings are completed) of exactly one known name. The
        score stays below what a full read earns, so such a field still goes to review."""
        if kind not in ("agency", "occupation") or len(raw) < TRUNCATED_MIN:
            return SnapResult(raw, raw, 0.0)
        cr = canonical(raw)
        found = {e.value: e for e in entries
                 if len(raw) >= KEPT_SHARE * len(e.surface) and subsequence(cr, canonical(e.surface))}
        if len(found) != 1:
            return SnapResult(raw, raw, 0.0, ambiguous=len(found) > 1)
        value, e = next(iter(found.items()))
        return SnapResult(value, raw, round(0.6 + 0.3 * len(raw) / len(e.surface), 3))


def subsequence(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with characters left out (in order), or equal."""
    it = iter(long)
    return all(ch in it for ch in short)


@lru_cache(maxsize=8)
def _cached(agencies: tuple[str, ...]) -> Gazetteer:
    return Gazetteer(agencies)


def get_gazetteer(agencies: Iterable[str] | None = None) -> Gazetteer:
    """The process-wide gazetteer for this agency list (built once per distinct list)."""
    return _cached(tuple(sorted(set(agencies or ()))))
