"""Which certificate a packet claims: the one rule every caller imports.

SPEC §1: one claim per submission, "one commitment letter and the one certificate it
names". The letter judged is the first one; the certificate is the one whose number
the letter names, else the first certificate. The claimed certificate number is that
certificate's, else (no certificate) the letter's. The checks (``Packet``), the store
(duplicate lookups, recorded claims, the export) and the batch (announcing a number
to concurrent runs) all use these functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhanchi.doctypes import CERTIFICATE_TYPES, LETTER_TYPES
from zhanchi.models.documents import Document
from zhanchi.registry.text import norm_number

__all__ = ["CERTIFICATE_TYPES", "LETTER_TYPES", "certificate_number", "claimed_documents"]


def certificate_number(doc: Document | None) -> str | None:
    """The document's ``certificate_number`` in normal form (None when absent or empty)."""
    if doc is None or "certificate_number" not in doc.fields:
        return None
    value = doc.fields["certificate_number"].value
    if not isinstance(value, str) or not value.strip():
        return None
    return norm_number(value) or None


def claimed_documents(documents: Sequence[Document]) -> tuple[Document | None, Document | None]:
    """(the claimed certificate, the letter): the certificate the first letter names.

    >>> from zhanchi.models import ExtractedField
    >>> def doc(t, n): return Document(type=t, pages=[], fields={
    ...     "certificate_number": ExtractedField(value=n, confidence=1.0)})
    >>> cert, letter = claimed_documents([doc("skill_level_certificate", "A1"),
    ...     doc("skill_level_certificate", "B2"), doc("commitment_letter", "b2")])
    >>> certificate_number(cert), certificate_number(letter)
    ('B2', 'B2')
    """
    letter = next((d for d in documents if d.type in LETTER_TYPES), None)
    certificates = [d for d in documents if d.type in CERTIFICATE_TYPES]
    named = certificate_number(letter)
    for cert in certificates:
        if named is not None and certificate_number(cert) == named:
            return cert, letter
    return (certificates[0] if certificates else None), letter


def claimed_number(documents: Sequence[Document]) -> str | None:
    """The certificate number the packet claims: its claimed certificate's, else the letter's."""
    cert, letter = claimed_documents(documents)
    return certificate_number(cert) or certificate_number(letter)
