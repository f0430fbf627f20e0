"""Strict reading of one registry CSV: header, field count, dates and levels, by line.

A registry that is present but malformed must stop the run before any packet is
judged against it (SPEC §6 ``registry_unavailable``), so every problem becomes a
:class:`~zhanchi.errors.RegistryError` naming the file and the line. Messages name
columns, never cell values: registries hold names and ID numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from zhanchi.errors import RegistryError

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its physical line number and its cells by column name."""

    file: str
    line: int
    cells: dict[str, str]

    def fail(self, column: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.file}: line {self.line}: column {column}: {problem}")

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.cells[column].strip()
        if required and not value:
            raise self.fail(column, "empty")
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.text(column)
        return parse_iso_date(value, lambda p: self.fail(column, p)) if value else None

    def required_date(self, column: str) -> dt.date:
        return parse_iso_date(self.text(column, required=True), lambda p: self.fail(column, p))

    def level(self, column: str) -> int | None:
        value = self.text(column)
        return self.required_level(column) if value else None

    def required_level(self, column: str) -> int:
        value = self.text(column, required=True)
        if value not in {"1", "2", "3", "4", "5"}:
            raise self.fail(column, "level must be an integer 1-5")
        return int(value)


def parse_iso_date(value: str, make: Callable[[str], Exception]) -> date:
    """``YYYY-MM-DD`` only (``date.fromisoformat`` would also take ``20200815``)."""
    if not _ISO_DATE.match(value):
        raise make("date must be YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise make("not a calendar date") from None


@dataclass(frozen=True)
class CsvTable:
    """A registry file read and checked for shape; ``sha256`` is of the raw bytes."""

    file: str
    sha256: str
    rows: list[CsvRow]


def read_table(path: Path, columns: tuple[str, ...]) -> CsvTable:
    """Read ``path`` as UTF-8 CSV with a header holding every name in ``columns``.

    Extra columns are allowed (kept in ``cells``); blank lines are ignored. Any row
    whose field count differs from the header's is an error naming its line.
    """
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{name}: cannot be read ({exc.__class__.__name__})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegistryError(f"{name}: line {line}: not valid UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, name)
    header_line, header = next(rows, (1, []))
    header = [h.strip() for h in header]
    if not any(header):
        raise RegistryError(f"{name}: line 1: header row is empty")
    missing = [c for c in columns if c not in header]
    if missing:
        raise RegistryError(f"{name}: line {header_line}: missing column(s) {', '.join(missing)}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise RegistryError(f"{name}: line {header_line}: duplicate column(s) {', '.join(dupes)}")
    out: list[CsvRow] = []
    for line, fields in rows:
        if len(fields) != len(header):
            raise RegistryError(
                f"{name}: line {line}: expected {len(header)} fields, found {len(fields)}"
            )
        out.append(CsvRow(name, line, dict(zip(header, fields, strict=True))))
    return CsvTable(name, hashlib.sha256(raw).hexdigest(), out)


def _rows(reader: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line of the row, fields), skipping blank lines."""
    line = 1
    while True:
        start = line
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RegistryError(f"{name}: line {start}: malformed CSV ({exc})") from None
        line = reader.line_num + 1
        if not any(f.strip() for f in fields):  # blank line (or only separators)
            continue
        yield start, fields
