"""Supplements: a new packet for a case that waits for more documents joins that case.

The pipeline calls :func:`link_supplement` after it saved a result. When the packet
claims the same certificate as a case in ``waiting`` and names the same applicant, it
is linked to that case, and the case goes back to the queue, where the reviewer sees
both packets. Link and recheck are one case transition (``waiting`` → ``done``): the
case's checks are re-run on the combined documents in the same transaction when
:class:`~zhanchi.pipeline.inputs.RecheckInputs` are passed, else when the case is
next opened.
"""

from __future__ import annotations

from zhanchi.doctypes import CERTIFICATE_TYPES
from zhanchi.models import Document
from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.pipeline.recheck import recheck_in
from zhanchi.registry.text import norm_name, norm_number
from zhanchi.store import Store
from zhanchi.store.case_state import CaseClosedError
from zhanchi.store.schema import STATUS_WAITING


def _identity(documents: list[Document]) -> tuple[str | None, str | None]:
    """The applicant's ID number (certificate) and name (certificate holder, else signer)."""
    id_number = name = None
    for doc in documents:
        fields = doc.fields
        if doc.type in CERTIFICATE_TYPES:
            if id_number is None and "id_number" in fields:
                id_number = norm_number(str(fields["id_number"].value)) or None
            if name is None and "holder_name" in fields:
                name = norm_name(str(fields["holder_name"].value)) or None
    for doc in documents:
        if name is None and doc.type == "commitment_letter" and "signer_name" in doc.fields:
            name = norm_name(str(doc.fields["signer_name"].value)) or None
    return id_number, name


def same_applicant(a: list[Document], b: list[Document]) -> bool:
    """No contradiction on who applies: ID numbers agree when both carry one, and the
    names agree when both carry one (and no ID number decided it)."""
    id_a, name_a = _identity(a)
    id_b, name_b = _identity(b)
    if id_a and id_b:
        return id_a == id_b
    if name_a and name_b:
        return name_a == name_b
    return True


def find_waiting_case(store: Store, submission_pk: int) -> int | None:
    """The newest waiting case the packet supplements (same certificate and applicant)."""
    candidates = store.waiting_cases_for(submission_pk)
    if not candidates:
        return None
    mine = store.documents(submission_pk)
    for pk in candidates:
        if same_applicant(mine, store.documents(pk)):
            return pk
    return None


def link_supplement(store: Store, submission_pk: int, *, inputs: RecheckInputs | None = None,
                    actor: str = "pipeline") -> int | None:
    """Link a just-saved packet to the waiting case it supplements; returns the case's pk.

    Safe to call for every saved packet: it does nothing (returns None) when no case
    waits for it, or the case stopped waiting meanwhile.
    """
    case_pk = find_waiting_case(store, submission_pk)
    if case_pk is None or case_pk == submission_pk:
        return None
    try:
        with store.case_change(case_pk, actor=actor, states=(STATUS_WAITING,),
                               operation="link_supplement") as tx:
            tx.link_supplement(submission_pk)
            if inputs is not None:
                recheck_in(tx, inputs, kind="review.recheck", after="supplement")
    except CaseClosedError:
        return None
    return case_pk
