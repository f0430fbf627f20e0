"""OCR engine settings side by side: speed, memory and character accuracy.

    python benchmarks/bench_ocr_engine.py                 # synthetic A4 200-dpi pages
    python benchmarks/bench_ocr_engine.py --pages DIR     # your own page images (no accuracy)
    python benchmarks/bench_ocr_engine.py --settings det1280,det960 --rounds 3

All settings live in one process and run round-robin (page by page, setting by
setting), so a busy machine slows them all alike; medians are quoted. Peak RSS is
measured apart, in a fresh process per setting that loads only that engine and reads
every page once (ONNX Runtime's memory arena keeps what it once needed, so memory
cannot be told apart inside the shared process).
CPU s/page (all threads of the process) is steadier than wall time on a shared
machine: on an idle 2-core box wall ≈ CPU / 2 for the 2-thread settings.
Character accuracy is 1 − edit distance / length over the NFKC-normalised,
whitespace-free page text in reading order.

Measured 2026-11-26 on the shared 2-core box (load average 5.5 → 4.8, one round):

    setting            pages/min median s/page CPU s/page peak RSS MB  char acc
    rapidocr-defaults        7.6          7.33       5.06         975    0.9936
    det2000                 10.3          5.84       3.88        1401    0.9994
    det1600                 15.3          4.04       2.57        1027    0.9983
    det1280 (default)       19.6          2.84       1.88         823    0.9988
    det960                  25.9          1.78       1.40         634    0.9936
    det736                  30.4          1.74       1.02         537    0.9948
    det1280+cls             20.0          2.70       1.93         828    0.9475
    det1280+spin            16.3          3.33       2.55         820    0.9988
    det1280+batch6          15.7          3.46       2.30        1149    0.9942
    det1280+1thread         21.4          2.61       1.74         821    0.9988
    det1280-arena           21.3          2.20       2.04         603    0.9988
    throughput at the defaults: 1 worker × 2 ORT threads 29.3, 2 workers × 1 ORT thread 48.7 pages/min
    clean_page + for_ocr: median 66 ms/page

Printed pages read perfectly at every side down to 960; only 6 pt print (736) and
the handwriting-like page separate them (1280: 0.992, 960: 0.955 on it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from zhanchi.imaging import clean_page, for_ocr
from zhanchi.imaging import synthetic as syn
from zhanchi.ocr.base import OcrEngine
from zhanchi.ocr.rapid import RapidOcrEngine

SETTINGS: dict[str, dict[str, Any]] = {
    "rapidocr-defaults": {"raw": True},  # bare RapidOCR(): det min-side 736 on a ≤2000 px page, cls on
    "det2000": {"det_max_side": 2000},
    "det1600": {"det_max_side": 1600},
    "det1280": {"det_max_side": 1280},
    "det960": {"det_max_side": 960},
    "det736": {"det_max_side": 736},
    "det1280+cls": {"det_max_side": 1280, "use_cls": True},
    "det1280+1thread": {"det_max_side": 1280, "threads": 1},
    "det1280+spin": {"det_max_side": 1280, "spin": True},
    "det1280+batch6": {"det_max_side": 1280, "rec_batch": 6},
    "det1280-arena": {"det_max_side": 1280, "mem_arena": False},
    "det960+max1600": {"det_max_side": 960, "max_side": 1600},
}
DEFAULT_SET = ("rapidocr-defaults,det2000,det1600,det1280,det960,det736,det1280+cls,det1280+spin,"
               "det1280+batch6,det1280+1thread,det1280-arena")


class RawRapid(OcrEngine):
    """rapidocr exactly as shipped (for the baseline row), behind the same interface."""

    name = "rapidocr-defaults"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._ocr = RapidOCR(params={"Global.log_level": "error"})
        self._ocr(np.full((64, 256, 3), 255, np.uint8))  # load the sessions now

    def read(self, image: np.ndarray) -> Any:
        from zhanchi.ocr.base import make_page
        from zhanchi.ocr.rapid import _lines_from_output

        return make_page(self.name, image, _lines_from_output(self._ocr(image), self.name), 0)

    def recognize(self, crops: Any) -> list[Any]:
        raise NotImplementedError


def make_engine(setting: str) -> OcrEngine:
    opts = dict(SETTINGS[setting])
    return RawRapid() if opts.pop("raw", False) else RapidOcrEngine(**opts)


def peak_rss_mb(setting: str, folder: Path | None) -> float:
    """VmHWM of a fresh process that loads ``setting`` and reads every page once."""
    code = "from benchmarks.bench_ocr_engine import _memory_probe; _memory_probe()"
    argv = [sys.executable, "-c", code, setting] + ([str(folder)] if folder else [])
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(argv, capture_output=True, text=True, cwd=root, timeout=1800)
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")


def _memory_probe() -> None:
    setting = sys.argv[1]
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    pages = folder_pages(folder) if folder else synthetic_pages()
    engine = make_engine(setting)
    for _, img, _ in pages:
        engine.read(for_ocr(img))
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            print(int(row.split()[1]) / 1024)


def _drain(share: tuple[OcrEngine, list[np.ndarray]]) -> None:
    engine, images = share
    for img in images:
        engine.read(img)


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def char_accuracy(truth: list[str], page: Any) -> float:
    ref = normalise("".join(truth))
    hyp = normalise("".join(line.text for line in page.lines))
    return max(0.0, 1 - edit_distance(ref, hyp) / max(1, len(ref)))


def synthetic_pages() -> list[tuple[str, np.ndarray, list[str] | None]]:
    """Typical pages: letters (plain, sealed), a dense notice, a landscape sheet; and
    three that separate the settings: 6 pt print, a 7 pt fax, handwriting-like fills."""
    letter, t1 = syn.text_page(font="uming", size=33)
    sealed, t2 = syn.text_page(font="ukai", size=33)
    sealed = syn.add_seal(sealed, (1150, 1950))
    notice, t3 = syn.text_page(syn.NOTICE_TEXT * 2, title="通知", font="zenhei", size=29)
    land, t4 = syn.text_page(syn.NOTICE_TEXT[:260], title="职业技能等级证书", font="uming",
                             size=40, landscape=True, footer=("证书编号：S000036000001214000123",))
    small, t5 = syn.text_page(syn.NOTICE_TEXT, title=None, font="zenhei", size=17, spacing=1.5)
    faxed, t6 = syn.text_page(syn.NOTICE_TEXT, title=None, font="zenhei", size=20, spacing=1.4)
    hand, t7 = syn.handwritten_page(size=30, ink=60)
    return [("letter", letter, t1), ("letter+seal", sealed, t2), ("notice", notice, t3),
            ("landscape", land, t4), ("6pt", small, t5), ("fax-7pt", syn.fax(faxed, threshold=110), t6),
            ("handwriting", hand, t7)]


def folder_pages(folder: Path) -> list[tuple[str, np.ndarray, list[str] | None]]:
    pages: list[tuple[str, np.ndarray, list[str] | None]] = []
    for p in sorted(folder.iterdir()):
        img = cv2.imread(str(p), cv2.IMREAD_COLOR)
        if img is not None:
            pages.append((p.name, img, None))
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=Path, help="folder of page images (default: synthetic A4 pages)")
    ap.add_argument("--settings", default=DEFAULT_SET, help=f"comma list from: {','.join(SETTINGS)}")
    ap.add_argument("--rounds", type=int, default=2, help="passes over the pages per setting")
    args = ap.parse_args(argv)

    load_before = os.getloadavg()[0]
    pages = folder_pages(args.pages) if args.pages else synthetic_pages()
    # The engines read what the pipeline gives them: the seal-faded copy of the page.
    originals = [img for _, img, _ in pages]
    pages = [(name, for_ocr(img), truth) for name, img, truth in pages]
    names = [s for s in args.settings.split(",") if s]
    engines = {n: make_engine(n) for n in names}
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    acc: dict[str, list[float]] = {n: [] for n in names}
    for _name, img, _ in pages[:2]:  # warm-up: first calls allocate buffers
        for n in names:
            engines[n].read(img)
    for r in range(args.rounds):
        for _name, img, truth in pages:
            for n in names:
                t, c = time.perf_counter(), time.process_time()
                page = engines[n].read(img)
                times[n].append(time.perf_counter() - t)
                cpu[n].append(time.process_time() - c)
                if r == 0 and truth is not None:
                    acc[n].append(char_accuracy(truth, page))

    # Throughput of the default detection side: one worker with 2 ORT threads against
    # two workers (threads) with 1 ORT thread each, over the same pages.
    through: dict[str, float] = {}
    for label, workers, threads in (("1 worker x 2 ORT threads", 1, 2), ("2 workers x 1 ORT thread", 2, 1)):
        pool_engines = [RapidOcrEngine(threads=threads) for _ in range(workers)]
        jobs = [img for _, img, _ in pages] * 2
        shares = [(pool_engines[w], jobs[w::workers]) for w in range(workers)]
        t = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(_drain, shares))
        through[label] = len(jobs) * 60 / (time.perf_counter() - t)

    clean_ms = []
    engine = engines.get("det1280") or next(iter(engines.values()))
    for img in originals:
        for rot in (0, 90, 180, 270):
            t = time.perf_counter()
            cleaned = clean_page(syn.turn(img, rot), engine=engine)
            for_ocr(cleaned.image)
            clean_ms.append((time.perf_counter() - t) * 1000)

    print(f"{len(pages)} pages × {args.rounds} rounds; cores={os.cpu_count()}; "
          f"load avg {load_before:.1f} → {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}")
    print(f"{'setting':18s} {'pages/min':>9s} {'median s/page':>13s} {'CPU s/page':>10s} "
          f"{'peak RSS MB':>11s} {'char acc':>9s}")
    rss = {n: peak_rss_mb(n, args.pages) for n in names}
    for n in names:
        ts = times[n]
        a = f"{statistics.mean(acc[n]):.4f}" if acc[n] else "n/a"
        print(f"{n:18s} {60 / statistics.mean(ts):9.1f} {statistics.median(ts):13.2f} "
              f"{statistics.median(cpu[n]):10.2f} {rss[n]:11.0f} {a:>9s}")
    if any(acc.values()):
        print("char accuracy per page: " + ", ".join(p[0] for p in pages))
        for n in names:
            print(f"  {n:18s} " + " ".join(f"{a:.3f}" for a in acc[n]))
    for label, ppm in through.items():
        print(f"throughput, default settings, {label}: {ppm:.1f} pages/min")
    print(f"clean_page + for_ocr: median {statistics.median(clean_ms):.0f} ms/page "
          f"(all four rotations of each page, engine votes on 0/180)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
