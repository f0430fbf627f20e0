"""Bare OCR engine vs the whole pipeline, side by side on the same page images.

Prints pages/min and peak RSS of (a) RapidOCR at its defaults on each page image and
(b) ``zhanchi process`` (Prefect flow, cleaning, OCR, extraction, checks, database,
results.jsonl) on an inbox made of exactly those images. Each measurement runs in its
own process so peak RSS is per mode; modes alternate for ``--rounds`` rounds and the
medians are reported. The pipeline's process warms up first (embedded Prefect server
start-up, model load) and that start-up is reported separately.

    python benchmarks/bench_pipeline.py --packets 8 --rounds 3

``--against DIR`` adds a third mode, ``against``: the pipeline of another checkout
(e.g. ``git worktree add ../foundation <commit>``) run on the same page images in the
same rounds, so a change's throughput is compared side by side with its base.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_inbox(work: Path, packets: int, seed: int, dpi: int) -> tuple[Path, Path, int]:
    """A corpus turned into folders of JPEG page images (so both modes see the same pixels)."""
    import cv2

    from zhanchi.ingest import discover, load_entry
    from zhanchi.synth import generate_corpus

    corpus = work / "corpus"
    generate_corpus(corpus, n_packets=packets, seed=seed, dpi=dpi)
    inbox = work / "inbox"
    inbox.mkdir()
    n = 0
    for entry in discover(corpus / "inbox"):
        folder = inbox / entry.submission_id
        for item in load_entry(entry):
            if isinstance(item, Exception):
                continue
            folder.mkdir(exist_ok=True)
            n += 1
            cv2.imwrite(str(folder / f"p{n:04d}.jpg"), item.image,
                        [cv2.IMWRITE_JPEG_QUALITY, 90])
    return inbox, corpus / "registry", n


def child_bare(inbox: Path) -> dict[str, float]:
    """Bare engine: RapidOCR with its default settings, image decode included."""
    import cv2
    from rapidocr import RapidOCR

    t0 = time.perf_counter()
    engine = RapidOCR(params={"Global.log_level": "critical"})
    images = sorted(inbox.rglob("*.jpg"))
    engine(cv2.imread(str(images[0])))  # warm-up, as the pipeline's warm-up run
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in images:
        engine(cv2.imread(str(p)))
    wall = time.perf_counter() - t0
    return {"pages": len(images), "wall": wall, "startup": startup}


def child_pipeline(inbox: Path, registry: Path, out: Path, as_of: str) -> dict[str, float]:
    """The pipeline: one warm-up flow run on one packet, then the measured batch."""
    from zhanchi.flows.prefect_env import configure

    configure()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from zhanchi.flows.process import process_inbox

    warm_inbox = out / "warm_inbox"
    first = sorted(inbox.iterdir())[0]
    shutil.copytree(first, warm_inbox / first.name)
    t0 = time.perf_counter()
    process_inbox(inbox=str(warm_inbox), registry=str(registry), out=str(out / "warm"),
                  as_of=as_of)
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = process_inbox(inbox=str(inbox), registry=str(registry), out=str(out / "run"),
                            as_of=as_of)
    wall = time.perf_counter() - t0
    return {"pages": summary["pages"], "wall": wall, "startup": startup}


def run_child(args: list[str], tree: Path | None = None) -> dict[str, float]:
    """Run one measurement in a fresh process; ``tree``: another checkout's code."""
    script, env = __file__, None
    if tree is not None:
        script = str(tree / "benchmarks" / "bench_pipeline.py")
        env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([sys.executable, script, *args], capture_output=True, text=True,
                          check=False, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {args}\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", choices=["bare", "pipeline"])
    ap.add_argument("--inbox")
    ap.add_argument("--registry")
    ap.add_argument("--out")
    ap.add_argument("--as-of", default="2026-11-26")
    ap.add_argument("--against", type=Path,
                    help="another checkout whose pipeline runs as a third mode")
    a = ap.parse_args()
    if a.child:
        if a.child == "bare":
            res = child_bare(Path(a.inbox))
        else:
            res = child_pipeline(Path(a.inbox), Path(a.registry), Path(a.out), a.as_of)
        res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(res))
        return
    work = Path(tempfile.mkdtemp(prefix="zhanchi-bench-"))
    try:
        inbox, registry, pages = build_inbox(work, a.packets, a.seed, a.dpi)
        as_of = json.loads((work / "corpus" / "manifest.json").read_text())["as_of"]
        print(f"{pages} page images ({a.dpi} dpi) in {a.packets} packets; "
              f"{a.rounds} rounds, modes alternating; cores={os.cpu_count()}")
        rows: dict[str, list[dict[str, float]]] = {"bare": [], "pipeline": []}
        if a.against:
            rows["against"] = []
        for r in range(a.rounds):
            rows["bare"].append(run_child(["--child", "bare", "--inbox", str(inbox)]))
            out = work / f"out{r}"
            rows["pipeline"].append(run_child(["--child", "pipeline", "--inbox", str(inbox),
                                               "--registry", str(registry), "--out", str(out),
                                               "--as-of", as_of]))
            if a.against:
                out = work / f"against{r}"
                rows["against"].append(run_child(
                    ["--child", "pipeline", "--inbox", str(inbox), "--registry", str(registry),
                     "--out", str(out), "--as-of", as_of], tree=a.against.resolve()))
        report(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(rows: dict[str, list[dict[str, float]]]) -> None:
    print(f"{'mode':<10}{'pages':>6}{'pages/min (median)':>20}{'runs':>28}"
          f"{'start-up s':>12}{'peak RSS MB':>13}")
    med: dict[str, float] = {}
    for mode, runs in rows.items():
        ppm = [r["pages"] / r["wall"] * 60 for r in runs]
        med[mode] = statistics.median(ppm)
        print(f"{mode:<10}{int(runs[0]['pages']):>6}{med[mode]:>20.1f}"
              f"{' '.join(f'{x:.1f}' for x in ppm):>28}"
              f"{statistics.median(r['startup'] for r in runs):>12.1f}"
              f"{max(r['peak_rss_mb'] for r in runs):>13.0f}")
    overhead = med["bare"] / med["pipeline"] - 1
    print(f"pipeline time over bare engine: {overhead * 100:+.1f} % (goal ≤ +15 %)")
    if "against" in med:
        change = med["pipeline"] / med["against"] - 1
        print(f"this checkout vs --against: {change * 100:+.1f} % pages/min "
              f"(issue 3 goal: no worse than -10 %)")


if __name__ == "__main__":
    main()
