"""Text normal forms shared by the registries and the checks (SPEC §5).

Both sides of every comparison go through the same function, so a registry value
and a value read from a scan can only differ in substance, never in spelling
(full-width digits, stray spaces, a Kangxi-radical ``⼯`` instead of ``工``).
"""

from __future__ import annotations

import unicodedata

# Middle dots seen in minority names (阿依古丽·买买提): OCR and typists use any of them.
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", ".": "·"})


def fold(text: str) -> str:
    """NFKC-fold (full-width → ASCII, compatibility ideographs → unified) and drop whitespace.

    >>> fold("Ｓ０００ ０３６")
    'S000036'
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


def norm_number(text: str) -> str:
    """A certificate or ID number: folded, upper case, no separators.

    >>> norm_number(" s0000-36 ")
    'S000036'
    """
    return "".join(ch for ch in fold(text).upper() if ch.isalnum())


def norm_name(text: str) -> str:
    """A person's name as printed, whitespace removed, middle dots unified.

    >>> norm_name("阿依古丽 • 买买提")
    '阿依古丽·买买提'
    """
    return fold(text).translate(_NAME_DOTS)


def norm_label(text: str) -> str:
    """An agency, occupation or place name: folded, punctuation and symbols removed.

    Brackets are dropped rather than kept so that ``（`` vs ``(`` or a lost bracket
    in OCR never decides a match on its own.

    >>> norm_label("江西省 职业技能鉴定指导中心（南昌）")
    '江西省职业技能鉴定指导中心南昌'
    """
    return "".join(
        ch for ch in fold(text) if unicodedata.category(ch)[0] not in ("P", "Z", "C", "S")
    )
