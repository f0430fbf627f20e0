"""Every failure becomes a Chinese page that reveals nothing, and a log line without data.

The guard's errors, FastAPI's own (404, 405, validation) and store failures each get a
page here; anything else is a bug, answered by :func:`server_error` with a 500 page
carrying an incident number, and logged with the exception's class and stack frames
only: exception messages and local values can quote what a reviewer typed or a scan
said, so they are never logged. A request whose session expired while a decision was
being typed gets the login page with the form kept (:mod:`zhanchi.review.pending`).
"""

from __future__ import annotations

import logging
import secrets
import traceback
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhanchi.errors import StoreError
from zhanchi.review.audit_log import log_refusal
from zhanchi.review.auth import login_page
from zhanchi.review.form_input import InputRefusedError
from zhanchi.review.guard import SAFE_METHODS
from zhanchi.review.pending import KEPT_ROUTES, keep_form
from zhanchi.review.state import (
    SESSION_COOKIE,
    BadRequestError,
    CsrfError,
    ForbiddenError,
    LoginRequiredError,
    NotFoundError,
    app_state,
)
from zhanchi.review.templating import render

log = logging.getLogger("zhanchi.review")


def page(request: Request, status: int, title: str, message: str,
         headers: dict[str, str] | None = None) -> HTMLResponse:
    """The error page (``error.html``) with ``title`` and ``message``."""
    return render(request, "error.html", {"title": title, "message": message}, status=status,
                  headers=headers)


def server_error(request: Request, exc: BaseException) -> Response:
    """The 500 page for an unexpected exception, logged by class and frames only."""
    incident = secrets.token_hex(4)
    chain: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 5:
        chain.append(type(seen).__qualname__)
        seen = seen.__cause__ or seen.__context__
    frames = "; ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}"
                       for f in traceback.extract_tb(exc.__traceback__)[-12:])
    route = getattr(request.scope.get("route"), "path", "(no route)")
    log.error("incident %s: %s on %s %s at %s", incident, " <- ".join(chain), request.method,
              route, frames)
    try:
        return page(request, 500, "服务器内部错误",
                    f"请求未能完成。请返回上一页重试；如仍出现，请把事件编号 {incident} 告诉管理员。")
    except Exception:  # the page itself failed: say it plainly
        return PlainTextResponse(f"服务器内部错误（事件编号 {incident}）", status_code=500)


async def refuse_input(request: Request, exc: InputRefusedError) -> Response:
    """The page for a request whose text was refused at the boundary (400/413/415)."""
    return page(request, exc.status, "无法处理提交的内容", exc.message)


async def _login_required(request: Request, _exc: LoginRequiredError) -> Response:
    if request.method in SAFE_METHODS and not request.headers.get("hx-request"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if request.headers.get("hx-request"):
        return Response("请先登录", status_code=401, media_type="text/plain; charset=utf-8",
                        headers={"HX-Redirect": "/login"})
    back = request.url.path.rsplit("/", 1)[0] or "/queue"
    route = getattr(request.scope.get("route"), "path", "")
    resume = ""
    if route in KEPT_ROUTES:
        state = app_state(request)
        form = await request.form()
        owner = state.sessions.expired_owner(request.cookies.get(SESSION_COOKIE),
                                             str(form.get("csrf_token") or ""))
        if owner is not None:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            resume = keep_form(state.store, owner, back, fields)
    return login_page(request, back if route in KEPT_ROUTES else "/queue",
                      None if resume else "登录已超时，请重新登录。", 401, resume=resume)


def install_error_pages(app: FastAPI) -> None:
    """Register the pages for the guard's errors, FastAPI's errors and store failures."""
    app.add_exception_handler(LoginRequiredError, _login_required)  # type: ignore[arg-type]

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _exc: CsrfError) -> Response:
        await run_in_threadpool(log_refusal, request, 403, "csrf")
        return page(request, 403, "请求已被拒绝", "表单已过期或来源不明（CSRF 校验失败）。"
                    "请返回上一页刷新后重试。")

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, exc: ForbiddenError) -> Response:
        await run_in_threadpool(log_refusal, request, 403, "forbidden")
        return page(request, 403, "无权操作", exc.message)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, _exc: NotFoundError) -> Response:
        return page(request, 404, "未找到", "没有这个页面或案件。")

    @app.exception_handler(BadRequestError)
    async def _bad_request(request: Request, exc: BadRequestError) -> Response:
        return page(request, 400, "请求无法处理", exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return page(request, 404, "未找到", "没有这个页面或案件。")
        if exc.status_code == 405:
            return page(request, 405, "不支持的操作", "请从页面上的按钮操作。",
                        headers=dict(exc.headers or {}))
        return page(request, exc.status_code, "请求无法处理", "请返回上一页重试。")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's default answer echoes the submitted values: say what, not what was sent
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
            return page(request, 404, "未找到", "没有这个页面或案件。")
        return page(request, 400, "请求不完整", "表单缺少内容或格式不对，请返回上一页重试。")

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        # the store's message names no personal data, but the page needs none of it
        log.warning("store failure on %s %s: %s", request.method,
                    getattr(request.scope.get("route"), "path", "(no route)"), exc.reason)
        return page(request, 503, "数据库暂时不可用", "请稍后重试；如持续出现请联系管理员。")
