"""Re-running a stored case's checks without OCR: the one recheck path.

Callers: ``zhanchi recheck`` (:mod:`zhanchi.flows.recheck`), the review app (after a
field edit, on request, when supplements were linked), and the pipeline (a supplement
joins a waiting case; a later packet claims the same certificate). Every recheck runs
inside a case transition (:meth:`~zhanchi.store.Store.case_change`), so it is refused
on a decided case and lands in the same transaction as the edit that caused it.

The checks are the pipeline's own, with the policy that decided the packet (or the
one in force on an explicit ``as_of``) and the registries of ``registry_dir`` (or
given, or else the newest ``zhanchi registry import``). What cannot be recomputed from
fields is carried over: unreadable pages stay unreadable, and the packets of one case
(the waiting one and its supplements) are never each other's duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zhanchi.checks import CheckContext, run_checks
from zhanchi.doctypes import GROUPS
from zhanchi.models import Check, Document
from zhanchi.pipeline.decide import calibrated
from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.store import Store
from zhanchi.store.case_state import CaseTx, Part, ReviewConflictError
from zhanchi.store.types import utcnow

__all__ = ["CaseHeldError", "Part", "RecheckInputs", "RecheckOutcome", "checked_documents", "checks_for",
           "other_claims_lookup", "recheck_case", "recheck_in"]

_GROUPS = GROUPS  # per judged type its group: letter, certificate, proof


class CaseHeldError(ReviewConflictError):
    """A reviewer holds the case: a batch recheck leaves it to them."""

    reason = "case_held"


@dataclass(frozen=True)
class RecheckOutcome:
    """A recorded recheck: which case, the route before and after, the new run."""

    pk: int
    submission_id: str
    old_route: str
    new_route: str
    run: int
    checks: list[Check]


def checked_documents(parts: list[Part]) -> list[Document]:
    """The documents the checks judge: per kind (letter, certificate, proof) the newest
    packet's documents replace the older ones; other pages are kept from every packet.

    A supplement is sent because something was missing or wrong, so what it brings
    supersedes what the waiting packet had of the same kind.
    """
    chosen: dict[str, list[Document]] = {}
    for part in reversed(parts):
        groups: dict[str, list[Document]] = {}
        for doc in part.documents:
            if doc.type in _GROUPS:
                groups.setdefault(_GROUPS[doc.type], []).append(doc)
        for group, docs in groups.items():
            chosen.setdefault(group, docs)
    others = [d for part in parts for d in part.documents if d.type not in _GROUPS]
    return [*chosen.get("letter", []), *chosen.get("certificate", []),
            *chosen.get("proof", []), *others]


def other_claims_lookup(store: Store, submission_ids: set[str] | str,
                        batch_numbers: dict[str, list[tuple[str, str]]] | None = None,
                        ) -> Callable[[str], list[str]]:
    """``other_claims(number)`` for the checks: other ids claiming it, in the batch or store.

    SPEC §6: another submission is another id (a revision of the same id is not),
    identical files included; ``submission_ids`` are the packet's own (a case's packets).
    """
    own = {submission_ids} if isinstance(submission_ids, str) else set(submission_ids)

    def other_claims(number: str) -> list[str]:
        in_batch = {sid for _sha, sid in (batch_numbers or {}).get(number, [])}
        stored = {o.submission_id for o in store.other_claims_for_certificate(number, own)}
        return sorted((in_batch | stored) - own)

    return other_claims


def checks_for(inputs: RecheckInputs, case_pk: int, parts: list[Part],
               latest: Callable[[int], list[Check]]) -> tuple[list[Check], str]:
    """Every check on the case's documents (nothing stored); and the policy version.

    ``latest(pk)`` gives a packet's newest stored checks (for the carried-over pages).
    """
    policy = inputs.policy(case_pk)
    ctx = CheckContext(as_of=inputs.as_of(case_pk), policy=policy,
                       registries=inputs.registries(),
                       other_claims=other_claims_lookup(inputs.store,
                                                        {p.submission_id for p in parts}))
    # confidences as this version states them (a no-op when already calibrated by it)
    checks = run_checks(calibrated(checked_documents(parts), policy), ctx)
    messages: dict[str, None] = {}  # ordered set: carried-over messages are not repeated
    for part in parts:
        for c in latest(part.pk):
            if c.code == "unreadable_page" and c.status == "fail":
                messages.update(dict.fromkeys(c.message.split("；")))
    if messages:
        carried = Check(code="unreadable_page", status="fail", message="；".join(messages))
        checks = [carried if c.code == "unreadable_page" else c for c in checks]
    return checks, policy.version


def _same(a: list[Check], b: list[Check]) -> bool:
    def key(cs: list[Check]) -> list[tuple[str, str, str]]:
        return sorted((c.code, c.status, c.message) for c in cs)

    return key(a) == key(b)


def recheck_in(tx: CaseTx, inputs: RecheckInputs, *, kind: str, after: str,
               force: bool = True, payload: dict[str, Any] | None = None,
               ) -> RecheckOutcome | None:
    """Recheck the case of an open transition and record the run (None: unchanged).

    A recheck may send a passed packet to review, never take a held one out: a held
    case waits for a reviewer's decision (which records its claim when it approves).
    """
    parts = tx.parts()
    previous_run, latest = tx.checks()
    checks, policy_version = checks_for(inputs, tx.pk, parts, lambda pk: tx.checks(pk)[1])
    if not force and _same(checks, latest):
        return None
    old_route = tx.row.route or "review"
    run = tx.record_checks(checks, policy_version=policy_version, kind=kind, payload={
        **(payload or {}), "after": after, "packets": [p.pk for p in parts],
        "submission_id": tx.row.submission_id, "revision": tx.row.revision,
        "previous_run": previous_run, "previous_route": old_route,
        "as_of": inputs.as_of(tx.pk).isoformat(),
        "registry_sha256": inputs.registries().sha256()})
    new_route = tx.row.route or "review"  # a held case stays held (CaseTx.record_checks)
    return RecheckOutcome(tx.pk, tx.row.submission_id, old_route, new_route, run, checks)


def recheck_case(store: Store, pk: int, inputs: RecheckInputs, *, actor: str, kind: str,
                 after: str, holder: str | None = None, force: bool = True,
                 skip_held: bool = False, now: datetime | None = None,
                 payload: dict[str, Any] | None = None) -> RecheckOutcome | None:
    """Recheck one open case in its own transition (CaseClosedError once decided).

    ``holder``: only while that reviewer holds the case. ``skip_held``: leave a case a
    reviewer holds alone (:class:`CaseHeldError`) — a batch recheck never moves a held case.
    """
    with store.case_change(pk, actor=actor, holder=holder, operation="recheck") as tx:
        if skip_held and tx.held(now or utcnow()):
            raise CaseHeldError(f"case {pk} is held by a reviewer")
        return recheck_in(tx, inputs, kind=kind, after=after, force=force, payload=payload)
