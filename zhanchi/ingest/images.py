"""Raster files (JPEG, PNG, multi-page TIFF) to upright BGR pages.

PIL opens files lazily: ``Image.open`` and ``seek`` read headers only, so the pixel
limit is checked on ``size`` before ``load()`` decodes anything.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest.raw import BgrImage, Limits, RawPage, check_page_count, check_pixels, unreadable

# TIFF NewSubfileType bit 0: "reduced-resolution version of another image" (a thumbnail).
_TIFF_SUBFILE_TYPE = 254
_EXIF_ORIENTATION = 0x0112
_MIN_PLAUSIBLE_DPI = 30.0  # JFIF "aspect ratio only" headers report 1 dpi


def count_image_pages(path: Path, rel: str, limits: Limits) -> int:
    """Number of pages :func:`iter_image_pages` would yield, from headers only."""
    with _open(path, rel, limits) as im:
        return len(_page_frames(im, rel, limits))


def iter_image_pages(
    path: Path, rel: str, limits: Limits
) -> Iterator[RawPage | UnreadablePageError]:
    """Yield each page of a raster file, one decoded page in memory at a time.

    File-level problems (not an image, over a limit) raise; a frame that fails to
    decode is yielded as an error so the frames after it are still read.
    """
    with _open(path, rel, limits) as im:
        frames = _page_frames(im, rel, limits)
        for number, frame in enumerate(frames, start=1):
            try:
                im.seek(frame)
                image = to_bgr(_upright(im))
            except (OSError, EOFError, ValueError, SyntaxError) as exc:
                # OSError covers truncated and corrupt data, SyntaxError bad TIFF tags.
                yield unreadable(rel, number, "cannot decode image", exc)
                continue
            yield RawPage(file=rel, page=number, kind="image", image=image, dpi=_dpi(im))


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; most files have none, and then no copy is made."""
    if im.getexif().get(_EXIF_ORIENTATION, 1) in (1, None):
        return im
    return ImageOps.exif_transpose(im)


@contextmanager
def _open(path: Path, rel: str, limits: Limits) -> Iterator[Image.Image]:
    try:
        with warnings.catch_warnings():
            # Our own pixel limit decides; PIL's warning between its two thresholds is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
    except Image.DecompressionBombError as exc:
        # Beyond twice PIL's MAX_IMAGE_PIXELS (179 MP) PIL refuses by itself; read the
        # size again without its check so the message says how big the page is.
        size = _header_size(path)
        if size is not None:
            check_pixels(rel, 1, size[0], size[1], limits)
        raise unreadable(rel, None, "image exceeds the page pixel limit", exc) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise unreadable(rel, None, "not a readable image", exc) from exc
    try:
        yield im
    finally:
        im.close()


def _header_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the header, via the format plugins (no pixel check, no decode)."""
    try:
        with path.open("rb") as handle:
            prefix = handle.read(16)
            for name in Image.ID:
                factory, accept = Image.OPEN[name]
                if accept is not None and not accept(prefix):
                    continue
                handle.seek(0)
                try:
                    with factory(handle, str(path)) as im:
                        return (int(im.width), int(im.height))
                except (OSError, ValueError, SyntaxError, EOFError):
                    continue
    except OSError:
        return None
    return None


def _page_frames(im: Image.Image, rel: str, limits: Limits) -> list[int]:
    """Frame indices that are pages: every TIFF frame except thumbnails; else frame 0.

    JPEG (MPO) and PNG (APNG) extra frames are previews or depth maps, not pages.
    """
    if im.format != "TIFF":
        check_pixels(rel, 1, im.width, im.height, limits)
        return [0]
    try:
        n_frames = int(getattr(im, "n_frames", 1))
    except (OSError, EOFError, ValueError, SyntaxError) as exc:
        raise unreadable(rel, None, "cannot read TIFF directory", exc) from exc
    check_page_count(rel, n_frames, limits)
    frames: list[int] = []
    for index in range(n_frames):
        try:
            im.seek(index)
        except (OSError, EOFError, ValueError, SyntaxError) as exc:
            raise unreadable(rel, index + 1, "cannot read TIFF directory", exc) from exc
        subfile = getattr(im, "tag_v2", {}).get(_TIFF_SUBFILE_TYPE, 0)
        if isinstance(subfile, int) and subfile & 1 and frames:
            continue
        frames.append(index)
    for number, index in enumerate(frames, start=1):
        im.seek(index)
        check_pixels(rel, number, im.width, im.height, limits)
    im.seek(0)
    return frames


def to_bgr(im: Image.Image) -> BgrImage:
    """Convert any PIL mode to a contiguous BGR ``uint8`` array.

    Transparent areas become white (paper), 16-bit and float samples are scaled to the
    full 8-bit range, bilevel and palette images are expanded.
    """
    mode = im.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _gray_to_bgr(_scale_to_uint8(np.asarray(im)))
    if mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif mode == "PA":
        im = im.convert("RGBA")
    elif mode in ("LA", "La"):
        im = im.convert("RGBA")
    elif mode == "1":
        im = im.convert("L")
    elif mode not in ("L", "RGB", "RGBA", "RGBa"):
        im = im.convert("RGB")  # CMYK, YCbCr, LAB, HSV …
    if im.mode in ("RGBA", "RGBa"):
        im = _on_white(im)
    array = np.asarray(im)
    if array.ndim == 2:
        return _gray_to_bgr(array)
    return np.ascontiguousarray(cv2.cvtColor(array, cv2.COLOR_RGB2BGR))


def _on_white(im: Image.Image) -> Image.Image:
    rgba = im.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _scale_to_uint8(array: np.ndarray) -> np.ndarray:
    """Map deep samples to 0–255 by their own maximum (12-bit scans in 16-bit files)."""
    data = array.astype(np.float32)
    low = float(min(data.min(), 0.0))
    high = float(data.max())
    if high <= 255.0 and low >= 0.0 and array.dtype.kind != "f":
        return data.astype(np.uint8)
    span = high - low or 1.0
    return np.clip((data - low) * (255.0 / span), 0, 255).astype(np.uint8)


def _gray_to_bgr(gray: np.ndarray) -> BgrImage:
    return np.ascontiguousarray(
        cv2.cvtColor(np.ascontiguousarray(gray, dtype=np.uint8), cv2.COLOR_GRAY2BGR)
    )


def _dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if value >= _MIN_PLAUSIBLE_DPI else None
