"""What an export will hand out, shown before it does: count, amount, a preview.

A claim is exported for payment once. The plan splits the decided claims of the
chosen dates into the new ones and those already exported (with when and by whom);
only the new ones go into the file, unless a supervisor explicitly asks for a
re-export and says why. The plan's ``digest`` (a hash of the claims it holds) is
carried by the download form, so the file is exactly what the preview showed: if
decisions or exports happened in between, the supervisor sees the new preview first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from zhanchi.review.export import ExportRow, export_rows
from zhanchi.store.export_ops import ExportMark, export_marks
from zhanchi.store.review_queries import ReviewStore

PREVIEW_ROWS = 20
MAX_WHY = 300


@dataclass(frozen=True)
class ExportRequest:
    """The export form: decision dates, straight-through passes, re-export and why."""

    date_from: date | None = None
    date_to: date | None = None
    straight_through: bool = True
    again: bool = False
    why: str = ""

    @classmethod
    def parse(cls, date_from: str | None, date_to: str | None, auto: str | None,
              again: str | None, why: str | None) -> ExportRequest:
        """From form or query values; an unreadable date is ignored."""
        return cls(_day(date_from), _day(date_to), auto != "0", again == "1",
                   " ".join((why or "").split())[:MAX_WHY])

    def query(self) -> dict[str, str]:
        """The parameters that reproduce this request (hidden fields, links)."""
        out = {"from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else "",
               "auto": "" if self.straight_through else "0", "again": "1" if self.again else "",
               "why": self.why if self.again else ""}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class ExportPlan:
    """The claims a download would carry, and those left out as already exported."""

    request: ExportRequest
    rows: list[ExportRow]
    already: list[tuple[ExportRow, ExportMark]]

    @property
    def amount(self) -> int:
        return sum(r.amount for r in self.rows)

    @property
    def digest(self) -> str:
        text = ",".join(str(r.pk) for r in sorted(self.rows, key=lambda r: r.pk))
        return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]

    @property
    def preview(self) -> list[ExportRow]:
        return self.rows[:PREVIEW_ROWS]


def plan_export(store: ReviewStore, request: ExportRequest) -> ExportPlan:
    """The decided claims of the request's dates, split by their export marks."""
    every = export_rows(store, request.date_from, request.date_to,
                        include_straight_through=request.straight_through)
    marks = export_marks(store, [r.pk for r in every])
    already = [(r, marks[r.pk]) for r in every if r.pk in marks]
    rows = every if request.again else [r for r in every if r.pk not in marks]
    return ExportPlan(request, rows, already)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
