"""Identity, revisions and decisions: what the pipeline stores and reads back."""

from __future__ import annotations

import json

import pytest
from store_samples import CERT_NUMBER, make_result, make_submission

from zhanchi.errors import StoreError
from zhanchi.models import Check
from zhanchi.store import Store

pytest_plugins = ["pg_fixtures"]


def decide(store: Store, sub_id: str = "A0001", content: str = "v1", **kw: object) -> str:
    batch = store.start_batch("inbox")
    sub = make_submission(sub_id, content)
    claim = store.claim_submission(sub, batch)
    assert claim is not None
    return store.save_result(make_result(sub, claim.revision, **kw), claim=claim)  # type: ignore[arg-type]


def test_full_result_round_trips_exactly(store: Store) -> None:
    sub = make_submission()
    result = make_result(sub)
    line = result.to_json_line()
    batch = store.start_batch("inbox", as_of="2024-03-05", options={"engine": "fake"})
    claim = store.claim_submission(sub, batch)
    assert claim is not None and claim.revision == 1

    assert store.save_result(result, claim=claim) == line
    found = store.find_submission(sub.submission_id, sub.content_sha256)
    assert found is not None and found.status == "done" and found.route == "review"
    assert found.result_json == line
    assert store.result_line(claim.pk) == line
    loaded = store.load_result(claim.pk)
    assert loaded is not None and loaded.to_json_line() == line
    assert json.loads(line)["batch_note"] == "extra top-level key"
    # the row-by-row copy rebuilds the same documents, extra keys included
    docs = store.documents(claim.pk)
    assert [d.model_dump(mode="json") for d in docs] == \
        [d.model_dump(mode="json") for d in result.documents]
    assert docs[0].fields["exam_county"].model_extra == {"current_unit": "广信区"}
    assert docs[0].pages[0].model_extra == {"dpi": 300}
    run, checks = store.checks(claim.pk)
    assert run == 1 and checks == result.checks
    assert store.all_result_lines() == [line]
    assert store.result_lines_since(batch_id=batch) == [line]
    assert store.result_lines_since(batch_id="another") == []


def test_same_id_same_content_is_found_changed_content_is_revision_2(store: Store) -> None:
    assert store.next_revision("A0001") == 1
    first = decide(store, content="v1")
    batch = store.start_batch("inbox")
    again = make_submission("A0001", "v1")
    assert store.find_submission("A0001", again.content_sha256) is not None
    assert store.claim_submission(again, batch) is None  # decided: skipped, no second line
    changed = make_submission("A0001", "v2")
    assert store.find_submission("A0001", changed.content_sha256) is None
    assert store.next_revision("A0001") == 2
    claim = store.claim_submission(changed, batch)
    assert claim is not None and claim.revision == 2
    second = store.save_result(make_result(changed, 2), claim=claim)
    assert json.loads(second)["revision"] == 2
    assert [s.revision for s in store.revisions("A0001")] == [1, 2]
    assert store.all_result_lines() == [first, second]
    assert store.next_revision("B0001") == 1


def test_save_without_claim_creates_row_and_refuses_second_decision(store: Store) -> None:
    batch = store.start_batch("inbox")
    sub = make_submission("C0001")
    result = make_result(sub)
    line = store.save_result(result, batch_id=batch, files=sub.files)
    stored = store.find_submission("C0001", sub.content_sha256)
    assert stored is not None and stored.result_json == line and stored.revision == 1
    # the same decision again is harmless; a different one is refused
    assert store.save_result(result, batch_id=batch) == line
    other = make_result(sub, failing=False)
    with pytest.raises(StoreError, match="already decided"):
        store.save_result(other, batch_id=batch)
    # an existing revision number with other content is refused, not overwritten
    with pytest.raises(StoreError, match="other content"):
        store.save_result(make_result(make_submission("C0001", "v2"), 1), batch_id=batch)
    assert store.all_result_lines() == [line]


def test_save_result_checks_claim_matches(store: Store) -> None:
    batch = store.start_batch("inbox")
    sub = make_submission()
    claim = store.claim_submission(sub, batch)
    assert claim is not None
    with pytest.raises(ValueError):
        store.save_result(make_result(sub, revision=2), claim=claim)
    with pytest.raises(ValueError):
        store.save_result(make_result(make_submission(content="other")), claim=claim)
    with pytest.raises(ValueError):
        store.save_result(make_result(sub))  # neither claim nor batch


def test_pass_records_claim_and_other_claims_are_found(store: Store) -> None:
    decide(store, "P0001", "p1", failing=False)
    recorded = store.find_recorded_claims(certificate_number=CERT_NUMBER)
    assert [(r.source, r.level, r.occupation) for r in recorded] == [("pipeline_pass", 4, "电工")]
    assert store.find_recorded_claims(id_number="36010219900101001X", occupation="电工")
    assert store.find_recorded_claims(id_number="36010219900101001X", occupation="焊工") == []
    decide(store, "R0001", "r1")  # routed to review: not a recorded claim
    assert len(store.find_recorded_claims(certificate_number=CERT_NUMBER)) == 1
    others = store.other_claims_for_certificate(CERT_NUMBER, "R0001")
    assert [o.submission_id for o in others] == ["P0001"]
    assert store.other_claims_for_certificate("S999", "R0001") == []
    # another id is another submission even with identical files (SPEC §6) ...
    decide(store, "P0002", "p1", failing=False)
    assert [o.submission_id for o in store.other_claims_for_certificate(
        CERT_NUMBER, ["P0001", "R0001"])] == ["P0002"]
    # ... and a revision of the same id is not
    assert store.other_claims_for_certificate(CERT_NUMBER, ["P0001", "P0002", "R0001"]) == []


def test_in_flight_claim_is_visible_to_concurrent_packets(store: Store) -> None:
    batch = store.start_batch("inbox")
    a = store.claim_submission(make_submission("D1", "d1"), batch)
    assert a is not None
    store.set_claimed_certificate(a.pk, CERT_NUMBER)
    others = store.other_claims_for_certificate(CERT_NUMBER, "D2")
    assert [(o.submission_id, o.status) for o in others] == [("D1", "processing")]


def test_recheck_edit_and_status_are_recorded_beside_the_original(store: Store) -> None:
    line = decide(store)
    found = store.find_submission("A0001", make_submission().content_sha256)
    assert found is not None
    pk_ = found.pk
    store.edit_field(pk_, 0, "has_fingerprint", True, actor="reviewer:li")
    assert store.documents(pk_)[0].fields["has_fingerprint"].value is True
    with pytest.raises(StoreError):
        store.edit_field(pk_, 9, "level", 3, actor="reviewer:li")
    run = store.add_check_run(pk_, [Check(code="fingerprint_missing", status="pass", message="有手印")],
                              actor="reviewer:li", policy_version="jx-2020-332/v1",
                              kind="review.recheck")
    assert run == 2
    assert store.checks(pk_, run=1)[1][0].status == "fail"
    # every check passes now, but a recheck never takes a held packet out of review
    assert store.get_submission(pk_).route == "review"  # type: ignore[union-attr]
    assert store.case_version(pk_) == 2  # each change raised the case's version
    with store.case_change(pk_, actor="x"):
        pass  # a transition that changed nothing leaves the version alone
    assert store.case_version(pk_) == 2
    assert store.result_line(pk_) == line  # the pipeline's line is never rewritten
    kinds = [e.kind for e in store.history(pk_)]
    assert kinds == ["pipeline.decision", "review.field_edit", "review.recheck"]
    edit = store.history(pk_)[1].payload
    assert edit == {"document_index": 0, "field": "has_fingerprint", "from": False, "to": True}
    assert store.verify_chain().ok


def test_a_reviewers_value_clears_the_illegible_mark(store: Store) -> None:
    from zhanchi.models import ExtractedField

    sub = make_submission("I0001", "i1")
    result = make_result(sub)
    result.documents[0].fields["exam_county"] = ExtractedField.model_validate(
        {"value": "", "confidence": 0.0, "bbox": [1, 2, 3, 4], "illegible": True})
    claim = store.claim_submission(sub, store.start_batch("inbox"))
    assert claim is not None
    store.save_result(result, claim=claim)
    assert store.documents(claim.pk)[0].fields["exam_county"].model_extra == {"illegible": True}
    store.edit_field(claim.pk, 0, "exam_county", "青山湖区", actor="reviewer:li")
    county = store.documents(claim.pk)[0].fields["exam_county"]
    assert county.value == "青山湖区" and not (county.model_extra or {}).get("illegible")
    assert county.bbox == [1, 2, 3, 4]  # the reviewer still sees where it was
