"""Independent confirmation of a field read with low confidence.

``low_confidence`` exists because a value read below its threshold may be misread. A
value that equals, in its typed normal form, the same fact from an independent source
cannot be a misread unless both sources are wrong in the same way: the holder's name on
the certificate confirms the signer's name on the letter (and the other way round), the
agency's report (certificates.csv, found by the certificate number) confirms the
certificate's fields, and (where the policy says so) a 职业技能等级证书's issuer (the
organisation that assessed issued it) or a filing proof's agency confirms the letter's
agency and back, compared as read, never as snapped to a filed name. The confirming value must itself be sure: a field of another
document read at or above its own threshold, or a registry row. Whether confirmation
counts is the policy's choice (``confidence.corroboration``).

A value that differs from its counterpart is never confirmed here; whether the
difference is a defect is the business of the mismatch and registry checks.
"""

from __future__ import annotations

from collections.abc import Callable

from zhanchi.checks.context import (
    CheckContext,
    Packet,
    as_read,
    day,
    doc_label,
    level,
    name,
    number,
    occupation,
)
from zhanchi.checks.registry_match import row_value
from zhanchi.models import Document
from zhanchi.registry import CertificateRow
from zhanchi.registry.text import norm_label

# letter field ↔ certificate field: the same fact on both documents
LETTER_TO_CERT = {"signer_name": "holder_name", "certificate_number": "certificate_number",
                  "occupation": "occupation", "level": "level"}
CERT_TO_LETTER = {v: k for k, v in LETTER_TO_CERT.items()}
# certificate field → certificates.csv column; the letter's signer stands for the holder
REGISTRY_COLUMN = {"holder_name": "holder_name", "signer_name": "holder_name",
                   "id_number": "id_number", "occupation": "occupation", "level": "level",
                   "issue_date": "issue_date"}


# where each document names the exam's agency, when the policy says so
# (``confidence.agency_corroboration``): the letter's agency, the organisation that
# issued a 职业技能等级证书 (it assessed), the agency a filing proof is for
AGENCY_FIELD = {"commitment_letter": "agency", "skill_level_certificate": "issuer",
                "filing_proof": "agency"}


def _as_printed(doc: Document | None, field: str) -> str | None:
    value = as_read(doc, field)  # what was read, not a name snapped to a known one
    return (norm_label(value) or None) if value is not None else None


def typed(doc: Document | None, field: str, ctx: CheckContext) -> object | None:
    """The field in the form the checks compare (None when absent or malformed)."""
    getters: dict[str, Callable[[], object | None]] = {
        "agency": lambda: _as_printed(doc, field), "issuer": lambda: _as_printed(doc, field),
        "signer_name": lambda: name(doc, field), "holder_name": lambda: name(doc, field),
        "certificate_number": lambda: number(doc, field), "id_number": lambda: number(doc, field),
        "occupation": lambda: occupation(doc, ctx.policy), "level": lambda: level(doc),
        "issue_date": lambda: day(doc, field),
    }
    get = getters.get(field)
    return get() if get is not None else None


def _sure(doc: Document, field: str, ctx: CheckContext) -> bool:
    f = doc.fields.get(field)
    return f is not None and f.confidence >= ctx.policy.confidence.threshold(doc.type, field)


def _mapping(base: dict[str, str], doc: Document, other: Document,
             ctx: CheckContext) -> dict[str, str]:
    mine, theirs = AGENCY_FIELD.get(doc.type), AGENCY_FIELD.get(other.type)
    if not ctx.policy.confidence.agency_corroboration or mine is None or theirs is None:
        return base
    return base | {mine: theirs}


def _counterparts(p: Packet, doc: Document, ctx: CheckContext
                  ) -> list[tuple[Document, dict[str, str]]]:
    """Other documents of the claim that state the same facts, with the field mapping."""
    if doc.type == "commitment_letter":
        return ([(c, _mapping(LETTER_TO_CERT, doc, c, ctx)) for c in p.certificates]
                + [(f, _mapping({}, doc, f, ctx)) for f in p.proofs])
    if p.letter is not None and (doc in p.certificates or doc in p.proofs):
        return [(p.letter, _mapping(CERT_TO_LETTER if doc in p.certificates else {}, doc,
                                    p.letter, ctx))]
    return []


def _agrees(doc: Document, row: CertificateRow, ctx: CheckContext) -> bool:
    """Some field of ``doc`` read surely equals the row (a number alone proves nothing)."""
    return any(_sure(doc, f, ctx) and typed(doc, f, ctx) == row_value(row, c, ctx)
               for f, c in REGISTRY_COLUMN.items() if f in doc.fields)


def _registry_rows(doc: Document, ctx: CheckContext) -> list[CertificateRow]:
    """The agency's report for the number ``doc`` carries: all rows when that number was
    read surely, else only rows another sure field of ``doc`` agrees with."""
    registry = ctx.registries.certificates
    value = number(doc, "certificate_number")
    if registry is None or value is None:
        return []
    rows = registry.lookup(value)
    if _sure(doc, "certificate_number", ctx):
        return rows
    return [r for r in rows if _agrees(doc, r, ctx)]


def confirmed_by(p: Packet, ctx: CheckContext, doc: Document, field: str) -> str | None:
    """The source that confirms ``doc``'s ``field`` (a document label or the registry
    file), or None when nothing independent states the same value."""
    if not ctx.policy.confidence.corroboration:
        return None
    ours = typed(doc, field, ctx)
    if ours is None:
        return None
    for other, mapping in _counterparts(p, doc, ctx):
        theirs = mapping.get(field)
        if theirs is not None and _sure(other, theirs, ctx) and typed(other, theirs, ctx) == ours:
            return doc_label(other)
    if field == "certificate_number":  # in the report, and the report agrees on someone sure
        registry = ctx.registries.certificates
        rows = registry.lookup(str(ours)) if registry is not None else []
        return "certificates.csv" if any(_agrees(doc, r, ctx) for r in rows) else None
    column = REGISTRY_COLUMN.get(field)
    if column is None:
        return None
    source = doc if doc.type != "commitment_letter" else p.certificate or doc
    for row in _registry_rows(source, ctx):
        if row_value(row, column, ctx) == ours:
            return "certificates.csv"
    return None
