"""The review app's gate over HTTP: login, roles, CSRF, claim locks, page images."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from test_review_support import ReviewEnv, Session, csrf_of, login

from zhanchi.review.samples import CERT_NUMBER, PERSON

pytest_plugins = ["test_review_support"]


def test_anonymous_requests_get_the_login_page_and_no_data(anon: TestClient,
                                                           review_env: ReviewEnv) -> None:
    pk = review_env.cases[0]
    sha = review_env.store.documents(pk)[0].pages[0].page_sha256
    for url in ["/", "/queue", f"/cases/{pk}", "/dashboard", "/export", "/export/csv",
                f"/images/{sha}", "/queue?reason=certificate_number_mismatch"]:
        response = anon.get(url)
        assert response.status_code in (303, 307), url
        if url != "/":
            assert response.headers["location"].startswith("/login"), url
        followed = anon.get(url, follow_redirects=True)
        assert followed.url.path == "/login"
        for secret in (PERSON["name"], PERSON["id_number"], CERT_NUMBER, "T00000"):
            assert secret not in followed.text, (url, secret)
    assert anon.post(f"/cases/{pk}/claim", data={"csrf_token": "x"}).status_code == 401
    assert b"PNG" not in anon.get(f"/images/{sha}").content


def test_login_rejects_a_wrong_password_without_saying_which_part(anon: TestClient) -> None:
    token = csrf_of(anon.get("/login").text)
    wrong = anon.post("/login", data={"name": "zhang", "password": "nope-nope-nope",
                                      "csrf_token": token})
    token = csrf_of(wrong.text)
    unknown = anon.post("/login", data={"name": "nobody", "password": "nope-nope-nope",
                                        "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码不正确" in wrong.text and "用户名或密码不正确" in unknown.text
    assert anon.get("/queue").status_code == 303


def test_login_form_itself_needs_its_csrf_token(anon: TestClient) -> None:
    anon.get("/login")
    response = anon.post("/login", data={"name": "zhang", "password": "reviewer-pass-1"})
    assert response.status_code == 403
    assert "zhanchi_session" not in response.cookies


def _routes(routes: Sequence[object]) -> list[APIRoute]:
    """Every endpoint, also inside included routers (FastAPI wraps them)."""
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            out += _routes(r.original_router.routes)
        elif hasattr(r, "routes"):
            out += _routes(r.routes)
    return out


def test_every_post_route_refuses_a_request_without_the_csrf_token(
        review_env: ReviewEnv, zhang: Session) -> None:
    pk = review_env.cases[0]
    assert review_env.app is not None
    posts = [r.path for r in _routes(review_env.app.routes) if "POST" in (r.methods or ())]
    assert {"/logout", "/cases/{pk}/fields", "/cases/{pk}/decision"} <= set(posts)
    for path in posts:
        url = path.replace("{pk}", str(pk))
        for data in ({}, {"csrf_token": "forged"}):
            response = zhang.client.post(url, data={**data, "decision": "approve",
                                                    "packet": pk, "document": 0, "name": "level",
                                                    "value": "3"})
            assert response.status_code == 403, (url, data)
    assert review_env.store.case_lock(pk) is None
    assert review_env.store.get_submission(pk).status == "done"  # type: ignore[union-attr]
    assert zhang.client.get("/queue").status_code == 200  # still logged in


def test_a_post_from_another_site_is_refused_even_with_the_token(review_env: ReviewEnv,
                                                                  zhang: Session) -> None:
    pk = review_env.cases[0]
    response = zhang.post(f"/cases/{pk}/claim", headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert zhang.post(f"/cases/{pk}/claim", headers={"Origin": "http://testserver"}
                      ).status_code == 303


def test_two_reviewers_cannot_both_claim_a_case(review_env: ReviewEnv, zhang: Session,
                                                li: Session) -> None:
    pk = review_env.cases[0]
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    second = li.post(f"/cases/{pk}/claim")
    assert second.status_code == 409 and "zhang" in second.text
    assert review_env.store.case_lock(pk).reviewer == "zhang"  # type: ignore[union-attr]
    # the loser can neither edit nor decide
    edit = li.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": "level",
                                           "value": "3"})
    assert edit.status_code == 409
    decide = li.decide(pk, {"decision": "reject", "reason": "x"})
    assert decide.status_code == 409
    assert review_env.store.get_submission(pk).status == "done"  # type: ignore[union-attr]


def test_next_case_skips_cases_claimed_by_others(review_env: ReviewEnv, zhang: Session,
                                                 li: Session) -> None:
    first, second = review_env.cases[:2]
    assert zhang.post("/queue/next").headers["location"] == f"/cases/{first}"
    assert li.post("/queue/next").headers["location"] == f"/cases/{second}"


def test_reviewer_cannot_do_supervisor_actions(review_env: ReviewEnv, zhang: Session,
                                               li: Session, boss: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    assert li.post(f"/cases/{pk}/release").status_code == 403
    assert review_env.store.case_lock(pk) is not None
    for url in ("/export", "/export/csv", "/export/xlsx"):
        response = li.client.get(url)
        assert response.status_code == 403 and "仅限主管" in response.text
        assert PERSON["id_number"] not in response.text
    assert "/export" not in li.client.get("/queue").text
    # the supervisor may do both
    assert boss.post(f"/cases/{pk}/release", {"next": "/queue"}).status_code == 303
    assert review_env.store.case_lock(pk) is None
    assert boss.client.get("/export/csv").headers["location"].startswith("/export/preview")
    assert boss.client.get("/export/preview").status_code == 200
    history = review_env.store.history(pk)
    assert history[-1].kind == "review.release" and history[-1].actor == "boss"
    assert history[-1].payload == {"holder": "zhang", "forced": True}


def test_logout_ends_the_session_on_the_server(review_env: ReviewEnv, zhang: Session) -> None:
    cookie = zhang.client.cookies.get("zhanchi_session")
    assert zhang.post("/logout").status_code == 303
    replay = review_env.client()
    replay.cookies.set("zhanchi_session", cookie)  # a copied cookie is worthless afterwards
    assert replay.get("/queue").status_code == 303


def test_sessions_expire_after_idle_time(review_env: ReviewEnv) -> None:
    client = review_env.client()
    assert review_env.app is not None
    now = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]
    review_env.app.state.review.sessions.clock = lambda: now[0]
    login(client, "zhang")
    for _ in range(3):  # each request restarts the idle timer
        now[0] += timedelta(minutes=29)
        assert client.get("/queue").status_code == 200
    now[0] += timedelta(minutes=31)
    assert client.get("/queue").status_code == 303


def test_a_disabled_account_is_logged_out(review_env: ReviewEnv, zhang: Session) -> None:
    review_env.store.set_user_active("zhang", False, actor="test")
    assert zhang.client.get("/queue").status_code == 303


@pytest.mark.parametrize("path", [
    "/images/../../../../etc/passwd", "/images/..%2F..%2F..%2Fetc%2Fpasswd",
    "/images/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/images/" + "A" * 64, "/images/" + "0" * 63,
    "/images/" + "0" * 64, "/static/../app.py", "/static/..%2Fapp.py", "/static/%2e%2e%2fapp.py",
    "/static/..%2F..%2Fstore%2F__init__.py", "/static/app.css%00.py", "/images/etc%2Fpasswd",
])
def test_no_request_path_reaches_the_file_system(zhang: Session, path: str) -> None:
    response = zhang.client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.content and b"import" not in response.content


def test_page_images_are_served_by_hash_to_logged_in_reviewers(review_env: ReviewEnv,
                                                               zhang: Session) -> None:
    page = review_env.store.documents(review_env.cases[0])[0].pages[0]
    response = zhang.client.get(f"/images/{page.page_sha256}")
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert response.headers["cache-control"] == "no-store"
    assert zhang.client.get("/static/app.css").status_code == 200


def test_errors_are_pages_that_echo_nothing(review_env: ReviewEnv, zhang: Session) -> None:
    missing = zhang.client.get("/no/such/page")
    assert missing.status_code == 404 and "未找到" in missing.text
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    bad = zhang.post(f"/cases/{pk}/fields", {"packet": "x", "name": "signer_name",
                                             "value": "秘密的名字"})
    assert bad.status_code == 400 and "秘密的名字" not in bad.text
    assert zhang.client.get(f"/cases/{pk}/decision").status_code == 405


def test_pages_carry_a_strict_content_security_policy(zhang: Session) -> None:
    headers = zhang.client.get("/queue").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["server-timing"].startswith("app;dur=")


