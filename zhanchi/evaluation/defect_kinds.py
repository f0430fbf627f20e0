"""Defective packets held and passed, per defect kind (near-miss defects included).

A false pass is a defective packet routed ``pass``; it must never happen. The per-kind
table shows which defects the run covered and that each was held.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any


def by_defect_kind(corpus: Path, results: Path) -> dict[str, tuple[int, int, int]]:
    """defect kind -> (packets, held for review, passed) in the latest result lines."""
    route: dict[str, str] = {}
    if results.is_file():
        for line in results.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                route[obj["submission_id"]] = obj["route"]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path in sorted((corpus / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        got = route.get(exp["submission_id"])
        for kind in exp.get("defects") or []:
            c = counts[kind]
            c[0] += 1
            c[1] += got == "review"
            c[2] += got == "pass"
    return {k: (v[0], v[1], v[2]) for k, v in sorted(counts.items())}


def print_defect_kinds(run_dir: Path, console: Any) -> None:
    """The per-kind table of ``zhanchi eval``'s run in ``run_dir``."""
    from rich.table import Table

    rows = by_defect_kind(run_dir / "corpus", run_dir / "run" / "results.jsonl")
    table = Table(title="defective packets per defect kind (passed must be 0)")
    for col in ("defect", "packets", "held", "passed"):
        table.add_column(col, justify="right" if col != "defect" else "left")
    for kind, (n, held, passed) in rows.items():
        table.add_row(kind, str(n), str(held), f"[red]{passed}[/red]" if passed else "0")
    console.print(table)
