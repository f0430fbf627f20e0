"""decide(): reasons and route as SubmissionResult.finalise derives them; robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_checks_samples import (
    LETTER,
    PROOF,
    QUAL_CERT,
    SKILL_CERT,
    clean,
    context,
    document,
    field,
    letter,
    registries,
    skill_cert,
)

from zhanchi.checks import CHECKS, Packet, decide
from zhanchi.models import Check, Document, SubmissionResult
from zhanchi.models.results import REVIEW_REASONS


def test_every_spec_reason_has_exactly_one_check() -> None:
    assert list(CHECKS) == list(dict.fromkeys(CHECKS))
    assert set(CHECKS) == set(REVIEW_REASONS)


def test_clean_packet_routes_pass() -> None:
    checks, reasons, route = decide(clean(), context())
    assert (reasons, route) == ([], "pass")
    assert len(checks) == len(REVIEW_REASONS)


def test_reasons_are_sorted_unique_failed_codes() -> None:
    docs = [letter(level=2, has_fingerprint=False), skill_cert(level=2)]
    checks, reasons, route = decide(docs, context())
    assert route == "review"
    assert reasons == sorted({c.code for c in checks if c.status == "fail"})
    assert {"level_not_eligible", "fingerprint_missing"} <= set(reasons)


def test_missing_registries_route_to_review() -> None:
    _, reasons, route = decide(clean(), context(registries(None, None, None)))
    assert route == "review" and reasons == ["registry_unavailable"]


def test_a_lone_skip_never_routes_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanchi.checks import catalogue

    def broken(p: object, ctx: object) -> Check:
        return Check(code="exited_qualification", status="skipped", message="x")

    monkeypatch.setitem(catalogue.CHECKS, "exited_qualification", broken)
    checks, reasons, route = decide(clean(), context())
    assert (reasons, route) == (["exited_qualification"], "review")
    assert "转人工" in {c.code: c for c in checks}["exited_qualification"].message


BASES = {"commitment_letter": LETTER, "skill_level_certificate": SKILL_CERT,
         "qualification_certificate": QUAL_CERT, "filing_proof": PROOF}
ODD_VALUES = st.sampled_from(["", " ", "2021-13-40", "二〇二一年", "S0000", "x" * 40, "0", "江西",
                              "南昌巿", "上饶县", "维修电工", "赣江新区", "6", 0, 7, True, False,
                              "（）", "-", "·", "\u3000", "２０２１-０１-１０"])


@st.composite
def documents(draw: st.DrawFn) -> list[Document]:
    """Packets near the clean one: fields dropped, replaced by odd values, low confidence."""
    docs = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from([*BASES, "unknown"]))
        base = BASES.get(kind, {})
        changes: dict[str, object] = {}
        for name in base:
            action = draw(st.sampled_from(["keep", "keep", "drop", "odd", "conf"]))
            if action == "drop":
                changes[name] = None
            elif action == "odd":
                changes[name] = draw(ODD_VALUES)
            elif action == "conf":
                changes[name] = field(base[name], draw(st.floats(0, 1)))
        docs.append(document(kind, base, **changes))
    return docs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans(), st.booleans())
def test_random_packets_never_crash_and_never_pass_unchecked(
        docs: list[Document], unreadable: bool, with_registries: bool) -> None:
    regs = registries() if with_registries else registries(None, None, None)
    ctx = context(regs, unreadable=["f.pdf"] if unreadable else None)
    checks, reasons, route = decide(docs, ctx)
    assert [c.code for c in checks] == list(CHECKS)
    assert all(c.message for c in checks)
    # a check that could not run always comes with a failure that explains it (checked
    # on the checks' own outcomes, before run_checks' guard for lone skips)
    packet = Packet(docs)
    own = [check(packet, ctx) for check in CHECKS.values()]
    if any(c.status == "skipped" for c in own):
        assert any(c.status == "fail" for c in own), [c.code for c in own if c.status == "skipped"]
    result = SubmissionResult(submission_id="X", source=[], route="pass", checks=checks)
    result.finalise()
    assert (result.reasons, result.route) == (reasons, route)
