"""A SubmissionResult's documents, pages, fields and checks as rows, and back.

Keys a model carries beyond its declared fields (pydantic ``extra``) are kept in each
row's ``extra`` column, so :func:`load_documents` rebuilds exactly what was saved.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhanchi.models import Check, Document, ExtractedField, FieldValue, PageRef, SubmissionResult
from zhanchi.models.claimed import claimed_documents
from zhanchi.store.schema_pipeline import CheckRow, DocumentRow, FieldRow, PageRow

_PAGE_COLUMNS = ("file", "page", "rotation", "width", "height", "source", "deskew_deg",
                 "flattened", "page_sha256")
_FIELD_COLUMNS = ("value", "confidence", "page", "bbox", "raw")


def _extra(model: PageRef | ExtractedField) -> dict[str, Any]:
    # JSON round trip: the column stores JSON, so keep only what JSON can hold
    extra = model.model_extra or {}
    return json.loads(json.dumps(extra, ensure_ascii=False, default=str)) if extra else {}


def write_documents(s: Session, submission_pk: int, result: SubmissionResult) -> None:
    """Insert the documents with their pages and fields."""
    for index, doc in enumerate(result.documents):
        doc_row = DocumentRow(submission_pk=submission_pk, document_index=index, type=doc.type)
        s.add(doc_row)
        for position, ref in enumerate(doc.pages):
            s.add(PageRow(submission_pk=submission_pk, document_index=index, position=position,
                          extra=_extra(ref), **{c: getattr(ref, c) for c in _PAGE_COLUMNS}))
        s.flush()  # doc_row.id for the fields
        for name, field in doc.fields.items():
            s.add(FieldRow(document_id=doc_row.id, name=name, extra=_extra(field),
                           **{c: getattr(field, c) for c in _FIELD_COLUMNS}))
    s.flush()


def write_checks(s: Session, submission_pk: int, checks: list[Check],
                 policy_version: str | None) -> int:
    """Insert one run of checks (run 1 is the pipeline's); returns the run number."""
    run = (s.scalar(select(func.max(CheckRow.run)).where(
        CheckRow.submission_pk == submission_pk)) or 0) + 1
    if checks:  # one executemany, not a round trip per check (a recheck writes ~25)
        s.execute(insert(CheckRow), [
            {"submission_pk": submission_pk, "run": run, "code": c.code, "status": c.status,
             "message": c.message, "policy_version": policy_version} for c in checks])
    return run


def load_documents(s: Session, submission_pk: int) -> list[Document]:
    """The submission's documents as stored now (a reviewer's edits included)."""
    docs = s.scalars(select(DocumentRow).where(DocumentRow.submission_pk == submission_pk)
                     .order_by(DocumentRow.document_index)).all()
    pages: dict[int, list[PageRef]] = {}
    for p in s.scalars(select(PageRow).where(PageRow.submission_pk == submission_pk)
                       .order_by(PageRow.document_index, PageRow.position)):
        values = {c: getattr(p, c) for c in _PAGE_COLUMNS}
        pages.setdefault(p.document_index, []).append(PageRef(**(p.extra or {}), **values))
    fields: dict[int, dict[str, ExtractedField]] = {}
    doc_ids = [d.id for d in docs]
    if doc_ids:
        for f in s.scalars(select(FieldRow).where(FieldRow.document_id.in_(doc_ids))
                           .order_by(FieldRow.id)):
            values = {c: getattr(f, c) for c in _FIELD_COLUMNS}
            fields.setdefault(f.document_id, {})[f.name] = ExtractedField(
                **(f.extra or {}), **values)
    return [Document.model_validate({"type": d.type, "pages": pages.get(d.document_index, []),
                                     "fields": fields.get(d.id, {})}) for d in docs]


def load_checks(s: Session, submission_pk: int, run: int | None = None) -> tuple[int, list[Check]]:
    """One run of checks (the latest by default) and its run number (0 when none)."""
    if run is None:
        run = s.scalar(select(func.max(CheckRow.run)).where(
            CheckRow.submission_pk == submission_pk)) or 0
    rows = s.scalars(select(CheckRow).where(CheckRow.submission_pk == submission_pk,
                                            CheckRow.run == run).order_by(CheckRow.id))
    return run, [Check(code=r.code, status=r.status, message=r.message)  # type: ignore[arg-type]
                 for r in rows]


def field_value(doc: Document | None, name: str) -> FieldValue | None:
    """A field's value on ``doc``, or None."""
    if doc is None or name not in doc.fields:
        return None
    return doc.fields[name].value


def claimed_certificate(result: SubmissionResult) -> tuple[Document | None, Document | None]:
    """The claimed certificate (the one the letter names) and the letter of a result."""
    return claimed_documents(result.documents)
