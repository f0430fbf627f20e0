"""Named defects: each bends a clean claim so that exactly its review reasons apply.

A defect changes the *content* (or the registry rows, or the files) so the reason is
true, not merely labelled. ``DEFECTS[name].reasons`` are the SPEC §6 codes the packet
must then get; ``tolerated`` are codes a pipeline may add without being wrong (only
``low_confidence`` has any: a smeared field may also be unreadable or misread).
``registry_unavailable`` is corpus-level: see :mod:`zhanchi.synth.corpus`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zhanchi.synth.content import Claim
from zhanchi.synth.defect_edits import (
    Ctx,
    Effects,
    agency_not_filed,
    date_inconsistent,
    duplicate_claim,
    exited_qualification,
    fingerprint_missing,
    invalid_certificate_number,
    invalid_id_number,
    invalid_location,
    level_mismatch,
    level_not_eligible,
    low_confidence,
    missing_certificate,
    missing_field,
    missing_letter,
    multiple_claims,
    name_mismatch,
    not_in_registry,
    number_mismatch,
    occupation_mismatch,
    proof_missing,
    signature_missing,
    unreadable_letter,
    unreadable_page,
    window_expired,
)
from zhanchi.synth.defect_near import agency_near_miss, number_near_miss, window_near_miss

__all__ = ["ALL_DEFECT_NAMES", "CORPUS_DEFECTS", "DEFECTS", "Ctx", "Defect", "Effects"]


@dataclass(frozen=True)
class Defect:
    """A named way to break a claim, with the reasons it must produce."""

    name: str
    description: str  # one line for expected/*.json "tests"
    reasons: tuple[str, ...]
    apply: Callable[[Claim, Ctx], Effects]
    kind: str | None = None  # "skill" / "qualification" when the defect needs one
    outside: bool = False  # needs an exam outside Jiangxi
    inside: bool = False  # needs an exam inside Jiangxi
    folder: bool = False  # needs a folder packet (a separate file to break)
    tolerated: tuple[str, ...] = ()


_ALL = (
    Defect("missing_commitment_letter", "no 承诺书 in the packet",
           ("missing_commitment_letter",), missing_letter),
    Defect("missing_certificate", "the letter is there but no certificate",
           ("missing_certificate",), missing_certificate),
    Defect("unreadable_page", "an extra file in the folder is corrupt or empty",
           ("unreadable_page",), unreadable_page, folder=True),
    Defect("unreadable_letter", "the letter's file is corrupt, so the letter is missing too",
           ("missing_commitment_letter", "unreadable_page"),
           unreadable_letter, folder=True),
    Defect("multiple_claims", "two different certificates of the same holder",
           ("multiple_claims",), multiple_claims, kind="skill", inside=True),
    Defect("missing_field", "the letter's occupation blank is left empty",
           ("missing_field",), missing_field),
    Defect("low_confidence", "the letter's county blank is smeared",
           ("low_confidence",), low_confidence, inside=True,
           tolerated=("missing_field", "invalid_location")),
    Defect("invalid_certificate_number", "the certificate number fails its format or level digit",
           ("invalid_certificate_number",), invalid_certificate_number),
    Defect("invalid_id_number", "the certificate's ID number fails GB 11643",
           ("invalid_id_number",), invalid_id_number),
    Defect("invalid_location", "the letter's county is not in its city",
           ("invalid_location",), invalid_location, inside=True),
    Defect("certificate_number_mismatch", "the letter's certificate number differs from the certificate's",
           ("certificate_number_mismatch",), number_mismatch),
    Defect("occupation_mismatch", "the letter names another occupation",
           ("occupation_mismatch",), occupation_mismatch),
    Defect("level_mismatch", "the letter names another level",
           ("level_mismatch",), level_mismatch),
    Defect("name_mismatch", "someone else signed the letter",
           ("name_mismatch",), name_mismatch),
    Defect("date_inconsistent", "letter and certificate dates contradict each other or as_of",
           ("date_inconsistent",), date_inconsistent),
    Defect("agency_not_filed", "the exam agency is not filed in agencies.csv (or lapsed)",
           ("agency_not_filed",), agency_not_filed, inside=True),
    Defect("out_of_province_proof_missing", "exam outside Jiangxi and no filing proof",
           ("out_of_province_proof_missing",), proof_missing,
           outside=True),
    Defect("certificate_not_in_registry", "certificates.csv lacks or contradicts the certificate",
           ("certificate_not_in_registry",), not_in_registry),
    Defect("duplicate_claim", "claims.csv already holds this claim",
           ("duplicate_claim",), duplicate_claim),
    Defect("signature_missing", "the 承诺人 line is not signed",
           ("signature_missing",), signature_missing),
    Defect("fingerprint_missing", "no fingerprint on the letter",
           ("fingerprint_missing",), fingerprint_missing),
    Defect("level_not_eligible", "a 二级/一级 certificate",
           ("level_not_eligible",), level_not_eligible),
    Defect("application_window_expired", "signed more than 12 months after the issue date",
           ("application_window_expired",), window_expired),
    Defect("agency_near_miss", "an unfiled agency one character from a filed one",
           ("agency_not_filed",), agency_near_miss, inside=True),
    Defect("window_near_miss", "signed 1-7 days after the application window closed",
           ("application_window_expired",), window_near_miss),
    Defect("number_near_miss", "the certificate number is one digit from the agency's report",
           ("certificate_not_in_registry",), number_near_miss),
    Defect("exited_qualification", "a 职业资格证书 for a level-evaluation occupation after 2020",
           ("exited_qualification",), exited_qualification,
           kind="qualification"),
)
DEFECTS: dict[str, Defect] = {d.name: d for d in _ALL}
CORPUS_DEFECTS = ("registry_unavailable",)
ALL_DEFECT_NAMES: tuple[str, ...] = (*DEFECTS, *CORPUS_DEFECTS)
