"""Decide how to read a PDF page: its text layer, its one embedded scan, or a rendering.

SPEC §1: a page that is one full-page image is an image (take the embedded image at
native resolution, ignoring an invisible OCR layer a scanner may have added); a page
drawn as text is read from its text layer. Real files sit between those poles, so the
decision looks at what a viewer would *see*:

* visible text = text objects whose render mode paints glyphs (not ``3 Tr`` invisible
  or ``7 Tr`` clip-only) and that are drawn *after* a covering image (text drawn before
  it is hidden underneath);
* image coverage = the share of the crop box an image's placement covers, with form
  XObject matrices composed in.

Callers must hold the pdfium lock (see :mod:`zhanchi.ingest.pdf`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
Strategy = Literal["text_layer", "native_image", "render"]

COVER_FRACTION = 0.90  # "essentially one full-page image"
MIN_TEXT_CHARS = 20  # visible characters that make a page with a big image born-digital
IMAGE_DOMINATES = 0.25  # below this image share, any visible text makes the page textual
TINY_IMAGE = 0.01  # spacer pixels and bullets do not count as images
_INVISIBLE_MODES = (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PageImage:
    """An image drawn on a page, with its placement in page space."""

    obj: pdfium.PdfImage
    matrix: Matrix  # unit square → PDF user space, form matrices composed in
    coverage: float  # share of the crop box it covers
    px_size: tuple[int, int]

    @property
    def native_dpi(self) -> float:
        """Pixels per inch along the image's own axes, as placed (the scan resolution)."""
        a, b, c, d, _, _ = self.matrix
        width_in = math.hypot(a, b) / 72.0
        height_in = math.hypot(c, d) / 72.0
        if width_in <= 0 or height_in <= 0:
            return 0.0
        return min(self.px_size[0] / width_in, self.px_size[1] / height_in)


@dataclass
class PageLayout:
    """What is on a page and how it should be read."""

    strategy: Strategy
    image: PageImage | None  # the image to extract (native_image) or to size a render by
    visible_chars: int


def analyse_page(page: pdfium.PdfPage) -> PageLayout:
    """Classify one page from its object list (no rendering, no decoding)."""
    crop = page.get_cropbox()
    crop_area = max((crop[2] - crop[0]) * (crop[3] - crop[1]), 1e-6)
    images: list[PageImage] = []
    texts: list[tuple[int, pdfium.PdfTextObj]] = []  # (drawing order, object)
    cover_index = -1
    cover: PageImage | None = None
    stack: list[Matrix] = []  # total matrices of the enclosing form XObjects
    for index, obj in enumerate(page.get_objects()):
        del stack[obj.level :]
        parent = stack[-1] if stack else _IDENTITY
        matrix = compose(tuple(obj.get_matrix().get()), parent)  # type: ignore[arg-type]
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack.append(matrix)
        elif isinstance(obj, pdfium.PdfImage):
            coverage = _coverage(matrix, crop) / crop_area
            if coverage < TINY_IMAGE:
                continue
            placed = PageImage(obj, matrix, coverage, _px_size(obj))
            images.append(placed)
            if coverage >= COVER_FRACTION:
                cover_index, cover = index, placed  # the last one drawn is what shows
        elif isinstance(obj, pdfium.PdfTextObj):
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) not in _INVISIBLE_MODES:
                texts.append((index, obj))
    visible = [obj for index, obj in texts if index > cover_index]
    chars = _count_chars(page, visible)
    biggest = max(images, key=lambda im: im.coverage, default=None)
    share = biggest.coverage if biggest else 0.0
    if chars >= MIN_TEXT_CHARS or (chars > 0 and share < IMAGE_DOMINATES):
        return PageLayout("text_layer", biggest, chars)
    if cover is not None or (chars == 0 and len(images) == 1):
        # One scan filling the page, or a photo an image-to-PDF app placed with margins.
        return PageLayout("native_image", cover or biggest, chars)
    return PageLayout("render", biggest, chars)


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector order)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def upright_steps(matrix: Matrix, page_rotation: int) -> tuple[bool, bool, bool]:
    """How to turn an image's pixel array so it looks as it does on the displayed page.

    Returns ``(transpose, flip_left_right, flip_up_down)`` to apply in that order; the
    placement is snapped to the nearest of the eight axis-aligned orientations.
    """
    a, b, c, d, _, _ = matrix
    # Directions of increasing column and increasing row, in y-down display space.
    col = (a, -b)
    row = (-c, d)
    for _ in range((page_rotation // 90) % 4):
        col = (-col[1], col[0])  # /Rotate turns the page clockwise
        row = (-row[1], row[0])
    transpose = abs(col[0]) < abs(col[1])
    if transpose:
        col, row = row, col
    return transpose, col[0] < 0, row[1] < 0


def _coverage(matrix: Matrix, crop: tuple[float, float, float, float]) -> float:
    a, b, c, d, e, f = matrix
    xs = [e, e + a, e + c, e + a + c]
    ys = [f, f + b, f + d, f + b + d]
    width = min(max(xs), crop[2]) - max(min(xs), crop[0])
    height = min(max(ys), crop[3]) - max(min(ys), crop[1])
    return max(width, 0.0) * max(height, 0.0)


def _px_size(obj: pdfium.PdfImage) -> tuple[int, int]:
    try:
        width, height = obj.get_px_size()
    except pdfium.PdfiumError:
        return (0, 0)
    return (int(width), int(height))


def _count_chars(page: pdfium.PdfPage, texts: list[pdfium.PdfTextObj]) -> int:
    """Non-blank characters in the given text objects (a text page only when needed)."""
    if not texts:
        return 0
    textpage = page.get_textpage()
    try:
        total = 0
        for obj in texts:
            obj.textpage = textpage
            try:
                total += sum(1 for ch in obj.extract() if not ch.isspace())
            except pdfium.PdfiumError:
                continue  # empty text objects (e.g. a lone Tj of "") report failure
            finally:
                obj.textpage = None
        return total
    finally:
        textpage.close()
