"""Weighted edit distance for OCR'd Chinese, and fuzzy search of a phrase in a text.

Costs reflect how OCR goes wrong: a look-alike character (己/已, 未/末, 市/巿) is a cheap
substitution; a character of the reference missing from the text (lost under a seal,
torn off) costs less than an unrelated substitution; a blot read as ``□``/``*``/``?``
counts as half a substitution.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate

from zhanchi.extractors.text import canonical, lookalike

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


def only_doubtful_edits(text: str, ref: str) -> bool:
    """True when ``text`` can be ``ref`` read with doubt only: every difference is a
    look-alike or a blot read in place of a character of ``ref``, or a character of
    ``ref`` lost (under a seal, at a line wrap). A plainly different character, or one
    ``ref`` lacks, is a confident reading of something else: no reference list may
    replace it (评定 is not a doubtful 评价).
    """
    if len(text) > len(ref):
        return False
    prev = [True] * (len(ref) + 1)  # prev[j]: the text so far aligns with ref[:j] doubtfully
    for a in text:
        cur = [False] * (len(ref) + 1)
        for j, b in enumerate(ref, 1):
            same = a == b or a in _BLOTS or lookalike(a, b)
            cur[j] = (prev[j - 1] and same) or cur[j - 1]  # match / lost ref character
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
        cur = [0.0] * (n + 1)
        cur_begin = [i + 1] * (n + 1)
        for j in range(1, n + 1):
            b = phrase[j - 1]
            diag = prev[j - 1] + (0.0 if a == b else _sub_cost(a, b))
            up = prev[j] + EXTRA
            left = cur[j - 1] + MISSING
            if diag <= up and diag <= left:
                cur[j], cur_begin[j] = diag, begins[j - 1]
            elif up <= left:
                cur[j], cur_begin[j] = up, begins[j]
            else:
                cur[j], cur_begin[j] = left, cur_begin[j - 1]
        if cur[n] <= max_cost and (best is None or cur[n] < best[2]):
            best = (cur_begin[n], i + 1, cur[n])
        prev, begins = cur, cur_begin
    return best


SHORT = 3  # phrases up to this long are aligned over the whole text


def search(text: str, phrase: str, max_ratio: float = 0.25, start: int = 0) -> tuple[int, int, float] | None:
    """Find ``phrase`` in ``text[start:]`` exactly or with at most ``max_ratio`` × its
    length in weighted edits; returns ``(begin, end, cost)`` or ``None``.

    Longer phrases are aligned only around the few places where most of their character
    pairs occur (a sliding count of shared bigrams, look-alikes counted as equal), so a
    search stays about linear in the text's length.
    """
    exact = text.find(phrase, start)
    if exact >= 0:
        return exact, exact + len(phrase), 0.0
    max_cost = max_ratio * len(phrase)
    if max_cost < LOOKALIKE or len(phrase) < 2:
        return None
    n = len(phrase)
    if n <= SHORT or len(text) - start <= n + 2:
        return find_fuzzy(text, phrase, max_cost, start)
    return best_near(text, phrase, max_cost, start, pick_windows(text, phrase, max_cost, start))


def pick_windows(text: str, phrase: str, max_cost: float, start: int) -> list[int]:
    """Up to three places (offsets from ``start``) where a window of ``len(phrase) - 1``
    character pairs shares the most pairs with ``phrase`` (look-alikes as one), at least
    as many as ``max_cost`` of edits can leave, the best first and none within half the
    phrase of a better one. ``text[start:]`` must be longer than the phrase."""
    n = len(phrase)
    cp = canonical(phrase)
    pairs = {cp[i:i + 2] for i in range(n - 1)}
    at = _pair_positions(text[start:] if start else text)
    marks = [0] * (len(text) - start - 1)
    for pair in pairs:
        for i in at.get(pair, ()):
            marks[i] = 1
    # each costly edit breaks at most two pairs
    need = max(1, int(n - 1 - 2 * max_cost / SUB))
    # shared pairs in each window of n - 1 positions (prefix sums)
    pre = [0, *accumulate(marks)]
    if pre[-1] < need:
        return []
    window = n - 1
    likely = [k for k in range(len(marks) - window + 1) if pre[k + window] - pre[k] >= need]
    likely.sort(key=lambda k: (pre[k] - pre[k + window], k))  # most shared first
    picked: list[int] = []
    for p in likely:
        if len(picked) == 3:
            break
        if all(abs(p - q) > n // 2 for q in picked):
            picked.append(p)
    return picked


def best_near(text: str, phrase: str, max_cost: float, start: int,
              picked: list[int]) -> tuple[int, int, float] | None:
    """The cheapest match of ``phrase`` in windows around the ``picked`` positions
    (offsets from ``start``), ties to the earliest; ``None`` when no window matches."""
    n = len(phrase)
    best: tuple[int, int, float] | None = None
    for p in picked:
        w0 = start + max(0, p - n // 2 - 1)
        w1 = min(len(text), start + p + n + n // 2 + 1)
        found = find_fuzzy(text[:w1], phrase, max_cost, w0)
        if found and (best is None or (found[2], found[0]) < (best[2], best[0])):
            best = found
    return best


@lru_cache(maxsize=32)
def _pair_positions(text: str) -> dict[str, list[int]]:
    """Where each character pair of ``text`` occurs (look-alikes as one), computed once
    per text: a page's text is searched for many phrases in turn."""
    ct = canonical(text)
    at: dict[str, list[int]] = {}
    for i in range(len(ct) - 1):
        at.setdefault(ct[i:i + 2], []).append(i)
    return at
