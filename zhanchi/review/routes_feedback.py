"""What reviewers teach back: agency alias suggestions (supervisors) and the QA sample.

``/aliases`` lists the suggested aliases with how often each was made and the guard's
verdict; a supervisor who did not suggest one accepts or rejects it. ``/qa`` lists the
straight-through passes drawn for a second look; any reviewer records whether the pass
was correct or the packet should have been held (with the reason). Every decision is
an event in the log (the store functions write it in the same transaction).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhanchi.review.aliases import review_suggestions
from zhanchi.review.qa import VERDICT_LABELS, false_pass_rate
from zhanchi.review.state import (
    AppState,
    NotFoundError,
    app_state,
    current_user,
    require_supervisor,
)
from zhanchi.review.templating import render
from zhanchi.store.aliases import alias_suggestion, alias_suggestions, decide_alias
from zhanchi.store.qa import QA_SHOULD_HOLD, QA_VERDICTS, qa_item, qa_items, record_qa_verdict
from zhanchi.store.review_queries import ReviewConflictError

router = APIRouter()
MAX_ID = 2**31 - 1  # ids beyond the column's range name nothing
MAX_TEXT = 500
ALIAS_MESSAGES = {"accepted": "别名已采用：新批次和重新检查将按此别名匹配备案机构。",
                  "rejected": "建议已驳回。"}
QA_MESSAGES = {"saved": "复核结论已保存。"}


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFoundError()
    return value


def _as_of(state: AppState) -> date | None:
    return state.settings.as_of


def _aliases_page(request: Request, *, message: str | None = None,
                  errors: dict[int, str] | None = None, status: int = 200) -> Response:
    state = app_state(request)
    reviews = review_suggestions(alias_suggestions(state.store), state.rechecker.registries(),
                                 _as_of(state))
    return render(request, "aliases.html", {"reviews": reviews, "message": message,
                                            "errors": errors or {}}, status=status)


@router.get("/aliases")
def aliases(request: Request, msg: str | None = None) -> Response:
    """Suggested agency aliases, most often made first, with the guard's verdict."""
    require_supervisor(request)
    return _aliases_page(request, message=ALIAS_MESSAGES.get(msg or ""))


@router.post("/aliases/{alias_id}/decision")
def decide(request: Request, alias_id: int, decision: Annotated[str, Form()],
           note: Annotated[str, Form()] = "") -> Response:
    """Accept (the guard permitting) or reject a suggestion; never one's own."""
    user = require_supervisor(request)
    state = app_state(request)
    found = alias_suggestion(state.store, _id(alias_id))
    if found is None:
        raise NotFoundError()
    if decision not in ("accept", "reject"):
        return _aliases_page(request, errors={found.id: "未知的决定"}, status=422)
    if user.name in found.suggested_by:
        return _aliases_page(request, errors={found.id: "这条建议来自您的修改：须由另一位主管决定。"},
                             status=403)
    if decision == "accept":
        refusal = review_suggestions([found], state.rechecker.registries(),
                                     _as_of(state))[0].refusal
        if refusal is not None:
            return _aliases_page(request, errors={found.id: refusal}, status=422)
    try:
        done = decide_alias(state.store, found.id, accept=decision == "accept", actor=user.name,
                            note=note.strip()[:MAX_TEXT] or None)
    except ReviewConflictError as exc:
        why = "须由另一位主管决定。" if exc.reason == "alias_self_decision" else "这条建议已被决定。"
        return _aliases_page(request, errors={found.id: why}, status=409)
    return RedirectResponse(f"/aliases?msg={done.status}", status_code=303)


@router.get("/qa")
def qa_queue(request: Request, msg: str | None = None) -> Response:
    """The QA sample: passes waiting for a second look first, then the judged ones."""
    current_user(request)
    return _qa_page(request, message=QA_MESSAGES.get(msg or ""))


@router.post("/qa/{pk}")
def qa_verdict(request: Request, pk: int, verdict: Annotated[str, Form()],
               reason: Annotated[str, Form()] = "") -> Response:
    """Record the second look at one sampled pass: correct, or should have been held."""
    user = current_user(request)
    state = app_state(request)
    item = qa_item(state.store, _id(pk))
    if item is None:
        raise NotFoundError()
    reason = reason.strip()[:MAX_TEXT]
    if verdict not in QA_VERDICTS:
        return _qa_page(request, item.submission_pk, "请选择复核结论", reason, 422)
    if verdict == QA_SHOULD_HOLD and not reason:
        return _qa_page(request, item.submission_pk, "请写明应转人工审核的理由", reason, 422)
    try:
        record_qa_verdict(state.store, item.submission_pk, verdict, actor=user.name,
                          reason=reason if verdict == QA_SHOULD_HOLD else None)
    except ReviewConflictError:
        return _qa_page(request, item.submission_pk, "此件已有复核结论。", reason, 409)
    return RedirectResponse("/qa?msg=saved", status_code=303)


def _qa_page(request: Request, pk: int | None = None, problem: str | None = None,
             typed: str = "", status: int = 200, message: str | None = None) -> Response:
    store = app_state(request).store
    return render(request, "qa.html", {
        "items": qa_items(store), "rate": false_pass_rate(store), "labels": VERDICT_LABELS,
        "message": message, "errors": {pk: problem} if pk and problem else {},
        "form": {pk: typed} if pk else {}}, status=status)
