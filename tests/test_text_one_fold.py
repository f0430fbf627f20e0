"""One fold for reading and comparing: it gives what each of the two old ones gave.

The two definitions it replaced (``extractors.text.fold``, which kept whitespace, and
``registry.text.fold``, which dropped it) are written out here as the reference.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from zhanchi.extractors import text as extractor_text
from zhanchi.registry.text import TRADITIONAL_TO_SIMPLIFIED, fold


def old_extractor_fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(TRADITIONAL_TO_SIMPLIFIED)


def old_registry_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(TRADITIONAL_TO_SIMPLIFIED)
    return "".join(ch for ch in folded if not ch.isspace())


def old_squash(text: str) -> str:
    import re

    return re.sub(r"\s+", "", old_extractor_fold(text))


# Full-width forms, Kangxi radicals, traditional forms, CJK, every kind of space.
SAMPLES = ["Ｓ０００ ０３６", "鷹潭市技工學校", "⼯ 作\u3000证\t号", "ＡＢ１２（：", " a\u00a0b\u2003c\n",
           "阿依古丽 • 买买提", ""]
TEXT = st.one_of(st.sampled_from(SAMPLES), st.text(alphabet=st.characters(
    categories=("Lu", "Ll", "Nd", "Lo", "Zs", "Cc", "Po", "Ps", "Pe", "So")), max_size=40),
    st.text(alphabet="".join(SAMPLES) + "業級認證職資書 \u3000\t", max_size=40))


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_one_fold_gives_what_the_two_old_folds_gave(text: str) -> None:
    assert fold(text, keep_spaces=True) == old_extractor_fold(text)
    assert fold(text) == old_registry_fold(text)
    assert extractor_text.squash(text) == old_squash(text)


def test_the_extractors_use_the_same_function() -> None:
    assert extractor_text.fold is fold and extractor_text.squash is fold
    assert fold("工作 证号", keep_spaces=True) == "工作 证号" and fold("工作 证号") == "工作证号"


def test_traditional_forms_fold_by_opencc_s_table_and_the_pairs_seen_first() -> None:
    """Any traditional form an OCR model emits folds, not only the ones we happened to
    see (海峽 was read for 海峡 on a family-A letter): OpenCC's character table, the
    pairs seen first winning where it lists several forms; a character that is also a
    simplified one in its own right stays as written."""
    from zhanchi.registry.text import SEEN_PAIRS

    assert fold("福州市海峽職業技能評價中心") == "福州市海峡职业技能评价中心"
    assert fold("畫線開麵餘鍾") == "画线开面余钟"  # OpenCC lists two forms: ours win
    assert fold("乾县著名於") == "乾县著名於"  # simplified in their own right
    assert all(fold(t) == s for t, s in zip(*SEEN_PAIRS, strict=True))
    assert len(TRADITIONAL_TO_SIMPLIFIED) > 4000
