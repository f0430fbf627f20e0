"""The dashboard (every reviewer) and the payment export (supervisors only).

An export hands personal data out of the system, so each one is an event naming
who exported, the filter and the number of rows (never the rows themselves).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhanchi.policy import load_policy
from zhanchi.review.aliases import name_matcher
from zhanchi.review.charts import column_chart, hbar_chart
from zhanchi.review.dashboard import build_dashboard
from zhanchi.review.export import export_rows, to_csv, to_xlsx
from zhanchi.review.labels import local_date, reason_label
from zhanchi.review.state import app_state, current_user, require_supervisor
from zhanchi.review.templating import render
from zhanchi.store.types import utcnow

router = APIRouter()
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    """Rates, queue size and age, top reasons, agencies, with charts."""
    current_user(request)
    state = app_state(request)
    data = build_dashboard(state.store, state.rechecker.registries(),
                           name_matcher(load_policy(state.settings.as_of or date.today())))
    charts = {
        "ages": column_chart(data.age_buckets, title="待审案件等待时长"),
        "reasons": hbar_chart([(reason_label(c), n) for c, n in data.top_reasons],
                              title="转人工审核的主要原因"),
    }
    return render(request, "dashboard.html", {"d": data, "charts": charts})


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/export")
def export_form(request: Request) -> Response:
    """Choose the decision dates and the file type."""
    require_supervisor(request)
    return render(request, "export.html", {"today": local_date(utcnow()).isoformat()})


@router.get("/export/{kind}")
def export_file(request: Request, kind: str,
                date_from: Annotated[str | None, Query(alias="from")] = None,
                to: str | None = None, auto: str | None = None) -> Response:
    """The decided claims as ``csv`` or ``xlsx`` (a download)."""
    user = require_supervisor(request)
    if kind not in MEDIA:
        return render(request, "error.html", {"title": "未找到", "message": "没有这种导出格式。"},
                      status=404)
    state = app_state(request)
    start, end = _day(date_from), _day(to)
    rows = export_rows(state.store, start, end, include_straight_through=auto != "0")
    data = to_csv(rows) if kind == "csv" else to_xlsx(rows)
    state.store.append_event("review.export", user.name, {
        "format": kind, "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None, "straight_through": auto != "0",
        "rows": len(rows)})
    stamp = local_date(utcnow()).strftime("%Y%m%d")
    return Response(data, media_type=MEDIA[kind], headers={
        "Content-Disposition": f'attachment; filename="zhanchi-decisions-{stamp}.{kind}"',
        "Cache-Control": "no-store"})
