"""What a second look sees: the page, what was read on it, the image and the engine.

A second look is a named strategy (``run(Situation) -> None``) that re-reads, with the
engine or from the pixels, what the page OCR missed; it adds or replaces entries of
``fields``. The layout file chooses per field which looks may run
(:meth:`~zhanchi.extractors.specs.DocSpec.fields_with`); :mod:`.` runs them in its
registry's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zhanchi.extractors.fields import Context
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.readers import Reader
from zhanchi.extractors.specs import DocSpec
from zhanchi.models import ExtractedField, OcrLine, ReadPage
from zhanchi.ocr.base import OcrEngine


@dataclass
class Situation:
    """One page during its second looks.

    ``lines`` start as the page OCR's lines and grow with rows a look re-read (later
    looks see them); ``engine`` is ``None`` when the caller gave none (only the looks
    that need no engine run then).
    """

    page: ReadPage
    spec: DocSpec
    fields: dict[str, ExtractedField]
    reader: Reader | None
    ctx: Context
    image: np.ndarray
    engine: OcrEngine | None
    marks: Marks | None
    lines: list[OcrLine]

    def wanted(self, look: str) -> tuple[str, ...]:
        """The fields the layout lets ``look`` run for."""
        return self.spec.fields_with(look)


@dataclass(frozen=True)
class Look:
    """A registered second look: its name (as layout files write it), whether it needs
    the engine, and what it does."""

    name: str
    needs_engine: bool
    run: Callable[[Situation], None]
