"""The one gate every request passes: login, CSRF, and the answers when they fail.

It runs as an app-wide dependency, so no route can forget it: only ``/login`` and the
static assets (code and styles, no data) are served without a session; every POST
must carry the session's CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``) and, when the browser names an origin, come from this site. The
login form has no session yet: it uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhanchi.errors import StoreError
from zhanchi.review.audit_log import log_refusal
from zhanchi.review.state import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfError,
    ForbiddenError,
    LoginRequiredError,
    NotFoundError,
    app_state,
)
from zhanchi.review.templating import render

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login"})


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def _origin_ok(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":  # no origin to judge by: the token alone decides
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def guard(request: Request) -> None:
    """Set ``request.state.user`` or raise; check CSRF on every state-changing request."""
    path = request.url.path
    if path.startswith("/static/"):
        return
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not _origin_ok(request):
        raise CsrfError()
    if path in PUBLIC_PATHS:
        if unsafe:
            form = await request.form()
            if not _same(str(form.get("csrf_token") or ""),
                         request.cookies.get(LOGIN_CSRF_COOKIE)):
                raise CsrfError()
        return
    state = app_state(request)
    session = state.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequiredError()
    account = state.store.get_user(session.name)
    if account is None or not account.active:  # disabled since login
        state.sessions.drop_user(session.name)
        raise LoginRequiredError()
    request.state.user = session
    if unsafe:
        token = request.headers.get("x-csrf-token")
        if token is None:
            form = await request.form()
            token = str(form.get("csrf_token") or "")
        if not _same(token, session.csrf):
            raise CsrfError()


def install_error_pages(app: FastAPI) -> None:
    """Turn the guard's errors (and store failures) into pages that reveal nothing."""

    @app.exception_handler(LoginRequiredError)
    async def _login(request: Request, _exc: LoginRequiredError) -> Response:
        if request.method in SAFE_METHODS and not request.headers.get("hx-request"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return Response("请先登录", status_code=401, media_type="text/plain; charset=utf-8",
                        headers={"HX-Redirect": "/login"})

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _exc: CsrfError) -> Response:
        await run_in_threadpool(log_refusal, request, 403, "csrf")
        return _page(request, 403, "请求已被拒绝", "表单已过期或来源不明（CSRF 校验失败）。"
                     "请返回上一页刷新后重试。")

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, exc: ForbiddenError) -> Response:
        await run_in_threadpool(log_refusal, request, 403, "forbidden")
        return _page(request, 403, "无权操作", exc.message)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, _exc: NotFoundError) -> Response:
        return _page(request, 404, "未找到", "没有这个页面或案件。")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _page(request, 404, "未找到", "没有这个页面或案件。")
        if exc.status_code == 405:
            return _page(request, 405, "不支持的操作", "请从页面上的按钮操作。")
        return _page(request, exc.status_code, "请求无法处理", "请返回上一页重试。")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc: RequestValidationError) -> Response:
        # FastAPI's default answer echoes the submitted values: say what, not what was sent
        return _page(request, 400, "请求不完整", "表单缺少内容或格式不对，请返回上一页重试。")

    @app.exception_handler(StoreError)
    async def _store(request: Request, _exc: StoreError) -> Response:
        # the store's message names no personal data, but the page needs none of it
        return _page(request, 503, "数据库暂时不可用", "请稍后重试；如持续出现请联系管理员。")


def _page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)
