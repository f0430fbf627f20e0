"""Sorting the queue and exporting for payment in a real browser (Debian's chromium).

A reviewer sorts the queue by clicking column headers (the server sorts; the order
shown is checked row by row), opens "my cases", and rejects a case; a supervisor
previews the export (count, amount, masked ID numbers), downloads it, and finds that a
second export carries nothing unless a re-export is asked for. Screenshots are saved
to ``test-artifacts/``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser_support import (  # noqa: F401 - server is the fixture
    ARGS,
    ARTIFACTS,
    CHROMIUM,
    NEEDS_CHROMIUM,
    login,
    queue_rows,
    server,
)
from openpyxl import load_workbook
from test_review_queue_view import _spread
from test_review_support import ReviewEnv

from zhanchi.review.samples import PERSON

pytest_plugins = ["test_review_support"]
pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]



def test_sort_the_queue_then_preview_and_export_once(server: str,  # noqa: F811
                                                     review_env: ReviewEnv,
                                                     tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    _spread(review_env)  # levels 3, 5, 4; deadlines: case 3 first, case 2 unknown
    problems: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            reviewer = browser.new_context(viewport={"width": 1500, "height": 800},
                                           locale="zh-CN").new_page()
            reviewer.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            reviewer.on("console", lambda m: problems.append(m.text)
                        if m.type == "error" else None)
            login(reviewer, server, "zhang", "reviewer-pass-1")
            assert queue_rows(reviewer) == [3, 1, 2]  # nearest deadline first
            reviewer.click("a[data-sort=level]")
            reviewer.wait_for_url("**/queue?sort=level")
            assert queue_rows(reviewer) == [1, 3, 2]
            reviewer.click("a[data-sort=level]")  # again: the other way round
            reviewer.wait_for_url("**/queue?sort=level&order=desc")
            assert queue_rows(reviewer) == [2, 3, 1]
            assert reviewer.locator("th[aria-sort=descending]").inner_text().startswith("申领等级")
            reviewer.click("a[data-sort=name]")
            reviewer.wait_for_url("**/queue?sort=name")
            reviewer.screenshot(path=str(ARTIFACTS / "review-queue-sorted.png"), full_page=True)
            assert PERSON["id_number"] not in reviewer.content()

            reviewer.locator('tr[data-pk="1"] form[action="/cases/1/claim"] button').click()
            reviewer.wait_for_url(f"{server}/cases/1")
            reviewer.goto(f"{server}/queue?view=mine")
            assert queue_rows(reviewer) == [1]
            reviewer.goto(f"{server}/cases/1")
            reviewer.locator('#decide details[data-decision="reject"] summary').click()
            reviewer.fill('#decide details[data-decision="reject"] input[name=reason]',
                          "证书编号与名单不符")
            reviewer.locator('#decide details[data-decision="reject"] button[type=submit]').click()
            reviewer.wait_for_url(f"{server}/cases/1?msg=decided")
            assert "理由：证书编号与名单不符" in reviewer.locator("#outcome").inner_text()

            boss = browser.new_context(viewport={"width": 1500, "height": 800}, locale="zh-CN",
                                       accept_downloads=True).new_page()
            boss.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            login(boss, server, "boss", "supervisor-pass-1")
            boss.goto(f"{server}/export")
            boss.fill("input[name=from]", "2020-01-01")
            boss.fill("input[name=to]", "2099-12-31")
            boss.click("button[data-preview]")
            boss.wait_for_url("**/export/preview?**")
            assert boss.locator("[data-export-count]").inner_text() == "1"
            preview = boss.locator("#preview").inner_text()
            assert "T00000" in preview and "360102********123X" in preview
            assert PERSON["id_number"] not in boss.content()
            boss.screenshot(path=str(ARTIFACTS / "review-export-preview.png"), full_page=True)
            with boss.expect_download() as info:
                boss.click("button[data-download=xlsx]")
            target = tmp_path / "export.xlsx"
            info.value.save_as(target)
            sheet = load_workbook(io.BytesIO(target.read_bytes())).active
            assert sheet is not None
            rows = list(sheet.iter_rows(min_row=2, values_only=True))
            assert [r[0] for r in rows] == ["T00000"] and rows[0][2] == PERSON["id_number"]

            boss.reload()  # the same preview again: nothing new to pay
            assert boss.locator("[data-export-count]").inner_text() == "0"
            assert "另有 1 件已导出过" in boss.locator("[data-export-already]").inner_text()
            assert boss.locator("button[data-download]").count() == 0
            boss.screenshot(path=str(ARTIFACTS / "review-export-again.png"), full_page=True)
            boss.goto(f"{server}/cases/1")
            assert "已导出发放清单" in boss.locator("[data-exported]").inner_text()
        finally:
            browser.close()
    assert problems == []
