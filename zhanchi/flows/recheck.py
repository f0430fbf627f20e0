"""``zhanchi recheck``: run the checks of stored packets again, without reading anything.

When a registry changes (an agency reports its certificate holders late, a claim is
paid elsewhere) or a new policy version comes into force, the packets already decided
can be judged again from what the store holds: their documents and fields (a
reviewer's corrections included), the same ``as_of`` date as their batch unless told
otherwise, the registries of ``--registry DIR`` or else the newest imported ones. No
page is opened and no OCR runs. The new checks are stored as a new check run beside
the pipeline's (with a ``pipeline.recheck`` event naming the
previous route and the registry hashes); the original results.jsonl line stays as it
was. A packet whose checks come out exactly as its latest run is left alone.

Only packets the pipeline decided and no reviewer has closed (status ``done``, newest
revision of each id) are rechecked, and none a reviewer holds. The work itself is
:func:`zhanchi.pipeline.recheck.recheck_case`, the one recheck path (the review app's
and the pipeline's too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from zhanchi.pipeline.inputs import RecheckInputs, imported_registries
from zhanchi.pipeline.recheck import recheck_case
from zhanchi.registry import Registries, load_registries
from zhanchi.store import Store
from zhanchi.store.aliases import registries_with_accepted_aliases
from zhanchi.store.case_state import ReviewConflictError

log = logging.getLogger("zhanchi.recheck")


@dataclass
class RecheckSummary:
    """What a recheck did (submission ids and routes only)."""

    checked: int = 0
    unchanged: int = 0
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, old, new)
    held: int = 0  # held by a reviewer, or decided meanwhile: left alone

    def count(self, old: str, new: str) -> int:
        return sum(1 for _, o, n in self.changed if (o, n) == (old, new))


def registries_for(store: Store, registry_dir: Path | None) -> Registries:
    """``registry_dir``'s CSVs, else the newest ``zhanchi registry import`` of each kind;
    with the accepted agency aliases either way."""
    base = load_registries(registry_dir) if registry_dir is not None \
        else imported_registries(store)
    return registries_with_accepted_aliases(store, base)


def targets(store: Store, submission_ids: list[str] | None = None) -> list[int]:
    """Primary keys of the newest revision of each pipeline-decided submission."""
    return store.newest_decided(submission_ids)


def recheck_store(store: Store, registries: Registries, *, as_of: date | None = None,
                  submission_ids: list[str] | None = None, actor: str = "recheck",
                  force: bool = False) -> RecheckSummary:
    """Recheck every target submission through the one recheck path; returns what changed.

    A case a reviewer holds (a live lock) is left to them: a batch recheck never
    moves a case out of a reviewer's hands.
    """
    inputs = RecheckInputs(store, as_of=as_of, registries=registries)
    summary = RecheckSummary()
    for pk in targets(store, submission_ids):
        summary.checked += 1
        try:
            outcome = recheck_case(store, pk, inputs, actor=actor, kind="pipeline.recheck",
                                   after="request", force=force, skip_held=True)
        except ReviewConflictError:  # held by a reviewer, or decided since listed
            summary.held += 1
            continue
        if outcome is None:
            summary.unchanged += 1
            continue
        summary.changed.append((outcome.submission_id, outcome.old_route, outcome.new_route))
        log.info("rechecked %s: %s -> %s", outcome.submission_id, outcome.old_route,
                 outcome.new_route)
    return summary
