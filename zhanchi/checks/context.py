"""What a check may look at, and the words its messages use.

Checks are pure functions ``(Packet, CheckContext) -> Check``. Everything they need
arrives here: the policy version, the registries, the reference lists, the pages that
could not be read, and a lookup of other submissions claiming a certificate number;
field access is typed (None when absent or not in its SPEC §5 normal form). Messages
name the field (Chinese label and SPEC name) and the values involved; ID numbers are
masked, the full number is in the document's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from zhanchi.doctypes import CERTIFICATE_TYPES, DOC_LABELS, FIELD_LABELS, LETTER_TYPES, PROOF_TYPES
from zhanchi.models import Check, CheckStatus, Document
from zhanchi.models.claimed import claimed_documents
from zhanchi.policy import Policy
from zhanchi.registry import Reference, Registries, load_reference
from zhanchi.registry.text import fold, norm_label, norm_name, norm_number

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _no_other_claims(certificate_number: str) -> list[str]:
    return []


@dataclass(frozen=True)
class CheckContext:
    """The run-wide inputs of every check.

    ``unreadable`` holds one message per file or page that could not be read (they
    become ``unreadable_page``); ``other_claims(number)`` returns the ids of *other*
    submissions in the store claiming that certificate number.
    """

    as_of: date
    policy: Policy
    registries: Registries
    unreadable: list[str] = field(default_factory=list)
    other_claims: Callable[[str], list[str]] = _no_other_claims
    reference: Reference = field(default_factory=load_reference)


class Packet:
    """One submission's documents, grouped, with the letter and certificate to judge.

    When a submission holds several letters or certificates (``multiple_claims``),
    the first letter is judged, and the certificate whose number the letter names
    (else the first one).
    """

    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.letters = [d for d in documents if d.type in LETTER_TYPES]
        self.certificates = [d for d in documents if d.type in CERTIFICATE_TYPES]
        self.proofs = [d for d in documents if d.type in PROOF_TYPES]
        self.letter = self.letters[0] if self.letters else None
        self.certificate = self._pick_certificate()

    def _pick_certificate(self) -> Document | None:
        return claimed_documents(self.documents)[0]  # the one claimed-certificate rule

    @property
    def claimed(self) -> Document | None:
        """The certificate, or the letter when there is none (SPEC: "the letter's …")."""
        return self.certificate or self.letter


# ---- typed field access: None when absent or not in its SPEC §5 normal form ----

def raw(doc: Document | None, name: str) -> object | None:
    if doc is None or name not in doc.fields:
        return None
    value = doc.fields[name].value
    return None if isinstance(value, str) and not value.strip() else value


def illegible(doc: Document | None, name: str) -> bool:
    """The field's place holds ink the extractor could not read (found, not missing).

    A value typed in since (a reviewer's correction) makes it an ordinary field again.
    """
    if doc is None or name not in doc.fields or raw(doc, name) is not None:
        return False
    return bool((doc.fields[name].model_extra or {}).get("illegible"))


def text(doc: Document | None, name: str) -> str | None:
    value = raw(doc, name)
    return fold(value) if isinstance(value, str) else None


def as_read(doc: Document | None, field_name: str) -> str | None:
    """The text as read (``raw``) when the extractor kept it, else the value.

    Extractors may snap a noisy name to a known one by plain similarity; a check that
    must tell near-miss names apart (agencies) judges what was actually printed.
    """
    value = text(doc, field_name)
    if doc is None or value is None:
        return None
    read = doc.fields[field_name].raw
    return fold(read) if read and read.strip() else value


def name(doc: Document | None, field_name: str) -> str | None:
    value = raw(doc, field_name)
    return norm_name(value) if isinstance(value, str) else None


def label(doc: Document | None, field_name: str) -> str | None:
    value = raw(doc, field_name)
    return (norm_label(value) or None) if isinstance(value, str) else None


def number(doc: Document | None, field_name: str) -> str | None:
    value = raw(doc, field_name)
    return (norm_number(value) or None) if isinstance(value, str) else None


def day(doc: Document | None, field_name: str) -> date | None:
    value = raw(doc, field_name)
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def level(doc: Document | None, field_name: str = "level") -> int | None:
    value = raw(doc, field_name)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 5 else None
    if isinstance(value, str) and value.strip() in {"1", "2", "3", "4", "5"}:
        return int(value.strip())
    return None


def flag(doc: Document | None, field_name: str) -> bool | None:
    value = raw(doc, field_name)
    return value if isinstance(value, bool) else None


DATE_FIELDS = frozenset({"exam_date", "sign_date", "issue_date"})
FLAG_FIELDS = frozenset({"has_signature", "has_fingerprint"})


NUMBER_FIELDS = frozenset({"certificate_number", "id_number"})
NAME_FIELDS = frozenset({"signer_name", "holder_name"})


def usable(doc: Document, field_name: str) -> bool:
    """True if the field is present *and* in its normal form (else it counts as missing).

    A text that normalises to nothing (only punctuation) is not a value either.
    """
    if raw(doc, field_name) is None:
        return False
    if field_name in DATE_FIELDS:
        return day(doc, field_name) is not None
    if field_name == "level":
        return level(doc) is not None
    if field_name in FLAG_FIELDS:
        return flag(doc, field_name) is not None
    if field_name in NUMBER_FIELDS:
        return number(doc, field_name) is not None
    if field_name in NAME_FIELDS:
        return bool(name(doc, field_name))
    return label(doc, field_name) is not None


def result(code: str, status: CheckStatus, message: str) -> Check:
    return Check(code=code, status=status, message=message)


def canonical_occupation(value: str, policy: Policy) -> str:
    """Occupations compare by name, old names mapped to current ones (维修电工 → 电工).

    >>> from zhanchi.policy import load_policy
    >>> canonical_occupation("维修 电工", load_policy(date(2021, 1, 1)))
    '电工'
    """
    key = norm_label(value)
    for old, new in policy.occupations.aliases.items():
        if norm_label(old) == key:
            return norm_label(new)
    return key


def occupation(doc: Document | None, policy: Policy) -> str | None:
    value = raw(doc, "occupation")
    return (canonical_occupation(value, policy) or None) if isinstance(value, str) else None


# ---- the words of the messages reviewers read (document and field labels: doctypes) ----

LEVEL_LABELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}


def doc_label(doc: Document | None) -> str:
    return DOC_LABELS.get(doc.type, doc.type) if doc is not None else "证书"


def field_label(name: str) -> str:
    """``考试日期(exam_date)``: Chinese for the reviewer, the SPEC name for tracing."""
    return f"{FIELD_LABELS.get(name, name)}({name})"


def level_label(level: int) -> str:
    return f"{level}（{LEVEL_LABELS.get(level, '?')}）"


def mask_id(id_number: str) -> str:
    """Keep the address code and the last four characters: enough to tell two apart.

    >>> mask_id("36010219900101123X")
    '360102********123X'
    """
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def joined(items: list[str]) -> str:
    return "；".join(items)
