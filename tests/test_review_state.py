"""Decisions that stay decided: the case state machine over HTTP and in the store.

After a decision no field, check or lock changes, except through a supervisor's
audited reopen; a decision is refused when the case changed since the reviewer's
page showed it; an edit and its recheck are one transaction.
"""

from __future__ import annotations

import re

import pytest
from test_review_support import ReviewEnv, Session

from zhanchi.errors import StoreError
from zhanchi.review.samples import CERT_NUMBER, WRONG_NUMBER
from zhanchi.store.case_state import CaseClosedError, NotHolderError, StaleCaseError

pytest_plugins = ["test_review_support"]

_VERSION = re.compile(r'name="version" value="([0-9]+)"')


def _edit(s: Session, pk: int, value: str, name: str = "certificate_number"):  # type: ignore[no-untyped-def]
    return s.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": name,
                                          "value": value})


def _version(s: Session, pk: int) -> str:
    match = _VERSION.search(s.client.get(f"/cases/{pk}").text)
    assert match, "the decision form carries no case version"
    return match.group(1)


def test_nothing_changes_after_a_decision(review_env: ReviewEnv, zhang: Session) -> None:
    store, pk = review_env.store, review_env.cases[0]
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    assert zhang.decide(pk, {"decision": "reject", "reason": "材料疑似伪造"}).status_code == 303
    events = len(store.history(pk))
    version = store.case_version(pk)
    edit = _edit(zhang, pk, CERT_NUMBER)
    assert edit.status_code == 409 and "主管重新打开" in edit.text
    assert zhang.post(f"/cases/{pk}/recheck").status_code == 409
    assert zhang.post(f"/cases/{pk}/claim").status_code == 409
    assert store.documents(pk)[0].fields["certificate_number"].value == WRONG_NUMBER
    assert (len(store.history(pk)), store.case_version(pk)) == (events, version)
    assert store.case_lock(pk) is None
    with pytest.raises(CaseClosedError):  # the store refuses it too, whoever asks
        store.edit_field(pk, 0, "certificate_number", CERT_NUMBER, actor="script")


def test_a_decision_on_a_changed_case_is_refused(review_env: ReviewEnv, zhang: Session) -> None:
    store, pk = review_env.store, review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    seen = _version(zhang, pk)
    assert _edit(zhang, pk, CERT_NUMBER).status_code == 303  # e.g. in another tab
    stale = zhang.post(f"/cases/{pk}/decision", {"decision": "approve", "version": seen})
    assert stale.status_code == 409 and "已有变化" in stale.text
    assert store.get_submission(pk).status == "done"  # type: ignore[union-attr]
    missing = zhang.post(f"/cases/{pk}/decision", {"decision": "approve"})
    assert missing.status_code == 409 and "版本" in missing.text
    fresh = _version(zhang, pk)
    assert int(fresh) == int(seen) + 1  # the edit and its recheck: one transition
    assert zhang.post(f"/cases/{pk}/decision", {"decision": "approve", "version": fresh}
                      ).status_code == 303
    decision = [e for e in store.history(pk) if e.kind == "review.decision"][-1]
    assert decision.payload["version"] == int(fresh)


def test_an_edit_and_its_recheck_are_one_transaction(review_env: ReviewEnv,
                                                     zhang: Session) -> None:
    store, pk = review_env.store, review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    assert _edit(zhang, pk, CERT_NUMBER).status_code == 303
    kinds = [e.kind for e in store.history(pk)][-2:]
    assert kinds == ["review.field_edit", "review.recheck"]
    run, checks = store.checks(pk)
    assert run == 2 and not [c for c in checks if c.status == "fail"]
    # a recheck that fails rolls the edit back with it: nothing half-done is stored
    events = len(store.history(pk))
    with pytest.raises(StoreError):
        with store.case_change(pk, actor="zhang", holder="zhang") as tx:
            tx.edit_field(pk, 0, "certificate_number", WRONG_NUMBER)
            tx.edit_field(pk, 7, "level", 3)  # no such document: the transition fails
    assert store.documents(pk)[0].fields["certificate_number"].value == CERT_NUMBER
    assert len(store.history(pk)) == events


def test_only_the_holder_changes_a_case(review_env: ReviewEnv, zhang: Session,
                                       li: Session) -> None:
    store, pk = review_env.store, review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    assert _edit(li, pk, CERT_NUMBER).status_code == 409
    assert li.post(f"/cases/{pk}/decision", {"decision": "reject", "reason": "x",
                                             "version": "0"}).status_code == 409
    with pytest.raises(NotHolderError):
        store.decide_case(pk, "reject", reviewer="li", reason="x")
    with pytest.raises(StaleCaseError):
        store.decide_case(pk, "reject", reviewer="zhang", reason="x", version=5)
    assert store.get_submission(pk).status == "done"  # type: ignore[union-attr]


def test_a_supervisor_reopens_a_decided_case(review_env: ReviewEnv, zhang: Session,
                                             boss: Session) -> None:
    store, pk = review_env.store, review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    _edit(zhang, pk, CERT_NUMBER)
    assert zhang.decide(pk, {"decision": "approve"}).status_code == 303
    assert store.find_recorded_claims(certificate_number=CERT_NUMBER)
    page = boss.client.get(f"/cases/{pk}").text
    assert f'action="/cases/{pk}/reopen"' in page
    assert f'action="/cases/{pk}/reopen"' not in zhang.client.get(f"/cases/{pk}").text
    assert zhang.post(f"/cases/{pk}/reopen", {"reason": "复核"}).status_code == 403
    assert boss.post(f"/cases/{pk}/reopen", {"reason": " "}).status_code == 422
    version = store.case_version(pk)
    reopened = boss.post(f"/cases/{pk}/reopen", {"reason": "证书编号需再次核对"})
    assert reopened.status_code == 303
    assert store.get_submission(pk).status == "done"  # type: ignore[union-attr]
    assert store.case_version(pk) == version + 1
    event = store.history(pk)[-1]
    assert (event.kind, event.actor) == ("review.reopen", "boss")
    assert event.payload == {"reason": "证书编号需再次核对", "from": "approved", "to": "done",
                             "claim_withdrawn": True}
    assert store.find_recorded_claims(certificate_number=CERT_NUMBER) == []
    assert boss.post(f"/cases/{pk}/reopen", {"reason": "again"}).status_code == 409
    # back in the queue: claimed, corrected and decided again
    assert zhang.post(f"/cases/{pk}/claim").status_code == 303
    assert _edit(zhang, pk, WRONG_NUMBER).status_code == 303
    assert zhang.decide(pk, {"decision": "reject", "reason": "证书编号不符"}).status_code == 303
    assert store.verify_chain().ok


def test_a_supplement_and_its_recheck_are_one_transition(review_env: ReviewEnv,
                                                         zhang: Session) -> None:
    from zhanchi.pipeline.inputs import RecheckInputs
    from zhanchi.pipeline.supplements import link_supplement
    from zhanchi.review.samples import sample_result

    store, pk = review_env.store, review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    assert zhang.decide(pk, {"decision": "request_documents", "reason": "补交承诺书"}
                        ).status_code == 303
    version = store.case_version(pk)
    new, images = sample_result("T00000-补", review_env.registry, mismatch=False)
    store.save_result(new, batch_id=store.start_batch(inbox="later"), images=images)
    new_pk = store.find_submission(new.submission_id, new.content_sha256).pk  # type: ignore[union-attr]
    inputs = RecheckInputs(store, review_env.registry)
    assert link_supplement(store, new_pk, inputs=inputs) == pk
    assert store.case_version(pk) == version + 1
    kinds = [e.kind for e in store.history(pk)][-2:]
    assert kinds == ["review.supplement_linked", "review.recheck"]
    assert store.history(pk)[-1].payload["packets"] == [pk, new_pk]
    _, checks = store.checks(pk)
    assert next(c for c in checks if c.code == "certificate_number_mismatch").status == "pass"
    assert link_supplement(store, new_pk, inputs=inputs) is None  # the case waits no more


def test_a_batch_recheck_leaves_held_and_decided_cases_alone(review_env: ReviewEnv,
                                                             zhang: Session) -> None:
    from zhanchi.flows.recheck import recheck_store
    from zhanchi.registry import load_registries

    store = review_env.store
    held, decided, free = review_env.cases
    zhang.post(f"/cases/{decided}/claim")
    assert zhang.decide(decided, {"decision": "reject", "reason": "x"}).status_code == 303
    zhang.post(f"/cases/{held}/claim")
    versions = {pk: store.case_version(pk) for pk in review_env.cases}
    summary = recheck_store(store, load_registries(review_env.registry), force=True)
    assert (summary.checked, summary.held, len(summary.changed)) == (2, 1, 1)
    assert store.case_version(held) == versions[held]
    assert store.case_version(decided) == versions[decided]  # not even a target
    assert store.case_version(free) == versions[free] + 1
