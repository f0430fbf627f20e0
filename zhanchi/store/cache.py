"""Content-addressed data: the OCR cache and the stored page images.

The OCR cache outlives the process (SPEC §1: an unchanged file is never OCR'd twice),
and lives here rather than in Prefect's result storage because OCR text is personal
data that must not sit in plain files or Prefect's UI. Page images are served to the
review app by hash only, so no request ever names a file-system path.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, NamedTuple

from sqlalchemy import select

from zhanchi.store.core import StoreCore
from zhanchi.store.schema_pipeline import OcrCacheRow, PageImageRow
from zhanchi.store.types import utcnow

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def ocr_cache_key(file_sha256: str, page: int, cleaning_version: str, engine: str) -> str:
    """The cache key of one page's OCR: a hash of what determines the output.

    The one key function (the page reader, the remote-read probe and the tests use it);
    its text form is the one the pipeline has always written, so caches made by earlier
    versions keep answering.

    >>> len(ocr_cache_key("ab" * 32, 1, "clean-1", "rapidocr-3.4/PP-OCRv5"))
    64
    """
    raw = f"{file_sha256}:{page}:{cleaning_version}:{engine}"
    return hashlib.sha256(raw.encode()).hexdigest()


class PageImage(NamedTuple):
    """A stored page image (a tuple too: ``data, media_type, sha256 = image``)."""

    data: bytes
    media_type: str
    sha256: str


class CacheMixin(StoreCore):
    """OCR cache and page images."""

    def get_ocr(self, key: str) -> dict[str, Any] | None:
        """The cached payload (page ref + OCR lines) for ``key``, or None."""
        with self.reader("get_ocr") as s:
            return s.scalar(select(OcrCacheRow.payload).where(OcrCacheRow.key == key))

    def has_cached_ocr(self, keys: list[str]) -> bool:
        """Whether any of ``keys`` is in the OCR cache (one query)."""
        if not keys:
            return False
        with self.reader("probe_ocr_cache") as s:
            return s.scalar(select(OcrCacheRow.key).where(OcrCacheRow.key.in_(keys))
                            .limit(1)) is not None

    def put_ocr(self, key: str, payload: dict[str, Any]) -> None:
        """Cache a payload; a key already cached keeps its first payload (same input)."""
        with self.transaction("put_ocr") as s:
            self.insert_ignore(s, OcrCacheRow,
                               {"key": key, "payload": payload, "created_at": utcnow()})

    def put_page_image(self, data: bytes, media_type: str = "image/png") -> str:
        """Store a cleaned page image; returns its SHA-256 (its id)."""
        sha = hashlib.sha256(data).hexdigest()
        with self.transaction("put_page_image") as s:
            self.insert_ignore(s, PageImageRow, {
                "sha256": sha, "media_type": media_type, "size": len(data), "data": data,
                "created_at": utcnow()})
        return sha

    def get_page_image(self, sha256: str) -> PageImage | None:
        """A stored image by its hash; anything that is not a lowercase hex SHA-256 is None."""
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            return None
        with self.reader("get_page_image") as s:
            row = s.get(PageImageRow, sha256)
            return PageImage(bytes(row.data), row.media_type, row.sha256) if row else None
