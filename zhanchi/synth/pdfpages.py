"""PDF output with reportlab: image pages, born-digital pages, scanner text layers.

``invariant=1`` keeps reportlab from stamping dates and random ids, so the same
pages give the same bytes.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from zhanchi.synth.canvas import FONT_FILES, MM_PER_INCH, Line, PageSpec, Picture, Rect, Text

PT_PER_MM = 72.0 / MM_PER_INCH
_PDF_FONTS = {"song": "ZhSong", "kai": "ZhKai", "hei": "ZhHei"}
_registered = False
GARBAGE = "口囗曰日目田由甲申电丨丿丶乙一二三lI1|!.,:;-_~"


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    for key, pdf_name in _PDF_FONTS.items():
        path, index = FONT_FILES[key]
        pdfmetrics.registerFont(TTFont(pdf_name, path, subfontIndex=index))
    _registered = True


@dataclass
class PdfPage:
    """One page to write: a JPEG image page, or a vector page drawn from its spec."""

    jpeg: bytes | None = None  # full-page image, embedded as is (DCTDecode)
    size_px: tuple[int, int] = (0, 0)
    dpi: int = 200
    spec: PageSpec | None = None  # vector page (born-digital) when jpeg is None
    hidden_text: list[tuple[float, float, str, float]] | None = None  # x_mm, y_mm, text, pt


def _rgb(c: tuple[int, int, int]) -> tuple[float, float, float]:
    return c[0] / 255, c[1] / 255, c[2] / 255


def _draw_vector(c: rl_canvas.Canvas, spec: PageSpec) -> None:
    h = spec.height * PT_PER_MM
    c.setFillColorRGB(*_rgb(spec.paper))
    c.rect(0, 0, spec.width * PT_PER_MM, h, stroke=0, fill=1)
    for op in spec.ops:
        if isinstance(op, Text):
            c.setFillColorRGB(*_rgb(op.color))
            c.setFont(_PDF_FONTS[op.font], op.pt)
            c.drawString(op.x * PT_PER_MM, h - op.y * PT_PER_MM, op.text)
        elif isinstance(op, Line):
            c.setStrokeColorRGB(*_rgb(op.color))
            c.setLineWidth(op.width * PT_PER_MM)
            c.line(op.x0 * PT_PER_MM, h - op.y0 * PT_PER_MM, op.x1 * PT_PER_MM, h - op.y1 * PT_PER_MM)
        elif isinstance(op, Rect):
            c.setLineWidth(op.width * PT_PER_MM)
            if op.outline:
                c.setStrokeColorRGB(*_rgb(op.outline))
            if op.fill:
                c.setFillColorRGB(*_rgb(op.fill))
            c.rect(op.x0 * PT_PER_MM, h - op.y1 * PT_PER_MM, (op.x1 - op.x0) * PT_PER_MM,
                   (op.y1 - op.y0) * PT_PER_MM, stroke=1 if op.outline else 0, fill=1 if op.fill else 0)
        elif isinstance(op, Picture):
            w_mm, h_mm = op.size_mm
            c.drawImage(ImageReader(op.image), op.x * PT_PER_MM, h - (op.y + h_mm) * PT_PER_MM,
                        w_mm * PT_PER_MM, h_mm * PT_PER_MM, mask="auto")


def _draw_hidden(c: rl_canvas.Canvas, page: PdfPage, h_pt: float) -> None:
    """An invisible OCR layer as scanners add it (render mode 3: neither fill nor stroke)."""
    for x, y, text, pt in page.hidden_text or []:
        t = c.beginText()
        t.setTextRenderMode(3)
        t.setFont(_PDF_FONTS["song"], pt)
        t.setTextOrigin(x * PT_PER_MM, h_pt - y * PT_PER_MM)
        t.textOut(text)
        c.drawText(t)


def write_pdf(pages: list[PdfPage]) -> bytes:
    """All pages in order as one PDF (image pages at their native resolution)."""
    _register_fonts()
    rl_config.useA85 = 0  # embed JPEG data raw (DCTDecode only), as scanners write it
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, invariant=1, pageCompression=1)
    c.setCreator("zhanchi.synth")
    for page in pages:
        if page.jpeg is not None:
            w_pt = page.size_px[0] / page.dpi * 72.0
            h_pt = page.size_px[1] / page.dpi * 72.0
            c.setPageSize((w_pt, h_pt))
            c.drawImage(ImageReader(io.BytesIO(page.jpeg)), 0, 0, w_pt, h_pt)
            _draw_hidden(c, page, h_pt)
        else:
            assert page.spec is not None
            c.setPageSize((page.spec.width * PT_PER_MM, page.spec.height * PT_PER_MM))
            _draw_vector(c, page.spec)
        c.showPage()
    c.save()
    return buf.getvalue()


def garbled_text_layer(spec: PageSpec, rng: random.Random) -> list[tuple[float, float, str, float]]:
    """What a cheap scanner's OCR might have put under the image: often wrong.

    Positions come from the upright layout even when the image was rotated or skewed,
    and a share of characters are replaced, so a pipeline that trusts it is misled.
    """
    out = []
    for op in spec.ops:
        if isinstance(op, Text) and op.text.strip():
            chars = [rng.choice(GARBAGE) if rng.random() < 0.35 else ch for ch in op.text]
            out.append((op.x, op.y, "".join(chars), op.pt))
    return out


def jpeg_bytes(img: Image.Image, dpi: int, quality: int) -> bytes:
    """JPEG with fixed settings (no optimisation passes, fixed subsampling) for stable bytes."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), subsampling=2, optimize=False)
    return buf.getvalue()
