"""Quality sampling: a policy share of straight-through passes goes to a QA queue.

The draw is a hash of (submission id, content hash): its share is honoured over many
packets, a rerun (another process) draws the same ones, and sampling changes no
result. The QA page records "correct" / "should have been held (reason)", each once,
as events; the dashboard shows the false-pass rate with its Wilson 95 % interval.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys

import pytest
from feedback_support import FeedbackEnv
from sqlalchemy import select

from zhanchi.pipeline.quality_sampling import drawn_for_qa, qa_draw, sample_for_qa
from zhanchi.policy import QualitySampling, load_policy
from zhanchi.review.qa import false_pass_rate, wilson_interval
from zhanchi.review.samples import AS_OF
from zhanchi.store.qa import qa_items
from zhanchi.store.schema import EventRow

pytest_plugins = ["pg_fixtures", "test_review_support", "feedback_support"]


def _ids(n: int, seed: int = 12) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(f"A{i:06d}", f"{rng.getrandbits(256):064x}") for i in range(n)]


def test_the_policy_sets_the_share_and_it_changes_no_result() -> None:
    policy = load_policy(AS_OF)
    assert policy.quality_sampling.share == 0.02


@pytest.mark.parametrize("share", [0.02, 0.1, 0.5])
def test_share_is_honoured_over_many_packets(share: float) -> None:
    n = 20_000
    drawn = sum(drawn_for_qa(sid, sha, share) for sid, sha in _ids(n))
    sd = math.sqrt(n * share * (1 - share))
    assert abs(drawn - n * share) < 4.5 * sd, (drawn, n * share)
    # uniform draws: each tenth of [0, 1) holds about a tenth of the packets
    deciles = [0] * 10
    for sid, sha in _ids(n, seed=99):
        deciles[int(qa_draw(sid, sha) * 10)] += 1
    chi2 = sum((d - n / 10) ** 2 / (n / 10) for d in deciles)
    assert chi2 < 27.9  # chi-square, 9 degrees of freedom, p = 0.001


def test_the_draw_is_stable_across_runs_and_processes() -> None:
    packets = _ids(50)
    here = [qa_draw(sid, sha) for sid, sha in packets]
    code = ("import json, sys; from zhanchi.pipeline.quality_sampling import qa_draw; "
            "print(json.dumps([qa_draw(s, h) for s, h in json.loads(sys.argv[1])]))")
    other = subprocess.run([sys.executable, "-c", code, json.dumps(packets)], check=True,
                           capture_output=True, text=True, env={"PYTHONHASHSEED": "7"})
    assert json.loads(other.stdout) == here
    # a larger share keeps every packet a smaller one drew; another content, another draw
    small = {p for p in packets if drawn_for_qa(*p, 0.2)}
    assert small <= {p for p in packets if drawn_for_qa(*p, 0.4)}
    assert qa_draw("A000001", "0" * 64) != qa_draw("A000001", "1" * 64)


def test_wilson_interval_on_published_numbers() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score interval)
    for k, n, low, high in [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
                            (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)]:
        got = wilson_interval(k, n)
        assert (round(got[0], 4), round(got[1], 4)) == (low, high), (k, n, got)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_qa_queue_verdicts_and_the_false_pass_rate(feedback: FeedbackEnv) -> None:
    fb = feedback
    passes = [fb.add_case(f"P{i}", i) for i in range(4)]
    held = fb.add_case("H0", 9, mismatch=True)
    policy = load_policy(AS_OF)
    results = {pk: fb.store.load_result(pk) for pk in [*passes, held]}
    drawn = [pk for pk in passes if drawn_for_qa(results[pk].submission_id,  # type: ignore[union-attr]
                                                 results[pk].content_sha256, 0.02)]  # type: ignore[union-attr]
    for pk, result in results.items():  # the policy's own share: what the hash draws
        assert result is not None
        assert sample_for_qa(fb.store, pk, result, policy) == (pk in drawn)
    assert [i.submission_pk for i in qa_items(fb.store)] == drawn
    every = policy.model_copy(update={"quality_sampling": QualitySampling(share=1.0)})
    for pk, result in results.items():
        assert result is not None
        assert sample_for_qa(fb.store, pk, result, every) == (pk != held)  # passes only
    sample_for_qa(fb.store, passes[0], results[passes[0]], every)  # type: ignore[arg-type]
    assert sorted(i.submission_pk for i in qa_items(fb.store)) == passes  # each once

    zhang = fb.session("zhang")
    page = zhang.client.get("/qa")
    assert page.status_code == 200 and all(f"P{i}" in page.text for i in range(4))
    assert zhang.client.get(f"/cases/{passes[0]}").status_code == 200  # the second look
    assert zhang.post(f"/qa/{passes[0]}", {"verdict": "correct"}).status_code == 303
    missing = zhang.post(f"/qa/{passes[1]}", {"verdict": "should_have_been_held"})
    assert missing.status_code == 422 and "理由" in missing.text
    assert zhang.post(f"/qa/{passes[1]}", {"verdict": "should_have_been_held",
                                           "reason": "手印不清晰"}).status_code == 303
    twice = fb.session("li").post(f"/qa/{passes[1]}", {"verdict": "correct"})
    assert twice.status_code == 409
    assert zhang.post(f"/qa/{held}", {"verdict": "correct"}).status_code == 404
    assert zhang.post("/qa/99999999999", {"verdict": "correct"}).status_code == 404

    rate = false_pass_rate(fb.store)
    assert (rate.sampled, rate.reviewed, rate.held) == (4, 2, 1)
    low, high = wilson_interval(1, 2)
    dashboard = zhang.client.get("/dashboard").text
    assert "50.0%" in dashboard and f"{100 * low:.1f}%–{100 * high:.1f}%" in dashboard
    for pk in passes:  # sampling and verdicts change no result
        sub = fb.store.get_submission(pk)
        assert sub is not None and (sub.route, sub.status) == ("pass", "done")
    with fb.store.reader() as s:
        kinds = [(e.kind, e.actor, e.submission_pk) for e in s.scalars(
            select(EventRow).where(EventRow.kind.like("qa.%")).order_by(EventRow.id))]
    assert kinds.count(("qa.verdict", "zhang", passes[1])) == 1
    assert sum(1 for k, _, _ in kinds if k == "qa.sampled") == 4
    assert fb.store.verify_chain().ok
