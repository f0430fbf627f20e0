"""Logging in and out.

The login page is the only page without a session. Failed logins say nothing about
whether the name exists, and a name with too many failures is paused for a while.
Each login and logout is an event in the log (with the account name only).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.review.passwords import hash_password, needs_rehash, verify_password
from zhanchi.review.state import LOGIN_CSRF_COOKIE, SESSION_COOKIE, app_state
from zhanchi.review.templating import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site (``/queue``), never ``//evil`` or ``https://…``.

    >>> safe_next("/cases/3"), safe_next("//evil.example"), safe_next("https://x")
    ('/cases/3', '/queue', '/queue')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _login_page(request: Request, next_url: str, error: str | None, status: int = 200,
                name: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"next": next_url, "error": error,
                                              "login_csrf": token, "name": name},
                      status=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=app_state(request).settings.secure_cookies, path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The login page (a logged-in user goes straight on)."""
    state = app_state(request)
    if state.sessions.get(request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next), None)


@router.post("/login")
def login(request: Request, name: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/queue") -> Response:
    """Check the password; on success start a session and go on to ``next``."""
    state = app_state(request)
    name = name.strip()[:255]
    if state.throttle.blocked(name):
        return _login_page(request, safe_next(next), "登录失败次数过多，请 5 分钟后再试。", 429,
                           name)
    account = state.store.get_user(name) if name else None
    ok = verify_password(account.password_hash if account else None, password)
    if account is None or not ok or not account.active:
        state.throttle.failed(name)
        return _login_page(request, safe_next(next), "用户名或密码不正确。", 401, name)
    state.throttle.succeeded(name)
    if needs_rehash(account.password_hash):
        state.store.set_password_hash(account.name, hash_password(password))
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))  # never reuse a prior session
    token, _ = state.sessions.create(account.id, account.name, account.role)
    state.store.append_event("review.login", account.name, {})
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=state.settings.secure_cookies, path="/",
                        max_age=int(state.sessions.absolute.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session (the token is forgotten server-side)."""
    state = app_state(request)
    user = getattr(request.state, "user", None)
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))
    if user is not None:
        state.store.append_event("review.logout", user.name, {})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
