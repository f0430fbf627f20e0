"""From a claim to family B pages: pick layouts, a hand and a capture; count phenomena.

Returns the same :class:`~zhanchi.synth.packet.DocOut` / ``PageOut`` records family A
does, so the writer and the expected-JSON code are shared; each page's
``degradations`` lists its capture and rotation *and* the phenomena it shows
(``seal_over_issuer``, ``fingerprint_over_name``, ``value_wrapped``, ``layout:…``),
so an evaluation can report accuracy per phenomenon.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from zhanchi.synth.canvas import PageSpec
from zhanchi.synth.content import BLANKS_OF, Claim
from zhanchi.synth.family_b.capture import CAPTURES, capture, stain
from zhanchi.synth.family_b.cert_skill import SKILL_LAYOUTS, render_skill_b
from zhanchi.synth.family_b.hand import draw_hand
from zhanchi.synth.family_b.letters import LETTER_LAYOUTS, render_letter
from zhanchi.synth.family_b.other_pages import application_form, blank_back, booklet, id_copy, proof
from zhanchi.synth.family_b.sheet import Sheet
from zhanchi.synth.packet import DocOut, PacketPlan, PageOut

CAPTURE_STYLES = (*CAPTURES, "mixed")
EXTRAS = {"form": 0.4, "id_card": 0.25, "blank": 0.2}
# Blue ink written over black print is legible only in colour.
GREY_CAPTURES = ("photocopy", "fax")


def _captures(style: str, rng: random.Random, *, colour: bool = False) -> list[str]:
    if style == "mixed" or (colour and style in GREY_CAPTURES):
        style = rng.choice([c for c in CAPTURES if not (colour and c in GREY_CAPTURES)])
    names = [style]
    if style in ("flatbed", "photocopy", "fax") and rng.random() < 0.1:
        names.append("rot180")
    if style.startswith("phone") and rng.random() < 0.3:
        names.append(rng.choice(("rot90", "rot270")))
    return names


def _sheets(claim: Claim, plan: PacketPlan, dpi: int, rng: random.Random
            ) -> list[tuple[DocOut, list[Sheet]]]:
    hand = draw_hand(rng)
    out: list[tuple[DocOut, list[Sheet]]] = []
    if claim.letter is not None:
        sheet = render_letter(claim.letter, dpi, rng, hand=hand, layout=rng.choice(LETTER_LAYOUTS),
                              a5=rng.random() < 0.15)
        out.append((DocOut("commitment_letter", claim.letter.fields()), [sheet]))
    for cert in claim.certificates:
        if cert.kind == "skill":
            page = render_skill_b(cert, dpi, rng, rng.choice(SKILL_LAYOUTS))
        else:
            page = booklet(cert, dpi, rng)
            page.note("layout:booklet_spread")
        out.append((DocOut(cert.doc_type, cert.fields()), [page]))
    if claim.proof is not None:
        out.append((DocOut("filing_proof", claim.proof.fields()), [proof(claim.proof, dpi, rng)]))
    for extra in plan.extras:
        if extra == "form":
            page = application_form(claim.person, claim.certificate, dpi, rng, hand)
        elif extra == "id_card":
            page = id_copy(claim.person, dpi, rng)
        else:
            page = blank_back(dpi, rng)
        page.note(f"extra:{page.layout}")
        out.append((DocOut("unknown", {}), [page]))
    return out


def _smudge_boxes(sheet: Sheet, claim: Claim) -> list[tuple[int, int, int, int]]:
    if claim.letter is None or sheet.kind != "commitment_letter":
        return []
    keys = [k for name in sorted(claim.letter.smudged) for k in BLANKS_OF.get(name, (name,))]
    return [tuple(sheet.px(v) for v in sheet.regions[k]) for k in keys  # type: ignore[misc]
            if k in sheet.regions]


def render_packet_b(claim: Claim, plan: PacketPlan, dpi: int, rng: random.Random
                    ) -> tuple[list[DocOut], list[PageOut], list[str], Counter[str]]:
    """Pages in packet order, each document's layout, and the phenomena drawn."""
    nprng = np.random.default_rng(rng.randrange(1 << 62))
    docs: list[DocOut] = []
    layouts: list[str] = []
    pages: list[PageOut] = []
    seen: Counter[str] = Counter()
    for i, (doc, sheets) in enumerate(_sheets(claim, plan, dpi, rng)):
        docs.append(doc)
        layouts.append(sheets[0].layout)
        for sheet in sheets:
            doc.pages.append(len(pages))
            img = sheet.finish()
            boxes = _smudge_boxes(sheet, claim)
            if boxes:
                img = stain(img, nprng, boxes)
                sheet.note("stain")
            names = _captures(plan.style, rng, colour="agency_over_placeholder" in sheet.phenomena)
            img, rotation = capture(img, names, nprng)
            tags = [*names, *sheet.phenomena]
            seen.update(tags)
            spec = PageSpec(sheet.width, sheet.height, kind=sheet.kind)
            pages.append(PageOut(i, spec, img, tags, rotation))
    order = list(range(len(pages)))
    if plan.shuffle:
        rng.shuffle(order)
        remap = {old: new for new, old in enumerate(order)}
        pages = [pages[j] for j in order]
        for doc in docs:
            doc.pages = [remap[p] for p in doc.pages]
        seen["shuffled"] += 1
    return docs, pages, layouts, seen
