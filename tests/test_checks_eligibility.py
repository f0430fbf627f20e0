"""Eligible levels and exited level-evaluation qualifications."""

from __future__ import annotations

import pytest
from test_checks_samples import QUAL_NUMBER, letter, qual_cert, run, skill_cert, statuses


@pytest.mark.parametrize("level, ok", [(5, True), (4, True), (3, True), (2, False), (1, False)])
def test_level_eligibility(level: int, ok: bool) -> None:
    status = run([letter(level=level), skill_cert(level=level)])["level_not_eligible"].status
    assert status == ("pass" if ok else "fail")


def test_letter_level_stands_in_and_missing_level_skips() -> None:
    assert statuses([letter(level=2)])["level_not_eligible"] == "fail"
    assert statuses([letter(), skill_cert(level=None)])["level_not_eligible"] == "skipped"


def _exited(occupation: str, exam: str | None, issue: str = "2021-03-01", **kw: object) -> str:
    docs = [letter(certificate_number=QUAL_NUMBER, occupation=occupation, exam_date=exam),
            qual_cert(occupation=occupation, issue_date=issue, **kw)]
    return run(docs)["exited_qualification"].status


def test_level_evaluation_qualification_examined_after_cutoff_fails() -> None:
    assert _exited("电工", "2021-01-10") == "fail"
    assert _exited("维修电工", "2021-01-10") == "fail"  # old name, same occupation
    assert _exited("某某新职业", "2021-01-10") == "fail"  # not access-type: level evaluation


def test_exam_on_the_cutoff_day_is_allowed() -> None:
    assert _exited("电工", "2020-12-31") == "pass"


def test_access_type_qualification_never_exited() -> None:
    assert _exited("保安员", "2021-01-10") == "pass"
    assert _exited("焊接操作工", "2021-01-10") == "pass"  # part of a compound access entry


def test_skill_level_certificates_are_not_concerned() -> None:
    assert statuses([letter(exam_date="2021-01-10"), skill_cert()])["exited_qualification"] == "pass"


def test_without_exam_date_an_early_issue_date_settles_it() -> None:
    assert _exited("电工", None, issue="2020-12-20") == "pass"
    assert _exited("电工", None, issue="2021-03-01") == "skipped"


def test_letter_number_decides_the_kind_without_certificate() -> None:
    docs = [letter(certificate_number=QUAL_NUMBER, occupation="电工", exam_date="2021-01-10")]
    assert statuses(docs)["exited_qualification"] == "fail"
    assert statuses([letter(certificate_number=None)])["exited_qualification"] == "skipped"
