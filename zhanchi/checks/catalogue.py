"""Every check, in one ordered list, and the routing decision built on them.

One check per SPEC §6 reason code; each returns exactly one :class:`Check` with that
code. Adding a reason means adding a function here and its code to SPEC §6.
"""

from __future__ import annotations

from collections.abc import Callable

from zhanchi.checks import agency, completeness, consistency, entitlement, registry_match, validity
from zhanchi.checks.context import CheckContext, Packet
from zhanchi.models import Check, Document, Route, route_of
from zhanchi.models.results import REVIEW_REASONS

CheckFn = Callable[[Packet, CheckContext], Check]

# Order is the order reviewers read them: is the packet complete, were the fields
# read, do the documents agree, is the claim genuine and eligible.
CHECKS: dict[str, CheckFn] = {
    "unreadable_page": completeness.unreadable_page,
    "missing_commitment_letter": completeness.missing_commitment_letter,
    "missing_certificate": completeness.missing_certificate,
    "multiple_claims": completeness.multiple_claims,
    "registry_unavailable": registry_match.registry_unavailable,
    "missing_field": completeness.missing_field,
    "low_confidence": completeness.low_confidence,
    "signature_missing": completeness.signature_missing,
    "fingerprint_missing": completeness.fingerprint_missing,
    "invalid_certificate_number": validity.invalid_certificate_number,
    "invalid_id_number": validity.invalid_id_number,
    "invalid_location": validity.invalid_location,
    "certificate_number_mismatch": consistency.certificate_number_mismatch,
    "occupation_mismatch": consistency.occupation_mismatch,
    "level_mismatch": consistency.level_mismatch,
    "name_mismatch": consistency.name_mismatch,
    "date_inconsistent": consistency.date_inconsistent,
    "agency_not_filed": agency.agency_not_filed,
    "out_of_province_proof_missing": agency.out_of_province_proof_missing,
    "certificate_not_in_registry": registry_match.certificate_not_in_registry,
    "duplicate_claim": entitlement.duplicate_claim,
    "level_not_eligible": entitlement.level_not_eligible,
    "application_window_expired": entitlement.application_window_expired,
    "exited_qualification": entitlement.exited_qualification,
}

if set(CHECKS) != set(REVIEW_REASONS):  # pragma: no cover - guards edits to either list
    raise RuntimeError("zhanchi.checks.CHECKS must cover exactly SPEC §6's reasons")


def run_checks(documents: list[Document], ctx: CheckContext) -> list[Check]:
    """Run every check on one submission's documents; one Check per SPEC §6 code.

    A check is skipped only when an input is missing, and the missing input is then
    its own failing reason. Should a skip ever stand alone (a bug), it becomes a
    failure of its own code rather than let an unchecked packet route ``pass``.
    """
    packet = Packet(documents)
    out = []
    for code, check in CHECKS.items():
        outcome = check(packet, ctx)
        if outcome.code != code:
            raise RuntimeError(f"check {check.__name__} reported code {outcome.code}")
        out.append(outcome)
    if not any(c.status == "fail" for c in out):
        out = [Check(code=c.code, status="fail", message=f"未能检查，转人工复核：{c.message}")
               if c.status == "skipped" else c for c in out]
    return out


def decide(documents: list[Document], ctx: CheckContext) -> tuple[list[Check], list[str], Route]:
    """Checks, reasons and route (the route rule is :func:`zhanchi.models.route_of`)."""
    checks = run_checks(documents, ctx)
    route, reasons = route_of(checks)
    return checks, reasons, route
