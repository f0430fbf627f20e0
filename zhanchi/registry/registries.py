"""The three reference registries of SPEC §4, loaded from ``--registry`` CSVs.

A missing file means "no such reference available" (the registry is ``None`` and the
checks needing it report ``registry_unavailable``); a present but malformed file is a
:class:`~zhanchi.errors.RegistryError` naming file and line. Each registry keeps the
sha256 of its file for the result's ``provenance.registry_sha256``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from zhanchi.registry.csvfile import CsvRow, read_table
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
        return {r.file: r.sha256 for r in present if r is not None}

    def missing(self) -> list[str]:
        pairs = (("agencies.csv", self.agencies), ("certificates.csv", self.certificates),
                 ("claims.csv", self.claims))
        return [name for name, reg in pairs if reg is None]


def load_registries(directory: Path | str | None) -> Registries:
    """Read ``agencies.csv``, ``certificates.csv`` and ``claims.csv`` from ``directory``.

    >>> load_registries(None).missing()
    ['agencies.csv', 'certificates.csv', 'claims.csv']
    """
    if directory is None:
        return Registries()
    root = Path(directory)
    return Registries(
        agencies=_load_agencies(root / "agencies.csv"),
        certificates=_load_certificates(root / "certificates.csv"),
        claims=_load_claims(root / "claims.csv"),
    )


def _load_agencies(path: Path) -> AgencyRegistry | None:
    if not path.is_file():
        return None
    table = read_table(path, AGENCY_COLUMNS)
    return AgencyRegistry([_agency(r) for r in table.rows], table.file, table.sha256)


def _agency(r: CsvRow) -> AgencyRow:
    valid_from, valid_to = r.required_date("valid_from"), r.date("valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise r.fail("valid_to", "earlier than valid_from")
    aliases = tuple(fold(a) for a in r.text("aliases").split("|") if a.strip())
    return AgencyRow(fold(r.text("name", required=True)), fold(r.text("filing_no")),
                     fold(r.text("province", required=True)), valid_from, valid_to, aliases,
                     r.line)


def _load_certificates(path: Path) -> CertificateRegistry | None:
    if not path.is_file():
        return None
    table = read_table(path, CERTIFICATE_COLUMNS)
    rows = []
    for r in table.rows:
        level, issued = r.required_level("level"), r.required_date("issue_date")
        rows.append(CertificateRow(
            norm_number(r.text("certificate_number", required=True)),
            norm_name(r.text("holder_name", required=True)), norm_number(r.text("id_number")),
            fold(r.text("occupation", required=True)), level, issued, fold(r.text("agency")),
            r.line))
    return CertificateRegistry(rows, table.file, table.sha256)


def _load_claims(path: Path) -> ClaimRegistry | None:
    if not path.is_file():
        return None
    table = read_table(path, CLAIM_COLUMNS)
    rows = [
        ClaimRow(norm_number(r.text("certificate_number", required=True)),
                 norm_number(r.text("id_number")), fold(r.text("occupation")),
                 r.level("level"), r.date("paid_date"), r.line)
        for r in table.rows
    ]
    return ClaimRegistry(rows, table.file, table.sha256)
