"""Reference registries (SPEC §4 CSVs) and the reference lists shipped with the package."""

from zhanchi.registry.reference import Division, Reference, load_reference
from zhanchi.registry.registries import (
    AgencyRegistry,
    AgencyRow,
    CertificateRegistry,
    CertificateRow,
    ClaimRegistry,
    ClaimRow,
    Registries,
    load_registries,
)

__all__ = [
    "AgencyRegistry", "AgencyRow", "CertificateRegistry", "CertificateRow", "ClaimRegistry",
    "ClaimRow", "Division", "Reference", "Registries", "load_reference", "load_registries",
]
