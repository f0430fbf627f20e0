import time

from hypothesis import given, settings
from hypothesis import strategies as st

from zhanchi.extractors.gazetteer import Gazetteer, get_gazetteer

AGENCIES = ("南昌市职业技能鉴定指导中心", "江西省职业技能鉴定指导中心", "九江市职业技能鉴定所",
            "江西省职业技能鉴定中心", "南昌市技能鉴定指导中心")


def gaz() -> Gazetteer:
    return get_gazetteer(AGENCIES)


def test_exact_names_are_known() -> None:
    g = gaz()
    hit = g.snap("agency", "九江市职业技能鉴定所")
    assert hit.value == "九江市职业技能鉴定所" and hit.score == 1.0 and hit.known


def test_lookalikes_and_seal_losses_snap_and_keep_the_raw_text() -> None:
    g = gaz()
    hit = g.snap("agency", "九江巿职业技能鉴定所")
    assert hit.value == "九江市职业技能鉴定所" and hit.raw == "九江巿职业技能鉴定所" and 0.8 < hit.score < 1
    assert g.snap("agency", "九江市职业技能鉴□所").value == "九江市职业技能鉴定所"
    assert g.snap("agency", "江市职业技能鉴定所").value == "九江市职业技能鉴定所"
    assert g.snap("occupation", "维修电エ").value == "维修电工"
    assert g.snap("city", "南昌巿").value == "南昌市"
    assert g.snap("province", "江酉省").value == "江西省"


def test_two_close_candidates_are_ambiguous_never_snapped() -> None:
    g = gaz()
    # one character away from both 江西省职业技能鉴定指导中心 and 江西省职业技能鉴定中心
    hit = g.snap("agency", "江西省职业技能鉴定指中心")
    assert hit.ambiguous and hit.value == "江西省职业技能鉴定指中心" and not hit.known
    # 南昌具: as far from 南昌县 as from 南昌市 for a county lookup → not a known one
    assert not g.snap("county", "南昌具").known


def test_unknown_values_are_left_as_read() -> None:
    hit = gaz().snap("agency", "南昌市金鼎职业技能培训中心")
    assert hit.value == "南昌市金鼎职业技能培训中心" and hit.score == 0.0


def test_county_snaps_within_its_city_first() -> None:
    assert gaz().snap("county", "青山湖□", parent="南昌市").value == "青山湖区"


def test_a_confident_read_is_never_replaced_by_a_known_name() -> None:
    # 评定 is not a doubtful 评价: an unfiled agency one character from a filed one
    g = get_gazetteer((*AGENCIES, "萍乡市技能人才评价中心"))
    hit = g.snap("agency", "萍乡市技能人才评定中心")
    assert hit.value == hit.raw == "萍乡市技能人才评定中心" and not hit.known
    assert hit.near == "萍乡市技能人才评价中心"
    # the same for places and occupations: a plainly different character stays as read
    county = gaz().snap("county", "青山湖巨", parent="南昌市")
    assert county.value == "青山湖巨" and county.near == "青山湖区"
    assert gaz().snap("occupation", "维修电上").value == "维修电上"


def test_only_doubtful_edits() -> None:
    from zhanchi.extractors.fuzzy import only_doubtful_edits

    assert only_doubtful_edits("九江巿职业技能鉴定所", "九江市职业技能鉴定所")  # look-alike
    assert only_doubtful_edits("九江市职业技能鉴□所", "九江市职业技能鉴定所")  # blot
    assert only_doubtful_edits("江市职业技能鉴定所", "九江市职业技能鉴定所")  # lost
    assert not only_doubtful_edits("萍乡市技能人才评定中心", "萍乡市技能人才评价中心")
    assert not only_doubtful_edits("九江市职业技能鉴定所所", "九江市职业技能鉴定所")  # extra


def test_find_entities_in_free_text() -> None:
    ents = gaz().find("兹证明九江市职业技能鉴定所已纳入江西省人力资源和社会保障厅备案")
    assert ("agency", "九江市职业技能鉴定所") in [(e.kind, e.value) for e in ents]
    assert "province" in {e.kind for e in ents}


def test_built_once_per_agency_list_and_fast() -> None:
    assert get_gazetteer(list(reversed(AGENCIES))) is gaz()
    g = gaz()
    t = time.perf_counter()
    for i in range(50):
        g.snap("agency", f"江西省职业技能鉴定指导中{i}")
    assert time.perf_counter() - t < 1.0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["province", "city", "county", "occupation", "agency"]), st.text(max_size=16))
def test_snap_never_raises_and_scores_are_bounded(kind, text) -> None:
    hit = gaz().snap(kind, text)
    assert 0.0 <= hit.score <= 1.0
    if hit.ambiguous or hit.near:
        assert hit.value == hit.raw
