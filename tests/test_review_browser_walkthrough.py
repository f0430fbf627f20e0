"""The whole review day in a real browser (Debian's chromium via Playwright), two accounts.

A reviewer logs in, sorts the queue by a column header, claims the case whose letter
names the filed agency misspelt, corrects it to the filed name on the case page, sees
``agency_not_filed`` turn to pass and approves (the form carries the case's version).
A supervisor who did not make that correction accepts the alias suggestion it made,
opens a straight-through pass drawn into the QA sample and records a verdict, previews
and downloads the export, and finds a second export refused unless a re-export is asked
for with a reason. The database is checked at the end; every page must run without
script errors, console errors or CSP violations. Screenshots: ``test-artifacts/walk-*``.
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
    watch,
)
from feedback_support import VARIANT, FeedbackEnv, events_of
from openpyxl import load_workbook
from test_review_queue_view import _spread
from test_review_support import ReviewEnv

from zhanchi.pipeline.quality_sampling import sample_for_qa
from zhanchi.policy import QualitySampling, load_policy
from zhanchi.registry.aliases import AcceptedAlias
from zhanchi.review.samples import AGENCY, AS_OF
from zhanchi.store.aliases import accepted_aliases, alias_suggestions
from zhanchi.store.export_ops import EXPORT_EVENT, export_marks
from zhanchi.store.qa import qa_item

pytest_plugins = ["test_review_support"]
pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]
WHY = "财务退回，需重新发放清单"
REFUSED = "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"


def _prepare(env: ReviewEnv) -> tuple[int, int]:
    """Spread the sample cases' columns; add the misspelt-agency case (its deadline the
    nearest) and a straight-through pass drawn into the QA sample."""
    _spread(env)
    first = env.store.get_submission(env.cases[0])
    assert first is not None and first.batch_id
    feedback = FeedbackEnv(env, env.registry, first.batch_id)
    misspelt = feedback.add_case("A00009", 9, agency=VARIANT)
    passed = feedback.add_case("P00010", 10)
    result = env.store.load_result(passed)
    assert result is not None and result.route == "pass"
    policy = load_policy(AS_OF)  # every pass drawn, so this one surely is: the real draw
    every = policy.model_copy(update={"quality_sampling": QualitySampling(share=1.0)})
    assert sample_for_qa(env.store, passed, result, every)
    return misspelt, passed


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_review_day_two_accounts_in_the_browser(server: str,  # noqa: F811
                                                review_env: ReviewEnv,
                                                tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    store = review_env.store
    pk, qa_pk = _prepare(review_env)
    problems: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            size = {"width": 1500, "height": 900}
            # 1. the reviewer
            zhang = watch(browser.new_context(viewport=size, locale="zh-CN").new_page(), problems)
            login(zhang, server, "zhang")
            before = queue_rows(zhang)
            assert sorted(before) == sorted([*review_env.cases, pk])
            zhang.click("a[data-sort=agency]")
            zhang.wait_for_url("**/queue?sort=agency")
            assert zhang.locator("th[aria-sort=ascending] a").get_attribute("data-sort") == "agency"
            after = queue_rows(zhang)
            agencies = zhang.locator("td[data-col=agency]").all_inner_texts()
            assert len(agencies) == len(after) and agencies == sorted(agencies)  # as it says
            assert after != before and before[0] == pk != after[0]  # nearest deadline first
            _shot(zhang, "walk-01-queue-sorted.png")

            zhang.locator(f'tr[data-pk="{pk}"] form[action="/cases/{pk}/claim"] button').click()
            zhang.wait_for_url(f"{server}/cases/{pk}")
            check = 'li.check[data-code="agency_not_filed"]'
            assert zhang.locator(check).get_attribute("data-status") == "fail"
            field = zhang.locator(f"#f{pk}-0-agency input[name=value]")
            assert field.input_value() == VARIANT
            field.fill(AGENCY)
            field.press("Enter")  # saved (and rechecked) through htmx
            zhang.wait_for_selector(f'{check}[data-status="pass"]')
            assert "刚变为通过" in zhang.locator("#decide").inner_text()
            _shot(zhang, "walk-02-agency-corrected.png")
            approve = zhang.locator('#decide details[data-decision="approve"]')
            version = approve.locator("input[name=version]").input_value()
            assert int(version) == store.case_version(pk)  # the state the reviewer sees
            approve.locator("summary").click()
            approve.locator("button[type=submit]").click()
            zhang.wait_for_url(f"{server}/cases/{pk}?msg=decided")
            assert zhang.locator(".status.s-approved").inner_text() == "已批准"
            _shot(zhang, "walk-03-approved.png")

            # 2. a supervisor who made no suggestion
            boss = watch(browser.new_context(viewport=size, locale="zh-CN",
                                             accept_downloads=True).new_page(), problems)
            login(boss, server, "boss")
            boss.goto(f"{server}/aliases")
            [suggestion] = alias_suggestions(store)
            row = boss.locator(f"#alias-{suggestion.id}")
            assert VARIANT in row.inner_text() and "zhang" in row.inner_text()
            row.locator("button[value=accept]").click()
            boss.wait_for_url(f"{server}/aliases?msg=accepted")
            assert "已采用（boss" in boss.locator(f"#alias-{suggestion.id}").inner_text()
            _shot(boss, "walk-04-alias-accepted.png")

            boss.goto(f"{server}/qa")
            boss.locator(f"#qa-{qa_pk} a", has_text="P00010").click()
            boss.wait_for_url(f"{server}/cases/{qa_pk}")  # the second look at the pass
            assert boss.locator('li.check[data-status="fail"]').count() == 0
            _shot(boss, "walk-05-qa-case.png")
            boss.go_back()
            boss.wait_for_url(f"{server}/qa")
            boss.locator(f"#qa-{qa_pk} button[value=correct]").click()
            boss.wait_for_url(f"{server}/qa?msg=saved")
            assert "通过正确（boss）" in boss.locator(f"#qa-{qa_pk}").inner_text()
            _shot(boss, "walk-06-qa-verdict.png")

            boss.goto(f"{server}/export")
            boss.fill("input[name=from]", "2020-01-01")
            boss.fill("input[name=to]", "2099-12-31")
            boss.click("button[data-preview]")
            boss.wait_for_url("**/export/preview?**")
            assert boss.locator("[data-export-count]").inner_text() == "2"  # approved + pass
            _shot(boss, "walk-07-export-preview.png")
            with boss.expect_download() as info:
                boss.click("button[data-download=xlsx]")
            target = tmp_path / "export.xlsx"
            info.value.save_as(target)
            sheet = load_workbook(io.BytesIO(target.read_bytes())).active
            assert sheet is not None
            assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
                "A00009", "P00010"]

            boss.reload()  # asked again: nothing new to pay
            assert boss.locator("[data-export-count]").inner_text() == "0"
            assert "另有 2 件已导出过" in boss.locator("[data-export-already]").inner_text()
            assert boss.locator("button[data-download]").count() == 0
            _shot(boss, "walk-08-export-again-empty.png")
            boss.locator("details.reexport summary").click()
            boss.check("input[name=again]")
            seen = len(problems)
            boss.click("button[data-preview]")  # a re-export without a reason: refused
            boss.wait_for_url("**/export/preview?**again=1**")
            # the refusal's own status, which chromium logs; anything else stays a problem
            assert problems[seen:] == [REFUSED]
            del problems[seen:]
            assert "须填写理由" in boss.locator("[data-export-error]").inner_text()
            assert boss.locator("button[data-download]").count() == 0
            assert boss.locator("input[name=again]").is_checked()  # the form as sent
            assert boss.locator("input[name=from]").input_value() == "2020-01-01"
            _shot(boss, "walk-09-reexport-needs-reason.png")
            boss.fill("input[name=why]", WHY)
            boss.click("button[data-preview]")
            boss.wait_for_url("**/export/preview?**again=1**")
            assert boss.locator("[data-export-count]").inner_text() == "2"
            assert "含重新导出 2 件" in boss.locator("#preview").inner_text()
            _shot(boss, "walk-10-reexport-with-reason.png")
            with boss.expect_download() as again:
                boss.click("button[data-download=csv]")
            assert "A00009" in Path(again.value.path()).read_text(encoding="utf-8-sig")
        finally:
            browser.close()

    decisions = [e for e in store.history(pk) if e.kind == "review.decision"]
    assert [(e.actor, e.payload["decision"]) for e in decisions] == [("zhang", "approve")]
    sub = store.get_submission(pk)
    assert sub is not None and sub.status == "approved"
    assert accepted_aliases(store) == [AcceptedAlias(VARIANT, AGENCY)]
    [decided] = alias_suggestions(store)
    assert decided.suggested_by == ("zhang",) and decided.decided_by == "boss"
    assert [actor for actor, _ in events_of(store, "alias.accepted")] == ["boss"]
    verdict = qa_item(store, qa_pk)
    assert verdict is not None and (verdict.verdict, verdict.reviewer) == ("correct", "boss")
    marks = export_marks(store)
    assert sorted(marks) == sorted([pk, qa_pk])
    assert {m.exported_by for m in marks.values()} == {"boss"}
    exports = events_of(store, EXPORT_EVENT)
    assert [(a, e["reexport"], e["why"]) for a, e in exports] == [("boss", False, None),
                                                                  ("boss", True, WHY)]
    assert sorted(exports[1][1]["reexported_pks"]) == sorted([pk, qa_pk])
    assert store.verify_chain().ok
    assert problems == []  # no script errors, no console errors, no CSP violations
