"""One page: classify it, read the fields of its type, look again where the OCR failed.

This is the only module that knows which reader serves which document type. With an
engine, what the page OCR missed gets a second look (:mod:`.reread`, :mod:`.rescue`):
values beside labels that were found, whole rows lost under a seal, rows a stamp broke
into pieces, and the signature slot of a letter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zhanchi.extractors.certificates import LabelReader
from zhanchi.extractors.classify import PageClass, classify_text
from zhanchi.extractors.commitment_letter import LetterReader, settle_signer
from zhanchi.extractors.date_regions import reread_dates
from zhanchi.extractors.fields import Context, well_formed
from zhanchi.extractors.filing_proof import FilingProofReader
from zhanchi.extractors.gazetteer import Gazetteer
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.legibility import illegible_blanks
from zhanchi.extractors.reread import reread, reread_number, reread_sign_date, reread_signer
from zhanchi.extractors.rescue import fragmented_rows, missing_row_bands, reread_bands
from zhanchi.extractors.signer_ink import read_pen, wiped_by_colour
from zhanchi.extractors.specs import SPEC_BY_TYPE
from zhanchi.models import ExtractedField, OcrLine, ReadPage

log = logging.getLogger("zhanchi.extract")
ImageLoader = Callable[[ReadPage], Any]
Reader = LabelReader | LetterReader | FilingProofReader
RESULT_SIDE = ("occupation", "level", "certificate_number", "issue_date")  # booklet's 2nd page


@dataclass
class PageRead:
    """One page: its class and the fields read on it (page numbers still 1)."""

    page: ReadPage
    cls: PageClass
    fields: dict[str, ExtractedField] = field(default_factory=dict)


def _no_marks() -> dict[str, ExtractedField]:
    """Marks not looked at: "absent" with no confidence, so a reviewer decides."""
    return {k: ExtractedField(value=False, confidence=0.0) for k in ("has_signature", "has_fingerprint")}


def _marks(page: ReadPage, loader: ImageLoader | None) -> Any:
    """The letter's :class:`~.marks.Marks`, or ``None`` when they could not be looked at."""
    try:
        from zhanchi.extractors.marks import detect_marks
    except ImportError:
        return None
    try:
        _image(page, loader)
        return detect_marks(page)
    except Exception as exc:  # one odd image must not lose the letter's other fields
        log.warning("mark detection failed on %s page %d: %s", page.ref.file, page.ref.page,
                    type(exc).__name__)
        return None


def _image(page: ReadPage, loader: ImageLoader | None) -> Any:
    if page.image is None and loader is not None:
        page.image = loader(page)
    return page.image


def _read_type(kind: str, lines: Sequence[OcrLine], ctx: Context
               ) -> tuple[dict[str, ExtractedField], Reader | None]:
    """The reader of one document type over some lines (no image, no engine)."""
    if kind == "commitment_letter":
        letter = LetterReader(lines, ctx)
        return letter.read(), letter
    if kind == "filing_proof":
        proof = FilingProofReader(lines, ctx)
        return proof.read(), proof
    if kind in SPEC_BY_TYPE:
        reader = LabelReader(lines, SPEC_BY_TYPE[kind], ctx)
        return reader.read(), reader
    return {}, None


def _missing(kind: str, fields: dict[str, ExtractedField]) -> list[str]:
    """Required fields this page should carry but lacks (a booklet page carries one side)."""
    required = SPEC_BY_TYPE[kind].required if kind in SPEC_BY_TYPE else ()
    if kind == "qualification_certificate":
        side = RESULT_SIDE if set(fields) & set(RESULT_SIDE) else ("holder_name",)
        required = tuple(f for f in required if f in side)
    return [f for f in required if f not in fields]


def second_look(page: ReadPage, kind: str, fields: dict[str, ExtractedField],
                 reader: Reader | None, ctx: Context, engine: Any,
                 loader: ImageLoader | None, marks: Any = None) -> None:
    """Re-read with the engine what the page OCR missed: values beside found labels,
    whole rows lost under a seal, the signature region of a letter."""
    image = _image(page, loader)
    if image is None:
        return
    if isinstance(reader, FilingProofReader) and reader.regions:
        # a date line that lost its first characters: read its widened region again
        for k, v in reread_dates(image, engine, reader.regions, ctx).items():
            fields.setdefault(k, v)
    if isinstance(reader, LabelReader) and reader.unread:
        found = reread(image, engine, reader.unread, reader.parsers, ctx)
        for k, v in found.items():
            # a missing value is taken as re-read; a malformed one only if the re-read is sound
            if k not in fields or well_formed(reader.parsers[k], v.value):
                fields[k] = v
    lines = list(page.ocr.lines)
    missing = _missing(kind, fields)
    if missing:  # whole rows lost: re-read the bands where the row pitch says they were
        extra = reread_bands(image, engine, missing_row_bands(lines, page.ocr.width, page.ocr.height))
        if extra:
            lines += extra
            more, _ = _read_type(kind, lines, Context(ctx.gazetteer))
            fields.update({k: more[k] for k in missing if k in more})
    missing = _missing(kind, fields)
    if missing:  # rows broken by a stamp: re-read each as one band instead of its pieces
        broken = fragmented_rows(lines)
        again = reread_bands(image, engine, [box for box, _ in broken])
        if again:
            drop = {id(ln) for _, pieces in broken for ln in pieces}
            more, _ = _read_type(kind, [*(ln for ln in lines if id(ln) not in drop), *again],
                                 Context(ctx.gazetteer))
            fields.update({k: more[k] for k in missing if k in more})
    if isinstance(reader, LetterReader):
        # the pen alone, where the marks found it; else the region between label and hint
        # (not gated on marks: an unsigned slot re-reads as the bare label, which is no name)
        pen = read_pen(image, engine, marks, ctx)
        region = reader.signer_region() if pen is None else None
        in_region = reread_signer(image, engine, region, ctx) if region is not None else None
        name = settle_signer(fields.get("signer_name"), in_region, pen, wiped_by_colour(marks))
        if name is not None:
            fields["signer_name"] = name
        number = fields.get("certificate_number")
        if number is not None and not well_formed("certificate_number", number.value):
            # a number squeezed in a long line can lose a digit: read its own box
            whole = reread_number(image, engine, number, ctx)
            if whole is not None:
                fields["certificate_number"] = whole
        if "sign_date" not in fields:  # a row broken by a seal's ghost: read it as one band
            date = reread_sign_date(image, engine, lines, ctx)
            if date is not None:
                fields["sign_date"] = date


def read_page(page: ReadPage, gazetteer: Gazetteer, loader: ImageLoader | None = None,
              engine: Any = None) -> PageRead:
    """Classify one page and read the fields of its type.

    With an ``engine``, what the page OCR missed is looked at again (see
    :func:`second_look`); the letter's marks come from :mod:`.marks`.
    """
    lines = page.ocr.lines
    cls = classify_text(TextMap.from_lines(lines).text)
    ctx = Context(gazetteer)
    fields, reader = _read_type(cls.type, lines, ctx)
    # the letter's marks first: they tell the second look where the pen is
    marks = _marks(page, loader) if cls.type == "commitment_letter" else None
    if engine is not None and cls.type != "unknown":
        second_look(page, cls.type, fields, reader, ctx, engine, loader, marks)
    if cls.type == "commitment_letter":
        fields.update(illegible_blanks(lines, _image(page, loader), fields))
        fields.update(marks.to_fields(page=1) if marks is not None else _no_marks())
    return PageRead(page, cls, fields)


