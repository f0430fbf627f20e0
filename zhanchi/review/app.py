"""The review web app: one FastAPI application wired from small routers.

``create_app(settings)`` opens the store (or takes one, for tests) and installs the
guard (login + CSRF) as an app-wide dependency, the error pages, the security
headers, and a ``Server-Timing`` header with the server's time per request (what
``benchmarks/bench_review.py`` reports).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response

from zhanchi.review import (
    assets,
    auth,
    routes_case,
    routes_feedback,
    routes_queue,
    routes_reports,
)
from zhanchi.review.guard import guard, install_error_pages
from zhanchi.review.recheck import Rechecker
from zhanchi.review.sessions import SessionStore
from zhanchi.review.state import AppState, ReviewSettings
from zhanchi.store.review_queries import ReviewStore

log = logging.getLogger("zhanchi.review")

# Everything is served by the app itself; no inline scripts, no external hosts.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(settings: ReviewSettings, store: ReviewStore | None = None) -> FastAPI:
    """The app serving the store at ``settings.db_url`` (or ``store``)."""
    if store is None:
        store = ReviewStore.open(settings.db_url)
    rechecker = Rechecker(store, settings.registry_dir, settings.as_of)
    state = AppState(store=store, settings=settings, rechecker=rechecker,
                     sessions=SessionStore(idle=settings.session_idle))
    if not rechecker.has_registries():
        log.warning("no registries (--registry DIR or zhanchi registry import): rechecks "
                    "will report registry_unavailable")
    app = FastAPI(title="zhanchi 审核", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.state.review = state
    for module in (auth, assets, routes_queue, routes_case, routes_reports, routes_feedback):
        app.include_router(module.router)
    install_error_pages(app)

    @app.middleware("http")
    async def headers(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app
