"""Identifiers the generator makes obey GB 11643 and the certificate-number rules."""

from __future__ import annotations

import random
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from zhanchi.synth.content import make_claim
from zhanchi.synth.identity import (
    QUAL_RE,
    SKILL_RE,
    break_id_number,
    break_number_format,
    id_number_valid,
    number_level_digit,
    qualification_number,
    set_level_digit,
    skill_number,
    tweak_number,
)
from zhanchi.synth.refdata import load_reference

AS_OF = date(2024, 6, 30)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32))
def test_ids_pass_an_independent_checksum(seed: int) -> None:
    claim = make_claim(random.Random(seed), load_reference(), AS_OF)
    number = claim.person.id_number
    assert re.fullmatch(r"\d{17}[\dX]", number)
    assert ric.calc_check_digit(number) == number[17]  # python-stdnum (ignores the last char)
    assert number[:6] in load_reference().county_codes()
    birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert 20 <= (AS_OF - birth).days // 365 <= 56
    assert int(number[16]) % 2 == (1 if claim.person.male else 0)


def test_x_check_char_occurs() -> None:
    ids = [make_claim(random.Random(s), load_reference(), AS_OF).person.id_number
           for s in range(300)]
    assert any(i.endswith("X") for i in ids)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32))
def test_broken_ids_fail(seed: int) -> None:
    rng = random.Random(seed)
    good = make_claim(rng, load_reference(), AS_OF).person.id_number
    assert id_number_valid(good)
    assert not id_number_valid(break_id_number(rng, good))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([1, 2, 3, 4, 5]))
def test_certificate_numbers_carry_their_level(seed: int, level: int) -> None:
    rng = random.Random(seed)
    issue = date(2023, 5, 1)
    skill = skill_number(rng, province_code="36", issue=issue, level=level, social=True)
    qual = qualification_number(rng, province="江西省", issue=issue, level=level)
    assert SKILL_RE.fullmatch(skill) and skill[5:7] == "36" and skill[13:15] == "23"
    assert QUAL_RE.fullmatch(qual)
    for number in (skill, qual):
        assert number_level_digit(number) == level
        other = tweak_number(rng, number)
        assert other != number and number_level_digit(other) == level
        assert number_level_digit(set_level_digit(number, 6 - level)) == 6 - level
        broken = break_number_format(rng, number)
        assert not SKILL_RE.fullmatch(broken) and not QUAL_RE.fullmatch(broken)


def test_clean_claims_agree_everywhere() -> None:
    for seed in range(60):
        kind = "qualification" if seed % 3 == 0 else "skill"
        claim = make_claim(random.Random(seed), load_reference(), AS_OF, kind=kind,
                           outside=seed % 5 == 0)
        letter, cert = claim.letter, claim.certificate
        assert letter is not None
        assert letter.number == cert.number and letter.level == cert.level
        assert number_level_digit(cert.number) == cert.level in (3, 4, 5)
        assert letter.exam_date < cert.issue_date < letter.sign_date <= AS_OF
        assert (letter.sign_date - cert.issue_date).days < 365
        if kind == "skill":
            province = "36" if not claim.proof else load_reference().province_codes[letter.province]
            assert cert.number[5:7] == province
        assert (claim.proof is not None) == (letter.province != "江西省")
