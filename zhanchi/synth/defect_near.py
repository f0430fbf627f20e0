"""Near-miss defects: the claim is wrong by the smallest step a reader could smooth over.

Each is one character, one day or one digit from a clean claim, which is exactly where
a pipeline that "corrects" what it reads to what it expects would pass a defective
packet: an unfiled agency one character from a filed one, a letter signed 1–7 days
after the application window closed, a certificate number one digit from the agency's
report. The table naming them and their reasons is :mod:`zhanchi.synth.defects`.
"""

from __future__ import annotations

from datetime import date, timedelta

from zhanchi.synth.agencies import FILED, NEAR_MISS, near_miss_agency
from zhanchi.synth.content import Claim
from zhanchi.synth.defect_edits import Ctx, Effects
from zhanchi.synth.identity import tweak_number

WINDOW_MONTHS = 12  # 赣人社字〔2020〕332号: claim within 12 months of the issue date


def _window_end(issued: date) -> date:
    """The last day to sign: the same calendar day 12 months on, or the month's last
    day when it lacks that day (民法典 §203). Written here apart from the checks, so
    the generator does not share a mistake with the code it tests."""
    year = issued.year + WINDOW_MONTHS // 12
    try:
        return issued.replace(year=year)
    except ValueError:  # 29 February into a common year
        return date(year, 2, 28)


def agency_near_miss(c: Claim, x: Ctx) -> Effects:
    filed = c.agency if c.agency.name in NEAR_MISS else x.rng.choice(
        [a for a in FILED if a.city == c.agency.city] or list(FILED))
    agency = near_miss_agency(filed)
    letter = c.letter
    assert letter is not None
    c.agency = agency
    letter.agency = agency.name
    if letter.city != agency.city:
        letter.city = letter.city_written = agency.city
        letter.county = x.rng.choice([d.name for d in x.ref.counties_by_city[agency.city]])
    cert = c.certificate
    cert.agency = agency.name
    if cert.kind == "skill":
        cert.issuer = agency.name
    return Effects(variant=filed.name)


def window_near_miss(c: Claim, x: Ctx) -> Effects:
    late = x.rng.randrange(1, 8)
    issue = x.as_of - timedelta(days=365 + x.rng.randrange(10, 40))
    sign = _window_end(issue) + timedelta(days=late)
    letter = c.letter
    assert letter is not None and sign <= x.as_of
    c.certificate.issue_date = issue
    letter.exam_date = issue - timedelta(days=x.rng.randrange(14, 60))
    letter.sign_date = sign
    return Effects(variant=f"{late}d")


def number_near_miss(c: Claim, x: Ctx) -> Effects:
    cert, letter = c.certificate, c.letter
    assert letter is not None
    reported = cert.number
    cert.number = letter.number = tweak_number(x.rng, reported)
    return Effects(cert_row_override={"certificate_number": reported})
