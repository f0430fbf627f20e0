"""One batch run: discover, skip what is done, read, decide, write — in that order.

Reading (OCR) happens per submission in phase 1 and is cached in the store as it
goes; decisions and results.jsonl lines come in phase 2, so that duplicate claims
*within* the batch are seen from both sides ("both are flagged", SPEC §6). A killed
run keeps every line it wrote and every page it read.
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
from zhanchi.pipeline.results_file import ResultsWriter

log = logging.getLogger("zhanchi.batch")


@dataclass
class Planned:
    """A submission this run will process, with the revision it will get."""

    entry: Any  # zhanchi.ingest.discover.Entry
    revision: int

    @property
    def submission_id(self) -> str:
        return str(self.entry.submission.submission_id)


@dataclass
class BatchSummary:
    """Counts for the end-of-run table (no personal data)."""

    discovered: int = 0
    skipped: int = 0
    processed: int = 0
    pages: int = 0
    cache_hits: int = 0
    routes: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: list[tuple[str, int]] = field(default_factory=list)

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

    def __init__(self, settings: RunSettings) -> None:
        from zhanchi.checks import CheckContext
        from zhanchi.ocr import engine_name, get_engine
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
        self.writer = ResultsWriter(settings.results_path)
        self.engine_name = engine_name(settings.engine)
        self.reader = PageReader(self.store, lambda: get_engine(settings.engine),
                                 settings.limits, self.engine_name)
        self.provenance = provenance_for(self.engine_name, self.policy.version,
                                         self.registries.sha256())
        self._check_context_cls = CheckContext
        self.batch_id = self.store.start_batch(inbox=str(settings.inbox), as_of=settings.as_of,
                                               options={"engine": self.engine_name})
        self.summary = BatchSummary()
        self._t0 = time.perf_counter()

    def plan(self) -> list[Planned]:
        """Discover entries; skip the unchanged ones (repairing their results line)."""
        from zhanchi.ingest.discover import discover

        entries = discover(self.settings.inbox)
        self.summary.discovered = len(entries)
        todo: list[Planned] = []
        for entry in entries:
            sub = entry.submission
            done = self.store.find_submission(sub.submission_id, sub.content_sha256)
            if done is not None and done.result_json:
                # Finished before (maybe by a run killed before its line was written).
                self.writer.append(done.result_json, sub.submission_id, sub.content_sha256)
                self.summary.skipped += 1
                continue
            revision = done.revision if done is not None else \
                self.store.next_revision(sub.submission_id)
            todo.append(Planned(entry=entry, revision=revision))
        return todo

    def read(self, planned: Planned) -> Extracted:
        entry = planned.entry
        outcome = self.reader.read_submission(entry)
        agencies = self.registries.agency_names() if self.registries.agencies else []
        return extract_submission(entry.submission, outcome, agencies=agencies,
                                  image_loader=self.reader.load_image)

    def finish_one(self, planned: Planned, extracted: Extracted, read_ms: int,
                   batch_numbers: dict[str, list[tuple[str, str]]]) -> SubmissionResult:
        """Check, route, persist and write one submission's line."""
        sub = extracted.submission

        def other_claims(number: str) -> list[str]:
            others = {sid for sha, sid in batch_numbers.get(number, [])
                      if sha != sub.content_sha256}
            # An earlier revision of the same submission is a resubmission, not a duplicate.
            stored = {o.submission_id for o in
                      self.store.other_claims_for_certificate(number, sub.content_sha256)
                      if o.submission_id != sub.submission_id}
            return sorted((others - {sub.submission_id}) | stored)

        ctx = self._check_context_cls(as_of=self.as_of, policy=self.policy,
                                      registries=self.registries,
                                      unreadable=extracted.unreadable,
                                      other_claims=other_claims)
        result = decide(extracted, revision=planned.revision, as_of=self.as_of,
                        check_context=ctx, provenance=self.provenance, read_ms=read_ms)
        line = result.to_json_line()
        self.store.save_result(result, line=line, batch_id=self.batch_id)
        self.writer.append(line, sub.submission_id, sub.content_sha256)
        self.summary.add(result, extracted.pages, extracted.cache_hits)
        return result

    def close(self) -> BatchSummary:
        self.summary.seconds = time.perf_counter() - self._t0
        self.store.finish_batch(self.batch_id)
        return self.summary


def claimed_numbers(extracted: list[Extracted]) -> dict[str, list[tuple[str, str]]]:
    """Certificate number → (content hash, submission id) of the batch's claimants."""
    out: dict[str, list[tuple[str, str]]] = {}
    for ex in extracted:
        numbers = {str(f.value) for d in ex.documents for n, f in d.fields.items()
                   if n == "certificate_number" and d.type != "unknown"}
        for num in numbers:
            out.setdefault(num, []).append(
                (ex.submission.content_sha256, ex.submission.submission_id))
    return out


def settings_from_args(inbox: Path, registry: Path, out: Path, as_of: str | None,
                       db: str | None, engine: str) -> RunSettings:
    from zhanchi.config import limits_from_env
    from zhanchi.errors import InputError
    from zhanchi.ingest import Limits

    if not inbox.is_dir():
        raise InputError(f"INBOX 不是文件夹: {inbox}")
    if as_of is None:
        as_of = date.today().isoformat()
    try:
        date.fromisoformat(as_of)
    except ValueError as exc:
        raise InputError(f"--as-of 必须是 YYYY-MM-DD 日期: {as_of!r}") from exc
    if not db:
        import os

        db = os.environ.get("ZHANCHI_DATABASE_URL") or \
            f"sqlite:///{(out / 'zhanchi.sqlite3').resolve()}"
    return RunSettings(inbox=inbox, registry_dir=registry, out_dir=out, db_url=db, as_of=as_of,
                       engine=engine, limits=limits_from_env(Limits))
