"""信息比对 with certificates.csv, and which registries a packet needs."""

from __future__ import annotations

import pytest
from test_checks_samples import (
    SKILL_NUMBER,
    cert_row,
    context,
    letter,
    qual_cert,
    registries,
    run,
    skill_cert,
)


def _check(docs: list, **kw: object) -> tuple[str, str]:
    c = run(docs, context(registries(**kw)))["certificate_not_in_registry"]  # type: ignore[arg-type]
    return c.status, c.message


def test_number_absent_from_registry_fails() -> None:
    status, message = _check([letter(), skill_cert()], certificates=[])
    assert status == "fail" and SKILL_NUMBER in message


@pytest.mark.parametrize("column, value", [
    ("holder_name", "张山"), ("id_number", "360102199202290044"), ("occupation", "焊工"),
    ("level", "3"), ("issue_date", "2021-02-01"),
])
def test_registry_row_differing_from_certificate_fails(column: str, value: str) -> None:
    status, message = _check([letter(), skill_cert()], certificates=[cert_row(**{column: value})])
    assert status == "fail" and column in message


def test_only_fields_both_carry_are_compared() -> None:
    status, _ = _check([letter(), qual_cert(certificate_number=SKILL_NUMBER, occupation="电工",
                                            id_number=None)])
    assert status == "pass"
    status, _ = _check([letter(), skill_cert()], certificates=[cert_row(id_number="")])
    assert status == "pass"


def test_old_occupation_name_in_registry_matches() -> None:
    status, _ = _check([letter(), skill_cert()], certificates=[cert_row(occupation="维修电工")])
    assert status == "pass"


def test_letter_stands_in_without_certificate() -> None:
    assert _check([letter()])[0] == "pass"
    assert _check([letter(signer_name="李四")])[0] == "fail"
    assert _check([letter(level=3)])[0] == "fail"
    # an unsigned letter names nobody: the name is not compared
    assert _check([letter(has_signature=False, signer_name=None)])[0] == "pass"


def test_any_of_several_rows_for_one_number_may_match() -> None:
    rows = [cert_row(holder_name="王五"), cert_row()]
    assert _check([letter(), skill_cert()], certificates=rows)[0] == "pass"


def test_skipped_without_number_or_registry() -> None:
    assert _check([letter(), skill_cert(certificate_number=None)])[0] == "skipped"
    assert _check([letter(), skill_cert()], certificates=None)[0] == "skipped"
    assert _check([])[0] == "skipped"


def test_registry_unavailable_names_missing_files() -> None:
    checks = run([letter(), skill_cert()], context(registries(claims=None, certificates=None)))
    assert checks["registry_unavailable"].status == "fail"
    assert "claims.csv" in checks["registry_unavailable"].message
    assert "certificates.csv" in checks["registry_unavailable"].message


def test_agencies_not_needed_for_an_exam_outside_jiangxi() -> None:
    regs = registries(agencies=None)
    outside = letter(exam_province="浙江省", exam_city="杭州市", exam_county="西湖区")
    assert run([outside, skill_cert()], context(regs))["registry_unavailable"].status == "pass"
    assert run([letter(), skill_cert()], context(regs))["registry_unavailable"].status == "fail"
    # no letter: the agency check has nothing to look up, missing_commitment_letter says why
    assert run([skill_cert()], context(regs))["registry_unavailable"].status == "pass"


def test_registry_needed_only_when_its_check_has_input() -> None:
    regs = registries(certificates=None, claims=None)
    no_number = [letter(certificate_number=None), skill_cert(certificate_number=None)]
    checks = run(no_number, context(regs))
    assert checks["registry_unavailable"].status == "pass"
    assert checks["missing_field"].status == "fail"
    letter_only = run([letter()], context(regs))["registry_unavailable"]
    assert letter_only.status == "fail" and "claims.csv" in letter_only.message
