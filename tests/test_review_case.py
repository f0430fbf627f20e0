"""Working a case over HTTP: edits re-run the checks, decisions, history, supplements."""

from __future__ import annotations

import re

from test_review_support import ReviewEnv, Session

from zhanchi.pipeline.supplements import link_supplement
from zhanchi.review.queue import QueueFilter, queue_page
from zhanchi.review.samples import CERT_NUMBER, WRONG_NUMBER, sample_result

pytest_plugins = ["test_review_support"]


def _check(html: str, code: str) -> str:
    match = re.search(rf'data-code="{code}" data-status="(\w+)"', html)
    assert match, f"no check {code} on the page"
    return match.group(1)


def _edit(s: Session, pk: int, value: str, *, htmx: bool = False, name: str = "certificate_number"):  # type: ignore[no-untyped-def]
    headers = {"HX-Request": "true"} if htmx else {}
    return s.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": name,
                                          "value": value}, headers=headers)


def test_case_view_shows_pages_fields_and_failed_checks_in_chinese(review_env: ReviewEnv,
                                                                   zhang: Session) -> None:
    pk = review_env.cases[0]
    page = zhang.client.get(f"/cases/{pk}")
    assert page.status_code == 200
    html = page.text
    assert _check(html, "certificate_number_mismatch") == "fail"
    assert "证书编号不一致" in html and "不一致" in html
    assert html.count('<img src="/images/') == 3
    assert 'class="box' in html and WRONG_NUMBER in html
    assert "2024年6月1日" in html  # dates as reviewers write them
    assert "认领此案件" in html and "disabled" in html  # read-only until claimed
    history = review_env.store.history(pk)
    assert history[-1].kind == "review.view" and history[-1].actor == "zhang"


def test_editing_a_field_reruns_the_checks_and_records_who_changed_what(
        review_env: ReviewEnv, zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    response = _edit(zhang, pk, CERT_NUMBER.lower(), htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="side" id="case-side"')  # a fragment
    assert _check(response.text, "certificate_number_mismatch") == "pass"
    assert "原为未通过" in response.text and "全部检查通过" in response.text
    sub = review_env.store.get_submission(pk)
    assert sub is not None and sub.route == "review"  # held until a reviewer decides
    edit = next(e for e in review_env.store.history(pk) if e.kind == "review.field_edit")
    assert edit.actor == "zhang"
    assert edit.payload == {"document_index": 0, "field": "certificate_number",
                            "from": WRONG_NUMBER, "to": CERT_NUMBER}
    recheck = review_env.store.history(pk)[-1]
    assert recheck.kind == "review.recheck" and recheck.payload["route"] == "review"
    assert recheck.payload["reasons"] == []
    # still in the queue: a person decides, not the recheck
    assert pk in [r.pk for r in queue_page(review_env.store, QueueFilter()).rows]
    page = zhang.client.get(f"/cases/{pk}").text
    assert "已由 zhang 修改" in page
    assert f"<del>{WRONG_NUMBER}</del> → <ins>{CERT_NUMBER}</ins>" in page


def test_without_javascript_an_edit_redirects_back_to_the_case(review_env: ReviewEnv,
                                                               zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    response = _edit(zhang, pk, CERT_NUMBER)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/cases/{pk}?msg=saved")
    page = zhang.client.get(response.headers["location"]).text
    assert "已保存，检查已重新运行" in page
    assert _check(page, "certificate_number_mismatch") == "pass"


def test_an_unreadable_value_is_refused_with_a_message(review_env: ReviewEnv,
                                                       zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    response = _edit(zhang, pk, "明年春天", name="exam_date", htmx=True)
    assert response.status_code == 422 and "无法识别的日期" in response.text
    response = _edit(zhang, pk, "2023年11月8日", name="exam_date")
    assert response.status_code == 303
    assert review_env.store.documents(pk)[0].fields["exam_date"].value == "2023-11-08"


def test_decisions_need_their_reasons(review_env: ReviewEnv, zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    assert zhang.decide(pk, {"decision": "reject"}).status_code == 422
    assert zhang.decide(pk, {"decision": "request_documents", "reason": " "}).status_code == 422
    approve = zhang.decide(pk, {"decision": "approve"})
    assert approve.status_code == 422 and "批准须填写说明" in approve.text  # a check still fails
    assert review_env.store.get_submission(pk).status == "done"  # type: ignore[union-attr]
    rejected = zhang.decide(pk, {"decision": "reject",
                                                    "reason": "材料疑似伪造"})
    assert rejected.status_code == 303
    assert review_env.store.get_submission(pk).status == "rejected"  # type: ignore[union-attr]
    assert review_env.store.case_lock(pk) is None
    assert review_env.store.find_recorded_claims(certificate_number=CERT_NUMBER) == []


def test_approval_is_recorded_as_a_claim_and_shown_in_the_history(review_env: ReviewEnv,
                                                                  zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    _edit(zhang, pk, CERT_NUMBER)
    response = zhang.decide(pk, {"decision": "approve"})
    assert response.status_code == 303
    assert review_env.store.get_submission(pk).status == "approved"  # type: ignore[union-attr]
    claims = review_env.store.find_recorded_claims(certificate_number=CERT_NUMBER)
    assert [(c.submission_pk, c.source, c.level) for c in claims] == [(pk, "reviewer_approved", 4)]
    page = zhang.client.get(response.headers["location"]).text
    assert "决定已保存" in page and "已批准" in page
    assert re.search(r"<b>zhang</b> 决定：批准", page)
    assert pk not in [r.pk for r in queue_page(review_env.store, QueueFilter()).rows]
    assert review_env.store.verify_chain().ok
    # decided: no second decision, and the form is gone
    assert 'data-decision="approve"' not in page
    assert zhang.decide(pk, {"decision": "reject", "reason": "x"}
                      ).status_code == 409


def test_queue_filters_and_counts(review_env: ReviewEnv, zhang: Session) -> None:
    page = zhang.client.get("/queue").text
    assert "证书编号不一致 <b>3</b>" in page
    assert page.count('href="/cases/') == 3
    filtered = zhang.client.get("/queue?reason=duplicate_claim").text
    assert "没有待审案件" in filtered
    assert zhang.client.get("/queue?from=2024-06-02").text.count('href="/cases/') == 0
    assert zhang.client.get("/queue?from=2024-06-01&to=2024-06-01&reason=bogus&page=x"
                            ).text.count('href="/cases/') == 3
    rows = queue_page(review_env.store, QueueFilter()).rows
    assert [r.submission_id for r in rows] == ["T00000", "T00001", "T00002"]  # oldest first


def test_a_supplement_returns_the_waiting_case_with_both_packets(review_env: ReviewEnv,
                                                                 zhang: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    asked = zhang.decide(pk, {"decision": "request_documents",
                                                 "reason": "请补交签名正确的承诺书"})
    assert asked.status_code == 303
    assert review_env.store.get_submission(pk).status == "waiting"  # type: ignore[union-attr]
    assert pk not in [r.pk for r in queue_page(review_env.store, QueueFilter()).rows]
    # a packet naming the same certificate but another person is not linked
    batch = review_env.store.start_batch(inbox="supplements")
    other, images = sample_result("U1", review_env.registry, mismatch=False, certificate_overrides={
        "holder_name": "赵六", "id_number": "360102198505050019"})
    review_env.store.save_result(other, batch_id=batch, images=images)
    other_pk = review_env.store.find_submission("U1", other.content_sha256).pk  # type: ignore[union-attr]
    assert link_supplement(review_env.store, other_pk) is None
    # the applicant's new packet: a corrected letter, same certificate
    new, images = sample_result("T00000-补", review_env.registry, mismatch=False)
    review_env.store.save_result(new, batch_id=batch, images=images)
    new_pk = review_env.store.find_submission(new.submission_id, new.content_sha256).pk  # type: ignore[union-attr]
    assert link_supplement(review_env.store, new_pk) == pk
    assert review_env.store.get_submission(pk).status == "done"  # type: ignore[union-attr]
    queued = [r.pk for r in queue_page(review_env.store, QueueFilter()).rows]
    assert pk in queued and new_pk not in queued
    page = zhang.client.get(f"/cases/{pk}").text  # checks re-run on the combined packet
    assert "补充材料 T00000-补" in page and page.count('<img src="/images/') == 6
    assert _check(page, "certificate_number_mismatch") == "pass"
    assert "并入补充材料后重新检查" in page
    assert zhang.client.get(f"/cases/{new_pk}").headers["location"] == \
        f"/cases/{pk}#packet-{new_pk}"
    # U1 (another person) claims the same certificate: that stays a failed check
    assert _check(page, "duplicate_claim") == "fail" and "U1" in page
    # approving the case (with a note) closes the supplement too
    zhang.post(f"/cases/{pk}/claim")
    assert zhang.decide(pk, {
        "decision": "approve", "note": "U1 为他人冒用，已另案处理"}).status_code == 303
    assert review_env.store.get_submission(new_pk).status == "approved"  # type: ignore[union-attr]
    assert link_supplement(review_env.store, new_pk) is None  # nothing waits any more
