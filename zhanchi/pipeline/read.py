"""Reading one submission: files → upright cleaned pages → OCR lines.

Each page is looked up in the content-addressed OCR cache first (key: the file's
hash, the page number, the cleaning version and the engine), so a re-run or a
revised packet never OCRs a page it has already read. Text-layer PDF pages skip
OCR altogether. Errors on a file become messages for ``unreadable_page``; they
never stop the batch.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from zhanchi.config import Limits
from zhanchi.errors import OcrEngineError, UnreadablePageError, ZhanchiError
from zhanchi.models import OcrPage, PageRef, ReadPage, SourceFile

log = logging.getLogger("zhanchi.read")

# Bump when cleaning changes what it produces: old cache entries stop matching.
CLEANING_VERSION = "clean-1"
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


def cache_key(file_sha256: str, page: int, engine_name: str) -> str:
    raw = f"{file_sha256}:{page}:{CLEANING_VERSION}:{engine_name}"
    return hashlib.sha256(raw.encode()).hexdigest()


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


class PageReader:
    """Reads pages with one engine, one store and one set of limits (one per process)."""

    def __init__(self, store: Any, engine_factory: Callable[[], Any], limits: Limits,
                 engine_name: str) -> None:
        self.store = store
        self._engine_factory = engine_factory
        self._engine: Any = None
        self.limits = limits
        self.engine_name = engine_name

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    def read_submission(self, files: list[SourceFile], paths: dict[str, Path]) -> ReadOutcome:
        out = ReadOutcome()
        if not files:
            out.unreadable.append("提交材料中没有可读取的文件（空文件夹或不支持的格式）")
            return out
        total_pages = 0
        for sf in files:
            try:
                total_pages += self._read_file(sf, paths[sf.path], out, total_pages)
            except UnreadablePageError as exc:
                out.unreadable.append(exc.message)
                log.info("unreadable file %s: %s", sf.path, exc.reason)
        return out

    def _read_file(self, sf: SourceFile, path: Path, out: ReadOutcome, pages_so_far: int) -> int:
        from zhanchi.ingest.loader import load_pages

        n = 0
        t0 = time.perf_counter()
        for raw in load_pages(path, sf.path, self.limits):
            out.add_time("load", time.perf_counter() - t0)
            n += 1
            if pages_so_far + n > self.limits.max_pages_per_submission:
                raise UnreadablePageError(
                    f"{sf.path}: 超过每份材料 {self.limits.max_pages_per_submission} 页的上限",
                    file=sf.path,
                )
            try:
                out.pages.append(self._read_page(sf, raw, out))
            except (OcrEngineError, ZhanchiError) as exc:
                if isinstance(exc, UnreadablePageError):
                    raise
                out.unreadable.append(f"{sf.path} 第{raw.page}页：无法识别（{exc.reason}）")
            t0 = time.perf_counter()
        return n

    def _read_page(self, sf: SourceFile, raw: Any, out: ReadOutcome) -> ReadPage:
        key = cache_key(sf.sha256, raw.page, self.engine_name if raw.kind == "image" else "text")
        cached = self.store.get_ocr(key)
        if cached is not None:
            out.cache_hits += 1
            ref = PageRef.model_validate(cached["ref"])
            ocr = OcrPage.model_validate(cached["ocr"])
            return ReadPage(ref, ocr, raw.image if raw.kind == "text_layer" else None)
        if raw.kind == "text_layer":
            h, w = raw.image.shape[:2]
            ref = PageRef(file=sf.path, page=raw.page, rotation=0, width=w, height=h,
                          source="text_layer")
            ocr = OcrPage(engine="pdf-text-layer", lines=list(raw.lines or []), width=w, height=h)
            image = raw.image
        else:
            from zhanchi.imaging import clean_page, for_ocr

            t = time.perf_counter()
            cleaned = clean_page(raw.image, engine=self.engine)
            out.add_time("clean", time.perf_counter() - t)
            t = time.perf_counter()
            ocr = self.engine.read(for_ocr(cleaned.image))
            out.add_time("ocr", time.perf_counter() - t)
            image = cleaned.image
            h, w = image.shape[:2]
            ref = PageRef(file=sf.path, page=raw.page, rotation=cleaned.rotation, width=w,
                          height=h, source="image", deskew_deg=round(cleaned.deskew_deg, 2),
                          flattened=cleaned.flattened)
        t = time.perf_counter()
        ref.page_sha256 = self.store.put_page_image(encode_page_image(image), "image/jpeg")
        self.store.put_ocr(key, {"ref": ref.model_dump(mode="json"),
                                 "ocr": ocr.model_dump(mode="json")})
        out.add_time("store", time.perf_counter() - t)
        return ReadPage(ref, ocr, image)

    def load_image(self, page: ReadPage) -> np.ndarray:
        """The page image for mark detection (decoded from the store on a cache hit)."""
        if page.image is None:
            data = self.store.get_page_image(page.ref.page_sha256)
            page.image = decode_page_image(data[0] if isinstance(data, tuple) else data)
        return page.image  # type: ignore[return-value]
