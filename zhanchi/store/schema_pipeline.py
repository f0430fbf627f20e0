"""Tables the batch pipeline writes: batches, submissions and what was read from them.

``submissions.result_json`` is the exact results.jsonl line (the record of truth for
repairing the file after a crash); the other tables hold the same result broken into
rows so the review app and ``zhanchi recheck`` can query and edit it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow

SHA = String(64)

# Submission states. A row is inserted as ``processing`` when a run claims it.
STATUS_PROCESSING = "processing"
STATUS_DONE = "done"  # decided by the pipeline (in the review queue when route == review)
STATUS_WAITING = "waiting"  # a reviewer requested more documents
STATUS_APPROVED = "approved"
STATUS_REJECTED = "rejected"
SUBMISSION_STATUSES = (
    STATUS_PROCESSING, STATUS_DONE, STATUS_WAITING, STATUS_APPROVED, STATUS_REJECTED,
)


class BatchRow(Base):
    """One run of the pipeline (a ``zhanchi process`` call or a scheduled flow run)."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # host:pid:start-time of the process that runs the batch (stale-claim detection)
    owner: Mapped[str] = mapped_column(String(255))
    inbox: Mapped[str] = mapped_column(Text)
    as_of: Mapped[str | None] = mapped_column(String(10))
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SubmissionRow(Base):
    """One (submission id, content) pair: a revision of an applicant's packet."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("submission_id", "content_sha256"),
        UniqueConstraint("submission_id", "revision"),
        Index("ix_submissions_queue", "status", "route", "received_at"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(255))
    revision: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(SHA)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PROCESSING)
    route: Mapped[str | None] = mapped_column(String(10))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    result_json: Mapped[str | None] = mapped_column(Text)
    # the certificate number this packet claims (certificate's, else the letter's)
    certificate_number: Mapped[str | None] = mapped_column(String(64), index=True)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class SourceFileRow(Base):
    """A file of a submission, by content hash."""

    __tablename__ = "source_files"
    __table_args__ = (UniqueConstraint("submission_pk", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(SHA, index=True)
    size: Mapped[int] = mapped_column(BigInteger)


class DocumentRow(Base):
    """A classified document of a submission (SPEC §2 type)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("submission_pk", "document_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), index=True
    )
    document_index: Mapped[int] = mapped_column(Integer)  # 0-based order in the result
    type: Mapped[str] = mapped_column(String(40))


class PageRow(Base):
    """A page of a document, as SPEC §3 ``pages`` entries record it."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("submission_pk", "document_index", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), index=True
    )
    document_index: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # 0-based order within the document
    file: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(20), default="image")
    deskew_deg: Mapped[float] = mapped_column(Float, default=0.0)
    flattened: Mapped[bool] = mapped_column(default=False)
    page_sha256: Mapped[str] = mapped_column(SHA, index=True, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # PageRef's extra keys


class PageImageRow(Base):
    """A cleaned upright page image, served by the review app by its hash (never a path)."""

    __tablename__ = "page_images"

    sha256: Mapped[str] = mapped_column(SHA, primary_key=True)
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FieldRow(Base):
    """A field read from a document; a reviewer's edit overwrites ``value`` (history in events)."""

    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    raw: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int] = mapped_column(Integer, default=1)
    bbox: Mapped[list[Any] | None] = mapped_column()
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # ExtractedField's extra keys
    edited_by: Mapped[str | None] = mapped_column(String(255))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckRow(Base):
    """One check of one run (run 1 = the pipeline; later runs = rechecks and reviewer edits)."""

    __tablename__ = "checks"
    __table_args__ = (Index("ix_checks_submission_run", "submission_pk", "run"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_pk: Mapped[int] = mapped_column(ForeignKey("submissions.pk", ondelete="CASCADE"))
    run: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OcrCacheRow(Base):
    """OCR output of one page, keyed by content (file hash, page, cleaning, engine)."""

    __tablename__ = "ocr_cache"

    key: Mapped[str] = mapped_column(SHA, primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
