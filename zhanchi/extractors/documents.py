"""From read pages to documents: classify each page, read its fields, group pages.

One document per page, except a booklet (a layout with ``sides``, such as the
qualification certificate) whose photo page and result page (complementary fields, no
conflict) form one document. Reading one page is
:mod:`.pages`' job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from zhanchi.extractors.classify import PageClass
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.pages import PageRead, read_page
from zhanchi.extractors.second_look import ImageLoader, OcrEngine
from zhanchi.extractors.specs import LAYOUTS
from zhanchi.models import Document, ExtractedField, ReadPage

UNREADABLE_CONF = 0.5  # an unclassified page read this badly on average is unreadable


@dataclass
class ExtractionResult:
    """Documents found in a submission, each page's class scores, unreadable pages."""

    documents: list[Document]
    pages: list[PageClass]
    unreadable: list[str] = field(default_factory=list)


def _complementary(a: PageRead, b: PageRead) -> bool:
    return not (set(a.fields) & set(b.fields))


def group_booklets(reads: Sequence[PageRead]) -> list[list[PageRead]]:
    """Pair pages of one booklet layout whose fields complement each other (photo page +
    result page), preferring neighbours in the same file; the rest stand alone."""
    groups: list[list[PageRead]] = []
    for layout, spec in LAYOUTS.items():
        if spec.sides:
            groups += _pairs([r for r in reads if r.cls.layout == layout], spec.sides[0])
    return groups


def _pairs(quals: Sequence[PageRead], first_side: tuple[str, ...]) -> list[list[PageRead]]:
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
            pair.sort(key=lambda r: 0 if set(first_side) & set(r.fields) else 1)  # photo page first
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
    return Document(type=group[0].cls.type, pages=[r.page.ref for r in group], fields=fields,
                    layout=group[0].cls.layout)


def extract(pages: Sequence[ReadPage], *, agencies: Sequence[str] | None = None,
            image_loader: ImageLoader | None = None, engine: OcrEngine | None = None
            ) -> ExtractionResult:
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
