"""The declared document types and layouts as frozen, validated objects.

A *type* is a SPEC §2 document type: what the results call it, which group it belongs
to (the letter, a certificate, a filing proof, or other pages), its Chinese label and
its fields (SPEC §5 name, parser kind, Chinese label) in the order the form prints them.
A *layout* is one printed form of a type: the words that recognise it, how its fields
are read (an anchored form or labels and values), which second looks may run for each
field, and, for a booklet, which fields tell its sides apart. Required fields and
number formats are policy (``zhanchi/policy/policy.toml``), not declared here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Group = Literal["letter", "certificate", "proof", "other"]
ReaderKind = Literal["anchored_form", "label_value", "none"]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Words = Annotated[str, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldDef(_Frozen):
    """One SPEC §5 field of a type: its name, parser kind and Chinese label.

    ``parser`` names a parser of ``zhanchi.extractors.fields.PARSERS``, or ``mark`` for
    a field the mark detectors report (``has_signature``, ``has_fingerprint``).
    """

    name: Name
    parser: Name
    label: Words


class DocTypeDef(_Frozen):
    """One SPEC §2 type; ``fields`` are in print order (the review app's order)."""

    id: Name
    spec_row: Annotated[int, Field(ge=1)]
    group: Group
    label: Words
    fields: tuple[FieldDef, ...] = ()

    @model_validator(mode="after")
    def _unique_fields(self) -> DocTypeDef:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: a field is declared twice")
        return self

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def parser(self, name: str) -> str:
        return next(f.parser for f in self.fields if f.name == name)


class Anchor(_Frozen):
    """Printed words of an anchored form, followed by the blanks (fields) up to the next.

    ``placeholder``: printed words some printings put after these, in brackets, where
    others print a blank (the applicant writes the value before, above or over them);
    they are never part of the value.
    """

    text: Words
    fields: tuple[Name, ...] = ()
    placeholder: Words | None = None


class Keyword(_Frozen):
    """A phrase that recognises a layout and its weight as evidence."""

    phrase: Words
    weight: Annotated[float, Field(gt=0.0, le=10.0)]


class LayoutDef(_Frozen):
    """One printed form of a type (see the module docstring).

    ``labels`` maps a field to the printed words that introduce its value (label–value
    layouts; an anchored form may list some as its fallback); ``stop_labels`` end a value
    without being a field; ``captions`` are printed texts that are never a value.
    ``second_looks`` maps a field to the named second looks (``extractors.second_look``)
    that may run for it. ``sides``: for a booklet whose pages each carry part of the
    fields, the fields that identify each side; a page showing a field of a later side
    is that side, else the first. ``marks``: the page carries the applicant's signature
    and fingerprint. ``titles``: headings that name this layout (a page whose heading,
    its tallest print, contains one is this layout whatever else it shares).
    ``shares``: printed words this layout shares with claim documents (an application
    form's 证书编号): on a page that looks like this layout they are evidence for neither.
    ``max_chars``: a page with fewer printed characters than this is this layout (blank).
    """

    id: Name
    type: Name
    reader: ReaderKind
    keywords: tuple[Keyword, ...]
    saturation: Annotated[float, Field(gt=0.0)] = 5.0  # keyword weight that counts as certain
    min_score: Annotated[float, Field(ge=0.0, le=1.0)] = 0.35  # below this: not this layout
    anchors: tuple[Anchor, ...] = ()
    labels: dict[Name, tuple[Words, ...]] = {}
    stop_labels: tuple[Words, ...] = ()
    captions: tuple[Words, ...] = ()
    second_looks: dict[Name, tuple[Name, ...]] = {}
    sides: tuple[tuple[Name, ...], ...] = ()
    marks: bool = False
    titles: tuple[Words, ...] = ()
    shares: tuple[Words, ...] = ()
    max_chars: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _reader_has_what_it_reads(self) -> LayoutDef:
        if self.reader == "anchored_form" and not self.anchors:
            raise ValueError(f"{self.id}: an anchored form needs anchors")
        if self.reader == "label_value" and not self.labels:
            raise ValueError(f"{self.id}: a label–value layout needs labels")
        return self

    def fields_with(self, look: str) -> tuple[str, ...]:
        """The fields for which the second look ``look`` may run, in declared order."""
        return tuple(f for f, looks in self.second_looks.items() if look in looks)
