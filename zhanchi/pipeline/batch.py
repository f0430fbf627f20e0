"""The state of one batch run: settings, store, registries, policy, reader, results file.

What a run *does* is in :mod:`zhanchi.pipeline.stages` (ingest → clean → read →
extract → check → route → store → write), as functions of a :class:`BatchRun`; this
module only holds what those stages share, and the per-batch bookkeeping of claimed
certificate numbers that the duplicate check reads.

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

from zhanchi.config import RunSettings
from zhanchi.ingest.discover import Entry
from zhanchi.models import SubmissionResult
from zhanchi.ocr import engine_name, engine_options, get_engine
from zhanchi.pipeline.decide import Extracted, provenance_for
from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.pipeline.read import PageReader
from zhanchi.pipeline.shared_results import SharedResultsWriter
from zhanchi.policy import load_policy, policy_by_version
from zhanchi.registry import load_registries
from zhanchi.store import Claim, Store
from zhanchi.store.aliases import registries_with_accepted_aliases

log = logging.getLogger("zhanchi.batch")


@dataclass
class Planned:
    """A submission this run claimed and will process, with the revision it will get."""

    entry: Entry
    revision: int
    claim: Claim | None = None

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
        self.settings = settings
        self.as_of = date.fromisoformat(settings.as_of)
        # Registries and policy first: a malformed file stops the run before any packet.
        self.registries = load_registries(settings.registry_dir)
        self.policy = (policy_by_version(settings.policy_version) if settings.policy_version
                       else load_policy(self.as_of))
        settings.out_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store.open(settings.db_url)
        self.registries = registries_with_accepted_aliases(self.store, self.registries)
        self.writer = SharedResultsWriter(settings.results_path)
        self.engine_options = engine_options(settings.engine, ort_threads)
        self.engine_name = engine_name(settings.engine)
        self.reader = PageReader(self.store, lambda: get_engine(settings.engine,
                                                                **self.engine_options),
                                 settings.limits, self.engine_name)
        self.provenance = provenance_for(self.engine_name, self.policy.version,
                                         self.registries.sha256())
        self.recheck_inputs = RecheckInputs(self.store, registries=self.registries)
        self.batch_id = self.store.start_batch(inbox=str(settings.inbox), as_of=settings.as_of,
                                               options={"engine": self.engine_name},
                                               batch_id=batch_id)
        self.entries: list[Entry] = []
        self.summary = BatchSummary()
        self._t0 = time.perf_counter()
        self._closed = False

    def agencies(self) -> list[str]:
        """Agency names for extraction's fuzzy matching (public reference data)."""
        return self.registries.agency_names() if self.registries.agencies else []

    def heartbeat(self) -> None:
        """Keep this run's claims from looking abandoned to runs on other hosts."""
        self.store.touch_batch(self.batch_id)

    def _link_supplement(self, submission_id: str, content_sha256: str) -> None:
        """A packet answering a reviewer's request for documents rejoins the waiting case."""
        from zhanchi.review.supplements import link_supplement

        stored = self.store.find_submission(submission_id, content_sha256)
        if stored is not None and link_supplement(self.store, stored.pk) is not None:
            log.info("%s linked to a case waiting for documents", submission_id)

    def is_written(self, entry: Entry) -> bool:
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


def claimed_numbers(extracted: list[Extracted]) -> dict[str, list[tuple[str, str]]]:
    """Certificate number → (content hash, submission id) of the batch's claimants."""
    out: dict[str, list[tuple[str, str]]] = {}
    for ex in extracted:
        for num in certificate_numbers(ex):
            out.setdefault(num, []).append(
                (ex.submission.content_sha256, ex.submission.submission_id))
    return out


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
