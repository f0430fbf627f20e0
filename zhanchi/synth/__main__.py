"""Command line: ``python -m zhanchi.synth --out DIR --packets N --seed S [--dpi 150]``.

``--sample-set`` writes the fixed committed set (seed, dpi and quality pinned) instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhanchi.synth.corpus import generate_corpus
from zhanchi.synth.defects import ALL_DEFECT_NAMES
from zhanchi.synth.sample_set import generate_sample_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhanchi.synth",
                                     description="Generate synthetic 展翅行动 claim packets.")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--packets", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--clean-ratio", type=float, default=0.5)
    parser.add_argument("--defects", default="",
                        help=f"comma-separated subset of: {', '.join(ALL_DEFECT_NAMES)}")
    parser.add_argument("--omit-registry", default="",
                        help="comma-separated registry files to leave out (e.g. claims.csv)")
    parser.add_argument("--cover-defects", action="store_true",
                        help="every per-packet defect at least once, then random draws")
    parser.add_argument("--sample-set", action="store_true",
                        help="write the fixed committed sample set (ignores packets/seed/dpi)")
    args = parser.parse_args(argv)
    if args.sample_set:
        manifest = generate_sample_set(args.out)
    else:
        defects = [d for d in args.defects.split(",") if d] or None
        omit = [f for f in args.omit_registry.split(",") if f]
        manifest = generate_corpus(args.out, args.packets, args.seed, dpi=args.dpi,
                                   defects=defects, clean_ratio=args.clean_ratio,
                                   omit_registry=omit, cover_defects=args.cover_defects)
    review = sum(p.route == "review" for p in manifest.packets)
    print(f"{len(manifest.packets)} packets ({review} to review) in {args.out}, "
          f"as_of {manifest.as_of.isoformat()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
