"""Sample submissions/results and a multi-process runner for the store tests.

The sample result is deliberately full: every document type, pages with rotation and
extra keys, fields of every value kind (str, int, bool) with bboxes, raw text and extra
keys, failed/skipped/passed checks, provenance, timings and an extra top-level key.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zhanchi.models import (
    Check,
    Document,
    ExtractedField,
    PageRef,
    Provenance,
    SourceFile,
    Submission,
    SubmissionResult,
)

ROOT = Path(__file__).resolve().parents[1]
CERT_NUMBER = "S000036010000243000123"  # synthetic, not a real certificate


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_submission(submission_id: str = "A0001", content: str = "v1") -> Submission:
    files = [
        SourceFile(path=f"{submission_id}/letter.jpg", sha256=sha(content + "letter"), size=1200),
        SourceFile(path=f"{submission_id}/cert.pdf", sha256=sha(content + "cert"), size=3400),
    ]
    return Submission(submission_id=submission_id, files=files, content_sha256=sha(content),
                      received_at=datetime(2024, 3, 5, 8, 30, tzinfo=UTC))


def _field(value: str | int | bool, conf: float = 0.97, page: int = 1, **extra: object) -> ExtractedField:
    return ExtractedField(value=value, confidence=conf, page=page, bbox=[10, 20, 300, 60],
                          raw=str(value), **extra)


def make_result(sub: Submission, revision: int = 1, *, cert_number: str = CERT_NUMBER,
                failing: bool = True) -> SubmissionResult:
    letter = Document(
        type="commitment_letter",
        pages=[PageRef.model_validate({  # "dpi" is an extra key: kept through the store
            "file": sub.files[0].path, "page": 1, "rotation": 180, "width": 2480,
            "height": 3508, "deskew_deg": -1.25, "flattened": True, "page_sha256": sha("p1"),
            "dpi": 300})],
        fields={
            "exam_date": _field("2020-08-15"),
            "exam_province": _field("江西省"),
            "exam_county": _field("上饶县", current_unit="广信区"),
            "agency": _field("江西省职业技能鉴定指导中心"),
            "occupation": _field("电工"),
            "level": _field(4),
            "certificate_number": _field(cert_number),
            "signer_name": _field("张三", 0.61),
            "sign_date": _field("2020-10-01"),
            "has_signature": ExtractedField(value=True, confidence=0.9, page=1, bbox=None),
            "has_fingerprint": ExtractedField(value=False, confidence=0.8),
        },
    )
    cert = Document(
        type="skill_level_certificate",
        pages=[PageRef(file=sub.files[1].path, page=1, source="text_layer", width=1654,
                       height=2339, page_sha256=sha("p2")),
               PageRef(file=sub.files[1].path, page=2, rotation=90, width=1654, height=2339)],
        fields={"holder_name": _field("张三"), "id_number": _field("36010219900101001X"),
                "occupation": _field("电工"), "level": _field(4, page=2),
                "certificate_number": _field(cert_number), "issuer": _field("某评价机构"),
                "issue_date": _field("2020-09-30")},
    )
    unknown = Document(type="unknown", pages=[PageRef(file=sub.files[1].path, page=3)])
    checks = [Check(code="fingerprint_missing", status="fail" if failing else "pass",
                    message="承诺书缺少手印"),
              Check(code="agency_not_filed", status="pass", message="鉴定机构已备案"),
              Check(code="out_of_province_proof_missing", status="skipped", message="省内考试")]
    result = SubmissionResult.model_validate(dict(
        submission_id=sub.submission_id, revision=revision, content_sha256=sub.content_sha256,
        received_at=sub.received_at.isoformat(), source=[f.path for f in sub.files],
        route="pass", documents=[letter, cert, unknown], checks=checks,
        timings_ms={"ocr": 2310, "total": 2650}, as_of="2024-03-05",
        provenance=Provenance(zhanchi="0.1.0", ocr_engine="rapidocr/PP-OCRv5",
                              policy="jx-2020-332/v1", registry_sha256={"agencies.csv": sha("a")}),
        batch_note="extra top-level key",
    ))
    return result.finalise()


def run_processes(code: str, args: list[list[str]], timeout: float = 120) -> list[str]:
    """Run ``code`` in one Python process per ``args`` entry, released together; stdouts.

    Each child gets ``sys.argv[1:] == [go_file, *args]`` and must call ``wait_go()``
    (defined for it) once it has imported and opened what it needs; ``wait_all_done()``
    keeps it alive until its siblings are done too.
    """
    go = Path(tempfile.mkdtemp(prefix="zhanchi-go-")) / "go"
    prelude = textwrap.dedent(f"""
        import os, sys, time, pathlib
        def wait_go():
            print("ready", flush=True, file=sys.stderr)
            while not pathlib.Path(sys.argv[1]).exists():
                time.sleep(0.005)
        def wait_all_done():
            # stay alive until every child is done: a dead owner's claims may be taken over
            folder = pathlib.Path(sys.argv[1]).parent
            (folder / f"done-{{os.getpid()}}").touch()
            while len(list(folder.glob("done-*"))) < {len(args)}:
                time.sleep(0.005)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", prelude + textwrap.dedent(code), str(go), *a],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for a in args]
    try:
        # release them together once all are ready
        for p in procs:
            assert p.stderr is not None
            line = p.stderr.readline()
            if "ready" not in line:
                out, err = p.communicate(timeout=timeout)
                pytest.fail(f"child failed before ready: {line}{err}")
        go.touch()
        outs = []
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            if p.returncode != 0:
                pytest.fail(f"child exited {p.returncode}: {err[-2000:]}")
            outs.append(out.strip())
        return outs
    finally:
        shutil.rmtree(go.parent, ignore_errors=True)
        for p in procs:
            if p.poll() is None:
                p.kill()
