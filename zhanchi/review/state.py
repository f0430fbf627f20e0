"""What the review app shares between requests, and the errors its guard raises.

One :class:`AppState` per app: the store, the settings, the login sessions and the
recheck machinery. Route handlers get it (and the logged-in user) from the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fastapi import Request

from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.review.sessions import LoginSession, LoginThrottle, SessionStore
from zhanchi.store.review_queries import LOCK_IDLE, ReviewStore

SESSION_COOKIE = "zhanchi_session"
LOGIN_CSRF_COOKIE = "zhanchi_login_csrf"


@dataclass(frozen=True)
class ReviewSettings:
    """How ``zhanchi review`` was started."""

    db_url: str
    registry_dir: Path | None = None
    as_of: date | None = None
    session_idle: timedelta = timedelta(minutes=30)
    lock_idle: timedelta = LOCK_IDLE
    secure_cookies: bool = False  # set when served over HTTPS (behind a proxy)
    page_size: int = 50


@dataclass
class AppState:
    """Everything a request handler needs besides the request."""

    store: ReviewStore
    settings: ReviewSettings
    rechecker: RecheckInputs
    sessions: SessionStore = field(default_factory=SessionStore)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


class LoginRequiredError(Exception):
    """No live session: the browser goes to the login page."""


class ForbiddenError(Exception):
    """Logged in, but the role does not allow this (supervisor actions)."""

    def __init__(self, message: str = "此操作仅限主管") -> None:
        super().__init__(message)
        self.message = message


class CsrfError(Exception):
    """A state-changing request without the session's CSRF token (or from another site)."""


class NotFoundError(Exception):
    """No such case, page image or asset (the same answer for every kind of miss)."""


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
