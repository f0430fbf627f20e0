"""Write a rendered packet into the inbox in one of the submission formats.

Formats (SPEC §1): a folder of JPEG or PNG pages, a folder mixing JPEG, PNG and PDF
files, an image-only PDF (each page one full-page JPEG at native resolution), a
born-digital PDF (certificates and proofs as real text, the handwritten letter as an
image page), a scanned PDF with an invisible and partly wrong OCR text layer, or a
multi-page TIFF. Every encoder runs with fixed settings so output bytes are stable.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from zhanchi.synth.packet import DocOut, PacketPlan, PageOut
from zhanchi.synth.pdfpages import PdfPage, garbled_text_layer, jpeg_bytes, write_pdf

FORMATS = ("jpeg_folder", "png_folder", "mixed_folder", "pdf_image", "pdf_born_digital",
           "pdf_scanned_ocr", "tiff")
FOLDER_FORMATS = ("jpeg_folder", "png_folder", "mixed_folder")
DOC_STEMS = {"commitment_letter": "letter", "skill_level_certificate": "certificate",
             "qualification_certificate": "certificate", "filing_proof": "filing_proof",
             "unknown": "other"}


@dataclass
class Written:
    """Where each page ended up (file relative to the inbox, 1-based page) and broken files."""

    locations: list[tuple[str, int]]
    corrupt_files: list[str]
    files: list[str]


def _pil(page: PageOut) -> Image.Image:
    assert page.image is not None
    img = page.image
    if "fax" in page.degradations and np.array_equal(img[..., 0], img[..., 2]):
        return Image.fromarray(img[..., 0])  # store fax pages as greyscale
    return Image.fromarray(img)


def _png(img: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi), compress_level=6)
    return buf.getvalue()


def _tiff(pages: list[PageOut], dpi: int, quality: int) -> bytes:
    imgs = [_pil(p) for p in pages]
    buf = io.BytesIO()
    if all(im.mode == "L" for im in imgs):
        frames = [im.point(lambda v: 255 if v > 127 else 0).convert("1") for im in imgs]
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:],
                       compression="group4", dpi=(dpi, dpi))
    else:
        frames = [im.convert("RGB") for im in imgs]
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:],
                       compression="jpeg", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def _pdf_pages(pages: list[PageOut], fmt: str, dpi: int, quality: int,
               rng: random.Random) -> list[PdfPage]:
    out = []
    for p in pages:
        if p.vector:
            out.append(PdfPage(spec=p.spec, dpi=dpi))
            continue
        img = _pil(p)
        hidden = garbled_text_layer(p.spec, rng) if fmt == "pdf_scanned_ocr" else None
        out.append(PdfPage(jpeg=jpeg_bytes(img, dpi, quality), size_px=img.size, dpi=dpi,
                           hidden_text=hidden))
    return out


def _names(docs: list[DocOut], pages: list[PageOut], plan: PacketPlan, ext: list[str],
           rng: random.Random) -> list[str]:
    """One file name per page, as the chosen naming style would give."""
    if plan.naming == "scanner":
        return [f"SCAN{i + 1:04d}.{ext[i]}" for i in range(len(pages))]
    if plan.naming == "phone":
        base = rng.randrange(80000, 160000)
        return [f"IMG_2024{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}_{base + 37 * i}.{ext[i]}"
                for i in range(len(pages))]
    names = [""] * len(pages)
    counts: dict[str, int] = {}
    for doc in docs:
        stem = DOC_STEMS[doc.type]
        counts[stem] = counts.get(stem, 0) + 1
        if counts[stem] > 1 or stem == "other":
            stem = f"{stem}_{counts[stem]}"
        for k, idx in enumerate(doc.pages):
            names[idx] = f"{stem}{'' if len(doc.pages) == 1 else f'_p{k + 1}'}.{ext[idx]}"
    return names


def _broken_bytes(rng: random.Random, good: bytes) -> bytes:
    """A file no reader can open: truncated, empty, or not what its name says."""
    kind = rng.choice(("truncated", "empty", "garbage"))
    if kind == "truncated":
        return good[: min(len(good), 300)]
    if kind == "empty":
        return b""
    return bytes(rng.randrange(256) for _ in range(2048))


def write_packet(inbox: Path, plan: PacketPlan, docs: list[DocOut], pages: list[PageOut],
                 *, dpi: int, quality: int, rng: random.Random, corrupt: str | None = None
                 ) -> Written:
    """Write the packet under ``inbox``; returns where every page went."""
    sid, fmt = plan.submission_id, plan.fmt
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    if fmt not in FOLDER_FORMATS:
        ext = {"tiff": "tif"}.get(fmt, "pdf")
        name = f"{sid}.{ext}"
        if fmt == "tiff":
            data = _tiff(pages, dpi, quality)
        else:
            data = write_pdf(_pdf_pages(pages, fmt, dpi, quality, rng))
        (inbox / name).write_bytes(data)
        return Written([(name, i + 1) for i in range(len(pages))], [], [name])

    folder = inbox / sid
    folder.mkdir(parents=True, exist_ok=True)
    exts = []
    for p in pages:
        if fmt == "png_folder":
            exts.append("png")
        elif fmt == "mixed_folder":
            exts.append({"commitment_letter": "jpg", "unknown": "png"}.get(docs[p.doc].type, "pdf"))
        else:
            exts.append("jpg")
    names = _names(docs, pages, plan, exts, rng)
    letter_doc = next((d for d in docs if d.type == "commitment_letter"), None)
    locations: list[tuple[str, int]] = []
    corrupt_files: list[str] = []
    files: list[str] = []
    pdf_groups: dict[str, list[int]] = {}
    for i, (p, name) in enumerate(zip(pages, names, strict=True)):
        if exts[i] == "pdf":  # a multi-page document becomes one multi-page PDF
            doc = docs[p.doc]
            name = names[doc.pages[0]].rsplit("_p", 1)[0].removesuffix(".pdf") + ".pdf"
            pdf_groups.setdefault(name, []).append(i)
            locations.append((f"{sid}/{name}", doc.pages.index(i) + 1))
            continue
        img = _pil(p)
        data = _png(img, dpi) if exts[i] == "png" else jpeg_bytes(img, dpi, quality)
        if corrupt == "letter" and letter_doc is not None and i in letter_doc.pages:
            data = _broken_bytes(rng, data)
            corrupt_files.append(f"{sid}/{name}")
        (folder / name).write_bytes(data)
        locations.append((f"{sid}/{name}", 1))
        files.append(f"{sid}/{name}")
    for name, idxs in sorted(pdf_groups.items()):
        ordered = sorted(idxs, key=lambda j: docs[pages[j].doc].pages.index(j))
        (folder / name).write_bytes(write_pdf(_pdf_pages([pages[j] for j in ordered], fmt, dpi,
                                                         quality, rng)))
        files.append(f"{sid}/{name}")
    if corrupt == "extra":
        ext = rng.choice(("jpg", "pdf", "png"))
        name = f"SCAN{len(pages) + 7:04d}.{ext}" if plan.naming == "scanner" else f"scan_extra.{ext}"
        good = jpeg_bytes(Image.new("RGB", (64, 64), (250, 250, 250)), dpi, quality)
        (folder / name).write_bytes(_broken_bytes(rng, good))
        corrupt_files.append(f"{sid}/{name}")
        files.append(f"{sid}/{name}")
    return Written(locations, corrupt_files, sorted(files))
