"""Fit the confidence calibration curves on ``zhanchi eval`` runs of one seed (family A).

    python benchmarks/fit_calibration.py NAME EVAL_DIR [EVAL_DIR …]

writes ``zhanchi/policy/calibration/NAME.json`` from the runs' corpora and results (the
scores, before any calibration). The runs may be of one seed or several (their seeds
are recorded); measure with ``zhanchi eval`` on a seed none of them used, which then
says whether the curve holds (``zhanchi eval`` warns when the seed is one of them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zhanchi.evaluation.calibration import fit, reads

ROOT = Path(__file__).resolve().parents[1]


def main(name: str, run_dirs: list[Path]) -> Path:
    seeds, packets, rs = set(), 0, []
    for run_dir in run_dirs:
        manifest = json.loads((run_dir / "corpus" / "manifest.json").read_text(encoding="utf-8"))
        seeds.add(manifest["seed"])
        packets += len(manifest["packets"])
        rs += reads(run_dir / "corpus", run_dir / "run" / "results.jsonl")
    if not rs:
        raise SystemExit("no reads in those runs: nothing to fit")
    data = fit(rs, name=name, fitted_on={"family": "A", "seeds": sorted(seeds), "runs": len(run_dirs),
                                         "packets": packets, "reads": len(rs)})
    out = ROOT / "zhanchi" / "policy" / "calibration" / f"{name}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main(sys.argv[1], [Path(a) for a in sys.argv[2:]]))
