"""The version of a case (issue 12): what a decision must have seen to be accepted.

Every change to a case's fields, checks, packets or status (edit, recheck, supplement,
decision, reopen) raises its version by one in the same transaction as the change. A
decision carries the version its reviewer's page showed and is refused if it moved.
A case without a row is at version 0 (nothing changed since the pipeline's decision).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow


class CaseVersionRow(Base):
    """How many times a case changed since the pipeline decided it."""

    __tablename__ = "case_versions"

    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
