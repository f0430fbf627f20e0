"""Reading a submission on another process or machine (Dask workers), writing nothing.

A worker gets a :class:`ReadJob` — paths, content hashes, engine settings and the
public agency list, never OCR text — loads and cleans the pages, OCRs them with the
one engine its process holds (1–2 ONNX Runtime threads), extracts the documents and
returns a :class:`ReadReturn`: the extraction plus the OCR-cache entries and page
images it produced. Only the flow process writes them to the database
(:func:`absorb`), decides and appends results.jsonl.

Packets with any page already in the OCR cache (a crashed run's, a revision's) are
read in the flow process instead (:func:`needs_local_read`): shipping cached OCR text
to workers would put personal data into task parameters.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from zhanchi.ingest import Limits
from zhanchi.ingest.discover import Entry
from zhanchi.pipeline.decide import Extracted

if TYPE_CHECKING:
    from zhanchi.pipeline.batch import BatchRun


class _Image(NamedTuple):
    data: bytes
    media_type: str
    sha256: str


class CacheSnapshot:
    """Store-shaped, in memory: what :class:`~zhanchi.pipeline.read.PageReader` writes."""

    def __init__(self) -> None:
        self.ocr: dict[str, dict[str, Any]] = {}
        self.images: dict[str, _Image] = {}

    def get_ocr(self, key: str) -> dict[str, Any] | None:
        return self.ocr.get(key)

    def put_ocr(self, key: str, payload: dict[str, Any]) -> None:
        self.ocr.setdefault(key, payload)

    def put_page_image(self, data: bytes, media_type: str = "image/png") -> str:
        import hashlib

        sha = hashlib.sha256(data).hexdigest()
        self.images.setdefault(sha, _Image(data, media_type, sha))
        return sha

    def get_page_image(self, sha256: str) -> _Image | None:
        return self.images.get(sha256)


@dataclass
class ReadJob:
    """Everything a worker needs to read one submission (no personal data)."""

    entry: Entry  # ids, relative paths, hashes, absolute paths
    engine: str
    engine_options: dict[str, Any]
    engine_name: str
    limits: Limits
    agencies: list[str] = field(default_factory=list)


@dataclass
class ReadReturn:
    """A worker's answer: the extraction, what to cache, and who did it."""

    extracted: Extracted
    ocr: dict[str, dict[str, Any]]
    images: list[tuple[bytes, str]]
    host: str
    pid: int
    seconds: float


def read_job(job: ReadJob) -> ReadReturn:
    """Read and extract one submission with this process's engine (runs on a worker)."""
    from zhanchi.ocr import get_engine
    from zhanchi.pipeline.decide import extract_submission
    from zhanchi.pipeline.read import PageReader

    t0 = time.perf_counter()
    snapshot = CacheSnapshot()
    reader = PageReader(snapshot, lambda: get_engine(job.engine, **job.engine_options),
                        job.limits, job.engine_name)
    outcome = reader.read_submission(job.entry)
    extracted = extract_submission(job.entry.submission, outcome, agencies=job.agencies,
                                   image_loader=reader.load_image, engine=reader.engine)
    return ReadReturn(extracted=extracted, ocr=snapshot.ocr,
                      images=[(i.data, i.media_type) for i in snapshot.images.values()],
                      host=socket.gethostname(), pid=os.getpid(),
                      seconds=time.perf_counter() - t0)


def make_job(run: BatchRun, entry: Entry) -> ReadJob:
    """The job for ``entry`` of a :class:`~zhanchi.pipeline.batch.BatchRun`."""
    return ReadJob(entry=entry, engine=run.settings.engine,
                   engine_options=dict(run.engine_options), engine_name=run.engine_name,
                   limits=run.settings.limits, agencies=run.agencies())


def needs_local_read(run: BatchRun, entry: Entry) -> bool:
    """True if any file of ``entry`` has pages in the OCR cache (then read it here).

    Pages of a file are read in order, so a file with nothing cached on page 1 has
    nothing cached at all; both variants (OCR and text layer) are probed in one query.
    """
    from zhanchi.pipeline.read import CLEANING_VERSION
    from zhanchi.store import ocr_cache_key

    keys = [ocr_cache_key(f.sha256, 1, CLEANING_VERSION, variant)
            for f in entry.submission.files for variant in (run.engine_name, "text")]
    return run.store.has_cached_ocr(keys)


def absorb(run: BatchRun, answer: ReadReturn) -> None:
    """Write a worker's page images and OCR cache entries (images first: entries name them)."""
    for data, media_type in answer.images:
        run.store.put_page_image(data, media_type)
    for key, payload in answer.ocr.items():
        run.store.put_ocr(key, payload)
