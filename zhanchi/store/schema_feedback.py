"""Tables of what reviewers teach back (issue 12): agency aliases and the QA sample.

``registry_agency_aliases`` holds every alias a reviewer's correction suggested; the
accepted ones are registry data (overlaid on agencies.csv for every new batch and
recheck, with their own hash in the results' provenance). ``qa_samples`` holds the
straight-through passes drawn for a second look, and the QA reviewer's verdict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow

ALIAS_PENDING, ALIAS_ACCEPTED, ALIAS_REJECTED = "pending", "accepted", "rejected"
ALIAS_STATUSES = (ALIAS_PENDING, ALIAS_ACCEPTED, ALIAS_REJECTED)
QA_CORRECT, QA_SHOULD_HOLD = "correct", "should_have_been_held"
QA_VERDICTS = (QA_CORRECT, QA_SHOULD_HOLD)


class AgencyAliasRow(Base):
    """A written agency name a reviewer corrected to a filed agency: a suggested alias."""

    __tablename__ = "registry_agency_aliases"
    __table_args__ = (UniqueConstraint("alias", "agency_name"),
                      Index("ix_registry_agency_aliases_status", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alias: Mapped[str] = mapped_column(Text)  # as written (width/traditional folded)
    agency_name: Mapped[str] = mapped_column(Text)  # the filed agency's name in agencies.csv
    filing_no: Mapped[str] = mapped_column(Text, default="")
    times: Mapped[int] = mapped_column(Integer, default=1)  # corrections that suggested it
    suggested_by: Mapped[list[Any]] = mapped_column(default=list)  # reviewers, in order
    status: Mapped[str] = mapped_column(String(20), default=ALIAS_PENDING)
    decided_by: Mapped[str | None] = mapped_column(String(255))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_suggested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QaSampleRow(Base):
    """A straight-through pass drawn for a second look (its result stays ``pass``)."""

    __tablename__ = "qa_samples"

    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), primary_key=True
    )
    share: Mapped[float] = mapped_column(Float)  # the policy's share when it was drawn
    draw: Mapped[float] = mapped_column(Float)  # the packet's number in [0, 1)
    policy_version: Mapped[str] = mapped_column(String(64))
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verdict: Mapped[str | None] = mapped_column(String(30), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(255))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
