"""Re-running the checks of a case after a reviewer's edit or a supplement.

The checks are the pipeline's own (:func:`zhanchi.checks.run_checks`), with the same
policy version (the one in force on the batch's ``--as-of`` date) and the registries
of ``zhanchi review --registry DIR`` or, without it, the newest ``zhanchi registry
import`` tables. Two things cannot be recomputed from fields and are carried over:
pages that could not be read stay unreadable, and the packets of the case itself
(the waiting one and its supplements) are never each other's duplicates.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from zhanchi.checks import CheckContext, run_checks
from zhanchi.models import Check, Document
from zhanchi.policy import Policy, load_policies, load_policy
from zhanchi.registry import Registries, build_registry, load_registries
from zhanchi.registry.registries import AgencyRegistry, CertificateRegistry, ClaimRegistry
from zhanchi.store.aliases import registries_with_accepted_aliases
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema import BatchRow, RegistryImportRow, SubmissionRow

CERTIFICATE_TYPES = ("skill_level_certificate", "qualification_certificate")
_GROUPS = {"commitment_letter": "letter", "skill_level_certificate": "certificate",
           "qualification_certificate": "certificate", "filing_proof": "proof"}


@dataclass(frozen=True)
class Part:
    """One packet of a case: the case's own (first) or a supplement linked into it."""

    pk: int
    submission_id: str
    revision: int
    content_sha256: str
    documents: list[Document]


def checked_documents(parts: list[Part]) -> list[Document]:
    """The documents the checks judge: per kind (letter, certificate, proof) the newest
    packet's documents replace the older ones; other pages are kept from every packet.

    A supplement is sent because something was missing or wrong, so what it brings
    supersedes what the waiting packet had of the same kind.
    """
    chosen: dict[str, list[Document]] = {}
    for part in reversed(parts):
        groups: dict[str, list[Document]] = {}
        for doc in part.documents:
            if doc.type in _GROUPS:
                groups.setdefault(_GROUPS[doc.type], []).append(doc)
        for group, docs in groups.items():
            chosen.setdefault(group, docs)
    others = [d for part in parts for d in part.documents if d.type not in _GROUPS]
    return [*chosen.get("letter", []), *chosen.get("certificate", []),
            *chosen.get("proof", []), *others]


class Rechecker:
    """Policy, registries and ``as_of`` for a case, and the check run after a change."""

    def __init__(self, store: ReviewStore, registry_dir: Path | None = None,
                 as_of: date | None = None) -> None:
        self.store = store
        self.registry_dir = registry_dir
        self.as_of_override = as_of
        self._lock = threading.Lock()
        self._file_registries: Registries | None = None
        self._imported: tuple[tuple[int, ...], Registries] | None = None
        self._policies: list[Policy] | None = None

    # -- inputs --------------------------------------------------------------------

    def as_of(self, pk: int) -> date:
        """The date that counted as today when the pipeline decided this packet."""
        if self.as_of_override is not None:
            return self.as_of_override
        with self.store.reader("review_as_of") as s:
            text = s.scalar(select(BatchRow.as_of).join(
                SubmissionRow, SubmissionRow.batch_id == BatchRow.id).where(SubmissionRow.pk == pk))
        try:
            return date.fromisoformat(text) if text else date.today()
        except ValueError:
            return date.today()

    def policy(self, pk: int) -> Policy:
        """The policy version that decided the packet, else the one in force on its as-of."""
        with self.store.reader("review_policy") as s:
            version = s.scalar(select(SubmissionRow.policy_version).where(SubmissionRow.pk == pk))
        if self._policies is None:
            self._policies = load_policies()  # the packaged file: read once per process
        for policy in self._policies:
            if version and policy.version == version:
                return policy
        return load_policy(self.as_of(pk))

    def registries(self) -> Registries:
        """``--registry DIR`` (read once), else the newest imports (re-read when they change);
        with the accepted agency aliases either way."""
        with self._lock:
            if self.registry_dir is not None:
                if self._file_registries is None:
                    self._file_registries = load_registries(self.registry_dir)
                base = self._file_registries
            else:
                base = self._imported_registries()
        return registries_with_accepted_aliases(self.store, base)

    def has_registries(self) -> bool:
        """False when rechecks would report ``registry_unavailable`` for every packet."""
        return bool(self.registry_dir) or len(self.registries().missing()) < 3

    def _imported_registries(self) -> Registries:
        with self.store.reader("registry_import_ids") as s:
            ids = tuple(s.scalar(select(RegistryImportRow.id).where(RegistryImportRow.kind == k)
                                 .order_by(RegistryImportRow.imported_at.desc(),
                                           RegistryImportRow.id.desc()).limit(1)) or 0
                        for k in ("agencies", "certificates", "claims"))
        if self._imported is not None and self._imported[0] == ids:
            return self._imported[1]
        found = {}
        for kind in ("agencies", "certificates", "claims"):
            snap = self.store.latest_registry(kind)
            if snap is not None:
                found[kind] = build_registry(kind, snap.file_name, snap.file_sha256, snap.rows)
        agencies, certificates, claims = (found.get(k) for k in ("agencies", "certificates",
                                                                  "claims"))
        registries = Registries(
            agencies if isinstance(agencies, AgencyRegistry) else None,
            certificates if isinstance(certificates, CertificateRegistry) else None,
            claims if isinstance(claims, ClaimRegistry) else None)
        self._imported = (ids, registries)
        return registries

    # -- running -------------------------------------------------------------------

    def checks_for(self, case_pk: int, parts: list[Part]) -> tuple[list[Check], Policy]:
        """Run every check on the case's documents (nothing is stored)."""
        pks = {p.pk for p in parts}
        ids = {p.submission_id for p in parts}
        main = parts[0]

        def other_claims(number: str) -> list[str]:
            others = self.store.other_claims_for_certificate(number, main.content_sha256)
            return sorted({o.submission_id for o in others
                           if o.pk not in pks and o.submission_id not in ids})

        policy = self.policy(case_pk)
        ctx = CheckContext(as_of=self.as_of(case_pk), policy=policy,
                           registries=self.registries(), other_claims=other_claims)
        checks = run_checks(checked_documents(parts), ctx)
        unreadable = self._unreadable(parts)
        if unreadable is not None:
            checks = [unreadable if c.code == "unreadable_page" else c for c in checks]
        return checks, policy

    def recheck(self, case_pk: int, parts: list[Part], *, actor: str, after: str) -> int:
        """Run the checks and record them as the case's newest run; returns the run number."""
        checks, policy = self.checks_for(case_pk, parts)
        return self.store.add_check_run(
            case_pk, checks, actor=actor, policy_version=policy.version, kind="review.recheck",
            payload={"after": after, "packets": [p.pk for p in parts]})

    def _unreadable(self, parts: list[Part]) -> Check | None:
        """A failed ``unreadable_page`` of any packet's latest run (editing cannot fix it)."""
        messages: dict[str, None] = {}  # ordered set: carried-over messages are not repeated
        for part in parts:
            _, latest = self.store.checks(part.pk)
            for c in latest:
                if c.code == "unreadable_page" and c.status == "fail":
                    messages.update(dict.fromkeys(c.message.split("；")))
        if not messages:
            return None
        return Check(code="unreadable_page", status="fail", message="；".join(messages))
