"""Weighted edit distance for OCR'd Chinese, and fuzzy search of a phrase in a text.

Costs reflect how OCR goes wrong: a look-alike character (己/已, 未/末, 市/巿) is a cheap
substitution; a character of the reference missing from the text (lost under a seal,
torn off) costs less than an unrelated substitution; a blot read as ``□``/``*``/``?``
counts as half a substitution.
"""

from __future__ import annotations

from zhanchi.extractors.text import lookalike

SUB = 1.0
LOOKALIKE = 0.3
BLOT = 0.5
MISSING = 0.8  # a reference character the text does not have
EXTRA = 1.0  # a text character the reference does not have
_BLOTS = frozenset("□■*?？●�_")


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in _BLOTS or b in _BLOTS:
        return BLOT
    return LOOKALIKE if lookalike(a, b) else SUB


def distance(text: str, ref: str, limit: float = float("inf")) -> float:
    """Weighted edit distance from ``text`` (as read) to ``ref`` (a known value).

    Returns a value above ``limit`` early when the distance cannot stay within it.
    """
    if text == ref:
        return 0.0
    if abs(len(text) - len(ref)) * min(MISSING, EXTRA) > limit:
        return limit + 1.0
    prev = [j * MISSING for j in range(len(ref) + 1)]
    for i, a in enumerate(text, 1):
        cur = [i * EXTRA] + [0.0] * len(ref)
        for j, b in enumerate(ref, 1):
            cur[j] = min(prev[j] + EXTRA, cur[j - 1] + MISSING, prev[j - 1] + _sub_cost(a, b))
        if min(cur) > limit:
            return limit + 1.0
        prev = cur
    return prev[-1]


def find_fuzzy(text: str, phrase: str, max_cost: float, start: int = 0) -> tuple[int, int, float] | None:
    """Best approximate occurrence of ``phrase`` in ``text[start:]`` (semi-global alignment).

    Returns ``(begin, end, cost)`` of the cheapest match within ``max_cost`` (earliest on a
    tie) or ``None``. Used to find template anchors and labels in noisy OCR text.
    """
    if not phrase:
        return None
    exact = text.find(phrase, start)
    if exact >= 0:
        return exact, exact + len(phrase), 0.0
    n = len(phrase)
    # dp over phrase positions; the match may begin anywhere in text (free prefix).
    prev = [j * MISSING for j in range(n + 1)]
    begins = [start] * (n + 1)
    best: tuple[int, int, float] | None = None
    for i in range(start, len(text)):
        a = text[i]
        cur = [0.0] + [0.0] * n
        cur_begin = [i + 1] + [0] * n
        for j in range(1, n + 1):
            options = (
                (prev[j - 1] + _sub_cost(a, phrase[j - 1]), begins[j - 1]),
                (prev[j] + EXTRA, begins[j]),
                (cur[j - 1] + MISSING, cur_begin[j - 1]),
            )
            cur[j], cur_begin[j] = min(options, key=lambda o: o[0])
        if cur[n] <= max_cost and (best is None or cur[n] < best[2]):
            best = (cur_begin[n], i + 1, cur[n])
        prev, begins = cur, cur_begin
    return best


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def search(text: str, phrase: str, max_ratio: float = 0.25, start: int = 0) -> tuple[int, int, float] | None:
    """Find ``phrase`` in ``text[start:]`` exactly or with at most ``max_ratio`` × its
    length in weighted edits; returns ``(begin, end, cost)`` or ``None``.

    Fast path for long texts: the costly alignment only runs in windows around
    characters the phrase shares with the text.
    """
    exact = text.find(phrase, start)
    if exact >= 0:
        return exact, exact + len(phrase), 0.0
    max_cost = max_ratio * len(phrase)
    if max_cost < LOOKALIKE or len(phrase) < 2:
        return None
    chars = set(phrase)
    n = len(phrase)
    hits = [i for i in range(start, len(text)) if text[i] in chars]
    need = max(1, int(n - max_cost / min(SUB, EXTRA, MISSING) - 0.5))
    best: tuple[int, int, float] | None = None
    i = 0
    while i < len(hits):
        # a window of ~2n characters starting at this hit must share enough characters
        lo = hits[i]
        j = i
        while j < len(hits) and hits[j] < lo + n + 2:
            j += 1
        if j - i >= min(need, n - 1):
            w0, w1 = max(start, lo - 2), min(len(text), lo + n + 3)
            found = find_fuzzy(text[:w1], phrase, max_cost, w0)
            if found and (best is None or found[2] < best[2]):
                best = found
                if found[2] == 0:
                    break
            i = j if found else i + 1
        else:
            i += 1
    return best
