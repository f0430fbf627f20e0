"""policy.toml: the packaged version, date selection, and malformed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zhanchi.errors import PolicyError
from zhanchi.policy import load_policies, load_policy
from zhanchi.policy.loader import _read

PACKAGED = _read(None)[1]


def test_packaged_policy_holds_the_domain_rules() -> None:
    p = load_policy(date(2021, 6, 1))
    assert p.version == "jx-2020-332/v1"
    assert p.levels.eligible == {3, 4, 5}
    assert p.subsidy_yuan == {5: 1000, 4: 1500, 3: 2000}
    assert p.application_window.months == 12
    assert p.exited_qualification.last_exam_date == date(2020, 12, 31)
    assert p.confidence.threshold("commitment_letter", "exam_date") == pytest.approx(0.80)
    assert p.certificate_numbers["skill_level_certificate"].match("S000036000001214000123")
    assert p.certificate_numbers["qualification_certificate"].match("2036010001400123")
    assert "certificate_title" not in p.required_fields["commitment_letter"]
    assert "id_number" not in p.required_fields["qualification_certificate"]
    assert p.occupations.aliases["维修电工"] == "电工"


def test_no_version_before_the_notice() -> None:
    with pytest.raises(PolicyError, match="2020-01-01"):
        load_policy(date(2020, 1, 1))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _first_version() -> str:
    """The packaged file with only its first version, left open (no in_force_to)."""
    start = PACKAGED.index("\n[[versions]]")
    end = PACKAGED.find("\n[[versions]]", start + 1)
    first = PACKAGED[:end] if end > 0 else PACKAGED
    return "\n".join(x for x in first.splitlines() if not x.startswith("in_force_to"))


def _two_versions() -> str:
    first = _first_version()
    v1 = first.replace('in_force_from = 2020-10-12',
                       'in_force_from = 2020-10-12\nin_force_to = 2023-12-31')
    second = first[first.index("\n[[versions]]"):]
    second = second.replace('version = "jx-2020-332/v1"', 'version = "jx-2020-332/v2"')
    second = second.replace("in_force_from = 2020-10-12", "in_force_from = 2024-01-01")
    second = second.replace("months = 12", "months = 24")
    return v1 + "\n" + second


def test_version_in_force_on_as_of_is_chosen(tmp_path: Path) -> None:
    path = _write(tmp_path, _two_versions())
    assert [p.version for p in load_policies(path)] == ["jx-2020-332/v1", "jx-2020-332/v2"]
    assert load_policy(date(2023, 12, 31), path).application_window.months == 12
    assert load_policy(date(2024, 1, 1), path).version == "jx-2020-332/v2"
    assert load_policy(date(2024, 1, 1), path).application_window.months == 24


def test_overlapping_versions_are_rejected(tmp_path: Path) -> None:
    overlapping = _two_versions().replace("in_force_to = 2023-12-31", "in_force_to = 2024-06-30")
    with pytest.raises(PolicyError, match="overlaps"):
        load_policies(_write(tmp_path, overlapping))


@pytest.mark.parametrize("edit, message", [
    (("schema = 1", "schema = 2"), "schema"),
    (("eligible = [3, 4, 5]", "eligible = [3, 4, 9]"), "levels.eligible"),
    (("months = 12", 'months = "twelve"'), "application_window.months"),
    (("default = 0.80", "default = 1.5"), "confidence.default"),
    (("(?P<level>[1-5])\\d{5}$'", "[1-5]\\d{5}$'"), "level"),
    (("(?P<level>[1-5])\\d{5}$'", "(?P<level>[1-5]\\d{5}$'"), "compile"),
    (("filing_proof = [", "filing_proofs = ["), "required_fields"),
    (("max_edits = 2", "max_edits = 2\nunknown_knob = 1"), "unknown_knob"),
    (('ocr_folds = { "巿" = "市" }', 'ocr_folds = { "巿巿" = "市" }'), "single characters"),
    (("last_exam_date = 2020-12-31", "last_exam_date = 2020-13-31"), "TOML"),
])
def test_malformed_policy_is_a_policy_error(tmp_path: Path, edit: tuple[str, str],
                                            message: str) -> None:
    old, new = edit
    assert old in PACKAGED
    with pytest.raises(PolicyError, match=message):
        load_policies(_write(tmp_path, PACKAGED.replace(old, new, 1)))


def test_missing_or_empty_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policies(tmp_path / "absent.toml")
    with pytest.raises(PolicyError, match="versions"):
        load_policies(_write(tmp_path, "schema = 1\n"))


def test_duplicate_version_ids(tmp_path: Path) -> None:
    twice = _two_versions().replace('"jx-2020-332/v2"', '"jx-2020-332/v1"')
    with pytest.raises(PolicyError, match="repeat"):
        load_policies(_write(tmp_path, twice))


def test_confidence_threshold_lookup_order() -> None:
    from zhanchi.policy import Confidence

    c = Confidence(default=0.8, fields={"agency": 0.9},
                   types={"commitment_letter": {"agency": 0.7}})
    assert c.threshold("commitment_letter", "agency") == 0.7
    assert c.threshold("filing_proof", "agency") == 0.9
    assert c.threshold("filing_proof", "province") == 0.8
