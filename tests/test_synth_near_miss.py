"""Near-miss defects of family A: one character, 1–7 days, one digit from a clean claim."""

from __future__ import annotations

import random
from datetime import date

import pytest

from zhanchi.checks.entitlement import add_months
from zhanchi.extractors.text import lookalike
from zhanchi.synth.agencies import FILED, NEAR_MISS
from zhanchi.synth.content import make_claim
from zhanchi.synth.defect_edits import Ctx
from zhanchi.synth.defects import DEFECTS
from zhanchi.synth.refdata import load_reference

SEEDS = range(40)


def _claim(seed: int, kind: str = "skill"):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    as_of = date(2022, 6, 1) + (date(2025, 6, 1) - date(2022, 6, 1)) * (seed % 7) / 7
    claim = make_claim(rng, load_reference(), as_of, kind=kind)  # type: ignore[arg-type]
    return claim, Ctx(load_reference(), as_of, rng)


def test_every_near_miss_agency_is_one_plain_character_from_its_filed_one() -> None:
    filed_names = {n for a in FILED for n in (a.name, *a.aliases)}
    assert set(NEAR_MISS) == {a.name for a in FILED}
    for name, near in NEAR_MISS.items():
        assert near not in filed_names and len(near) == len(name)
        diffs = [(a, b) for a, b in zip(name, near, strict=True) if a != b]
        assert len(diffs) == 1 and not lookalike(*diffs[0]), (name, near)


@pytest.mark.parametrize("seed", SEEDS)
def test_agency_near_miss_names_the_unfiled_twin_everywhere(seed: int) -> None:
    claim, ctx = _claim(seed)
    DEFECTS["agency_near_miss"].apply(claim, ctx)
    assert claim.letter.agency in NEAR_MISS.values()
    assert claim.certificate.agency == claim.certificate.issuer == claim.letter.agency
    assert claim.letter.county in {d.name for d in ctx.ref.counties_by_city[claim.letter.city]}


@pytest.mark.parametrize("seed", SEEDS)
def test_window_near_miss_is_one_to_seven_days_late(seed: int) -> None:
    claim, ctx = _claim(seed, "qualification" if seed % 2 else "skill")
    DEFECTS["window_near_miss"].apply(claim, ctx)
    issue, letter = claim.certificate.issue_date, claim.letter
    late = (letter.sign_date - add_months(issue, 12)).days
    assert 1 <= late <= 7
    assert letter.exam_date < issue < letter.sign_date <= ctx.as_of


@pytest.mark.parametrize("seed", SEEDS)
def test_number_near_miss_is_one_digit_from_the_report(seed: int) -> None:
    claim, ctx = _claim(seed, "qualification" if seed % 2 else "skill")
    effects = DEFECTS["number_near_miss"].apply(claim, ctx)
    reported, printed = effects.cert_row_override["certificate_number"], claim.certificate.number
    assert claim.letter.number == printed and len(printed) == len(reported)
    assert sum(a != b for a, b in zip(printed, reported, strict=True)) == 1


def test_near_miss_defects_say_their_reasons() -> None:
    assert DEFECTS["agency_near_miss"].reasons == ("agency_not_filed",)
    assert DEFECTS["window_near_miss"].reasons == ("application_window_expired",)
    assert DEFECTS["number_near_miss"].reasons == ("certificate_not_in_registry",)
