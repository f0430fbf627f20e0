"""Family B corpora (and mixed A+B ones) in the same layout as family A's.

Claims, defects, the registry, the writer and the expected JSON are family A's content
model; only the pages differ (and B adds the near-miss defects). ``manifest.json``
gains ``family`` and ``phenomena`` (how many pages showed each phenomenon), and each
expected document gains ``layout`` (e.g. ``application_form`` for an ``unknown`` page).
"""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zhanchi.synth.content import make_claim
from zhanchi.synth.corpus import apply_defects, draw_plan, fit_plan, write_registry
from zhanchi.synth.defects import DEFECTS, Defect
from zhanchi.synth.expected import expected_json
from zhanchi.synth.family_b.near_miss import NEAR_MISS
from zhanchi.synth.family_b.render import CAPTURE_STYLES, EXTRAS, render_packet_b
from zhanchi.synth.packet import PacketPlan, render_packet
from zhanchi.synth.refdata import load_reference
from zhanchi.synth.writer import FOLDER_FORMATS, write_packet

FAMILIES = ("A", "B", "mixed")
B_DEFECTS: dict[str, Defect] = {**DEFECTS, **NEAR_MISS}
B_FORMATS = ("jpeg_folder", "png_folder", "mixed_folder", "pdf_image", "tiff")


def b_as_of(seed: int) -> date:
    """B's corpus date, drawn apart from A's: mid-2022 … 2025."""
    return date(2022, 7, 1) + timedelta(days=random.Random(f"family_b:as_of:{seed}").randrange(0, 1250))


def draw_plan_b(sid: str, rng: random.Random, defect: str | None) -> PacketPlan:
    d = B_DEFECTS[defect] if defect else None
    kind = d.kind if d and d.kind else ("qualification" if rng.random() < 0.25 else "skill")
    outside = bool(d and d.outside) or (not (d and d.inside) and rng.random() < 0.12)
    fmt = rng.choice(FOLDER_FORMATS if d and d.folder else B_FORMATS)
    style = "fax" if fmt == "tiff" and rng.random() < 0.6 else rng.choice(CAPTURE_STYLES)
    extras = [e for e, p in EXTRAS.items() if rng.random() < p]
    return PacketPlan(sid, fmt=fmt, kind=kind, outside=outside, defects=[defect] if defect else [],
                      style=style, extras=extras, shuffle=rng.random() < 0.3,
                      naming=rng.choice(("descriptive", "scanner", "phone")))


def build_corpus_b(out_dir: Path, plans: list[tuple[str, PacketPlan]], *, seed: int, as_of: date,
                   dpi: int, quality: int = 80) -> dict[str, Any]:
    """Render and write every (family, plan); returns the manifest written."""
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        raise FileExistsError(f"{out_dir} is not empty and holds no synth manifest.json")
    for sub in ("inbox", "registry", "expected"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)
        (out_dir / sub).mkdir(parents=True)
    ref = load_reference()
    cert_rows: list[dict[str, str]] = []
    claim_rows: list[dict[str, str]] = []
    phenomena: Counter[str] = Counter()
    rows = []
    for family, plan in ((f, fit_plan(p, B_DEFECTS)) for f, p in plans):
        rng = random.Random(f"family_{family}:packet:{seed}:{plan.submission_id}")
        claim = make_claim(rng, ref, as_of, kind=plan.kind,  # type: ignore[arg-type]
                           outside=plan.outside)
        effects, reasons, tolerated, variant = apply_defects(claim, plan, rng, as_of, B_DEFECTS)
        if family == "B":
            docs, pages, layouts, seen = render_packet_b(claim, plan, dpi, rng)
            phenomena.update(seen)
        else:
            docs, pages = render_packet(claim, plan, dpi, rng)
            layouts = ["family_a"] * len(docs)
        phenomena.update(f"defect:{d}" for d in plan.defects)
        written = write_packet(out_dir / "inbox", plan, docs, pages, dpi=dpi, quality=quality,
                               rng=rng, corrupt=effects.corrupt)
        if effects.corrupt == "letter":
            keep = [i for i, d in enumerate(docs) if d.type != "commitment_letter"]
            docs, layouts = [docs[i] for i in keep], [layouts[i] for i in keep]
        record = expected_json(submission_id=plan.submission_id, claim=claim, docs=docs, pages=pages,
                               written=written, defects=[], reasons=reasons, tolerated=tolerated,
                               as_of=as_of, fmt=plan.fmt, style=plan.style, variant=variant)
        what = "; ".join(f"{n}: {B_DEFECTS[n].description}" for n in plan.defects) or "clean claim"
        record.update(family=family, defects=plan.defects,
                      tests=f"family {family}; {what}{f' ({variant})' if variant else ''}; "
                            f"{plan.fmt}, {plan.style} pages")
        for doc, layout in zip(record["documents"], layouts, strict=True):
            doc["layout"] = layout
        (out_dir / "expected" / f"{plan.submission_id}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not effects.drop_cert_row:
            cert_rows.append({**claim.certificate.registry_row(), **effects.cert_row_override})
        cert_rows += effects.cert_rows
        claim_rows += effects.claim_rows
        first = written.files[0].split("/")[0]
        rows.append({"submission_id": plan.submission_id, "family": family, "path": f"inbox/{first}",
                     "format": plan.fmt, "defects": plan.defects, "route": record["route"],
                     "reasons": record["reasons"]})
    write_registry(out_dir / "registry", seed, as_of, cert_rows, claim_rows, (),
                   n_noise=max(10, len(plans)))
    manifest = {"generator": "family_b", "seed": seed, "as_of": as_of.isoformat(), "dpi": dpi,
                "families": sorted({f for f, _ in plans}), "phenomena": dict(sorted(phenomena.items())),
                "packets": rows}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    return manifest


def generate_corpus_b(out_dir: Path, n_packets: int, seed: int, *, dpi: int = 200,
                      family: str = "B", clean_ratio: float = 0.5, near_miss_share: float = 0.4,
                      quality: int = 80) -> dict[str, Any]:
    """A fresh family-B (or ``mixed``: half A, half B) corpus, reproducible from ``seed``.

    ``near_miss_share`` of the defective packets get a near-miss defect, the rest one
    of family A's defects (``registry_unavailable`` is not drawn here).

    >>> m = generate_corpus_b(Path("/tmp/zb"), 4, seed=5, dpi=80)  # doctest: +SKIP
    """
    if family not in ("B", "mixed"):
        raise ValueError(f"family must be B or mixed, not {family!r}")
    rng = random.Random(f"family_b:corpus:{seed}")
    plans: list[tuple[str, PacketPlan]] = []
    for i in range(n_packets):
        sid = f"P{i + 1:04d}"
        defect = None
        if rng.random() >= clean_ratio:
            pool = list(NEAR_MISS) if rng.random() < near_miss_share else list(DEFECTS)
            defect = rng.choice(pool)
        fam = "B" if family == "B" or rng.random() < 0.5 else "A"
        prng = random.Random(f"family_b:plan:{seed}:{i}")
        if fam == "A":  # family A's own plan; a near-miss defect is a content edit on it
            plan = draw_plan(sid, prng, defect if defect in DEFECTS else None)
            plans.append(("A", replace(plan, defects=[defect] if defect else [])))
        else:
            plans.append(("B", draw_plan_b(sid, prng, defect)))
    return build_corpus_b(out_dir, plans, seed=seed, as_of=b_as_of(seed), dpi=dpi, quality=quality)
