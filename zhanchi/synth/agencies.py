"""Invented assessment agencies: filed in Jiangxi, lapsed, never filed, out of province.

The names are plausible, not real registrations. Only the ``filed`` and ``lapsed``
pools are written to agencies.csv; ``unfiled`` ones exist only on paper, which is what
``agency_not_filed`` needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Agency:
    """An assessment agency and where it sits."""

    name: str
    city: str  # prefecture city (Jiangxi) or city as printed (elsewhere)
    province: str = "江西省"
    aliases: tuple[str, ...] = ()
    social: bool = True  # S-prefixed numbers (social training org) vs Y (employer)
    pool: str = "filed"  # filed | lapsed | unfiled | outside
    filing_no: str = ""
    valid_from: date = date(2019, 6, 1)
    valid_to: date | None = None
    counties: tuple[str, ...] = field(default=())  # preferred exam counties, if any

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


FILED: tuple[Agency, ...] = (
    Agency("南昌市职业技能鉴定指导中心", "南昌市", aliases=("南昌市技能鉴定指导中心",), social=False,
           filing_no="赣人社鉴备〔2019〕001号", valid_from=date(2019, 3, 1)),
    Agency("江西省职业技能鉴定指导中心", "南昌市", aliases=("江西省技能鉴定指导中心",), social=False,
           filing_no="赣人社鉴备〔2019〕002号", valid_from=date(2019, 3, 1)),
    Agency("江西省机电技师学院", "南昌市", aliases=("江西机电技师学院",), social=False,
           filing_no="赣人社鉴备〔2019〕015号", valid_from=date(2019, 7, 1)),
    Agency("江西省交通技师学院", "南昌市", social=False,
           filing_no="赣人社鉴备〔2020〕021号", valid_from=date(2020, 1, 15)),
    Agency("赣州市华安职业培训学校", "赣州市", aliases=("赣州华安职业培训学校",),
           filing_no="赣州人社备〔2020〕007号", valid_from=date(2020, 3, 10)),
    Agency("九江市职业技能鉴定所", "九江市", social=False,
           filing_no="九人社备〔2019〕003号", valid_from=date(2019, 9, 1)),
    Agency("上饶市广信职业技能培训学校", "上饶市",
           filing_no="饶人社备〔2020〕011号", valid_from=date(2020, 5, 20)),
    Agency("宜春市创业职业培训学校", "宜春市", aliases=("宜春创业职业培训学校",),
           filing_no="宜人社备〔2020〕004号", valid_from=date(2020, 4, 1)),
    Agency("景德镇市陶瓷技能评价中心", "景德镇市",
           filing_no="景人社备〔2020〕002号", valid_from=date(2020, 6, 1)),
    Agency("吉安市井冈职业技能评价中心", "吉安市",
           filing_no="吉人社备〔2020〕009号", valid_from=date(2020, 2, 1)),
    Agency("抚州市临川职业技能等级认定中心", "抚州市", aliases=("抚州临川职业技能等级认定中心",),
           filing_no="抚人社备〔2020〕006号", valid_from=date(2020, 8, 1)),
    Agency("萍乡市安源职业技能评价站", "萍乡市",
           filing_no="萍人社备〔2020〕005号", valid_from=date(2020, 7, 1)),
    Agency("鹰潭市技工学校", "鹰潭市", aliases=("鹰潭技工学校",), social=False,
           filing_no="鹰人社备〔2019〕002号", valid_from=date(2019, 11, 1)),
    Agency("新余市职业技能鉴定中心", "新余市", social=False,
           filing_no="余人社备〔2019〕001号", valid_from=date(2019, 5, 1)),
    Agency("南昌市红谷职业技能培训学校", "南昌市", counties=("红谷滩区",),
           filing_no="洪人社备〔2020〕018号", valid_from=date(2020, 9, 1)),
)

# Filed once, no longer valid: its valid_to is set relative to the corpus as_of date.
LAPSED = Agency("九江市浔阳职业技能培训学校", "九江市", pool="lapsed",
                filing_no="九人社备〔2019〕008号", valid_from=date(2019, 8, 1))

UNFILED: tuple[Agency, ...] = (
    Agency("南昌市金鼎职业技能培训中心", "南昌市", pool="unfiled"),
    Agency("赣州市新锐技能培训学校", "赣州市", pool="unfiled"),
    Agency("江西宏达职业技能评价有限公司", "南昌市", pool="unfiled"),
    Agency("上饶市博远职业培训学校", "上饶市", pool="unfiled"),
)

# Never filed, one character from a filed agency (SPEC §6: only a person can tell a
# misread from a different agency, so these must fail agency_not_filed). The changed
# character is never an OCR look-alike of the filed one, so no reader may "correct" it.
NEAR_MISS: dict[str, str] = {
    "南昌市职业技能鉴定指导中心": "南昌市职业技能鉴定辅导中心",
    "江西省职业技能鉴定指导中心": "江西省职业技能鉴定督导中心",
    "江西省机电技师学院": "江西省机电技工学院",
    "江西省交通技师学院": "江西省交通技工学院",
    "赣州市华安职业培训学校": "赣州市华泰职业培训学校",
    "九江市职业技能鉴定所": "九江市职业技能检定所",
    "上饶市广信职业技能培训学校": "上饶市广鑫职业技能培训学校",
    "宜春市创业职业培训学校": "宜春市创新职业培训学校",
    "景德镇市陶瓷技能评价中心": "景德镇市陶瓷技能评定中心",
    "吉安市井冈职业技能评价中心": "吉安市井冈职业技能评定中心",
    "抚州市临川职业技能等级认定中心": "抚州市临川职业技能等级评定中心",
    "萍乡市安源职业技能评价站": "萍乡市安源职业技能评定站",
    "鹰潭市技工学校": "鹰潭市技师学校",
    "新余市职业技能鉴定中心": "新余市职业技能评定中心",
    "南昌市红谷职业技能培训学校": "南昌市红光职业技能培训学校",
}


def near_miss_agency(filed: Agency) -> Agency:
    """The unfiled agency one character from ``filed``, in the same city."""
    return Agency(NEAR_MISS[filed.name], filed.city, pool="unfiled", social=filed.social,
                  counties=filed.counties)


OUTSIDE: tuple[Agency, ...] = (
    Agency("浙江省职业技能鉴定中心", "杭州市", province="浙江省", pool="outside", social=False),
    Agency("广东省职业技能鉴定指导中心", "广州市", province="广东省", pool="outside", social=False),
    Agency("湖南省职业技能鉴定中心", "长沙市", province="湖南省", pool="outside", social=False),
    Agency("福州市海峡职业技能评价中心", "福州市", province="福建省", pool="outside"),
    Agency("武汉市江城职业培训学校", "武汉市", province="湖北省", pool="outside"),
    Agency("合肥市新华职业技能评价中心", "合肥市", province="安徽省", pool="outside"),
)


def lapsed_agency(as_of: date) -> Agency:
    """The lapsed agency with a validity that ended 13 months before ``as_of``.

    Any exam inside the 12-month application window is therefore after its end.
    """
    return Agency(**{**LAPSED.__dict__, "valid_to": as_of - timedelta(days=400)})


def registry_agencies(as_of: date) -> list[Agency]:
    """The agencies written to agencies.csv (filed ones plus the lapsed one)."""
    return [*FILED, lapsed_agency(as_of)]


def hrss_department(province: str) -> str:
    """The provincial HRSS department that files agencies, e.g. 浙江省人力资源和社会保障厅."""
    return f"{province}人力资源和社会保障厅"
