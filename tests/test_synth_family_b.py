"""Family B, the independent generator: determinism, glyph coverage, every layout,
expected JSON shape, near-miss defects. Pages are made here, small, only to test the
generator itself (no family-B packet is ever committed or used as a fixture)."""

from __future__ import annotations

import csv
import hashlib
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest

from zhanchi.checks.entitlement import add_months
from zhanchi.synth.agencies import FILED
from zhanchi.synth.content import make_claim
from zhanchi.synth.family_b import faces
from zhanchi.synth.family_b.cert_skill import SKILL_LAYOUTS, render_skill_b
from zhanchi.synth.family_b.corpus import build_corpus_b, generate_corpus_b
from zhanchi.synth.family_b.hand import draw_hand, write
from zhanchi.synth.family_b.letters import LETTER_LAYOUTS, render_letter
from zhanchi.synth.family_b.near_miss import NEAR_MISS
from zhanchi.synth.family_b.other_pages import application_form, blank_back, booklet, id_copy, proof
from zhanchi.synth.family_b.sheet import Sheet
from zhanchi.synth.packet import PacketPlan
from zhanchi.synth.refdata import load_reference

SCHEMA = json.loads((Path(__file__).parent / "schema" / "result.schema.json").read_text("utf-8"))
DPI = 40


def _tree_hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _expected(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((root / "expected").glob("*.json"))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("family_b")
    generate_corpus_b(out, 6, seed=4242, dpi=DPI, clean_ratio=0.3)
    return out


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", 9), ("b", 9), ("c", 10)):
        generate_corpus_b(tmp_path / name, 2, seed=seed, dpi=DPI)
    assert _tree_hash(tmp_path / "a") == _tree_hash(tmp_path / "b")
    assert _tree_hash(tmp_path / "a") != _tree_hash(tmp_path / "c")


def test_refuses_a_foreign_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate_corpus_b(tmp_path, 1, seed=1, dpi=DPI)
    assert (tmp_path / "notes.txt").exists()


def test_faces_are_never_family_as_and_coverage_is_asserted() -> None:
    for name in faces.FACES:
        assert faces.font(name, 20).getname()[0] not in faces.FAMILY_A_FACES
    assert faces.covers("kaiti", "承诺书江西省")
    assert not faces.covers("droid", "2024")  # Droid Sans Fallback has no Latin digits
    with pytest.raises(faces.GlyphMissing) as err:
        faces.require("droid", "证书编号2024")
    assert err.value.missing == "024"
    with pytest.raises(faces.GlyphMissing):  # a hand never draws a glyph its face lacks
        write("2024", 14, DPI, random.Random(1), draw_hand(random.Random(1), face="droid"))
    sheet = Sheet(50, 20, DPI)
    sheet.text(2, 10, "编号2024", "droid", 10)  # printed text falls back to a covering face
    assert (sheet.finish() < 128).any()


def test_handwriting_varies_each_character() -> None:
    rng = random.Random(3)
    hand = draw_hand(rng, face="kaiti")
    a = np.asarray(write("电电电", 20, 150, rng, hand).image)[..., 3]
    cols = np.where(a.max(axis=0) > 60)[0]
    thirds = np.array_split(a[:, cols.min():cols.max() + 1], 3, axis=1)
    w = min(t.shape[1] for t in thirds)
    assert not np.array_equal(thirds[0][:, :w] > 60, thirds[1][:, :w] > 60)


def _claim(kind: str = "skill", outside: bool = False) -> Any:
    return make_claim(random.Random(5), load_reference(), date(2024, 6, 30), kind=kind,  # type: ignore[arg-type]
                      outside=outside)


@pytest.mark.parametrize("layout", LETTER_LAYOUTS)
def test_every_letter_layout_renders(layout: str) -> None:
    claim = _claim()
    rng = random.Random(layout)
    sheet = render_letter(claim.letter, DPI, rng, hand=draw_hand(rng), layout=layout)
    assert sheet.layout == f"letter_{layout}"
    assert {"agency", "occupation", "exam_county", "signature", "sign_day"} <= set(sheet.regions)
    if layout.startswith("seed"):
        assert ("agency_over_placeholder" if layout == "seed_over" else "agency_above_placeholder") \
            in sheet.phenomena
    assert (sheet.finish() < 100).sum() > 500


def test_every_certificate_and_extra_page_renders() -> None:
    skill, qual = _claim(), _claim("qualification", outside=True)
    rng = random.Random(7)
    pages = [render_skill_b(skill.certificate, DPI, rng, lay) for lay in SKILL_LAYOUTS]
    pages += [booklet(qual.certificate, DPI, rng), proof(qual.proof, DPI, rng),
              application_form(skill.person, skill.certificate, DPI, rng, draw_hand(rng)),
              id_copy(skill.person, DPI, rng), blank_back(DPI, rng)]
    assert len({p.layout for p in pages}) == len(pages) == 8
    for page in pages[:4]:
        assert "seal_over_issuer" in page.phenomena
        img = page.finish()
        red = (img[..., 0].astype(int) - img[..., 2]) > 60
        assert red.sum() > 50, page.layout
    assert [p.kind for p in pages[-3:]] == ["unknown"] * 3


def test_expected_json_fits_the_result_schema(corpus: Path) -> None:
    props = SCHEMA["properties"]
    doc_schema = props["documents"]["items"]
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    assert manifest["families"] == ["B"] and manifest["phenomena"]
    for exp in _expected(corpus):
        jsonschema.validate(exp["reasons"], props["reasons"])
        assert exp["route"] == ("review" if exp["reasons"] else "pass")
        for doc in exp["documents"]:
            as_result = {"type": doc["type"], "fields": {
                k: {"value": v, "confidence": 1.0, "page": 1} for k, v in doc["fields"].items()},
                "pages": [{"file": p["file"], "page": p["page"], "rotation": p["expected_rotation"],
                           "width": 1, "height": 1} for p in doc["pages"]]}
            jsonschema.validate(as_result, doc_schema)
            assert doc["layout"] and doc["pages"]
            if doc["type"] == "unknown":
                assert doc["fields"] == {}


def _build(tmp: Path, defect: str, kind: str = "skill") -> tuple[dict[str, Any], Path]:
    plan = PacketPlan("P0001", fmt="jpeg_folder", kind=kind, defects=[defect], style="flatbed")
    build_corpus_b(tmp, [("B", plan)], seed=77, as_of=date(2024, 9, 30), dpi=DPI)
    return _expected(tmp)[0], tmp


def _doc(exp: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(d["fields"] for d in exp["documents"] if d["type"] == kind)


@pytest.mark.parametrize("defect", sorted(NEAR_MISS))
def test_near_miss_defects_expect_their_reasons(tmp_path: Path, defect: str) -> None:
    exp, root = _build(tmp_path, defect)
    assert exp["reasons"] == sorted(NEAR_MISS[defect].reasons) and exp["route"] == "review"
    letter, cert = _doc(exp, "commitment_letter"), _doc(exp, "skill_level_certificate")
    if defect == "near_miss_window":
        late = (date.fromisoformat(letter["sign_date"])
                - add_months(date.fromisoformat(cert["issue_date"]), 12)).days
        assert 1 <= late <= 7
    elif defect == "near_miss_agency":
        filed = {a.name for a in FILED} | {x for a in FILED for x in a.aliases}
        assert letter["agency"] not in filed
        assert any(len(f) == len(letter["agency"])
                   and sum(a != b for a, b in zip(f, letter["agency"], strict=True)) == 1 for f in filed)
    elif defect == "near_miss_number_letter":
        a, b = letter["certificate_number"], cert["certificate_number"]
        assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    else:
        with (root / "registry" / "certificates.csv").open(encoding="utf-8") as fh:
            numbers = {r["certificate_number"] for r in csv.DictReader(fh)}
        n = cert["certificate_number"]
        assert n not in numbers
        assert any(len(m) == len(n) and sum(x != y for x, y in zip(m, n, strict=True)) == 1
                   for m in numbers)


def test_mixed_corpus_holds_both_families(tmp_path: Path) -> None:
    manifest = generate_corpus_b(tmp_path, 6, seed=32, dpi=DPI, family="mixed")
    families = {p["family"] for p in manifest["packets"]}
    assert families == {"A", "B"}
    for exp in _expected(tmp_path):
        layouts = {d["layout"] for d in exp["documents"]}
        assert (layouts == {"family_a"}) == (exp["family"] == "A")


def test_eval_refuses_an_unknown_family(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zhanchi.cli import app

    result = CliRunner().invoke(app, ["eval", "--family", "C", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert not any(tmp_path.iterdir())
