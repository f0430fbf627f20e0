"""The throughput shortcuts compute exactly what the plain code computed.

Each shortcut (phrase search by pair positions, classification hits looked up once per
page, the detector's input by table, the scan kind plane by plane) is compared here with
the straightforward computation it replaced, on inputs chosen to reach every branch.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from zhanchi.extractors import classify, fuzzy
from zhanchi.extractors.fuzzy import SUB, search
from zhanchi.extractors.marks_ink import scan_kind
from zhanchi.extractors.specs import SPECS
from zhanchi.extractors.text import LOOKALIKE_GROUPS, canonical


def _pick_plain(text: str, phrase: str, max_cost: float, start: int) -> list[int]:
    """``fuzzy.pick_windows`` as it was: bigram marks and window scores rebuilt per phrase."""
    n = len(phrase)
    cp = "".join(next((g[0] for g in LOOKALIKE_GROUPS if c in g), c) for c in phrase)
    ct = "".join(next((g[0] for g in LOOKALIKE_GROUPS if c in g), c) for c in text[start:])
    pairs = {cp[i:i + 2] for i in range(n - 1)}
    marks = [1 if ct[i:i + 2] in pairs else 0 for i in range(len(ct) - 1)]
    window = n - 1
    total = sum(marks[:window])
    scores = [total]
    for i in range(window, len(marks)):
        total += marks[i] - marks[i - window]
        scores.append(total)
    need = max(1, int(window - 2 * max_cost / SUB))
    picked: list[int] = []
    for p in sorted(range(len(scores)), key=lambda k: (-scores[k], k)):
        if scores[p] < need or len(picked) == 3:
            break
        if all(abs(p - q) > n // 2 for q in picked):
            picked.append(p)
    return picked


def _search_plain(text: str, phrase: str, max_ratio: float = 0.25,
                  start: int = 0) -> tuple[int, int, float] | None:
    """``fuzzy.search`` as it was: the same search with its windows picked the plain way."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fuzzy, "pick_windows", _pick_plain)
        return fuzzy.search(text, phrase, max_ratio, start)


ALPHABET = "职业技能等级证书编号发证日期姓名己已未末市巿证征书节口囗0O1l：:，" + "□"


def _noisy(rng: random.Random, phrase: str) -> str:
    out = []
    for ch in phrase:
        roll = rng.random()
        if roll < 0.12:
            continue  # lost
        out.append(rng.choice(ALPHABET) if roll < 0.3 else ch)
        if rng.random() < 0.05:
            out.append(rng.choice(ALPHABET))
    return "".join(out)


def test_canonical_maps_every_lookalike_to_its_group_head() -> None:
    for group in LOOKALIKE_GROUPS:
        assert canonical(group + "好") == group[0] * len(group) + "好"


def test_search_finds_what_the_plain_search_found() -> None:
    rng = random.Random(4242)
    phrases = ["职业技能等级证书", "证书编号", "发证日期", "姓名", "职业资格证书编号",
               "己未市", "技能等级"]
    compared = hits = 0
    for _ in range(200):
        parts = [rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))]
        for _ in range(rng.randint(0, 3)):
            parts.insert(rng.randint(0, len(parts)), _noisy(rng, rng.choice(phrases)))
        text = "".join(parts)
        for phrase in phrases:
            for ratio in (0.0, 0.25, 0.4):
                start = rng.choice([0, 0, len(text) // 3])
                expected = _search_plain(text, phrase, ratio, start)
                assert search(text, phrase, ratio, start) == expected, (text, phrase, ratio, start)
                compared += 1
                hits += expected is not None and expected[2] > 0
    assert hits > 50  # the fuzzy branch was exercised, not only exact finds
    assert compared == 200 * 7 * 3


def test_classification_scores_are_those_of_each_layout_alone() -> None:
    """One page's phrase hits are shared by every layout scored on it."""
    rng = random.Random(7)
    words = [p for s in SPECS for p, _ in s.keywords]
    for _ in range(30):
        text = "".join(_noisy(rng, rng.choice(words)) for _ in range(rng.randint(3, 25)))
        shared: dict[str, float | None] = {}
        for spec in SPECS:
            alone = classify.keyword_score(text, spec)
            assert classify.keyword_score(text, spec, found=shared) == alone


@pytest.mark.parametrize("shape", [(1500, 1100, 3), (601, 903, 3)])
@pytest.mark.parametrize("norm", [(None, None), ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
def test_detector_input_by_table_is_bit_identical(shape: tuple[int, int, int],
                                                  norm: tuple[list[float] | None, ...]) -> None:
    pytest.importorskip("rapidocr", reason="rapidocr is the engine this input is for")
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from zhanchi.ocr.rapid_prep import TableDetPreProcess

    img = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    mean, std = norm
    for limit in ("max", "min"):
        plain = DetPreProcess(1280, limit, mean, std)(img)
        table = TableDetPreProcess(1280, limit, mean, std)(img)
        assert plain is not None and table is not None
        assert table.dtype == plain.dtype == np.float32
        assert np.array_equal(table, plain)


def test_detector_falls_back_on_a_float_page() -> None:
    pytest.importorskip("rapidocr", reason="rapidocr is the engine this input is for")
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from zhanchi.ocr.rapid_prep import TableDetPreProcess

    img = np.random.default_rng(3).random((300, 200, 3)).astype(np.float32) * 255
    assert np.array_equal(TableDetPreProcess(1280, "max")(img), DetPreProcess(1280, "max")(img))


def _scan_kind_plain(bgr: np.ndarray) -> str:
    step = max(1, int(max(bgr.shape[:2]) // 800))
    small = bgr[::step, ::step].astype(np.int16)
    chroma = small.max(axis=2) - small.min(axis=2)
    if int((chroma > 40).sum()) >= max(60, 0.0005 * chroma.size):
        return "colour"
    gray = small.mean(axis=2)
    mid = ((gray > 40) & (gray < 215)).mean()
    return "binary" if mid < 0.004 else "gray"


def test_scan_kind_as_before() -> None:
    rng = np.random.default_rng(11)
    gray = rng.integers(0, 256, (1700, 1200), dtype=np.uint8)
    binary = np.where(gray > 128, 255, 0).astype(np.uint8)
    pages = {"gray": np.dstack([gray] * 3), "binary": np.dstack([binary] * 3)}
    colour = pages["gray"].copy()
    colour[100:200, 100:200] = (30, 40, 220)
    pages["colour"] = colour
    faint = pages["binary"].copy()
    faint[::50, ::50, 2] = 200  # a few chromatic pixels: below the colour share
    pages["faint"] = faint
    seen = set()
    for page in pages.values():
        kind = scan_kind(page)
        assert kind == _scan_kind_plain(page)
        seen.add(kind)
    assert seen == {"colour", "gray", "binary"}
