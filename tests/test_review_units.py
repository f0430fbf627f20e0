"""The review app's parts without HTTP: labels, input parsing, sessions, locks, charts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from zhanchi.models import Check, Document, ExtractedField
from zhanchi.pipeline.recheck import Part, checked_documents
from zhanchi.review.auth import safe_next
from zhanchi.review.charts import hbar_chart
from zhanchi.review.decisions import DecisionProblem, check_decision
from zhanchi.review.editing import EditRejectedError, normalise_input
from zhanchi.review.labels import REASON_LABELS, cn_date, cn_datetime, value_text, waited
from zhanchi.review.passwords import hash_password, password_problem, verify_password
from zhanchi.review.queue import QueueFilter
from zhanchi.review.samples import add_sample_cases, write_registry
from zhanchi.store.review_queries import ReviewConflictError, ReviewStore


def test_every_review_reason_has_a_chinese_label() -> None:
    from zhanchi.models import REVIEW_REASONS

    assert set(REASON_LABELS) == set(REVIEW_REASONS)


def test_dates_read_the_chinese_way() -> None:
    assert cn_date("2021-03-05") == "2021年3月5日"
    assert cn_date(date(2020, 12, 31)) == "2020年12月31日"
    assert cn_date("not a date") == "not a date" and cn_date(None) == ""
    # 23:30 UTC is the next morning in Jiangxi
    assert cn_datetime(datetime(2021, 3, 4, 23, 30, tzinfo=UTC)) == "2021年3月5日 07:30"
    assert cn_date(datetime(2021, 3, 4, 23, 30, tzinfo=UTC)) == "2021年3月5日"
    assert value_text("exam_date", "2020-08-15") == "2020年8月15日"
    assert value_text("level", 4) == "4（四级/中级工）"
    assert value_text("has_signature", False) == "否"
    now = datetime(2024, 1, 10, tzinfo=UTC)
    assert waited(now - timedelta(hours=5), now) == "5小时"
    assert waited(now - timedelta(minutes=3), now) == "3分钟"


@pytest.mark.parametrize(("name", "text", "value"), [
    ("exam_date", "2020年8月15日", "2020-08-15"), ("sign_date", "二〇二〇年八月十五日", "2020-08-15"),
    ("issue_date", "2020.8.15", "2020-08-15"), ("level", "三级/高级工", 3), ("level", "5", 5),
    ("has_fingerprint", "false", False), ("has_signature", "是", True),
    ("certificate_number", " s0000 36-01 ", "S00003601"), ("id_number", "３６０１", "3601"),
    ("holder_name", "阿依古丽 • 买买提", "阿依古丽·买买提"), ("agency", " 南昌 学校 ", "南昌学校"),
])
def test_reviewer_input_is_normalised_like_read_values(name: str, text: str, value: object) -> None:
    assert normalise_input(name, text) == value


@pytest.mark.parametrize(("name", "text", "message"), [
    ("exam_date", "2021-02-30", "无法识别的日期"), ("level", "特级", "无法识别的等级"),
    ("has_signature", "maybe", "是"), ("agency", "   ", "不能为空"),
    ("certificate_number", "---", "字母和数字"), ("occupation", "电" * 201, "内容过长"),
])
def test_unreadable_input_is_refused_in_chinese(name: str, text: str, message: str) -> None:
    with pytest.raises(EditRejectedError) as exc:
        normalise_input(name, text)
    assert message in exc.value.message


def test_decision_rules() -> None:
    failed = [Check(code="name_mismatch", status="fail", message="x")]
    with pytest.raises(DecisionProblem, match="理由"):
        check_decision("reject", "   ", "", [])
    with pytest.raises(DecisionProblem, match="批准须填写说明"):
        check_decision("approve", "", "", failed)
    with pytest.raises(DecisionProblem):
        check_decision("delete", "x", "x", [])
    assert check_decision("approve", "ignored", "", []) == (None, None)
    assert check_decision("approve", "", " 已电话核实 ", failed) == (None, "已电话核实")
    assert check_decision("request_documents", "补交承诺书", "", []) == ("补交承诺书", None)


def test_passwords_are_argon2id_hashes() -> None:
    encoded = hash_password("correct horse battery")
    assert encoded.startswith("$argon2id$") and "correct" not in encoded
    assert verify_password(encoded, "correct horse battery")
    assert not verify_password(encoded, "correct horse battery!")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not a hash", "x")
    assert password_problem("short") and password_problem("aaaaaaaaaaaa")
    assert password_problem("a reasonable pass") is None


def test_redirect_targets_stay_on_this_site() -> None:
    assert safe_next("/cases/3?field=x") == "/cases/3?field=x"
    for bad in ("//evil.example/", "https://evil.example", "/\\evil", "", None, "javascript:x"):
        assert safe_next(bad) == "/queue"


def test_queue_filter_ignores_what_it_cannot_read() -> None:
    flt = QueueFilter.parse("not_a_reason", "b" * 100, "2024-13-01", "2024-06-30", "-3")
    assert (flt.reason, flt.date_from, flt.date_to, flt.page) == (None, None, date(2024, 6, 30), 1)
    assert len(flt.batch or "") == 64
    assert QueueFilter.parse("duplicate_claim", None, None, None, "2").query(2) == {
        "reason": "duplicate_claim", "page": "2"}


def test_charts_escape_their_labels() -> None:
    svg = hbar_chart([("<script>alert(1)</script>", 3), ("缺少手印", 0)], title="t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2


def _doc(doc_type: str, **fields: object) -> Document:
    return Document.model_validate({"type": doc_type, "pages": [], "fields": {
        k: ExtractedField(value=v, confidence=1.0) for k, v in fields.items()}})  # type: ignore[arg-type]


def test_a_supplement_replaces_documents_of_the_same_kind() -> None:
    old_letter, cert = _doc("commitment_letter", signer_name="甲"), _doc("skill_level_certificate")
    new_letter, idcard = _doc("commitment_letter", signer_name="乙"), _doc("unknown")
    docs = checked_documents([Part(1, "A", 1, "a", [old_letter, cert]),
                              Part(2, "B", 1, "b", [new_letter, idcard])])
    assert docs == [new_letter, cert, idcard]


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    store = ReviewStore.open(f"sqlite:///{tmp_path / 'z.sqlite3'}")
    add_sample_cases(store, 1, write_registry(tmp_path / "reg"))
    return store


def test_an_idle_lock_is_taken_over_and_recorded(store: ReviewStore) -> None:
    assert store.claim_case(1, "zhang").ok
    assert not store.claim_case(1, "li").ok
    assert store.touch_case_lock(1, "zhang") and not store.touch_case_lock(1, "li")
    outcome = store.claim_case(1, "li", idle=timedelta(0))  # zhang idle "too long"
    assert outcome.ok and outcome.took_over_from == "zhang"
    assert store.case_lock(1).reviewer == "li"  # type: ignore[union-attr]
    assert store.history(1)[-1].payload == {"took_over_from": "zhang", "why": "idle"}
    with pytest.raises(ReviewConflictError):
        store.decide_case(1, "reject", reviewer="zhang", reason="x")


def test_decided_cases_cannot_be_claimed(store: ReviewStore) -> None:
    store.claim_case(1, "zhang")
    store.decide_case(1, "reject", reviewer="zhang", reason="x")
    with pytest.raises(ReviewConflictError):
        store.claim_case(1, "li")
    assert store.verify_chain().ok


def test_history_tells_who_changed_what_and_folds_repeated_views() -> None:
    from zhanchi.review.history import case_history
    from zhanchi.store import Event

    def ev(i: int, kind: str, actor: str, payload: dict[str, object]) -> Event:
        return Event(i, f"2024-03-05T0{i}:00:00+00:00", actor, kind, 7, payload, "h")

    events = [ev(1, "pipeline.decision", "pipeline", {"route": "review",
                                                       "reasons": ["fingerprint_missing"]}),
              ev(2, "review.view", "zhang", {}), ev(3, "review.view", "zhang", {}),
              ev(4, "review.field_edit", "zhang", {"document_index": 0, "field": "has_fingerprint",
                                                   "from": False, "to": True}),
              ev(5, "review.view", "li", {}),
              ev(6, "review.decision", "li", {"decision": "reject", "reason": "材料疑似伪造"})]
    lines = case_history(events, {(7, 0): "commitment_letter"}, {7: "A1（第1版）"})
    assert [(h.actor, h.text, h.count) for h in lines] == [
        ("li", "决定：驳回（材料疑似伪造）", 1), ("li", "查看案件", 1),
        ("zhang", "修改 承诺书·手印", 1), ("zhang", "查看案件", 2),
        ("流水线", "流水线判定：转人工审核（缺少手印）", 1)]
    assert (lines[2].change_from, lines[2].change_to) == ("否", "是")
    assert lines[0].when == "2024年3月5日 14:00"
