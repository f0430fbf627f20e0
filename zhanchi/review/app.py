"""The review web app: one FastAPI application wired from small routers.

``create_app(settings)`` opens the store (or takes one, for tests) and installs the
boundary cleaning of query strings and forms, the guard (login, CSRF, parameter
ranges) as an app-wide dependency, the error pages, the security headers on every
answer (error pages and 500s included), and a ``Server-Timing`` header with the
server's time per request (what ``benchmarks/bench_review.py`` reports).

``app_from_environment`` builds the same app from ``ZHANCHI_REVIEW_SETTINGS`` (JSON):
it is what each worker process imports when ``zhanchi review --workers N`` runs.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response

from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.review import (
    assets,
    auth,
    routes_case,
    routes_feedback,
    routes_queue,
    routes_reports,
)
from zhanchi.review.error_pages import install_error_pages, refuse_input, server_error
from zhanchi.review.form_input import FormInputMiddleware
from zhanchi.review.guard import guard
from zhanchi.review.passwords import use_hash_slots
from zhanchi.review.sessions import SessionStore
from zhanchi.review.state import AppState, ReviewSettings
from zhanchi.review.throttle import LoginThrottle
from zhanchi.store.review_queries import ReviewStore

log = logging.getLogger("zhanchi.review")
SETTINGS_ENV = "ZHANCHI_REVIEW_SETTINGS"

# Everything is served by the app itself; no inline scripts, no external hosts.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_headers(response: Response, path: str) -> Response:
    """The headers every answer carries (pages, downloads, errors alike)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if not (path.startswith("/static/") and response.status_code in (200, 304)):
        response.headers.setdefault("Cache-Control", "no-store")  # assets alone are cached
    return response


def create_app(settings: ReviewSettings, store: ReviewStore | None = None) -> FastAPI:
    """The app serving the store at ``settings.db_url`` (or ``store``)."""
    if store is None:
        store = ReviewStore.open(settings.db_url)
    use_hash_slots(settings.hash_slots)
    rechecker = RecheckInputs(store, settings.registry_dir, settings.as_of)
    state = AppState(store=store, settings=settings, rechecker=rechecker,
                     sessions=SessionStore(store, idle=settings.session_idle,
                                           absolute=settings.session_absolute),
                     throttle=LoginThrottle(store))
    if not rechecker.has_registries():
        log.warning("no registries (--registry DIR or zhanchi registry import): rechecks "
                    "will report registry_unavailable")
    app = FastAPI(title="zhanchi 审核", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.state.review = state
    for module in (auth, assets, routes_queue, routes_case, routes_reports, routes_feedback):
        app.include_router(module.router)
    install_error_pages(app)
    app.add_middleware(FormInputMiddleware, refuse=refuse_input)  # inside the headers

    @app.middleware("http")
    async def headers(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:  # a bug: a 500 page with headers, not a reset connection
            response = server_error(request, exc)
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return security_headers(response, request.url.path)

    return app


def settings_to_environment(settings: ReviewSettings) -> str:
    """``settings`` as the JSON text :func:`app_from_environment` reads back."""
    def plain(value: Any) -> Any:
        if isinstance(value, timedelta):
            return value.total_seconds()
        if isinstance(value, (date, Path)):
            return str(value)
        return value
    return json.dumps({k: plain(v) for k, v in asdict(settings).items()})


def app_from_environment() -> FastAPI:
    """The app for one worker process of ``zhanchi review --workers N``."""
    raw = json.loads(os.environ[SETTINGS_ENV])
    for key in ("session_idle", "session_absolute", "lock_idle"):
        raw[key] = timedelta(seconds=raw[key])
    raw["registry_dir"] = Path(raw["registry_dir"]) if raw["registry_dir"] else None
    raw["as_of"] = date.fromisoformat(raw["as_of"]) if raw["as_of"] else None
    return create_app(ReviewSettings(**raw))
