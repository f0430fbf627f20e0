"""Corpus layout, determinism, file formats and the shape of expected JSON."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from zhanchi.models.documents import DOC_TYPES
from zhanchi.models.results import REVIEW_REASONS
from zhanchi.synth import generate_corpus
from zhanchi.synth.__main__ import main
from zhanchi.synth.corpus import AGENCY_COLUMNS, CERT_COLUMNS, CLAIM_COLUMNS
from zhanchi.synth.identity import QUAL_RE, SKILL_RE, id_number_valid, number_level_digit

SPEC_FIELDS = {
    "commitment_letter": {"exam_date", "exam_province", "exam_city", "exam_county", "agency",
                          "occupation", "certificate_title", "level", "certificate_number",
                          "signer_name", "sign_date", "has_signature", "has_fingerprint"},
    "skill_level_certificate": {"holder_name", "id_number", "occupation", "level",
                                "certificate_number", "issuer", "issue_date"},
    "filing_proof": {"agency", "province", "issuer", "issue_date"},
    "unknown": set(),
}
SPEC_FIELDS["qualification_certificate"] = SPEC_FIELDS["skill_level_certificate"]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, 16, seed=2024, dpi=40, clean_ratio=0.4)
    return out


def _expected(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((root / "expected").glob("*.json"))]


def _tree_hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 3, seed=77, dpi=30)
    generate_corpus(tmp_path / "b", 3, seed=77, dpi=30)
    generate_corpus(tmp_path / "c", 3, seed=78, dpi=30)
    assert _tree_hash(tmp_path / "a") == _tree_hash(tmp_path / "b")
    assert _tree_hash(tmp_path / "a") != _tree_hash(tmp_path / "c")


def test_layout_and_registry_columns(corpus: Path) -> None:
    inbox = sorted(p.name for p in (corpus / "inbox").iterdir())
    assert len(inbox) == 16 and len(_expected(corpus)) == 16
    for name, cols in (("agencies.csv", AGENCY_COLUMNS), ("certificates.csv", CERT_COLUMNS),
                       ("claims.csv", CLAIM_COLUMNS)):
        with (corpus / "registry" / name).open(encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == cols
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    assert manifest["seed"] == 2024 and len(manifest["packets"]) == 16
    with (corpus / "registry" / "certificates.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    numbers = [r["certificate_number"] for r in rows]
    assert len(numbers) == len(set(numbers)), "one registry row per certificate number"


def test_expected_json_has_spec_names_and_normal_forms(corpus: Path) -> None:
    for exp in _expected(corpus):
        assert set(exp["reasons"]) <= set(REVIEW_REASONS)
        assert exp["reasons"] == sorted(set(exp["reasons"]))
        assert exp["route"] == ("review" if exp["reasons"] else "pass")
        for doc in exp["documents"]:
            assert doc["type"] in DOC_TYPES
            fields = doc["fields"]
            assert set(fields) <= SPEC_FIELDS[doc["type"]], doc["type"]
            for key, value in fields.items():
                if key.endswith("_date"):
                    assert ISO.fullmatch(value)
                elif key == "level":
                    assert type(value) is int and 1 <= value <= 5
                elif key.startswith("has_"):
                    assert type(value) is bool
                else:
                    assert isinstance(value, str) and value and not re.search(r"\s", value)
            if doc["type"] == "commitment_letter":
                assert {"has_signature", "has_fingerprint"} <= set(fields)
                assert ("signer_name" in fields) == fields["has_signature"]
            assert doc["pages"], "every document has pages"


def test_identifiers_valid_unless_broken_on_purpose(corpus: Path) -> None:
    for exp in _expected(corpus):
        for doc in exp["documents"]:
            f = doc["fields"]
            if "id_number" in f and "invalid_id_number" not in exp["defects"]:
                assert id_number_valid(f["id_number"])
            if "certificate_number" in f and "invalid_certificate_number" not in exp["defects"]:
                n = f["certificate_number"]
                assert SKILL_RE.fullmatch(n) or QUAL_RE.fullmatch(n)
                if doc["type"] != "commitment_letter" or "level_mismatch" not in exp["defects"]:
                    assert number_level_digit(n) == f["level"]


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def test_every_page_points_at_a_real_page(corpus: Path) -> None:
    inbox = corpus / "inbox"
    for exp in _expected(corpus):
        for bad in exp["unreadable_files"]:
            with pytest.raises(Exception):  # noqa: B017 - any reader error will do
                Image.open(io.BytesIO((inbox / bad).read_bytes())).load()
        for doc in exp["documents"]:
            for page in doc["pages"]:
                path = inbox / page["file"]
                assert 1 <= page["page"] <= _page_count(path)
                assert (page["rotation_applied"] + page["expected_rotation"]) % 360 == 0


def test_image_pdfs_hold_one_native_jpeg_per_page(corpus: Path) -> None:
    for exp in _expected(corpus):
        if exp["format"] not in ("pdf_image", "pdf_scanned_ocr"):
            continue
        with pikepdf.open(corpus / "inbox" / exp["source"][0]) as pdf:
            for page in pdf.pages:
                images = list(page.get_images().values())
                assert len(images) == 1
                assert list(images[0].Filter) == [pikepdf.Name.DCTDecode]  # raw JPEG, no re-encode


def test_cli_writes_a_corpus(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path / "c"), "--packets", "2", "--seed", "5", "--dpi", "30",
                 "--defects", "signature_missing,registry_unavailable", "--clean-ratio", "0"]) == 0
    exp = _expected(tmp_path / "c")
    assert all("signature_missing" in e["reasons"] for e in exp)
    assert all("registry_unavailable" in e["reasons"] for e in exp)
    assert len(list((tmp_path / "c" / "registry").glob("*.csv"))) == 2


def test_refuses_to_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("someone else's")
    with pytest.raises(FileExistsError):
        generate_corpus(tmp_path, 1, seed=1, dpi=30)


def test_cover_defects_draws_every_defect_of_the_pool(tmp_path: Path) -> None:
    pool = ["missing_field", "level_mismatch", "name_mismatch", "duplicate_claim"]
    m = generate_corpus(tmp_path / "c", 8, seed=5, dpi=30, defects=pool, cover_defects=True)
    drawn = {d for p in m.packets for d in p.defects}
    assert set(pool) <= drawn
    with pytest.raises(ValueError, match="cannot cover"):
        generate_corpus(tmp_path / "d", 4, seed=5, dpi=30, defects=pool, cover_defects=True)
