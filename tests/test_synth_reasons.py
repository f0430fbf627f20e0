"""Every SPEC §6 reason is producible, and true of the content it is claimed for.

An independent oracle re-derives each packet's reasons from its expected fields and
the registry CSVs, following SPEC §6 literally; it must agree with the generator's
``reasons`` for every packet, clean ones included (so clean packets really pass).
Only ``low_confidence`` (about how a smear reads) cannot be derived from fields.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhanchi.models.results import REVIEW_REASONS
from zhanchi.synth.corpus import build_corpus
from zhanchi.synth.defects import ALL_DEFECT_NAMES, DEFECTS
from zhanchi.synth.identity import QUAL_RE, SKILL_RE, id_number_valid
from zhanchi.synth.packet import PacketPlan
from zhanchi.synth.refdata import load_reference

AS_OF = date(2024, 3, 15)
CERT_TYPES = ("skill_level_certificate", "qualification_certificate")
LETTER_REQUIRED = {"exam_date", "exam_province", "exam_city", "exam_county", "agency",
                   "occupation", "level", "certificate_number", "signer_name", "sign_date",
                   "has_signature", "has_fingerprint"}
CERT_REQUIRED = {"skill_level_certificate": {"holder_name", "id_number", "occupation", "level",
                                             "certificate_number", "issuer", "issue_date"},
                 "qualification_certificate": {"holder_name", "occupation", "level",
                                               "certificate_number", "issue_date"}}


def _plans() -> list[PacketPlan]:
    plans = [PacketPlan(f"D-{name}", defects=[name], fmt="jpeg_folder", style="clean")
             for name in DEFECTS]
    for i, (kind, outside) in enumerate([("skill", False), ("qualification", False),
                                         ("skill", True), ("qualification", True)]):
        plans.append(PacketPlan(f"C-{i}", kind=kind, outside=outside, style="clean"))
    for variant in ("exam_after_issue", "signed_before_issue", "signed_after_as_of"):
        plans.append(PacketPlan(f"V-{variant}", defects=["date_inconsistent"], variant=variant))
    for variant in ("absent", "holder_name", "issue_date"):
        plans.append(PacketPlan(f"V-{variant}", defects=["certificate_not_in_registry"],
                                variant=variant))
    for variant in ("same_number", "same_person_occupation"):
        plans.append(PacketPlan(f"V-{variant}", defects=["duplicate_claim"], variant=variant))
    for variant in ("unfiled", "lapsed"):
        plans.append(PacketPlan(f"V-{variant}", defects=["agency_not_filed"], variant=variant))
    for variant in ("format", "level_digit"):
        plans.append(PacketPlan(f"V-{variant}", kind="qualification",
                                defects=["invalid_certificate_number"], variant=variant))
    return plans


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("defects")
    build_corpus(out, _plans(), seed=11, as_of=AS_OF, dpi=40)
    return out


def _csv(path: Path) -> list[dict[str, str]] | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _plus_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def oracle(exp: dict[str, Any], reg: Path) -> set[str]:  # noqa: C901 - one rule per branch
    """SPEC §6, literally, over expected fields and the registry."""
    ref = load_reference()
    docs = exp["documents"]
    letters = [d["fields"] for d in docs if d["type"] == "commitment_letter"]
    certs = [d for d in docs if d["type"] in CERT_TYPES]
    proofs = [d["fields"] for d in docs if d["type"] == "filing_proof"]
    out: set[str] = set()
    if exp["unreadable_files"]:
        out.add("unreadable_page")
    if not letters:
        out.add("missing_commitment_letter")
    if not certs:
        out.add("missing_certificate")
    if len(letters) > 1 or len(certs) > 1:
        out.add("multiple_claims")
    L = letters[0] if letters else {}
    named = [c for c in certs if c["fields"]["certificate_number"] == L.get("certificate_number")]
    cdoc = (named or certs or [None])[0]
    C = cdoc["fields"] if cdoc else {}
    if L and (LETTER_REQUIRED - ({"signer_name"} if not L["has_signature"] else set())) - set(L):
        out.add("missing_field")
    for c in certs:
        if CERT_REQUIRED[c["type"]] - set(c["fields"]):
            out.add("missing_field")
    number = C.get("certificate_number", L.get("certificate_number"))
    level = C.get("level", L.get("level"))
    if number is not None:
        m = SKILL_RE.fullmatch(number) or QUAL_RE.fullmatch(number)
        digit = number[15] if SKILL_RE.fullmatch(number) else number[10:11]
        if not m or digit != str(level):
            out.add("invalid_certificate_number")
    if "id_number" in C and not id_number_valid(C["id_number"]):
        out.add("invalid_id_number")
    inside = L.get("exam_province") == "江西省"
    if L and inside and "exam_county" in L:
        counties = {d.name for d in ref.counties_by_city.get(L["exam_city"], ())}
        if L["exam_county"] not in counties:
            out.add("invalid_location")
    elif L and L.get("exam_province") not in ref.provinces:
        out.add("invalid_location")
    if L and C:
        for key, reason in (("certificate_number", "certificate_number_mismatch"),
                            ("occupation", "occupation_mismatch"), ("level", "level_mismatch")):
            if key in L and key in C and L[key] != C[key]:
                out.add(reason)
        if "signer_name" in L and L["signer_name"] != C["holder_name"]:
            out.add("name_mismatch")
    dates = [_d(v) for d in [L, C, *proofs] for k, v in d.items() if k.endswith("_date")]
    issue = _d(C["issue_date"]) if "issue_date" in C else None
    if any(x > _d(exp["as_of"]) for x in dates) or (issue and L and (
            _d(L["exam_date"]) > issue or _d(L["sign_date"]) < issue)):
        out.add("date_inconsistent")
    agencies = _csv(reg / "agencies.csv")
    if L and inside:
        if agencies is None:
            out.add("registry_unavailable")
        else:
            exam = _d(L["exam_date"])
            ok = [a for a in agencies if L["agency"] in (a["name"], *a["aliases"].split("|"))
                  and _d(a["valid_from"]) <= exam and (not a["valid_to"] or exam <= _d(a["valid_to"]))]
            if not ok:
                out.add("agency_not_filed")
    if L and not inside and not any(p["agency"] == L["agency"] for p in proofs):
        out.add("out_of_province_proof_missing")
    registry, claims = _csv(reg / "certificates.csv"), _csv(reg / "claims.csv")
    if number is not None:
        source = C or {k: L[k] for k in ("certificate_number", "occupation", "level") if k in L}
        if registry is None:
            out.add("registry_unavailable")
        else:
            rows = [r for r in registry if r["certificate_number"] == number]
            if not rows or any(str(source[k]) != rows[0][k] for k in
                               ("holder_name", "id_number", "occupation", "level", "issue_date")
                               if k in source):
                out.add("certificate_not_in_registry")
        if claims is None:
            out.add("registry_unavailable")
        elif any(r["certificate_number"] == number or (
                r["id_number"] == C.get("id_number") and r["occupation"] == C.get("occupation")
                and int(r["level"]) <= int(level)) for r in claims):
            out.add("duplicate_claim")
    if L and not L["has_signature"]:
        out.add("signature_missing")
    if L and not L["has_fingerprint"]:
        out.add("fingerprint_missing")
    if level in (1, 2):
        out.add("level_not_eligible")
    if L and issue and _d(L["sign_date"]) > _plus_year(issue):
        out.add("application_window_expired")
    access = {r for r in ref.access_occupations} | {"特种作业人员"}
    if cdoc and cdoc["type"] == "qualification_certificate" and C["occupation"] not in access \
            and L and _d(L["exam_date"]) > date(2020, 12, 31):
        out.add("exited_qualification")
    if "low_confidence" in exp["reasons"]:
        out.add("low_confidence")  # a property of the pixels, not of the fields
    return out


def _expected(corpus: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in (corpus / "expected").glob("*.json")}


def test_every_review_reason_is_produced(corpus: Path) -> None:
    produced = {r for e in _expected(corpus).values() for r in e["reasons"]}
    assert produced | {"registry_unavailable"} == set(REVIEW_REASONS)


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_gives_exactly_its_reasons(corpus: Path, name: str) -> None:
    exp = _expected(corpus)[f"D-{name}"]
    assert exp["reasons"] == sorted(DEFECTS[name].reasons)
    assert exp["route"] == "review"
    assert exp["tests"]


def test_oracle_agrees_on_every_packet(corpus: Path) -> None:
    for sid, exp in _expected(corpus).items():
        assert oracle(exp, corpus / "registry") == set(exp["reasons"]), sid


def test_clean_packets_pass(corpus: Path) -> None:
    clean = [e for e in _expected(corpus).values() if not e["defects"]]
    assert len(clean) == 4
    assert all(e["route"] == "pass" and e["reasons"] == [] for e in clean)


@pytest.mark.parametrize("missing", ["agencies.csv", "certificates.csv", "claims.csv"])
def test_registry_unavailable_by_omitting_a_file(tmp_path: Path, missing: str) -> None:
    plans = [PacketPlan("R-clean", style="clean"),
             PacketPlan("R-dup", defects=["duplicate_claim"], style="clean"),
             PacketPlan("R-noletter", defects=["missing_commitment_letter"], style="clean")]
    build_corpus(tmp_path, plans, seed=3, as_of=AS_OF, dpi=30, omit_registry=[missing])
    assert not (tmp_path / "registry" / missing).exists()
    exp = _expected(tmp_path)
    assert "registry_unavailable" in exp["R-clean"]["reasons"]
    if missing == "claims.csv":
        assert exp["R-dup"]["reasons"] == ["registry_unavailable"]  # the check could not run
    if missing == "agencies.csv":  # no letter: no agency check, so nothing unavailable
        assert exp["R-noletter"]["reasons"] == ["missing_commitment_letter"]
    for sid, e in exp.items():
        assert oracle(e, tmp_path / "registry") == set(e["reasons"]), sid


def test_defect_names_cover_spec(corpus: Path) -> None:
    reasons = {r for d in DEFECTS.values() for r in d.reasons} | {"registry_unavailable"}
    assert reasons == set(REVIEW_REASONS)
    assert "registry_unavailable" in ALL_DEFECT_NAMES
