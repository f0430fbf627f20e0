"""The expected result of a packet: route, reasons and documents, as a JSON object.

Field values are in SPEC §5 normal form. Extra keys beyond SPEC §3 (``tests``,
``defects``, ``tolerated_reasons``, per-page ``degradations`` …) are the generator's
own record of what it did.

Page rotation: ``rotation_applied`` is the clockwise rotation the generator gave the
upright page; ``expected_rotation`` is the clockwise rotation that makes it upright
again, i.e. what the pipeline should report as the page's ``rotation``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhanchi.synth.content import Claim
from zhanchi.synth.defects import DEFECTS
from zhanchi.synth.packet import DocOut, PageOut
from zhanchi.synth.writer import Written

REGISTRY_FILES = ("agencies.csv", "certificates.csv", "claims.csv")
# The check that needs each registry file (SPEC §6).
REGISTRY_CHECK = {
    "agencies.csv": "agency_not_filed",
    "certificates.csv": "certificate_not_in_registry",
    "claims.csv": "duplicate_claim",
}



def registry_checks_run(docs: list[DocOut]) -> dict[str, bool]:
    """Whether each registry-backed check has something to check in this packet."""
    letter = next((d.fields for d in docs if d.type == "commitment_letter"), None)
    certs = [d for d in docs if d.type in ("skill_level_certificate", "qualification_certificate")]
    number_known = bool(certs) or (letter is not None and "certificate_number" in letter)
    return {
        "agencies.csv": letter is not None and letter.get("exam_province") == "江西省"
        and "agency" in letter,
        "certificates.csv": number_known,
        "claims.csv": number_known,
    }


def adjust_for_missing_registry(reasons: set[str], docs: list[DocOut], omitted: list[str]) -> set[str]:
    """Drop the reasons whose registry is gone and add ``registry_unavailable`` instead."""
    runs = registry_checks_run(docs)
    out = set(reasons)
    for name in omitted:
        if runs[name]:
            out.discard(REGISTRY_CHECK[name])
            out.add("registry_unavailable")
    return out


def page_entries(doc: DocOut, pages: list[PageOut], written: Written) -> list[dict[str, Any]]:
    entries = []
    for idx in doc.pages:
        page = pages[idx]
        file, number = written.locations[idx]
        entries.append({
            "file": file,
            "page": number,
            "rotation_applied": page.rotation,
            "expected_rotation": (360 - page.rotation) % 360,
            "degradations": page.degradations,
            "source": "text_layer" if page.vector else "image",
        })
    return entries


def expected_json(
    *, submission_id: str, claim: Claim, docs: list[DocOut], pages: list[PageOut],
    written: Written, defects: list[str], reasons: set[str], tolerated: set[str],
    as_of: date, fmt: str, style: str, variant: str,
) -> dict[str, Any]:
    """The expected record of one packet (see module docstring)."""
    documents = [{"type": d.type, "fields": dict(sorted(d.fields.items())),
                  "pages": page_entries(d, pages, written)}
                 | ({"layout": d.layout} if d.layout else {}) for d in docs]
    if defects:
        what = "; ".join(f"{d}: {DEFECTS[d].description}" for d in defects)
        tests = f"{what}{f' ({variant})' if variant else ''}; {fmt}, {style} pages"
    else:
        kind = claim.certificate.doc_type.replace("_", " ")
        where = "outside Jiangxi with filing proof" if claim.proof else "in Jiangxi"
        tests = f"clean claim ({kind}, exam {where}); {fmt}, {style} pages; must pass"
    return {
        "submission_id": submission_id,
        "tests": tests,
        "defects": defects,
        "as_of": as_of.isoformat(),
        "route": "review" if reasons else "pass",
        "reasons": sorted(reasons),
        "tolerated_reasons": sorted(tolerated),
        "format": fmt,
        "source": written.files,
        "unreadable_files": written.corrupt_files,
        "documents": documents,
    }
