"""detect_marks on drawn 承诺人 lines: signature and fingerprint, colour / gray / binarised."""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
import pytest
from test_marks_render import LetterCase, Mode, Rendered, _blend, as_page, render_letter, seal_alpha

from zhanchi.extractors.marks import Marks, detect_marks
from zhanchi.models.pages import OcrLine, OcrPage, PageRef, ReadPage

SCANS: tuple[Mode, ...] = ("colour", "gray", "binary")


@cache
def drawn(**kw: object) -> Rendered:
    return render_letter(LetterCase(**kw))  # type: ignore[arg-type]


def judge(r: Rendered, mode: Mode = "colour") -> Marks:
    return detect_marks(as_page(r, mode))


def overlap(a: list[int] | None, b: tuple[int, int, int, int] | None) -> float:
    """Share of ``b`` covered by ``a``."""
    if a is None or b is None:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h) / ((b[2] - b[0]) * (b[3] - b[1]))


@pytest.mark.parametrize("mode", SCANS)
@pytest.mark.parametrize(
    ("signed", "pressed"), [(True, True), (False, False), (True, False), (False, True)],
    ids=["both", "neither", "signature-only", "fingerprint-only"],
)
def test_the_four_letters_in_every_scan_kind(signed: bool, pressed: bool, mode: Mode) -> None:
    r = drawn(signature=signed, fingerprint=pressed, seed=7)
    m = judge(r, mode)
    assert (m.has_signature, m.has_fingerprint) == (signed, pressed)
    assert m.anchor_found
    assert m.scan_kind == (mode if pressed or mode != "colour" else "gray")  # no colour on the page
    assert m.signature_confidence >= 0.85 and m.fingerprint_confidence >= 0.5
    if signed:
        assert overlap(m.signature_bbox, r.signature_box) > 0.8
    else:
        assert m.signature_bbox is None
    if pressed:
        assert overlap(m.fingerprint_bbox, r.fingerprint_box) > 0.5
    else:
        assert m.fingerprint_bbox is None


def test_a_fax_dithered_fingerprint_is_still_found() -> None:
    r = drawn(signature=True, fingerprint=True, seed=7)
    m = judge(r, "fax")
    assert m.scan_kind == "binary" and m.has_fingerprint and m.has_signature


@pytest.mark.parametrize(("signed", "pressed"), [(True, False), (False, True)])
def test_a_blurred_page_dithered_whole_by_a_fax(signed: bool, pressed: bool) -> None:
    # print and pen turn into dot patterns too: "ridged" must mean more ridged than print
    r = render_letter(LetterCase(signature=signed, fingerprint=pressed, seed=8))
    r.image = cv2.GaussianBlur(r.image, (0, 0), 1.6)
    m = judge(r, "fax")
    assert (m.has_signature, m.has_fingerprint) == (signed, pressed)


@pytest.mark.parametrize(("signed", "pressed"), [(True, True), (False, False)])
def test_a_colour_photo_of_a_photocopy(signed: bool, pressed: bool) -> None:
    # lamp light casts the gray copy yellow: a colour page whose fingerprint is gray
    r = render_letter(LetterCase(signature=signed, fingerprint=pressed, seed=9))
    gray = cv2.cvtColor(cv2.cvtColor(r.image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    r.image = (gray * np.array([0.72, 0.88, 1.0], np.float32)).astype(np.uint8)
    m = judge(r)
    assert m.scan_kind == "colour"
    assert (m.has_signature, m.has_fingerprint) == (signed, pressed)


@pytest.mark.parametrize("mode", SCANS)
def test_an_official_seal_elsewhere_is_no_fingerprint(mode: Mode) -> None:
    r = drawn(signature=True, fingerprint=False, seal=True, seed=11)
    assert r.seal_box is not None
    m = judge(r, mode)
    assert not m.has_fingerprint
    assert m.has_signature


@pytest.mark.parametrize("mode", SCANS)
def test_a_seal_beside_the_date_line_is_no_fingerprint(mode: Mode) -> None:
    m = judge(drawn(signature=False, fingerprint=False, seal=True, seal_near=True, seed=12), mode)
    assert not m.has_fingerprint
    assert not m.has_signature


@pytest.mark.parametrize("mode", SCANS)
def test_with_seal_and_fingerprint_the_small_blob_near_the_line_wins(mode: Mode) -> None:
    r = drawn(signature=True, fingerprint=True, seal=True, seal_near=True, seed=13)
    m = judge(r, mode)
    assert m.has_fingerprint
    assert overlap(m.fingerprint_bbox, r.fingerprint_box) > 0.5
    assert overlap(m.fingerprint_bbox, r.seal_box) < 0.2


def _seal_across_the_hint(pressed: bool, seed: int) -> Rendered:
    """A red seal stamped so its ring and arc text cross where the fingerprint goes."""
    placed = render_letter(LetterCase(signature=True, fingerprint=True, fp_at="hint", seed=seed))
    r = placed if pressed else render_letter(LetterCase(signature=True, fingerprint=False, fp_at="hint", seed=seed))
    assert placed.fingerprint_box is not None
    r.image = cv2.GaussianBlur(r.image, (0, 0), 1.5)  # a soft scan: the pad's red is a solid smear
    sa = seal_alpha(np.random.default_rng(seed), 200)
    radius = sa.shape[0] / 2
    bx0, by0, bx1, by1 = placed.fingerprint_box
    # the fingerprint's centre lies on the band of arc text just inside the ring
    cx, cy = (bx0 + bx1) / 2 + 0.54 * radius, (by0 + by1) / 2 - 0.72 * radius
    canvas = cv2.cvtColor(r.image, cv2.COLOR_BGR2RGB).astype(np.float32) / 255
    _blend(canvas, sa, (210, 35, 45), int(cx - radius), int(cy - radius))
    r.image = cv2.cvtColor((canvas * 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
    return r


@pytest.mark.parametrize("pressed", [True, False], ids=["fingerprint", "seal-only"])
def test_a_fingerprint_across_a_seal_ring_is_not_cut_off(pressed: bool) -> None:
    # the ring band is wiped so a fingerprint cannot merge with it; the dense red of the
    # fingerprint itself must survive that, and the seal's own ring and text must not
    r = _seal_across_the_hint(pressed, seed=7)
    m = judge(r)
    assert m.has_fingerprint == pressed
    if pressed:
        assert overlap(m.fingerprint_bbox, r.fingerprint_box) > 0.5


def test_signature_written_over_the_printed_hint_counts() -> None:
    r = drawn(signature=True, fingerprint=False, sig_at="over_hint", seed=21)
    assert judge(r).has_signature


def test_signature_after_the_hint_counts() -> None:
    r = drawn(signature=True, fingerprint=False, sig_at="after_hint", seed=22)
    assert judge(r, "binary").has_signature


@pytest.mark.parametrize("mode", ["colour", "gray"])
def test_fingerprint_pressed_over_the_signature(mode: Mode) -> None:
    r = drawn(signature=True, fingerprint=True, fp_at="signature", seed=23)
    m = judge(r, mode)
    assert m.has_fingerprint and m.has_signature


def test_an_empty_line_with_a_printed_underline_is_unsigned() -> None:
    m = judge(drawn(signature=False, fingerprint=False, underline=True, seed=24), "binary")
    assert not m.has_signature


@pytest.mark.parametrize("ocr_text", ["承诺入：（签字、手印）", "承诺 人:（签字、手印）", "承诺人：李四（签字、手印）"])
def test_fuzzy_and_merged_ocr_of_the_line(ocr_text: str) -> None:
    signed = drawn(signature=True, fingerprint=True, ocr_text=ocr_text, seed=25)
    empty = drawn(signature=False, fingerprint=False, ocr_text=ocr_text, seed=25)
    assert judge(signed).has_signature and judge(signed).has_fingerprint
    assert not judge(empty, "gray").has_signature


def test_split_ocr_lines() -> None:
    r = drawn(signature=True, fingerprint=True, ocr_split=True, seed=26)
    m = judge(r, "gray")
    assert m.has_signature and m.has_fingerprint


def _without(r: Rendered, *words: str) -> ReadPage:
    page = as_page(r)
    lines = [ln for ln in r.lines if not any(w in ln.text for w in words)]
    page.ocr = OcrPage(engine="synthetic", lines=lines, width=page.ocr.width, height=page.ocr.height)
    return page


def test_unread_anchor_falls_back_to_the_hint_and_date_rows() -> None:
    r = drawn(signature=True, fingerprint=True, ocr_split=True, seed=27)
    m = detect_marks(_without(r, "承诺"))
    assert m.has_signature and m.has_fingerprint


def test_without_any_template_line_the_fingerprint_is_still_found_less_surely() -> None:
    r = drawn(signature=True, fingerprint=True, seed=28)
    m = detect_marks(_without(r, "承诺", "签字", "时"))
    assert not m.anchor_found
    assert m.has_fingerprint
    assert m.fingerprint_confidence < 1.0


def test_two_dimensional_gray_images_are_accepted() -> None:
    r = drawn(signature=True, fingerprint=True, seed=7)
    page = as_page(r)
    page.image = cv2.cvtColor(r.image, cv2.COLOR_BGR2GRAY)
    m = detect_marks(page)
    assert m.scan_kind == "gray" and m.has_signature and m.has_fingerprint


def test_blank_page_and_missing_image() -> None:
    blank = np.full((1200, 900, 3), 255, np.uint8)
    lines = [OcrLine(text="承诺人：（签字、手印）", confidence=0.9, polygon=[(300, 600), (700, 600), (700, 640), (300, 640)])]
    page = ReadPage(PageRef(file="x.png", page=1), OcrPage(engine="t", lines=lines, width=900, height=1200), blank)
    m = detect_marks(page)
    assert not m.has_signature and not m.has_fingerprint
    assert m.signature_confidence > 0.9
    page.image = None
    gone = detect_marks(page)
    assert gone.signature_confidence == 0.0 and gone.fingerprint_confidence == 0.0


def test_fields_for_the_letter() -> None:
    r = drawn(signature=True, fingerprint=False, seed=7)
    fields = judge(r).to_fields(page=2)
    assert fields["has_signature"].value is True and fields["has_fingerprint"].value is False
    assert fields["has_signature"].page == 2 and fields["has_signature"].bbox is not None
    assert fields["has_fingerprint"].bbox is None


@pytest.mark.parametrize("mode", SCANS)
def test_a_hint_the_ocr_dropped_is_found_by_its_look(mode: Mode) -> None:
    # the fingerprint sits on （签字、手印） and the engine returned nothing for it:
    # the printed hint must not pass for a signature
    r = drawn(signature=False, fingerprint=True, ocr_split=True, seed=30)
    m = detect_marks(_without_in(r, mode, "签字"))
    assert not m.has_signature
    assert m.has_fingerprint


def _without_in(r: Rendered, mode: Mode, *words: str) -> ReadPage:
    page = _without(r, *words)
    page.image = as_page(r, mode).image
    return page
