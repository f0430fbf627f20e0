"""Logins over HTTP: the brake a stranger cannot turn against a reviewer, what the event
log records of logins, two app instances sharing sessions, text cleaned at the form
boundary, and a decision kept across an expired session."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from test_review_support import PASSWORDS, ReviewEnv, Session, csrf_of, login

from zhanchi.review import passwords
from zhanchi.review.app import create_app
from zhanchi.store.schema_audit import EventRow
from zhanchi.store.schema_review import CaseLockRow
from zhanchi.store.schema_sessions import LoginSessionRow

pytest_plugins = ["test_review_support"]


def _client(env: ReviewEnv, address: str) -> TestClient:
    env.client()  # builds the app
    assert env.app is not None
    return TestClient(env.app, follow_redirects=False, client=(address, 40000))


def _try(client: TestClient, name: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token})


def _events(env: ReviewEnv, *kinds: str) -> list[tuple[str, str, dict[str, object]]]:
    with env.store.reader() as s:
        rows = s.execute(select(EventRow.kind, EventRow.actor, EventRow.payload)
                         .order_by(EventRow.id)).all()
    return [(k, a, json.loads(p)) for k, a, p in rows if k in kinds]


def test_a_guesser_is_braked_but_the_reviewer_logs_in_from_another_machine(
        review_env: ReviewEnv) -> None:
    attacker, reviewer = _client(review_env, "10.0.0.66"), _client(review_env, "10.0.0.7")
    answers = [_try(attacker, "li", f"wrong-password-{i}").status_code for i in range(6)]
    assert answers == [401] * 6
    braked = _try(attacker, "li", PASSWORDS["li"])  # even the right password waits here
    assert braked.status_code == 429 and "秒后再试" in braked.text
    assert int(braked.headers["retry-after"]) >= 1
    assert _try(reviewer, "li", PASSWORDS["li"]).status_code == 303  # but not elsewhere
    failed = _events(review_env, "review.login_failed")
    assert len(failed) == 6
    assert all(a == "anonymous" and p == {"client": "10.0.0.66", "user": "li"}
               for _, a, p in failed)
    throttled = _events(review_env, "review.login_throttled")
    assert [p["scope"] for _, _, p in throttled] == ["pair"]
    assert throttled[0][2]["client"] == "10.0.0.66"
    logins = _events(review_env, "review.login")
    assert logins == [("review.login", "li", {"client": "10.0.0.7"})]
    assert review_env.store.verify_chain().ok


def test_an_unknown_name_is_logged_only_as_a_keyed_hash(review_env: ReviewEnv) -> None:
    client = _client(review_env, "10.0.0.8")
    typed = "zhang-password-typed-in-the-name-box"
    assert _try(client, typed, "x" * 12).status_code == 401
    assert _try(client, typed, "y" * 12).status_code == 401
    assert _try(client, "someone-else", "y" * 12).status_code == 401
    failed = _events(review_env, "review.login_failed")
    keys = [p["name_key"] for _, _, p in failed]
    assert keys[0] == keys[1] != keys[2] and all(len(str(k)) == 32 for k in keys)
    with review_env.store.reader() as s:
        dump = " ".join(str(v) for row in s.execute(text(
            "SELECT actor, payload FROM events")) for v in row)
    assert typed not in dump and "someone-else" not in dump


def test_an_unknown_name_costs_the_same_one_hash_as_a_wrong_password(
        review_env: ReviewEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(review_env, "10.0.0.9")
    calls: list[str] = []
    real = passwords._hasher()

    class Counting:
        def verify(self, encoded: str, password: str) -> bool:
            calls.append(encoded[:9])
            return bool(real.verify(encoded, password))

        def check_needs_rehash(self, encoded: str) -> bool:
            return bool(real.check_needs_rehash(encoded))

    monkeypatch.setattr(passwords, "_hasher", Counting)
    _try(client, "zhang", "wrong-password-1")
    _try(client, "nobody-here", "wrong-password-1")
    assert calls == ["$argon2id", "$argon2id"]  # one Argon2 verification each


def test_a_login_waits_for_a_free_hashing_slot_then_says_busy(
        review_env: ReviewEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(review_env, "10.0.0.10")
    token = csrf_of(client.get("/login").text)
    monkeypatch.setattr(passwords, "SLOT_WAIT_S", 0.05)
    held = passwords._SLOTS
    for _ in range(held.count):
        held.semaphore.acquire()
    try:
        busy = client.post("/login", data={"name": "zhang", "password": PASSWORDS["zhang"],
                                           "csrf_token": token})
    finally:
        for _ in range(held.count):
            held.semaphore.release()
    assert busy.status_code == 503 and "繁忙" in busy.text and busy.headers["retry-after"]
    assert _try(client, "zhang", PASSWORDS["zhang"]).status_code == 303


def test_two_app_instances_share_logins_and_brakes(review_env: ReviewEnv) -> None:
    """Two apps on one database stand for two uvicorn workers."""
    one = _client(review_env, "10.0.0.11")
    other_app = create_app(review_env.settings, review_env.store)
    two = TestClient(other_app, follow_redirects=False, client=("10.0.0.11", 40001))
    login(one, "zhang")
    two.cookies.set("zhanchi_session", one.cookies["zhanchi_session"])
    assert two.get("/queue").status_code == 200
    guesser = _client(review_env, "10.0.0.11")  # same machine, first app
    for i in range(6):
        _try(guesser, "li", f"wrong-{i}-password")
    same_machine = TestClient(other_app, follow_redirects=False, client=("10.0.0.11", 40002))
    assert _try(same_machine, "li", PASSWORDS["li"]).status_code == 429
    assert two.post("/logout", data={"csrf_token": csrf_of(two.get("/queue").text)}
                    ).status_code == 303
    assert one.get("/queue").status_code == 303  # logged out in both


def test_login_rotates_the_session_id(review_env: ReviewEnv) -> None:
    client = _client(review_env, "10.0.0.12")
    first = _try(client, "zhang", PASSWORDS["zhang"]).cookies["zhanchi_session"]
    client.cookies.clear()
    client.cookies.set("zhanchi_session", first)
    token = csrf_of(client.get("/queue", follow_redirects=True).text)
    assert token  # logged in with the first id
    client.cookies.clear()
    client.cookies.set("zhanchi_session", first)
    login_csrf = csrf_of(_login_page(review_env))
    client.cookies.set("zhanchi_login_csrf", _LOGIN_CSRF[0])
    second = client.post("/login", data={"name": "zhang", "password": PASSWORDS["zhang"],
                                         "csrf_token": login_csrf})
    assert second.status_code == 303
    assert second.cookies["zhanchi_session"] != first  # a new id at every login
    replay = _client(review_env, "10.0.0.12")
    replay.cookies.set("zhanchi_session", first)
    assert replay.get("/queue").status_code == 303  # the old id is gone
    planted = _client(review_env, "10.0.0.12")
    planted.cookies.set("zhanchi_session", "chosen-by-an-attacker")
    assert planted.get("/queue").status_code == 303


_LOGIN_CSRF: list[str] = []


def _login_page(env: ReviewEnv) -> str:
    """A login page from a fresh browser; remembers its CSRF cookie."""
    fresh = _client(env, "10.0.0.12")
    page = fresh.get("/login")
    _LOGIN_CSRF[:] = [page.cookies["zhanchi_login_csrf"]]
    return page.text


def test_control_characters_are_stripped_and_nul_never_stored(review_env: ReviewEnv,
                                                              zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    saved = zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0,
                                               "name": "signer_name",
                                               "value": "王\x00小\u202e明\x1b[2J\r\n"})
    assert saved.status_code == 303
    assert review_env.store.documents(pk)[0].fields["signer_name"].value == "王小明[2J"
    decided = zhang.decide(pk, {
        "decision": "reject", "reason": "证书\x00编号不符\r\n第二行\x07"})
    assert decided.status_code == 303
    last = review_env.store.history(pk)[-1]
    assert last.kind == "review.decision" and last.payload["reason"] == "证书编号不符\n第二行"


@pytest.mark.parametrize("body", [b"value=%FF&name=signer_name", b"value=\xff\xfe",
                                  b"reason=%C0%AF&decision=reject"])
def test_invalid_utf8_is_refused_with_a_chinese_page(review_env: ReviewEnv, zhang: Session,
                                                     body: bytes) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    response = zhang.client.post(f"/cases/{pk}/fields",
                                 content=body + f"&csrf_token={zhang.csrf}".encode(),
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and "UTF-8" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "content-security-policy" in response.headers


def test_a_decision_typed_after_the_session_expired_is_kept_through_login(
        review_env: ReviewEnv, zhang: Session) -> None:
    pk = review_env.cases[0]
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    _expire_everything(review_env)
    reason = "证书编号与名单不符，已电话核实"
    answer = zhang.post(f"/cases/{pk}/decision", {"decision": "reject", "reason": reason})
    assert answer.status_code == 401 and "内容已保留" in answer.text
    assert reason not in answer.text  # kept on the server, not echoed into the page
    token = answer.text.split('name="resume" value="', 1)[1].split('"', 1)[0]
    login_csrf = csrf_of(answer.text)
    back = zhang.client.post("/login", data={"name": "zhang", "password": PASSWORDS["zhang"],
                                             "csrf_token": login_csrf,
                                             "next": f"/cases/{pk}", "resume": token})
    assert back.status_code == 303 and back.headers["location"] == f"/cases/{pk}?resume={token}"
    page = zhang.client.get(back.headers["location"])
    assert page.status_code == 200 and "已恢复登录前填写的内容" in page.text
    assert f'value="{reason}"' in page.text  # the reject form is filled in again
    assert '<details data-decision="reject" open>' in page.text
    again = zhang.client.get(back.headers["location"])
    assert f'value="{reason}"' not in again.text  # read once


def test_a_forged_form_without_a_session_is_not_kept(review_env: ReviewEnv) -> None:
    client = _client(review_env, "10.0.0.13")
    answer = client.post(f"/cases/{review_env.cases[0]}/decision",
                         data={"decision": "reject", "reason": "x", "csrf_token": "guess"})
    assert answer.status_code == 401 and 'name="resume"' not in answer.text


def _expire_everything(env: ReviewEnv) -> None:
    """Move the sessions' and locks' clocks an hour back, as after a long lunch."""
    with env.store.transaction() as s:
        for row in s.query(LoginSessionRow):
            row.last_seen_at -= timedelta(hours=1)
        for lock in s.query(CaseLockRow):
            lock.last_seen_at -= timedelta(hours=1)
