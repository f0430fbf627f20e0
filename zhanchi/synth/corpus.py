"""Whole corpora: packets, the registry they are checked against, expected results.

Layout written under ``out_dir``::

    inbox/<packet>            one folder or file per submission
    registry/agencies.csv     SPEC §4 columns (a file is absent when omitted on purpose)
    registry/certificates.csv
    registry/claims.csv
    expected/<submission_id>.json
    manifest.json             seed, as_of, dpi, one row per packet

``registry_unavailable`` is produced here, not per packet: ask for it in ``defects``
(one registry file, drawn from the seed, is left out) or name files in
``omit_registry``. Every packet whose checks need a missing file then expects
``registry_unavailable`` instead of that check's own reason.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zhanchi.synth.agencies import registry_agencies
from zhanchi.synth.content import Claim, make_claim, make_person, pick_level
from zhanchi.synth.defects import CORPUS_DEFECTS, DEFECTS, Ctx, Defect, Effects
from zhanchi.synth.expected import REGISTRY_FILES, adjust_for_missing_registry, expected_json
from zhanchi.synth.identity import skill_number
from zhanchi.synth.packet import STYLES, PacketPlan, render_packet
from zhanchi.synth.refdata import load_reference
from zhanchi.synth.writer import FOLDER_FORMATS, FORMATS, write_packet

AGENCY_COLUMNS = ("name", "filing_no", "province", "valid_from", "valid_to", "aliases")
CERT_COLUMNS = ("certificate_number", "holder_name", "id_number", "occupation", "level",
                "issue_date", "agency")
CLAIM_COLUMNS = ("certificate_number", "id_number", "occupation", "level", "paid_date")


@dataclass
class PacketRecord:
    """One packet of a corpus, as listed in manifest.json."""

    submission_id: str
    path: str
    format: str
    defects: list[str]
    route: str
    reasons: list[str]


@dataclass
class CorpusManifest:
    """What :func:`generate_corpus` made and from which settings."""

    out_dir: Path
    seed: int
    as_of: date
    dpi: int
    packets: list[PacketRecord] = field(default_factory=list)
    omitted_registry: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "as_of": self.as_of.isoformat(), "dpi": self.dpi,
                "omitted_registry": self.omitted_registry,
                "packets": [asdict(p) for p in self.packets]}


def corpus_as_of(seed: int) -> date:
    """The corpus's "today": mid-2022 … 2025, so every window lies after 2020."""
    return date(2022, 6, 1) + timedelta(days=random.Random(f"as_of:{seed}").randrange(0, 1300))


def draw_plan(sid: str, rng: random.Random, defect: str | None) -> PacketPlan:
    """A random plan honouring what the defect needs (format, kind, place)."""
    d = DEFECTS[defect] if defect else None
    kind = d.kind if d and d.kind else ("qualification" if rng.random() < 0.25 else "skill")
    outside = bool(d and d.outside) or (not (d and d.inside) and rng.random() < 0.12)
    fmts = FOLDER_FORMATS if d and d.folder else FORMATS
    fmt = rng.choices(fmts, weights=[3, 1, 2, 2, 2, 1, 1][: len(fmts)])[0]
    style = "fax" if fmt == "tiff" and rng.random() < 0.7 else rng.choices(
        STYLES, weights=[2, 5, 1, 2, 3])[0]
    # the application form is the extra page most packets carry (and the one most
    # often taken for a certificate): drawn more often than the others
    extras = [e for e, p in (("id_card", 0.15), ("form", 0.25), ("blank", 0.15)) if rng.random() < p]
    return PacketPlan(sid, fmt=fmt, kind=kind, outside=outside, defects=[defect] if defect else [],
                      style=style, extras=extras, shuffle=rng.random() < 0.25,
                      naming=rng.choice(("descriptive", "scanner", "scanner", "phone")))


def fit_plan(plan: PacketPlan, defects: Mapping[str, Defect] = DEFECTS) -> PacketPlan:
    """The plan adjusted so its defects (named in ``defects``) can apply (place,
    certificate kind, a folder)."""
    changes: dict[str, Any] = {}
    for d in (defects[name] for name in plan.defects):
        if d.kind:
            changes["kind"] = d.kind
        if d.outside or d.inside:
            changes["outside"] = d.outside
        if d.folder and plan.fmt not in FOLDER_FORMATS:
            changes["fmt"] = "jpeg_folder"
    return replace(plan, **changes) if changes else plan


def _noise_rows(seed: int, n: int, as_of: date, used: set[str]) -> tuple[list[dict[str, str]],
                                                                           list[dict[str, str]]]:
    """Certificates of people outside the corpus, half of them already paid."""
    rng = random.Random(f"registry:{seed}")
    ref = load_reference()
    certs, claims = [], []
    for _ in range(n):
        person = make_person(rng, ref, as_of)
        issue = as_of - timedelta(days=rng.randrange(30, 900))
        level = pick_level(rng)
        number = skill_number(rng, province_code="36", issue=issue, level=level, social=True)
        if number in used or person.id_number in used:
            continue
        occ = rng.choice(ref.level_occupations)
        agency = rng.choice(registry_agencies(as_of)[:-1]).name
        certs.append({"certificate_number": number, "holder_name": person.name,
                      "id_number": person.id_number, "occupation": occ, "level": str(level),
                      "issue_date": issue.isoformat(), "agency": agency})
        if rng.random() < 0.5:
            claims.append({"certificate_number": number, "id_number": person.id_number,
                           "occupation": occ, "level": str(level),
                           "paid_date": (issue + timedelta(days=60)).isoformat()})
    return certs, claims


def _write_csv(path: Path, columns: Sequence[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: tuple(r[c] for c in columns)):
            writer.writerow(row)


def write_registry(reg_dir: Path, seed: int, as_of: date, cert_rows: list[dict[str, str]],
                   claim_rows: list[dict[str, str]], omit: Sequence[str], n_noise: int) -> None:
    reg_dir.mkdir(parents=True, exist_ok=True)
    used = {r["certificate_number"] for r in cert_rows} | {r["id_number"] for r in cert_rows}
    noise_certs, noise_claims = _noise_rows(seed, n_noise, as_of, used)
    agencies = [{"name": a.name, "filing_no": a.filing_no, "province": a.province,
                 "valid_from": a.valid_from.isoformat(),
                 "valid_to": a.valid_to.isoformat() if a.valid_to else "",
                 "aliases": "|".join(a.aliases)} for a in registry_agencies(as_of)]
    tables = {"agencies.csv": (AGENCY_COLUMNS, agencies),
              "certificates.csv": (CERT_COLUMNS, cert_rows + noise_certs),
              "claims.csv": (CLAIM_COLUMNS, claim_rows + noise_claims)}
    for name, (cols, rows) in tables.items():
        if name not in omit:
            _write_csv(reg_dir / name, cols, rows)


def build_corpus(out_dir: Path, plans: list[PacketPlan], *, seed: int, as_of: date, dpi: int,
                 quality: int = 80, omit_registry: Sequence[str] = ()) -> CorpusManifest:
    """Render and write every planned packet, then the registry and the manifest."""
    ref = load_reference()
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        # Only ever overwrite a corpus we made; never clear someone else's folder.
        raise FileExistsError(f"{out_dir} is not empty and holds no synth manifest.json")
    for sub in ("inbox", "registry", "expected"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)
        (out_dir / sub).mkdir(parents=True)
    manifest = CorpusManifest(out_dir, seed, as_of, dpi, omitted_registry=sorted(omit_registry))
    cert_rows: list[dict[str, str]] = []
    claim_rows: list[dict[str, str]] = []
    for plan in map(fit_plan, plans):
        rng = random.Random(f"packet:{seed}:{plan.submission_id}")
        claim = make_claim(rng, ref, as_of, kind=plan.kind,  # type: ignore[arg-type]
                           outside=plan.outside)
        if plan.landscape is not None:
            claim.certificate.landscape = plan.landscape
        claim.certificate.ecert = plan.ecert and claim.certificate.kind == "skill"
        effects, reasons, tolerated, variant = apply_defects(claim, plan, rng, as_of)
        docs, pages = render_packet(claim, plan, dpi, rng)
        written = write_packet(out_dir / "inbox", plan, docs, pages, dpi=dpi, quality=quality,
                               rng=rng, corrupt=effects.corrupt)
        if effects.corrupt == "letter":
            docs = [d for d in docs if d.type != "commitment_letter"]
        reasons = adjust_for_missing_registry(reasons, docs, list(omit_registry))
        record = expected_json(submission_id=plan.submission_id, claim=claim, docs=docs,
                               pages=pages, written=written, defects=plan.defects,
                               reasons=reasons, tolerated=tolerated, as_of=as_of, fmt=plan.fmt,
                               style=plan.style, variant=variant)
        (out_dir / "expected" / f"{plan.submission_id}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not effects.drop_cert_row:
            cert_rows.append({**claim.certificate.registry_row(), **effects.cert_row_override})
        cert_rows.extend(effects.cert_rows)
        claim_rows.extend(effects.claim_rows)
        path = written.files[0].split("/")[0] if "/" in written.files[0] else written.files[0]
        manifest.packets.append(PacketRecord(plan.submission_id, f"inbox/{path}", plan.fmt,
                                             plan.defects, record["route"], record["reasons"]))
    write_registry(out_dir / "registry", seed, as_of, cert_rows, claim_rows, omit_registry,
                   n_noise=max(10, len(plans)))
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def apply_defects(claim: Claim, plan: PacketPlan, rng: random.Random, as_of: date,
                  defects: Mapping[str, Defect] = DEFECTS
                  ) -> tuple[Effects, set[str], set[str], str]:
    """The plan's defects applied to the claim (named in ``defects``): merged registry
    effects, the reasons they must produce, the ones tolerated, the variant names."""
    merged = Effects()
    reasons: set[str] = set()
    tolerated: set[str] = set()
    variants = []
    for name in plan.defects:
        d = defects[name]
        eff = d.apply(claim, Ctx(load_reference(), as_of, rng, plan.variant))
        reasons.update(d.reasons)
        tolerated.update(d.tolerated)
        merged.cert_rows += eff.cert_rows
        merged.claim_rows += eff.claim_rows
        merged.cert_row_override.update(eff.cert_row_override)
        merged.drop_cert_row |= eff.drop_cert_row
        merged.corrupt = eff.corrupt or merged.corrupt
        if eff.variant:
            variants.append(eff.variant)
    return merged, reasons, tolerated, ",".join(variants)


def generate_corpus(
    out_dir: Path, n_packets: int, seed: int, *, dpi: int = 200,
    defects: list[str] | None = None, clean_ratio: float = 0.5,
    omit_registry: Sequence[str] = (), quality: int = 80, cover_defects: bool = False,
) -> CorpusManifest:
    """A fresh corpus of ``n_packets`` packets, reproducible from ``seed``.

    ``defects`` limits which defects are drawn (default: all); each non-clean packet
    gets one. Including ``registry_unavailable`` leaves one registry file out.
    ``cover_defects``: the first defective packets take every defect of the pool once,
    in a seeded random order (raises when there are too few packets for that).

    >>> m = generate_corpus(Path("corpus"), 2, seed=7, dpi=60)  # doctest: +SKIP
    """
    pool = [d for d in (defects if defects is not None else list(DEFECTS)) if d in DEFECTS]
    unknown = set(defects or []) - set(DEFECTS) - set(CORPUS_DEFECTS)
    if unknown:
        raise ValueError(f"unknown defects: {sorted(unknown)}")
    omit = list(omit_registry)
    if defects and "registry_unavailable" in defects and not omit:
        omit = [random.Random(f"omit:{seed}").choice(REGISTRY_FILES)]
    rng = random.Random(f"corpus:{seed}")
    todo: list[str] = []
    if cover_defects:
        todo = random.Random(f"cover:{seed}").sample(pool, len(pool))
        if len(todo) > n_packets * (1 - clean_ratio):
            raise ValueError(f"{n_packets} packets at clean ratio {clean_ratio} cannot cover "
                             f"{len(todo)} defects")
    plans = []
    for i in range(n_packets):
        defect = None if (not pool or rng.random() < clean_ratio) else rng.choice(pool)
        if defect is not None and todo:
            defect = todo.pop()
        plans.append(draw_plan(f"P{i + 1:04d}", random.Random(f"plan:{seed}:{i}"), defect))
    return build_corpus(out_dir, plans, seed=seed, as_of=corpus_as_of(seed), dpi=dpi,
                        quality=quality, omit_registry=omit)
