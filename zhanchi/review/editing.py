"""A reviewer's typed correction → the field's SPEC §5 normal form, or a Chinese refusal.

Reviewers type dates and levels the way the paper prints them (``2021年3月5日``,
``四级``); the project's own parsers turn them into what the checks compare, so a
corrected field is held to exactly the same rules as a read one.
"""

from __future__ import annotations

from zhanchi.extractors.dates import parse_date
from zhanchi.extractors.levels import parse_level
from zhanchi.extractors.parse_errors import ParseError
from zhanchi.models import FieldValue
from zhanchi.registry.text import fold, norm_name, norm_number

MAX_LENGTH = 200
DATE_FIELDS = frozenset({"exam_date", "sign_date", "issue_date"})
FLAG_FIELDS = frozenset({"has_signature", "has_fingerprint"})
NUMBER_FIELDS = frozenset({"certificate_number", "id_number"})
NAME_FIELDS = frozenset({"signer_name", "holder_name"})
_TRUE = {"true", "1", "是", "有", "yes", "on"}
_FALSE = {"false", "0", "否", "无", "no", "off"}


class EditRejectedError(ValueError):
    """The typed value cannot be a value of that field; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_input(name: str, text: str) -> FieldValue:
    """The normal form of what a reviewer typed for field ``name``.

    >>> normalise_input("exam_date", "2020年8月15日"), normalise_input("level", "四级")
    ('2020-08-15', 4)
    >>> normalise_input("certificate_number", " s0000 3601 ")
    'S00003601'
    """
    text = (text or "").strip()
    if not text:
        raise EditRejectedError("请填写内容（不能为空）")
    if len(text) > MAX_LENGTH:
        raise EditRejectedError(f"内容过长（最多 {MAX_LENGTH} 个字符）")
    if name in FLAG_FIELDS:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise EditRejectedError("请选择“是”或“否”")
    if name in DATE_FIELDS:
        try:
            return parse_date(text)
        except ParseError:
            raise EditRejectedError("无法识别的日期，请填写如 2021-03-05 或 2021年3月5日") from None
    if name == "level":
        if text in {"1", "2", "3", "4", "5"}:
            return int(text)
        try:
            return parse_level(text)
        except ParseError:
            raise EditRejectedError("无法识别的等级，请填写 1–5 或 五级/初级工 等") from None
    if name in NUMBER_FIELDS:
        value = norm_number(text)
        if not value:
            raise EditRejectedError("编号只能包含字母和数字")
        return value
    if name in NAME_FIELDS:
        return norm_name(text)
    return fold(text)
