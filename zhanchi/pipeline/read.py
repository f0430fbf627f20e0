"""Reading one submission: files → upright cleaned pages → OCR lines.

Each page is looked up in the content-addressed OCR cache first (key: the file's
hash, the page number, the cleaning version and the engine), so a re-run or a
revised packet never OCRs a page it has already read. Text-layer PDF pages skip
OCR altogether. Errors on a file become messages for ``unreadable_page``; they
never stop the batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np

from zhanchi.errors import OcrEngineError, UnreadablePageError, ZhanchiError
from zhanchi.ingest import Limits, RawPage
from zhanchi.ingest.discover import Entry
from zhanchi.models import OcrPage, PageRef, ReadPage
from zhanchi.ocr import OcrEngine
from zhanchi.store.cache import ocr_cache_key

log = logging.getLogger("zhanchi.read")

# Bump when cleaning changes what it produces: old cache entries stop matching.
CLEANING_VERSION = "clean-3"
STORED_IMAGE_QUALITY = 80


@dataclass
class ReadOutcome:
    """What reading a submission produced."""

    pages: list[ReadPage] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    timings_ms: dict[str, int] = field(default_factory=dict)
    cache_hits: int = 0

    def add_time(self, name: str, seconds: float) -> None:
        self.timings_ms[name] = self.timings_ms.get(name, 0) + int(round(seconds * 1000))


def encode_page_image(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, STORED_IMAGE_QUALITY])
    if not ok:
        raise OcrEngineError("could not encode the cleaned page image")
    return bytes(buf)


def decode_page_image(data: bytes) -> np.ndarray:
    arr = np.frombuffer(data, dtype=np.uint8)
    img = cv2.imdecode(arr, cv2.IMREAD_COLOR)
    if img is None:
        raise OcrEngineError("stored page image could not be decoded")
    return img


def clean(raw: RawPage, engine: OcrEngine) -> tuple[np.ndarray, PageRef]:
    """Stage *clean*: the page upright, level and flat, and its reference (what was done)."""
    from zhanchi.imaging import clean_page

    cleaned = clean_page(raw.image, engine=engine)
    h, w = cleaned.image.shape[:2]
    ref = PageRef(file=raw.file, page=raw.page, rotation=cleaned.rotation, width=w,
                  height=h, source="image", deskew_deg=round(cleaned.deskew_deg, 2),
                  flattened=cleaned.flattened)
    return cleaned.image, ref


def recognise(image: np.ndarray, engine: OcrEngine) -> OcrPage:
    """Stage *read*: the OCR lines of a cleaned page (red seal ink faded first)."""
    from zhanchi.imaging import for_ocr

    return engine.read(for_ocr(image))


class StoredImage(Protocol):
    """A stored page image (``zhanchi.store.PageImage``)."""

    @property
    def data(self) -> bytes: ...


class PageCache(Protocol):
    """Where read pages go: the store, or a worker's in-memory snapshot of it."""

    def get_ocr(self, key: str) -> dict[str, Any] | None: ...

    def put_ocr(self, key: str, payload: dict[str, Any]) -> None: ...

    def put_page_image(self, data: bytes, media_type: str = ...) -> str: ...

    def get_page_image(self, sha256: str) -> StoredImage | None: ...


class PageReader:
    """Reads pages with one engine, one store and one set of limits (one per process)."""

    def __init__(self, store: PageCache, engine_factory: Callable[[], OcrEngine],
                 limits: Limits, engine_name: str) -> None:
        self.store = store
        self._engine_factory = engine_factory
        self._engine: OcrEngine | None = None
        self.limits = limits
        self.engine_name = engine_name

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    def read_submission(self, entry: Entry) -> ReadOutcome:
        """Read every page of an inbox entry; problems become ``unreadable`` messages."""
        from zhanchi.ingest import load_entry

        out = ReadOutcome()
        shas = {sf.path: sf.sha256 for sf in entry.submission.files}
        t0 = time.perf_counter()
        for item in load_entry(entry, self.limits):
            out.add_time("load", time.perf_counter() - t0)
            if isinstance(item, UnreadablePageError):
                out.unreadable.append(item.message)
                log.info("unreadable input in %s: %s", entry.submission_id, item.reason)
            else:
                try:
                    out.pages.append(self._read_page(shas[item.file], item, out))
                except ZhanchiError as exc:
                    out.unreadable.append(f"{item.file} 第{item.page}页：无法识别（{exc.reason}）")
                    log.warning("page %s#%d failed: %s", item.file, item.page, exc.reason)
            t0 = time.perf_counter()
        return out

    def _read_page(self, file_sha256: str, raw: RawPage, out: ReadOutcome) -> ReadPage:
        key = ocr_cache_key(file_sha256, raw.page, CLEANING_VERSION,
                            self.engine_name if raw.kind == "image" else "text")
        cached = self.store.get_ocr(key)
        if cached is not None:
            out.cache_hits += 1
            ref = PageRef.model_validate(cached["ref"])
            ocr = OcrPage.model_validate(cached["ocr"])
            return ReadPage(ref, ocr, raw.image if raw.kind == "text_layer" else None)
        if raw.kind == "text_layer":
            h, w = raw.image.shape[:2]
            ref = PageRef(file=raw.file, page=raw.page, rotation=0, width=w, height=h,
                          source="text_layer")
            ocr = OcrPage(engine="pdf-text-layer", lines=list(raw.lines or []), width=w, height=h)
            image = raw.image
        else:
            t = time.perf_counter()
            image, ref = clean(raw, self.engine)
            out.add_time("clean", time.perf_counter() - t)
            t = time.perf_counter()
            ocr = recognise(image, self.engine)
            out.add_time("ocr", time.perf_counter() - t)
        t = time.perf_counter()
        ref.page_sha256 = self.store.put_page_image(encode_page_image(image), "image/jpeg")
        self.store.put_ocr(key, {"ref": ref.model_dump(mode="json"),
                                 "ocr": ocr.model_dump(mode="json")})
        out.add_time("store", time.perf_counter() - t)
        return ReadPage(ref, ocr, image)

    def load_image(self, page: ReadPage) -> np.ndarray:
        """The page image for mark detection (decoded from the store on a cache hit)."""
        if page.image is None:
            stored = self.store.get_page_image(page.ref.page_sha256)
            if stored is None:
                raise OcrEngineError(f"{page.ref.file}: stored page image is missing")
            page.image = decode_page_image(stored.data)
        return page.image  # type: ignore[return-value]
