from zhanchi.extractors import extract
from zhanchi.extractors.sample_lines import (
    ID_CARD,
    LETTER_BODY,
    PROOF,
    QUAL,
    QUAL_PHOTO,
    SKILL,
    lines_from_rows,
)
from zhanchi.models import OcrPage, PageRef, ReadPage


def page(rows, file="A/scan.pdf", n=1, conf=0.98) -> ReadPage:
    lines = lines_from_rows(rows, conf=conf) if rows else []
    return ReadPage(PageRef(file=file, page=n), OcrPage(engine="test", lines=lines, width=2000, height=2800))


def test_one_document_per_page_and_booklet_pages_paired() -> None:
    pages = [page(QUAL, n=1), page(["承诺书", *LETTER_BODY], n=2), page(ID_CARD, n=3), page(QUAL_PHOTO, n=4),
             page([], n=5), page(PROOF, n=6)]
    result = extract(pages, agencies=["南昌市职业技能鉴定指导中心"])
    types = [d.type for d in result.documents]
    assert types == ["qualification_certificate", "commitment_letter", "unknown", "unknown", "filing_proof"]
    booklet = result.documents[0]
    assert [r.page for r in booklet.pages] == [4, 1]  # photo page first
    assert booklet.fields["holder_name"].page == 1 and booklet.fields["certificate_number"].page == 2
    assert booklet.fields["occupation"].value == "保安员" and booklet.fields["level"].value == 5
    assert [c.type for c in result.pages] == ["qualification_certificate", "commitment_letter", "unknown",
                                               "qualification_certificate", "unknown", "filing_proof"]
    assert result.unreadable == []


def test_letter_always_carries_its_mark_fields() -> None:
    letter = extract([page(LETTER_BODY)]).documents[0]
    assert {"has_signature", "has_fingerprint"} <= set(letter.fields)
    assert isinstance(letter.fields["has_signature"].value, bool)


def test_two_certificates_stay_two_documents() -> None:
    result = extract([page(SKILL, n=1), page(SKILL, file="A/other.jpg")])
    assert [d.type for d in result.documents] == ["skill_level_certificate"] * 2


def test_two_complete_booklets_are_not_merged_across() -> None:
    pages = [page(QUAL_PHOTO, n=1), page(QUAL, n=2), page(QUAL_PHOTO, file="B.pdf"), page(QUAL, file="B.pdf", n=2)]
    docs = extract(pages).documents
    assert [[(r.file, r.page) for r in d.pages] for d in docs] == [
        [("A/scan.pdf", 1), ("A/scan.pdf", 2)], [("B.pdf", 1), ("B.pdf", 2)]]


def test_garbled_unclassifiable_page_is_reported_unreadable() -> None:
    result = extract([page(["噩噩噩噩噩噩噩噩", "□□□□□□□□"], conf=0.3)])
    assert result.documents[0].type == "unknown"
    assert result.unreadable and "A/scan.pdf" in result.unreadable[0]


def test_a_failing_mark_detector_does_not_lose_the_letter(monkeypatch) -> None:
    import zhanchi.extractors.marks as marks

    def boom(page):
        raise ValueError("odd image")

    monkeypatch.setattr(marks, "detect_marks", boom)
    letter = extract([page(LETTER_BODY)]).documents[0]
    assert letter.fields["has_signature"].value is False and letter.fields["has_signature"].confidence == 0.0
    assert letter.fields["exam_date"].value == "2020-08-15"
