"""From read pages to a finished result: extract, check, route, provenance.

This is the one place where expected failures (unreadable files, engine errors)
turn into review outcomes; nothing here raises for a bad packet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from zhanchi import __version__
from zhanchi.models import Check, Document, Provenance, ReadPage, Submission, SubmissionResult
from zhanchi.pipeline.read import ReadOutcome
from zhanchi.policy import Policy

if TYPE_CHECKING:
    from zhanchi.checks import CheckContext
    from zhanchi.extractors.pages import ImageLoader
    from zhanchi.ocr import OcrEngine


@dataclass
class Extracted:
    """A submission after extraction, before checks (kept between the two phases)."""

    submission: Submission
    documents: list[Document]
    unreadable: list[str]
    timings_ms: dict[str, int]
    pages: int
    cache_hits: int


def merge_duplicate_pages(pages: list[ReadPage]) -> list[ReadPage]:
    """Identical pages (same cleaned image) count once (SPEC §1)."""
    seen: set[str] = set()
    unique: list[ReadPage] = []
    for p in pages:
        key = p.ref.page_sha256 or f"{p.ref.file}#{p.ref.page}"
        if key in seen:
            continue
        seen.add(key)
        unique.append(p)
    return unique


def extract_submission(submission: Submission, outcome: ReadOutcome, *, agencies: list[str],
                       image_loader: ImageLoader, engine: OcrEngine | None = None,
                       ) -> Extracted:
    """Classify pages and extract fields; page images are loaded only when marks need them.

    With ``engine`` the extractors take a second look at regions whose value the page
    OCR missed (measured: +0.8 points overall, signer_name 83 % → 97 %).
    """
    from zhanchi.extractors import extract

    t = time.perf_counter()
    pages = merge_duplicate_pages(outcome.pages)
    result = extract(pages, agencies=agencies, image_loader=image_loader, engine=engine)
    timings = dict(outcome.timings_ms)
    timings["extract"] = int(round((time.perf_counter() - t) * 1000))
    unreadable = list(outcome.unreadable) + list(getattr(result, "unreadable", []))
    return Extracted(submission=submission, documents=list(result.documents),
                     unreadable=unreadable, timings_ms=timings, pages=len(outcome.pages),
                     cache_hits=outcome.cache_hits)


def run_checks_timed(extracted: Extracted, check_context: CheckContext) -> tuple[list[Check], int]:
    """Every SPEC §6 check on the submission's documents, and the milliseconds they took."""
    from zhanchi.checks import run_checks

    t = time.perf_counter()
    # The policy's calibration states the confidences both the checks and the result carry.
    extracted.documents = calibrated(extracted.documents, check_context.policy)
    checks: list[Check] = run_checks(extracted.documents, check_context)
    return checks, int(round((time.perf_counter() - t) * 1000))


def build_result(extracted: Extracted, checks: list[Check], *, revision: int, as_of: date,
                 provenance: Provenance, read_ms: int, checks_ms: int) -> SubmissionResult:
    """The SPEC §3 result line; ``finalise`` routes it (review iff a check failed)."""
    timings = dict(extracted.timings_ms)
    timings["checks"] = checks_ms
    # The submission's own time: reading (phase 1) plus deciding, not the batch's wall time.
    timings["total"] = read_ms + checks_ms
    sub = extracted.submission
    result = SubmissionResult(
        submission_id=sub.submission_id,
        revision=revision,
        content_sha256=sub.content_sha256,
        received_at=sub.received_at.isoformat(),
        source=[f.path for f in sub.files],
        route="review",
        documents=extracted.documents,
        checks=checks,
        timings_ms=timings,
        provenance=provenance,
        as_of=as_of.isoformat(),
    )
    return result.finalise()


def calibrated(documents: list[Document], policy: Policy) -> list[Document]:
    """Field confidences as the policy's calibration curve states them (unchanged when
    the version names none): the thresholds of such a version are probabilities."""
    name = policy.confidence.calibration
    if not name:
        return documents
    from zhanchi.policy.calibration import load_calibration

    return load_calibration(name).apply(documents)
def decide(extracted: Extracted, *, revision: int, as_of: date, check_context: CheckContext,
           provenance: Provenance, read_ms: int) -> SubmissionResult:
    """Run every check and build the SPEC §3 result line (check, then route)."""
    checks, checks_ms = run_checks_timed(extracted, check_context)
    return build_result(extracted, checks, revision=revision, as_of=as_of,
                        provenance=provenance, read_ms=read_ms, checks_ms=checks_ms)


def provenance_for(engine_name: str, policy_version: str,
                   registry_sha256: dict[str, str]) -> Provenance:
    return Provenance(zhanchi=__version__, ocr_engine=engine_name, policy=policy_version,
                      registry_sha256=registry_sha256)
