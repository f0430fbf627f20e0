"""Agency filing: only an exact name or alias passes; the nearest filed agency is named."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_checks_samples import (
    AGENCY,
    POLICY,
    agency_row,
    context,
    field,
    letter,
    proof,
    registries,
    run,
    skill_cert,
)

from zhanchi.checks import NameMatcher, match_agency
from zhanchi.checks.agency_match import levenshtein
from zhanchi.registry import AgencyRow, load_reference

MATCHER = NameMatcher(POLICY.agency_matching, load_reference().place_names())

FILED = [
    "南昌市职业技能鉴定中心", "南昌县职业技能鉴定中心", "江西省第一职业技能鉴定站",
    "江西省电力职业技能鉴定中心", "江西省机电技师学院", "江西省交通技师学院",
    "九江市职业技能鉴定所",
]


def _rows(names: list[str]) -> list[AgencyRow]:
    return [AgencyRow(n, f"F{i}", "江西省", date(2019, 1, 1), None, (), i + 2)
            for i, n in enumerate(names)]


def _match(printed: str, names: list[str] = FILED) -> tuple[str, list[str]]:
    m = match_agency(printed, _rows(names), MATCHER)
    return m.kind, [r.name for r in m.rows]


@pytest.mark.parametrize("printed, expected", [
    ("南昌市职业技能鉴定中心", "南昌市职业技能鉴定中心"),
    ("南昌县职业技能鉴定中心", "南昌县职业技能鉴定中心"),
    ("南昌市 职业技能鉴定中心", "南昌市职业技能鉴定中心"),  # spaces
    ("南昌巿职业技能鉴定中心", "南昌市职业技能鉴定中心"),  # 巿 (fú) for 市
    ("南昌市职业技熊鉴定中心", "南昌市职业技能鉴定中心"),  # one garbled character
    ("南昌市职业技能签定中心", "南昌市职业技能鉴定中心"),  # garbled inside a protected term
    ("南昌市职业技能鉴定中", "南昌市职业技能鉴定中心"),  # last character lost
    ("（江西省机电技师学院）", "江西省机电技师学院"),  # brackets
    ("九江市職業技能鑒定所", "九江市职业技能鉴定所"),  # traditional forms OCR emits
])
def test_exact_and_noisy_names_find_their_agency(printed: str, expected: str) -> None:
    kind, rows = _match(printed)
    assert kind in ("exact", "near") and rows == [expected]


@pytest.mark.parametrize("printed", [
    "南昌市职业技能鉴定中心", "南昌市 职业技能鉴定中心", "南昌巿职业技能鉴定中心",
    "（江西省机电技师学院）", "九江市職業技能鑒定所",
])
def test_normalised_names_are_exact(printed: str) -> None:
    assert _match(printed)[0] == "exact"


@pytest.mark.parametrize("printed", [
    "南昌市职业技熊鉴定中心", "南昌市职业技能签定中心", "南昌市职业技能鉴定中",
])
def test_names_one_character_off_are_only_near(printed: str) -> None:
    assert _match(printed)[0] == "near"


@pytest.mark.parametrize("printed, filed", [
    ("南昌县职业技能鉴定中心", "南昌市职业技能鉴定中心"),  # another real place
    ("南昌市职业技能鉴定中心", "南昌县职业技能鉴定中心"),
    ("南昌职业技能鉴定中心", "南昌市职业技能鉴定中心"),  # which 南昌? city or county
    ("新建区职业技能鉴定中心", "南昌市职业技能鉴定中心"),
    ("江西省第二职业技能鉴定站", "江西省第一职业技能鉴定站"),  # another number
    ("江西省第职业技能鉴定站", "江西省第一职业技能鉴定站"),  # the number lost
    ("江苏省第一职业技能鉴定站", "江西省第一职业技能鉴定站"),  # another province
    ("江西省电子职业技能鉴定中心", "江西省电力职业技能鉴定中心"),  # another sector
    ("南昌市职业技能鉴定站", "南昌市职业技能鉴定中心"),  # another kind of body
    ("南昌市职业技能鉴定分中心", "南昌市职业技能鉴定中心"),
    ("九江县职业技能鉴定所", "九江市职业技能鉴定所"),  # a former county
    ("泰安市职业技能鉴定中心", "吉安市职业技能鉴定中心"),  # a place outside the reference
    ("南昌市职业技能培训中心", "南昌市职业技能鉴定中心"),  # two characters differ
])
def test_near_miss_names_of_other_agencies_never_match(printed: str, filed: str) -> None:
    assert _match(printed, [filed])[0] == "none"


def test_near_miss_fails_even_when_both_are_filed() -> None:
    # equally close to two filed agencies: the reader cannot tell which, so it fails
    kind, _ = _match("南昌巾职业技能鉴定中心", ["南昌市职业技能鉴定中心", "南昌县职业技能鉴定中心"])
    assert kind == "none"
    kind, _ = _match("江西省电了职业技能鉴定中心",
                     ["江西省电力职业技能鉴定中心", "江西省电子职业技能鉴定中心"])
    assert kind == "ambiguous"


def test_aliases_match_and_renamed_agencies_are_one() -> None:
    rows = [AgencyRow("江西省职业技能鉴定指导中心", "F1", "江西省", date(2019, 1, 1), None,
                      ("省鉴定中心", "江西省技能鉴定指导中心"), 2)]
    assert match_agency("省鉴定中心", rows, MATCHER).kind == "exact"
    assert match_agency("江西省技能鉴定指导中必", rows, MATCHER).kind == "near"
    renamed = [AgencyRow("甲", "F9", "江西省", date(2018, 1, 1), date(2019, 12, 31), (), 2),
               AgencyRow("乙乙乙乙乙乙乙乙乙乙", "F9", "江西省", date(2020, 1, 1), None, (), 3)]
    assert len(match_agency("甲", renamed, MATCHER).rows) == 2


def test_shared_alias_of_two_agencies_is_ambiguous() -> None:
    rows = [AgencyRow("甲职业技能鉴定中心", "F1", "江西省", date(2019, 1, 1), None, ("鉴定中心",), 2),
            AgencyRow("乙职业技能鉴定中心", "F2", "江西省", date(2019, 1, 1), None, ("鉴定中心",), 3)]
    assert match_agency("鉴定中心", rows, MATCHER).kind == "ambiguous"


@given(st.text(alphabet="南昌市县职业技能鉴定中心站第一二江西省电力子 ·（）", max_size=20))
def test_matching_never_raises_and_exact_names_always_match(printed: str) -> None:
    m = match_agency(printed, _rows(FILED), MATCHER)
    assert m.kind in ("exact", "near", "ambiguous", "none")
    if MATCHER.norm(printed) in [MATCHER.norm(n) for n in FILED]:
        assert m.kind == "exact"


@given(st.text(max_size=12), st.text(max_size=12), st.integers(min_value=0, max_value=4))
def test_levenshtein_is_symmetric_and_bounded(a: str, b: str, limit: int) -> None:
    d = levenshtein(a, b, limit)
    assert d == levenshtein(b, a, limit)
    assert d is None or 0 <= d <= limit
    assert (d == 0) == (a == b) or d is None


# ---- the checks ----

def test_filed_agency_passes_and_unfiled_fails() -> None:
    assert run([letter(), skill_cert()])["agency_not_filed"].status == "pass"
    check = run([letter(agency="南昌县职业技能鉴定中心"), skill_cert()])["agency_not_filed"]
    assert check.status == "fail" and "南昌县职业技能鉴定中心" in check.message


def test_agency_is_judged_on_what_was_read_not_on_a_snapped_value() -> None:
    # an extractor snapped the unfiled 南昌县… to the filed 南昌市…; raw keeps the truth
    snapped = field(AGENCY, raw="南昌县职业技能鉴定中心")
    assert run([letter(agency=snapped), skill_cert()])["agency_not_filed"].status == "fail"


NEAR_MISSES = [  # (as printed and read exactly, the filed agency one character away)
    ("萍乡市技能人才评定中心", "萍乡市技能人才评价中心"),
    ("南昌市职业技能鉴定指导中心", "南昌市职业技能鉴定辅导中心"),
    ("江西省机电技工学院", "江西省机电技师学院"),
    ("南昌市职业技熊鉴定中心", AGENCY),  # a misread looks the same: only a person can tell
]


@pytest.mark.parametrize("printed, filed", NEAR_MISSES)
def test_near_miss_agency_fails_and_names_the_nearest_filed_one(printed: str, filed: str) -> None:
    regs = registries(agencies=[agency_row(filed)])
    check = run([letter(agency=printed), skill_cert()], context(regs))["agency_not_filed"]
    assert check.status == "fail"
    assert printed in check.message and filed in check.message
    assert "按识别误差" not in check.message


def test_near_miss_agency_fails_even_when_an_extractor_snapped_it() -> None:
    snapped = field("萍乡市技能人才评价中心", raw="萍乡市技能人才评定中心")
    regs = registries(agencies=[agency_row("萍乡市技能人才评价中心")])
    check = run([letter(agency=snapped), skill_cert()], context(regs))["agency_not_filed"]
    assert check.status == "fail" and "萍乡市技能人才评价中心" in check.message


def test_agency_validity_on_exam_date() -> None:
    lapsed = registries(agencies=[agency_row(valid_to="2020-12-31")])
    check = run([letter(), skill_cert()], context(lapsed))["agency_not_filed"]
    assert check.status == "fail" and "2021-01-10" in check.message
    later = registries(agencies=[agency_row(valid_from="2021-01-11")])
    assert run([letter(), skill_cert()], context(later))["agency_not_filed"].status == "fail"
    refiled = registries(agencies=[agency_row(valid_to="2020-12-31"),
                                   agency_row(valid_from="2021-01-01")])
    assert run([letter(), skill_cert()], context(refiled))["agency_not_filed"].status == "pass"


def test_agency_filed_in_another_province_does_not_count() -> None:
    regs = registries(agencies=[agency_row(province="浙江省")])
    assert run([letter(), skill_cert()], context(regs))["agency_not_filed"].status == "fail"


def test_agency_check_skips_without_inputs() -> None:
    assert run([letter(agency=None), skill_cert()])["agency_not_filed"].status == "skipped"
    none = context(registries(agencies=None))
    checks = run([letter(), skill_cert()], none)
    assert checks["agency_not_filed"].status == "skipped"
    assert checks["registry_unavailable"].status == "fail"
    assert run([letter(exam_date=None), skill_cert()])["agency_not_filed"].status == "skipped"


def test_unfiled_agency_fails_even_without_exam_date() -> None:
    docs = [letter(exam_date=None, agency="南昌县职业技能鉴定中心"), skill_cert()]
    assert run(docs)["agency_not_filed"].status == "fail"


# ---- out of province ----

def _outside(*extra: object, **changes: object) -> list:
    number = "S000033000001214000123"
    base = {"exam_province": "浙江省", "exam_city": "杭州市", "exam_county": "西湖区",
            "agency": "浙江省职业技能鉴定中心", "certificate_number": number}
    return [letter(**{**base, **changes}), skill_cert(certificate_number=number), *extra]


def test_out_of_province_exam_needs_a_matching_proof() -> None:
    assert run(_outside(proof()))["out_of_province_proof_missing"].status == "pass"
    assert run(_outside())["out_of_province_proof_missing"].status == "fail"
    assert run(_outside())["agency_not_filed"].status == "pass"  # not applicable outside


@pytest.mark.parametrize("bad_proof", [
    proof(agency="浙江省职业技能鉴定指导中心"),  # another agency
    proof(agency="江苏省职业技能鉴定中心"),  # another province's agency
    proof(province="江苏省"),  # filed elsewhere than the exam province
    proof(agency=None),
])
def test_proof_must_name_the_letters_agency_in_the_exam_province(bad_proof: object) -> None:
    assert run(_outside(bad_proof))["out_of_province_proof_missing"].status == "fail"


def test_proof_naming_the_agency_approximately_fails_and_says_so() -> None:
    noisy = proof(agency="浙江省职业技熊鉴定中心", province="浙江")
    check = run(_outside(noisy))["out_of_province_proof_missing"]
    assert check.status == "fail" and "相近" in check.message
    spaced = proof(agency="浙江省 职业技能鉴定中心", province="浙江")
    assert run(_outside(spaced))["out_of_province_proof_missing"].status == "pass"


def test_jiangxi_exam_needs_no_proof() -> None:
    assert run([letter(), skill_cert()])["out_of_province_proof_missing"].status == "pass"


def test_jiangxi_written_short_is_not_outside() -> None:
    checks = run([letter(exam_province="江西", agency="南昌县职业技能鉴定中心"), skill_cert(),
                  proof(agency="南昌县职业技能鉴定中心", province="江西省")])
    assert checks["agency_not_filed"].status == "fail"
