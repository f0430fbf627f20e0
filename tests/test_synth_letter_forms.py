"""Family A's other printings of the 承诺书 (``zhanchi.synth.letter_forms``)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from zhanchi.synth.canvas import Line, Picture, Text
from zhanchi.synth.content import make_claim
from zhanchi.synth.letter import render_letter
from zhanchi.synth.letter_forms import (
    FORMS,
    OTHER_SHARE,
    PHENOMENA,
    PLACEHOLDER,
    USUAL,
    draw_form,
)
from zhanchi.synth.refdata import load_reference


def _letters(n: int = 40):  # type: ignore[no-untyped-def]
    ref = load_reference()
    claims = (make_claim(random.Random(s), ref, date(2024, 6, 30)) for s in range(n))
    return [c.letter for c in claims if c.letter is not None]


def _printed(page) -> str:  # type: ignore[no-untyped-def]
    return "".join(op.text for op in page.ops if isinstance(op, Text))


def test_a_share_of_letters_is_printed_on_other_forms() -> None:
    forms = [draw_form(letter) for letter in _letters(120)]
    other = sum(not f.usual for f in forms) / len(forms)
    assert abs(other - OTHER_SHARE) < 0.15
    assert {f.kind for f in forms if not f.usual} == set(FORMS)


def test_usual_letters_draw_as_before_and_others_leave_the_packet_stream_alone() -> None:
    letter = _letters(3)[0]
    a, b = random.Random(5), random.Random(5)
    usual = render_letter(letter, 100, a, form=USUAL)
    other = render_letter(letter, 100, b, form=draw_form(letter, "seed_above"))
    assert a.random() == b.random()  # the packet's later pages draw the same
    # the usual form records no form of its own (signing phenomena may still be drawn)
    form_phenomena = {*PHENOMENA.values(), "letter_other_geometry", "value_wrapped"}
    assert not form_phenomena & set(usual.phenomena)
    assert "agency_above_placeholder" in other.phenomena


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_prints_what_it_says(kind: str) -> None:
    letter = _letters(3)[0]
    page = render_letter(letter, 100, random.Random(1), form=draw_form(letter, kind))
    text = _printed(page)
    assert ("职业技能鉴定考核机构或职业" in text) == (kind != "blank_plain")
    assert "组织开展的" in text
    underlines = [op for op in page.ops if isinstance(op, Line)]
    # the seed's wording has no agency blank: one underline fewer than the blank forms
    blanks = 10 if kind in ("blank_hint", "blank_plain") else 9
    assert len(underlines) >= blanks  # a wrapped blank is underlined on both lines
    hand = [op for op in page.ops if isinstance(op, Picture) and op.ink]
    assert hand, "the values are written"


def test_agency_written_above_the_placeholder_sits_between_the_lines() -> None:
    letter = next(le for le in _letters() if len(le.agency) >= 8)
    form = draw_form(letter, "seed_above")
    page = render_letter(letter, 100, random.Random(2), form=form)
    x0, y0, x1, y1 = page.regions["agency"]
    rows = sorted({op.y for op in page.ops if isinstance(op, Text) and op.pt == form.body_pt})
    below = min(y for y in rows if y > y1 - 2.0)  # the printed line it is written above
    assert below - form.line_gap < y1 - 2.0 < below  # its baseline lies between two lines
    assert PLACEHOLDER[:3] in _printed(page)


def test_values_that_do_not_fit_continue_on_the_next_line() -> None:
    wrapped = 0
    for letter in _letters(80):
        form = draw_form(letter)
        if form.usual:
            continue
        page = render_letter(letter, 60, random.Random(3), form=form)
        wrapped += "value_wrapped" in page.phenomena
    assert wrapped >= 5
