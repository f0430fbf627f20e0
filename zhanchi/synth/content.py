"""What a packet says: the applicant, the certificate, the letter, the filing proof.

:func:`make_claim` draws a *clean* claim (every check passes against the corpus
registry); :mod:`zhanchi.synth.defects` then bends it. Each document reports its SPEC §5
fields in normal form through ``fields()``; that is what ``expected/*.json`` holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from zhanchi.synth.agencies import FILED, OUTSIDE, Agency, hrss_department
from zhanchi.synth.identity import (
    birth_date,
    chinese_name,
    make_id_number,
    qualification_number,
    skill_number,
)
from zhanchi.synth.refdata import LEVEL_NAMES, OUTSIDE_PLACES, ReferenceData

EDUCATION = ("初中", "高中", "中专", "大专", "本科")
Field = str | int | bool
# SPEC field names written in several blanks of the template.
BLANKS_OF = {
    "exam_date": ("exam_year", "exam_month", "exam_day"),
    "sign_date": ("sign_year", "sign_month", "sign_day"),
}


@dataclass
class Person:
    """The applicant."""

    name: str
    id_number: str
    male: bool
    birth: date
    education: str


@dataclass
class Certificate:
    """A 职业技能等级证书 (``skill``) or 职业资格证书 (``qualification``)."""

    kind: Literal["skill", "qualification"]
    holder_name: str
    id_number: str
    male: bool
    birth: date
    education: str
    occupation: str
    level: int
    number: str
    issuer: str  # skill: 评价机构名称; qualification: 发证机关
    issue_date: date
    agency: str  # the assessment agency (canonical name), for certificates.csv
    id_printed: bool = True  # old booklets may print only the birth date
    scores: tuple[int, int] = (80, 85)
    landscape: bool = False
    ecert: bool = False  # skill: printed as an e-certificate (synth.ecert), not on paper

    @property
    def doc_type(self) -> str:
        return "skill_level_certificate" if self.kind == "skill" else "qualification_certificate"

    def fields(self) -> dict[str, Field]:
        out: dict[str, Field] = {
            "holder_name": self.holder_name,
            "id_number": self.id_number,
            "occupation": self.occupation,
            "level": self.level,
            "certificate_number": self.number,
            "issuer": self.issuer,
            "issue_date": self.issue_date.isoformat(),
        }
        if not self.id_printed:
            del out["id_number"]
        return out

    def registry_row(self) -> dict[str, str]:
        return {
            "certificate_number": self.number,
            "holder_name": self.holder_name,
            "id_number": self.id_number,
            "occupation": self.occupation,
            "level": str(self.level),
            "issue_date": self.issue_date.isoformat(),
            "agency": self.agency,
        }


@dataclass
class Letter:
    """The 承诺书 as filled in: written forms plus their normal forms."""

    exam_date: date
    province: str  # normal forms
    city: str
    county: str
    province_written: str
    city_written: str
    agency: str  # as written (may be an alias)
    occupation: str
    title: str  # the （职业、等级） blank as written
    level: int
    number: str
    signer: str | None  # None: no signature
    sign_date: date
    has_fingerprint: bool = True
    empty: set[str] = field(default_factory=set)  # SPEC field names left blank
    smudged: set[str] = field(default_factory=set)  # SPEC field names smeared

    def blanks(self) -> dict[str, str]:
        """Handwritten text per blank of the template (see letter.py for the keys)."""
        e = self.exam_date
        s = self.sign_date
        out = {
            "exam_year": str(e.year), "exam_month": str(e.month), "exam_day": str(e.day),
            "exam_province": self.province_written, "exam_city": self.city_written,
            "exam_county": self.county, "agency": self.agency, "occupation": self.occupation,
            "certificate_title": self.title, "certificate_number": self.number,
            "sign_year": str(s.year), "sign_month": str(s.month), "sign_day": str(s.day),
        }
        for name in self.empty:
            for key in BLANKS_OF.get(name, (name,)):
                out[key] = ""
        return out

    def fields(self) -> dict[str, Field]:
        out: dict[str, Field] = {
            "exam_date": self.exam_date.isoformat(),
            "exam_province": self.province,
            "exam_city": self.city,
            "exam_county": self.county,
            "agency": self.agency,
            "occupation": self.occupation,
            "certificate_title": self.title,
            "level": self.level,
            "certificate_number": self.number,
            "sign_date": self.sign_date.isoformat(),
            "has_signature": self.signer is not None,
            "has_fingerprint": self.has_fingerprint,
        }
        if self.signer is not None:
            out["signer_name"] = self.signer
        for name in self.empty:
            out.pop(name, None)
        return out


@dataclass
class FilingProof:
    """备案证明 of an out-of-province agency."""

    agency: str
    province: str
    issuer: str
    issue_date: date
    filing_no: str

    def fields(self) -> dict[str, Field]:
        return {"agency": self.agency, "province": self.province,
                "issuer": self.issuer, "issue_date": self.issue_date.isoformat()}


@dataclass
class Claim:
    """Everything true about one packet before rendering."""

    person: Person
    agency: Agency
    certificate: Certificate  # the certificate the claim is about (even if not enclosed)
    letter: Letter | None
    certificates: list[Certificate]  # the certificate documents in the packet
    proof: FilingProof | None
    extras: list[str] = field(default_factory=list)  # unknown pages: id_card, form, blank


def title_for(rng: random.Random, occupation: str, level: int) -> str:
    """The （职业、等级） blank as people write it: 电工三级, 电工高级工, 电工三级/高级工."""
    num, name = LEVEL_NAMES[level]
    return occupation + rng.choice((num, name, f"{num}/{name}"))


def pick_level(rng: random.Random) -> int:
    return rng.choices((5, 4, 3), weights=(4, 4, 3))[0]


def make_person(rng: random.Random, ref: ReferenceData, as_of: date) -> Person:
    male = rng.random() < 0.55
    birth = birth_date(rng, as_of)
    addr = rng.choice(ref.county_codes())
    return Person(chinese_name(rng), make_id_number(rng, addr, birth, male), male, birth,
                  rng.choice(EDUCATION))


def claim_dates(rng: random.Random, as_of: date) -> tuple[date, date, date]:
    """exam < issue < sign <= as_of, sign within 12 months of issue."""
    sign = as_of - timedelta(days=rng.randrange(0, 45))
    issue = sign - timedelta(days=rng.randrange(7, 300))
    exam = issue - timedelta(days=rng.randrange(14, 75))
    return exam, issue, sign


def make_claim(
    rng: random.Random,
    ref: ReferenceData,
    as_of: date,
    *,
    kind: Literal["skill", "qualification"] = "skill",
    outside: bool = False,
) -> Claim:
    """A clean claim: one letter, one certificate, a filing proof when outside Jiangxi."""
    person = make_person(rng, ref, as_of)
    exam, issue, sign = claim_dates(rng, as_of)
    if outside:
        agency = rng.choice(OUTSIDE)
        place = next(p for p in OUTSIDE_PLACES if p.province == agency.province)
        province, city, county = place.province, place.city, place.county
        city_written = city
    else:
        agency = rng.choice([a for a in FILED if a.valid_on(exam)])
        province, city = "江西省", agency.city
        county = rng.choice(agency.counties or tuple(c.name for c in ref.counties_by_city[city]))
        city_written = city if rng.random() < 0.6 else city[:-1]
    province_written = ref.provinces[province] if rng.random() < 0.85 else province
    level = pick_level(rng)
    if kind == "skill":
        occupation = rng.choice(ref.level_occupations)
        number = skill_number(rng, province_code=ref.province_codes[province], issue=issue,
                              level=level, social=agency.social)
        issuer = agency.name
    else:
        occupation = rng.choice(ref.access_occupations)
        number = qualification_number(rng, province=province, issue=issue, level=level)
        issuer = hrss_department(province) if rng.random() < 0.5 else (
            f"{city}人力资源和社会保障局")
    cert = Certificate(
        kind=kind, holder_name=person.name, id_number=person.id_number, male=person.male,
        birth=person.birth, education=person.education, occupation=occupation, level=level,
        number=number, issuer=issuer, issue_date=issue, agency=agency.name,
        id_printed=kind == "skill" or rng.random() < 0.7,
        scores=(rng.randrange(62, 98), rng.randrange(65, 98)),
        landscape=kind == "skill" and rng.random() < 0.35,
    )
    written_agency = agency.name
    if agency.aliases and rng.random() < 0.25:
        written_agency = rng.choice(agency.aliases)
    letter = Letter(
        exam_date=exam, province=province, city=city, county=county,
        province_written=province_written, city_written=city_written, agency=written_agency,
        occupation=occupation, title=title_for(rng, occupation, level), level=level,
        number=number, signer=person.name, sign_date=sign,
    )
    proof = None
    if outside:
        proof = make_proof(rng, agency, exam)
    return Claim(person, agency, cert, letter, [cert], proof)


def make_proof(rng: random.Random, agency: Agency, exam: date) -> FilingProof:
    """A filing proof issued by the agency's own provincial HRSS department."""
    issued = exam - timedelta(days=rng.randrange(60, 700))
    short = agency.province[:2]
    return FilingProof(agency.name, agency.province, hrss_department(agency.province), issued,
                       f"{short}人社鉴备〔{issued.year}〕{rng.randrange(1, 80):03d}号")
