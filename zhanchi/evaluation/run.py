"""``zhanchi eval``: generate a fresh corpus, run the real pipeline on it, score it."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from zhanchi.evaluation.policy_used import check_version, versions_used
from zhanchi.evaluation.score import EvalReport, score_run


def evaluate(out: Path, *, packets: int, seed: int | None, dpi: int = 200,
             defects: list[str] | None = None, engine: str = "rapidocr",
             show_progress: bool = True, cover_defects: bool = False,
             family: str = "A", policy: str | None = None) -> tuple[EvalReport, dict[str, Any]]:
    """Generate ``packets`` packets with ``seed`` (fresh when None), process, score.

    ``family``: ``A`` (the generator the pipeline is tuned on), ``B`` (the independent
    one: measure only, never tune; see zhanchi/synth/README.md) or ``mixed``.
    ``policy``: a version id to apply instead of the one in force on the corpus date.
    """
    check_version(policy)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    corpus = out / "corpus"
    t0 = time.perf_counter()
    as_of, phenomena = _generate(corpus, family, packets, seed, dpi, defects, cover_defects)
    gen_s = time.perf_counter() - t0
    from zhanchi.flows.process import process_inbox

    t0 = time.perf_counter()
    summary = process_inbox(inbox=str(corpus / "inbox"), registry=str(corpus / "registry"),
                            out=str(out / "run"), as_of=as_of,
                            engine=engine, show_progress=show_progress, policy=policy)
    run_s = time.perf_counter() - t0
    report = score_run(corpus, out / "run" / "results.jsonl")
    meta = {"family": family, "phenomena": phenomena,
            "seed": seed, "packets": packets, "dpi": dpi, "cover_defects": cover_defects,
            "defects": defects, "generate_s": round(gen_s, 1),
            "run_s": round(run_s, 1), "summary": summary, "policy_requested": policy,
            "policy": versions_used(out / "run" / "results.jsonl")}
    (out / "eval.json").write_text(json.dumps({"meta": meta, "report": report.to_json()},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return report, meta


def _generate(corpus: Path, family: str, packets: int, seed: int, dpi: int,
              defects: list[str] | None, cover_defects: bool) -> tuple[str, dict[str, int]]:
    """Write the corpus of ``family``; returns its as_of date and the phenomena drawn."""
    if family == "A":
        from zhanchi.synth import generate_corpus

        manifest = generate_corpus(corpus, n_packets=packets, seed=seed, dpi=dpi, defects=defects,
                                   cover_defects=cover_defects)
        return manifest.as_of.isoformat(), {}
    if defects or cover_defects:
        raise ValueError("--defects and --cover-defects apply to family A only")
    from zhanchi.synth.family_b import generate_corpus_b

    mb = generate_corpus_b(corpus, packets, seed, dpi=dpi, family=family)
    return str(mb["as_of"]), dict(mb["phenomena"])
