"""A value written over, above or beside a printed placeholder, told from the placeholder.

Some printings of a form have no blank for a value, only a printed hint in brackets
(参加了（职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称）组织开展的), and the
applicant writes the name before it, after it, above it or over it; others print a blank
and no hint. In reading order the stretch between the two anchors then holds the value
and the placeholder in any arrangement, the value possibly in two runs (the rest of a
name continued on the next line). :func:`value_runs` aligns the stretch to the
placeholder, where the value's characters are insertions: a run costs an opening, so
the value is read as few whole runs and the placeholder's own words never join it.
"""

from __future__ import annotations

from zhanchi.extractors.fuzzy import LOOKALIKE, SUB
from zhanchi.extractors.text import lookalike

OPEN = 3.0  # a run of value characters begins
EXTEND = 0.2  # one more character of value
HIDDEN = 0.6  # a placeholder character not read (under the handwriting, at a wrap)
SPLIT_QUALITY = 0.85  # a value read in two runs (continued inside the placeholder): doubtful
PRESENT = 0.4  # share of the placeholder that must be matched for it to count as printed

_INF = float("inf")


def _sub(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return LOOKALIKE if lookalike(a, b) else SUB


def value_runs(seg: str, placeholder: str) -> list[tuple[int, int]]:
    """The runs of ``seg`` that are not the printed ``placeholder`` (offsets in ``seg``),
    in reading order; the whole of ``seg`` when the placeholder is not there."""
    n, m = len(seg), len(placeholder)
    if n == 0 or m == 0:
        return [(0, n)] if n else []
    # M: last step matched or skipped a placeholder character; V: last step took a value character
    big_m = [[_INF] * (m + 1) for _ in range(n + 1)]
    big_v = [[_INF] * (m + 1) for _ in range(n + 1)]
    back_m: list[list[tuple[str, int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    back_v: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    big_m[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, step = _INF, None
            if i > 0 and j > 0:
                c = _sub(seg[i - 1], placeholder[j - 1])
                for state, table in (("M", big_m), ("V", big_v)):
                    if table[i - 1][j - 1] + c < best:
                        best, step = table[i - 1][j - 1] + c, (state, i - 1, j - 1)
            if j > 0:
                for state, table in (("M", big_m), ("V", big_v)):
                    if table[i][j - 1] + HIDDEN < best:
                        best, step = table[i][j - 1] + HIDDEN, (state, i, j - 1)
            big_m[i][j], back_m[i][j] = best, step
            if i > 0:
                opened, extended = big_m[i - 1][j] + OPEN + EXTEND, big_v[i - 1][j] + EXTEND
                big_v[i][j], back_v[i][j] = (opened, "M") if opened <= extended else (extended, "V")
    state = "M" if big_m[n][m] <= big_v[n][m] else "V"
    i, j, matched, taken = n, m, 0, []
    while i > 0 or j > 0:
        if state == "V":
            taken.append(i - 1)
            state, i = back_v[i][j], i - 1
            continue
        step = back_m[i][j]
        assert step is not None
        prev_state, pi, pj = step
        if pi < i and seg[pi] == placeholder[pj] or pi < i and lookalike(seg[pi], placeholder[pj]):
            matched += 1
        state, i, j = prev_state, pi, pj
    if matched < PRESENT * m:
        return [(0, n)]
    runs: list[tuple[int, int]] = []
    for k in sorted(taken):
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs
