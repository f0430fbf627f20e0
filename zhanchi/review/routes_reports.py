"""The dashboard (every reviewer) and the payment export (supervisors only).

An export hands personal data out of the system: it is previewed first (count,
amount, rows with masked ID numbers), and each download is an event naming who
exported, the filter and which submissions left (their ids, never their contents).
A claim already exported is left out unless a supervisor asks for a re-export and
gives a reason, which the event records too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.policy import load_policy
from zhanchi.review.aliases import name_matcher
from zhanchi.review.charts import column_chart, hbar_chart
from zhanchi.review.dashboard import build_dashboard
from zhanchi.review.export import to_csv, to_xlsx
from zhanchi.review.export_plan import ExportPlan, ExportRequest, plan_export
from zhanchi.review.labels import local_date, reason_label
from zhanchi.review.state import app_state, current_user, require_supervisor
from zhanchi.review.templating import render
from zhanchi.store.export_ops import record_export
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.types import utcnow

router = APIRouter()
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
REEXPORT_NEEDS_WHY = "重新导出已导出过的申领须填写理由（会记入日志）。"


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


def _form(request: Request, plan: ExportPlan | None, *, req: ExportRequest | None = None,
          message: str | None = None, error: str | None = None, status: int = 200) -> Response:
    context = {"today": local_date(utcnow()).isoformat(), "plan": plan,
               "req": plan.request if plan else req or ExportRequest(), "message": message,
               "error": error, "already_pks": {r.pk for r, _ in plan.already} if plan else set()}
    return render(request, "export.html", context, status=status)


@router.get("/export")
def export_form(request: Request) -> Response:
    """Choose the decision dates (and, explicitly, a re-export)."""
    require_supervisor(request)
    return _form(request, None)


@router.get("/export/preview")
def export_preview(request: Request,
                   date_from: Annotated[str | None, Query(alias="from")] = None,
                   to: str | None = None, auto: str | None = None, again: str | None = None,
                   why: str | None = None) -> Response:
    """How many claims the export would carry, their amount and the first rows."""
    require_supervisor(request)
    req = ExportRequest.parse(date_from, to, auto, again, why)
    if req.again and not req.why:
        return _form(request, None, req=req, error=REEXPORT_NEEDS_WHY, status=422)
    return _form(request, plan_export(app_state(request).store, req))


@router.get("/export/{kind}")
def export_link(request: Request, kind: str) -> Response:
    """Old download links lead to the preview: nothing leaves without it."""
    require_supervisor(request)
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/export/preview{query}", status_code=303)


@router.post("/export/{kind}")
def export_file(request: Request, kind: str,
                date_from: Annotated[str, Form(alias="from")] = "", to: Annotated[str, Form()] = "",
                auto: Annotated[str, Form()] = "", again: Annotated[str, Form()] = "",
                why: Annotated[str, Form()] = "", expect: Annotated[str, Form()] = "",
                ) -> Response:
    """The previewed claims as ``csv`` or ``xlsx`` (a download), marked as exported."""
    user = require_supervisor(request)
    if kind not in MEDIA:
        return render(request, "error.html", {"title": "未找到", "message": "没有这种导出格式。"},
                      status=404)
    state = app_state(request)
    req = ExportRequest.parse(date_from, to, auto, again, why)
    if req.again and not req.why:
        return _form(request, None, req=req, error=REEXPORT_NEEDS_WHY, status=422)
    plan = plan_export(state.store, req)
    if not plan.rows:
        return _form(request, plan, error="没有可导出的申领：所选日期内的申领都已导出过。"
                     "如确需再次导出，请勾选“重新导出”并说明理由。", status=409)
    if expect != plan.digest:
        return _form(request, plan, error="预览之后数据有变化（新的决定或其他主管的导出），"
                     "请核对下面的最新预览后再下载。", status=409)
    try:
        record_export(state.store, user.name, {
            "format": kind, "from": req.date_from.isoformat() if req.date_from else None,
            "to": req.date_to.isoformat() if req.date_to else None,
            "straight_through": req.straight_through, "why": req.why or None,
            "rows": len(plan.rows), "id_numbers_shown": True,
            "submissions": [r.submission_id for r in plan.rows],
            "submission_pks": [r.pk for r in plan.rows]}, [r.pk for r in plan.rows],
            reexport=req.again)
    except ReviewConflictError:
        return _form(request, plan_export(state.store, req), status=409,
                     error="其他主管刚刚导出了其中部分申领，请核对最新预览。")
    data = to_csv(plan.rows) if kind == "csv" else to_xlsx(plan.rows)
    stamp = local_date(utcnow()).strftime("%Y%m%d")
    return Response(data, media_type=MEDIA[kind], headers={
        "Content-Disposition": f'attachment; filename="zhanchi-decisions-{stamp}.{kind}"',
        "Cache-Control": "no-store"})
