"""Skill levels in every printed form, to the SPEC §5 integer 1–5.

5 = 五级/初级工, 4 = 四级/中级工, 3 = 三级/高级工, 2 = 二级/技师, 1 = 一级/高级技师.
Both halves of ``三级/高级工`` must agree; a text naming two different levels is an error,
not a guess.
"""

from __future__ import annotations

import re

from zhanchi.extractors.parse_errors import LevelParseError
from zhanchi.extractors.text import squash

LEVEL_NAMES: dict[int, str] = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}

_NUMERAL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
# Order matters: 高级技师 before 技师, 高级工 before 高级.
_TITLES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"高级技师"), 1),
    (re.compile(r"技师"), 2),
    (re.compile(r"高级(?:工)?"), 3),
    (re.compile(r"中级(?:工)?"), 4),
    (re.compile(r"初级(?:工)?"), 5),
)
# "级" after a numeral; not 等级 / 年级 etc. (those have no numeral before 级).
_NUMBERED = re.compile(r"(?:第)?([一二三四五12345])级")


def find_levels(text: str) -> list[tuple[int, int, int]]:
    """All level mentions as ``(start, end, level)`` in the squashed text."""
    s = squash(text)
    hits: list[tuple[int, int, int]] = []
    taken = [False] * len(s)
    for pattern, level in _TITLES:
        for m in pattern.finditer(s):
            if any(taken[m.start():m.end()]):
                continue
            hits.append((m.start(), m.end(), level))
            for i in range(m.start(), m.end()):
                taken[i] = True
    for m in _NUMBERED.finditer(s):
        if any(taken[m.start():m.end()]):
            continue
        hits.append((m.start(), m.end(), _NUMERAL[m[1]]))
    return sorted(hits)


def parse_level(text: str) -> int:
    """Return the level 1–5 named in ``text`` or raise LevelParseError.

    >>> parse_level("三级/高级工"), parse_level("国家职业资格五级"), parse_level("高级技师")
    (3, 5, 1)
    """
    if not squash(text):
        raise LevelParseError("empty text")
    levels = {lvl for _, _, lvl in find_levels(text)}
    if not levels:
        raise LevelParseError("no level named")
    if len(levels) > 1:
        raise LevelParseError("conflicting levels")
    return levels.pop()


def level_digit(number: str) -> int | None:
    """The level digit of a certificate number (22-char skill / 16-digit qualification)."""
    if re.fullmatch(r"[YS]\d{21}", number):
        return int(number[15])
    if re.fullmatch(r"\d{16}", number):
        return int(number[10])
    return None
