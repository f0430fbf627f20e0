"""The queue a reviewer runs the day from, and the case page's words, over HTTP on SQLite
and PostgreSQL: applicant, county, agency, level, days waited and days left in the
application window; server-side sorting by whitelisted keys; "my cases"; the holder;
batches by date and name; check messages in plain Chinese with the technical text behind
a toggle; a decided case opens with its decision and reason."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select
from test_review_support import ReviewEnv, session_for

from zhanchi.checks import add_months
from zhanchi.review.queue import QueueFilter, queue_page
from zhanchi.store.schema import DocumentRow, FieldRow

pytest_plugins = ["test_review_support", "pg_fixtures", "review_db_support"]
LETTER, CERT = 0, 1
# (holder_name, exam_county, agency, level, issue_date) per sample case 1, 2, 3
VALUES = {1: ("赵六", "青山湖区", "乙机构", 3, "2026-01-10"),
          2: ("钱七", "东湖区", "甲机构", 5, None),
          3: ("孙八", "西湖区", "丙机构", 4, "2025-12-20")}


def _set(env: ReviewEnv, pk: int, index: int, name: str, value: object) -> None:
    """Test setup: a stored field value, as the pipeline or a correction left it."""
    with env.store.transaction() as s:
        doc = s.scalars(select(DocumentRow).where(DocumentRow.submission_pk == pk,
                                                  DocumentRow.document_index == index)).one()
        field = s.scalars(select(FieldRow).where(FieldRow.document_id == doc.id,
                                                 FieldRow.name == name)).one()
        field.value = value


def _spread(env: ReviewEnv) -> None:
    for pk, (name, county, agency, level, issued) in VALUES.items():
        _set(env, pk, CERT, "holder_name", name)
        _set(env, pk, LETTER, "exam_county", county)
        _set(env, pk, LETTER, "agency", agency)
        _set(env, pk, CERT, "level", level)
        _set(env, pk, CERT, "issue_date", issued)


def _order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-pk="(\d+)">', html)]


def _today() -> date:
    return datetime.now(UTC).astimezone().date()


def test_columns_show_who_where_level_and_the_deadline(db_env: ReviewEnv) -> None:
    _spread(db_env)
    zhang = session_for(db_env, "zhang")
    html = zhang.client.get("/queue").text
    row = html.split('<tr data-pk="1">')[1].split("</tr>")[0]
    assert "赵六" in row and "青山湖区" in row and "乙机构" in row and "3（三级/高级工）" in row
    deadline = add_months(date(2026, 1, 10), 12)  # the policy's 12-month window
    page = queue_page(db_env.store, QueueFilter())
    first = next(r for r in page.rows if r.pk == 1)
    assert first.columns.deadline == deadline
    assert first.days_left is not None and abs(first.days_left - (deadline - _today()).days) <= 1
    assert f'data-days="{first.days_left}"' in row
    assert f"{first.days_waited} 天" in row and first.days_waited > 0
    no_issue = html.split('<tr data-pk="2">')[1].split("</tr>")[0]
    assert 'title="发证日期未识别">—' in no_issue
    # the batch by when it ran and its inbox, not by a hash
    batch = db_env.store.get_submission(1).batch_id  # type: ignore[union-attr]
    assert batch and batch[:8] not in html.split("<table")[1]
    assert "· samples" in html


def test_sorting_by_any_column_on_the_server(db_env: ReviewEnv) -> None:
    _spread(db_env)
    zhang = session_for(db_env, "zhang")
    get = zhang.client.get
    assert _order(get("/queue").text) == [3, 1, 2]  # nearest deadline first; unknown last
    assert _order(get("/queue?sort=deadline&order=desc").text) == [1, 3, 2]
    assert _order(get("/queue?sort=level").text) == [1, 3, 2]
    assert _order(get("/queue?sort=level&order=desc").text) == [2, 3, 1]
    assert _order(get("/queue?sort=agency").text) == sorted(
        VALUES, key=lambda pk: VALUES[pk][2])
    assert _order(get("/queue?sort=name").text) == sorted(VALUES, key=lambda pk: VALUES[pk][0])
    assert _order(get("/queue?sort=county").text) == sorted(VALUES, key=lambda pk: VALUES[pk][1])
    assert _order(get("/queue?sort=waited").text) == [1, 2, 3]  # longest wait first
    assert _order(get("/queue?sort=id&order=desc").text) == [3, 2, 1]
    # not a whitelisted key (nor an injection): the default order, no error
    for bad in ("received_at;drop table events", "__class__", "pk", ""):
        response = get("/queue", params={"sort": bad, "order": "sideways"})
        assert response.status_code == 200 and _order(response.text) == [3, 1, 2]
    # the headers link to the sort, and a second click reverses it
    html = get("/queue?sort=level").text
    assert 'href="/queue?sort=level&amp;order=desc" data-sort="level"' in html
    assert 'aria-sort="ascending"' in html


def test_my_cases_and_the_holder(db_env: ReviewEnv) -> None:
    zhang, li = session_for(db_env, "zhang"), session_for(db_env, "li")
    zhang.post(f"/cases/{db_env.cases[2]}/claim")
    li.post(f"/cases/{db_env.cases[0]}/claim")
    mine = zhang.client.get("/queue?view=mine").text
    assert _order(mine) == [db_env.cases[2]] and "zhang（本人）" in mine
    everything = zhang.client.get("/queue").text
    row = everything.split(f'<tr data-pk="{db_env.cases[0]}">')[1].split("</tr>")[0]
    assert '<td data-col="holder">li' in row
    assert _order(zhang.client.get("/queue?view=mine&sort=holder").text) == [db_env.cases[2]]
    assert "您目前没有认领的案件" in session_for(db_env, "boss").client.get(
        "/queue?view=mine").text


def _outside_details(html: str) -> str:
    return re.sub(r'(?s)<details class="tech">.*?</details>', "", html)


def test_check_messages_in_plain_chinese_with_the_detail_behind_a_toggle(
        db_env: ReviewEnv) -> None:
    zhang = session_for(db_env, "zhang")
    pk = db_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    _set(db_env, pk, CERT, "holder_name", "王小朋")  # nothing confirms it
    with db_env.store.transaction() as s:  # a name read at low confidence
        doc = s.scalars(select(DocumentRow).where(DocumentRow.submission_pk == pk,
                                                  DocumentRow.document_index == CERT)).one()
        s.scalars(select(FieldRow).where(FieldRow.document_id == doc.id,
                                         FieldRow.name == "holder_name")).one().confidence = 0.57
    response = zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": LETTER,
                                                  "name": "has_fingerprint", "value": "false"})
    assert response.status_code == 303, response.text[:300]
    html = zhang.client.get(f"/cases/{pk}").text
    shown = _outside_details(html)
    section = shown.split('id="checks"')[1].split('id="fields"')[0]
    checks = " ".join(re.findall(r"(?s)<p>(.*?)</p>", section))  # the messages as read
    assert "承诺书承诺人处没有手印" in checks or "没有手印" in checks
    assert "识别不够清晰，请对照原件核对" in checks
    for technical in ("has_fingerprint=false", "置信度 0.57 <", "(certificate_number)",
                      "(holder_name)", "certificate_number", "holder_name"):
        assert technical not in checks, technical
    details = re.findall(r'(?s)<details class="tech">(.*?)</details>', html)
    assert any("has_fingerprint=false" in d for d in details)
    assert any("置信度 0.57 &lt; 0.80" in d or "置信度 0.57 < 0.80" in d for d in details)


def test_a_decided_case_opens_with_its_decision_and_reason(db_env: ReviewEnv) -> None:
    zhang, li = session_for(db_env, "zhang"), session_for(db_env, "li")
    pk = db_env.cases[1]
    zhang.post(f"/cases/{pk}/claim")
    assert zhang.decide(pk, {"decision": "reject",
                             "reason": "证书编号与名单不符"}).status_code == 303
    html = li.client.get(f"/cases/{pk}").text
    top = html.split('class="case-grid"')[0]
    assert 'data-outcome="reject"' in top and "理由：证书编号与名单不符" in top and "zhang" in top
    open_case = li.client.get(f"/cases/{db_env.cases[0]}").text
    assert "data-outcome" not in open_case


def test_claim_next_takes_the_first_free_case_in_the_queues_order(db_env: ReviewEnv) -> None:
    _spread(db_env)
    zhang, li = session_for(db_env, "zhang"), session_for(db_env, "li")
    li.post("/cases/3/claim")  # the nearest deadline, but li holds it
    first = zhang.post("/queue/next")
    assert first.headers["location"] == "/cases/1"  # the next nearest deadline
    by_level = li.post("/queue/next", {"sort": "level", "order": "desc"})
    assert by_level.headers["location"] == "/cases/2"  # levels 5, 4, 3: case 2 is free
    # zhang, by level: 2 and 3 are li's, zhang's own case 1 is free for zhang
    assert zhang.post("/queue/next", {"sort": "level", "order": "desc"}).headers["location"] \
        == "/cases/1"
