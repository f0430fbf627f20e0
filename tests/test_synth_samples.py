"""The committed sample_docs/ set: complete, small, documented and reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhanchi.synth.corpus import build_corpus
from zhanchi.synth.sample_set import (
    COMMAND,
    SAMPLE_AS_OF,
    SAMPLE_DPI,
    SAMPLE_QUALITY,
    SAMPLE_SEED,
    sample_plans,
)

SAMPLE_DOCS = Path(__file__).resolve().parents[1] / "sample_docs"
pytestmark = pytest.mark.skipif(not (SAMPLE_DOCS / "manifest.json").exists(),
                                reason="sample_docs/ not generated in this checkout")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_packet_has_expected_json_and_a_readme_row() -> None:
    readme = (SAMPLE_DOCS / "README.md").read_text("utf-8")
    assert COMMAND in readme
    entries = sorted(p.name for p in (SAMPLE_DOCS / "inbox").iterdir())
    plans = sample_plans()
    assert len(entries) == len(plans) >= 12
    for plan in plans:
        exp = json.loads((SAMPLE_DOCS / "expected" / f"{plan.submission_id}.json").read_text("utf-8"))
        assert exp["submission_id"] == plan.submission_id
        assert exp["as_of"] == SAMPLE_AS_OF.isoformat()
        assert f"`{plan.submission_id}" in readme
    for name in ("agencies.csv", "certificates.csv", "claims.csv"):
        assert (SAMPLE_DOCS / "registry" / name).exists()


def test_sample_set_is_small() -> None:
    total = sum(len(b) for b in _files(SAMPLE_DOCS).values())
    assert total < 12_000_000


def test_both_routes_and_all_formats_are_covered() -> None:
    exps = [json.loads(p.read_text("utf-8")) for p in (SAMPLE_DOCS / "expected").glob("*.json")]
    assert {e["route"] for e in exps} == {"pass", "review"}
    assert {e["format"] for e in exps} >= {"jpeg_folder", "pdf_image", "pdf_born_digital",
                                           "pdf_scanned_ocr", "tiff", "mixed_folder"}


@pytest.mark.parametrize("sid", ["S04-clean-tiff-fax", "S07-missing-letter"])
def test_regenerating_a_packet_gives_the_committed_bytes(tmp_path: Path, sid: str) -> None:
    # A packet's files and expected JSON depend only on seed, id, plan, as_of, dpi and
    # quality, so one packet can be rebuilt alone and compared byte for byte.
    plan = next(p for p in sample_plans() if p.submission_id == sid)
    build_corpus(tmp_path, [plan], seed=SAMPLE_SEED, as_of=SAMPLE_AS_OF, dpi=SAMPLE_DPI,
                 quality=SAMPLE_QUALITY)
    fresh = {k: v for k, v in _files(tmp_path).items() if k.startswith(("inbox/", "expected/"))}
    committed = _files(SAMPLE_DOCS)
    assert fresh and set(fresh) <= set(committed), sid
    for name, data in fresh.items():
        if data == committed[name]:
            continue
        # Raster pages may differ in a few pixels between builds of the imaging libraries
        # (float rounding in resampling and halftoning on another CPU); the expected JSON,
        # the page count, sizes and all but a handful of pixels must still be the same.
        suffix = Path(name).suffix.lower()
        if suffix == ".pdf":  # pages embedded as JPEG: rendered, a few levels of noise
            assert _pdf_nearly_equal(data, committed[name]), f"{sid}: {name} differs"
            continue
        assert suffix in RASTER, f"{sid}: {name} differs"
        assert _pixels_nearly_equal(data, committed[name]), f"{sid}: {name} differs"


RASTER = {".tif", ".tiff", ".png", ".jpg", ".jpeg"}
MAX_DIFFERENT_PIXELS = 1e-4  # share of a page: 217 of a 200 dpi A4 page


PDF_LEVELS = 32  # grey levels of JPEG re-encoding noise a rendered PDF page may differ by


def _pdf_nearly_equal(a: bytes, b: bytes) -> bool:
    """Same page count and text layer; rendered at the sample dpi, no more than a handful
    of pixels differ by more than JPEG noise (a page image a few pixels apart, re-encoded,
    moves many pixels by a few levels: 0.23 % by at most 8 with OpenCV 5.1 vs 5.0)."""
    import numpy as np
    import pypdfium2 as pdfium

    doc_a, doc_b = pdfium.PdfDocument(a), pdfium.PdfDocument(b)
    if len(doc_a) != len(doc_b):
        return False
    for page_a, page_b in zip(doc_a, doc_b, strict=True):
        if page_a.get_textpage().get_text_range() != page_b.get_textpage().get_text_range():
            return False
        pa = np.asarray(page_a.render(scale=SAMPLE_DPI / 72).to_pil().convert("L"), dtype=int)
        pb = np.asarray(page_b.render(scale=SAMPLE_DPI / 72).to_pil().convert("L"), dtype=int)
        if pa.shape != pb.shape or (np.abs(pa - pb) > PDF_LEVELS).mean() > MAX_DIFFERENT_PIXELS:
            return False
    return True


def _pixels_nearly_equal(a: bytes, b: bytes) -> bool:
    import io

    import numpy as np
    from PIL import Image, ImageSequence

    pages_a = [np.asarray(p.copy()) for p in ImageSequence.Iterator(Image.open(io.BytesIO(a)))]
    pages_b = [np.asarray(p.copy()) for p in ImageSequence.Iterator(Image.open(io.BytesIO(b)))]
    if len(pages_a) != len(pages_b):
        return False
    for pa, pb in zip(pages_a, pages_b, strict=True):
        if pa.shape != pb.shape:
            return False
        differing = np.any(pa != pb, axis=-1) if pa.ndim == 3 else pa != pb
        if differing.mean() > MAX_DIFFERENT_PIXELS:
            return False
    return True
