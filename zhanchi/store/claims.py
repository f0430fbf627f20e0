"""What each packet claims, and the claims already recorded: duplicate detection.

SPEC §6 ``duplicate_claim`` looks beyond claims.csv: another submission (another id)
in the store claiming the same certificate number, identical files included (both
are flagged), and claims recorded when a packet passed or a reviewer approved it
(issue 4 item 6), across batches.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from zhanchi.models import SubmissionResult
from zhanchi.models.claimed import claimed_number
from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.result_rows import claimed_certificate, field_value
from zhanchi.store.schema_audit import CLAIM_SOURCES, RecordedClaimRow
from zhanchi.store.schema_pipeline import SubmissionRow


@dataclass(frozen=True)
class ClaimKey:
    """What a packet claims: the certificate, and the person, occupation and level."""

    certificate_number: str
    id_number: str | None = None
    occupation: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class RecordedClaim:
    """A claim recorded as passed or approved."""

    certificate_number: str
    id_number: str | None
    occupation: str | None
    level: int | None
    submission_pk: int | None
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class OtherClaim:
    """Another stored submission that claims the same certificate number."""

    pk: int
    submission_id: str
    revision: int
    content_sha256: str
    status: str
    route: str | None


def claim_key_from_result(result: SubmissionResult) -> ClaimKey | None:
    """The certificate's number, ID number, occupation, level (the letter's when absent)."""
    cert, letter = claimed_certificate(result)
    number = claimed_number(result.documents)
    if not number:
        return None
    level = field_value(cert, "level") or field_value(letter, "level")
    occupation = field_value(cert, "occupation") or field_value(letter, "occupation")
    id_number = field_value(cert, "id_number")
    return ClaimKey(str(number), str(id_number) if id_number else None,
                    str(occupation) if occupation else None,
                    level if isinstance(level, int) and not isinstance(level, bool) else None)


def insert_recorded_claim(s: Session, key: ClaimKey, submission_pk: int | None, source: str,
                          actor: str) -> None:
    """Record a claim inside the caller's transaction (once per submission and source)."""
    if source not in CLAIM_SOURCES:
        raise ValueError(f"claim source must be one of {CLAIM_SOURCES}, not {source!r}")
    if submission_pk is not None and s.scalar(select(RecordedClaimRow.id).where(
            RecordedClaimRow.submission_pk == submission_pk,
            RecordedClaimRow.source == source)) is not None:
        return
    s.add(RecordedClaimRow(certificate_number=key.certificate_number, id_number=key.id_number,
                           occupation=key.occupation, level=key.level,
                           submission_pk=submission_pk, source=source))
    s.flush()
    append_event(s, "claim.recorded", actor, {"source": source}, submission_pk)


class ClaimsMixin(StoreCore):
    """Recorded claims and cross-submission duplicates."""

    def record_claim(self, key: ClaimKey, *, submission_pk: int | None, source: str,
                     actor: str) -> None:
        """Record a passed (``pipeline_pass``) or approved (``reviewer_approved``) claim."""
        with self.transaction("record_claim") as s:
            insert_recorded_claim(s, key, submission_pk, source, actor)

    def find_recorded_claims(self, *, certificate_number: str | None = None,
                             id_number: str | None = None,
                             occupation: str | None = None) -> list[RecordedClaim]:
        """Claims with this certificate number, or this ID number and occupation (any level)."""
        conditions = []
        if certificate_number:
            conditions.append(RecordedClaimRow.certificate_number == certificate_number)
        if id_number and occupation:
            conditions.append(and_(RecordedClaimRow.id_number == id_number,
                                   RecordedClaimRow.occupation == occupation))
        if not conditions:
            return []
        with self.reader("find_recorded_claims") as s:
            rows = s.scalars(select(RecordedClaimRow).where(or_(*conditions))
                             .order_by(RecordedClaimRow.id))
            return [RecordedClaim(r.certificate_number, r.id_number, r.occupation, r.level,
                                  r.submission_pk, r.source, r.recorded_at) for r in rows]

    def set_claimed_certificate(self, submission_pk: int, certificate_number: str) -> None:
        """Announce a claimed number before the checks run.

        Packets processed at the same time then see each other in
        :meth:`other_claims_for_certificate`; ``save_result`` sets it too.
        """
        with self.transaction("set_claimed_certificate") as s:
            row = s.get(SubmissionRow, submission_pk)
            if row is not None:
                row.certificate_number = certificate_number

    def other_claims_for_certificate(self, certificate_number: str,
                                     exclude_submission_ids: str | Collection[str],
                                     ) -> list[OtherClaim]:
        """Stored submissions of *other ids* claiming the same number (in process too).

        SPEC §6: another submission is another id (a revision of the same id is not),
        identical files included.
        """
        ids = [exclude_submission_ids] if isinstance(exclude_submission_ids, str) \
            else list(exclude_submission_ids)
        with self.reader("other_claims_for_certificate") as s:
            rows = s.scalars(select(SubmissionRow).where(
                SubmissionRow.certificate_number == certificate_number,
                SubmissionRow.submission_id.not_in(ids),
            ).order_by(SubmissionRow.pk))
            return [OtherClaim(r.pk, r.submission_id, r.revision, r.content_sha256, r.status,
                               r.route) for r in rows]
