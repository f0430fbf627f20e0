"""Hostile input against every route: no 5xx, every answer with the security headers.

The walk enumerates ``app.routes`` (a new route is covered without editing this file)
and sends, as an anonymous visitor, a reviewer holding a case and a supervisor: huge,
negative and non-ASCII numbers, NUL and control characters, long strings, path
traversal in every path parameter, in every query parameter the route declares and
in every form field; invalid UTF-8 form bodies; and the methods the route does not
take. It runs on SQLite and on the real PostgreSQL (which refuses NUL in text, so a
NUL reaching the database would show as an error there).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import create_engine, text
from test_review_support import (
    ReviewEnv,
    Session,
    add_accounts,
    session_for,
)

from zhanchi.review import routes_queue
from zhanchi.review.samples import add_sample_cases, write_registry
from zhanchi.review.state import ReviewSettings
from zhanchi.store.review_queries import ReviewStore

pytest_plugins = ["test_review_support", "pg_fixtures"]

HOSTILE = ["9223372036854775808", "-1", "0", "²", "١٢", "1\x00", "9" * 5000,
           "../../../../etc/passwd", "\u202e\ufeff\x1b[2J", "1' OR '1'='1"]
WRONG_METHODS = ("PUT", "DELETE", "PATCH")
BAD_UTF8_BODIES = [b"reason=%FF%FE&decision=reject", b"name=\xff\xfe&value=\xc0\xaf",
                   b"note=%C0%AF", b"\xed\xa0\x80=1"]


def routes_of(routes: Sequence[object]) -> list[APIRoute]:
    """Every endpoint, also inside included routers."""
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):  # FastAPI wraps included routers
            out += routes_of(r.original_router.routes)
        elif hasattr(r, "routes"):
            out += routes_of(r.routes)
    return out


def assert_safe(response: Response, where: object) -> None:
    assert response.status_code < 500, (where, response.status_code, response.text[:300])
    headers = response.headers
    assert "script-src 'self'" in headers.get("content-security-policy", ""), where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    static_ok = str(response.url.path).startswith("/static/") and response.status_code in (200, 304)
    assert static_ok or headers.get("cache-control") == "no-store", where


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hostile_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReviewEnv]:
    """The sample cases and accounts on SQLite (copied template) or a fresh PG schema."""
    if request.param == "sqlite":
        yield request.getfixturevalue("review_env")
        return
    request.getfixturevalue("review_template")  # cheap Argon2 parameters for this session
    database_url = request.getfixturevalue("pg_database_url")
    from pg_fixtures import pg_schema_url

    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    store = ReviewStore.open(pg_schema_url(database_url, schema))
    try:
        add_accounts(store)
        pks = add_sample_cases(store, 3, write_registry(tmp_path / "registry"))
        yield ReviewEnv(store, tmp_path / "registry", ReviewSettings(
            db_url="unused", registry_dir=tmp_path / "registry"), list(pks))
    finally:
        store.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _walk(client: TestClient, routes: list[APIRoute], csrf: str, pk: int) -> int:
    sent = 0

    def send(method: str, url: str, **kw: object) -> None:
        nonlocal sent
        response = client.request(method, url, **kw)  # type: ignore[arg-type]
        assert_safe(response, (client.cookies.get("zhanchi_session") is not None, method, url))
        sent += 1

    for route in routes:
        names = [p.alias for p in route.dependant.path_params]
        valid = route.path
        for name in names:
            valid = valid.replace("{" + name + "}", str(pk) if name == "pk" else "x")
        methods = sorted(route.methods or {"GET"})
        form_names = [p.alias for p in route.dependant.body_params]
        for method in methods:
            for value in HOSTILE:
                for name in names:
                    send(method, route.path.replace("{" + name + "}", quote(value, safe="")),
                         data={"csrf_token": csrf} if method == "POST" else None)
                for param in route.dependant.query_params:
                    send(method, valid, params={param.alias: value},
                         data={"csrf_token": csrf} if method == "POST" else None)
                if method == "POST":
                    for name in form_names + ["csrf_token"]:
                        send(method, valid, data={"csrf_token": csrf, "packet": str(pk),
                                                  "document": "0", **{name: value}})
            if method == "POST":
                for body in BAD_UTF8_BODIES:
                    send(method, valid, content=body + f"&csrf_token={csrf}".encode(),
                         headers={"content-type": "application/x-www-form-urlencoded"})
                send(method, valid, content=b"--x\r\n", headers={
                    "content-type": "multipart/form-data; boundary=x"})
        for method in WRONG_METHODS:
            send(method, valid)
    return sent


def test_every_route_survives_hostile_values_as_anyone(hostile_env: ReviewEnv) -> None:
    pk = hostile_env.cases[0]
    anon = hostile_env.client()
    reviewer = session_for(hostile_env, "zhang")
    boss = session_for(hostile_env, "boss")
    assert reviewer.post(f"/cases/{pk}/claim").status_code == 303  # edits reach the handler
    assert hostile_env.app is not None
    routes = routes_of(hostile_env.app.routes)
    assert len(routes) >= 18 and {"/cases/{pk}", "/login", "/images/{sha256}"} <= {
        r.path for r in routes}
    sent = 0
    for who in (Session(anon, ""), reviewer, boss):
        sent += _walk(who.client, routes, who.csrf, pk)
    assert sent > 1000
    # nothing with a NUL or a control character was stored (PostgreSQL would refuse NUL)
    with hostile_env.store.reader("scan") as s:
        texts = [row[0] for row in s.execute(text(
            "SELECT payload FROM events UNION ALL SELECT actor FROM events "
            "UNION ALL SELECT CAST(value AS TEXT) FROM fields"))]
    assert texts and not [t for t in texts if t and ("\x00" in t or "\\u0000" in t
                                                       or "\\u202e" in t or "\u202e" in t)]


@pytest.mark.parametrize(("method", "url"), [
    ("GET", "/cases/9223372036854775808"), ("GET", "/cases/-1"), ("GET", "/cases/0"),
    ("GET", "/cases/%C2%B2"), ("POST", "/cases/9223372036854775808/claim"),
    ("POST", "/cases/9223372036854775808/release"),
    ("POST", "/cases/9223372036854775808/decision"), ("POST", "/cases/1" + "0" * 40 + "/fields"),
])
def test_ids_out_of_range_are_not_found(zhang: Session, method: str, url: str) -> None:
    response = zhang.client.request(method, url, data={
        "csrf_token": zhang.csrf, "decision": "approve"} if method == "POST" else None)
    assert response.status_code == 404 and "未找到" in response.text
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize("zoom", ["%C2%B2", "9" * 5000, "3", "abc", "-50", "100.0"])
def test_zoom_outside_the_fixed_set_is_a_bad_request(review_env: ReviewEnv, zhang: Session,
                                                     zoom: str) -> None:
    pk = review_env.cases[0]
    response = zhang.client.get(f"/cases/{pk}?zoom={zoom}")
    assert response.status_code == 400 and "请求" in response.text
    assert response.headers["cache-control"] == "no-store"
    ok = zhang.client.get(f"/cases/{pk}?zoom=150")
    assert ok.status_code == 200 and 'class="pages zoom-150"' in ok.text


def test_an_unexpected_error_is_a_chinese_page_with_headers_and_a_clean_log(
        review_env: ReviewEnv, zhang: Session, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    secret = "王小明 36010219900101123X"

    def broken(*_a: object, **_k: object) -> None:
        raise ValueError(f"cannot list {secret}")

    monkeypatch.setattr(routes_queue, "queue_page", broken)
    with caplog.at_level(logging.ERROR, logger="zhanchi.review"):
        response = zhang.client.get("/queue?reason=" + quote("王小明"))
    assert response.status_code == 500
    assert "服务器内部错误" in response.text and secret not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged and "routes_queue.py" in logged and "/queue" in logged
    assert "王小明" not in logged and "36010219900101123X" not in logged
    incident = logged.split("incident ", 1)[1].split(":", 1)[0]
    assert incident in response.text  # the reviewer can quote it to the administrator
