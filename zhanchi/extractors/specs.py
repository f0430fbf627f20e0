"""Document types as data: what recognises each type and where its fields are.

One :class:`DocSpec` per SPEC §2 type. Classification reads only ``keywords``; the
label–value extractor reads only ``fields`` (labels and the parser kind of each field);
the commitment letter adds its template (:data:`LETTER_TEMPLATE`). Adding a form means
adding a spec here and, if it is laid out like a certificate, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhanchi.models import DocType


@dataclass(frozen=True)
class FieldSpec:
    """One field: its SPEC §5 name, the printed labels that precede it and its parser."""

    name: str
    parser: str  # a key of zhanchi.extractors.fields.PARSERS
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocSpec:
    """One document type: weighted keywords (``(phrase, weight)``) and its fields."""

    type: DocType
    keywords: tuple[tuple[str, float], ...]
    fields: tuple[FieldSpec, ...] = ()
    required: tuple[str, ...] = ()  # SPEC §5: absent means missing_field
    saturation: float = 5.0  # keyword weight that counts as certain
    min_score: float = 0.35  # below this the page is not this type


# The 承诺书 as printed: each anchor is followed by the blanks (SPEC names) that lie
# between it and the next anchor. Widths are folded (（ → (, ： → :) before matching.
LETTER_TEMPLATE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("本人于", ("exam_date", "exam_province")),
    ("省(直辖市、自治区)", ("exam_city",)),
    ("(设区市)", ("exam_county",)),
    ("(县、市、区),参加了", ("agency",)),
    ("(职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称)组织开展的", ("occupation",)),
    ("职业(工种)职业技能考核鉴定考试,符合国家职业技能标准规定的报考条件,考试成绩合格,获得",
     ("certificate_title",)),
    ("(职业、等级)职业资格证书(职业技能等级证书),证书编号:", ("certificate_number",)),
    ("本人已知晓并充分理解申请失业保险技能提升补贴所需条件", ()),
    ("承诺人:", ("signer_name",)),
    ("(签字、手印)", ()),
    ("时间:", ("sign_date",)),
)

COMMITMENT_LETTER = DocSpec(
    "commitment_letter",
    keywords=(
        ("承诺书", 2.5), ("本人于", 1.0), ("本人承诺", 1.5), ("承诺人", 1.5), ("签字、手印", 1.5),
        ("设区市", 1.5), ("直辖市、自治区", 1.5), ("县、市、区", 1.0), ("组织开展的", 1.0),
        ("职业技能考核鉴定考试", 1.0), ("技能提升补贴", 1.5), ("退回已申领的补贴", 1.0),
        ("符合国家职业技能标准规定的报考条件", 1.5), ("法律责任", 0.5), ("职业、等级", 1.0),
    ),
    fields=(
        FieldSpec("exam_date", "date"), FieldSpec("exam_province", "province"),
        FieldSpec("exam_city", "city"), FieldSpec("exam_county", "county"),
        FieldSpec("agency", "agency"), FieldSpec("occupation", "occupation"),
        FieldSpec("certificate_title", "text"), FieldSpec("level", "level"),
        FieldSpec("certificate_number", "certificate_number"), FieldSpec("signer_name", "name"),
        FieldSpec("sign_date", "date"),
    ),
    required=("exam_date", "exam_province", "exam_city", "exam_county", "agency", "occupation",
              "level", "certificate_number", "signer_name", "sign_date"),
)

SKILL_LEVEL_CERTIFICATE = DocSpec(
    "skill_level_certificate",
    keywords=(
        ("职业技能等级证书", 2.0), ("评价机构", 2.0), ("证件号码", 1.5), ("证件类型", 1.0),
        ("职业名称", 1.5), ("职业技能等级", 0.5), ("工种/职业方向", 1.0), ("发证日期", 1.0),
        ("证书编号", 0.5), ("查询", 0.5), ("技能人才评价", 1.0),
    ),
    fields=(
        FieldSpec("holder_name", "name", ("姓名",)),
        FieldSpec("id_number", "id_number", ("证件号码", "公民身份号码", "身份证号码", "身份证号")),
        FieldSpec("occupation", "occupation", ("职业名称", "职业(工种)")),
        FieldSpec("level", "level", ("职业技能等级", "技能等级", "等级")),
        FieldSpec("certificate_number", "certificate_number", ("证书编号",)),
        FieldSpec("issuer", "issuer", ("评价机构名称", "评价机构", "发证单位")),
        FieldSpec("issue_date", "date", ("发证日期",)),
    ),
    required=("holder_name", "id_number", "occupation", "level", "certificate_number", "issuer",
              "issue_date"),
)

QUALIFICATION_CERTIFICATE = DocSpec(
    "qualification_certificate",
    keywords=(
        ("职业资格证书", 2.0), ("发证机关", 1.5), ("理论知识考试成绩", 2.0),
        ("操作技能考核成绩", 2.0), ("评定成绩", 1.5), ("职业(工种)及等级", 2.0),
        ("文化程度", 1.0), ("国家职业资格", 1.0), ("出生日期", 0.5), ("身份证号", 0.5), ("性别", 0.5),
        ("发证日期", 0.5), ("证书编号", 0.5),
    ),
    fields=(
        FieldSpec("holder_name", "name", ("姓名",)),
        FieldSpec("id_number", "id_number", ("身份证号", "公民身份号码", "身份证号码", "证件号码")),
        FieldSpec("occupation", "occupation", ("职业(工种)及等级", "职业(工种)", "职业")),
        FieldSpec("level", "level", ("等级", "职业(工种)及等级")),
        FieldSpec("certificate_number", "certificate_number", ("证书编号",)),
        FieldSpec("issuer", "issuer", ("发证机关", "发证单位")),
        FieldSpec("issue_date", "date", ("发证日期",)),
    ),
    required=("holder_name", "occupation", "level", "certificate_number", "issue_date"),
)

# The filing proof's sentence: 兹证明<agency>已纳入<issuer>职业技能考核鉴定机构备案管理.
FILING_TEMPLATE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("兹证明", ("agency",)),
    ("已纳入", ("issuer",)),
    ("职业技能考核鉴定机构备案管理", ()),
)

FILING_PROOF = DocSpec(
    "filing_proof",
    keywords=(
        ("备案", 2.0), ("备案证明", 2.0), ("证明", 0.5), ("人力资源和社会保障", 1.0),
        ("兹证明", 1.5), ("特此证明", 1.5), ("备案管理", 1.0), ("备案编号", 1.0),
        ("职业技能考核鉴定机构", 0.5), ("纳入", 0.5),
    ),
    fields=(
        FieldSpec("agency", "agency", ("机构名称", "单位名称")),
        FieldSpec("province", "province", ("所在省份", "省份")),
        FieldSpec("issuer", "issuer", ("备案机关", "发证机关")),
        FieldSpec("issue_date", "date", ("日期", "备案日期")),
    ),
    required=("agency", "province"),
)

# Pages that are known *not* to be any claim document (ID-card copies, forms).
OTHER = DocSpec(
    "unknown",
    keywords=(
        ("居民身份证", 2.5), ("签发机关", 2.0), ("有效期限", 2.0), ("住址", 1.0), ("民族", 1.0),
        ("申请表", 2.5), ("开户银行", 2.0), ("银行账号", 2.0), ("申请人", 1.0),
        ("参保单位", 1.0), ("经办人", 1.0),
    ),
)

SPECS: tuple[DocSpec, ...] = (
    COMMITMENT_LETTER, SKILL_LEVEL_CERTIFICATE, QUALIFICATION_CERTIFICATE, FILING_PROOF, OTHER,
)
SPEC_BY_TYPE: dict[str, DocSpec] = {s.type: s for s in SPECS if s.type != "unknown"}
