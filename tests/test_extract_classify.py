from zhanchi.extractors.classify import classify_page, classify_text
from zhanchi.extractors.sample_lines import (
    FORM,
    ID_CARD,
    LETTER_BODY,
    PROOF,
    QUAL,
    QUAL_PHOTO,
    SKILL,
    lines_from_rows,
)
from zhanchi.extractors.text import squash


def kind(rows: list[str]) -> str:
    return classify_page(lines_from_rows(rows)).type


def test_every_type_from_clean_pages() -> None:
    assert kind(["承诺书", *LETTER_BODY]) == "commitment_letter"
    assert kind(SKILL) == "skill_level_certificate"
    assert kind(QUAL) == "qualification_certificate"
    assert kind(QUAL_PHOTO) == "qualification_certificate"
    assert kind(PROOF) == "filing_proof"


def test_letter_without_its_title_still_classifies() -> None:
    assert kind(LETTER_BODY) == "commitment_letter"
    assert kind(LETTER_BODY[3:]) == "commitment_letter"  # top third cut off as well


def test_certificate_with_covered_title() -> None:
    assert kind(SKILL[1:]) == "skill_level_certificate"
    assert kind(QUAL[1:]) == "qualification_certificate"
    assert kind(QUAL_PHOTO[2:]) == "qualification_certificate"  # booklet photo page, title covered


def test_ocr_noise_in_keywords() -> None:
    noisy = [r.replace("承诺", "承若").replace("设区市", "设区巿").replace("补贴", "补帖") for r in LETTER_BODY]
    assert kind(noisy) == "commitment_letter"


def test_blank_id_card_and_forms_are_unknown() -> None:
    assert kind([]) == "unknown"
    assert kind(["1", "·"]) == "unknown"
    assert kind(ID_CARD) == "unknown"
    assert kind(FORM) == "unknown"


def test_scores_are_reported_for_every_type() -> None:
    got = classify_text(squash("".join(SKILL)))
    assert set(got.scores) == {"commitment_letter", "skill_level_certificate", "qualification_certificate",
                               "filing_proof", "unknown"}
    assert got.confidence == got.scores["skill_level_certificate"] > 0.5
