"""The printed versions of the 承诺书 an office may use, and how values sit on them.

Family A's usual form (``blank_hint``) has an underlined agency blank before the printed
placeholder. Offices print others, drawn here in a share of letters:

* ``seed_above`` / ``seed_over``: the seed's wording exactly, no agency blank; the
  applicant writes the agency above the printed （职业技能鉴定考核机构…名称）, or over it;
* ``blank_plain``: an underlined blank and no placeholder (参加了____组织开展的);
* other margins, print and hand sizes and line pitches, so blanks fall elsewhere, and a
  value that does not fit at a line's end continues on the next line (``value_wrapped``).

The form is drawn from its own random stream keyed on the letter's contents, so a letter
on the usual form is drawn exactly as before and the rest of its packet is unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zhanchi.synth.canvas import text_width_mm
from zhanchi.synth.content import Letter

PLACEHOLDER = "（职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称）"
FORMS = ("blank_hint", "blank_plain", "seed_above", "seed_over")
OTHER_SHARE = 0.35  # letters printed on another office's form
# blanks whose handwriting may continue on the next line (numbers and dates never do)
WRAPPING = frozenset({"exam_province", "exam_city", "exam_county", "agency", "occupation",
                      "certificate_title"})
PHENOMENA = {"blank_plain": "letter_blank_plain", "seed_above": "agency_above_placeholder",
             "seed_over": "agency_over_placeholder"}


@dataclass(frozen=True)
class Form:
    """One printed version of the letter and its geometry (mm, pt)."""

    kind: str = "blank_hint"
    left: float = 25.0
    right: float = 185.0
    body_pt: float = 14.5
    hand_pt: float = 15.5
    line_gap: float = 11.0
    wrap: bool = False  # values that do not fit continue on the next line

    @property
    def usual(self) -> bool:
        return self == USUAL

    @property
    def has_agency_blank(self) -> bool:
        return self.kind in ("blank_hint", "blank_plain")

    def occupation_lead(self, printed: str) -> str:
        """The printed words before the occupation blank on this form."""
        return printed.replace(PLACEHOLDER, "") if self.kind == "blank_plain" else printed


USUAL = Form()


def draw_form(letter: Letter, kind: str | None = None) -> Form:
    """The form ``letter`` is printed on (``kind``: that form, other geometry drawn)."""
    key = "|".join(f"{k}={v}" for k, v in sorted(letter.blanks().items()))
    rng = random.Random(f"letter_form:{key}:{letter.signer}")
    if kind is None:
        if rng.random() >= OTHER_SHARE:
            return USUAL
        kind = rng.choice(FORMS)
    body = rng.uniform(12.0, 15.5)
    left = rng.uniform(16.0, 32.0)
    return Form(kind=kind, left=left, right=210.0 - rng.uniform(16.0, 32.0), body_pt=body,
                hand_pt=body * rng.uniform(1.0, 1.15), line_gap=body * 0.3528 * rng.uniform(1.8, 2.6),
                wrap=True)


def split_to_fit(value: str, width_mm: float, hand_pt: float) -> tuple[str, str]:
    """The head of ``value`` that fits ``width_mm`` of handwriting, and the rest."""
    for n in range(len(value), 0, -1):
        if text_width_mm(value[:n], "kai", hand_pt) * 1.08 + 2 <= width_mm:
            return value[:n], value[n:]
    return "", value
