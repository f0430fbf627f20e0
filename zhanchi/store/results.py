"""Saving a decision and reading it back.

``save_result`` writes everything about one decision in ONE transaction: the exact
results.jsonl line, the documents/pages/fields/checks rows, the page images, the
recorded claim (when it passed) and the ``pipeline.decision`` event whose payload
carries the line's SHA-256. Either all of it is stored or none of it is, so a run
killed at any instant leaves no half-decided packet behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhanchi.errors import StoreError
from zhanchi.models import Check, Document, SourceFile, SubmissionResult
from zhanchi.store.chain import append_event
from zhanchi.store.claims import claim_key_from_result, insert_recorded_claim
from zhanchi.store.result_rows import load_checks, load_documents, write_checks, write_documents
from zhanchi.store.schema_audit import CLAIM_SOURCE_PIPELINE
from zhanchi.store.schema_pipeline import (
    STATUS_DONE,
    STATUS_PROCESSING,
    PageImageRow,
    SourceFileRow,
    SubmissionRow,
)
from zhanchi.store.submissions import DEFAULT_STALE_AFTER, Claim, SubmissionsMixin
from zhanchi.store.types import as_utc, utcnow

DECISION_EVENT = "pipeline.decision"


def line_sha256(line: str) -> str:
    """SHA-256 of a results.jsonl line (UTF-8), as the decision event records it."""
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


class ResultsMixin(SubmissionsMixin):
    """Decisions and what they were made from."""

    def save_result(self, result: SubmissionResult, *, batch_id: str | None = None,
                    claim: Claim | None = None, line: str | None = None,
                    images: Iterable[tuple[bytes, str]] = (),
                    files: Iterable[SourceFile] = (), actor: str = "pipeline") -> str:
        """Store the decision on one submission; returns the exact JSON line stored.

        With ``claim`` (from :meth:`claim_submission`, the safe way for concurrent runs)
        the claimed row is completed. Without it (``batch_id`` required) the row for
        (id, content) is created here (``result.content_sha256`` and ``result.revision`` must be set; ``files``
        are its source files). ``line`` defaults to ``result.to_json_line()``;
        ``images`` are ``(bytes, media_type)`` cleaned page images.

        Raises :class:`StoreError` when another run holds or lost-and-retook the claim,
        or the pair was already decided with a different line (never two decisions).
        """
        batch_id = claim.batch_id if claim is not None else batch_id
        if batch_id is None:
            raise ValueError("save_result needs a claim or a batch_id")
        if claim is not None and (result.submission_id, result.revision) != (
                claim.submission_id, claim.revision):
            raise ValueError(f"result {result.submission_id} r{result.revision} does not "
                             f"match claim {claim.submission_id} r{claim.revision}")
        content = claim.content_sha256 if claim else result.content_sha256
        if not content or (result.content_sha256 and result.content_sha256 != content):
            raise ValueError(f"result {result.submission_id}: content hash missing or not "
                             "the claimed one")
        line = line if line is not None else result.to_json_line()
        policy = result.provenance.policy if result.provenance else None
        key = claim_key_from_result(result)
        with self.transaction("save_result") as s:
            row = self._row_to_decide(s, result, content, batch_id, claim, files)
            if row.status != STATUS_PROCESSING:  # decided before: only the same line is fine
                if row.result_json != line:
                    raise StoreError(f"submission {result.submission_id} r{row.revision} was "
                                     "already decided; a second decision was not saved")
                return line
            for data, media_type in images:
                self.insert_ignore(s, PageImageRow, _image_values(data, media_type))
            write_documents(s, row.pk, result)
            write_checks(s, row.pk, result.checks, policy)
            row.status, row.route, row.reasons = STATUS_DONE, result.route, list(result.reasons)
            row.result_json, row.policy_version, row.decided_at = line, policy, utcnow()
            row.batch_id = batch_id
            row.certificate_number = key.certificate_number if key else row.certificate_number
            if key is not None and result.route == "pass":
                insert_recorded_claim(s, key, row.pk, CLAIM_SOURCE_PIPELINE, actor)
            append_event(s, DECISION_EVENT, actor, {
                "submission_id": row.submission_id, "revision": row.revision,
                "content_sha256": row.content_sha256, "batch_id": batch_id,
                "route": result.route, "reasons": list(result.reasons), "policy": policy,
                "result_sha256": line_sha256(line)}, row.pk)
        return line

    def _row_to_decide(self, s: Session, result: SubmissionResult, content: str, batch_id: str,
                       claim: Claim | None, files: Iterable[SourceFile]) -> SubmissionRow:
        """The row this decision completes, locked; created when saving without a claim."""
        if claim is not None:
            row = s.get(SubmissionRow, claim.pk, with_for_update=True)
            if row is None or (row.status == STATUS_PROCESSING and row.batch_id != batch_id):
                raise StoreError(f"claim on submission {claim.submission_id} r{claim.revision} "
                                 "was lost to another run; its result was not saved")
            return row
        row = s.scalars(select(SubmissionRow).where(
            SubmissionRow.submission_id == result.submission_id,
            SubmissionRow.content_sha256 == content).with_for_update()).one_or_none()
        if row is not None:
            if row.status == STATUS_PROCESSING and row.batch_id != batch_id and \
                    not self._abandoned(s, row, utcnow(), DEFAULT_STALE_AFTER):
                raise StoreError(f"submission {result.submission_id} is being processed by "
                                 "another run; this result was not saved")
            return row
        row = SubmissionRow(
            submission_id=result.submission_id, revision=result.revision,
            content_sha256=content, received_at=_parse_time(result.received_at),
            batch_id=batch_id, status=STATUS_PROCESSING, reasons=[], claimed_at=utcnow())
        s.add(row)
        try:
            s.flush()
        except IntegrityError:
            raise StoreError(f"submission {result.submission_id} r{result.revision} already "
                             "exists with other content: claim it to get a fresh revision") \
                from None
        s.add_all(SourceFileRow(submission_pk=row.pk, path=f.path, sha256=f.sha256, size=f.size)
                  for f in files)
        return row

    def result_line(self, submission_pk: int) -> str | None:
        """The exact results.jsonl line stored for a submission (None while processing)."""
        with self.reader("result_line") as s:
            return s.scalar(select(SubmissionRow.result_json).where(
                SubmissionRow.pk == submission_pk))

    def load_result(self, submission_pk: int) -> SubmissionResult | None:
        """The stored result, parsed from its line."""
        line = self.result_line(submission_pk)
        return SubmissionResult.from_json_line(line) if line else None

    def result_lines_since(self, since: datetime | None = None, *,
                           batch_id: str | None = None) -> list[str]:
        """Result lines decided after ``since`` (and in ``batch_id``), in decision order.

        For repairing results.jsonl after a crash: every line here must be in the file.
        """
        query = select(SubmissionRow.result_json).where(SubmissionRow.result_json.is_not(None))
        if since is not None:
            query = query.where(SubmissionRow.decided_at > since)
        if batch_id is not None:
            query = query.where(SubmissionRow.batch_id == batch_id)
        with self.reader("result_lines") as s:
            lines = s.scalars(query.order_by(SubmissionRow.decided_at, SubmissionRow.pk))
            return [line for line in lines if line is not None]

    def all_result_lines(self) -> list[str]:
        """Every stored result line, in decision order."""
        return self.result_lines_since()

    def documents(self, submission_pk: int) -> list[Document]:
        """The submission's documents as stored now (reviewers' edits included)."""
        with self.reader("documents") as s:
            return load_documents(s, submission_pk)

    def checks(self, submission_pk: int, run: int | None = None) -> tuple[int, list[Check]]:
        """A run of checks (the latest by default) and its run number."""
        with self.reader("checks") as s:
            return load_checks(s, submission_pk, run)


def _parse_time(text: str) -> datetime:
    """A result's ``received_at`` (ISO text); now when it is empty or unreadable."""
    try:
        return as_utc(datetime.fromisoformat(text)) if text else utcnow()
    except ValueError:
        return utcnow()


def _image_values(data: bytes, media_type: str) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "media_type": media_type,
            "size": len(data), "data": data, "created_at": utcnow()}
