"""One batch run: discover, claim, read, decide, write — in that order.

Reading (OCR) happens per submission in phase 1 and is cached in the store as it
goes; decisions and results.jsonl lines come in phase 2, so that duplicate claims
*within* the batch are seen from both sides ("both are flagged", SPEC §6). A killed
run keeps every line it wrote and every page it read.

Exactly once, even with several runs at once over one inbox: every submission is
*claimed* in the store before it is read (``Store.claim_submission``); a packet another
live run holds is left to it, a claim left by a killed run is taken over, and a
packet that fails without a result gives its claim back. results.jsonl is appended
under a file lock (:class:`~zhanchi.pipeline.shared_results.SharedResultsWriter`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zhanchi.config import RunSettings
from zhanchi.models import SubmissionResult
from zhanchi.pipeline.decide import Extracted, decide, extract_submission, provenance_for
from zhanchi.pipeline.read import PageReader

log = logging.getLogger("zhanchi.batch")


@dataclass
class Planned:
    """A submission this run claimed and will process, with the revision it will get."""

    entry: Any  # zhanchi.ingest.discover.Entry
    revision: int
    claim: Any = None  # zhanchi.store.Claim

    @property
    def submission_id(self) -> str:
        return str(self.entry.submission.submission_id)


@dataclass
class BatchSummary:
    """Counts for the end-of-run table and the run's report (no personal data)."""

    discovered: int = 0
    skipped: int = 0
    processed: int = 0
    pages: int = 0
    cache_hits: int = 0
    routes: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: list[tuple[str, int]] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)  # held by another live run
    failed: list[str] = field(default_factory=list)  # no result: claim given back

    def add(self, result: SubmissionResult, pages: int, cache_hits: int) -> None:
        self.processed += 1
        self.pages += pages
        self.cache_hits += cache_hits
        self.routes[result.route] = self.routes.get(result.route, 0) + 1
        for r in result.reasons:
            self.reasons[r] = self.reasons.get(r, 0) + 1
        self.slowest.append((result.submission_id, result.timings_ms.get("total", 0)))
        self.slowest = sorted(self.slowest, key=lambda x: -x[1])[:5]


class BatchRun:
    """Holds what one run shares: store, registries, policy, reader, results file."""

    def __init__(self, settings: RunSettings, *, ort_threads: int | None = None,
                 batch_id: str | None = None) -> None:
        from zhanchi.checks import CheckContext
        from zhanchi.ocr import engine_name, engine_options, get_engine
        from zhanchi.pipeline.shared_results import SharedResultsWriter
        from zhanchi.policy import load_policy
        from zhanchi.registry import load_registries
        from zhanchi.store import Store

        self.settings = settings
        self.as_of = date.fromisoformat(settings.as_of)
        # Registries and policy first: a malformed file stops the run before any packet.
        self.registries = load_registries(settings.registry_dir)
        self.policy = load_policy(self.as_of)
        settings.out_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store.open(settings.db_url)
        self.writer = SharedResultsWriter(settings.results_path)
        self.engine_options = engine_options(settings.engine, ort_threads)
        self.engine_name = engine_name(settings.engine)
        self.reader = PageReader(self.store, lambda: get_engine(settings.engine,
                                                                **self.engine_options),
                                 settings.limits, self.engine_name)
        self.provenance = provenance_for(self.engine_name, self.policy.version,
                                         self.registries.sha256())
        self._check_context_cls = CheckContext
        self.batch_id = self.store.start_batch(inbox=str(settings.inbox), as_of=settings.as_of,
                                               options={"engine": self.engine_name},
                                               batch_id=batch_id)
        self.entries: list[Any] = []
        self.summary = BatchSummary()
        self._t0 = time.perf_counter()
        self._closed = False

    def agencies(self) -> list[str]:
        """Agency names for extraction's fuzzy matching (public reference data)."""
        return self.registries.agency_names() if self.registries.agencies else []

    def plan(self) -> list[Planned]:
        """Discover entries; skip decided ones (repairing their line); claim the rest."""
        from zhanchi.ingest.discover import discover

        self.entries = discover(self.settings.inbox)
        self.summary.discovered = len(self.entries)
        todo: list[Planned] = []
        for entry in self.entries:
            sub = entry.submission
            if self._already_decided(sub):
                continue
            claim = self.store.claim_submission(sub, self.batch_id)
            if claim is None:  # decided meanwhile, or another live run holds it
                if not self._already_decided(sub):
                    log.info("%s is being processed by another run", sub.submission_id)
                    self.summary.busy.append(sub.submission_id)
                continue
            if claim.taken_over:
                log.info("%s: taking over the claim of a run that stopped", sub.submission_id)
            todo.append(Planned(entry=entry, revision=claim.revision, claim=claim))
        return todo

    def _already_decided(self, sub: Any) -> bool:
        done = self.store.find_submission(sub.submission_id, sub.content_sha256)
        if done is None or not done.result_json:
            return False
        # Decided before (maybe by a run killed before its line was written).
        self.writer.append(done.result_json, sub.submission_id, sub.content_sha256)
        self.summary.skipped += 1
        return True

    def read(self, planned: Planned) -> Extracted:
        """Phase 1 in this process: read every page (cached) and extract the documents."""
        outcome = self.reader.read_submission(planned.entry)
        return extract_submission(planned.entry.submission, outcome, agencies=self.agencies(),
                                  image_loader=self.reader.load_image,
                                  engine=self.reader.engine)

    def heartbeat(self) -> None:
        """Keep this run's claims from looking abandoned to runs on other hosts."""
        self.store.touch_batch(self.batch_id)

    def announce(self, planned: Planned, extracted: Extracted) -> None:
        """Publish the claimed certificate number so concurrent runs see this packet."""
        number = claimed_number(extracted)
        if number is not None and planned.claim is not None:
            self.store.set_claimed_certificate(planned.claim.pk, number)

    def finish_one(self, planned: Planned, extracted: Extracted, read_ms: int,
                   batch_numbers: dict[str, list[tuple[str, str]]]) -> SubmissionResult:
        """Check, route, persist (under the claim) and write one submission's line."""
        sub = extracted.submission
        ctx = self._check_context_cls(
            as_of=self.as_of, policy=self.policy, registries=self.registries,
            unreadable=extracted.unreadable,
            other_claims=other_claims_lookup(self.store, sub.submission_id, sub.content_sha256,
                                             batch_numbers))
        result = decide(extracted, revision=planned.revision, as_of=self.as_of,
                        check_context=ctx, provenance=self.provenance, read_ms=read_ms)
        line = self.store.save_result(result, line=result.to_json_line(), claim=planned.claim)
        self.writer.append(line, sub.submission_id, sub.content_sha256)
        self._link_supplement(sub.submission_id, sub.content_sha256)
        self.summary.add(result, extracted.pages, extracted.cache_hits)
        return result

    def _link_supplement(self, submission_id: str, content_sha256: str) -> None:
        """A packet answering a reviewer's request for documents rejoins the waiting case."""
        from zhanchi.review.supplements import link_supplement

        stored = self.store.find_submission(submission_id, content_sha256)
        if stored is not None and link_supplement(self.store, stored.pk) is not None:
            log.info("%s linked to a case waiting for documents", submission_id)

    def fail(self, planned: Planned, why: str) -> None:
        """A submission ended without a result: give its claim back for a later run."""
        log.error("%s failed without a result (%s); its claim is released",
                  planned.submission_id, why)
        self.summary.failed.append(planned.submission_id)
        if planned.claim is not None:
            self.store.release_claim(planned.claim)

    def repair_line(self, planned: Planned) -> bool:
        """After a failure in deciding: if the decision was saved, write its line; True if so."""
        sub = planned.entry.submission
        done = self.store.find_submission(sub.submission_id, sub.content_sha256)
        if done is None or not done.result_json:
            return False
        self.writer.append(done.result_json, sub.submission_id, sub.content_sha256)
        return True

    def is_written(self, entry: Any) -> bool:
        """Whether the entry's (id, content) has its line in results.jsonl."""
        sub = entry.submission
        return bool(self.writer.has(sub.submission_id, sub.content_sha256))

    def close(self) -> BatchSummary:
        """End the batch (its unfinished claims become free); safe to call twice."""
        self.summary.seconds = time.perf_counter() - self._t0
        if not self._closed:
            self._closed = True
            self.store.finish_batch(self.batch_id, summary={
                "processed": self.summary.processed, "skipped": self.summary.skipped,
                "failed": len(self.summary.failed), "busy": len(self.summary.busy)})
        return self.summary


def certificate_numbers(ex: Extracted) -> set[str]:
    """The certificate numbers a packet's letters and certificates carry."""
    return {str(f.value) for d in ex.documents for n, f in d.fields.items()
            if n == "certificate_number" and d.type != "unknown" and f.value}


def claimed_number(ex: Extracted) -> str | None:
    """The number the packet claims: its certificate's, else its letter's (as the store's)."""
    for types in (("skill_level_certificate", "qualification_certificate"),
                  ("commitment_letter",)):
        for d in ex.documents:
            f = d.fields.get("certificate_number")
            if d.type in types and f is not None and f.value:
                return str(f.value)
    return None


def claimed_numbers(extracted: list[Extracted]) -> dict[str, list[tuple[str, str]]]:
    """Certificate number → (content hash, submission id) of the batch's claimants."""
    out: dict[str, list[tuple[str, str]]] = {}
    for ex in extracted:
        for num in certificate_numbers(ex):
            out.setdefault(num, []).append(
                (ex.submission.content_sha256, ex.submission.submission_id))
    return out


def other_claims_lookup(store: Any, submission_id: str, content_sha256: str,
                        batch_numbers: dict[str, list[tuple[str, str]]]) -> Any:
    """``other_claims(number)`` for the checks: this batch's claimants plus the store's."""

    def other_claims(number: str) -> list[str]:
        others = {sid for sha, sid in batch_numbers.get(number, []) if sha != content_sha256}
        # An earlier revision of the same submission is a resubmission, not a duplicate.
        stored = {o.submission_id for o in
                  store.other_claims_for_certificate(number, content_sha256)
                  if o.submission_id != submission_id}
        return sorted((others - {submission_id}) | stored)

    return other_claims


def settings_from_args(inbox: Path, registry: Path, out: Path, as_of: str | None,
                       db: str | None, engine: str) -> RunSettings:
    """Validated run settings; the database defaults to a SQLite file inside ``out``."""
    from zhanchi.config import limits_from_env
    from zhanchi.errors import InputError
    from zhanchi.ingest import Limits
    from zhanchi.store import resolve_url

    if not inbox.is_dir():
        raise InputError(f"INBOX 不是文件夹: {inbox}")
    if as_of is None:
        as_of = date.today().isoformat()
    try:
        date.fromisoformat(as_of)
    except ValueError as exc:
        raise InputError(f"--as-of 必须是 YYYY-MM-DD 日期: {as_of!r}") from exc
    return RunSettings(inbox=inbox, registry_dir=registry, out_dir=out,
                       db_url=resolve_url(db, out), as_of=as_of,
                       engine=engine, limits=limits_from_env(Limits))
