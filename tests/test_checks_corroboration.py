"""low_confidence and independent confirmation (policy ``confidence.corroboration``)."""

from __future__ import annotations

from test_checks_samples import (
    POLICY,
    cert_row,
    context,
    failed,
    field,
    letter,
    proof,
    qual_cert,
    registries,
    run,
    skill_cert,
)

LOW = 0.5


def test_a_doubtful_signer_confirmed_by_the_certificate_passes() -> None:
    checks = run([letter(signer_name=field("张三", LOW)), skill_cert()])
    assert checks["low_confidence"].status == "pass"
    assert "职业技能等级证书" in checks["low_confidence"].message


def test_a_doubtful_holder_confirmed_by_the_letter_passes() -> None:
    ctx = context(registries(certificates=None))  # the letter alone confirms it
    assert "low_confidence" not in failed([letter(), skill_cert(holder_name=field("张三", LOW))], ctx)


def test_a_doubtful_issue_date_confirmed_by_the_registry_passes() -> None:
    checks = run([letter(), skill_cert(issue_date=field("2021-03-01", LOW))])
    assert checks["low_confidence"].status == "pass"
    assert "certificates.csv" in checks["low_confidence"].message


def test_a_doubtful_value_that_differs_is_still_low_confidence() -> None:
    docs = [letter(), skill_cert(issue_date=field("2021-03-07", LOW))]
    assert "low_confidence" in failed(docs)
    signer = [letter(signer_name=field("张王", LOW)), skill_cert()]
    assert "low_confidence" in failed(signer)


def test_both_sides_doubtful_confirm_nothing() -> None:
    ctx = context(registries(certificates=None))
    docs = [letter(signer_name=field("张三", LOW)), skill_cert(holder_name=field("张三", LOW))]
    assert "low_confidence" in failed(docs, ctx)


def test_fields_without_a_counterpart_are_not_confirmed() -> None:
    assert "low_confidence" in failed([letter(sign_date=field("2021-05-20", LOW)), skill_cert()])
    assert "low_confidence" in failed([letter(), skill_cert(issuer=field("南昌市职业技能鉴定中心", LOW))])


def test_a_doubtful_number_needs_another_sure_field_agreeing_with_its_row() -> None:
    ok = run([letter(), skill_cert(certificate_number=field(cert_row()["certificate_number"], LOW))])
    assert ok["low_confidence"].status == "pass"
    stranger = registries(certificates=[cert_row(holder_name="李四", id_number="", occupation="焊工",
                                                  level="3", issue_date="2020-01-01")])
    docs = [letter(certificate_number=field(cert_row()["certificate_number"], LOW)),
            skill_cert(certificate_number=field(cert_row()["certificate_number"], LOW))]
    assert "low_confidence" in failed(docs, context(stranger))


def test_policy_can_switch_corroboration_off() -> None:
    strict = POLICY.model_copy(update={"confidence": POLICY.confidence.model_copy(
        update={"corroboration": False})})
    docs = [letter(signer_name=field("张三", LOW)), skill_cert()]
    assert "low_confidence" in failed(docs, context(policy=strict))


def test_a_qualification_holder_confirmed_by_the_registry() -> None:
    regs = registries(certificates=[cert_row(certificate_number="2036010001400123",
                                              occupation="保安员")])
    docs = [letter(certificate_number="2036010001400123", occupation="保安员", signer_name="王五"),
            qual_cert(holder_name=field("张三", LOW))]
    checks = run(docs, context(regs))
    assert "certificates.csv" in checks["low_confidence"].message
    assert checks["low_confidence"].status == "pass"


# --- the letter's agency and a skill certificate's issuer (policy confidence.agency_corroboration)

AGENCY_CHECKED = POLICY.model_copy(update={"confidence": POLICY.confidence.model_copy(
    update={"agency_corroboration": True})})
NEAR = "南昌市职业技能鉴定所"  # one character from the filed 南昌市职业技能鉴定中心's end


def test_a_doubtful_agency_confirmed_by_the_skill_certificates_issuer_passes() -> None:
    checks = run([letter(agency=field("南昌市职业技能鉴定中心", LOW)), skill_cert()],
                 context(policy=AGENCY_CHECKED))
    assert checks["low_confidence"].status == "pass"
    assert "职业技能等级证书" in checks["low_confidence"].message
    # and back: a doubtful issuer (a seal over it) confirmed by the letter's sure agency
    docs = [letter(), skill_cert(issuer=field("南昌市职业技能鉴定中心", LOW))]
    assert "low_confidence" not in failed(docs, context(policy=AGENCY_CHECKED))


def test_an_agency_is_confirmed_only_where_the_policy_says_so() -> None:
    docs = [letter(agency=field("南昌市职业技能鉴定中心", LOW)), skill_cert()]
    assert not POLICY.confidence.agency_corroboration  # v1 (the samples' as_of) never did this
    assert "low_confidence" in failed(docs)


def test_an_agency_one_character_off_the_issuer_is_not_confirmed() -> None:
    docs = [letter(agency=field(NEAR, LOW)), skill_cert()]
    assert "low_confidence" in failed(docs, context(policy=AGENCY_CHECKED))


def test_an_agency_snapped_to_the_issuer_is_judged_as_read() -> None:
    # the extractor kept what it read (raw) and offered a known name as the value: the
    # confirmation compares what was read
    snapped = field("南昌市职业技能鉴定中心", LOW, raw="南昌市职止技能鉴定中心")
    docs = [letter(agency=snapped), skill_cert()]
    assert "low_confidence" in failed(docs, context(policy=AGENCY_CHECKED))


def test_a_qualification_certificates_issuer_confirms_no_agency() -> None:
    # a 职业资格证书's issuer is the issuing department, another fact than the agency
    docs = [letter(agency=field("江西省人力资源和社会保障厅", LOW), certificate_number="2036010001400123"),
            qual_cert()]
    assert "low_confidence" in failed(docs, context(policy=AGENCY_CHECKED))


def test_a_confirmed_near_miss_agency_is_still_not_filed() -> None:
    # letter and certificate agree on an unfiled agency one character from a filed one:
    # the read is confirmed, the agency is not, and the packet is held
    docs = [letter(agency=field(NEAR, LOW)), skill_cert(issuer=NEAR)]
    got = failed(docs, context(policy=AGENCY_CHECKED))
    assert "low_confidence" not in got
    assert "agency_not_filed" in got


def test_an_out_of_province_agency_confirmed_by_the_filing_proof() -> None:
    outside = "浙江省职业技能鉴定中心"  # the proof() sample's agency
    docs = [letter(exam_province="浙江省", exam_city="杭州市", exam_county="西湖区",
                   agency=field(outside, LOW)),
            qual_cert(), proof()]
    ctx = context(policy=AGENCY_CHECKED)
    checks = run(docs, ctx)
    assert checks["low_confidence"].status == "pass", checks["low_confidence"].message
    assert "备案" in checks["low_confidence"].message
    # one character off the proof: nothing confirms it
    docs[0] = letter(exam_province="浙江省", exam_city="杭州市", exam_county="西湖区",
                     agency=field("浙江省职业技能鉴定指导中心", LOW))
    assert "low_confidence" in failed(docs, ctx)
    # and back: a doubtful proof agency confirmed by the letter's sure one
    docs = [letter(exam_province="浙江省", exam_city="杭州市", exam_county="西湖区",
                   agency=outside), qual_cert(), proof(agency=field(outside, LOW))]
    assert "low_confidence" not in failed(docs, ctx)
