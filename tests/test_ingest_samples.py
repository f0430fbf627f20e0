"""Builders for ingestion test inputs, made in tmp_path at test time (nothing checked in).

Images carry coloured corner marks (red top-left, green top-right, blue bottom-left)
so a test can tell every rotation and mirror apart. PDFs are written with pikepdf
(scans: the JPEG bytes embedded as is, optional invisible ``3 Tr`` text layer) and
reportlab (born-digital text pages in WenQuanYi Zen Hei).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
A4 = (595.28, 841.89)
RED, GREEN, BLUE = (255, 0, 0), (0, 160, 0), (0, 0, 255)
Matrix = tuple[float, float, float, float, float, float]

pdfmetrics.registerFont(TTFont("ZenHei", FONT, subfontIndex=0))


def marked_image(size: tuple[int, int] = (1240, 1754), text: str = "承诺书 S0001") -> Image.Image:
    """White page with a line of text and three coloured corner marks (RGB)."""
    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    w, h = size
    m = max(w, h) // 12
    draw.rectangle([0, 0, m, m], fill=RED)
    draw.rectangle([w - 1 - m, 0, w - 1, m], fill=GREEN)
    draw.rectangle([0, h - 1 - m, m, h - 1], fill=BLUE)
    draw.text((m + 20, m + 20), text, fill="black", font=ImageFont.truetype(FONT, max(h // 30, 12)))
    return im


def corner_colours(bgr: np.ndarray) -> tuple[str, str, str, str]:
    """Names of the colours near the four corners: top-left, top-right, bottom-left, bottom-right."""
    h, w = bgr.shape[:2]
    dy, dx = max(h // 60, 2), max(w // 60, 2)
    points = [(dy, dx), (dy, w - 1 - dx), (h - 1 - dy, dx), (h - 1 - dy, w - 1 - dx)]
    return tuple(_colour_name(bgr[y, x]) for y, x in points)  # type: ignore[return-value]


def _colour_name(pixel: np.ndarray) -> str:
    b, g, r = (int(v) for v in pixel[:3])
    if r > 180 and g < 90 and b < 90:
        return "red"
    if g > 110 and r < 90 and b < 90:
        return "green"
    if b > 180 and r < 90 and g < 90:
        return "blue"
    return "white" if min(r, g, b) > 200 else "other"


def jpeg_bytes(im: Image.Image, *, orientation: int | None = None, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": 92}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    if dpi is not None:
        kwargs["dpi"] = (dpi, dpi)
    im.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def scan_pdf(
    path: Path,
    pages: Sequence[dict[str, object]],
) -> Path:
    """A PDF of image pages. Each page dict: ``jpeg`` bytes and ``px`` (w, h), optional
    ``page`` (w, h) points, ``matrix`` (placement), ``rotate``, ``hidden`` (3 Tr text),
    ``visible`` (text drawn after the image), ``under`` (text drawn before it)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for spec in pages:
        px_w, px_h = spec["px"]  # type: ignore[misc]
        page_w, page_h = spec.get("page", A4)  # type: ignore[misc]
        matrix = spec.get("matrix", (page_w, 0, 0, page_h, 0, 0))
        image = pikepdf.Stream(pdf, spec["jpeg"])  # type: ignore[arg-type]
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = px_w, px_h, 8
        image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
        content = ""
        if spec.get("under"):
            content += _text_ops(str(spec["under"]), 0)
        content += "q " + " ".join(f"{v:g}" for v in matrix) + " cm /Im0 Do Q\n"  # type: ignore[attr-defined]
        if spec.get("hidden"):
            content += _text_ops(str(spec["hidden"]), 3)
        if spec.get("visible"):
            content += _text_ops(str(spec["visible"]), 0)
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, page_w, page_h],
            Contents=pdf.make_stream(content.encode()),
            Resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(Im0=image), Font=pikepdf.Dictionary(F1=font)
            ),
        )
        if spec.get("rotate"):
            page.Rotate = spec["rotate"]
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def _text_ops(text: str, mode: int) -> str:
    return f"BT {mode} Tr /F1 14 Tf 60 60 Td ({text}) Tj ET\n"


def text_pdf(
    path: Path, pages: Sequence[Sequence[tuple[float, float, str, float]]], size=A4
) -> Path:
    """Born-digital pages: each item ``(x_pt, y_pt_from_top, text, font_pt)``."""
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for items in pages:
        for x, y_top, text, pt in items:
            c.setFont("ZenHei", pt)
            c.drawString(x, size[1] - y_top, text)
        c.showPage()
    c.save()
    return path


def merge_pdfs(path: Path, parts: Sequence[Path]) -> Path:
    out = pikepdf.new()
    sources = [pikepdf.open(p) for p in parts]
    for src in sources:
        out.pages.extend(src.pages)
    out.save(path)
    for src in sources:
        src.close()
    return path


def blank_pdf(path: Path, pages: int, size=A4) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
    pdf.save(path)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that declares ``width``×``height`` but carries one compressed row: PIL can
    read its header, and decoding it would need width×height×3 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\xff" * (3 * width))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


def tiff_header_only(path: Path, width: int, height: int) -> Path:
    """An uncompressed bilevel TIFF whose header claims a huge page and holds 1 byte."""
    entries = [
        (256, 4, 1, width),  # ImageWidth
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 1),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 0),  # Photometric: WhiteIsZero
        (273, 4, 1, 8),  # StripOffsets
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, 1),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", 10) + b"\x00\x00" + ifd)
    return path


def test_marked_image_corners_are_distinct() -> None:
    bgr = np.asarray(marked_image((400, 600)))[:, :, ::-1]
    assert corner_colours(bgr) == ("red", "green", "blue", "white")


def test_scan_pdf_embeds_the_jpeg_unchanged(tmp_path: Path) -> None:
    data = jpeg_bytes(marked_image((300, 400)))
    path = scan_pdf(tmp_path / "s.pdf", [{"jpeg": data, "px": (300, 400)}])
    with pikepdf.open(path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.read_raw_bytes() == data
