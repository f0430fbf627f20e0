"""Pages as the pipeline sees them: source files, page images and OCR lines."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Point = tuple[float, float]
BBox = tuple[int, int, int, int]


class OcrLine(BaseModel):
    """One line of text read from a page, in pixels of the upright cleaned page.

    >>> OcrLine(text="承诺书", confidence=0.99, polygon=[(0, 0), (30, 0), (30, 10), (0, 10)]).bbox
    (0, 0, 30, 10)
    """

    model_config = ConfigDict(frozen=True)

    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    polygon: list[Point]

    @property
    def bbox(self) -> BBox:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (int(min(xs)), int(min(ys)), int(round(max(xs))), int(round(max(ys))))


class OcrPage(BaseModel):
    """What an engine (or a PDF text layer) read on one page."""

    engine: str
    lines: list[OcrLine]
    width: int
    height: int
    elapsed_ms: int = 0


class SourceFile(BaseModel):
    """One file of a submission, identified by its content hash."""

    path: str  # relative to the inbox, e.g. "A0001/letter.jpg"
    sha256: str
    size: int


class Submission(BaseModel):
    """One inbox entry: a single file or a folder of files (SPEC §1)."""

    submission_id: str
    files: list[SourceFile]
    content_sha256: str  # hash over (relative path within the entry, file hash) pairs
    received_at: datetime


class PageRef(BaseModel):
    """Where a page of a document came from and what cleaning did to it (SPEC §3)."""

    model_config = ConfigDict(extra="allow")

    file: str
    page: int  # 1-based page number within the file
    rotation: Literal[0, 90, 180, 270] = 0  # clockwise degrees applied to make it upright
    width: int = 0
    height: int = 0
    source: Literal["image", "text_layer"] = "image"
    deskew_deg: float = 0.0
    flattened: bool = False
    page_sha256: str = ""  # hash of the stored cleaned page image (PNG bytes)


class ReadPage:
    """A cleaned, upright page with what was read on it: the extractors' input.

    ``image`` is the upright colour page (BGR ``numpy`` array, seals still on it, so
    fingerprints and seals can be found); ``ocr`` holds lines in its pixel frame.
    Not a pydantic model because it carries the image array.
    """

    __slots__ = ("ref", "ocr", "image")

    def __init__(self, ref: PageRef, ocr: OcrPage, image: object | None = None) -> None:
        self.ref = ref
        self.ocr = ocr
        self.image = image
