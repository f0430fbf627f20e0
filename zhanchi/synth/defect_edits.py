"""The edits behind each named defect: functions that bend a clean claim.

Each takes the claim and a :class:`Ctx` and returns :class:`Effects` (what changed
outside the claim: registry rows, broken files). The table that names them and lists
the reasons they must produce is :mod:`zhanchi.synth.defects`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from zhanchi.synth.agencies import UNFILED, lapsed_agency
from zhanchi.synth.content import Certificate, Claim, Letter, title_for
from zhanchi.synth.identity import (
    break_id_number,
    break_number_format,
    other_name,
    set_level_digit,
    skill_number,
    tweak_number,
)
from zhanchi.synth.refdata import ReferenceData


@dataclass
class Ctx:
    """What a defect may draw on: references, the corpus date, the packet's rng."""

    ref: ReferenceData
    as_of: date
    rng: random.Random
    variant: str | None = None  # pin a variant (e.g. "unfiled"); None: drawn


@dataclass
class Effects:
    """What a defect did besides editing the claim: registry rows, files, notes."""

    cert_rows: list[dict[str, str]] = field(default_factory=list)  # extra certificates.csv rows
    drop_cert_row: bool = False
    cert_row_override: dict[str, str] = field(default_factory=dict)
    claim_rows: list[dict[str, str]] = field(default_factory=list)
    corrupt: str | None = None  # "extra": an extra broken file; "letter": the letter's file
    variant: str = ""


def _letter(claim: Claim) -> Letter:
    assert claim.letter is not None
    return claim.letter


def _set_level(claim: Claim, level: int, rng: random.Random) -> None:
    """Change the level everywhere it is printed or encoded (cert, number, letter)."""
    cert, letter = claim.certificate, _letter(claim)
    cert.level = level
    cert.number = set_level_digit(cert.number, level)
    letter.level, letter.number = level, cert.number
    letter.title = title_for(rng, letter.occupation, level)


def _set_dates(claim: Claim, exam: date, issue: date, sign: date) -> None:
    claim.certificate.issue_date = issue
    letter = _letter(claim)
    letter.exam_date, letter.sign_date = exam, sign


def missing_letter(c: Claim, x: Ctx) -> Effects:
    c.letter = None
    return Effects()


def missing_certificate(c: Claim, x: Ctx) -> Effects:
    c.certificates = []
    return Effects()


def unreadable_page(c: Claim, x: Ctx) -> Effects:
    return Effects(corrupt="extra")


def unreadable_letter(c: Claim, x: Ctx) -> Effects:
    # The letter is rendered, then its file is broken by the writer; the expected
    # documents leave it out because no reader can get it back.
    return Effects(corrupt="letter")


def multiple_claims(c: Claim, x: Ctx) -> Effects:
    first = c.certificate
    occ = x.rng.choice([o for o in x.ref.level_occupations if o != first.occupation])
    issue = first.issue_date - timedelta(days=x.rng.randrange(20, 200))
    number = skill_number(x.rng, province_code="36", issue=issue, level=first.level,
                          social=c.agency.social)
    second = Certificate(**{**first.__dict__, "kind": "skill", "occupation": occ,
                            "number": number, "issue_date": issue, "id_printed": True})
    c.certificates.append(second)
    return Effects(cert_rows=[second.registry_row()])


def missing_field(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    letter.empty.add("occupation")
    letter.title = title_for(x.rng, "", letter.level)  # people then write only the level
    return Effects()


def low_confidence(c: Claim, x: Ctx) -> Effects:
    _letter(c).smudged.add("exam_county")
    return Effects()


def invalid_certificate_number(c: Claim, x: Ctx) -> Effects:
    cert, letter = c.certificate, _letter(c)
    variant = x.variant or x.rng.choice(("format", "level_digit"))
    if variant == "format":
        cert.number = break_number_format(x.rng, cert.number)
    else:
        wrong = x.rng.choice([lv for lv in (3, 4, 5) if lv != cert.level])
        cert.number = set_level_digit(cert.number, wrong)
    letter.number = cert.number
    return Effects(variant=variant)


def invalid_id_number(c: Claim, x: Ctx) -> Effects:
    c.certificate.id_number = break_id_number(x.rng, c.certificate.id_number)
    c.certificate.id_printed = True
    return Effects()


def invalid_location(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    others = [d.name for city, ds in x.ref.counties_by_city.items() if city != letter.city for d in ds]
    letter.county = x.rng.choice(sorted(set(others) - {d.name for d in x.ref.counties_by_city[letter.city]}))
    return Effects()


def number_mismatch(c: Claim, x: Ctx) -> Effects:
    _letter(c).number = tweak_number(x.rng, c.certificate.number)
    return Effects()


def occupation_mismatch(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    pool = x.ref.level_occupations if c.certificate.kind == "skill" else x.ref.access_occupations
    letter.occupation = x.rng.choice([o for o in pool if o != letter.occupation])
    letter.title = title_for(x.rng, letter.occupation, letter.level)
    return Effects()


def level_mismatch(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    letter.level = x.rng.choice([lv for lv in (3, 4, 5) if lv != letter.level])
    letter.title = title_for(x.rng, letter.occupation, letter.level)
    return Effects()


def name_mismatch(c: Claim, x: Ctx) -> Effects:
    _letter(c).signer = other_name(x.rng, c.certificate.holder_name)
    return Effects()


def date_inconsistent(c: Claim, x: Ctx) -> Effects:
    letter = _letter(c)
    issue = c.certificate.issue_date
    variant = x.variant or x.rng.choice(("exam_after_issue", "signed_before_issue", "signed_after_as_of"))
    if variant == "exam_after_issue":
        _set_dates(c, issue + timedelta(days=x.rng.randrange(3, 30)), issue, letter.sign_date)
    elif variant == "signed_before_issue":
        _set_dates(c, letter.exam_date, issue, issue - timedelta(days=x.rng.randrange(2, 10)))
    else:
        new_issue = x.as_of - timedelta(days=x.rng.randrange(30, 200))
        _set_dates(c, new_issue - timedelta(days=x.rng.randrange(14, 60)), new_issue,
                   x.as_of + timedelta(days=x.rng.randrange(3, 40)))
    return Effects(variant=variant)


def agency_not_filed(c: Claim, x: Ctx) -> Effects:
    variant = x.variant or x.rng.choice(("unfiled", "unfiled", "lapsed"))
    agency = x.rng.choice(UNFILED) if variant == "unfiled" else lapsed_agency(x.as_of)
    letter = _letter(c)
    c.agency = agency
    letter.agency, letter.city = agency.name, agency.city
    letter.city_written = agency.city
    letter.county = x.rng.choice([d.name for d in x.ref.counties_by_city[agency.city]])
    cert = c.certificate
    cert.agency = agency.name
    if cert.kind == "skill":
        cert.issuer = agency.name
    return Effects(variant=variant)


def proof_missing(c: Claim, x: Ctx) -> Effects:
    c.proof = None
    return Effects()


def not_in_registry(c: Claim, x: Ctx) -> Effects:
    variant = x.variant or x.rng.choice(("absent", "holder_name", "issue_date"))
    if variant == "absent":
        return Effects(drop_cert_row=True, variant=variant)
    cert = c.certificate
    if variant == "holder_name":
        return Effects(cert_row_override={"holder_name": other_name(x.rng, cert.holder_name)},
                       variant=variant)
    shifted = cert.issue_date - timedelta(days=x.rng.randrange(30, 90))
    return Effects(cert_row_override={"issue_date": shifted.isoformat()}, variant=variant)


def duplicate_claim(c: Claim, x: Ctx) -> Effects:
    cert = c.certificate
    paid = cert.issue_date + timedelta(days=x.rng.randrange(5, 25))
    variant = x.variant or x.rng.choice(("same_number", "same_person_occupation"))
    if variant == "same_number":
        row = {"certificate_number": cert.number, "id_number": cert.id_number,
               "occupation": cert.occupation, "level": str(cert.level),
               "paid_date": paid.isoformat()}
        return Effects(claim_rows=[row], variant="same_number")
    higher = x.rng.choice([lv for lv in (3, 4, 5) if lv <= cert.level])  # same or higher level
    earlier = cert.issue_date - timedelta(days=x.rng.randrange(400, 900))
    number = set_level_digit(tweak_number(x.rng, cert.number), higher)
    row = {"certificate_number": number, "id_number": cert.id_number,
           "occupation": cert.occupation, "level": str(higher),
           "paid_date": (earlier + timedelta(days=30)).isoformat()}
    return Effects(claim_rows=[row], variant="same_person_occupation")


def signature_missing(c: Claim, x: Ctx) -> Effects:
    _letter(c).signer = None
    return Effects()


def fingerprint_missing(c: Claim, x: Ctx) -> Effects:
    _letter(c).has_fingerprint = False
    return Effects()


def level_not_eligible(c: Claim, x: Ctx) -> Effects:
    _set_level(c, x.rng.choice((2, 1)), x.rng)
    return Effects()


def window_expired(c: Claim, x: Ctx) -> Effects:
    sign = x.as_of - timedelta(days=x.rng.randrange(0, 20))
    issue = sign - timedelta(days=x.rng.randrange(380, 480))
    _set_dates(c, issue - timedelta(days=x.rng.randrange(14, 60)), issue, sign)
    return Effects()


def exited_qualification(c: Claim, x: Ctx) -> Effects:
    occ = x.rng.choice(x.ref.level_occupations)
    c.certificate.occupation = occ
    letter = _letter(c)
    letter.occupation, letter.title = occ, title_for(x.rng, occ, letter.level)
    assert letter.exam_date > date(2020, 12, 31)
    return Effects()
