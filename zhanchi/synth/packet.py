"""From a claim to pages: render each document, degrade each page, keep the truth.

A :class:`PacketPlan` says how the packet is made (format, capture style, extra
pages, page order); :func:`render_packet` returns the documents with their SPEC §5
fields and the pages (images, or vector specs for born-digital pages).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from zhanchi.synth import degrade
from zhanchi.synth.application_form import render_application_form
from zhanchi.synth.canvas import MM_PER_INCH, PageSpec, rasterise
from zhanchi.synth.cert_styles import (
    SkillStyle,
    draw_style,
    drawn_coarse_fax,
    drawn_ecert,
    drawn_frame,
    drawn_spread,
)
from zhanchi.synth.certificates import booklet_spread, render_qualification, render_skill
from zhanchi.synth.content import Claim, Field
from zhanchi.synth.ecert import render_skill_ecert
from zhanchi.synth.letter import render_letter
from zhanchi.synth.letter_forms import draw_form
from zhanchi.synth.other_pages import render_blank, render_id_copy, render_proof

STYLES = ("clean", "scan", "fax", "photo", "mixed")
# PacketPlan.extras → the layout of type `unknown` the page is drawn as
EXTRA_LAYOUTS = {"id_card": "id_card", "form": "application_form", "blank": "blank"}
VECTOR_TYPES = ("skill_level_certificate", "qualification_certificate", "filing_proof")
CERT_TYPES = ("skill_level_certificate", "qualification_certificate")


@dataclass
class PacketPlan:
    """How one packet is made; everything not given is drawn from the packet's seed."""

    submission_id: str
    fmt: str = "jpeg_folder"
    kind: str = "skill"
    outside: bool = False
    defects: list[str] = field(default_factory=list)
    style: str = "scan"
    extras: list[str] = field(default_factory=list)  # id_card | form | blank
    shuffle: bool = False
    landscape: bool | None = None  # skill certificate orientation (None: drawn)
    degradations: dict[str, list[str]] = field(default_factory=dict)  # by doc type
    naming: str = "descriptive"  # descriptive | scanner | phone
    variant: str | None = None  # pin a defect's variant (e.g. "unfiled"); None: drawn
    ecert: bool = False  # the skill certificate as an e-certificate printout (never drawn)
    print_over_name: bool | None = None  # the letter's fingerprint over the name's end (None: drawn)
    # certificates printed in drawn styles (cert_styles: label words, far columns, boxes,
    # e-certificate printouts, picture frames); the committed sample set keeps the template
    print_variants: bool = True
    cert_style: SkillStyle | None = None  # pin the paper skill certificate's style
    spread: bool = False  # the qualification booklet scanned open, both pages on one sheet
    letter_form: str | None = None  # pin the letter's printed form (letter_forms.FORMS; None: drawn)


@dataclass
class PageOut:
    """One rendered page: an image (or a vector spec) and what was done to it."""

    doc: int
    spec: PageSpec
    image: np.ndarray | None
    degradations: list[str]
    rotation: int = 0  # clockwise degrees the generator turned the page

    @property
    def vector(self) -> bool:
        return self.image is None


@dataclass
class DocOut:
    """One document of the packet with its expected fields (SPEC §5 normal form)."""

    type: str
    fields: dict[str, Field]
    pages: list[int] = field(default_factory=list)  # indexes into the packet's pages
    layout: str | None = None  # an `unknown` page's layout (zhanchi/doctypes/layouts)


def _style_degradations(style: str, doc_type: str, rng: random.Random) -> list[str]:
    if style == "mixed":
        style = rng.choice(("clean", "scan", "scan", "fax", "photo"))
    names = [] if style == "clean" else [style]
    if style in ("scan", "fax") and rng.random() < 0.12:
        names.append("rot180")  # fed upside down
    if style == "photo" and rng.random() < 0.3:
        names.append(rng.choice(("rot90", "rot270")))  # phone held sideways
    if rng.random() < 0.08:
        names.append("blur")
    if doc_type != "unknown" and rng.random() < 0.1:
        names.append("seal_over_text")
    return names


def _px_regions(spec: PageSpec, keys: list[str] | None, dpi: int) -> list[tuple[int, int, int, int]]:
    k = dpi / MM_PER_INCH
    items = spec.regions.items() if keys is None else [(n, spec.regions[n]) for n in keys
                                                      if n in spec.regions]
    return [(round(a * k), round(b * k), round(c * k), round(d * k)) for _, (a, b, c, d) in items]


def _documents(claim: Claim, plan: PacketPlan, dpi: int, rng: random.Random
               ) -> list[tuple[DocOut, list[PageSpec]]]:
    docs: list[tuple[DocOut, list[PageSpec]]] = []
    if claim.letter is not None:
        form = None if plan.letter_form is None else draw_form(claim.letter, plan.letter_form)
        spec = render_letter(claim.letter, dpi, rng, header=rng.random() < 0.6,
                             over_name=plan.print_over_name, form=form)
        docs.append((DocOut("commitment_letter", claim.letter.fields()), [spec]))
    for cert in claim.certificates:
        if cert.kind == "skill":
            varied = plan.print_variants
            if cert.ecert or (varied and drawn_ecert(cert.number)):
                specs = [render_skill_ecert(cert, dpi, rng, varied)]
            else:
                style = plan.cert_style or (draw_style(cert.number, cert.landscape)
                                            if varied else None)
                specs = [render_skill(cert, dpi, rng, style)]
        else:
            specs = render_qualification(cert, dpi, rng)
            if plan.spread or (plan.print_variants and drawn_spread(cert.number)):
                specs = [booklet_spread(specs)]
        docs.append((DocOut(cert.doc_type, cert.fields()), specs))
    if claim.proof is not None:
        docs.append((DocOut("filing_proof", claim.proof.fields()), [render_proof(claim.proof, dpi, rng)]))
    for extra in plan.extras:
        if extra == "id_card":
            spec = render_id_copy(claim.person, dpi, rng)
        elif extra == "form":
            spec = render_application_form(claim, dpi, rng)
        else:
            spec = render_blank(dpi, rng)
        docs.append((DocOut("unknown", {}, layout=EXTRA_LAYOUTS[extra]), [spec]))
    return docs


def render_packet(claim: Claim, plan: PacketPlan, dpi: int, rng: random.Random
                  ) -> tuple[list[DocOut], list[PageOut]]:
    """Render and degrade every page; pages come back in packet order."""
    nprng = np.random.default_rng(rng.randrange(1 << 62))
    docs: list[DocOut] = []
    pages: list[PageOut] = []
    vector_ok = plan.fmt == "pdf_born_digital"
    for i, (doc, specs) in enumerate(_documents(claim, plan, dpi, rng)):
        docs.append(doc)
        for spec in specs:
            doc.pages.append(len(pages))
            if vector_ok and doc.type in VECTOR_TYPES:
                pages.append(PageOut(i, spec, None, ["clean"]))
                continue
            names = list(plan.degradations.get(doc.type)
                         or _style_degradations(plan.style, doc.type, rng))
            if doc.type in CERT_TYPES and plan.print_variants:
                key = f"{plan.submission_id}:{len(pages)}"
                if "photo" in names and drawn_frame(key):
                    names.append("photo_frame")
                if "fax" in names and drawn_coarse_fax(key):
                    names.append("fax_coarse")
            smudge_keys: list[str] = []
            if doc.type == "commitment_letter" and claim.letter and claim.letter.smudged:
                smudge_keys = sorted(claim.letter.smudged)
                names.append("smudge")
            img = np.asarray(rasterise(spec, dpi))
            img, applied, rotation = degrade.apply(
                img, names, nprng, dpi=dpi, text_regions=_px_regions(spec, None, dpi),
                smudge_regions=_px_regions(spec, smudge_keys, dpi))
            applied = [*applied, *spec.phenomena]  # drawn by the layout, recorded the same way
            pages.append(PageOut(i, spec, img, applied, rotation))
    order = list(range(len(pages)))
    if plan.shuffle:
        rng.shuffle(order)
        remap = {old: new for new, old in enumerate(order)}
        pages = [pages[i] for i in order]
        for doc in docs:
            doc.pages = [remap[p] for p in doc.pages]
    return docs, pages
