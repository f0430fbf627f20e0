"""Builders for the checks' tests: a clean packet, its registries and a context.

Imported by the other ``test_checks_*`` modules (``from test_checks_samples import …``).
Its own test proves the clean packet passes every check, which every "this defect
fails" test relies on: each defect test changes exactly one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from zhanchi.checks import CheckContext, run_checks
from zhanchi.models import Check, Document, ExtractedField, PageRef
from zhanchi.models.results import REVIEW_REASONS
from zhanchi.policy import Policy, load_policy
from zhanchi.registry import Registries, build_registry

AS_OF = date(2021, 6, 1)
ID_NUMBER = "36010219900101123X"
SKILL_NUMBER = "S000036000001214000123"  # province 36, year 21, level 4
QUAL_NUMBER = "2036010001400123"  # level digit (11th) 4
AGENCY = "南昌市职业技能鉴定中心"
POLICY = load_policy(AS_OF)

_UNSET = object()


def field(value: object, confidence: float = 0.99, raw: str | None = None) -> ExtractedField:
    return ExtractedField(value=value, confidence=confidence, raw=raw)  # type: ignore[arg-type]


def document(doc_type: str, base: Mapping[str, object], **changes: object) -> Document:
    """A document from ``base`` values; ``changes`` override them, ``None`` removes a field.

    A change may also be an ExtractedField (to set confidence or raw).
    """
    values = {**base, **changes}
    fields = {}
    for name, value in values.items():
        if value is None:
            continue
        fields[name] = value if isinstance(value, ExtractedField) else field(value)
    return Document(type=doc_type, pages=[PageRef(file=f"{doc_type}.png", page=1)],  # type: ignore[arg-type]
                    fields=fields)


LETTER = {
    "exam_date": "2021-01-10", "exam_province": "江西省", "exam_city": "南昌市",
    "exam_county": "青山湖区", "agency": AGENCY, "occupation": "电工",
    "certificate_title": "电工四级", "level": 4, "certificate_number": SKILL_NUMBER,
    "signer_name": "张三", "sign_date": "2021-05-20", "has_signature": True,
    "has_fingerprint": True,
}
SKILL_CERT = {
    "holder_name": "张三", "id_number": ID_NUMBER, "occupation": "电工", "level": 4,
    "certificate_number": SKILL_NUMBER, "issuer": AGENCY, "issue_date": "2021-03-01",
}
QUAL_CERT = {
    "holder_name": "张三", "id_number": ID_NUMBER, "occupation": "保安员", "level": 4,
    "certificate_number": QUAL_NUMBER, "issuer": "江西省人力资源和社会保障厅",
    "issue_date": "2021-03-01",
}
PROOF = {"agency": "浙江省职业技能鉴定中心", "province": "浙江省",
         "issuer": "浙江省人力资源和社会保障厅", "issue_date": "2019-05-01"}


def letter(**changes: object) -> Document:
    return document("commitment_letter", LETTER, **changes)


def skill_cert(**changes: object) -> Document:
    return document("skill_level_certificate", SKILL_CERT, **changes)


def qual_cert(**changes: object) -> Document:
    return document("qualification_certificate", QUAL_CERT, **changes)


def proof(**changes: object) -> Document:
    return document("filing_proof", PROOF, **changes)


def agency_row(name: str = AGENCY, **changes: str) -> dict[str, str]:
    row = {"name": name, "filing_no": f"备{abs(hash(name)) % 1000:03d}", "province": "江西省",
           "valid_from": "2019-01-01", "valid_to": "", "aliases": ""}
    return {**row, **changes}


def cert_row(**changes: str) -> dict[str, str]:
    row = {"certificate_number": SKILL_NUMBER, "holder_name": "张三", "id_number": ID_NUMBER,
           "occupation": "电工", "level": "4", "issue_date": "2021-03-01", "agency": AGENCY}
    return {**row, **changes}


def claim_row(**changes: str) -> dict[str, str]:
    row = {"certificate_number": "S000036000001195000001", "id_number": "360102199202290044",
           "occupation": "焊工", "level": "5", "paid_date": "2020-01-01"}
    return {**row, **changes}


def registries(agencies: list[dict[str, str]] | None | object = _UNSET,
               certificates: list[dict[str, str]] | None | object = _UNSET,
               claims: list[dict[str, str]] | None | object = _UNSET) -> Registries:
    """Registries from row dicts; default rows fit the clean packet; ``None``: absent."""
    def build(kind: str, rows: object, default: list[dict[str, str]]) -> object:
        if rows is None:
            return None
        chosen = default if rows is _UNSET else rows
        assert isinstance(chosen, list)
        return build_registry(kind, f"{kind}.csv", f"sha-{kind}",
                              [(i, r) for i, r in enumerate(chosen, start=2)])
    return Registries(
        build("agencies", agencies, [agency_row()]),  # type: ignore[arg-type]
        build("certificates", certificates, [cert_row()]),  # type: ignore[arg-type]
        build("claims", claims, [claim_row()]),  # type: ignore[arg-type]
    )


def context(regs: Registries | None = None, *, as_of: date = AS_OF, unreadable: list[str] | None = None,
            other_claims: Callable[[str], list[str]] | None = None,
            policy: Policy | None = None) -> CheckContext:
    return CheckContext(as_of=as_of, policy=policy or POLICY,
                        registries=regs if regs is not None else registries(),
                        unreadable=unreadable or [],
                        other_claims=other_claims or (lambda n: []))


def clean() -> list[Document]:
    return [letter(), skill_cert()]


def run(documents: list[Document], ctx: CheckContext | None = None) -> dict[str, Check]:
    """Every check by code."""
    return {c.code: c for c in run_checks(documents, ctx or context())}


def statuses(documents: list[Document], ctx: CheckContext | None = None) -> dict[str, str]:
    return {code: c.status for code, c in run(documents, ctx).items()}


def failed(documents: list[Document], ctx: CheckContext | None = None) -> set[str]:
    return {code for code, s in statuses(documents, ctx).items() if s == "fail"}


def test_clean_skill_packet_passes_every_check() -> None:
    checks = run(clean())
    assert set(checks) == set(REVIEW_REASONS)
    assert {c: k.status for c, k in checks.items() if k.status != "pass"} == {}


def test_clean_qualification_packet_passes_every_check() -> None:
    regs = registries(certificates=[cert_row(certificate_number=QUAL_NUMBER,
                                             occupation="保安员")])
    docs = [letter(certificate_number=QUAL_NUMBER, occupation="保安员"), qual_cert()]
    assert {c: k.message for c, k in run(docs, context(regs)).items() if k.status != "pass"} == {}


def test_clean_out_of_province_packet_passes_every_check() -> None:
    number = "S000033000001214000123"
    docs = [letter(exam_province="浙江省", exam_city="杭州市", exam_county="西湖区",
                   agency="浙江省职业技能鉴定中心", certificate_number=number),
            skill_cert(certificate_number=number, issuer="浙江省职业技能鉴定中心"), proof()]
    regs = registries(certificates=[cert_row(certificate_number=number)])
    assert {c: k.message for c, k in run(docs, context(regs)).items() if k.status != "pass"} == {}
