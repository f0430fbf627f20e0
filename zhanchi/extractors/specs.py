"""The declared layouts (:mod:`zhanchi.doctypes`) as the readers use them.

One :class:`DocSpec` per layout: the keywords classification scores, the fields with
their parser (from the type) and printed labels (from the layout), the anchors of an
anchored form, the words that end a value or never are one, which second looks may run
for which field, and a booklet's sides. Nothing here is written per type: a new printed
form is a file in ``zhanchi/doctypes/layouts/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhanchi.doctypes import CATALOGUE, LayoutDef
from zhanchi.errors import DocTypeError
from zhanchi.extractors.fields import PARSERS

MARK_PARSER = "mark"  # a field the mark detectors report, not read from text


@dataclass(frozen=True)
class FieldSpec:
    """One field: its SPEC §5 name, its parser and the printed labels that precede it."""

    name: str
    parser: str  # a key of zhanchi.extractors.fields.PARSERS
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocSpec:
    """One layout of a type, ready for classification and the readers.

    ``fields`` are the type's text fields, in print order, with this layout's labels;
    ``anchors`` are ``(printed words, fields of the blanks after them)``;
    ``placeholders`` map a field to the printed words its blank may hold besides the value.
    """

    type: str
    layout: str
    reader: str
    keywords: tuple[tuple[str, float], ...]
    fields: tuple[FieldSpec, ...] = ()
    anchors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    placeholders: tuple[tuple[str, str], ...] = ()
    stop_labels: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    second_looks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sides: tuple[tuple[str, ...], ...] = ()
    marks: bool = False
    saturation: float = 5.0  # keyword weight that counts as certain
    min_score: float = 0.35  # below this the page is not this layout
    titles: tuple[str, ...] = ()  # headings that name this layout
    shares: tuple[str, ...] = ()  # words shared with claim documents: evidence for neither
    max_chars: int = 0  # a page with fewer characters than this is this layout

    @property
    def group(self) -> str:
        return CATALOGUE.by_id[self.type].group

    @property
    def parsers(self) -> dict[str, str]:
        return {f.name: f.parser for f in self.fields}

    @property
    def labelled(self) -> tuple[FieldSpec, ...]:
        """The fields this layout prints with a label (what a label reader looks for)."""
        return tuple(f for f in self.fields if f.labels)

    def fields_with(self, look: str) -> tuple[str, ...]:
        """The fields for which the second look ``look`` may run, in declared order."""
        return tuple(f for f, looks in self.second_looks if look in looks)


def _spec(layout: LayoutDef) -> DocSpec:
    doc_type = CATALOGUE.by_id[layout.type]
    unknown = sorted({f.parser for f in doc_type.fields} - set(PARSERS) - {MARK_PARSER})
    if unknown:
        raise DocTypeError(f"type {doc_type.id}: unknown parsers {unknown}")
    fields = tuple(FieldSpec(f.name, f.parser, layout.labels.get(f.name, ()))
                   for f in doc_type.fields if f.parser != MARK_PARSER)
    return DocSpec(
        type=layout.type, layout=layout.id, reader=layout.reader,
        keywords=tuple((k.phrase, k.weight) for k in layout.keywords), fields=fields,
        anchors=tuple((a.text, a.fields) for a in layout.anchors),
        placeholders=tuple((f, a.placeholder) for a in layout.anchors if a.placeholder
                           for f in a.fields),
        stop_labels=layout.stop_labels, captions=layout.captions,
        second_looks=tuple(layout.second_looks.items()), sides=layout.sides,
        marks=layout.marks, saturation=layout.saturation, min_score=layout.min_score,
        titles=layout.titles, shares=layout.shares, max_chars=layout.max_chars,
    )


# Types in SPEC §2 order, each type's layouts by file name (classification breaks ties so).
SPECS: tuple[DocSpec, ...] = tuple(_spec(lay) for t in CATALOGUE.types
                                   for lay in CATALOGUE.layouts_of(t.id))
LAYOUTS: dict[str, DocSpec] = {s.layout: s for s in SPECS}

# The packaged layouts the readers' own tests and defaults name.
COMMITMENT_LETTER = LAYOUTS["commitment_letter"]
SKILL_LEVEL_CERTIFICATE = LAYOUTS["skill_level_certificate"]
QUALIFICATION_CERTIFICATE = LAYOUTS["qualification_certificate"]
FILING_PROOF = LAYOUTS["filing_proof"]
