"""Declared document types and layouts: the SPEC §2 contract, validation, derived lists."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from zhanchi import doctypes
from zhanchi.doctypes import CATALOGUE, load_catalogue
from zhanchi.errors import DocTypeError, PolicyError
from zhanchi.extractors.second_look import LOOKS
from zhanchi.policy import load_policy
from zhanchi.policy.loader import _read

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = Path(str(resources.files("zhanchi.doctypes")))


def _spec_md() -> Path | None:
    """SPEC.md, the contract, kept in a ``shared`` folder beside the checkout (or above)."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "SPEC.md"
        if candidate.is_file():
            return candidate
    return None


def _spec_types(text: str) -> list[str]:
    section = text.split("## 2. Document types", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)[1:]  # [0]: the header


def test_types_are_the_json_schema_enum_in_order() -> None:
    schema = json.loads((ROOT / "tests" / "schema" / "result.schema.json").read_text("utf-8"))
    doc = schema["properties"]["documents"]["items"]["properties"]["type"]
    assert list(doctypes.DOC_TYPES) == doc["enum"]


@pytest.mark.skipif(_spec_md() is None, reason="SPEC.md (the shared contract) is not beside this checkout")
def test_types_are_spec_section_2() -> None:
    spec = _spec_md()
    assert spec is not None
    listed = _spec_types(spec.read_text("utf-8"))
    assert len(listed) == 5 and list(doctypes.DOC_TYPES) == listed


def test_every_layout_maps_to_a_declared_type_and_its_fields() -> None:
    for layout in CATALOGUE.layouts:
        fields = CATALOGUE.by_id[layout.type].field_names
        assert set(layout.labels) | set(layout.second_looks) <= set(fields), layout.id
        assert set(n for names in layout.second_looks.values() for n in names) <= set(LOOKS)
    assert {lay.type for lay in CATALOGUE.layouts} == set(doctypes.DOC_TYPES)


def test_lists_are_derived_from_the_groups() -> None:
    assert doctypes.CERTIFICATE_TYPES == ("skill_level_certificate", "qualification_certificate")
    assert doctypes.CHECKED_TYPES == ("commitment_letter", *doctypes.CERTIFICATE_TYPES, "filing_proof")
    assert set(doctypes.GROUPS) == set(doctypes.CHECKED_TYPES)
    assert doctypes.FIELD_ORDER["unknown"] == ()
    assert doctypes.FIELD_ORDER["commitment_letter"][-2:] == ("has_signature", "has_fingerprint")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "doctypes"
    shutil.copytree(PACKAGED / "types", folder / "types")
    shutil.copytree(PACKAGED / "layouts", folder / "layouts")
    return folder


def test_a_copy_of_the_packaged_files_loads_the_same(tmp_path: Path) -> None:
    assert load_catalogue(_copy(tmp_path)) == CATALOGUE


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("layouts/filing_proof.toml", 'type = "filing_proof"', 'type = "tax_receipt"', "unknown type"),
    ("layouts/filing_proof.toml", "province = [", "exam_city = [", "not fields of filing_proof"),
    ("layouts/filing_proof.toml", 'reader = "anchored_form"', 'reader = "guess"', "reader"),
    ("types/filing_proof.toml", 'label = "考核鉴定机构"', 'label = "机构"', "differs"),
    ("types/filing_proof.toml", "spec_row = 4", "spec_row = 3", "declared twice"),
    ("types/unknown.toml", 'group = "other"', 'group = "misc"', "group"),
])
def test_malformed_declarations_fail_loading_naming_the_file(
        tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    folder = _copy(tmp_path)
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DocTypeError, match=message):
        load_catalogue(folder)


def _policy(tmp_path: Path, old: str, new: str) -> Path:
    text = _read(None)[1]
    assert old in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_a_judged_type_without_required_fields_fails_the_policy(tmp_path: Path) -> None:
    path = _policy(tmp_path, 'filing_proof = ["agency", "province"]', "filing_proof = []")
    with pytest.raises(PolicyError, match="required_fields lacks"):
        load_policy(date(2021, 6, 1), path)
    path = _policy(tmp_path, 'filing_proof = ["agency", "province"]', "")
    with pytest.raises(PolicyError, match="required_fields lacks"):
        load_policy(date(2021, 6, 1), path)


def test_required_fields_must_be_fields_of_their_type(tmp_path: Path) -> None:
    path = _policy(tmp_path, 'filing_proof = ["agency", "province"]',
                   'filing_proof = ["agency", "province", "holder_name"]')
    with pytest.raises(PolicyError, match="not its fields"):
        load_policy(date(2021, 6, 1), path)


def test_policy_required_fields_are_spec_section_5() -> None:
    """SPEC §5: every letter field but the title; every skill-level certificate field;
    the qualification certificate's but the ID number and issuer; the proof's agency and
    province."""
    required = load_policy(date(2021, 6, 1)).required_fields
    order = doctypes.FIELD_ORDER
    assert required["commitment_letter"] == tuple(f for f in order["commitment_letter"]
                                                   if f != "certificate_title")
    assert required["skill_level_certificate"] == order["skill_level_certificate"]
    assert required["qualification_certificate"] == tuple(
        f for f in order["qualification_certificate"] if f not in ("id_number", "issuer"))
    assert required["filing_proof"] == ("agency", "province")
