"""Content-addressed data (OCR cache, page images) and imported registries."""

from __future__ import annotations

import hashlib

import pytest

from zhanchi.store import Store, ocr_cache_key

pytest_plugins = ["pg_fixtures"]

PAYLOAD = {"ref": {"file": "A0001/letter.jpg", "page": 1, "rotation": 90},
           "ocr": {"engine": "fake", "width": 100, "height": 200,
                   "lines": [{"text": "承诺书", "confidence": 0.99,
                              "polygon": [[0.0, 0.0], [30.5, 0.0], [30.5, 10.0], [0.0, 10.0]]}]}}


def test_ocr_cache_survives_the_store_instance(store_url: str) -> None:
    key = ocr_cache_key("ab" * 32, 1, "clean-1", "rapidocr")
    with Store.open(store_url) as store:
        assert store.get_ocr(key) is None
        store.put_ocr(key, PAYLOAD)
        store.put_ocr(key, {"other": True})  # same key = same input: the first stays
    with Store.open(store_url) as again:
        assert again.get_ocr(key) == PAYLOAD


def test_ocr_cache_key_depends_on_every_part() -> None:
    base = ocr_cache_key("ab" * 32, 1, "clean-1", "rapidocr")
    assert len({base, ocr_cache_key("cd" * 32, 1, "clean-1", "rapidocr"),
                ocr_cache_key("ab" * 32, 2, "clean-1", "rapidocr"),
                ocr_cache_key("ab" * 32, 1, "clean-2", "rapidocr"),
                ocr_cache_key("ab" * 32, 1, "clean-1", "paddle")}) == 5


def test_page_images_are_stored_and_served_by_hash_only(store: Store) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    sha = store.put_page_image(data, "image/png")
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put_page_image(data, "image/png") == sha  # idempotent
    image = store.get_page_image(sha)
    assert image is not None and image.data == data and image.media_type == "image/png"
    body, media_type, _ = image  # also a tuple
    assert body == data
    for bad in ["../../etc/passwd", sha.upper(), sha[:-1], sha + "0", "", "0" * 64]:
        assert store.get_page_image(bad) is None


def test_registry_import_keeps_rows_lines_and_hash(store: Store) -> None:
    assert store.latest_registry("claims") is None
    rows = [(2, {"certificate_number": "S1", "id_number": "36010219900101001X",
                 "occupation": "电工", "level": "4", "paid_date": "2021-01-05"}),
            (3, {"certificate_number": "S2", "id_number": "", "occupation": "焊工",
                 "level": "5", "paid_date": ""})]
    first = store.import_registry("claims", "claims.csv", "a" * 64, rows, actor="admin")
    second = store.import_registry("claims", "claims.csv", "b" * 64, rows[:1], actor="admin")
    assert second > first
    snap = store.latest_registry("claims")
    assert snap is not None and snap.file_sha256 == "b" * 64 and snap.rows == rows[:1]
    store.import_registry("agencies", "agencies.csv", "c" * 64, [], actor="admin")
    agencies = store.latest_registry("agencies")
    assert agencies is not None and agencies.rows == []
    with pytest.raises(ValueError):
        store.import_registry("people", "x.csv", "d" * 64, [], actor="admin")
    assert store.verify_chain().checked == 3


def test_recorded_claims_by_reviewer(store: Store) -> None:
    from zhanchi.store import ClaimKey

    key = ClaimKey("S000036010000243000999", "36010219900101001X", "电工", 3)
    store.record_claim(key, submission_pk=None, source="reviewer_approved", actor="reviewer:li")
    found = store.find_recorded_claims(id_number=key.id_number, occupation="电工")
    assert [(c.certificate_number, c.level, c.source) for c in found] == \
        [(key.certificate_number, 3, "reviewer_approved")]
    assert store.find_recorded_claims() == []
    with pytest.raises(ValueError):
        store.record_claim(key, submission_pk=None, source="guess", actor="x")
