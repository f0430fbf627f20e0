"""Packet completeness: letter, certificate, readable pages, one claim per packet."""

from __future__ import annotations

from test_checks_samples import context, failed, letter, qual_cert, run, skill_cert, statuses


def test_missing_letter_fails_and_letter_checks_skip() -> None:
    s = statuses([skill_cert()])
    assert s["missing_commitment_letter"] == "fail"
    assert s["missing_certificate"] == "pass"
    assert s["signature_missing"] == s["name_mismatch"] == s["invalid_location"] == "skipped"


def test_missing_certificate_fails_but_letter_values_are_still_checked() -> None:
    checks = run([letter()])
    assert checks["missing_certificate"].status == "fail"
    # SPEC: the letter's number and level stand in when there is no certificate
    assert checks["invalid_certificate_number"].status == "pass"
    assert checks["certificate_not_in_registry"].status == "pass"
    assert checks["level_not_eligible"].status == "pass"
    assert checks["level_mismatch"].status == "skipped"


def test_empty_packet_fails_both_presence_checks() -> None:
    assert {"missing_commitment_letter", "missing_certificate"} <= failed([])


def test_unreadable_pages_are_listed_and_hint_at_missing_documents() -> None:
    ctx = context(unreadable=["A0001/scan.pdf 第 2 页：无法解码"])
    checks = run([skill_cert()], ctx)
    assert checks["unreadable_page"].status == "fail"
    assert "scan.pdf" in checks["unreadable_page"].message
    assert "无法读取" in checks["missing_commitment_letter"].message
    assert run([letter(), skill_cert()])["unreadable_page"].status == "pass"


def test_unreadable_page_message_caps_long_lists() -> None:
    ctx = context(unreadable=[f"f{i}.jpg" for i in range(9)])
    message = run([letter(), skill_cert()], ctx)["unreadable_page"].message
    assert "9 处" in message and "f4.jpg" in message and "f8.jpg" not in message


def test_two_copies_of_the_same_certificate_are_one_claim() -> None:
    rescan = skill_cert(issuer=None)  # a photo of the same page, one field not read
    assert statuses([letter(), skill_cert(), rescan])["multiple_claims"] == "pass"


def test_two_different_certificates_are_multiple_claims() -> None:
    other = skill_cert(certificate_number="S000036000001215000999", occupation="焊工")
    checks = run([letter(), skill_cert(), other])
    assert checks["multiple_claims"].status == "fail"
    assert "证书编号" in checks["multiple_claims"].message
    # the certificate the letter names is the one judged
    assert checks["certificate_number_mismatch"].status == "pass"


def test_a_skill_and_a_qualification_certificate_are_multiple_claims() -> None:
    assert "multiple_claims" in failed([letter(), skill_cert(), qual_cert()])


def test_two_different_letters_are_multiple_claims() -> None:
    assert "multiple_claims" in failed([letter(), letter(signer_name="李四"), skill_cert()])
    assert "multiple_claims" not in failed([letter(), letter(), skill_cert()])
