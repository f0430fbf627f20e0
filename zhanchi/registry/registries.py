"""The three reference registries of SPEC §4, loaded from ``--registry`` CSVs.

A missing file means "no such reference available" (the registry is ``None`` and the
checks needing it report ``registry_unavailable``); a present but malformed file is a
:class:`~zhanchi.errors.RegistryError` naming file and line. Each registry keeps the
sha256 of its file for the result's ``provenance.registry_sha256``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from zhanchi.errors import RegistryError
from zhanchi.registry.csvfile import CsvRow, CsvTable, read_table
from zhanchi.registry.text import fold, norm_name, norm_number

AGENCY_COLUMNS = ("name", "filing_no", "province", "valid_from", "valid_to", "aliases")
CERTIFICATE_COLUMNS = (
    "certificate_number", "holder_name", "id_number", "occupation", "level", "issue_date", "agency",
)
CLAIM_COLUMNS = ("certificate_number", "id_number", "occupation", "level", "paid_date")


@dataclass(frozen=True)
class AgencyRow:
    """An assessment agency filed (备案) with a Jiangxi HRSS department."""

    name: str
    filing_no: str
    province: str
    valid_from: date
    valid_to: date | None  # None: still valid
    aliases: tuple[str, ...] = ()
    line: int = 0

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class CertificateRow:
    """A certified person as reported by an assessment agency (获证人员信息)."""

    certificate_number: str
    holder_name: str
    id_number: str  # "" when the agency did not report one
    occupation: str
    level: int
    issue_date: date
    agency: str = ""
    line: int = 0


@dataclass(frozen=True)
class ClaimRow:
    """A subsidy already paid."""

    certificate_number: str
    id_number: str
    occupation: str
    level: int | None
    paid_date: date | None
    line: int = 0


@dataclass
class AgencyRegistry:
    """agencies.csv: every filed agency, one row per filing period."""

    rows: list[AgencyRow]
    file: str = "agencies.csv"
    sha256: str = ""
    # accepted reviewer aliases laid over the file (zhanchi.registry.aliases), and their hash
    aliases_file: str = ""
    aliases_sha256: str = ""


@dataclass
class CertificateRegistry:
    """certificates.csv, indexed by normalised certificate number."""

    rows: list[CertificateRow]
    file: str = "certificates.csv"
    sha256: str = ""
    _by_number: dict[str, list[CertificateRow]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[CertificateRow]] = defaultdict(list)
        for row in self.rows:
            index[row.certificate_number].append(row)
        self._by_number = dict(index)

    def lookup(self, number: str) -> list[CertificateRow]:
        """Rows for this number (several when an agency reported it twice)."""
        return self._by_number.get(norm_number(number), [])


@dataclass
class ClaimRegistry:
    """claims.csv, indexed by certificate number and by ID number."""

    rows: list[ClaimRow]
    file: str = "claims.csv"
    sha256: str = ""
    _by_number: dict[str, list[ClaimRow]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, list[ClaimRow]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_number: dict[str, list[ClaimRow]] = defaultdict(list)
        by_id: dict[str, list[ClaimRow]] = defaultdict(list)
        for row in self.rows:
            by_number[row.certificate_number].append(row)
            if row.id_number:
                by_id[row.id_number].append(row)
        self._by_number, self._by_id = dict(by_number), dict(by_id)

    def by_number(self, number: str) -> list[ClaimRow]:
        return self._by_number.get(norm_number(number), [])

    def by_id_number(self, id_number: str) -> list[ClaimRow]:
        return self._by_id.get(norm_number(id_number), [])


@dataclass
class Registries:
    """The registries a run checks against; ``None`` where the file was absent."""

    agencies: AgencyRegistry | None = None
    certificates: CertificateRegistry | None = None
    claims: ClaimRegistry | None = None

    def sha256(self) -> dict[str, str]:
        """``{file name: sha256}`` of the registries present (SPEC §3 provenance)."""
        present = (self.agencies, self.certificates, self.claims)
        out = {r.file: r.sha256 for r in present if r is not None}
        if self.agencies is not None and self.agencies.aliases_file:
            out[self.agencies.aliases_file] = self.agencies.aliases_sha256
        return out

    def agency_names(self) -> list[str]:
        """Every filed agency's name and aliases (the extractors' gazetteer), deduplicated."""
        if self.agencies is None:
            return []
        names = (n for row in self.agencies.rows for n in (row.name, *row.aliases))
        return list(dict.fromkeys(names))

    def missing(self) -> list[str]:
        pairs = (("agencies.csv", self.agencies), ("certificates.csv", self.certificates),
                 ("claims.csv", self.claims))
        return [name for name, reg in pairs if reg is None]


KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": AGENCY_COLUMNS, "certificates": CERTIFICATE_COLUMNS, "claims": CLAIM_COLUMNS,
}
AnyRegistry = AgencyRegistry | CertificateRegistry | ClaimRegistry


def build_registry(kind: str, file: str, sha256: str,
                   rows: Iterable[tuple[int, Mapping[str, str]]]) -> AnyRegistry:
    """Validate ``(line, {column: text})`` rows of one kind into its registry.

    Used for CSV files and for registries imported into the store
    (``zhanchi registry import``), so both are held to the same rules.
    """
    if kind not in KIND_COLUMNS:
        raise ValueError(f"registry kind must be one of {sorted(KIND_COLUMNS)}, not {kind!r}")
    checked: list[CsvRow] = []
    for line, cells in rows:
        missing = [c for c in KIND_COLUMNS[kind] if c not in cells]
        if missing:
            raise RegistryError(f"{file}: line {line}: missing column(s) {', '.join(missing)}")
        checked.append(CsvRow(file, line, {k: str(v or "") for k, v in cells.items()}))
    if kind == "agencies":
        return AgencyRegistry([_agency(r) for r in checked], file, sha256)
    if kind == "certificates":
        return CertificateRegistry([_certificate(r) for r in checked], file, sha256)
    return ClaimRegistry([_claim(r) for r in checked], file, sha256)


def read_registry_file(path: Path, kind: str) -> tuple[AnyRegistry, CsvTable]:
    """Read and validate one registry CSV; also returns the raw table (for store imports)."""
    table = read_table(path, KIND_COLUMNS[kind])
    registry = build_registry(kind, table.file, table.sha256,
                              ((r.line, r.cells) for r in table.rows))
    return registry, table


def load_registries(directory: Path | str | None) -> Registries:
    """Read ``agencies.csv``, ``certificates.csv`` and ``claims.csv`` from ``directory``.

    >>> load_registries(None).missing()
    ['agencies.csv', 'certificates.csv', 'claims.csv']
    """
    if directory is None:
        return Registries()
    root = Path(directory)
    found: dict[str, AnyRegistry] = {}
    for kind in KIND_COLUMNS:
        path = root / f"{kind}.csv"
        if path.is_file():
            found[kind] = read_registry_file(path, kind)[0]
    agencies, certificates, claims = (found.get(k) for k in KIND_COLUMNS)
    return Registries(agencies if isinstance(agencies, AgencyRegistry) else None,
                      certificates if isinstance(certificates, CertificateRegistry) else None,
                      claims if isinstance(claims, ClaimRegistry) else None)


def _agency(r: CsvRow) -> AgencyRow:
    valid_from, valid_to = r.required_date("valid_from"), r.date("valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise r.fail("valid_to", "earlier than valid_from")
    aliases = tuple(fold(a) for a in r.text("aliases").split("|") if a.strip())
    return AgencyRow(fold(r.text("name", required=True)), fold(r.text("filing_no")),
                     fold(r.text("province", required=True)), valid_from, valid_to, aliases,
                     r.line)


def _certificate(r: CsvRow) -> CertificateRow:
    return CertificateRow(
        norm_number(r.text("certificate_number", required=True)),
        norm_name(r.text("holder_name", required=True)), norm_number(r.text("id_number")),
        fold(r.text("occupation", required=True)), r.required_level("level"),
        r.required_date("issue_date"), fold(r.text("agency")), r.line)


def _claim(r: CsvRow) -> ClaimRow:
    return ClaimRow(norm_number(r.text("certificate_number", required=True)),
                    norm_number(r.text("id_number")), fold(r.text("occupation")),
                    r.level("level"), r.date("paid_date"), r.line)
