"""Accuracy of detect_marks on generated 承诺人 lines, per scan kind.

Each variant draws the end of a 承诺书 with random resolution (150–300 dpi), font size,
line positions, signing gap, OCR line splits and fuzzy OCR text, pen ink (black,
blue-black, blue, faded), ink-pad red (incl. light pink), noise, blur and JPEG; a fifth
of them carry a red official seal (some right beside the date line). The same page is
then judged as a colour, grayscale and Otsu-binarised scan.

    python benchmarks/bench_marks.py [--n 60] [--seed 1000] [--show-errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_marks_render import MODES, LetterCase, as_page, render_letter  # noqa: E402

from zhanchi.extractors.marks import detect_marks  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=60, help="variants (each judged in 3 scan kinds)")
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()

    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    errors: list[str] = []
    elapsed: list[float] = []
    for k in range(args.n):
        seed = args.seed + k
        sig, fp = bool(k % 2), bool((k // 2) % 2)
        case = LetterCase(signature=sig, fingerprint=fp, seal=k % 5 == 4, seal_near=k % 10 == 9, jitter=True, seed=seed)
        rendered = render_letter(case)
        for mode in MODES:
            t0 = time.perf_counter()
            marks = detect_marks(as_page(rendered, mode))
            elapsed.append(time.perf_counter() - t0)
            hits[(mode, "signature")].append(marks.has_signature == sig)
            hits[(mode, "fingerprint")].append(marks.has_fingerprint == fp)
            for what, truth, got in (("sig", sig, marks.has_signature), ("fp", fp, marks.has_fingerprint)):
                if truth != got:
                    errors.append(f"seed={seed} {mode:6s} {what} truth={truth} got={got} notes={rendered.notes} seal={case.seal}")

    print(f"{args.n} variants x {len(MODES)} scan kinds, seeds {args.seed}..{args.seed + args.n - 1}")
    print(f"{'scan':8s} {'has_signature':>14s} {'has_fingerprint':>16s}")
    for mode in MODES:
        s, f = hits[(mode, "signature")], hits[(mode, "fingerprint")]
        print(f"{mode:8s} {sum(s) / len(s):14.1%} {sum(f) / len(f):16.1%}")
    el = sorted(elapsed)
    print(f"time per page: median {el[len(el) // 2] * 1000:.0f} ms, max {el[-1] * 1000:.0f} ms")
    if args.show_errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
