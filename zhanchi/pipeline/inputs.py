"""What a recheck judges a stored case with: its as-of date, policy and registries.

- as-of: the override given (``--as-of``), else the date of the case's batch;
- policy: with an override, the version in force on it; else the version that
  decided the packet (when this zhanchi still ships it), else the one in force on
  the batch's date;
- registries: given ones, else ``registry_dir``'s CSVs (read once), else the newest
  ``zhanchi registry import`` of each kind (re-read when a newer import appears).
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from zhanchi.policy import Policy, load_policies, load_policy
from zhanchi.registry import Registries, build_registry, load_registries
from zhanchi.registry.registries import AgencyRegistry, CertificateRegistry, ClaimRegistry
from zhanchi.store import Store
from zhanchi.store.aliases import registries_with_accepted_aliases

KINDS = ("agencies", "certificates", "claims")


def imported_registries(store: Store) -> Registries:
    """The newest ``zhanchi registry import`` of each kind (missing kinds stay None)."""
    found = {}
    for kind in KINDS:
        snap = store.latest_registry(kind)
        if snap is not None:
            found[kind] = build_registry(kind, snap.file_name, snap.file_sha256, snap.rows)
    agencies, certificates, claims = (found.get(k) for k in KINDS)
    return Registries(agencies if isinstance(agencies, AgencyRegistry) else None,
                      certificates if isinstance(certificates, CertificateRegistry) else None,
                      claims if isinstance(claims, ClaimRegistry) else None)


class RecheckInputs:
    """As-of date, policy and registries for rechecking the cases of one store."""

    def __init__(self, store: Store, registry_dir: Path | None = None,
                 as_of: date | None = None, registries: Registries | None = None) -> None:
        self.store = store
        self.registry_dir = registry_dir
        self.as_of_override = as_of
        self._lock = threading.Lock()
        self._given = registries
        self._imported: tuple[tuple[int, ...], Registries] | None = None
        self._policies: list[Policy] | None = None

    def as_of(self, pk: int) -> date:
        """The date that counted as today when the pipeline decided this packet."""
        if self.as_of_override is not None:
            return self.as_of_override
        text = self.store.batch_as_of(pk)
        try:
            return date.fromisoformat(text) if text else date.today()
        except ValueError:
            return date.today()

    def policy(self, pk: int) -> Policy:
        """The policy to judge the packet by (see the module's docstring)."""
        if self.as_of_override is not None:
            return load_policy(self.as_of_override)
        version = self.store.decided_policy_version(pk)
        if self._policies is None:
            self._policies = load_policies()  # the packaged file: read once per process
        for policy in self._policies:
            if version and policy.version == version:
                return policy
        return load_policy(self.as_of(pk))

    def registries(self) -> Registries:
        """Given, ``registry_dir``'s (read once), else the newest imports; with the
        accepted agency aliases either way."""
        return registries_with_accepted_aliases(self.store, self._base_registries())

    def _base_registries(self) -> Registries:
        with self._lock:
            if self._given is None and self.registry_dir is not None:
                self._given = load_registries(self.registry_dir)
            if self._given is not None:
                return self._given
            ids = self.store.newest_registry_import_ids(KINDS)
            if self._imported is None or self._imported[0] != ids:
                self._imported = (ids, imported_registries(self.store))
            return self._imported[1]

    def has_registries(self) -> bool:
        """False when rechecks would report ``registry_unavailable`` for every packet."""
        return len(self.registries().missing()) < 3
