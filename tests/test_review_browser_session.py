"""In a real browser (Debian's chromium via Playwright): the case lock warns before it
lapses, and a decision typed when the session has expired survives the login.

Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from browser_support import ARGS, ARTIFACTS, CHROMIUM, NEEDS_CHROMIUM, serve
from test_review_support import PASSWORDS, ReviewEnv

from zhanchi.store.schema_review import CaseLockRow
from zhanchi.store.schema_sessions import LoginSessionRow

pytest_plugins = ["test_review_support"]

LOCK_IDLE_S = 9  # the warning shows for the last third of it

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


@pytest.fixture
def server(review_env: ReviewEnv) -> Iterator[str]:
    """The app (case locks lapsing after a few seconds) served by uvicorn in a thread."""
    review_env.settings = replace(review_env.settings, lock_idle=timedelta(seconds=LOCK_IDLE_S))
    review_env.client()  # builds the app with these settings
    assert review_env.app is not None
    with serve(review_env.app) as url:
        yield url


def _login(page, server: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")


def test_the_case_page_warns_before_the_lock_lapses(server: str,
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
            page.goto(f"{server}/cases/{pk}")
            _login(page, server, "zhang")
            page.wait_for_url(f"{server}/cases/{pk}")
            page.click("button[data-claim]")
            page.wait_for_url(f"{server}/cases/{pk}")
            banner = page.locator("#lock-warning")
            assert banner.is_hidden()  # plenty of time left
            banner.wait_for(state="visible", timeout=LOCK_IDLE_S * 1000)
            assert "后因空闲失效" in banner.inner_text()
            assert ":" in banner.locator("[data-lock-left]").inner_text()  # a countdown
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review-lock-warning.png"))
            before = review_env.store.case_lock(pk)
            assert before is not None
            banner.locator("[data-lock-keep]").click()
            banner.wait_for(state="hidden", timeout=5000)
            after = review_env.store.case_lock(pk)
            assert after is not None and after.last_seen_at > before.last_seen_at
            assert after.reviewer == "zhang"
            # left alone: the banner comes back, then says the lock has lapsed
            page.wait_for_selector("#lock-warning.expired", timeout=(LOCK_IDLE_S + 3) * 1000)
            assert "已因空闲失效" in banner.inner_text()
            page.screenshot(path=str(ARTIFACTS / "review-lock-expired.png"))
        finally:
            browser.close()
    assert problems == []


def test_a_decision_typed_into_an_expired_session_survives_the_login(
        server: str, review_env: ReviewEnv) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    pk = review_env.cases[1]
    reason = "证书编号与备案名单不符，已电话核实"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{server}/cases/{pk}")
            _login(page, server, "li")
            page.wait_for_url(f"{server}/cases/{pk}")
            page.click("button[data-claim]")
            page.wait_for_url(f"{server}/cases/{pk}")
            page.locator('#decide details[data-decision="reject"] summary').click()
            page.fill('#decide details[data-decision="reject"] input[name=reason]', reason)
            with review_env.store.transaction() as s:  # a long lunch: session and lock lapse
                for row in s.query(LoginSessionRow):
                    row.last_seen_at -= timedelta(hours=1)
                for lock in s.query(CaseLockRow):
                    lock.last_seen_at -= timedelta(hours=1)
            page.locator('#decide details[data-decision="reject"] button[type=submit]').click()
            page.wait_for_selector("text=您填写的内容已保留")
            page.screenshot(path=str(ARTIFACTS / "review-login-kept-form.png"))
            _login(page, server, "li")
            page.wait_for_url(f"{server}/cases/{pk}?resume=**")
            field = page.locator('#decide details[data-decision="reject"] input[name=reason]')
            assert field.is_visible() and field.input_value() == reason
            assert "已恢复登录前填写的内容" in page.locator("#case-side").inner_text()
            page.locator('#decide details[data-decision="reject"] button[type=submit]').click()
            page.wait_for_url(f"{server}/cases/{pk}?msg=decided")
        finally:
            browser.close()
    sub = review_env.store.get_submission(pk)
    assert sub is not None and sub.status == "rejected"
    last = [e for e in review_env.store.history(pk) if e.kind == "review.decision"][-1]
    assert last.actor == "li" and last.payload["reason"] == reason
