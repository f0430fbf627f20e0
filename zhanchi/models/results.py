"""The result of one submission: one line of results.jsonl (SPEC §3)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from zhanchi.models.documents import Document

CheckStatus = Literal["pass", "fail", "skipped"]
Route = Literal["pass", "review"]

REVIEW_REASONS: tuple[str, ...] = (
    "missing_commitment_letter",
    "missing_certificate",
    "unreadable_page",
    "registry_unavailable",
    "multiple_claims",
    "missing_field",
    "low_confidence",
    "invalid_certificate_number",
    "invalid_id_number",
    "invalid_location",
    "certificate_number_mismatch",
    "occupation_mismatch",
    "level_mismatch",
    "name_mismatch",
    "date_inconsistent",
    "agency_not_filed",
    "out_of_province_proof_missing",
    "certificate_not_in_registry",
    "duplicate_claim",
    "signature_missing",
    "fingerprint_missing",
    "level_not_eligible",
    "application_window_expired",
    "exited_qualification",
)


class Check(BaseModel):
    """One check that ran, with a Chinese message a reviewer can act on."""

    code: str
    status: CheckStatus
    message: str


def route_of(checks: Iterable[Check]) -> tuple[Route, list[str]]:
    """The route and reasons of a set of checks: THE rule (SPEC §3), used everywhere.

    ``reasons`` are the codes of the failed checks, each once, sorted; the route is
    ``review`` if and only if there is a reason.

    >>> route_of([Check(code="b", status="fail", message=""),
    ...           Check(code="a", status="fail", message=""),
    ...           Check(code="c", status="skipped", message="")])
    ('review', ['a', 'b'])
    """
    reasons = sorted({c.code for c in checks if c.status == "fail"})
    return ("review" if reasons else "pass"), reasons


class Provenance(BaseModel):
    """Which code, engine, rules and references decided a result."""

    model_config = ConfigDict(extra="allow")

    zhanchi: str
    ocr_engine: str
    policy: str
    registry_sha256: dict[str, str] = {}


class SubmissionResult(BaseModel):
    """One line of results.jsonl."""

    model_config = ConfigDict(extra="allow")

    submission_id: str
    revision: int = 1
    content_sha256: str = ""
    received_at: str = ""
    source: list[str]
    route: Route
    reasons: list[str] = []
    documents: list[Document] = []
    checks: list[Check] = []
    timings_ms: dict[str, int] = {}
    provenance: Provenance | None = None
    as_of: str = ""
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def finalise(self) -> SubmissionResult:
        """Derive ``reasons`` and ``route`` from the failed checks (the SPEC's iff rule)."""
        route, failed = route_of(self.checks)
        unknown = [c for c in failed if c not in REVIEW_REASONS]
        if unknown:
            raise ValueError(f"checks failed with codes outside SPEC §6: {unknown}")
        self.reasons, self.route = failed, route
        return self

    def to_json_line(self) -> str:
        """Serialise as one compact JSON line (UTF-8, Chinese kept readable)."""
        return json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=False)

    @classmethod
    def from_json_line(cls, line: str) -> SubmissionResult:
        return cls.model_validate_json(line)
