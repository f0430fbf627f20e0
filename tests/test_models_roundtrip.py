"""The result model round-trips exactly through its JSON line (SPEC §3)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from zhanchi.models import (
    Check,
    Document,
    ExtractedField,
    OcrLine,
    OcrPage,
    PageRef,
    Provenance,
    SubmissionResult,
)

SCHEMA = json.loads((Path(__file__).parent / "schema" / "result.schema.json").read_text())


def sample_result() -> SubmissionResult:
    letter = Document(
        type="commitment_letter",
        pages=[PageRef(file="A0001/letter.jpg", page=1, rotation=90, width=1654, height=2339,
                       deskew_deg=-1.25, flattened=True, page_sha256="ab" * 32)],
        fields={
            "exam_date": ExtractedField(value="2020-08-15", confidence=0.98, page=1,
                                        bbox=[10, 20, 300, 60], raw="2020年8月15日"),
            "level": ExtractedField(value=4, confidence=0.91, page=1, bbox=[1, 2, 3, 4]),
            "has_signature": ExtractedField(value=True, confidence=0.9, page=1),
        },
    )
    return SubmissionResult(
        submission_id="A0001", revision=2, content_sha256="cd" * 32,
        received_at="2026-11-26T06:00:00+00:00", source=["A0001/letter.jpg"],
        route="review", documents=[letter],
        checks=[Check(code="missing_certificate", status="fail", message="缺少证书"),
                Check(code="agency_not_filed", status="skipped", message="无承诺书机构")],
        timings_ms={"ocr": 2310, "total": 2650},
        provenance=Provenance(zhanchi="0.1.0", ocr_engine="rapidocr", policy="p/v1",
                              registry_sha256={"agencies.csv": "0" * 64}),
        as_of="2026-11-26",
    ).finalise()


def test_result_round_trips_exactly() -> None:
    r = sample_result()
    line = r.to_json_line()
    back = SubmissionResult.from_json_line(line)
    assert back == r
    assert back.to_json_line() == line
    assert "\n" not in line and "缺少证书" in line  # Chinese kept readable


def test_result_line_matches_schema() -> None:
    jsonschema.validate(json.loads(sample_result().to_json_line()), SCHEMA)


def test_finalise_derives_route_and_sorted_unique_reasons() -> None:
    r = sample_result()
    assert r.route == "review" and r.reasons == ["missing_certificate"]
    r.checks = [Check(code="agency_not_filed", status="pass", message="ok")]
    assert r.finalise().route == "pass" and r.reasons == []


def test_finalise_rejects_codes_outside_spec() -> None:
    r = sample_result()
    r.checks.append(Check(code="made_up", status="fail", message="x"))
    with pytest.raises(ValueError):
        r.finalise()


def test_ocr_models_round_trip() -> None:
    line = OcrLine(text="证书编号：S000036", confidence=0.87,
                   polygon=[(1.5, 2.0), (100.0, 2.0), (100.0, 30.25), (1.5, 30.25)])
    page = OcrPage(engine="fake", lines=[line], width=200, height=100, elapsed_ms=5)
    assert OcrPage.model_validate_json(page.model_dump_json()) == page
    assert line.bbox == (1, 2, 100, 30)
