"""Named defects: each bends a clean claim so that exactly its review reasons apply.

A defect changes the *content* (or the registry rows, or the files) so the reason is
true, not merely labelled. ``DEFECTS[name].reasons`` are the SPEC §6 codes the packet
must then get; ``tolerated`` are codes a pipeline may add without being wrong (only
``low_confidence`` has any: a smeared field may also be unreadable or misread).
``registry_unavailable`` is corpus-level: see :mod:`zhanchi.synth.corpus`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
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
class Effects:
    """What a defect did besides editing the claim: registry rows, files, notes."""

    cert_rows: list[dict[str, str]] = field(default_factory=list)  # extra certificates.csv rows
    drop_cert_row: bool = False
    cert_row_override: dict[str, str] = field(default_factory=dict)
    claim_rows: list[dict[str, str]] = field(default_factory=list)
    corrupt: str | None = None  # "extra": an extra broken file; "letter": the letter's file
    variant: str = ""


@dataclass(frozen=True)
class Defect:
    """A named way to break a claim, with the reasons it must produce."""

    name: str
    reasons: tuple[str, ...]
    apply: Callable[[Claim, ReferenceData, date, random.Random], Effects]
    kind: str | None = None  # "skill" / "qualification" when the defect needs one
    outside: bool = False  # needs an exam outside Jiangxi
    inside: bool = False  # needs an exam inside Jiangxi
    folder: bool = False  # needs a folder packet (a separate file to break)
    tolerated: tuple[str, ...] = ()


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


def missing_letter(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    c.letter = None
    return Effects()


def missing_certificate(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    c.certificates = []
    return Effects()


def unreadable_page(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    return Effects(corrupt="extra")


def unreadable_letter(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    # The letter is rendered, then its file is broken by the writer; the expected
    # documents leave it out because no reader can get it back.
    return Effects(corrupt="letter")


def multiple_claims(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    first = c.certificate
    occ = rng.choice([o for o in ref.level_occupations if o != first.occupation])
    issue = first.issue_date - timedelta(days=rng.randrange(20, 200))
    number = skill_number(rng, province_code="36", issue=issue, level=first.level,
                          social=c.agency.social)
    second = Certificate(**{**first.__dict__, "kind": "skill", "occupation": occ,
                            "number": number, "issue_date": issue, "id_printed": True})
    c.certificates.append(second)
    return Effects(cert_rows=[second.registry_row()])


def missing_field(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    letter = _letter(c)
    letter.empty.add("occupation")
    letter.title = title_for(rng, "", letter.level)  # people then write only the level
    return Effects()


def low_confidence(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _letter(c).smudged.add("exam_county")
    return Effects()


def invalid_certificate_number(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    cert, letter = c.certificate, _letter(c)
    if rng.random() < 0.5:
        cert.number = break_number_format(rng, cert.number)
        variant = "format"
    else:
        wrong = rng.choice([lv for lv in (3, 4, 5) if lv != cert.level])
        cert.number = set_level_digit(cert.number, wrong)
        variant = "level_digit"
    letter.number = cert.number
    return Effects(variant=variant)


def invalid_id_number(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    c.certificate.id_number = break_id_number(rng, c.certificate.id_number)
    c.certificate.id_printed = True
    return Effects()


def invalid_location(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    letter = _letter(c)
    others = [d.name for city, ds in ref.counties_by_city.items() if city != letter.city for d in ds]
    letter.county = rng.choice(sorted(set(others) - {d.name for d in ref.counties_by_city[letter.city]}))
    return Effects()


def number_mismatch(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _letter(c).number = tweak_number(rng, c.certificate.number)
    return Effects()


def occupation_mismatch(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    letter = _letter(c)
    pool = ref.level_occupations if c.certificate.kind == "skill" else ref.access_occupations
    letter.occupation = rng.choice([o for o in pool if o != letter.occupation])
    letter.title = title_for(rng, letter.occupation, letter.level)
    return Effects()


def level_mismatch(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    letter = _letter(c)
    letter.level = rng.choice([lv for lv in (3, 4, 5) if lv != letter.level])
    letter.title = title_for(rng, letter.occupation, letter.level)
    return Effects()


def name_mismatch(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _letter(c).signer = other_name(rng, c.certificate.holder_name)
    return Effects()


def date_inconsistent(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    letter = _letter(c)
    issue = c.certificate.issue_date
    variant = rng.choice(("exam_after_issue", "signed_before_issue", "signed_after_as_of"))
    if variant == "exam_after_issue":
        _set_dates(c, issue + timedelta(days=rng.randrange(3, 30)), issue, letter.sign_date)
    elif variant == "signed_before_issue":
        _set_dates(c, letter.exam_date, issue, issue - timedelta(days=rng.randrange(2, 10)))
    else:
        new_issue = as_of - timedelta(days=rng.randrange(30, 200))
        _set_dates(c, new_issue - timedelta(days=rng.randrange(14, 60)), new_issue,
                   as_of + timedelta(days=rng.randrange(3, 40)))
    return Effects(variant=variant)


def agency_not_filed(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    if rng.random() < 0.7:
        agency, variant = rng.choice(UNFILED), "unfiled"
    else:
        agency, variant = lapsed_agency(as_of), "lapsed"
    letter = _letter(c)
    c.agency = agency
    letter.agency, letter.city = agency.name, agency.city
    letter.city_written = agency.city
    letter.county = rng.choice([d.name for d in ref.counties_by_city[agency.city]])
    cert = c.certificate
    cert.agency = agency.name
    if cert.kind == "skill":
        cert.issuer = agency.name
    return Effects(variant=variant)


def proof_missing(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    c.proof = None
    return Effects()


def not_in_registry(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    variant = rng.choice(("absent", "holder_name", "issue_date"))
    if variant == "absent":
        return Effects(drop_cert_row=True, variant=variant)
    cert = c.certificate
    if variant == "holder_name":
        return Effects(cert_row_override={"holder_name": other_name(rng, cert.holder_name)},
                       variant=variant)
    shifted = cert.issue_date - timedelta(days=rng.randrange(30, 90))
    return Effects(cert_row_override={"issue_date": shifted.isoformat()}, variant=variant)


def duplicate_claim(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    cert = c.certificate
    paid = cert.issue_date + timedelta(days=rng.randrange(5, 25))
    if rng.random() < 0.5:
        row = {"certificate_number": cert.number, "id_number": cert.id_number,
               "occupation": cert.occupation, "level": str(cert.level),
               "paid_date": paid.isoformat()}
        return Effects(claim_rows=[row], variant="same_number")
    higher = rng.choice([lv for lv in (3, 4, 5) if lv <= cert.level])  # same or higher level
    earlier = cert.issue_date - timedelta(days=rng.randrange(400, 900))
    number = set_level_digit(tweak_number(rng, cert.number), higher)
    row = {"certificate_number": number, "id_number": cert.id_number,
           "occupation": cert.occupation, "level": str(higher),
           "paid_date": (earlier + timedelta(days=30)).isoformat()}
    return Effects(claim_rows=[row], variant="same_person_occupation")


def signature_missing(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _letter(c).signer = None
    return Effects()


def fingerprint_missing(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _letter(c).has_fingerprint = False
    return Effects()


def level_not_eligible(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    _set_level(c, rng.choice((2, 1)), rng)
    return Effects()


def window_expired(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    sign = as_of - timedelta(days=rng.randrange(0, 20))
    issue = sign - timedelta(days=rng.randrange(380, 480))
    _set_dates(c, issue - timedelta(days=rng.randrange(14, 60)), issue, sign)
    return Effects()


def exited_qualification(c: Claim, ref: ReferenceData, as_of: date, rng: random.Random) -> Effects:
    occ = rng.choice(ref.level_occupations)
    c.certificate.occupation = occ
    letter = _letter(c)
    letter.occupation, letter.title = occ, title_for(rng, occ, letter.level)
    assert letter.exam_date > date(2020, 12, 31)
    return Effects()


_ALL = (
    Defect("missing_commitment_letter", ("missing_commitment_letter",), missing_letter),
    Defect("missing_certificate", ("missing_certificate",), missing_certificate),
    Defect("unreadable_page", ("unreadable_page",), unreadable_page, folder=True),
    Defect("unreadable_letter", ("missing_commitment_letter", "unreadable_page"),
           unreadable_letter, folder=True),
    Defect("multiple_claims", ("multiple_claims",), multiple_claims, kind="skill", inside=True),
    Defect("missing_field", ("missing_field",), missing_field),
    Defect("low_confidence", ("low_confidence",), low_confidence, inside=True,
           tolerated=("missing_field", "invalid_location")),
    Defect("invalid_certificate_number", ("invalid_certificate_number",), invalid_certificate_number),
    Defect("invalid_id_number", ("invalid_id_number",), invalid_id_number),
    Defect("invalid_location", ("invalid_location",), invalid_location, inside=True),
    Defect("certificate_number_mismatch", ("certificate_number_mismatch",), number_mismatch),
    Defect("occupation_mismatch", ("occupation_mismatch",), occupation_mismatch),
    Defect("level_mismatch", ("level_mismatch",), level_mismatch),
    Defect("name_mismatch", ("name_mismatch",), name_mismatch),
    Defect("date_inconsistent", ("date_inconsistent",), date_inconsistent),
    Defect("agency_not_filed", ("agency_not_filed",), agency_not_filed, inside=True),
    Defect("out_of_province_proof_missing", ("out_of_province_proof_missing",), proof_missing,
           outside=True),
    Defect("certificate_not_in_registry", ("certificate_not_in_registry",), not_in_registry),
    Defect("duplicate_claim", ("duplicate_claim",), duplicate_claim),
    Defect("signature_missing", ("signature_missing",), signature_missing),
    Defect("fingerprint_missing", ("fingerprint_missing",), fingerprint_missing),
    Defect("level_not_eligible", ("level_not_eligible",), level_not_eligible),
    Defect("application_window_expired", ("application_window_expired",), window_expired),
    Defect("exited_qualification", ("exited_qualification",), exited_qualification,
           kind="qualification"),
)
DEFECTS: dict[str, Defect] = {d.name: d for d in _ALL}
CORPUS_DEFECTS = ("registry_unavailable",)
ALL_DEFECT_NAMES: tuple[str, ...] = (*DEFECTS, *CORPUS_DEFECTS)
