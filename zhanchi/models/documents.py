"""Documents found in a submission and the fields read from them."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from zhanchi.doctypes import DOC_TYPES
from zhanchi.models.pages import PageRef


def _declared(value: str) -> str:
    if value not in DOC_TYPES:
        raise ValueError(f"not a declared document type: {value}")
    return value


# a SPEC §2 type: one of the declared types (zhanchi/doctypes/types/)
DocType = Annotated[str, AfterValidator(_declared)]

FieldValue = str | int | bool


class ExtractedField(BaseModel):
    """One field value in its SPEC §5 normal form, with where and how sure.

    ``raw`` is the text as read (kept for reviewers and audits); ``page`` is 1-based
    within the document's pages; ``bbox`` is ``[x0, y0, x1, y1]`` on that page.
    """

    model_config = ConfigDict(extra="allow")

    value: FieldValue
    confidence: float
    page: int = 1
    bbox: list[int] | None = None
    raw: str | None = None


class Document(BaseModel):
    """A classified document: its type, its pages, its fields, and (an extra key SPEC §3
    allows) the printed form it was recognised as, e.g. ``application_form`` for an
    ``unknown`` page (``zhanchi/doctypes/layouts``); ``None``: not recognised."""

    type: DocType
    pages: list[PageRef]
    fields: dict[str, ExtractedField] = {}
    layout: str | None = None
