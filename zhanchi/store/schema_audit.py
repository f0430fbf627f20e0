"""Tables of the audit trail: the hash-chained event log and the recorded claims.

``events`` is append-only: every row's ``hash`` covers its own content and the previous
row's hash, so editing, deleting or re-ordering a row breaks the chain. The single row
of ``event_chain_head`` names the last entry; appenders lock it, which serialises them
on PostgreSQL, and it lets ``verify_chain`` notice a removed tail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow

GENESIS_HASH = "0" * 64
CHAIN_HEAD_ID = 1

CLAIM_SOURCE_PIPELINE = "pipeline_pass"
CLAIM_SOURCE_REVIEWER = "reviewer_approved"
CLAIM_SOURCES = (CLAIM_SOURCE_PIPELINE, CLAIM_SOURCE_REVIEWER)


class EventRow(Base):
    """One entry of the event log: what happened (kind, payload), who, when."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind", "kind"),)

    # Assigned by the appender under the chain lock (not by the database), because the
    # hash covers it and must be computed before the insert.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC text: hashed as stored
    actor: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))
    submission_pk: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.pk"), index=True
    )
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ChainHeadRow(Base):
    """The chain's head (one row, id 1): the last entry's id and hash."""

    __tablename__ = "event_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class RecordedClaimRow(Base):
    """A claim that passed or was approved: later packets for it are duplicates."""

    __tablename__ = "recorded_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    certificate_number: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)
    occupation: Mapped[str | None] = mapped_column(Text)
    level: Mapped[int | None] = mapped_column(Integer)
    submission_pk: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.pk"), index=True
    )
    source: Mapped[str] = mapped_column(String(30))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
