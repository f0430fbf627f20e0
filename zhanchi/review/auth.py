"""Logging in and out.

The login page is the only page without a session. Failed logins say nothing about
whether the name exists (an unknown name still costs one Argon2 computation), and the
brake in :mod:`zhanchi.review.throttle` slows a guessing client down without locking
the account. Every login, failed login, brake and logout is an event in the log with
the client's address; an unknown name appears there only as a keyed hash, never as
typed (people type passwords into the name box).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.review.audit_log import client_address
from zhanchi.review.passwords import HashingBusyError, hash_password, needs_rehash, verify_password
from zhanchi.review.pending import resume_token
from zhanchi.review.state import LOGIN_CSRF_COOKIE, SESSION_COOKIE, AppState, app_state
from zhanchi.review.templating import render

router = APIRouter()
ANONYMOUS = "anonymous"


def safe_next(target: str | None) -> str:
    """Only a path on this site (``/queue``), never ``//evil`` or ``https://…``.

    >>> safe_next("/cases/3"), safe_next("//evil.example"), safe_next("https://x")
    ('/cases/3', '/queue', '/queue')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def login_page(request: Request, next_url: str, error: str | None, status: int = 200,
               name: str = "", resume: str = "", headers: dict[str, str] | None = None
               ) -> Response:
    """The login form (with a fresh double-submit CSRF cookie)."""
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"next": next_url, "error": error,
                                              "login_csrf": token, "name": name,
                                              "resume": resume}, status=status, headers=headers)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=app_state(request).settings.secure_cookies, path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The login page (a logged-in user goes straight on)."""
    state = app_state(request)
    if state.sessions.get(request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, safe_next(next), None)


def _log_failure(state: AppState, client: str, name: str, known: bool,
                 brakes: list[tuple[str, int]]) -> None:
    who = {"user": name} if known else {"name_key": state.throttle.name_key(name)}
    state.store.append_event("review.login_failed", ANONYMOUS, {"client": client, **who})
    for scope, seconds in brakes:
        state.store.append_event("review.login_throttled", ANONYMOUS, {
            "client": client, "scope": scope, "seconds": seconds, **who})


@router.post("/login")
def login(request: Request, name: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/queue",
          resume: Annotated[str, Form()] = "") -> Response:
    """Check the password; on success start a session and go on to ``next``."""
    state = app_state(request)
    name, client = name.strip()[:255], client_address(request)
    target, resume = safe_next(next), resume_token(resume)
    refusal = state.throttle.check(client, name)
    if refusal is not None:  # not even tried: no hash work for a braked client
        return login_page(request, target, f"登录失败次数过多，请 {refusal.retry_after} 秒后再试。",
                          429, name, resume, {"Retry-After": str(refusal.retry_after)})
    account = state.store.get_user(name) if name else None
    try:
        ok = verify_password(account.password_hash if account else None, password)
    except HashingBusyError:
        return login_page(request, target, "服务器繁忙，请稍后再试。", 503, name, resume,
                          {"Retry-After": "5"})
    if account is None or not ok or not account.active:
        brakes = state.throttle.failed(client, name)
        _log_failure(state, client, name, account is not None,
                     [(b.scope, b.retry_after) for b in brakes])
        return login_page(request, target, "用户名或密码不正确。", 401, name, resume)
    state.throttle.succeeded(client, name)
    if needs_rehash(account.password_hash):
        try:
            state.store.set_password_hash(account.name, hash_password(password))
        except HashingBusyError:
            pass  # re-hashed at a later login
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))  # never reuse a prior session
    token, _ = state.sessions.create(account.id, account.name, account.role)
    state.store.append_event("review.login", account.name, {"client": client})
    if resume:
        target += ("&" if "?" in target else "?") + f"resume={resume}"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=state.settings.secure_cookies, path="/",
                        max_age=int(state.sessions.absolute.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session (its row is deleted server-side)."""
    state = app_state(request)
    user = getattr(request.state, "user", None)
    state.sessions.drop(request.cookies.get(SESSION_COOKIE))
    if user is not None:
        state.store.append_event("review.logout", user.name, {"client": client_address(request)})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
