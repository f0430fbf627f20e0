"""``zhanchi recheck``: run the checks of stored packets again, without reading anything.

When a registry changes (an agency reports its certificate holders late, a claim is
paid elsewhere) or a new policy version comes into force, the packets already decided
can be judged again from what the store holds: their documents and fields (a
reviewer's corrections included), the same ``as_of`` date as their batch unless told
otherwise, the registries of ``--registry DIR`` or else the newest imported ones. No
page is opened and no OCR runs. The new checks are stored as a new check run beside
the pipeline's (``Store.add_check_run``, with a ``pipeline.recheck`` event naming the
previous route and the registry hashes); the original results.jsonl line stays as it
was. A packet whose checks come out exactly as its latest run is left alone.

Only packets the pipeline decided and no reviewer has closed (status ``done``, newest
revision of each id) are rechecked; reviewers' cases are the review app's to recheck.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zhanchi.models import Check
from zhanchi.registry import Registries
from zhanchi.store import Store

log = logging.getLogger("zhanchi.recheck")

_CARRIED = "(unreadable pages carried over from the reading)"


@dataclass
class RecheckSummary:
    """What a recheck did (submission ids and routes only)."""

    checked: int = 0
    unchanged: int = 0
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, old, new)

    def count(self, old: str, new: str) -> int:
        return sum(1 for _, o, n in self.changed if (o, n) == (old, new))


def registries_for(store: Any, registry_dir: Path | None) -> Registries:
    """``registry_dir``'s CSVs, else the newest ``zhanchi registry import`` of each kind."""
    from zhanchi.registry import build_registry, load_registries
    from zhanchi.registry.registries import AgencyRegistry, CertificateRegistry, ClaimRegistry

    if registry_dir is not None:
        return load_registries(registry_dir)
    found: dict[str, Any] = {}
    for kind in ("agencies", "certificates", "claims"):
        snap = store.latest_registry(kind)
        if snap is not None:
            found[kind] = build_registry(kind, snap.file_name, snap.file_sha256, snap.rows)
    agencies, certificates, claims = (found.get(k) for k in ("agencies", "certificates", "claims"))
    return Registries(agencies if isinstance(agencies, AgencyRegistry) else None,
                      certificates if isinstance(certificates, CertificateRegistry) else None,
                      claims if isinstance(claims, ClaimRegistry) else None)


def targets(store: Store, submission_ids: list[str] | None = None) -> list[int]:
    """Primary keys of the newest revision of each pipeline-decided submission."""
    return store.newest_decided(submission_ids)


def _same(a: list[Check], b: list[Check]) -> bool:
    def key(cs: list[Check]) -> list[tuple[str, str, str]]:
        return sorted((c.code, c.status, c.message) for c in cs)

    return key(a) == key(b)


def recheck_one(store: Any, pk: int, registries: Registries, *, as_of: date | None,
                actor: str, force: bool = False) -> tuple[str, str, str] | None:
    """Recheck one stored submission; (id, old route, new route) if a run was recorded."""
    from zhanchi.checks import CheckContext, run_checks
    from zhanchi.pipeline.batch import other_claims_lookup
    from zhanchi.policy import load_policy

    sub = store.get_submission(pk)
    original = store.load_result(pk)
    if sub is None or original is None:
        return None
    previous_run, latest = store.checks(pk)
    when = as_of or (date.fromisoformat(original.as_of) if original.as_of else date.today())
    policy = load_policy(when)
    # Reading is not repeated, so what could not be read stays unreadable.
    carried = next((c for c in latest if c.code == "unreadable_page" and c.status == "fail"),
                   None)
    ctx = CheckContext(as_of=when, policy=policy, registries=registries,
                       unreadable=[_CARRIED] if carried else [],
                       other_claims=other_claims_lookup(store, sub.submission_id,
                                                        sub.content_sha256, {}))
    documents = store.documents(pk)
    checks = run_checks(documents, ctx)
    if carried is not None:
        checks = [carried if c.code == "unreadable_page" else c for c in checks]
    if not force and _same(checks, latest):
        return None
    old_route = sub.route or "review"
    store.add_check_run(pk, checks, actor=actor, policy_version=policy.version,
                        kind="pipeline.recheck", payload={
                            "submission_id": sub.submission_id, "revision": sub.revision,
                            "previous_run": previous_run, "previous_route": old_route,
                            "as_of": when.isoformat(), "registry_sha256": registries.sha256()})
    new_route = "review" if any(c.status == "fail" for c in checks) else "pass"
    if new_route == "pass" and old_route != "pass":
        _record_passed_claim(store, pk, original.model_copy(update={"documents": documents}),
                             actor)
    log.info("rechecked %s: %s -> %s", sub.submission_id, old_route, new_route)
    return sub.submission_id, old_route, new_route


def _record_passed_claim(store: Any, pk: int, result: Any, actor: str) -> None:
    """A packet that now passes counts as a claim for later duplicate checks."""
    from zhanchi.store.claims import claim_key_from_result
    from zhanchi.store.schema_audit import CLAIM_SOURCE_PIPELINE

    key = claim_key_from_result(result)
    if key is not None:
        store.record_claim(key, submission_pk=pk, source=CLAIM_SOURCE_PIPELINE, actor=actor)


def recheck_store(store: Any, registries: Registries, *, as_of: date | None = None,
                  submission_ids: list[str] | None = None, actor: str = "recheck",
                  force: bool = False) -> RecheckSummary:
    """Recheck every target submission; returns what changed."""
    summary = RecheckSummary()
    for pk in targets(store, submission_ids):
        summary.checked += 1
        changed = recheck_one(store, pk, registries, as_of=as_of, actor=actor, force=force)
        if changed is None:
            summary.unchanged += 1
        else:
            summary.changed.append(changed)
    return summary
