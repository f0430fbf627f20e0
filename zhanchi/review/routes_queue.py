"""The queue page and the case locks: list, filter, claim, next case, release.

Claiming is a POST (it changes who may work a case); the queue itself is a plain GET
with the filter in its query string, so a filtered view can be bookmarked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.review.auth import safe_next
from zhanchi.review.queue import QueueFilter, find_case, is_queued, next_open_case, queue_page
from zhanchi.review.state import ForbiddenError, NotFoundError, app_state, current_user
from zhanchi.review.templating import render
from zhanchi.store.review_queries import ReviewConflictError

router = APIRouter()

MESSAGES = {
    "empty": "队列中没有可认领的案件。",
    "released": "已释放案件。",
    "decided": "决定已保存。",
    "not_open": "该案件已不在待审队列中。",
    "not_found": "没有这个提交编号。",
}


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue(request: Request, reason: str | None = None, batch: str | None = None,
          date_from: Annotated[str | None, Query(alias="from")] = None, to: str | None = None,
          page: str | None = None, msg: str | None = None, view: str | None = None,
          sort: str | None = None, order: str | None = None) -> Response:
    """Open cases, nearest application deadline first, with counts per reason; sortable
    by any column (``sort=``, ``order=desc``); ``view=mine``: the cases I hold;
    ``view=waiting``: the cases waiting for more documents."""
    user = current_user(request)
    state = app_state(request)
    flt = QueueFilter.parse(reason, batch, date_from, to, page, view, sort, order, user.name)
    data = queue_page(state.store, flt, state.settings.page_size)
    return render(request, "queue.html", {"q": data, "flt": flt, "message": MESSAGES.get(msg or "")})


@router.get("/find")
def find(request: Request, id: str = "") -> Response:
    """Open a case by its submission id (the newest revision)."""
    current_user(request)
    pk = find_case(app_state(request).store, id) if id.strip() else None
    if pk is None:
        return RedirectResponse("/queue?msg=not_found", status_code=303)
    return RedirectResponse(f"/cases/{pk}", status_code=303)


@router.post("/queue/next")
def next_case(request: Request, reason: Annotated[str, Form()] = "",
              batch: Annotated[str, Form()] = "", date_from: Annotated[str, Form(alias="from")] = "",
              to: Annotated[str, Form()] = "", sort: Annotated[str, Form()] = "",
              order: Annotated[str, Form()] = "", view: Annotated[str, Form()] = "") -> Response:
    """Claim the first free case of the (filtered, sorted) queue and open it."""
    user = current_user(request)
    store = app_state(request).store
    flt = QueueFilter.parse(reason, batch, date_from, to, 1, view, sort, order, user.name)
    tried: set[int] = set()
    # Another reviewer may win the race for a case: take the next, until none is left
    # untried (a fixed number of tries said "empty" to 1 of 20 reviewers under load).
    while (pk := next_open_case(store, flt, user.name, tried)) is not None:
        try:
            if store.claim_case(pk, user.name, idle=app_state(request).settings.lock_idle).ok:
                return RedirectResponse(f"/cases/{pk}", status_code=303)
        except ReviewConflictError:
            pass
        tried.add(pk)
    return RedirectResponse("/queue?msg=empty", status_code=303)


@router.post("/cases/{pk}/claim")
def claim(request: Request, pk: int) -> Response:
    """Lock a case for the current reviewer; 409 when someone else holds it."""
    user = current_user(request)
    state = app_state(request)
    if state.store.get_submission(pk) is None:
        raise NotFoundError()
    if not is_queued(state.store, pk):
        return render(request, "error.html", {"title": "无法认领",
                                              "message": MESSAGES["not_open"]}, status=409)
    try:
        outcome = state.store.claim_case(pk, user.name, idle=state.settings.lock_idle)
    except ReviewConflictError:
        return render(request, "error.html", {"title": "无法认领",
                                              "message": MESSAGES["not_open"]}, status=409)
    if not outcome.ok:
        return render(request, "error.html", {
            "title": "案件已被认领", "message": f"该案件已由 {outcome.holder} 认领，"
            "空闲 15 分钟后或经主管解除后才能再认领。", "back": f"/cases/{pk}"}, status=409)
    return RedirectResponse(f"/cases/{pk}", status_code=303)


@router.post("/cases/{pk}/release")
def release(request: Request, pk: int, next: Annotated[str, Form()] = "/queue") -> Response:
    """Give up one's own lock; a supervisor may break anyone's."""
    user = current_user(request)
    store = app_state(request).store
    lock = store.case_lock(pk)
    if lock is None:
        return RedirectResponse(safe_next(next), status_code=303)
    if lock.reviewer != user.name and not user.is_supervisor:
        raise ForbiddenError("只有认领人或主管可以释放此案件")
    store.release_case(pk, user.name, force=user.is_supervisor)
    target = safe_next(next)
    return RedirectResponse(target + ("&" if "?" in target else "?") + "msg=released",
                            status_code=303)
