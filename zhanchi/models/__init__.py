"""Typed data models at the pipeline's boundaries (pages, documents, results)."""

from zhanchi.models.documents import DOC_TYPES, DocType, Document, ExtractedField, FieldValue
from zhanchi.models.pages import (
    BBox,
    OcrLine,
    OcrPage,
    PageRef,
    ReadPage,
    SourceFile,
    Submission,
)
from zhanchi.models.results import (
    REVIEW_REASONS,
    Check,
    CheckStatus,
    Provenance,
    Route,
    SubmissionResult,
    route_of,
)

__all__ = [
    "BBox", "Check", "CheckStatus", "DOC_TYPES", "DocType", "Document", "ExtractedField",
    "FieldValue", "OcrLine", "OcrPage", "PageRef", "Provenance", "ReadPage", "REVIEW_REASONS", "Route",
    "SourceFile", "Submission", "SubmissionResult", "route_of",
]
