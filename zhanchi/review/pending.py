"""A decision typed just after the session expired is kept, not lost.

When a form arrives without a live session but with the CSRF token of its author's
expired session (so it came from their own page, not from another site), its text
fields are stored under a one-time token (``pending_forms``: only the token's digest).
The login page carries the token; after logging in as the same account the reviewer
lands on the case again with the form filled in, the case re-claimed when nobody
else took it meanwhile. A kept form lives ``KEEP_FOR`` and is read once.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from zhanchi.review.sessions import LoginSession, token_digest
from zhanchi.store.core import StoreCore
from zhanchi.store.logins import keep_pending_form, take_pending_form
from zhanchi.store.review_queries import ReviewConflictError
from zhanchi.store.types import utcnow

if TYPE_CHECKING:
    from zhanchi.review.state import AppState

KEEP_FOR = timedelta(hours=1)
MAX_PER_USER = 20
# Routes whose form is worth keeping, and the page to return to (the case).
KEPT_ROUTES = frozenset({"/cases/{pk}/decision"})
KEPT_FIELDS = ("decision", "reason", "note")
MAX_FIELD = 2000


def keep_form(store: StoreCore, user_id: int, path: str, fields: dict[str, str]) -> str:
    """Store the form's text for ``user_id``; the token to hand back after login."""
    token, now = secrets.token_urlsafe(24), utcnow()
    payload = {k: fields[k][:MAX_FIELD] for k in KEPT_FIELDS if k in fields}
    keep_pending_form(store, token_digest(token), user_id, path[:255],
                      json.dumps(payload, ensure_ascii=False), now,
                      forget_before=now - KEEP_FOR, max_per_user=MAX_PER_USER)
    return token


def take_form(store: StoreCore, token: str | None, user_id: int, path: str) -> dict[str, str] | None:
    """The kept form for this user and page (then forgotten), or None."""
    if not token or len(token) > 100:
        return None
    taken = take_pending_form(store, token_digest(token), user_id, path)
    if taken is None:
        return None
    payload, created_at = taken
    if created_at < utcnow() - KEEP_FOR:
        return None
    data = json.loads(payload)
    return {str(k): str(v) for k, v in data.items() if k in KEPT_FIELDS}


def resume_token(value: str | None) -> str:
    """A token safe to put back into a page or URL (token characters only), else ``""``.

    >>> resume_token("abc_-9"), resume_token("<x>")
    ('abc_-9', '')
    """
    if value and len(value) <= 100 and all(c.isascii() and (c.isalnum() or c in "-_")
                                           for c in value):
        return value
    return ""


def resume_case(state: AppState, pk: int, user: LoginSession, token: str | None
                ) -> tuple[dict[str, str] | None, str | None]:
    """The kept decision form for the case page, and what to tell the reviewer.

    The case is claimed again for them (their lock lapsed with the session) unless
    someone else holds it or it was decided; then the kept text is shown instead, so
    nothing typed is lost either way.
    """
    kept = take_form(state.store, token, user.user_id, f"/cases/{pk}")
    if kept is None:
        return None, None
    try:
        ok = state.store.claim_case(pk, user.name, idle=state.settings.lock_idle).ok
    except ReviewConflictError:
        ok = False
    if ok:
        return kept, "已恢复登录前填写的内容，请确认后提交。"
    typed = "；".join(v for k, v in kept.items() if k != "decision" and v)
    return None, f"此案件已被他人认领或已有决定，未能恢复表单。您登录前填写的内容：{typed}"
