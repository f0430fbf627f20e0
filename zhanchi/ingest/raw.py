"""What the loaders yield (:class:`RawPage`) and the bounds they enforce (:class:`Limits`).

Limits exist so that one hostile or broken file cannot stall a batch: every check runs
on headers only (image size fields, PDF page counts, file sizes) *before* anything is
decoded, so a 20000×20000 PNG or a 500-page PDF is refused in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from zhanchi.errors import UnreadablePageError
from zhanchi.models.pages import OcrLine

PageKind = Literal["image", "text_layer"]
BgrImage = npt.NDArray[np.uint8]

MB = 1024 * 1024


class LimitsLike(Protocol):
    """Any settings object carrying the three user-facing limits (e.g. ``zhanchi.config``)."""

    @property
    def max_pages_per_submission(self) -> int: ...

    @property
    def max_pixels_per_page(self) -> int: ...

    @property
    def max_file_bytes(self) -> int: ...


@dataclass(frozen=True)
class Limits:
    """Bounds on what one submission may make the loaders decode.

    >>> Limits().max_pixels_per_page
    60000000
    """

    max_pages_per_submission: int = 50  # per submission (and so per file)
    max_pixels_per_page: int = 60_000_000  # per page, native image or rendered page
    max_file_bytes: int = 200 * MB
    text_dpi: float = 200.0  # SPEC §3: text-layer pages are rendered at 200 dpi
    render_dpi: float = 200.0  # image-like PDF pages that have no single image to extract
    max_render_dpi: float = 400.0  # cap when rendering at an embedded image's native dpi

    @classmethod
    def of(cls, limits: LimitsLike | None) -> Limits:
        """These limits from any object with the three limit fields (``None``: defaults)."""
        if limits is None:
            return cls()
        if isinstance(limits, Limits):
            return limits
        return cls(
            max_pages_per_submission=limits.max_pages_per_submission,
            max_pixels_per_page=limits.max_pixels_per_page,
            max_file_bytes=limits.max_file_bytes,
        )


@dataclass
class RawPage:
    """One page as it came out of a file, before any cleaning or OCR.

    ``image`` is a BGR ``uint8`` array looking as the page looks in a viewer (EXIF
    orientation, PDF placement and ``/Rotate`` applied). ``lines`` is the PDF text layer
    in pixels of ``image`` for ``text_layer`` pages and ``None`` for ``image`` pages,
    which still need OCR.
    """

    file: str  # path relative to the inbox, e.g. "A0001/letter.jpg"
    page: int  # 1-based within the file
    kind: PageKind
    image: BgrImage
    lines: list[OcrLine] | None = None
    dpi: float | None = None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


def check_file(path: Path, rel: str, limits: Limits) -> int:
    """Refuse missing, empty and oversized files before opening them; return the size."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadablePageError(
            f"{rel}: cannot read file ({type(exc).__name__})", file=rel
        ) from exc
    if size == 0:
        raise UnreadablePageError(f"{rel}: empty file (0 bytes)", file=rel)
    if size > limits.max_file_bytes:
        raise UnreadablePageError(
            f"{rel}: {size / MB:.0f} MB exceeds the {limits.max_file_bytes / MB:.0f} MB file limit",
            file=rel,
        )
    return size


def check_pixels(rel: str, page: int | None, width: float, height: float, limits: Limits) -> None:
    """Refuse a page whose pixel count exceeds the limit, before it is decoded or rendered."""
    if width <= 0 or height <= 0:
        raise UnreadablePageError(_where(rel, page) + ": page has no pixels", file=rel, page=page)
    if width * height > limits.max_pixels_per_page:
        raise UnreadablePageError(
            f"{_where(rel, page)}: {round(width)}×{round(height)} px exceeds the "
            f"{limits.max_pixels_per_page / 1e6:g} MP page limit",
            file=rel,
            page=page,
        )


def check_page_count(rel: str, count: int, limits: Limits) -> None:
    """Refuse a file or submission with more pages than the limit, before loading any."""
    if count > limits.max_pages_per_submission:
        raise UnreadablePageError(
            f"{rel}: {count} pages exceeds the {limits.max_pages_per_submission}-page submission limit",
            file=rel,
        )


def unreadable(
    rel: str, page: int | None, problem: str, exc: BaseException | None = None
) -> UnreadablePageError:
    """Build the error for a file or page that could not be read.

    Only the exception's *type* is kept in the message: library messages may quote
    absolute paths or document text.
    """
    detail = f" ({type(exc).__name__})" if exc is not None else ""
    error = UnreadablePageError(f"{_where(rel, page)}: {problem}{detail}", file=rel, page=page)
    error.__cause__ = exc  # kept for debugging even when the error is yielded, not raised
    return error


def _where(rel: str, page: int | None) -> str:
    return rel if page is None else f"{rel} p.{page}"
