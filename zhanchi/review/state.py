"""What the review app shares between requests, and the errors its guard raises.

One :class:`AppState` per app: the store, the settings, the login sessions and the
recheck machinery. Route handlers get it (and the logged-in user) from the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from fastapi import Request

from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.review.sessions import ABSOLUTE, IDLE, LoginSession, SessionStore
from zhanchi.review.throttle import LoginThrottle
from zhanchi.store.review_queries import LOCK_IDLE, ReviewStore

T = TypeVar("T")
SESSION_COOKIE = "zhanchi_session"
LOGIN_CSRF_COOKIE = "zhanchi_login_csrf"


@dataclass(frozen=True)
class ReviewSettings:
    """How ``zhanchi review`` was started."""

    db_url: str
    registry_dir: Path | None = None
    as_of: date | None = None
    session_idle: timedelta = IDLE
    session_absolute: timedelta = ABSOLUTE
    lock_idle: timedelta = LOCK_IDLE
    secure_cookies: bool = False  # set when served over HTTPS (behind a proxy)
    page_size: int = 50
    hash_slots: int = 2  # Argon2 computations at once, per server process


@dataclass
class AppState:
    """Everything a request handler needs besides the request."""

    store: ReviewStore
    settings: ReviewSettings
    rechecker: RecheckInputs
    sessions: SessionStore
    throttle: LoginThrottle


class LoginRequiredError(Exception):
    """No live session: the browser goes to the login page."""


class ForbiddenError(Exception):
    """Logged in, but the role does not allow this (supervisor actions)."""

    def __init__(self, message: str = "此操作仅限主管") -> None:
        super().__init__(message)
        self.message = message


class CsrfError(Exception):
    """A state-changing request without the session's CSRF token (or from another site)."""


class BadRequestError(Exception):
    """A parameter outside what the route takes (a number out of range, an unknown zoom)."""

    def __init__(self, message: str = "请求的参数不正确。") -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(Exception):
    """No such case, page image or asset (the same answer for every kind of miss)."""


def choice(value: str | None, allowed: Mapping[str, T], default: T) -> T:
    """A query parameter from a fixed set: absent or empty → ``default``, unknown → 400.

    >>> choice("150", {"100": 100, "150": 150}, 100), choice(None, {"100": 100}, 100)
    (150, 100)
    """
    if not value:
        return default
    if value not in allowed:
        raise BadRequestError()
    return allowed[value]


def app_state(request: Request) -> AppState:
    state = request.app.state.review
    assert isinstance(state, AppState)
    return state


def current_user(request: Request) -> LoginSession:
    """The logged-in user (the guard has set it for every non-public route)."""
    user = getattr(request.state, "user", None)
    if not isinstance(user, LoginSession):
        raise LoginRequiredError()
    return user


def require_supervisor(request: Request) -> LoginSession:
    """The logged-in user, who must be a supervisor."""
    user = current_user(request)
    if not user.is_supervisor:
        raise ForbiddenError()
    return user
