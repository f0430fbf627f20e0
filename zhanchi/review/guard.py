"""The one gate every request passes: login, CSRF, parameter ranges, and the error pages.

It runs as an app-wide dependency, so no route can forget it: only ``/login`` and the
static assets (code and styles, no data) are served without a session; every POST
must carry the session's CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``) and, when the browser names an origin, come from this site. The
login form has no session yet: it uses a double-submit cookie instead.

Every number a route declares (path, query or form, found from the route itself, so a
new route is covered too) must be plain ASCII digits within a database integer: an
out-of-range id in the path is "not found" (404), elsewhere "bad request" (400).
"""

from __future__ import annotations

import hmac
import re
import types
import typing
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from zhanchi.review.state import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    BadRequestError,
    CsrfError,
    LoginRequiredError,
    NotFoundError,
    app_state,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login"})
MAX_ID = 2**63 - 1  # the largest BIGINT: ids beyond it exist in no table
_DIGITS = re.compile(r"[0-9]{1,19}")


def _same(a: str | None, b: str | None) -> bool:
    # as bytes: compare_digest refuses str with non-ASCII characters (a TypeError)
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode("utf-8", "replace"),
                                                       str(b).encode("utf-8", "replace"))


def _origin_ok(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":  # no origin to judge by: the token alone decides
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def in_range(text: str, low: int = 0) -> bool:
    """True for ASCII digits naming a whole number in ``low``..``MAX_ID``.

    >>> in_range("12"), in_range("9223372036854775808"), in_range("²"), in_range("-1")
    (True, False, False, False)
    """
    return bool(_DIGITS.fullmatch(text)) and low <= int(text) <= MAX_ID


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return int in typing.get_args(annotation)
    return False


def _int_params(request: Request, kind: str) -> list[str]:
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return []
    fields = getattr(dependant, kind, [])
    return [f.alias for f in fields if _is_int(f.field_info.annotation)]


def check_numbers(request: Request, form: FormData | None) -> None:
    """Refuse a number parameter outside ``0..MAX_ID`` (path ids: ``1..MAX_ID``)."""
    for name in _int_params(request, "path_params"):
        if not in_range(str(request.path_params.get(name, "")), low=1):
            raise NotFoundError()
    for name in _int_params(request, "query_params"):
        for value in request.query_params.getlist(name):
            if not in_range(value):
                raise BadRequestError()
    if form is not None:
        for name in _int_params(request, "body_params"):
            for item in form.getlist(name):
                if not isinstance(item, str) or not in_range(item):
                    raise BadRequestError()


async def guard(request: Request) -> None:
    """Set ``request.state.user`` or raise; check CSRF on every state-changing request."""
    path = request.url.path
    if path.startswith("/static/"):
        check_numbers(request, None)
        return
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not _origin_ok(request):
        raise CsrfError()
    form = await request.form() if unsafe else None
    if path in PUBLIC_PATHS:
        if form is not None and not _same(str(form.get("csrf_token") or ""),
                                          request.cookies.get(LOGIN_CSRF_COOKIE)):
            raise CsrfError()
        check_numbers(request, form)
        return
    session = app_state(request).sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequiredError()
    request.state.user = session
    if form is not None:
        token = request.headers.get("x-csrf-token") or str(form.get("csrf_token") or "")
        if not _same(token, session.csrf):
            raise CsrfError()
    check_numbers(request, form)
