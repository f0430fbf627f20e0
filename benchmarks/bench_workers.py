"""OCR workers on this machine: pages/min and peak RSS with 1, 2 and 4 workers.

Each configuration runs the batch exactly as the flow's thread-pool task runner does —
``stages.ingest``, ``stages.read_and_extract`` for every packet on ``workers`` threads sharing
one RapidOCR engine of ``max(1, cores // workers)`` ONNX Runtime threads, then the
decisions — in a process of its own, with a fresh store (no OCR cache hits), after
loading the engine (a served deployment loads it once). Prefect's own overhead is
left out (its embedded server alone costs 12–28 s per process; see PREFECT.md).

The machine is shared and noisy: configurations alternate in each round (order
reversed every other round) and the medians are reported beside every run. CPU
seconds per page are printed too — steadier than wall time on a loaded box. Every
configuration must reach the same routes, reasons and field values (the engine is
shared by threads; this checks that sharing it changes nothing).

    python benchmarks/bench_workers.py --packets 8 --rounds 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_docs"


def child(inbox: Path, registry: Path, out: Path, workers: int, threads: int,
          as_of: str) -> dict[str, float | str]:
    """One measured batch (runs in its own process)."""
    import cv2
    import numpy as np

    from zhanchi.ocr import get_engine
    from zhanchi.pipeline import stages
    from zhanchi.pipeline.batch import BatchRun, claimed_numbers, settings_from_args

    settings = settings_from_args(inbox, registry, out, as_of, None, "rapidocr")
    run = BatchRun(settings, ort_threads=threads)
    engine = get_engine("rapidocr", **run.engine_options)
    engine.read(cv2.cvtColor(np.full((200, 600), 255, np.uint8), cv2.COLOR_GRAY2BGR))
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    planned = stages.ingest(run)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        extracted = list(pool.map(lambda p: stages.read_and_extract(run, p), planned))
    numbers = claimed_numbers(extracted)
    digest = hashlib.sha256()
    for p, ex in zip(planned, extracted, strict=True):
        result = stages.decide(run, p, ex, 0, numbers)
        fields = [(d.type, sorted((k, str(f.value)) for k, f in d.fields.items()))
                  for d in result.documents]
        digest.update(json.dumps([result.submission_id, result.reasons, fields],
                                 ensure_ascii=False).encode())
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    summary = run.close()
    ocr_pages = summary.pages - summary.cache_hits
    return {"pages": summary.pages, "ocr_pages": ocr_pages, "wall": wall, "cpu": cpu,
            "digest": digest.hexdigest()[:16],
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(args: list[str]) -> dict[str, float | str]:
    env = dict(os.environ, PREFECT_LOGGING_LEVEL="WARNING")
    for var in ("ZHANCHI_OCR_THREADS", "ZHANCHI_OCR_WORKERS", "ZHANCHI_DATABASE_URL"):
        env.pop(var, None)
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {args}\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--packets", type=int, default=8, help="first N sample_docs packets")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--inbox")
    ap.add_argument("--registry", default=str(SAMPLE / "registry"))
    ap.add_argument("--out")
    ap.add_argument("--as-of", default="2024-06-30")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(Path(a.inbox), Path(a.registry), Path(a.out), int(a.workers),
                               int(a.threads), a.as_of)))
        return
    from zhanchi.deploy.parallel import available_cores, plan

    cores = available_cores()
    configs = [plan(int(w), cores=cores) for w in a.workers.split(",")]
    work = Path(tempfile.mkdtemp(prefix="zhanchi-bench-workers-"))
    try:
        inbox = work / "inbox"
        inbox.mkdir()
        for e in sorted((SAMPLE / "inbox").iterdir())[: a.packets]:
            (shutil.copytree if e.is_dir() else shutil.copy2)(e, inbox / e.name)
        registry = work / "registry"
        shutil.copytree(a.registry, registry)
        print(f"{a.packets} sample packets; {a.rounds} rounds; cores={cores}; "
              f"load average {os.getloadavg()[0]:.1f} at start")
        rows: dict[int, list[dict[str, float | str]]] = {c.workers: [] for c in configs}
        for r in range(a.rounds):
            for c in configs if r % 2 == 0 else list(reversed(configs)):
                out = work / f"out-{c.workers}-{r}"
                res = run_child(["--child", "--workers", str(c.workers), "--threads",
                                 str(c.ort_threads), "--inbox", str(inbox), "--registry",
                                 str(registry), "--out", str(out), "--as-of", a.as_of])
                res["load"] = os.getloadavg()[0]
                rows[c.workers].append(res)
                shutil.rmtree(out, ignore_errors=True)
                print(f"  round {r + 1}: {c.describe()}: {res['ocr_pages']} pages in "
                      f"{float(res['wall']):.1f} s", flush=True)
        report(configs, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(configs: list[Any], rows: dict[int, list[dict[str, float | str]]]) -> None:
    print("\n| workers × ORT threads | pages | pages/min (median) | runs | CPU s/page (median) "
          "| peak RSS MB (median) | load avg |\n|---|---|---|---|---|---|---|")
    best = None
    for c in configs:
        runs = rows[c.workers]
        ppm = [float(r["pages"]) / float(r["wall"]) * 60 for r in runs]
        cpu = [float(r["cpu"]) / max(1.0, float(r["ocr_pages"])) for r in runs]
        rss = [float(r["peak_rss_mb"]) for r in runs]
        med = statistics.median(ppm)
        loads = " / ".join(f"{float(r['load']):.1f}" for r in runs)
        print(f"| {c.workers} × {c.ort_threads} | {int(runs[0]['pages'])} | {med:.1f} | "
              f"{' / '.join(f'{x:.1f}' for x in ppm)} | {statistics.median(cpu):.1f} | "
              f"{statistics.median(rss):.0f} | "
              f"{loads} |")
        if best is None or med > best[1]:
            best = (c, med)
    digests = {str(r["digest"]) for runs in rows.values() for r in runs}
    print(f"\nsame routes, reasons and fields in every run: {'yes' if len(digests) == 1 else 'NO'}")
    if best is not None:
        print(f"fastest by median: {best[0].describe()}")


if __name__ == "__main__":
    main()
