"""A small page description (mm coordinates) and its raster renderer.

Layouts are written once as a list of drawing operations in millimetres; the same
page is then rasterised at any dpi here, or drawn as a born-digital PDF page with a
real text layer by :mod:`zhanchi.synth.pdfpages`. Keeping one description makes the
image and the text layer of a page say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

MM_PER_INCH = 25.4
RGB = tuple[int, int, int]
FONT_FILES: dict[str, tuple[str, int]] = {
    "song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # printed text (Ming/Song)
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # handwriting
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # headings on certificates
}
A4 = (210.0, 297.0)
INK = (18, 18, 18)
RED = (200, 28, 36)


@lru_cache(maxsize=256)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONT_FILES[name]
    return ImageFont.truetype(path, max(4, px), index=index)


def pt_to_mm(pt: float) -> float:
    return pt / 72.0 * MM_PER_INCH


def text_width_mm(text: str, font_name: str, pt: float) -> float:
    """Advance width of ``text`` in mm (measured at a large size for precision)."""
    return font(font_name, 200).getlength(text) / 200.0 * pt_to_mm(pt)


@dataclass
class Text:
    """Printed text; (x, y) is the left end of the baseline."""

    x: float
    y: float
    text: str
    font: str = "song"
    pt: float = 12.0
    color: RGB = INK
    bold: bool = False


@dataclass
class Line:
    """A straight rule."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.3
    color: RGB = INK


@dataclass
class Rect:
    """A rectangle, outlined and/or filled."""

    x0: float
    y0: float
    x1: float
    y1: float
    outline: RGB | None = INK
    fill: RGB | None = None
    width: float = 0.3


@dataclass
class Picture:
    """A raster mark (seal, QR code, photo, handwriting) placed at (x, y) top-left, in mm.

    ``ink`` pictures are multiplied onto the paper, as ink and stamp pads are.
    """

    x: float
    y: float
    image: Image.Image  # RGBA, already at the page's dpi
    dpi: int
    ink: bool = True

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = self.image.size
        return w / self.dpi * MM_PER_INCH, h / self.dpi * MM_PER_INCH


Op = Text | Line | Rect | Picture


@dataclass
class PageSpec:
    """One page: size in mm and its operations, drawn in order."""

    width: float = A4[0]
    height: float = A4[1]
    ops: list[Op] = field(default_factory=list)
    paper: RGB = (255, 255, 255)
    kind: str = ""  # what the page is, e.g. "commitment_letter"
    regions: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    phenomena: list[str] = field(default_factory=list)  # drawn by the layout, recorded per page

    def add(self, *ops: Op) -> None:
        self.ops.extend(ops)

    def pixel_size(self, dpi: int) -> tuple[int, int]:
        return round(self.width / MM_PER_INCH * dpi), round(self.height / MM_PER_INCH * dpi)


def multiply_onto(base: np.ndarray, overlay: Image.Image, x: int, y: int) -> None:
    """Multiply an RGBA overlay onto an RGB float array in place (ink on paper)."""
    ov = np.asarray(overlay.convert("RGBA"), dtype=np.float32) / 255.0
    h, w = base.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + ov.shape[1]), min(h, y + ov.shape[0])
    if x0 >= x1 or y0 >= y1:
        return
    patch = ov[y0 - y : y1 - y, x0 - x : x1 - x]
    alpha = patch[..., 3:4]
    region = base[y0:y1, x0:x1]
    base[y0:y1, x0:x1] = region * (1.0 - alpha + alpha * patch[..., :3])


def rasterise(page: PageSpec, dpi: int) -> Image.Image:
    """Draw the page at ``dpi`` as an RGB image."""
    size = page.pixel_size(dpi)
    img = Image.new("RGB", size, page.paper)
    draw = ImageDraw.Draw(img)

    def px(v: float) -> int:
        return round(v / MM_PER_INCH * dpi)

    pending: list[Picture] = []
    for op in page.ops:
        if isinstance(op, Text):
            f = font(op.font, round(op.pt / 72.0 * dpi))
            stroke = max(1, dpi // 150) if op.bold else 0
            draw.text((px(op.x), px(op.y)), op.text, font=f, fill=op.color, anchor="ls",
                      stroke_width=stroke, stroke_fill=op.color)
        elif isinstance(op, Line):
            draw.line((px(op.x0), px(op.y0), px(op.x1), px(op.y1)), fill=op.color,
                      width=max(1, px(op.width)))
        elif isinstance(op, Rect):
            draw.rectangle((px(op.x0), px(op.y0), px(op.x1), px(op.y1)), outline=op.outline,
                           fill=op.fill, width=max(1, px(op.width)))
        elif op.ink:
            pending.append(op)  # multiplied after all opaque drawing, like real ink
        else:
            img.paste(op.image.convert("RGB"), (px(op.x), px(op.y)))
    if pending:
        arr = np.asarray(img, dtype=np.float32) / 255.0
        for pic in pending:
            multiply_onto(arr, pic.image, px(pic.x), px(pic.y))
        img = Image.fromarray(np.clip(arr * 255.0 + 0.5, 0, 255).astype(np.uint8))
    return img
