"""Is a field's confidence a probability? Measure it on a labelled corpus; fit a curve.

A *read* is a field the pipeline returned for an expected document: its key
(``<doc type>.<field>``), its score (the extractor's confidence before calibration),
the confidence the result states, and whether the value is exactly right. The table
bins the stated confidences (0.5–0.6 … 0.9–0.95, 0.95–1.0) and shows the observed share
right in each: on a corpus the curve was not fitted on, that is the test of calibration.
:func:`fit` builds the curves (isotonic regression by pool-adjacent-violators on reads
of one score pooled, each block's rate smoothed by one right and one wrong pseudo-read,
then neighbours merged until the smoothed rates increase, so no block states more than
a higher one earned); they are stored as data in ``zhanchi/policy/calibration/`` and named by a
policy version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhanchi.evaluation.score import _match_document
from zhanchi.policy.calibration import SCORE

if TYPE_CHECKING:
    from rich.console import Console

EDGES = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
MIN_READS = 40  # a key with fewer reads falls back to the field's, then the pooled curve
# A block's rate holds from its EVIDENCE-th lowest score up: a few right reads at a low
# score (two reads of a name that disagree, a doubtful fingerprint) never lift that score.
EVIDENCE = 10


@dataclass(frozen=True)
class Read:
    """One returned field: its key, score, stated confidence and whether it is right."""

    key: str  # "<doc type>.<field>"
    score: float
    stated: float
    ok: bool

    @property
    def field(self) -> str:
        return self.key.split(".", 1)[1]


def reads(corpus: Path, results: Path) -> list[Read]:
    """Every returned field of every expected document, scored against the expectation."""
    latest: dict[str, dict[str, Any]] = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            latest[obj["submission_id"]] = obj
    out: list[Read] = []
    for path in sorted((corpus / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        got = latest.get(exp["submission_id"])
        if got is None:
            continue
        used: set[int] = set()
        for edoc in exp["documents"]:
            gdoc = _match_document(edoc, got["documents"], used) if edoc["type"] != "unknown" else None
            for name, value in edoc["fields"].items():
                f = (gdoc or {}).get("fields", {}).get(name)
                if f is None or f.get("confidence") is None:
                    continue
                stated = float(f["confidence"])
                out.append(Read(f"{edoc['type']}.{name}", float(f.get(SCORE, stated)), stated,
                                f.get("value") == value))
    return out


def bin_table(rs: list[Read]) -> list[tuple[str, int, float, float]]:
    """(bin, count, mean stated confidence, observed share right) for each fixed bin."""
    rows = []
    for lo, hi in [(0.0, EDGES[0]), *zip(EDGES, EDGES[1:], strict=False)]:
        inside = [r for r in rs if lo <= r.stated < hi or (hi == 1.0 and r.stated == 1.0)]
        label = f"{lo:.2f}–{hi:.2f}" if lo else f"<{hi:.2f}"
        if inside:
            rows.append((label, len(inside), sum(r.stated for r in inside) / len(inside),
                         sum(r.ok for r in inside) / len(inside)))
        else:
            rows.append((label, 0, float("nan"), float("nan")))
    return rows


def tradeoff(rs: list[Read], thresholds: tuple[float, ...]) -> list[tuple[float, int, int]]:
    """At each threshold: right reads below it (needless holds) and wrong reads at or
    above it (misreads a threshold alone lets through; checks may still catch them)."""
    return [(t, sum(r.ok and r.stated < t for r in rs), sum((not r.ok) and r.stated >= t for r in rs))
            for t in thresholds]


def _smoothed(block: list[float]) -> float:
    """A block's share right with one right and one wrong pseudo-read: [right, count]."""
    return (block[0] + 1.0) / (block[1] + 2.0)


def _merge_while(blocks: list[list[float]], scores: list[list[float]],
                 violates: Callable[[list[float], list[float]], bool]) -> None:
    """Merge the last block into the one before while the pair ``violates`` the order."""
    while len(blocks) > 1 and violates(blocks[-2], blocks[-1]):
        r, n = blocks.pop()
        blocks[-1] = [blocks[-1][0] + r, blocks[-1][1] + n]
        top = scores.pop()
        scores[-1].extend(top)


def _pav(points: list[tuple[float, bool]]) -> tuple[list[float], list[float]]:
    blocks: list[list[float]] = []  # [right, count]
    scores: list[list[float]] = []  # each block's scores, ascending
    tied: dict[float, list[float]] = {}  # reads of one score are one block from the start:
    for score, ok in points:  # sorted, the wrong ones would go first and split the tie
        tied.setdefault(score, [0.0, 0.0])
        tied[score][0] += float(ok)
        tied[score][1] += 1.0
    for score, (right, n) in sorted(tied.items()):
        blocks.append([right, n])
        scores.append([score] * int(n))
        # merge violators and ties: a block is as wide as its evidence allows
        _merge_while(blocks, scores, lambda a, b: a[0] / a[1] >= b[0] / b[1])
    # smoothed, a small block above a large one can state less (3 of 3: 0.8) than the
    # large one earned (215 of 216: 0.991): it joins it rather than dragging it down
    smooth_blocks: list[list[float]] = []
    smooth_scores: list[list[float]] = []
    for block, span in zip(blocks, scores, strict=True):
        smooth_blocks.append(block)
        smooth_scores.append(span)
        _merge_while(smooth_blocks, smooth_scores, lambda a, b: _smoothed(a) > _smoothed(b))
    blocks, scores = smooth_blocks, smooth_scores
    spans = [(s[min(EVIDENCE, len(s)) - 1], s[-1]) for s in scores]
    ys = [_smoothed(b) for b in blocks]  # increasing: no block states more than a higher one
    # a step per block, from its EVIDENCE-th lowest to its highest score
    xs_out: list[float] = []
    ys_out: list[float] = []
    for (lo, hi), y in zip(spans, ys, strict=True):
        for x in (lo, hi) if hi > lo else (lo,):
            xs_out.append(round(x, 4))
            ys_out.append(round(y, 4))
    return xs_out, ys_out


def fit(rs: list[Read], *, name: str, fitted_on: dict[str, Any]) -> dict[str, Any]:
    """Curve data for :class:`zhanchi.policy.calibration.Calibration`."""
    groups: dict[str, list[Read]] = {"*": rs}
    for r in rs:
        groups.setdefault(r.key, []).append(r)
        groups.setdefault(r.field, []).append(r)
    curves = {}
    for key, members in sorted(groups.items()):
        if len(members) >= MIN_READS or key == "*":
            xs, ys = _pav([(r.score, r.ok) for r in members])
            curves[key] = {"x": xs, "y": ys, "n": len(members)}
    return {"name": name, "fitted_on": fitted_on, "curves": curves, "below_evidence": "score",
            "method": "isotonic (pool-adjacent-violators, ties pooled), blocks smoothed "
                      "(right+1)/(n+2) and merged until increasing"}


def fitted_seeds(fitted_on: dict[str, Any]) -> list[object]:
    """The seeds a curve was fitted on (older curve files name one, ``seed``)."""
    seeds = fitted_on.get("seeds")
    return list(seeds) if isinstance(seeds, list) else [fitted_on.get("seed")]


FLOOR_FIELDS = ("exam_date", "sign_date", "exam_province", "exam_city", "exam_county", "agency")
THRESHOLDS = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def print_calibration(run_dir: Path, console: Console, versions: list[str]) -> None:
    """The calibration table and the read-level trade-off of an evaluation's run.

    ``run_dir`` is ``zhanchi eval``'s ``--out``; ``versions`` the policy versions the
    results name: the curve one names must be fitted on another seed for the table to count.
    """
    from rich.table import Table

    from zhanchi.policy import policy_by_version

    corpus, results = run_dir / "corpus", run_dir / "run" / "results.jsonl"
    if not results.is_file():
        return
    rs = reads(corpus, results)
    name = policy_by_version(versions[0]).confidence.calibration if len(versions) == 1 else None
    note = "scores, uncalibrated"
    if name:
        from zhanchi.policy.calibration import load_calibration

        seed = json.loads((corpus / "manifest.json").read_text(encoding="utf-8")).get("seed")
        fitted = fitted_seeds(load_calibration(name).fitted_on)
        note = f"calibrated by {name} (fitted on seed {', '.join(map(str, fitted))}; this corpus seed {seed}" + (
            ": SAME SEED, the table proves nothing)" if seed in fitted else ")")
    table = Table(title=f"confidence calibration — {note}")
    for col in ("stated", "reads", "mean stated", "observed right", "gap (points)"):
        table.add_column(col, justify="right")
    for label, n, stated, observed in bin_table(rs):
        if n:
            table.add_row(label, str(n), f"{stated:.3f}", f"{observed:.3f}",
                          f"{100 * (observed - stated):+.1f}")
        else:
            table.add_row(label, "0", "—", "—", "—")
    console.print(table)
    trade = Table(title="threshold trade-off on reads: right reads held / wrong reads let through")
    trade.add_column("threshold", justify="right")
    trade.add_column("all fields", justify="right")
    trade.add_column("no second source (dates, place, agency)", justify="right")
    floor = [r for r in rs if r.field in FLOOR_FIELDS]
    for (t, held, through), (_, fheld, fthrough) in zip(
            tradeoff(rs, THRESHOLDS), tradeoff(floor, THRESHOLDS), strict=True):
        trade.add_row(f"{t:.2f}", f"{held} / {through}", f"{fheld} / {fthrough}")
    console.print(trade)
