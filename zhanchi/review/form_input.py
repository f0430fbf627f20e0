"""Text at the app's boundary: one cleaning rule for every query string and form.

:func:`clean_text` drops control characters (NUL, escapes, bidi overrides, zero-width
marks) and keeps line breaks only in the fields a textarea may send
(``MULTILINE_FIELDS``). :class:`FormInputMiddleware` applies it to every query string
and every form body before any route sees them, so no handler can forget it and no
NUL reaches the database; text that is not valid UTF-8 is refused with a 400 page,
and so is any request body that is not a plain form (the app has no uploads).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request

MULTILINE_FIELDS = frozenset({"note", "reason"})
RAW_FIELDS = frozenset({"password"})  # checked against a hash, never stored or shown
MAX_BODY = 256 * 1024
MAX_FIELDS = 200
FORM_TYPE = "application/x-www-form-urlencoded"

# C0/C1 controls (tab and line breaks handled apart), bidi embeddings/overrides/isolates,
# zero-width characters, the BOM, line/paragraph separators.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class InputRefusedError(Exception):
    """A request whose text cannot be read as UTF-8, or a body the app does not take."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def clean_text(value: str, *, multiline: bool = False) -> str:
    r"""``value`` without control characters; line breaks kept (as ``\n``) if ``multiline``.

    >>> clean_text("张\x00三\u202e\t1")
    '张三 1'
    >>> clean_text("甲\r\n乙\n"), clean_text("甲\r\n乙\n", multiline=True)
    ('甲 乙 ', '甲\n乙\n')
    """
    value = _BREAKS.sub("\n", value).replace("\t", " ")
    value = _CONTROLS.sub("", value)
    return value if multiline else value.replace("\n", " ")


def clean_pairs(raw: bytes) -> list[tuple[str, str]]:
    """Decode ``a=1&b=2`` strictly as UTF-8 and clean every name and value."""
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise InputRefusedError(400, "提交的内容不是有效的 UTF-8 文本，请检查后重新输入。") \
            from None
    except ValueError:
        raise InputRefusedError(400, "提交的字段过多。") from None
    return [(clean_text(k), v if k in RAW_FIELDS else clean_text(v, multiline=k in MULTILINE_FIELDS))
            for k, v in pairs]


class FormInputMiddleware:
    """Clean query strings and form bodies (see the module text) before routing."""

    def __init__(self, app: ASGIApp,
                 refuse: Callable[[Request, InputRefusedError], Awaitable[Any]]) -> None:
        self.app = app
        self.refuse = refuse  # renders the refusal (an ASGI response)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            query = scope.get("query_string", b"")
            if query:
                scope["query_string"] = urlencode(clean_pairs(query)).encode("ascii")
            if scope["method"] in ("GET", "HEAD", "OPTIONS"):
                await self.app(scope, receive, send)
                return
            body = await _read_body(receive)
            if body:
                kind = Request(scope).headers.get("content-type", "").split(";")[0].strip()
                if kind.lower() != FORM_TYPE:
                    raise InputRefusedError(415, "只接受网页表单提交的内容。")
                body = urlencode(clean_pairs(body)).encode("ascii")
                scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"content-length"
                                    ] + [(b"content-length", str(len(body)).encode("ascii"))]
        except InputRefusedError as exc:
            response = await self.refuse(Request(scope), exc)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise InputRefusedError(400, "请求不完整。")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise InputRefusedError(413, "提交的内容过长。")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect as usual

    return replay
