"""Which decided claims have left for payment: one row per exported submission.

A claim is paid from the first export that carries it; the row is that export's
mark (``submission_pk`` is the primary key, so two supervisors exporting at once
cannot both take the same claim as new). A re-export a supervisor asks for
explicitly leaves the first mark as it is; it is recorded in the event log only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow


class ExportMarkRow(Base):
    """A submission exported for payment: when, by whom, in which export event."""

    __tablename__ = "export_marks"

    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("submissions.pk", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(Integer)  # the review.export event that carried it
    exported_by: Mapped[str] = mapped_column(String(255))
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
