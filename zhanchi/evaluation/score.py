"""Compare results.jsonl with a corpus's expected JSON: fields, routes, reasons.

Field accuracy is exact match of the SPEC §5 normal form, per field, per document type,
per degradation kind and overall; a field the pipeline did not return counts as wrong.
Routing is a confusion matrix of expected vs actual route, plus per-reason recall and
the list of defective packets that passed (which must be empty).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Tally:
    """Right / total counter."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class EvalReport:
    """Everything ``zhanchi eval`` prints (no personal data: field names and counts)."""

    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_degradation: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    overall: Tally = field(default_factory=Tally)
    routes: Counter[tuple[str, str]] = field(default_factory=Counter)
    reason_recall: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    extra_reasons: Counter[str] = field(default_factory=Counter)
    false_passes: list[str] = field(default_factory=list)
    clean_held: list[str] = field(default_factory=list)
    missing_results: list[str] = field(default_factory=list)
    wrong_fields: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def t(d: dict[str, Tally]) -> dict[str, list[int]]:
            return {k: [v.right, v.total] for k, v in sorted(d.items())}

        return {
            "overall": [self.overall.right, self.overall.total],
            "by_field": t(self.by_field), "by_type": t(self.by_type),
            "by_degradation": t(self.by_degradation),
            "routes": {f"{e}->{a}": n for (e, a), n in sorted(self.routes.items())},
            "reason_recall": t(self.reason_recall), "extra_reasons": dict(self.extra_reasons),
            "false_passes": self.false_passes, "clean_held": self.clean_held,
            "missing_results": self.missing_results,
        }


def _match_document(exp: dict[str, Any], docs: list[dict[str, Any]],
                    used: set[int]) -> dict[str, Any] | None:
    """The result document of the same type, preferring the same certificate number."""
    same = [(i, d) for i, d in enumerate(docs) if d["type"] == exp["type"] and i not in used]
    if not same:
        return None
    number = exp["fields"].get("certificate_number")
    for i, d in same:
        if number is not None and d["fields"].get("certificate_number", {}).get("value") == number:
            used.add(i)
            return d
    i, d = same[0]
    used.add(i)
    return d


def score_packet(report: EvalReport, exp: dict[str, Any], got: dict[str, Any] | None) -> None:
    sid = exp["submission_id"]
    if got is None:
        report.missing_results.append(sid)
        return
    used: set[int] = set()
    for edoc in exp["documents"]:
        if edoc["type"] == "unknown":
            continue
        gdoc = _match_document(edoc, got["documents"], used)
        degradations = sorted({d for p in edoc.get("pages", []) for d in p.get("degradations", [])})
        for name, value in edoc["fields"].items():
            actual = (gdoc or {}).get("fields", {}).get(name, {}).get("value")
            ok = actual == value
            for tally in (report.by_field[name], report.by_type[edoc["type"]], report.overall):
                tally.add(ok)
            for d in degradations or ["clean"]:
                report.by_degradation[d].add(ok)
            if not ok:
                report.wrong_fields.append((sid, edoc["type"], name, repr(value), repr(actual)))
    report.routes[(exp["route"], got["route"])] += 1
    tolerated = set(exp.get("tolerated_reasons", []))
    for r in exp["reasons"]:
        report.reason_recall[r].add(r in got["reasons"])
    for r in got["reasons"]:
        if r not in exp["reasons"] and r not in tolerated:
            report.extra_reasons[r] += 1
    if exp["route"] == "review" and got["route"] == "pass":
        report.false_passes.append(sid)
    if exp["route"] == "pass" and got["route"] != "pass":
        report.clean_held.append(sid)


def score_run(corpus: Path, results: Path) -> EvalReport:
    """Score the latest result line per submission against ``corpus/expected``."""
    latest: dict[str, dict[str, Any]] = {}
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                latest[obj["submission_id"]] = obj
    report = EvalReport()
    for path in sorted((corpus / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        score_packet(report, exp, latest.get(exp["submission_id"]))
    return report
