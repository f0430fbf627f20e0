"""Agency corrections → alias suggestions → registry data, over HTTP, on SQLite and PostgreSQL.

A reviewer corrects a letter's agency from a written variant to the filed name; that
suggests the variant as an alias. The supervisor who also made the correction cannot
accept it, another one can (the guard permitting); then the alias is registry data:
an explicit recheck and a new batch match the variant, and the results' provenance
names the aliases' hash. A held case stays held whatever the recheck finds.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from feedback_support import CHIEF, VARIANT, FeedbackEnv, events_of

from zhanchi.config import RunSettings
from zhanchi.flows.recheck import recheck_store, registries_for
from zhanchi.models import Submission
from zhanchi.pipeline import stages
from zhanchi.pipeline.batch import BatchRun, Planned
from zhanchi.pipeline.decide import Extracted
from zhanchi.registry.aliases import ALIASES_FILE, AcceptedAlias, aliases_csv
from zhanchi.review.queue import is_queued
from zhanchi.review.samples import AGENCY, sample_documents
from zhanchi.store.aliases import accepted_aliases, alias_suggestions

pytest_plugins = ["pg_fixtures", "test_review_support", "feedback_support"]

OTHER_PLACE = "南昌县红谷职业技能培训学校"  # another county: never an alias of 南昌市…


def _agency_check(fb: FeedbackEnv, pk: int) -> str:
    return next(c.status for c in fb.store.checks(pk)[1] if c.code == "agency_not_filed")


def _correct_agency(fb: FeedbackEnv, who: str, pk: int, value: str = AGENCY) -> None:
    s = fb.session(who)
    assert s.post(f"/cases/{pk}/claim").status_code == 303
    edit = s.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": "agency",
                                          "value": value})
    assert edit.status_code == 303, edit.text[:300]


def test_suggested_by_corrections_accepted_by_another_supervisor_used_by_rechecks(
        feedback: FeedbackEnv) -> None:
    fb = feedback
    first, second, waiting = (fb.add_case(f"V{i}", i, agency=VARIANT) for i in range(3))
    assert _agency_check(fb, first) == "fail"
    _correct_agency(fb, "zhang", first)
    assert _agency_check(fb, first) == "pass"  # the checks judge the corrected name
    _correct_agency(fb, "boss", second)
    [suggestion] = alias_suggestions(fb.store)
    assert (suggestion.alias, suggestion.agency_name, suggestion.times) == (VARIANT, AGENCY, 2)
    assert suggestion.suggested_by == ("zhang", "boss") and suggestion.status == "pending"

    boss = fb.session("boss")
    page = boss.client.get("/aliases")
    assert page.status_code == 200 and VARIANT in page.text and "须由另一位主管决定" in page.text
    own = boss.post(f"/aliases/{suggestion.id}/decision", {"decision": "accept"})
    assert own.status_code == 403  # the supervisor who suggested it may not accept it
    assert alias_suggestions(fb.store)[0].status == "pending" and not accepted_aliases(fb.store)
    assert fb.session("zhang").client.get("/aliases").status_code == 403  # supervisors only

    chief = fb.session(CHIEF[0])
    assert chief.post(f"/aliases/{suggestion.id}/decision",
                      {"decision": "accept"}).status_code == 303
    assert accepted_aliases(fb.store) == [AcceptedAlias(VARIANT, AGENCY)]
    [(actor, payload)] = events_of(fb.store, "alias.accepted")
    assert actor == CHIEF[0] and payload["suggested_by"] == ["zhang", "boss"]
    again = chief.post(f"/aliases/{suggestion.id}/decision", {"decision": "reject"})
    assert again.status_code == 409  # decided stays decided

    # an explicit recheck in the app now matches the variant, but the case stays held
    assert _agency_check(fb, waiting) == "fail"
    li = fb.session("li")
    assert li.post(f"/cases/{waiting}/claim").status_code == 303
    assert li.post(f"/cases/{waiting}/recheck").status_code == 303
    assert _agency_check(fb, waiting) == "pass"
    assert not [c for c in fb.store.checks(waiting)[1] if c.status == "fail"]
    sub = fb.store.get_submission(waiting)
    assert sub is not None and sub.route == "review" and sub.status == "done"
    assert is_queued(fb.store, waiting)  # only a reviewer's decision takes it out

    # `zhanchi recheck` sees the alias too, and records the aliases' hash
    fourth = fb.add_case("V3", 3, agency=VARIANT)
    registries = registries_for(fb.store, fb.registry)
    digest = hashlib.sha256(aliases_csv([AcceptedAlias(VARIANT, AGENCY)]).encode()).hexdigest()
    assert registries.sha256()[ALIASES_FILE] == digest
    summary = recheck_store(fb.store, registries, submission_ids=["V3"], actor="test")
    assert summary.changed == [("V3", "review", "review")]
    assert _agency_check(fb, fourth) == "pass"
    recheck = fb.store.history(fourth)[-1]
    assert recheck.kind == "pipeline.recheck"
    assert recheck.payload["registry_sha256"][ALIASES_FILE] == digest
    assert fb.store.verify_chain().ok


def test_guard_refuses_an_alias_naming_another_place(feedback: FeedbackEnv) -> None:
    fb = feedback
    pk = fb.add_case("C0", 0, agency=OTHER_PLACE)
    _correct_agency(fb, "zhang", pk)
    [suggestion] = alias_suggestions(fb.store)
    assert suggestion.alias == OTHER_PLACE  # recorded: reviewers see what was typed
    chief = fb.session(CHIEF[0])
    page = chief.client.get("/aliases").text
    assert "不可采用" in page and "南昌县" in page and "南昌市" in page
    refused = chief.post(f"/aliases/{suggestion.id}/decision", {"decision": "accept"})
    assert refused.status_code == 422 and "地名" in refused.text
    assert alias_suggestions(fb.store)[0].status == "pending" and not accepted_aliases(fb.store)
    assert chief.post(f"/aliases/{suggestion.id}/decision",
                      {"decision": "reject", "note": "另一县的机构"}).status_code == 303
    assert alias_suggestions(fb.store)[0].status == "rejected"
    assert events_of(fb.store, "alias.rejected")[0][0] == CHIEF[0]


def test_corrections_that_teach_nothing_suggest_nothing(feedback: FeedbackEnv) -> None:
    fb = feedback
    pk = fb.add_case("N0", 0, agency=VARIANT)
    _correct_agency(fb, "zhang", pk, "某某市某某培训中心")  # not a filed agency
    assert alias_suggestions(fb.store) == []
    s = fb.session("li")
    edit = s.post(f"/cases/{pk}/fields", {"packet": pk, "document": 0, "name": "level",
                                          "value": "3"})
    assert edit.status_code in (303, 409) and alias_suggestions(fb.store) == []


def test_dashboard_counts_filed_agencies_only(feedback: FeedbackEnv) -> None:
    fb = feedback
    fb.add_case("D0", 0)
    fb.add_case("D1", 1, agency=VARIANT)
    typed = fb.add_case("D2", 2, agency=VARIANT)
    _correct_agency(fb, "zhang", typed, "随便写的培训中心")  # a reviewer-typed unfiled name
    page = fb.session("li").client.get("/dashboard").text
    table = page[page.index("各备案鉴定机构异常率"):]
    assert AGENCY in table
    assert "随便写的培训中心" not in page and VARIANT not in page
    assert "另有 2 件所填机构不在备案名录中" in page


def test_a_new_batch_matches_the_accepted_alias_and_names_its_hash(
        feedback: FeedbackEnv, store_url: str, tmp_path: Path) -> None:
    fb = feedback
    _correct_agency(fb, "zhang", fb.add_case("B0", 0, agency=VARIANT))
    [suggestion] = alias_suggestions(fb.store)
    assert fb.session(CHIEF[0]).post(f"/aliases/{suggestion.id}/decision",
                                     {"decision": "accept"}).status_code == 303
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    run = BatchRun(RunSettings(inbox=inbox, registry_dir=fb.registry, out_dir=tmp_path / "out",
                               db_url=store_url, as_of="2024-06-30"))
    try:
        digest = hashlib.sha256(aliases_csv([AcceptedAlias(VARIANT, AGENCY)]).encode()
                                ).hexdigest()
        assert run.provenance.registry_sha256[ALIASES_FILE] == digest
        assert VARIANT in run.agencies()  # extraction's gazetteer knows it too
        documents, _ = sample_documents("NEW1", index=7, mismatch=False,
                                        letter_overrides={"agency": VARIANT})
        sub = Submission(submission_id="NEW1", files=[], received_at=datetime.now(UTC),
                         content_sha256=hashlib.sha256(b"NEW1").hexdigest())
        claim = run.store.claim_submission(sub, run.batch_id)
        assert claim is not None
        result = stages.decide(run, Planned(entry=None, revision=claim.revision, claim=claim),
                               Extracted(sub, documents, [], {}, 3, 0), 0, {})
    finally:
        run.close()
        run.store.close()
    assert result.route == "pass" and result.reasons == []
    check = next(c for c in result.checks if c.code == "agency_not_filed")
    assert check.status == "pass" and VARIANT in check.message
    assert result.provenance is not None
    assert result.provenance.registry_sha256[ALIASES_FILE] == digest
