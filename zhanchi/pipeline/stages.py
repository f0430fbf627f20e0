"""The stages of a batch, in order: the one place to read what processing does.

    ingest   discover the inbox; skip decided submissions (repairing their line); claim the rest
    clean    make each image page upright, level and flat            (per page, inside read)
    read     OCR each cleaned page, through the content-addressed OCR cache
    extract  classify the pages and extract every document's fields
    check    run every SPEC §6 check against the policy and the registries
    route    build the SPEC §3 result: ``pass``, or ``review`` with its reasons
    store    save the decision in the database, under the run's claim
    write    append the result's line to results.jsonl
    (then)   QA-sample a pass; link a supplement to its case; flag earlier claimants

Each stage is a plain function of the :class:`~zhanchi.pipeline.batch.BatchRun` (the
run's state: store, registries, policy, reader, results file) and of what the stage
before it returned. :mod:`zhanchi.flows.phases` wires them into Prefect tasks —
:func:`read_and_extract` for every submission in parallel, then :func:`decide` for
each in order, so that duplicate claims within the batch are seen from both sides —
and tests call them directly. As in OCRmyPDF's ``_pipeline.py``, the steps live here
and the orchestration lives in the flow.
"""

from __future__ import annotations

import logging

from zhanchi.checks import CheckContext
from zhanchi.ingest.discover import discover
from zhanchi.models import Check, Submission, SubmissionResult
from zhanchi.models.claimed import claimed_number
from zhanchi.pipeline.batch import BatchRun, Planned
from zhanchi.pipeline.decide import Extracted, build_result, extract_submission, run_checks_timed
from zhanchi.pipeline.followups import flag_earlier_claims
from zhanchi.pipeline.quality_sampling import sample_for_qa
from zhanchi.pipeline.read import ReadOutcome, clean, recognise
from zhanchi.pipeline.recheck import other_claims_lookup
from zhanchi.pipeline.supplements import link_supplement

log = logging.getLogger("zhanchi.batch")

# clean and recognise run per page inside PageReader.read_submission (the OCR cache
# sits between them and the store); they are named here so the list is complete.
__all__ = ["ingest", "clean", "read", "recognise", "extract", "check", "route", "store",
           "write", "read_and_extract", "announce", "decide", "followups", "release",
           "repair_line"]


# -- the stages ---------------------------------------------------------------------

def ingest(run: BatchRun) -> list[Planned]:
    """Discover entries; skip decided ones (repairing their line); claim the rest."""
    run.entries = discover(run.settings.inbox)
    run.summary.discovered = len(run.entries)
    todo: list[Planned] = []
    for entry in run.entries:
        sub = entry.submission
        if _already_decided(run, sub):
            continue
        claim = run.store.claim_submission(sub, run.batch_id)
        if claim is None:  # decided meanwhile, or another live run holds it
            if not _already_decided(run, sub):
                log.info("%s is being processed by another run", sub.submission_id)
                run.summary.busy.append(sub.submission_id)
            continue
        if claim.taken_over:
            log.info("%s: taking over the claim of a run that stopped", sub.submission_id)
        todo.append(Planned(entry=entry, revision=claim.revision, claim=claim))
    return todo


def read(run: BatchRun, planned: Planned) -> ReadOutcome:
    """Every page of the submission cleaned and OCR'd (pages read before come from the cache)."""
    return run.reader.read_submission(planned.entry)


def extract(run: BatchRun, planned: Planned, outcome: ReadOutcome) -> Extracted:
    """Classify the read pages and extract the documents' fields (second looks included)."""
    return extract_submission(planned.entry.submission, outcome, agencies=run.agencies(),
                              image_loader=run.reader.load_image, engine=run.reader.engine)


def check(run: BatchRun, extracted: Extracted,
          batch_numbers: dict[str, list[tuple[str, str]]]) -> tuple[list[Check], int]:
    """Every check on the extracted documents, and the milliseconds they took."""
    sub = extracted.submission
    ctx = CheckContext(
        as_of=run.as_of, policy=run.policy, registries=run.registries,
        unreadable=extracted.unreadable,
        other_claims=other_claims_lookup(run.store, sub.submission_id, batch_numbers))
    return run_checks_timed(extracted, ctx)


def route(run: BatchRun, planned: Planned, extracted: Extracted, checks: list[Check], *,
          read_ms: int, checks_ms: int) -> SubmissionResult:
    """The result line, routed ``review`` if any check failed, else ``pass``."""
    return build_result(extracted, checks, revision=planned.revision, as_of=run.as_of,
                        provenance=run.provenance, read_ms=read_ms, checks_ms=checks_ms)


def store(run: BatchRun, planned: Planned, result: SubmissionResult) -> str:
    """Save the decision under the run's claim; returns the line to write."""
    line = result.to_json_line()
    return run.store.save_result(result, line=line, claim=planned.claim)


def write(run: BatchRun, submission: Submission, line: str) -> None:
    """Append the line to results.jsonl (once per submission content, under a file lock)."""
    run.writer.append(line, submission.submission_id, submission.content_sha256)


# -- the sequences the flow runs ----------------------------------------------------

def read_and_extract(run: BatchRun, planned: Planned) -> Extracted:
    """Phase 1, for one submission: read, then extract."""
    return extract(run, planned, read(run, planned))


def announce(run: BatchRun, planned: Planned, extracted: Extracted) -> None:
    """Publish the claimed certificate number so concurrent runs see this packet."""
    number = claimed_number(extracted.documents)
    if number is not None and planned.claim is not None:
        run.store.set_claimed_certificate(planned.claim.pk, number)


def decide(run: BatchRun, planned: Planned, extracted: Extracted, read_ms: int,
           batch_numbers: dict[str, list[tuple[str, str]]]) -> SubmissionResult:
    """Phase 2, for one submission: check, route, store, write."""
    sub = extracted.submission
    checks, checks_ms = check(run, extracted, batch_numbers)
    result = route(run, planned, extracted, checks, read_ms=read_ms, checks_ms=checks_ms)
    line = store(run, planned, result)
    if planned.claim is not None:
        sample_for_qa(run.store, planned.claim.pk, result, run.policy)
    write(run, sub, line)
    followups(run, result)
    run.summary.add(result, extracted.pages, extracted.cache_hits)
    return result


def followups(run: BatchRun, result: SubmissionResult) -> None:
    """A supplement rejoins its waiting case; an earlier claimant of the number is flagged."""
    stored = run.store.find_submission(result.submission_id, result.content_sha256)
    if stored is not None and link_supplement(run.store, stored.pk,
                                              inputs=run.recheck_inputs) is not None:
        log.info("%s linked to a case waiting for documents", result.submission_id)
    flag_earlier_claims(run.store, result, run.recheck_inputs, run.writer.append)


def release(run: BatchRun, planned: Planned, why: str) -> None:
    """A submission ended without a result: give its claim back for a later run."""
    log.error("%s failed without a result (%s); its claim is released",
              planned.submission_id, why)
    run.summary.failed.append(planned.submission_id)
    if planned.claim is not None:
        run.store.release_claim(planned.claim)


def repair_line(run: BatchRun, planned: Planned) -> bool:
    """After a failure in deciding: if the decision was saved, write its line; True if so."""
    sub = planned.entry.submission
    done = run.store.find_submission(sub.submission_id, sub.content_sha256)
    if done is None or not done.result_json:
        return False
    run.writer.append(done.result_json, sub.submission_id, sub.content_sha256)
    return True


def _already_decided(run: BatchRun, sub: Submission) -> bool:
    done = run.store.find_submission(sub.submission_id, sub.content_sha256)
    if done is None or not done.result_json:
        return False
    # Decided before (maybe by a run killed before its line was written).
    run.writer.append(done.result_json, sub.submission_id, sub.content_sha256)
    run.summary.skipped += 1
    return True
