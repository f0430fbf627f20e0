"""Document types and their layouts, declared as data (``types/``, ``layouts/``).

Everything that lists types, labels fields or groups documents reads it from here:

>>> CERTIFICATE_TYPES
('skill_level_certificate', 'qualification_certificate')
>>> DOC_LABELS["filing_proof"], FIELD_LABELS["exam_city"]
('备案证明', '考试设区市')

A new printed form of an existing type is one file in ``layouts/``; a new type is one
file in ``types/`` plus its required fields in the policy (SPEC §2 lists the types).
"""

from __future__ import annotations

from zhanchi.doctypes.loader import Catalogue, load_catalogue
from zhanchi.doctypes.model import Anchor, DocTypeDef, FieldDef, Keyword, LayoutDef

CATALOGUE: Catalogue = load_catalogue()

DOC_TYPES: tuple[str, ...] = tuple(t.id for t in CATALOGUE.types)
LETTER_TYPES: tuple[str, ...] = CATALOGUE.in_group("letter")
CERTIFICATE_TYPES: tuple[str, ...] = CATALOGUE.in_group("certificate")
PROOF_TYPES: tuple[str, ...] = CATALOGUE.in_group("proof")
# the types the checks judge (every claim document; "other" pages never are)
CHECKED_TYPES: tuple[str, ...] = CATALOGUE.in_group("letter", "certificate", "proof")
GROUPS: dict[str, str] = {t.id: t.group for t in CATALOGUE.types if t.group != "other"}
DOC_LABELS: dict[str, str] = {t.id: t.label for t in CATALOGUE.types}
FIELD_LABELS: dict[str, str] = {f.name: f.label for t in CATALOGUE.types for f in t.fields}
FIELD_ORDER: dict[str, tuple[str, ...]] = {t.id: t.field_names for t in CATALOGUE.types}

__all__ = [
    "CATALOGUE", "CERTIFICATE_TYPES", "CHECKED_TYPES", "DOC_LABELS", "DOC_TYPES", "FIELD_LABELS",
    "FIELD_ORDER", "GROUPS", "LETTER_TYPES", "PROOF_TYPES", "Anchor", "Catalogue", "DocTypeDef",
    "FieldDef", "Keyword", "LayoutDef", "load_catalogue",
]
