"""Duplicate claims: claims.csv by number, by person and occupation, other submissions."""

from __future__ import annotations

from test_checks_samples import (
    ID_NUMBER,
    QUAL_NUMBER,
    SKILL_NUMBER,
    cert_row,
    claim_row,
    context,
    letter,
    qual_cert,
    registries,
    run,
    skill_cert,
)


def _dup(docs: list | None = None, claims: list | None = None,
         **kw: object) -> tuple[str, str]:
    regs = registries(claims=claims if claims is not None else [claim_row()], **kw)
    c = run(docs or [letter(), skill_cert()], context(regs))["duplicate_claim"]
    return c.status, c.message


def test_no_duplicate_passes() -> None:
    assert _dup()[0] == "pass"


def test_number_already_paid_fails() -> None:
    status, message = _dup(claims=[claim_row(certificate_number=SKILL_NUMBER)])
    assert status == "fail" and "claims.csv" in message


def test_letters_number_is_checked_too() -> None:
    other = SKILL_NUMBER[:-1] + "9"
    status, _ = _dup([letter(certificate_number=other), skill_cert()],
                     claims=[claim_row(certificate_number=other)])
    assert status == "fail"


def test_same_person_same_occupation_same_or_higher_level_fails() -> None:
    for paid_level in ("4", "3", "1"):  # 4 = same, 3 and 1 higher (1 is highest)
        row = claim_row(id_number=ID_NUMBER, occupation="电工", level=paid_level)
        assert _dup(claims=[row])[0] == "fail", paid_level


def test_same_person_lower_level_or_other_occupation_passes() -> None:
    assert _dup(claims=[claim_row(id_number=ID_NUMBER, occupation="电工", level="5")])[0] == "pass"
    assert _dup(claims=[claim_row(id_number=ID_NUMBER, occupation="焊工", level="3")])[0] == "pass"


def test_old_occupation_name_in_claims_counts_as_same() -> None:
    row = claim_row(id_number=ID_NUMBER, occupation="维修电工", level="4")
    assert _dup(claims=[row])[0] == "fail"


def test_id_from_certificates_registry_when_not_printed() -> None:
    docs = [letter(certificate_number=QUAL_NUMBER, occupation="保安员"), qual_cert(id_number=None)]
    row = claim_row(id_number=ID_NUMBER, occupation="保安员", level="4")
    certs = [cert_row(certificate_number=QUAL_NUMBER, occupation="保安员")]
    assert _dup(docs, claims=[row], certificates=certs)[0] == "fail"
    status, message = _dup(docs, claims=[row], certificates=[])
    assert status == "pass" and "无身份证号" in message


def test_other_submissions_claiming_the_number() -> None:
    seen = {SKILL_NUMBER: ["A0002"]}
    ctx = context(other_claims=lambda n: seen.get(n, []))
    check = run([letter(), skill_cert()], ctx)["duplicate_claim"]
    assert check.status == "fail" and "A0002" in check.message


def test_other_submissions_still_checked_without_claims_csv() -> None:
    ctx = context(registries(claims=None), other_claims=lambda n: ["B7"])
    assert run([letter(), skill_cert()], ctx)["duplicate_claim"].status == "fail"
    ctx = context(registries(claims=None))
    assert run([letter(), skill_cert()], ctx)["duplicate_claim"].status == "skipped"


def test_skipped_without_any_number() -> None:
    docs = [letter(certificate_number=None), skill_cert(certificate_number=None)]
    assert run(docs)["duplicate_claim"].status == "skipped"
