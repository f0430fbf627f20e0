"""What the review app writes to the event log besides the case actions themselves.

Looking at personal data is an action too: every page image served, every case page
(with whether the full ID number was on it), and every refused request (403) is an
entry of the hash-chained log, naming who, from which address, and which submission,
never the data itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from zhanchi.review.form_input import clean_text
from zhanchi.review.state import app_state

IMAGE_EVENT = "review.image_view"
REFUSAL_EVENT = "review.refused"
ANONYMOUS = "（未登录）"


def client_address(request: Request) -> str:
    """The client's address (the proxy's view of it when ``--trusted-proxy`` is set)."""
    return request.client.host if request.client else "unknown"


def image_submission(request: Request, sha256: str) -> int | None:
    """The (first) submission a page image belongs to, for the view's log entry."""
    return app_state(request).store.image_submission(sha256)


def log_image_view(request: Request, actor: str, sha256: str) -> None:
    """A page image was served to ``actor``."""
    pk = image_submission(request, sha256)
    app_state(request).store.append_event(IMAGE_EVENT, actor, {
        "page_sha256": sha256, "client": client_address(request)}, pk)


def log_refusal(request: Request, status: int, why: str) -> None:
    """A request was refused (``why``: ``forbidden`` or ``csrf``); never raises."""
    user = getattr(request.state, "user", None)
    payload: dict[str, Any] = {"status": status, "why": why, "method": request.method,
                               "path": clean_text(request.url.path)[:200],
                               "client": client_address(request)}
    try:
        app_state(request).store.append_event(REFUSAL_EVENT, getattr(user, "name", ANONYMOUS),
                                              payload)
    except Exception:  # noqa: BLE001 - the refusal page must still be served
        import logging

        logging.getLogger("zhanchi.review").warning("could not log a refused request")
