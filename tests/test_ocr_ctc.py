"""CTC likelihoods of candidate texts, and a reference list choosing among a line's readings."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from zhanchi.errors import OcrEngineError
from zhanchi.extractors.second_look.choose import MIN_FIT, MIN_LEAD, choose, join_rows
from zhanchi.ocr.ctc import greedy_log_prob, log_likelihood, log_likelihood_within, per_character
from zhanchi.ocr.fakes import NullEngine


def _collapse(path: Sequence[int]) -> list[int]:
    out: list[int] = []
    prev = None
    for p in path:
        if p != prev and p != 0:
            out.append(p)
        prev = p
    return out


def test_forward_algorithm_equals_the_sum_over_every_alignment() -> None:
    rng = np.random.default_rng(7)
    probs = rng.dirichlet(np.ones(4), size=5)  # 5 steps, blank + 3 characters
    lp = np.log(probs)
    for labels in ([1], [1, 2], [1, 1], [2, 3, 1], []):
        brute = sum(np.prod([probs[t, p] for t, p in enumerate(path)])
                    for path in itertools.product(range(4), repeat=5) if _collapse(path) == labels)
        assert log_likelihood(lp, labels) == pytest.approx(np.log(brute), rel=1e-9), labels
    # a text needing more steps than the line has cannot be read from it
    assert log_likelihood(lp[:2], [1, 1]) == -np.inf


def test_a_text_within_the_line_sums_every_span_it_may_take() -> None:
    """Free steps before and after the text take their own most likely class: the sum
    over every span [a, b) of the line the text may be read from."""
    rng = np.random.default_rng(11)
    lp = np.log(rng.dirichlet(np.ones(4), size=6))
    best = lp.max(axis=1)
    for labels in ([1], [1, 2], [2, 2], [3, 1, 2]):
        total = -np.inf
        for a in range(6):
            for b in range(a + 1, 7):
                total = np.logaddexp(total, best[:a].sum() + log_likelihood(lp[a:b], labels) + best[b:].sum())
        assert log_likelihood_within(lp, labels) == pytest.approx(total, rel=1e-9), labels


def test_a_name_amid_other_ink_fits_within_but_not_as_the_whole_line() -> None:
    probs = np.full((7, 5), 0.02)
    for t, c in enumerate([4, 0, 1, 0, 2, 0, 4]):  # 丁 (print) 甲乙 (the name) 丁 (print)
        probs[t, c] = 0.92
    lp, index = np.log(probs), {"甲": 1, "乙": 2, "丙": 3}
    inside = per_character(lp, "甲乙", index, within=True)
    whole = per_character(lp, "甲乙", index)
    other = per_character(lp, "甲丙", index, within=True)
    assert inside is not None and whole is not None and other is not None
    assert inside > -0.1 and whole < inside - 2 and other < inside - 1.5


def test_the_greedy_reading_fits_about_zero_and_others_worse() -> None:
    probs = np.full((6, 4), 0.02)
    for t, c in enumerate([1, 0, 2, 2, 0, 3]):
        probs[t, c] = 0.94
    lp = np.log(probs)
    index = {"甲": 1, "乙": 2, "丙": 3}
    assert greedy_log_prob(lp) == pytest.approx(6 * np.log(0.94))
    best = per_character(lp, "甲乙丙", index)
    assert best is not None and -0.05 < best <= 0.05
    other = per_character(lp, "甲丙乙", index)
    assert other is not None and other < best - 1
    assert per_character(lp, "甲丁", index) is None  # a character the model does not know
    assert per_character(lp, "", index) is None


class _Scored(NullEngine):
    """An engine whose fit is a table: how well each name fits, per character."""

    def __init__(self, fits: dict[str, float | None] | None, fail: bool = False) -> None:
        self.fits, self.fail = fits, fail
        self.seen: tuple[int, ...] | None = None

    def fit(self, crop: np.ndarray, texts: Sequence[str], within: bool = False) -> list[float | None] | None:
        if self.fail:
            raise OcrEngineError("boom")
        self.seen = crop.shape[:2]
        return None if self.fits is None else [self.fits.get(t) for t in texts]


CROPS = [np.full((40, 300, 3), 255, np.uint8), np.full((30, 100, 3), 255, np.uint8)]


def test_one_name_far_ahead_is_chosen_an_alias_is_no_rival() -> None:
    names = ["南昌市技能鉴定中心", "南昌技能鉴定中心", "九江市职业技能鉴定所"]
    eng = _Scored({"南昌市技能鉴定中心": -2.0, "南昌技能鉴定中心": -2.1, "九江市职业技能鉴定所": -8.0})
    got = choose(eng, CROPS, names)
    assert got is not None and got.value == "南昌市技能鉴定中心"
    # the alias without 市 fits best in all but worse per character: the same agency, no
    # rival; the lead is over the next other agency
    assert got.fit == -2.0 and got.lead == pytest.approx(80.0 - 8 * 2.1)
    assert eng.seen == (48, 300 * 48 // 40 + 16 + 100 * 48 // 30)  # rows joined at one height


@pytest.mark.parametrize(("fits", "why"), [
    ({"南昌市技能鉴定中心": MIN_FIT - 0.5, "九江市职业技能鉴定所": -20.0}, "no name fits well"),
    ({"南昌市技能鉴定中心": -2.0, "九江市职业技能鉴定所": -2.0 * 9 / 10 - (MIN_LEAD - 1) / 10},
     "two fit about as well"),
    (None, "the engine cannot score texts"),
])
def test_nothing_is_chosen_when(fits: dict[str, float | None] | None, why: str) -> None:
    assert choose(_Scored(fits), CROPS, list(fits or ["南昌市技能鉴定中心"])) is None, why


def test_a_failing_engine_or_no_crops_choose_nothing() -> None:
    assert choose(_Scored({}, fail=True), CROPS, ["南昌市技能鉴定中心"]) is None
    assert choose(_Scored({"a": 0.0}), [], ["a"]) is None
    assert join_rows([]).shape[0] == 48
