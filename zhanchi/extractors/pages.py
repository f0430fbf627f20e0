"""One page: classify it, read the fields of its layout, let the layout's second looks run.

The layout the page is recognised as (:mod:`.classify`) says everything else: which
reader reads it (:mod:`.readers`), whether it carries the applicant's marks
(:mod:`.marks`), and which second looks may run for which field
(:mod:`.second_look`). Nothing here is written per document type.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from zhanchi.extractors.classify import PageClass, classify_page
from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import Gazetteer
from zhanchi.extractors.marks import Marks, detect_marks
from zhanchi.extractors.readers import read_layout
from zhanchi.extractors.second_look import ImageLoader, OcrEngine, second_looks, wants_image
from zhanchi.extractors.specs import LAYOUTS
from zhanchi.models import ExtractedField, ReadPage

log = logging.getLogger("zhanchi.extract")


@dataclass
class PageRead:
    """One page: its class and the fields read on it (page numbers still 1)."""

    page: ReadPage
    cls: PageClass
    fields: dict[str, ExtractedField] = field(default_factory=dict)


def _no_marks() -> dict[str, ExtractedField]:
    """Marks not looked at: "absent" with no confidence, so a reviewer decides."""
    return {k: ExtractedField(value=False, confidence=0.0) for k in ("has_signature", "has_fingerprint")}


def _image(page: ReadPage, loader: ImageLoader | None) -> np.ndarray | None:
    if page.image is None and loader is not None:
        page.image = loader(page)
    return page.image  # type: ignore[return-value]  # ReadPage keeps it untyped


def _marks(page: ReadPage, loader: ImageLoader | None) -> Marks | None:
    """The page's :class:`~.marks.Marks`, or ``None`` when they could not be looked at."""
    try:
        _image(page, loader)
        return detect_marks(page)
    except Exception as exc:  # one odd image must not lose the letter's other fields
        log.warning("mark detection failed on %s page %d: %s", page.ref.file, page.ref.page,
                    type(exc).__name__)
        return None


def read_page(page: ReadPage, gazetteer: Gazetteer, loader: ImageLoader | None = None,
              engine: OcrEngine | None = None) -> PageRead:
    """Classify one page and read the fields of its layout.

    With an ``engine``, what the page OCR missed is looked at again (the layout's second
    looks; those that need no engine run whenever the page image can be had).
    """
    lines = page.ocr.lines
    cls = classify_page(lines)
    spec = LAYOUTS[cls.layout] if cls.layout is not None else None
    if spec is None or spec.group == "other":
        return PageRead(page, cls, {})  # no claim document: nothing of it is read
    ctx = Context(gazetteer)
    fields, reader = read_layout(spec, lines, ctx)
    # the marks first: they tell the second looks where the pen is
    marks = _marks(page, loader) if spec.marks else None
    if wants_image(spec, engine):
        second_looks(page, spec, fields, reader, ctx, _image(page, loader), engine, marks)
    if spec.marks:
        fields.update(marks.to_fields(page=1) if marks is not None else _no_marks())
    return PageRead(page, cls, fields)
