"""Near-miss defects: claims wrong by the smallest step, which a pipeline that snaps,
rounds or trusts a gazetteer would pass.

- ``near_miss_window``: signed 1–7 days after the application window closed.
- ``near_miss_agency``: the agency is a filed one with one character changed
  (…评价中心 → …评定中心); SPEC §6 fails an approximate match with ``agency_not_filed``.
- ``near_miss_number_letter``: the letter's certificate number differs from the
  certificate's in one digit, swapped for a look-alike (3↔8, 1↔7, 0↔6 …).
- ``near_miss_number_registry``: certificate and letter agree, certificates.csv holds
  the number one look-alike digit off (the certificate is not in the registry).
"""

from __future__ import annotations

from datetime import timedelta

from zhanchi.checks.entitlement import add_months
from zhanchi.policy.loader import load_policy
from zhanchi.synth.agencies import FILED, Agency
from zhanchi.synth.content import Claim, Letter
from zhanchi.synth.defect_edits import Ctx, Effects
from zhanchi.synth.defects import Defect
from zhanchi.synth.identity import SKILL_RE

# One-character swaps that keep an agency name plausible.
AGENCY_SWAPS = {"价": "定", "校": "院", "站": "所", "所": "站", "鉴": "认", "认": "评",
                "师": "工", "工": "术", "导": "引"}
LOOKALIKE = {"0": "68", "1": "7", "2": "7", "3": "85", "4": "9", "5": "63", "6": "05",
             "7": "1", "8": "30", "9": "4"}


def _letter(c: Claim) -> Letter:
    assert c.letter is not None
    return c.letter


def near_agency_name(name: str, ctx: Ctx) -> str:
    """``name`` with one character swapped, never a filed name or alias."""
    taken = {a.name for a in FILED} | {alias for a in FILED for alias in a.aliases}
    spots = [i for i, ch in enumerate(name) if ch in AGENCY_SWAPS and i >= 3]
    ctx.rng.shuffle(spots)
    for i in spots:
        cand = name[:i] + AGENCY_SWAPS[name[i]] + name[i + 1:]
        if cand not in taken:
            return cand
    raise ValueError(f"no near-miss name for {name}")


def lookalike_digit_off(number: str, ctx: Ctx) -> str:
    """``number`` with one digit (not the level digit, not the prefix) swapped for a look-alike."""
    level_idx = 15 if SKILL_RE.fullmatch(number) else 10
    spots = [i for i, ch in enumerate(number) if ch.isdigit() and i != level_idx and i > 4]
    i = ctx.rng.choice(spots[-10:])
    return number[:i] + ctx.rng.choice(LOOKALIKE[number[i]]) + number[i + 1:]


def window(c: Claim, x: Ctx) -> Effects:
    months = load_policy(x.as_of).application_window.months
    late = x.rng.randrange(1, 8)
    sign = x.as_of - timedelta(days=x.rng.randrange(0, 20))
    for _ in range(40):  # a closing day that add_months reaches exactly (no month-end clamp)
        closing = sign - timedelta(days=late)
        issue = add_months(closing, -months)
        if add_months(issue, months) == closing:
            break
        sign -= timedelta(days=1)
    c.certificate.issue_date = issue
    letter = _letter(c)
    letter.sign_date = sign
    letter.exam_date = issue - timedelta(days=x.rng.randrange(14, 60))
    return Effects(variant=f"late_by_{(sign - add_months(issue, months)).days}_days")


def agency(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    base = next((a for a in FILED if a.name == c.agency.name), None) or x.rng.choice(FILED)
    near = Agency(near_agency_name(base.name, x), base.city, pool="unfiled", social=base.social)
    c.agency = near
    letter.agency = near.name  # same city and county: only the name is off
    c.certificate.agency = near.name
    if c.certificate.kind == "skill":
        c.certificate.issuer = near.name
    return Effects(variant="one_character")


def number_letter(c: Claim, x: Ctx) -> Effects:
    _letter(c).number = lookalike_digit_off(c.certificate.number, x)
    return Effects(variant="lookalike_digit")


def number_registry(c: Claim, x: Ctx) -> Effects:
    off = lookalike_digit_off(c.certificate.number, x)
    return Effects(cert_row_override={"certificate_number": off}, variant="lookalike_digit")


NEAR_MISS: dict[str, Defect] = {d.name: d for d in (
    Defect("near_miss_window", "signed 1-7 days after the application window closed",
           ("application_window_expired",), window),
    Defect("near_miss_agency", "the agency is a filed one with one character changed",
           ("agency_not_filed",), agency, inside=True),
    Defect("near_miss_number_letter", "the letter's number is one look-alike digit off",
           ("certificate_number_mismatch",), number_letter),
    Defect("near_miss_number_registry", "certificates.csv holds the number one digit off",
           ("certificate_not_in_registry",), number_registry),
)}
