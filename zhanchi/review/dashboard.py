"""The supervisor's numbers: straight-through rate, the queue's size and age, top
reasons, the exception rate of each filed assessment agency, and the false-pass rate
measured by the QA sample.

An agency row is a *filed* agency (agencies.csv with the accepted aliases): a letter
counts for it when its agency field names it exactly, by name or alias; names that
match no filed agency (typed or misread) are counted apart, never as agencies.

"Straight through" and "exception" are the pipeline's own verdict (run 1 of the
checks), so reviewers' corrections do not flatter the rate. Ages count from
``received_at``, the time the packet arrived, not the time it was processed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from zhanchi.checks.agency import match_agency
from zhanchi.checks.agency_match import NameMatcher
from zhanchi.registry import Registries
from zhanchi.review.qa import FalsePassRate, false_pass_rate
from zhanchi.store import STATUS_PROCESSING
from zhanchi.store.report_reads import dashboard_counts
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.types import utcnow

# (label, upper limit) of the queue-age chart; the last bucket takes everything older
AGE_BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("1天内", timedelta(days=1)), ("1–3天", timedelta(days=3)), ("3–7天", timedelta(days=7)),
    ("7–14天", timedelta(days=14)), ("14–30天", timedelta(days=30)),
    ("30天以上", timedelta.max))


@dataclass(frozen=True)
class AgencyRate:
    """One agency's packets and how many went to review."""

    name: str
    total: int
    exceptions: int

    @property
    def rate(self) -> float:
        return self.exceptions / self.total if self.total else 0.0


@dataclass
class Dashboard:
    """Everything the dashboard page shows."""

    decided: int = 0
    routed: int = 0
    queue_size: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    oldest: datetime | None = None
    median_wait: timedelta | None = None
    age_buckets: list[tuple[str, int]] = field(default_factory=list)
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    agencies: list[AgencyRate] = field(default_factory=list)
    unfiled: AgencyRate = AgencyRate("", 0, 0)  # letters naming no filed agency
    qa: FalsePassRate = FalsePassRate(0, 0, 0)

    @property
    def straight_through(self) -> float:
        return (self.decided - self.routed) / self.decided if self.decided else 0.0


def build_dashboard(store: ReviewStore, registries: Registries, matcher: NameMatcher, *,
                    agencies: int = 12) -> Dashboard:
    """Compute the dashboard in a handful of aggregate queries."""
    now = utcnow()
    out = Dashboard()
    counts = dashboard_counts(store)
    out.by_status = counts.by_status
    out.decided = sum(n for k, n in out.by_status.items() if k != STATUS_PROCESSING)
    out.routed = counts.routed
    received, letters, routed = counts.received, counts.letters, counts.routed_pks
    out.top_reasons = counts.top_reasons
    out.queue_size = len(received)
    if received:
        out.oldest = received[0]
        out.median_wait = now - received[len(received) // 2]
    ages = Counter(_bucket(now - r) for r in received)
    out.age_buckets = [(label, ages.get(label, 0)) for label, _ in AGE_BUCKETS]
    per_agency: dict[str, set[int]] = {}
    filed = _filed_names(registries, matcher, {str(v) for _, v in letters if v})
    unfiled: set[int] = set()
    for pk, value in letters:
        name = filed.get(str(value)) if value else None
        if name is None:
            unfiled.add(pk)
        else:
            per_agency.setdefault(name, set()).add(pk)
    rates = [AgencyRate(name, len(pks), len(pks & routed)) for name, pks in per_agency.items()]
    out.agencies = sorted(rates, key=lambda a: (-a.total, -a.rate, a.name))[:agencies]
    out.unfiled = AgencyRate("", len(unfiled), len(unfiled & routed))
    out.qa = false_pass_rate(store)
    return out


def _filed_names(registries: Registries, matcher: NameMatcher,
                 written: set[str]) -> dict[str, str]:
    """Written agency name → the filed agency it names exactly (name or alias)."""
    if registries.agencies is None:
        return {}
    rows = registries.agencies.rows
    out = {}
    for name in written:
        found = match_agency(name, rows, matcher)
        if found.kind == "exact":
            out[name] = found.rows[0].name
    return out


def _bucket(age: timedelta) -> str:
    for label, limit in AGE_BUCKETS:
        if age < limit:
            return label
    return AGE_BUCKETS[-1][0]
