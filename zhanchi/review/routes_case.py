"""The case view and what a reviewer does there: correct a field, recheck, decide.

Every full view, edit and decision is an event with the reviewer's name. Edits and
decisions need the case's lock. Each POST answers htmx with the changed fragment
(the side panel) and a plain browser with a redirect back to the case (POST →
redirect → GET), so everything works without JavaScript too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.review.aliases import note_agency_correction
from zhanchi.review.case import CaseView, load_case, load_parts
from zhanchi.review.decisions import DecisionProblem, check_decision, claim_key_for
from zhanchi.review.editing import EditRejectedError, normalise_input
from zhanchi.review.labels import FIELD_ORDER
from zhanchi.review.queue import is_queued
from zhanchi.review.recheck import Part
from zhanchi.review.sessions import LoginSession
from zhanchi.review.state import AppState, NotFoundError, app_state, current_user
from zhanchi.review.templating import is_htmx, render
from zhanchi.store import StoredSubmission
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.types import utcnow

router = APIRouter()
ZOOMS = (50, 75, 100, 150, 200)
MESSAGES = {"decided": "决定已保存。", "saved": "已保存，检查已重新运行。",
            "rechecked": "检查已重新运行。", "unchanged": "值未改变。"}


def _case_sub(state: AppState, pk: int) -> StoredSubmission:
    sub = state.store.get_submission(pk)
    if sub is None or sub.result_json is None:
        raise NotFoundError()
    return sub


def _stale(state: AppState, pk: int, parts: list[Part]) -> bool:
    """True when supplements were linked since the case's checks last ran."""
    if len(parts) < 2:
        return False
    runs = [e for e in state.store.history(pk) if e.kind == "review.recheck"]
    return not runs or set(runs[-1].payload.get("packets", [])) != {p.pk for p in parts}


def _page(request: Request, pk: int, user: LoginSession, *, selected: str | None = None,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          message: str | None = None, status: int = 200, fragment: bool = False,
          zoom: int = 100) -> Response:
    state = app_state(request)
    sub = _case_sub(state, pk)
    parts = load_parts(state.store, pk)
    view: CaseView = load_case(state.store, pk, parts, state.rechecker.policy(pk), sub)
    queued = is_queued(state.store, pk)
    live = view.lock is not None and view.lock.reviewer == user.name and \
        state.store.touch_case_lock(pk, user.name, idle=state.settings.lock_idle)
    context: dict[str, Any] = {
        "case": view, "pk": pk, "queued": queued, "editable": queued and live,
        "lock_expired": view.lock is not None and view.lock.expired(utcnow(),
                                                                    state.settings.lock_idle),
        "selected": selected or (view.fields[0].key if view.fields else None),
        "errors": errors or {}, "form": form or {}, "message": message, "zooms": ZOOMS,
        "zoom": zoom if zoom in ZOOMS else 100,
        "has_registries": state.rechecker.has_registries()}
    return render(request, "case_side.html" if fragment else "case.html", context,
                  status=status)


def _after_post(request: Request, pk: int, user: LoginSession, msg: str,
                selected: str | None = None) -> Response:
    if is_htmx(request):
        return _page(request, pk, user, selected=selected, message=MESSAGES[msg], fragment=True)
    anchor = f"&field={selected}#{selected}" if selected else ""
    return RedirectResponse(f"/cases/{pk}?msg={msg}{anchor}", status_code=303)


def _conflict(request: Request, pk: int, message: str) -> Response:
    return render(request, "error.html", {"title": "无法操作", "message": message,
                                          "back": f"/cases/{pk}"}, status=409)


@router.get("/cases/{pk}")
def case_view(request: Request, pk: int, field: str | None = None,
              msg: str | None = None, zoom: str | None = None) -> Response:
    """The case: pages beside fields, checks, decision, history (a view event is logged)."""
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    merged_into = state.store.case_of_supplement(pk)
    if merged_into is not None:
        return RedirectResponse(f"/cases/{merged_into}#packet-{pk}", status_code=303)
    parts = load_parts(state.store, pk)
    if _stale(state, pk, parts):
        state.rechecker.recheck(pk, parts, actor="system", after="supplement")
    state.store.append_event("review.view", user.name, {}, pk)
    level = int(zoom) if zoom and zoom.isdigit() else 100
    return _page(request, pk, user, selected=field, message=MESSAGES.get(msg or ""), zoom=level)


@router.post("/cases/{pk}/fields")
def edit_field(request: Request, pk: int, packet: Annotated[int, Form()],
               document: Annotated[int, Form()], name: Annotated[str, Form()],
               value: Annotated[str, Form()] = "") -> Response:
    """Correct one field; the checks re-run at once and the new result is shown."""
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    if not state.store.touch_case_lock(pk, user.name, idle=state.settings.lock_idle):
        return _conflict(request, pk, "请先认领此案件再修改字段（或认领已超时）。")
    parts = {p.pk: p for p in load_parts(state.store, pk)}
    part = parts.get(packet)
    if part is None or not 0 <= document < len(part.documents):
        raise NotFoundError()
    doc = part.documents[document]
    if name not in FIELD_ORDER.get(doc.type, ()) and name not in doc.fields:
        raise NotFoundError()
    key = f"f{packet}-{document}-{name}"
    try:
        new = normalise_input(name, value)
    except EditRejectedError as exc:
        return _page(request, pk, user, selected=key, errors={key: exc.message},
                     form={key: value}, status=422, fragment=is_htmx(request))
    old = doc.fields[name].value if name in doc.fields else None
    if old == new and type(old) is type(new):
        return _after_post(request, pk, user, "unchanged", key)
    state.store.edit_field(packet, document, name, new, actor=user.name)
    state.rechecker.recheck(pk, load_parts(state.store, pk), actor=user.name, after="field_edit")
    note_agency_correction(state, pk, doc.type, name, old, new, actor=user.name)
    return _after_post(request, pk, user, "saved", key)


@router.post("/cases/{pk}/recheck")
def recheck(request: Request, pk: int) -> Response:
    """Run the checks again (e.g. after a registry import), without changing a field."""
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    if not state.store.touch_case_lock(pk, user.name, idle=state.settings.lock_idle):
        return _conflict(request, pk, "请先认领此案件。")
    state.rechecker.recheck(pk, load_parts(state.store, pk), actor=user.name, after="request")
    return _after_post(request, pk, user, "rechecked")


@router.post("/cases/{pk}/decision")
def decide(request: Request, pk: int, decision: Annotated[str, Form()],
           reason: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "") -> Response:
    """Approve, reject (reason required) or request more documents (what is needed)."""
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    parts = load_parts(state.store, pk)
    _, checks = state.store.checks(pk)
    try:
        reason_text, note_text = check_decision(decision, reason, note, checks)
    except DecisionProblem as exc:
        return _page(request, pk, user, errors={"decision": exc.message},
                     form={"decision": decision, "reason": reason, "note": note}, status=422,
                     fragment=is_htmx(request))
    try:
        state.store.decide_case(pk, decision, reviewer=user.name, reason=reason_text,
                                note=note_text, claim_key=claim_key_for(parts),
                                supplements=[p.pk for p in parts[1:]],
                                idle=state.settings.lock_idle)
    except ReviewConflictError:
        return _conflict(request, pk, "此案件已被决定，或不在您的认领之下。")
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": f"/cases/{pk}?msg=decided"})
    return RedirectResponse(f"/cases/{pk}?msg=decided", status_code=303)
