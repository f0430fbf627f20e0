"""Second looks: named strategies that re-read what the page OCR missed.

With the mark detectors, this package is the only extractor code that calls imaging or
takes an engine (an import-linter contract in ``pyproject.toml`` says so). Each look
is registered here by the name layout files use (``[second_looks]``: per field, the
looks that may run for it) and runs in this order, so an earlier look's finds (rows
re-read) are what later ones see:

| name | what it re-reads | engine |
|---|---|---|
| ``date_region`` | a date line that lost its first characters, widened left | yes |
| ``value_region`` | right of a label found without its value | yes |
| ``missing_rows`` | rows lost where the row pitch says they were | yes |
| ``broken_rows`` | rows a stamp broke into pieces, each as one band | yes |
| ``signer_pen`` | the signer's name from the pen alone (fingerprint wiped) | yes |
| ``placeholder_pen`` | a value written over its printed placeholder, from the pen alone | yes |
| ``known_names`` | a doubtful place or occupation settled among known names by its box | yes |
| ``number_box`` | a malformed certificate number from its own box | yes |
| ``sign_date_row`` | an unread signing date from its whole row | yes |
| ``legibility`` | whether an empty-read blank holds ink (illegible, not missing) | no |
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from zhanchi.doctypes import CATALOGUE
from zhanchi.errors import DocTypeError
from zhanchi.extractors.fields import Context
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.readers import Reader
from zhanchi.extractors.second_look import (
    date_region,
    known_names,
    legibility,
    number_box,
    placeholder_pen,
    rows,
    signer,
)
from zhanchi.extractors.second_look import value_region as value
from zhanchi.extractors.second_look.base import Look, Situation
from zhanchi.extractors.specs import DocSpec
from zhanchi.models import ExtractedField, ReadPage
from zhanchi.ocr.base import OcrEngine

ImageLoader = Callable[[ReadPage], np.ndarray | None]

LOOKS: dict[str, Look] = {look.name: look for look in (
    Look("date_region", True, date_region.look),
    Look("value_region", True, value.look),
    Look("missing_rows", True, rows.missing_rows_look),
    Look("broken_rows", True, rows.broken_rows_look),
    Look("signer_pen", True, signer.look),
    Look("placeholder_pen", True, placeholder_pen.look),
    Look("known_names", True, known_names.look),
    Look("number_box", True, number_box.number_look),
    Look("sign_date_row", True, number_box.sign_date_look),
    Look("legibility", False, legibility.look),
)}


def _known_looks() -> None:
    for layout in CATALOGUE.layouts:
        unknown = sorted({n for names in layout.second_looks.values() for n in names} - set(LOOKS))
        if unknown:
            raise DocTypeError(f"layout {layout.id}: unknown second looks {unknown}")


_known_looks()


def wants_image(spec: DocSpec, engine: OcrEngine | None) -> bool:
    """Whether any look the layout names would run (and so needs the page image)."""
    return any(spec.fields_with(name) and (engine is not None or not look.needs_engine)
               for name, look in LOOKS.items())


def second_looks(page: ReadPage, spec: DocSpec, fields: dict[str, ExtractedField],
                 reader: Reader | None, ctx: Context, image: np.ndarray | None,
                 engine: OcrEngine | None, marks: Marks | None = None) -> None:
    """Run, in registry order, every look the layout names for some field; the looks
    that need an engine only with one. ``fields`` is updated in place."""
    if image is None:
        return
    s = Situation(page, spec, fields, reader, ctx, image, engine, marks, list(page.ocr.lines))
    for name, look in LOOKS.items():
        if s.wanted(name) and (engine is not None or not look.needs_engine):
            look.run(s)


__all__ = ["LOOKS", "ImageLoader", "Look", "OcrEngine", "Situation", "second_looks", "wants_image"]
