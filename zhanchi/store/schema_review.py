"""Tables of the exception queue (issue 5): reviewers, case locks, decisions, supplements.

The review app owns the logic; these tables live here so that one set of migrations
describes the whole database. Every reviewer action is also an event in the log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow

ROLES = ("reviewer", "supervisor")
DECISIONS = ("approve", "reject", "request_documents")


class UserRow(Base):
    """A reviewer or supervisor account; the password only as a KDF hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseLockRow(Base):
    """Who is working a case; one row per locked submission (the primary key is the lock)."""

    __tablename__ = "case_locks"

    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), primary_key=True
    )
    reviewer: Mapped[str] = mapped_column(String(255))
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewDecisionRow(Base):
    """A reviewer's decision on a case (approve, reject with reason, request documents)."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(255))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubmissionLinkRow(Base):
    """A supplement packet linked to a case that was waiting for more documents."""

    __tablename__ = "submission_links"
    __table_args__ = (UniqueConstraint("waiting_pk", "supplement_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    waiting_pk: Mapped[int] = mapped_column(ForeignKey("submissions.pk"), index=True)
    supplement_pk: Mapped[int] = mapped_column(ForeignKey("submissions.pk"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
