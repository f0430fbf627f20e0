"""Export for payment (CSV and XLSX): preview first, each claim once, re-export only when
a supervisor asks (and says why), every export in the log with the ids it carried;
and the dashboard's numbers. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from openpyxl import load_workbook
from review_db_support import export, preview
from sqlalchemy import select
from test_review_support import ReviewEnv, Session, session_for

from zhanchi.policy import load_policy
from zhanchi.registry import load_registries
from zhanchi.review.aliases import name_matcher
from zhanchi.review.dashboard import build_dashboard
from zhanchi.review.export import neutralise
from zhanchi.review.samples import AS_OF, PERSON, add_sample_cases, cert_number
from zhanchi.store.schema import EventRow

pytest_plugins = ["test_review_support", "pg_fixtures", "review_db_support"]


def _decide(s: Session, pk: int, decision: str, **form: str) -> None:
    assert s.post(f"/cases/{pk}/claim").status_code == 303
    response = s.decide(pk, {"decision": decision, **form})
    assert response.status_code == 303, response.text[:300]


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _exports(env: ReviewEnv) -> list[dict[str, object]]:
    with env.store.reader() as s:
        return [json.loads(p) for p in s.scalars(
            select(EventRow.payload).where(EventRow.kind == "review.export").order_by(EventRow.id))]


def test_export_lists_decided_claims_with_the_policy_amount(db_env: ReviewEnv) -> None:
    zhang, boss = session_for(db_env, "zhang"), session_for(db_env, "boss")
    approved, rejected, _open = db_env.cases
    zhang.post(f"/cases/{approved}/claim")
    zhang.post(f"/cases/{approved}/fields", {"packet": approved, "document": 0,
                                             "name": "certificate_number",
                                             "value": cert_number(0)})
    _decide(zhang, approved, "approve")
    _decide(zhang, rejected, "reject", reason="超过申请期限")
    response = export(boss, "csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    rows = _rows(response.content)
    assert rows[0][:7] == ["提交编号", "姓名", "身份证号", "职业（工种）", "等级", "证书编号",
                           "补贴金额（元）"]
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == {"T00000", "T00001"}  # the undecided case is not exported
    assert body["T00000"][1:8] == [PERSON["name"], PERSON["id_number"], "电工", "4（四级/中级工）",
                                   cert_number(0), "1500", "批准"]
    assert body["T00000"][9] == "zhang"
    assert body["T00001"][6:9] == ["0", "驳回", "超过申请期限"]


def test_preview_shows_count_amount_and_masked_rows_before_anything_leaves(
        db_env: ReviewEnv) -> None:
    zhang, boss = session_for(db_env, "zhang"), session_for(db_env, "boss")
    _decide(zhang, db_env.cases[1], "reject", reason="材料不全")
    page = preview(boss).text
    assert 'data-export-count>1<' in page and "补贴合计 0 元" in page
    assert "T00001" in page and "360102********123X" in page
    assert PERSON["id_number"] not in page  # the preview masks; only the file is in full
    assert _exports(db_env) == []  # previewing hands nothing out


def test_exported_claims_are_left_out_and_a_re_export_needs_a_reason(db_env: ReviewEnv) -> None:
    zhang, boss = session_for(db_env, "zhang"), session_for(db_env, "boss")
    first, second, third = db_env.cases
    _decide(zhang, first, "reject", reason="材料不全")
    _decide(zhang, second, "reject", reason="材料不全")
    assert [r[0] for r in _rows(export(boss, "csv").content)[1:]] == ["T00000", "T00001"]
    # nothing new: the second export is refused, not an empty or repeated file
    again = export(boss, "csv")
    assert again.status_code == 409 and "都已导出过" in again.text
    assert "另有 2 件已导出过" in preview(boss).text
    _decide(zhang, third, "reject", reason="材料不全")
    assert [r[0] for r in _rows(export(boss, "csv").content)[1:]] == ["T00002"]
    # a re-export without a reason is refused; with one it carries everything, and says so
    no_reason = boss.post("/export/csv", {"again": "1", "expect": "x", "from": "2020-01-02"})
    assert no_reason.status_code == 422 and "须填写理由" in no_reason.text
    # the refusal keeps the form as sent: the re-export box open and ticked, the dates
    assert '<details class="reexport" open>' in no_reason.text
    assert 'name="again" value="1" checked' in no_reason.text
    assert 'name="from" value="2020-01-02"' in no_reason.text
    redo = export(boss, "xlsx", again="1", why="财务退回重发")
    assert redo.status_code == 200
    sheet = load_workbook(io.BytesIO(redo.content)).active
    assert sheet is not None
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["T00000", "T00001", "T00002"]
    events = _exports(db_env)
    assert [e["submissions"] for e in events] == [
        ["T00000", "T00001"], ["T00002"], ["T00000", "T00001", "T00002"]]
    assert [e["reexport"] for e in events] == [False, False, True]
    assert events[2]["why"] == "财务退回重发" and len(events[2]["reexported_pks"]) == 3  # type: ignore[arg-type]
    assert all(e["id_numbers_shown"] for e in events)
    assert all(PERSON["id_number"] not in json.dumps(e) for e in events)
    assert db_env.store.verify_chain().ok
    # the case page says it left for payment
    assert "已导出发放清单" in boss.client.get(f"/cases/{first}").text


def test_a_download_that_differs_from_its_preview_is_refused(db_env: ReviewEnv) -> None:
    zhang, boss = session_for(db_env, "zhang"), session_for(db_env, "boss")
    _decide(zhang, db_env.cases[0], "reject", reason="材料不全")
    page = preview(boss).text
    digest = page.split('name="expect" value="')[1].split('"')[0]
    _decide(zhang, db_env.cases[1], "reject", reason="材料不全")  # decided after the preview
    response = boss.post("/export/csv", {"expect": digest})
    assert response.status_code == 409 and "数据有变化" in response.text
    assert 'data-export-count>2<' in response.text and _exports(db_env) == []


def test_spreadsheet_formulas_are_neutralised(db_env: ReviewEnv) -> None:
    zhang, boss = session_for(db_env, "zhang"), session_for(db_env, "boss")
    pk = db_env.cases[0]
    formula = "=HYPERLINK(\"http://x\",\"点我\")"
    zhang.post(f"/cases/{pk}/claim")
    zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": 1, "name": "holder_name",
                                       "value": formula})
    _decide(zhang, pk, "reject", reason="@SUM(A1:A9)")
    row = _rows(export(boss, "csv").content)[1]
    assert row[1] == "'" + formula and row[8] == "'@SUM(A1:A9)"  # CSV keeps its guard
    data = export(boss, "xlsx", again="1", why="核对").content
    cells = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, max_row=2))[0]  # type: ignore[union-attr]
    # XLSX: the exact text, stored as a string (no formula, no visible apostrophe)
    assert cells[1].value == formula and cells[1].data_type == "s" and cells[1].quotePrefix
    assert cells[8].value == "@SUM(A1:A9)" and cells[8].data_type == "s"
    assert cells[2].value == PERSON["id_number"] and cells[2].data_type == "s"  # not 3.6e17
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no cell is a formula


def test_neutralise_covers_full_width_and_control_prefixes() -> None:
    for text in ("=1", "+1", "-1", "@x", "\t=1", "\r=1", "＝1", "＋1"):
        assert neutralise(text).startswith("'")
    assert neutralise("王小明") == "王小明" and neutralise("") == ""


def test_dashboard_numbers(review_env: ReviewEnv, zhang: Session) -> None:
    add_sample_cases(review_env.store, 2, review_env.registry, mismatch=False, prefix="P")
    data = build_dashboard(review_env.store, load_registries(review_env.registry),
                           name_matcher(load_policy(AS_OF)))
    assert (data.decided, data.routed, data.queue_size) == (5, 3, 3)
    assert abs(data.straight_through - 0.4) < 1e-9
    assert data.top_reasons == [("certificate_number_mismatch", 3)]
    assert [(a.name, a.total, a.exceptions) for a in data.agencies] == [
        ("南昌市红谷职业技能培训学校", 5, 3)]
    assert sum(n for _, n in data.age_buckets) == 3
    page = zhang.client.get("/dashboard").text
    assert "40.0%" in page and "<svg" in page and "证书编号不一致" in page
