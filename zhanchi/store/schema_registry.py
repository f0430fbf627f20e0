"""Tables of imported reference registries (``zhanchi registry import``, SPEC §4).

Values are kept as the CSV text (one column per CSV column, plus the CSV line number),
so the checks validate an imported registry with the same code as a CSV file and an
error can still name the file and line. Each import is kept; the newest per kind is
the one in force, and its file hash goes into a result's provenance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow

REGISTRY_KINDS = ("agencies", "certificates", "claims")


class RegistryImportRow(Base):
    """One imported registry file."""

    __tablename__ = "registry_imports"
    __table_args__ = (Index("ix_registry_imports_kind_time", "kind", "imported_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # agencies | certificates | claims
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegistryAgencyRow(Base):
    """A row of agencies.csv."""

    __tablename__ = "registry_agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("registry_imports.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    filing_no: Mapped[str] = mapped_column(Text)
    province: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[str] = mapped_column(Text)
    valid_to: Mapped[str] = mapped_column(Text)
    aliases: Mapped[str] = mapped_column(Text)


class RegistryCertificateRow(Base):
    """A row of certificates.csv (获证人员信息: personal data, stays in the store)."""

    __tablename__ = "registry_certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("registry_imports.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int] = mapped_column(Integer)
    certificate_number: Mapped[str] = mapped_column(String(64), index=True)
    holder_name: Mapped[str] = mapped_column(Text)
    id_number: Mapped[str] = mapped_column(Text)
    occupation: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text)
    issue_date: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(Text)


class RegistryClaimRow(Base):
    """A row of claims.csv (subsidies already paid)."""

    __tablename__ = "registry_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("registry_imports.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int] = mapped_column(Integer)
    certificate_number: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str] = mapped_column(String(32), index=True)
    occupation: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text)
    paid_date: Mapped[str] = mapped_column(Text)


REGISTRY_TABLES: dict[str, type[Base]] = {
    "agencies": RegistryAgencyRow,
    "certificates": RegistryCertificateRow,
    "claims": RegistryClaimRow,
}
REGISTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": ("name", "filing_no", "province", "valid_from", "valid_to", "aliases"),
    "certificates": (
        "certificate_number", "holder_name", "id_number", "occupation", "level",
        "issue_date", "agency",
    ),
    "claims": ("certificate_number", "id_number", "occupation", "level", "paid_date"),
}
