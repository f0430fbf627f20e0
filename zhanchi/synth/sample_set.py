"""The fixed, committed sample set (``sample_docs/``) and its README.

Every packet is planned by hand here (format, capture style, defect) so the set
covers the formats and the common review reasons; the seed, ``as_of``, dpi and
JPEG quality are pinned, so the command in the README regenerates the same bytes.
"""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

from zhanchi.synth.cert_styles import SkillStyle
from zhanchi.synth.corpus import CorpusManifest, build_corpus
from zhanchi.synth.packet import PacketPlan

SAMPLE_SEED = 20240630
SAMPLE_AS_OF = date(2024, 6, 30)
SAMPLE_DPI = 150
SAMPLE_QUALITY = 75
COMMAND = "python -m zhanchi.synth --sample-set --out sample_docs"


def sample_plans() -> list[PacketPlan]:
    """The committed packets: clean ones in every format, then one per common defect.
    Their certificates keep the national template (``print_variants`` off), as committed."""
    P = partial(PacketPlan, print_variants=False)
    return [
        P("S01-clean-jpegs", fmt="jpeg_folder", style="scan", naming="scanner", landscape=False),
        P("S02-clean-image-pdf", fmt="pdf_image", kind="qualification", style="scan",
          extras=["id_card"], shuffle=True),
        P("S03-clean-born-digital", fmt="pdf_born_digital", style="scan", landscape=True),
        P("S04-clean-tiff-fax", fmt="tiff", style="fax", landscape=False),
        P("S05-clean-photo-outside", fmt="jpeg_folder", outside=True, naming="phone",
          style="photo", landscape=False,
          degradations={"commitment_letter": ["photo", "rot90"],
                        "skill_level_certificate": ["photo", "rot180"],
                        "filing_proof": ["scan"]}),
        P("S06-clean-scanned-ocr", fmt="pdf_scanned_ocr", style="scan", extras=["blank"],
          degradations={"skill_level_certificate": ["scan", "seal_over_text"]}),
        P("S07-missing-letter", fmt="pdf_image", defects=["missing_commitment_letter"],
          style="scan"),
        P("S08-agency-not-filed", fmt="jpeg_folder", defects=["agency_not_filed"], style="scan",
          variant="unfiled"),
        P("S09-signature-missing", fmt="mixed_folder", defects=["signature_missing"],
          style="scan", extras=["form"]),
        P("S10-number-mismatch", fmt="pdf_image", defects=["certificate_number_mismatch"],
          style="scan"),
        P("S11-duplicate-claim", fmt="jpeg_folder", defects=["duplicate_claim"], style="scan",
          naming="scanner", variant="same_number"),
        P("S12-unreadable-file", fmt="jpeg_folder", defects=["unreadable_page"], style="scan"),
        P("S13-level-not-eligible", fmt="pdf_born_digital", defects=["level_not_eligible"],
          style="scan"),
        P("S14-outside-no-proof", fmt="pdf_image", outside=True,
          defects=["out_of_province_proof_missing"], style="scan"),
        P("S15-exited-qualification", fmt="jpeg_folder", kind="qualification",
          defects=["exited_qualification"], style="scan"),
        P("S16-window-expired", fmt="pdf_image", defects=["application_window_expired"],
          style="scan"),
        P("S17-clean-form-print-over-name", fmt="jpeg_folder", style="scan",
          extras=["form", "id_card", "blank"], print_over_name=True, shuffle=True),
        # issue 10's phenomena, drawn by family A (never B): other printed letter forms,
        # values wrapped onto the next line, certificate layouts far from the template,
        # a seal over the issuer, and near-miss defects that must never pass
        PacketPlan("S18-clean-agency-over-placeholder", fmt="pdf_image", style="scan",
                   letter_form="seed_over", extras=["form"], print_over_name=False,
                   degradations={"commitment_letter": ["scan"], "unknown": ["scan"]}),
        PacketPlan("S19-clean-far-columns-sealed", fmt="jpeg_folder", style="scan",
                   letter_form="blank_plain", print_over_name=False,
                   cert_style=SkillStyle(issuer_label="发证机构", far=True, boxes_beside=True),
                   degradations={"skill_level_certificate": ["scan", "seal_over_text"]}),
        PacketPlan("S20-agency-near-miss", fmt="pdf_image", style="scan",
                   defects=["agency_near_miss"], letter_form="seed_above"),
        PacketPlan("S21-window-near-miss", fmt="tiff", style="fax",
                   defects=["window_near_miss"]),
        PacketPlan("S22-number-near-miss-ecert", fmt="pdf_image", style="scan",
                   defects=["number_near_miss"], ecert=True),
    ]


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() \
        else path.stat().st_size


CAPTURE = frozenset({"scan", "fax", "photo"})  # the capture style, already in `tests`


def _shows(exp: dict) -> str:
    """What the packet's pages show beyond their capture style: the degradations and
    phenomena the generator recorded (seals, forms, wraps, layouts, turns)."""
    seen = sorted({d for doc in exp["documents"] for page in doc["pages"]
                   for d in page["degradations"]} - CAPTURE)
    return ", ".join(seen) or "—"


def write_readme(out_dir: Path, manifest: CorpusManifest) -> None:
    """sample_docs/README.md: one row per packet, and the command that made the set."""
    rows = []
    for rec in manifest.packets:
        exp = json.loads((out_dir / "expected" / f"{rec.submission_id}.json").read_text("utf-8"))
        reasons = ", ".join(f"`{r}`" for r in exp["reasons"]) or "—"
        kb = _size(out_dir / rec.path) // 1024
        rows.append(f"| `{rec.path.removeprefix('inbox/')}` | {rec.format} | {kb} KB | "
                    f"{exp['tests']} | {_shows(exp)} | {exp['route']} | {reasons} |")
    total = sum(_size(out_dir / p.path) for p in manifest.packets) / 1e6
    text = f"""# sample_docs — synthetic claim packets with known answers

Made by `zhanchi.synth` (no real person's data: names, ID numbers and certificate numbers
are generated and only obey the format rules). Regenerate with:

```
{COMMAND}
```

Seed {SAMPLE_SEED}, as_of {SAMPLE_AS_OF.isoformat()}, {SAMPLE_DPI} dpi, JPEG quality
{SAMPLE_QUALITY}; the same command gives the same bytes on the same library versions
(Pillow, OpenCV, reportlab). Run the pipeline on it with
`zhanchi process sample_docs/inbox --registry sample_docs/registry --out OUT --as-of {SAMPLE_AS_OF.isoformat()}`.

- `inbox/` — one entry per submission (folder or single file)
- `registry/` — agencies.csv, certificates.csv, claims.csv (SPEC §4 columns)
- `expected/<id>.json` — route, reasons and every document's fields in SPEC §5 normal form,
  with each page's file, page number, the rotation the generator applied
  (`rotation_applied`, clockwise) and the one that makes it upright (`expected_rotation`)
- `manifest.json` — seed, as_of, dpi and one row per packet

Inbox total: {total:.1f} MB.

| packet | format | size | what it tests | what the pages show | route | reasons |
|---|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"
    (out_dir / "README.md").write_text(text, encoding="utf-8")


def generate_sample_set(out_dir: Path) -> CorpusManifest:
    """Write the committed sample set to ``out_dir`` (normally ``sample_docs``)."""
    manifest = build_corpus(out_dir, sample_plans(), seed=SAMPLE_SEED, as_of=SAMPLE_AS_OF,
                            dpi=SAMPLE_DPI, quality=SAMPLE_QUALITY)
    write_readme(out_dir, manifest)
    return manifest
