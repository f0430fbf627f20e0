"""The case view and what a reviewer does there: correct a field, recheck, decide.

Every full view, edit and decision is an event with the reviewer's name. Edits,
rechecks and decisions are case transitions (:mod:`zhanchi.store.case_state`): the
lock, the case's state and — for a decision — the case version the page showed are
checked in the same transaction that makes the change, and an edit and its recheck
are one transaction. After a decision nothing changes until a supervisor reopens the
case (audited). Each POST answers htmx with the changed fragment (the side panel)
and a plain browser with a redirect back to the case (POST → redirect → GET), so
everything works without JavaScript too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.pipeline.recheck import Part, recheck_case, recheck_in
from zhanchi.review.aliases import note_agency_correction
from zhanchi.review.case import CaseView, load_case, load_parts
from zhanchi.review.case_outcome import (
    CaseOutcome,
    ExportMark,
    case_exported,
    case_outcome,
    mask_case,
)
from zhanchi.review.decisions import DecisionProblem, check_decision, claim_key_for
from zhanchi.review.editing import EditRejectedError, normalise_input
from zhanchi.review.labels import FIELD_ORDER
from zhanchi.review.pending import resume_case
from zhanchi.review.queue import is_queued
from zhanchi.review.sessions import LoginSession
from zhanchi.review.state import (
    AppState,
    NotFoundError,
    app_state,
    choice,
    current_user,
    require_supervisor,
)
from zhanchi.review.templating import is_htmx, render
from zhanchi.store import STATUS_APPROVED, STATUS_REJECTED, STATUS_WAITING, StoredSubmission
from zhanchi.store.case_state import CaseClosedError, NotHolderError, StaleCaseError
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.types import utcnow

router = APIRouter()
ZOOMS = (50, 75, 100, 150, 200)
MESSAGES = {"decided": "决定已保存。", "saved": "已保存，检查已重新运行。",
            "rechecked": "检查已重新运行。", "unchanged": "值未改变。",
            "reopened": "案件已重新打开，回到待审队列。"}
DECIDED = (STATUS_APPROVED, STATUS_REJECTED, STATUS_WAITING)
MAX_VERSION_DIGITS = 9


def conflict_message(exc: ReviewConflictError) -> str:
    """What a refused case transition tells the reviewer."""
    if isinstance(exc, StaleCaseError):
        return "您打开此页面后，案件的字段或检查结果已有变化：请查看最新内容后再做决定。"
    if isinstance(exc, CaseClosedError):
        return "此案件已有决定，字段、检查和认领都不能再更改；如需更改，请主管重新打开。"
    if isinstance(exc, NotHolderError):
        return "请先认领此案件（或认领已超时）。"
    return "此案件已被决定，或不在您的认领之下。"


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


@dataclass
class _PageData:
    """What the case page shows, read on one connection (``view`` is None when the
    packet was merged into another case or its checks predate a linked supplement)."""

    version: int
    sub: StoredSubmission
    merged_into: int | None
    stale: bool
    view: CaseView | None = None
    queued: bool = False
    outcome: CaseOutcome | None = None
    exported: ExportMark | None = None
    has_registries: bool = False


def _read_page(state: AppState, pk: int, *, follow: bool) -> _PageData:
    """Every read of the page in one reader: the version first, so a change made after
    the data was read shows as stale. With ``follow``, a merged supplement or a stale
    case stops early (the caller redirects or rechecks)."""
    store = state.store
    with store.reader("case_page"):
        version = store.case_version(pk)
        sub = _case_sub(state, pk)
        merged_into = store.case_of_supplement(pk)
        parts = load_parts(store, pk, sub)
        data = _PageData(version, sub, merged_into, _stale(state, pk, parts))
        if follow and (merged_into is not None or data.stale):
            return data
        data.view = load_case(store, pk, parts, state.rechecker.policy(pk), sub,
                              case_of=merged_into)
        data.queued = is_queued(store, pk)
        data.outcome, data.exported = case_outcome(store, pk), case_exported(store, pk)
        data.has_registries = state.rechecker.has_registries()
    return data


def _page(request: Request, pk: int, user: LoginSession, *, selected: str | None = None,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          message: str | None = None, status: int = 200, fragment: bool = False,
          zoom: int = 100, log_view: bool = False, data: _PageData | None = None) -> Response:
    state = app_state(request)
    store = state.store
    data = data or _read_page(state, pk, follow=False)
    assert data.view is not None  # only a followed read stops before the view
    view = data.view
    mine = view.lock is not None and view.lock.reviewer == user.name
    with store.transaction("case_page_seen"):  # the lock kept alive and the view logged
        live = mine and store.touch_case_lock(pk, user.name, idle=state.settings.lock_idle)
        if log_view:  # who saw the full ID number of which submission (never the number)
            store.append_event("review.view", user.name, {"id_number_shown": live}, pk)
    if not live:
        view = mask_case(view)
    context: dict[str, Any] = {
        "outcome": data.outcome, "id_shown": live, "exported": data.exported,
        "case": view, "pk": pk, "queued": data.queued, "editable": data.queued and live,
        "lock_expired": view.lock is not None and view.lock.expired(utcnow(),
                                                                    state.settings.lock_idle),
        "selected": selected or (view.fields[0].key if view.fields else None),
        "errors": errors or {}, "form": form or {}, "message": message, "zooms": ZOOMS,
        "zoom": zoom if zoom in ZOOMS else 100, "version": data.version,
        "decided": data.sub.status in DECIDED, "has_registries": data.has_registries}
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
              msg: str | None = None, zoom: str | None = None,
              resume: str | None = None) -> Response:
    """The case: pages beside fields, checks, decision, history (a view event is logged)."""
    user = current_user(request)
    state = app_state(request)
    level = choice(zoom, {str(z): z for z in ZOOMS}, 100)
    data = _read_page(state, pk, follow=True)
    if data.merged_into is not None:
        return RedirectResponse(f"/cases/{data.merged_into}#packet-{pk}", status_code=303)
    kept, note = resume_case(state, pk, user, resume)  # may claim the case again
    if data.stale:
        try:
            recheck_case(state.store, pk, state.rechecker, actor="system",
                         kind="review.recheck", after="supplement")
        except ReviewConflictError:
            pass  # decided meanwhile: its checks stay as they were decided on
    if data.stale or kept is not None or note is not None:
        data = _read_page(state, pk, follow=False)  # what changed above is shown
    return _page(request, pk, user, selected=field, message=note or MESSAGES.get(msg or ""),
                 zoom=level, form=kept, log_view=True, data=data)


@router.post("/cases/{pk}/fields")
def edit_field(request: Request, pk: int, packet: Annotated[int, Form()],
               document: Annotated[int, Form()], name: Annotated[str, Form()],
               value: Annotated[str, Form()] = "") -> Response:
    """Correct one field; the checks re-run at once and the new result is shown."""
    user = current_user(request)
    state = app_state(request)
    with state.store.reader("edit_form"):
        _case_sub(state, pk)
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
    try:  # the lock, the state, the edit and its recheck: one transaction
        with state.store.case_change(pk, actor=user.name, holder=user.name,
                                     idle=state.settings.lock_idle, operation="edit_field") as tx:
            tx.edit_field(packet, document, name, new)
            recheck_in(tx, state.rechecker, kind="review.recheck", after="field_edit")
    except ReviewConflictError as exc:
        return _conflict(request, pk, conflict_message(exc))
    note_agency_correction(state, pk, doc.type, name, old, new, actor=user.name)
    return _after_post(request, pk, user, "saved", key)


@router.post("/cases/{pk}/recheck")
def recheck(request: Request, pk: int) -> Response:
    """Run the checks again (e.g. after a registry import), without changing a field."""
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    try:
        recheck_case(state.store, pk, state.rechecker, actor=user.name, kind="review.recheck",
                     after="request", holder=user.name)
    except ReviewConflictError as exc:
        return _conflict(request, pk, conflict_message(exc))
    return _after_post(request, pk, user, "rechecked")


@router.post("/cases/{pk}/decision")
def decide(request: Request, pk: int, decision: Annotated[str, Form()],
           reason: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
           version: Annotated[str, Form()] = "") -> Response:
    """Approve, reject (reason required) or request more documents (what is needed).

    ``version`` is the case version the reviewer's page showed: the decision is refused
    (409) when fields, checks or packets changed since.
    """
    user = current_user(request)
    state = app_state(request)
    _case_sub(state, pk)
    if not version.isdigit() or len(version) > MAX_VERSION_DIGITS:
        return _conflict(request, pk, "页面缺少案件版本，请刷新页面、查看最新内容后再做决定。")
    try:
        with state.store.case_change(pk, actor=user.name, holder=user.name,
                                     idle=state.settings.lock_idle, version=int(version),
                                     operation="decide_case") as tx:
            _, checks = tx.checks()
            reason_text, note_text = check_decision(decision, reason, note, checks)
            tx.decide(decision, reason=reason_text, note=note_text,
                      claim_key=claim_key_for(tx.parts()))
    except DecisionProblem as exc:
        return _page(request, pk, user, errors={"decision": exc.message},
                     form={"decision": decision, "reason": reason, "note": note}, status=422,
                     fragment=is_htmx(request))
    except ReviewConflictError as exc:
        return _conflict(request, pk, conflict_message(exc))
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": f"/cases/{pk}?msg=decided"})
    return RedirectResponse(f"/cases/{pk}?msg=decided", status_code=303)


@router.post("/cases/{pk}/reopen")
def reopen(request: Request, pk: int, reason: Annotated[str, Form()] = "") -> Response:
    """A supervisor puts a decided case back in the queue (reason required, audited)."""
    user = require_supervisor(request)
    state = app_state(request)
    _case_sub(state, pk)
    text = reason.strip()[:500]
    if not text:
        return _page(request, pk, user, errors={"reopen": "重新打开须填写理由"}, status=422)
    try:
        with state.store.case_change(pk, actor=user.name, states=DECIDED,
                                     operation="reopen_case") as tx:
            tx.reopen(text)
    except ReviewConflictError:
        return _conflict(request, pk, "此案件尚未决定，无需重新打开。")
    return RedirectResponse(f"/cases/{pk}?msg=reopened", status_code=303)
