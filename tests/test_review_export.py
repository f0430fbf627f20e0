"""Export for payment (CSV and XLSX) and the dashboard's numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from test_review_support import ReviewEnv, Session

from zhanchi.policy import load_policy
from zhanchi.registry import load_registries
from zhanchi.review.aliases import name_matcher
from zhanchi.review.dashboard import build_dashboard
from zhanchi.review.export import neutralise
from zhanchi.review.samples import AS_OF, PERSON, add_sample_cases, cert_number

pytest_plugins = ["test_review_support"]


def _decide(s: Session, pk: int, decision: str, **form: str) -> None:
    assert s.post(f"/cases/{pk}/claim").status_code == 303
    response = s.post(f"/cases/{pk}/decision", {"decision": decision, **form})
    assert response.status_code == 303, response.text[:300]


def test_export_lists_decided_claims_with_the_policy_amount(review_env: ReviewEnv,
                                                            zhang: Session, boss: Session) -> None:
    approved, rejected, _open = review_env.cases
    zhang.post(f"/cases/{approved}/claim")
    zhang.post(f"/cases/{approved}/fields", {"packet": approved, "document": 0,
                                             "name": "certificate_number",
                                             "value": cert_number(0)})
    _decide(zhang, approved, "approve")
    _decide(zhang, rejected, "reject", reason="超过申请期限")
    response = boss.client.get("/export/csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["提交编号", "姓名", "身份证号", "职业（工种）", "等级", "证书编号",
                           "补贴金额（元）"]
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == {"T00000", "T00001"}  # the undecided case is not exported
    assert body["T00000"][1:8] == [PERSON["name"], PERSON["id_number"], "电工", "4（四级/中级工）",
                                   cert_number(0), "1500", "批准"]
    assert body["T00000"][9] == "zhang"
    assert body["T00001"][6:9] == ["0", "驳回", "超过申请期限"]


def test_export_is_logged_without_the_rows(review_env: ReviewEnv, boss: Session) -> None:
    from sqlalchemy import select

    from zhanchi.store.schema import EventRow

    boss.client.get("/export/xlsx?from=2020-01-01&to=2030-12-31")
    with review_env.store.reader() as s:
        row = s.scalars(select(EventRow).where(EventRow.kind == "review.export")).one()
    assert row.actor == "boss" and '"rows":0' in row.payload
    assert PERSON["id_number"] not in row.payload


def test_spreadsheet_formulas_are_neutralised(review_env: ReviewEnv, zhang: Session,
                                              boss: Session) -> None:
    pk = review_env.cases[0]
    zhang.post(f"/cases/{pk}/claim")
    zhang.post(f"/cases/{pk}/fields", {"packet": pk, "document": 1, "name": "holder_name",
                                       "value": "=HYPERLINK(\"http://x\",\"点我\")"})
    _decide(zhang, pk, "reject", reason="@SUM(A1:A9)")
    text = boss.client.get("/export/csv").content.decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[1] == "'=HYPERLINK(\"http://x\",\"点我\")" and row[8] == "'@SUM(A1:A9)"
    book = load_workbook(io.BytesIO(boss.client.get("/export/xlsx").content))
    sheet = book.active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert cells[1].value == "'=HYPERLINK(\"http://x\",\"点我\")" and cells[1].data_type == "s"
    assert cells[2].value == PERSON["id_number"] and cells[2].data_type == "s"  # text, not 3.6e17
    assert all(not str(c.value).startswith("=") for c in cells)


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
