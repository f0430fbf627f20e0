"""A reviewer's whole task in a real browser (Debian's chromium, headless, via Playwright).

Logs in, opens the queue and a case, corrects the misread certificate number on the
letter, sees the failing check turn to pass, approves, and finds the decision in the
case history. Saves a screenshot of the case view to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest
from browser_support import ARGS, ARTIFACTS, CHROMIUM, NEEDS_CHROMIUM, server  # noqa: F401
from test_review_support import ReviewEnv

from zhanchi.review.samples import cert_number

pytest_plugins = ["test_review_support"]
pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


def test_reviewer_corrects_a_field_and_approves_in_the_browser(server: str,  # noqa: F811
                                                                review_env: ReviewEnv) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    pk = review_env.cases[0]
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

            page.goto(f"{server}/queue")
            assert page.url.startswith(f"{server}/login")
            page.fill("input[name=name]", "zhang")
            page.fill("input[name=password]", "reviewer-pass-1")
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/queue")
            assert page.locator("table.list tbody tr").count() == 3
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review-queue.png"))

            page.click("text=T00000")
            page.wait_for_url(f"{server}/cases/{pk}")
            page.click("button[data-claim]")
            page.wait_for_url(f"{server}/cases/{pk}")
            check = page.locator('li.check[data-code="certificate_number_mismatch"]')
            assert check.get_attribute("data-status") == "fail"

            field = page.locator(f"#f{pk}-0-certificate_number")
            field.locator("a.flabel").click()  # highlights its box on the page image
            assert page.locator(f'rect.box.active[data-key="f{pk}-0-certificate_number"]'
                                ).count() == 1
            field.locator("input[name=value]").fill(cert_number(0))
            field.locator("input[name=value]").press("Enter")  # saved through htmx
            page.wait_for_selector('li.check[data-code="certificate_number_mismatch"]'
                                   '[data-status="pass"]')
            assert page.locator("li.check.changed").count() == 1
            assert page.locator(".allpass").is_visible()
            assert "刚变为通过：证书编号不一致" in page.locator("#decide").inner_text()
            page.locator("#checks").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "review-case.png"))

            page.keyboard.press("Escape")  # leave the next field's input, then use the key
            page.keyboard.press("a")
            page.locator('#decide details[data-decision="approve"] button[type=submit]').click()
            page.wait_for_url(f"{server}/cases/{pk}?msg=decided")
            history = page.locator("#history").inner_text()
            assert "zhang 决定：批准" in history
            assert "修改 承诺书·证书编号" in history
            assert page.locator(".status.s-approved").inner_text() == "已批准"
            page.goto(f"{server}/dashboard")
            assert page.locator("svg.chart").count() == 2
            page.screenshot(path=str(ARTIFACTS / "review-dashboard.png"))
        finally:
            browser.close()
    assert review_env.store.get_submission(pk).status == "approved"  # type: ignore[union-attr]
    assert problems == []  # no script errors, no CSP violations


def test_the_core_actions_work_without_javascript(server: str,  # noqa: F811
                                                  review_env: ReviewEnv) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    pk = review_env.cases[1]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            context = browser.new_context(java_script_enabled=False, locale="zh-CN",
                                          viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.goto(f"{server}/login")
            page.fill("input[name=name]", "li")
            page.fill("input[name=password]", "reviewer-pass-2")
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/queue")
            page.locator(f'form[action="/cases/{pk}/claim"] button').click()
            page.wait_for_url(f"{server}/cases/{pk}")
            field = page.locator(f"#f{pk}-0-certificate_number")
            field.locator("input[name=value]").fill(cert_number(1))
            field.locator("button.save").click()  # a plain form post, then a redirect
            page.wait_for_url(f"{server}/cases/{pk}?msg=saved**")
            assert page.locator('li.check[data-code="certificate_number_mismatch"]'
                                ).get_attribute("data-status") == "pass"
            page.locator('#decide details[data-decision="approve"] summary').click()
            page.locator('#decide details[data-decision="approve"] button[type=submit]').click()
            page.wait_for_url(f"{server}/cases/{pk}?msg=decided")
            assert "li 决定：批准" in page.locator("#history").inner_text()
        finally:
            browser.close()
