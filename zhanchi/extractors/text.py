"""Character-level text helpers shared by every parser: width folding, whitespace,
Chinese numerals and the OCR look-alike table.
"""

from __future__ import annotations

from zhanchi.registry.text import fold as fold  # re-exported: the one fold

# Characters OCR confuses with each other in printed and handwritten Chinese. Used by the
# gazetteer (cheap substitution) and by fuzzy anchor search; never to rewrite a value.
LOOKALIKE_GROUPS: tuple[str, ...] = (
    "己已巳", "未末", "土士", "日曰目", "人入八", "千干于", "大太犬", "天夭", "王玉",
    "刀力", "戊戌戍", "市巿", "工エ", "口囗", "木术本", "白自", "贝见", "今令", "田由甲申",
    "折拆", "侯候", "准淮", "亳毫", "汩汨", "锡赐", "鉴签", "职耿", "证征", "书节",
    "酉西", "宜宣", "〇O0o○", "1lI|丨", "一-—", "二=", "：:", "，,、", "（(", "）)",
)
_LOOKALIKE: dict[str, int] = {}
for _i, _group in enumerate(LOOKALIKE_GROUPS):
    for _ch in _group:
        _LOOKALIKE.setdefault(_ch, _i)


# canonical's table: each look-alike to the first of its group (str.translate, in C).
_CANONICAL = {ord(ch): LOOKALIKE_GROUPS[g][0] for ch, g in _LOOKALIKE.items()}


def canonical(text: str) -> str:
    """Each character replaced by the first of its look-alike group (for fast pre-filters).

    >>> canonical("已末巿")
    '己未市'
    """
    return text.translate(_CANONICAL)


def lookalike(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are different characters OCR commonly confuses."""
    ga = _LOOKALIKE.get(a)
    return a != b and ga is not None and ga == _LOOKALIKE.get(b)


# The one fold of the project (registry.text): reading and comparing fold alike. The
# extractors pass ``keep_spaces=True`` where a position in the line matters.
# Widths folded and every whitespace dropped: the one fold's default, by its old name.
squash = fold


CN_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}


def cn_digit_string(text: str) -> int | None:
    """Read digit-by-digit Chinese numerals (``二〇二〇`` → 2020); ``None`` if any is not one."""
    if not text:
        return None
    value = 0
    for ch in text:
        d = CN_DIGITS.get(ch)
        if d is None:
            return None
        value = value * 10 + d
    return value


def cn_small_number(text: str) -> int | None:
    """Read 1–99 written the Chinese way (``十五``, ``二十一``, ``三十``) or as digits."""
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if "十" not in text:
        return cn_digit_string(text) if len(text) == 1 else None
    head, _, tail = text.partition("十")
    if "十" in tail:
        return None
    tens = 1 if head == "" else cn_digit_string(head)
    ones = 0 if tail == "" else cn_digit_string(tail)
    if tens is None or ones is None or len(head) > 1 or len(tail) > 1:
        return None
    return tens * 10 + ones


def has_cjk(text: str) -> bool:
    """True when the text holds at least one CJK ideograph."""
    return any("\u4e00" <= ch <= "\u9fff" or ch == "〇" for ch in text)
