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
    build_registry,
    load_registries,
    read_registry_file,
)

__all__ = [
    "AgencyRegistry", "AgencyRow", "CertificateRegistry", "CertificateRow", "ClaimRegistry",
    "ClaimRow", "Division", "Reference", "Registries", "build_registry", "load_reference",
    "load_registries", "read_registry_file",
]
