"""How one paper 职业技能等级证书 is printed: label words, column distance, extra boxes.

Offices and evaluation organisations print the same certificate in their own ways:
the issuer row is headed 评价机构名称, 评价机构, 发证机构, 发证单位 or 认定机构, the date
row 发证日期, 认定日期 or 颁证日期; the value column may sit right after the labels or
far across the page (dotted leaders between), English sub-labels may be printed under
the Chinese ones, and the photo and QR code may stand beside the values instead of
above or below them. Photographed certificates may still hang in their frame, faxed
ones may have gone at standard (half) resolution, and a 职业资格证书 booklet may be
scanned open, both pages on one sheet. A :class:`SkillStyle` is drawn from its own generator (seeded by
the certificate number), so drawing it leaves every other draw of the packet as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ISSUER_LABELS = ("评价机构名称", "评价机构", "发证机构", "发证单位", "认定机构")
DATE_LABELS = ("发证日期", "认定日期", "颁证日期")
# English sub-labels printed under the Chinese ones on bilingual certificates
ENGLISH = {
    "姓名": "Name", "证件类型": "ID Type", "证件号码": "ID No.", "职业名称": "Occupation",
    "工种/职业方向": "Specialty", "职业技能等级": "Skill Level", "证书编号": "Certificate No.",
    "发证日期": "Date of Issue", "认定日期": "Date of Recognition", "颁证日期": "Date of Issue",
    "评价机构名称": "Evaluation Organization", "评价机构": "Evaluation Organization",
    "发证机构": "Issuing Authority", "发证单位": "Issued by", "认定机构": "Recognized by",
}
LEADER = "·"  # one dot of a dotted leader between a label and its far value


@dataclass(frozen=True)
class SkillStyle:
    """The printing choices of one paper skill certificate."""

    issuer_label: str = "评价机构名称"
    date_label: str = "发证日期"
    far: bool = False  # the value column far from the labels
    leaders: bool = False  # dotted leaders from each label to its far value
    english: bool = False  # English sub-labels under the labels
    boxes_beside: bool = False  # photo and QR beside the values (far layouts only)

    @property
    def phenomena(self) -> list[str]:
        """What this style shows, by the names the page's degradations record."""
        out = []
        if (self.issuer_label, self.date_label) != ("评价机构名称", "发证日期"):
            out.append("cert_label_words")
        if self.far:
            out.append("cert_far_columns")
        if self.leaders:
            out.append("cert_leaders")
        if self.english:
            out.append("cert_english_labels")
        if self.boxes_beside:
            out.append("cert_boxes_beside")
        return out


ECERT_SHARE = 0.12  # skill certificates handed in as an e-certificate printout
FRAME_SHARE = 0.4  # photographed certificates still in their picture frame
COARSE_FAX_SHARE = 0.5  # faxed certificates sent at standard (half) resolution
SPREAD_SHARE = 0.3  # qualification booklets scanned open: both pages on one sheet


def draw_style(number: str, landscape: bool) -> SkillStyle:
    """The style of the paper certificate numbered ``number``."""
    rng = random.Random(f"skill-style:{number}")
    if rng.random() < 0.5:
        return SkillStyle()  # the national template as family A always drew it
    far = rng.random() < 0.55
    return SkillStyle(
        issuer_label=rng.choice(ISSUER_LABELS), date_label=rng.choice(DATE_LABELS),
        far=far, leaders=far and rng.random() < 0.5, english=rng.random() < 0.35,
        boxes_beside=far and landscape and rng.random() < 0.6,
    )


def drawn_ecert(number: str) -> bool:
    """Whether the skill certificate numbered ``number`` comes as an e-certificate printout."""
    return random.Random(f"ecert:{number}").random() < ECERT_SHARE


def drawn_frame(key: str) -> bool:
    """Whether a photographed certificate page (``key``: packet and page) is framed."""
    return random.Random(f"frame:{key}").random() < FRAME_SHARE


def drawn_coarse_fax(key: str) -> bool:
    """Whether a faxed certificate page (``key``: packet and page) went at half resolution."""
    return random.Random(f"coarse-fax:{key}").random() < COARSE_FAX_SHARE


def drawn_spread(number: str) -> bool:
    """Whether the qualification booklet numbered ``number`` was scanned open flat."""
    return random.Random(f"spread:{number}").random() < SPREAD_SHARE
