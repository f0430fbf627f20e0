"""From read pages to documents: classify each page, read its fields, group pages.

One document per page, except the qualification booklet whose photo page and result
page (complementary fields, no conflict) form one document. This is the only module
that knows which reader serves which type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zhanchi.extractors.certificates import LabelReader
from zhanchi.extractors.classify import PageClass, classify_text
from zhanchi.extractors.commitment_letter import LetterReader, better_signer
from zhanchi.extractors.fields import Context, well_formed
from zhanchi.extractors.filing_proof import read_filing_proof
from zhanchi.extractors.gazetteer import Gazetteer, get_gazetteer
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.reread import reread, reread_signer
from zhanchi.extractors.rescue import fragmented_rows, missing_row_bands, reread_bands
from zhanchi.extractors.specs import SPEC_BY_TYPE
from zhanchi.models import Document, ExtractedField, OcrLine, ReadPage

log = logging.getLogger("zhanchi.extract")

UNREADABLE_CONF = 0.5  # an unclassified page read this badly on average is unreadable
ImageLoader = Callable[[ReadPage], Any]
RESULT_SIDE = ("occupation", "level", "certificate_number", "issue_date")  # booklet's 2nd page


@dataclass
class PageRead:
    """One page: its class and the fields read on it (page numbers still 1)."""

    page: ReadPage
    cls: PageClass
    fields: dict[str, ExtractedField] = field(default_factory=dict)


@dataclass
class ExtractionResult:
    """Documents found in a submission, each page's class scores, unreadable pages."""

    documents: list[Document]
    pages: list[PageClass]
    unreadable: list[str] = field(default_factory=list)


def _marks(page: ReadPage, loader: ImageLoader | None) -> dict[str, ExtractedField]:
    try:
        from zhanchi.extractors.marks import detect_marks
    except ImportError:  # marks detection not installed: report "not found", confidence 0
        return {k: ExtractedField(value=False, confidence=0.0) for k in ("has_signature", "has_fingerprint")}
    _image(page, loader)
    return detect_marks(page).to_fields(page=1)


def _image(page: ReadPage, loader: ImageLoader | None) -> Any:
    if page.image is None and loader is not None:
        page.image = loader(page)
    return page.image


def _read_type(kind: str, lines: Sequence[OcrLine], ctx: Context
               ) -> tuple[dict[str, ExtractedField], LabelReader | LetterReader | None]:
    """The reader of one document type over some lines (no image, no engine)."""
    if kind == "commitment_letter":
        letter = LetterReader(lines, ctx)
        return letter.read(), letter
    if kind == "filing_proof":
        return read_filing_proof(lines, ctx), None
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


def _second_look(page: ReadPage, kind: str, fields: dict[str, ExtractedField],
                 reader: LabelReader | LetterReader | None, ctx: Context, engine: Any,
                 loader: ImageLoader | None) -> None:
    """Re-read with the engine what the page OCR missed: values beside found labels,
    whole rows lost under a seal, the signature region of a letter."""
    image = _image(page, loader)
    if image is None:
        return
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
        region = reader.signer_region()
        # not gated on marks: an unsigned slot re-reads as the bare label, which is no name
        if region is not None:
            name = better_signer(fields.get("signer_name"), reread_signer(image, engine, region, ctx))
            if name is not None:
                fields["signer_name"] = name


def read_page(page: ReadPage, gazetteer: Gazetteer, loader: ImageLoader | None = None,
              engine: Any = None) -> PageRead:
    """Classify one page and read the fields of its type.

    With an ``engine``, what the page OCR missed is looked at again (see
    :func:`_second_look`); the letter's marks come from :mod:`.marks`.
    """
    lines = page.ocr.lines
    cls = classify_text(TextMap.from_lines(lines).text)
    ctx = Context(gazetteer)
    fields, reader = _read_type(cls.type, lines, ctx)
    if engine is not None and cls.type != "unknown":
        _second_look(page, cls.type, fields, reader, ctx, engine, loader)
    if cls.type == "commitment_letter":
        fields.update(_marks(page, loader))
    return PageRead(page, cls, fields)


def _complementary(a: PageRead, b: PageRead) -> bool:
    return not (set(a.fields) & set(b.fields))


def group_booklets(reads: Sequence[PageRead]) -> list[list[PageRead]]:
    """Pair qualification pages whose fields complement each other (photo page + result
    page), preferring neighbours in the same file; the rest stand alone."""
    quals = [r for r in reads if r.cls.type == "qualification_certificate"]
    groups: list[list[PageRead]] = []
    used: set[int] = set()

    def order(a: PageRead, b: PageRead) -> tuple[int, int]:
        same_file = a.page.ref.file == b.page.ref.file
        return (0 if same_file else 1, abs(a.page.ref.page - b.page.ref.page))

    for i, a in enumerate(quals):
        if i in used:
            continue
        used.add(i)
        partners = [(order(a, b), j) for j, b in enumerate(quals) if j not in used and _complementary(a, b)]
        if partners:
            j = min(partners)[1]
            used.add(j)
            pair = [a, quals[j]]
            pair.sort(key=lambda r: 0 if "holder_name" in r.fields else 1)  # photo page first
            groups.append(pair)
        else:
            groups.append([a])
    return groups


def _document(group: Sequence[PageRead]) -> Document:
    fields: dict[str, ExtractedField] = {}
    for n, r in enumerate(group, 1):
        for name, f in r.fields.items():
            if name not in fields or f.confidence > fields[name].confidence:
                fields[name] = f.model_copy(update={"page": n})
    return Document(type=group[0].cls.type, pages=[r.page.ref for r in group], fields=fields)


def extract(pages: Sequence[ReadPage], *, agencies: Sequence[str] | None = None,
            image_loader: ImageLoader | None = None, engine: Any = None) -> ExtractionResult:
    """Classify, read and group every page of one submission.

    ``agencies`` are the registry's agency names and aliases (the gazetteer is built
    once per distinct list and cached); ``image_loader`` fetches a page image when mark
    detection needs one that is not in memory; ``engine`` (an ``OcrEngine``), when
    given, re-reads values the page OCR missed beside labels it found.
    """
    gazetteer = get_gazetteer(agencies)
    reads = [read_page(p, gazetteer, image_loader, engine) for p in pages]
    booklets = {id(r): g for g in group_booklets(reads) for r in g}
    documents: list[Document] = []
    unreadable: list[str] = []
    done: set[int] = set()
    for r in reads:
        if id(r) in done:
            continue
        group = booklets.get(id(r), [r])
        done.update(id(x) for x in group)
        documents.append(_document(group))
        lines = r.page.ocr.lines
        if r.cls.type == "unknown" and lines and sum(ln.confidence for ln in lines) / len(lines) < UNREADABLE_CONF:
            unreadable.append(f"{r.page.ref.file} 第{r.page.ref.page}页：识别质量过低，无法分类")
    return ExtractionResult(documents, [r.cls for r in reads], unreadable)
