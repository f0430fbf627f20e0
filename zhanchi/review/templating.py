"""Server-rendered pages: the Jinja2 environment, its filters, and ``render``.

Templates ship inside the package (``zhanchi/review/templates``) and autoescape
everything, so a value read from a scan can never become markup.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from zhanchi.review import labels
from zhanchi.review.assets import asset_version
from zhanchi.review.decisions import REJECT_REASONS
from zhanchi.review.masking import mask_ids
from zhanchi.review.messages import plain_message, technical_message
from zhanchi.store.types import utcnow


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one template environment (templates are compiled once per process)."""
    env = Environment(loader=PackageLoader("zhanchi.review", "templates"),
                      autoescape=select_autoescape(("html", "svg")), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        cn_date=labels.cn_date, cn_datetime=labels.cn_datetime, reason=labels.reason_label,
        status=lambda s: labels.STATUS_LABELS.get(s, s),
        decision=lambda d: labels.DECISION_LABELS.get(d, d),
        role=lambda r: labels.ROLE_LABELS.get(r, r),
        check_status=lambda s: labels.CHECK_STATUS_LABELS.get(s, s),
        waited=lambda since: labels.waited(since, utcnow()),
        duration=lambda delta: labels.waited(utcnow() - delta, utcnow()),
        percent=lambda x: f"{100 * x:.1f}%",
        qs=lambda params: urlencode(params),
        mask_ids=mask_ids, plain=plain_message, technical=technical_message,
    )
    env.globals.update(reason_labels=labels.REASON_LABELS, level_labels=labels.LEVEL_LABELS,
                       asset=asset_version, reject_reasons=REJECT_REASONS,
                       lock_seconds=_lock_seconds)
    return env


def _lock_seconds(request: Request) -> int:
    """The case lock's idle time in seconds (the lock warning counts down from it)."""
    return int(request.app.state.review.settings.lock_idle.total_seconds())


def render(request: Request, template: str, context: dict[str, Any], *,
           status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page (or an htmx fragment) with the user and CSRF token in its context."""
    user = getattr(request.state, "user", None)
    page = environment().get_template(template).render(
        request=request, user=user, csrf_token=user.csrf if user is not None else "",
        path=request.url.path, **context)
    return HTMLResponse(page, status_code=status, headers=headers)


def is_htmx(request: Request) -> bool:
    """True for a partial-update request from htmx (answer with a fragment)."""
    return request.headers.get("hx-request") == "true"
