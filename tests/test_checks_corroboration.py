"""low_confidence and independent confirmation (policy ``confidence.corroboration``)."""

from __future__ import annotations

from test_checks_samples import (
    POLICY,
    cert_row,
    context,
    failed,
    field,
    letter,
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
