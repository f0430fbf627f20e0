"""PDF files to pages: embedded scans at native resolution, text layers, or renderings.

pypdfium2 reads the structure, extracts images and renders; pdfplumber reads the text
layer of born-digital pages (see :mod:`zhanchi.ingest.pdf_layout` for the decision).

PDFium is not thread-safe, even across documents, so every call into it holds
``PDFIUM_LOCK``; the lock is never held across a ``yield``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest.pdf_layout import PageImage, PageLayout, analyse_page, upright_steps
from zhanchi.ingest.pdf_text import text_layer_lines
from zhanchi.ingest.raw import (
    BgrImage,
    Limits,
    RawPage,
    check_page_count,
    check_pixels,
    unreadable,
)
from zhanchi.models.pages import OcrLine

PDFIUM_LOCK = threading.RLock()


def count_pdf_pages(path: Path, rel: str, limits: Limits) -> int:
    """Page count from the page tree; raises for unreadable or over-long PDFs."""
    with PDFIUM_LOCK:
        doc = _open(path, rel)
        try:
            count = len(doc)
        finally:
            doc.close()
    _check_count(rel, count, limits)
    return count


def iter_pdf_pages(path: Path, rel: str, limits: Limits) -> Iterator[RawPage | UnreadablePageError]:
    """Yield each page of a PDF; a page that fails is yielded as an error, the rest go on.

    The page count is checked before any page is touched, and only one page image
    is alive at a time.
    """
    with PDFIUM_LOCK:
        doc = _open(path, rel)
    text = _TextLayer(path)
    try:
        with PDFIUM_LOCK:
            count = len(doc)
        _check_count(rel, count, limits)
        for index in range(count):
            try:
                yield _read_page(doc, index, rel, limits, text)
            except UnreadablePageError as error:
                yield error
    finally:
        text.close()
        with PDFIUM_LOCK:
            doc.close()


def _open(path: Path, rel: str) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise _open_error(path, rel, exc) from exc
    try:
        doc.init_forms()  # so filled-in AcroForm fields are drawn when rendering
    except pdfium.PdfiumError:
        pass  # no usable form environment: render without fields, still readable
    return doc


def _open_error(path: Path, rel: str, exc: pdfium.PdfiumError) -> UnreadablePageError:
    """Say why PDFium refused the file.

    PDFium's error code is process-global and goes stale (a file without pages fails
    with the *previous* failure's code), so pdfminer gives the diagnosis instead.
    """
    diagnosis = _diagnose(path)
    if diagnosis == "password":
        return unreadable(rel, None, "PDF is password-protected (PDF 已加密)")
    if diagnosis == "no_pages":
        return unreadable(rel, None, "PDF has no pages")
    return unreadable(rel, None, "corrupt or unsupported PDF", exc)


def _diagnose(path: Path) -> Literal["password", "no_pages", "corrupt"]:
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            for _ in PDFPage.create_pages(document):
                return "corrupt"  # it has pages, so PDFium choked on something else
            return "no_pages"
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return "password"
    except Exception:  # noqa: BLE001 — pdfminer raises many types on damaged files
        return "corrupt"


def _check_count(rel: str, count: int, limits: Limits) -> None:
    if count <= 0:
        raise unreadable(rel, None, "PDF has no pages")
    check_page_count(rel, count, limits)


def _read_page(
    doc: pdfium.PdfDocument, index: int, rel: str, limits: Limits, text: _TextLayer
) -> RawPage:
    number = index + 1
    with PDFIUM_LOCK:
        try:
            page = doc[index]
        except pdfium.PdfiumError as exc:
            raise unreadable(rel, number, "cannot load PDF page", exc) from exc
        try:
            layout = analyse_page(page)
            if layout.strategy == "native_image" and layout.image is not None:
                native = _extract(layout.image, page.get_rotation(), rel, number, limits)
                if native is not None:
                    dpi = layout.image.native_dpi or None
                    return RawPage(file=rel, page=number, kind="image", image=native, dpi=dpi)
            dpi = (
                limits.text_dpi if layout.strategy == "text_layer" else _render_dpi(layout, limits)
            )
            image = _render(page, dpi, rel, number, limits)
        except pdfium.PdfiumError as exc:
            raise unreadable(rel, number, "cannot read PDF page", exc) from exc
        finally:
            page.close()
    if layout.strategy == "text_layer":
        lines = text.lines(index, dpi / 72.0)
        if lines is not None:
            return RawPage(
                file=rel, page=number, kind="text_layer", image=image, lines=lines, dpi=dpi
            )
    # No usable text layer (unmapped fonts, sideways text, no words): OCR the rendering.
    return RawPage(file=rel, page=number, kind="image", image=image, dpi=dpi)


def _render_dpi(layout: PageLayout, limits: Limits) -> float:
    """Render image-like pages near their scans' own resolution, within sane bounds."""
    if layout.image is None or layout.image.native_dpi <= 0:
        return limits.render_dpi
    return min(max(layout.image.native_dpi, limits.render_dpi), limits.max_render_dpi)


def _extract(
    placed: PageImage, rotation: int, rel: str, number: int, limits: Limits
) -> BgrImage | None:
    """The embedded image at native resolution, turned as it appears on the page.

    ``None`` asks the caller to render instead: stencil masks (``/ImageMask``) carry
    no colours of their own, and some images PDFium cannot hand out unrendered.
    """
    width, height = placed.px_size
    if width * height == 0:
        return None
    check_pixels(rel, number, width, height, limits)
    try:
        if placed.obj.get_metadata().colorspace == pdfium_c.FPDF_COLORSPACE_UNKNOWN:
            return None
        bitmap = placed.obj.get_bitmap(render=False)
    except pdfium.PdfiumError:
        return None
    array = bitmap_to_bgr(bitmap)
    del bitmap  # frees PDFium's buffer now (closing it explicitly only logs a warning)
    transpose, flip_lr, flip_ud = upright_steps(placed.matrix, rotation)
    if transpose:
        array = array.transpose(1, 0, 2)
    if flip_lr:
        array = array[:, ::-1]
    if flip_ud:
        array = array[::-1]
    return np.ascontiguousarray(array)


def _render(page: pdfium.PdfPage, dpi: float, rel: str, number: int, limits: Limits) -> BgrImage:
    width, height = page.get_size()  # points, /Rotate already applied
    check_pixels(rel, number, width * dpi / 72.0, height * dpi / 72.0, limits)
    bitmap = page.render(scale=dpi / 72.0, may_draw_forms=True)
    return bitmap_to_bgr(bitmap)


def bitmap_to_bgr(bitmap: pdfium.PdfBitmap) -> BgrImage:
    """Copy a PDFium bitmap (gray, BGR, BGRx or BGRA) into an owned BGR array."""
    array = bitmap.to_numpy()
    if array.ndim == 2:
        return np.ascontiguousarray(cv2.cvtColor(array, cv2.COLOR_GRAY2BGR))
    if array.shape[2] == 4:
        return np.ascontiguousarray(array[:, :, :3])
    return np.array(array, dtype=np.uint8, copy=True)


class _TextLayer:
    """pdfplumber's view of the same file, opened only if a text page needs it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pdf: pdfplumber.PDF | None = None
        self._failed = False

    def lines(self, index: int, scale: float) -> list[OcrLine] | None:
        if self._failed:
            return None
        # pdfminer raises many exception types on damaged files, hence the broad catches:
        # PDFium drew the page, so it stays readable and is OCRed from the rendering.
        try:
            if self._pdf is None:
                self._pdf = pdfplumber.open(self._path)
            page = self._pdf.pages[index]
        except Exception:  # noqa: BLE001
            self._failed = True
            return None
        try:
            return text_layer_lines(page, scale)
        except Exception:  # noqa: BLE001
            return None
        finally:
            page.close()  # drop pdfminer's cached layout: memory stays per page

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
