"""Imported registries (``zhanchi registry import``): store a CSV's rows, read the newest.

The caller (the checks' registry loader) reads and validates the CSV; the store keeps
its rows verbatim with their line numbers and the file's SHA-256, so a scheduled run
without a ``--registry`` folder decides from the same data and names the same hash in
its provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select

from zhanchi.store.chain import append_event
from zhanchi.store.core import StoreCore
from zhanchi.store.schema_registry import (
    REGISTRY_COLUMNS,
    REGISTRY_KINDS,
    REGISTRY_TABLES,
    RegistryImportRow,
)


@dataclass(frozen=True)
class RegistrySnapshot:
    """The registry of one kind in force: its file, hash, and rows as (line, values)."""

    import_id: int
    kind: str
    file_name: str
    file_sha256: str
    imported_at: datetime
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _check_kind(kind: str) -> tuple[str, ...]:
    if kind not in REGISTRY_KINDS:
        raise ValueError(f"registry kind must be one of {REGISTRY_KINDS}, not {kind!r}")
    return REGISTRY_COLUMNS[kind]


class RegistryMixin(StoreCore):
    """Registry imports."""

    def import_registry(self, kind: str, file_name: str, file_sha256: str,
                        rows: Iterable[tuple[int, Mapping[str, str]]], *, actor: str) -> int:
        """Store one registry file's rows ``(line, {column: text})``; returns the import id.

        The newest import of a kind replaces the older ones for :meth:`latest_registry`;
        older imports stay for the audit trail.
        """
        columns = _check_kind(kind)
        values = [{"line": line, **{c: str(row.get(c) or "") for c in columns}}
                  for line, row in rows]
        with self.transaction("import_registry") as s:
            imp = RegistryImportRow(kind=kind, file_name=file_name, file_sha256=file_sha256,
                                    row_count=len(values), actor=actor)
            s.add(imp)
            s.flush()
            if values:
                s.execute(insert(REGISTRY_TABLES[kind]), [{"import_id": imp.id, **v}
                                                          for v in values])
            append_event(s, "registry.import", actor, {
                "kind": kind, "file_name": file_name, "file_sha256": file_sha256,
                "rows": len(values), "import_id": imp.id})
            return imp.id

    def latest_registry(self, kind: str) -> RegistrySnapshot | None:
        """The newest import of ``kind`` with its rows in line order, or None."""
        columns = _check_kind(kind)
        table = REGISTRY_TABLES[kind]
        with self.reader("latest_registry") as s:
            imp = s.scalars(select(RegistryImportRow).where(RegistryImportRow.kind == kind)
                            .order_by(RegistryImportRow.imported_at.desc(),
                                      RegistryImportRow.id.desc()).limit(1)).one_or_none()
            if imp is None:
                return None
            cols = table.__table__.c
            result = s.execute(select(table.__table__).where(cols.import_id == imp.id)
                               .order_by(cols.line))
            rows = [(r.line, {c: getattr(r, c) for c in columns}) for r in result]
            return RegistrySnapshot(imp.id, kind, imp.file_name, imp.file_sha256,
                                    imp.imported_at, rows)
