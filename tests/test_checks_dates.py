"""The three date rules, and the 12-month application window (29 February included)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_checks_samples import context, letter, proof, run, skill_cert, statuses

from zhanchi.checks import add_months


def test_exam_after_issue_is_inconsistent() -> None:
    check = run([letter(exam_date="2021-03-02"), skill_cert()])["date_inconsistent"]
    assert check.status == "fail" and "2021-03-02" in check.message


def test_exam_on_issue_day_is_fine() -> None:
    assert statuses([letter(exam_date="2021-03-01"), skill_cert()])["date_inconsistent"] == "pass"


def test_signed_before_issue_is_inconsistent() -> None:
    assert statuses([letter(sign_date="2021-02-28"), skill_cert()])["date_inconsistent"] == "fail"


@pytest.mark.parametrize("docs", [
    [letter(sign_date="2021-06-02"), skill_cert()],
    [letter(), skill_cert(issue_date="2021-06-02", )],
    [letter(), skill_cert(), proof(issue_date="2022-01-01")],
])
def test_any_date_after_as_of_is_inconsistent(docs: list) -> None:
    assert statuses(docs)["date_inconsistent"] == "fail"


def test_as_of_itself_is_allowed() -> None:
    assert statuses([letter(sign_date="2021-06-01"), skill_cert()])["date_inconsistent"] == "pass"


def test_only_the_three_rules() -> None:
    # signed long after the exam but within the window: not a date inconsistency
    docs = [letter(exam_date="2020-11-01", sign_date="2021-05-31"), skill_cert()]
    assert statuses(docs)["date_inconsistent"] == "pass"


def test_skipped_without_issue_date_unless_a_rule_fails() -> None:
    assert statuses([letter(), skill_cert(issue_date=None)])["date_inconsistent"] == "skipped"
    assert statuses([letter()])["date_inconsistent"] == "skipped"
    future = [letter(sign_date="2030-01-01")]
    assert statuses(future)["date_inconsistent"] == "fail"


# ---- application window ----

def _window(issue: str, signed: str) -> str:
    ctx = context(as_of=date(2030, 1, 1))
    docs = [letter(exam_date="2019-01-01", sign_date=signed), skill_cert(issue_date=issue)]
    return run(docs, ctx)["application_window_expired"].status


def test_window_ends_on_the_same_calendar_day() -> None:
    assert _window("2021-03-01", "2022-03-01") == "pass"
    assert _window("2021-03-01", "2022-03-02") == "fail"


def test_window_from_29_february() -> None:
    # no 29 February in 2021: the period ends on the month's last day (民法典 第二百零三条)
    assert _window("2020-02-29", "2021-02-28") == "pass"
    assert _window("2020-02-29", "2021-03-01") == "fail"


def test_window_to_29_february_of_a_leap_year() -> None:
    assert _window("2023-02-28", "2024-02-28") == "pass"
    assert _window("2023-02-28", "2024-02-29") == "fail"


def test_window_skipped_without_dates() -> None:
    assert statuses([letter(sign_date=None), skill_cert()])["application_window_expired"] == "skipped"
    assert statuses([letter()])["application_window_expired"] == "skipped"


def test_window_message_states_deadline() -> None:
    ctx = context(as_of=date(2030, 1, 1))
    docs = [letter(sign_date="2022-05-01"), skill_cert()]
    assert "2022-03-01" in run(docs, ctx)["application_window_expired"].message


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=0, max_value=240))
def test_add_months_properties(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)
