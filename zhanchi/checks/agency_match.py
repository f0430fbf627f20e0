"""How near an agency name read from a scan is to the names of filed agencies.

Only an exact match (after normalising) passes ``agency_not_filed`` (SPEC §6). This
module finds the *nearest* filed agency, which the failing check names so a reviewer
confirms a misread in one step. OCR drops, adds or swaps a character now and then, but
南昌市职业技能鉴定中心 and 南昌县职业技能鉴定中心 are two real agencies one character
apart, so a name is compared in two layers:

* identifying tokens: place names (Jiangxi's divisions, provinces, any ``XX市/县/区``),
  numerals (第一 vs 第二) and the policy's protected terms (中心 vs 站, 电力 vs 电子).
  The query may not carry a token the candidate lacks, and may lose one only when a
  protected term (≥ 2 characters) is visibly garbled in place into a non-word (one
  character changed, or one lost from a term of 4 or more);
* everything else may differ by OCR noise within ``max_edits`` and ``min_similarity``.

Among candidates the best must be unique by ``ambiguity_margin`` (ambiguity fails).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from zhanchi.policy import AgencyMatching
from zhanchi.registry.text import norm_label

NUMERALS = frozenset("0123456789〇零一二三四五六七八九十百千两")
ADMIN_SUFFIXES = frozenset("省市县区州旗盟")


@dataclass(frozen=True)
class Token:
    """An identifying part of a name: its kind, text and span."""

    kind: str  # "place" | "term" | "numeral" | "admin"
    text: str
    start: int
    end: int


def levenshtein(a: str, b: str, limit: int) -> int | None:
    """Edit distance of ``a`` and ``b`` if at most ``limit``, else None (banded DP)."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [limit + 1] * len(b)
        lo, hi = max(1, i - limit), min(len(b), i + limit)
        for j in range(lo, hi + 1):
            cost = 0 if ca == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


class NameMatcher:
    """Compares two agency names under one policy's tolerance."""

    def __init__(self, cfg: AgencyMatching, places: frozenset[str]) -> None:
        self.cfg = cfg
        self._fold = str.maketrans(dict(cfg.ocr_folds))
        vocab = {norm_label(t): "term" for t in cfg.protected_terms}
        vocab.update({norm_label(p): "place" for p in places})
        self.vocab = {k: v for k, v in vocab.items() if k}
        self._longest = max((len(k) for k in self.vocab), default=1)

    def norm(self, name: str) -> str:
        return norm_label(name).translate(self._fold)

    def tokens(self, s: str) -> list[Token]:
        out: list[Token] = []
        covered = [False] * len(s)
        i = 0
        while i < len(s):  # vocabulary, longest match first
            for size in range(min(self._longest, len(s) - i), 0, -1):
                kind = self.vocab.get(s[i:i + size])
                if kind:
                    out.append(Token(kind, s[i:i + size], i, i + size))
                    covered[i:i + size] = [True] * size
                    i += size
                    break
            else:
                i += 1
        i = 0
        while i < len(s):  # numeral runs outside known words
            if s[i] in NUMERALS and not covered[i]:
                j = i
                while j < len(s) and s[j] in NUMERALS and not covered[j]:
                    j += 1
                out.append(Token("numeral", s[i:j], i, j))
                i = j
            else:
                i += 1
        for i, ch in enumerate(s):  # places the reference does not know: 杭州市, 某某县
            if ch in ADMIN_SUFFIXES and not covered[i] and i > 0:
                out.append(Token("admin", s[max(0, i - 2):i + 1], max(0, i - 2), i + 1))
        return out

    def _garbled_at(self, query: str, term: str) -> tuple[int, int] | None:
        """The span of ``query`` where ``term`` stands garbled into a non-word: one
        character changed, or (terms of 4+ characters) one lost, as when OCR cuts a line."""
        for size in (len(term), len(term) - 1) if len(term) >= 4 else (len(term),):
            for i in range(len(query) - size + 1):
                piece = query[i:i + size]
                if piece in self.vocab:
                    continue
                if size == len(term):
                    near = sum(a != b for a, b in zip(piece, term, strict=True)) == 1
                else:
                    near = any(term[:k] + term[k + 1:] == piece for k in range(len(term)))
                if near:
                    return i, i + size
        return None

    def differing_tokens(self, a: str, b: str) -> tuple[list[Token], list[Token]]:
        """The identifying tokens of ``a`` that ``b`` lacks, and those of ``b`` that ``a`` lacks.

        Both arguments are already normalised (:meth:`norm`). An alias a person vouches
        for must have none (no OCR excuse applies to a spelling someone chose).
        """
        ta, tb = self.tokens(a), self.tokens(b)
        return _minus(ta, tb), _minus(tb, ta)

    def distance(self, query: str, candidate: str) -> int | None:
        """Edit distance if ``query`` may be ``candidate`` read with OCR noise, else None.

        Both arguments are already normalised (:meth:`norm`).
        """
        if query == candidate:
            return 0
        d = levenshtein(query, candidate, self.cfg.max_edits)
        if d is None or 1 - d / max(len(query), len(candidate)) < self.cfg.min_similarity:
            return None
        extra, lost = self.differing_tokens(query, candidate)
        excused: list[tuple[int, int]] = []
        for token in lost:
            if token.kind != "term" or len(token.text) < 2:
                return None
            span = self._garbled_at(query, token.text)
            if span is None:
                return None
            excused.append(span)
        for token in extra:
            inside = any(s <= token.start and token.end <= e for s, e in excused)
            if token.kind != "term" or not inside:
                return None
        return d

    def same(self, a: str, b: str) -> bool:
        """True if the two printed names may be the same agency (both normalised here)."""
        return self.distance(self.norm(a), self.norm(b)) is not None


def _minus(a: list[Token], b: list[Token]) -> list[Token]:
    """Tokens of ``a`` not matched by an equal (kind, text) token of ``b``."""
    left = Counter((t.kind, t.text) for t in b)
    out = []
    for t in a:
        if left[(t.kind, t.text)] > 0:
            left[(t.kind, t.text)] -= 1
        else:
            out.append(t)
    return out
