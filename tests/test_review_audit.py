"""What the review app logs about looking at personal data, over HTTP, on SQLite and
PostgreSQL: page images served, case views (and whether the full ID number was on the
page), refused requests; and where the full ID number may appear at all."""

from __future__ import annotations

import json

from sqlalchemy import select
from test_review_support import ReviewEnv, session_for

from zhanchi.review.samples import PERSON
from zhanchi.store.schema import EventRow

pytest_plugins = ["test_review_support", "pg_fixtures", "review_db_support"]
MASKED = "360102********123X"


def _events(env: ReviewEnv, kind: str) -> list[EventRow]:
    with env.store.reader() as s:
        return list(s.scalars(select(EventRow).where(EventRow.kind == kind).order_by(EventRow.id)))


def test_every_page_image_served_is_logged(db_env: ReviewEnv) -> None:
    zhang = session_for(db_env, "zhang")
    pk = db_env.cases[1]
    sha = db_env.store.documents(pk)[0].pages[0].page_sha256
    assert zhang.client.get(f"/images/{sha}").status_code == 200
    assert zhang.client.get(f"/images/{sha}").status_code == 200
    assert zhang.client.get(f"/images/{'0' * 64}").status_code == 404  # nothing served
    events = _events(db_env, "review.image_view")
    assert len(events) == 2
    assert {(e.actor, e.submission_pk) for e in events} == {("zhang", pk)}
    payload = json.loads(events[0].payload)
    assert payload == {"page_sha256": sha, "client": "testclient"}
    assert db_env.store.verify_chain().ok


def test_full_id_number_only_for_the_holder_and_every_view_says_so(db_env: ReviewEnv) -> None:
    zhang, li = session_for(db_env, "zhang"), session_for(db_env, "li")
    pk = db_env.cases[0]
    page = li.client.get(f"/cases/{pk}").text  # nobody holds it
    assert PERSON["id_number"] not in page and MASKED in page
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    held = zhang.client.get(f"/cases/{pk}").text
    assert f'value="{PERSON["id_number"]}"' in held and "data-id-shown" in held
    other = li.client.get(f"/cases/{pk}").text  # another reviewer, while zhang holds it
    assert PERSON["id_number"] not in other and MASKED in other
    views = [(e.actor, json.loads(e.payload)) for e in _events(db_env, "review.view")]
    assert views == [("li", {"id_number_shown": False}), ("zhang", {"id_number_shown": True}),
                     ("li", {"id_number_shown": False})]
    with db_env.store.reader() as s:  # the log names who saw whose number, never the number
        assert not any(PERSON["id_number"] in p for p in s.scalars(
            select(EventRow.payload).where(EventRow.kind.like("review.%"))))
    assert "查看案件（含完整身份证号）" in other  # zhang's view, in the case history


def test_an_edited_id_number_is_masked_in_the_history_for_others(db_env: ReviewEnv) -> None:
    zhang, li = session_for(db_env, "zhang"), session_for(db_env, "li")
    pk = db_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    new = "360429199001018832"
    response = zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": 1,
                                                  "name": "id_number", "value": new})
    assert response.status_code == 303, response.text[:300]
    assert new in zhang.client.get(f"/cases/{pk}").text
    other = li.client.get(f"/cases/{pk}").text
    assert new not in other and PERSON["id_number"] not in other
    assert "360429********8832" in other


def test_refused_requests_are_logged_with_who_and_from_where(db_env: ReviewEnv) -> None:
    li = session_for(db_env, "li")
    assert li.client.get("/export").status_code == 403
    assert li.client.post(f"/cases/{db_env.cases[0]}/claim",
                          data={"csrf_token": "forged"}).status_code == 403
    anon = db_env.client()
    assert anon.post("/login", data={"name": "x", "password": "y"}).status_code == 403
    refused = [(e.actor, json.loads(e.payload)) for e in _events(db_env, "review.refused")]
    assert [(actor, p["why"], p["method"], p["path"]) for actor, p in refused] == [
        ("li", "forbidden", "GET", "/export"),
        ("li", "csrf", "POST", f"/cases/{db_env.cases[0]}/claim"),
        ("（未登录）", "csrf", "POST", "/login")]
    assert all(p["status"] == 403 and p["client"] == "testclient" for _, p in refused)
    assert db_env.store.verify_chain().ok


def test_the_queue_and_dashboard_never_show_a_full_id_number(db_env: ReviewEnv) -> None:
    zhang = session_for(db_env, "zhang")
    pk = db_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    # a reviewer typed an ID number where the agency goes: it must not leak through lists
    zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": "agency",
                                       "value": f"机构{PERSON['id_number']}"})
    for url in ("/queue", "/queue?view=mine", "/dashboard"):
        page = zhang.client.get(url).text
        assert PERSON["id_number"] not in page, url
    assert f"机构{MASKED}" in zhang.client.get("/queue").text
