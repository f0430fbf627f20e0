"""Fit the confidence calibration curves on one ``zhanchi eval`` run (family A).

    python benchmarks/fit_calibration.py EVAL_DIR NAME

writes ``zhanchi/policy/calibration/NAME.json`` from EVAL_DIR's corpus and results (the
scores, before any calibration). Fit on one seed; measure with ``zhanchi eval`` on
another (the table then says whether the curve holds).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zhanchi.evaluation.calibration import fit, reads

ROOT = Path(__file__).resolve().parents[1]


def main(run_dir: Path, name: str) -> Path:
    manifest = json.loads((run_dir / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    meta = json.loads((run_dir / "eval.json").read_text(encoding="utf-8"))["meta"]
    rs = reads(run_dir / "corpus", run_dir / "run" / "results.jsonl")
    data = fit(rs, name=name, fitted_on={"family": "A", "seed": manifest["seed"],
                                         "packets": meta["packets"], "reads": len(rs)})
    out = ROOT / "zhanchi" / "policy" / "calibration" / f"{name}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), sys.argv[2]))
