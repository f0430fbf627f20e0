"""Command line: ``python -m zhanchi.synth.family_b --out DIR --packets N --seed S``.

Prints how many pages showed each phenomenon (also in ``manifest.json``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhanchi.synth.family_b.corpus import generate_corpus_b


def phenomena_lines(phenomena: dict[str, int]) -> list[str]:
    """One ``name: count`` line per phenomenon, in name order."""
    return [f"  {name}: {count}" for name, count in sorted(phenomena.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhanchi.synth.family_b",
                                     description="Generate family-B claim packets.")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--packets", type=int, default=20)
    parser.add_argument("--seed", type=int, required=True, help="use a fresh one per measurement")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--clean-ratio", type=float, default=0.5)
    parser.add_argument("--family", choices=("B", "mixed"), default="B")
    args = parser.parse_args(argv)
    manifest = generate_corpus_b(args.out, args.packets, args.seed, dpi=args.dpi,
                                 family=args.family, clean_ratio=args.clean_ratio)
    review = sum(p["route"] == "review" for p in manifest["packets"])
    print(f"{len(manifest['packets'])} packets ({review} to review) in {args.out}, "
          f"as_of {manifest['as_of']}; phenomena drawn (pages):", file=sys.stderr)
    print("\n".join(phenomena_lines(manifest["phenomena"])), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
