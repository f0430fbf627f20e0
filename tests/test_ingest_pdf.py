"""PDF pages: native scans, invisible OCR layers, born-digital text layers, mixed files."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from test_ingest_samples import (
    A4,
    corner_colours,
    jpeg_bytes,
    marked_image,
    merge_pdfs,
    scan_pdf,
    text_pdf,
)

from zhanchi.ingest import Limits, load_pages

SCAN_PX = (1240, 1754)
HIDDEN = "SCANNER OCR LAYER 1234567890 invisible text that must be ignored"


def _pages(path: Path) -> list:
    return list(load_pages(path, f"A0001/{path.name}", Limits()))


def _scan(tmp_path: Path, name: str = "scan.pdf", **spec: object) -> Path:
    image = marked_image(SCAN_PX)
    page: dict[str, object] = {"jpeg": jpeg_bytes(image), "px": SCAN_PX, **spec}
    return scan_pdf(tmp_path / name, [page])


@pytest.mark.parametrize("page_size", [A4, (612.0, 792.0), (300.0, 420.0), (1190.0, 1684.0)])
def test_full_page_scan_comes_out_at_native_resolution(tmp_path: Path, page_size: tuple) -> None:
    path = _scan(tmp_path, page=page_size, hidden=HIDDEN)
    (page,) = _pages(path)
    assert page.kind == "image" and page.lines is None
    assert (page.width, page.height) == SCAN_PX  # not re-rasterised at a guessed dpi
    assert page.dpi == pytest.approx(SCAN_PX[0] * 72 / page_size[0], rel=0.01)
    source = np.asarray(marked_image(SCAN_PX))[:, :, ::-1].astype(int)
    assert np.abs(page.image.astype(int) - source).mean() < 3  # the JPEG itself, decoded
    assert corner_colours(page.image) == ("red", "green", "blue", "white")


@pytest.mark.parametrize(
    ("spec", "corners", "landscape"),
    [
        # /Rotate 90: the viewer turns the page clockwise.
        ({"rotate": 90}, ("blue", "red", "white", "green"), True),
        ({"rotate": 180}, ("white", "blue", "green", "red"), False),
        ({"rotate": 270}, ("green", "white", "red", "blue"), True),
        # Placement matrix turning the image clockwise onto a landscape page.
        (
            {"page": (842, 595), "matrix": (0, -595, 842, 0, 0, 595)},
            ("blue", "red", "white", "green"),
            True,
        ),
        # Mirrored placement (negative x scale).
        ({"matrix": (-A4[0], 0, 0, A4[1], A4[0], 0)}, ("green", "red", "white", "blue"), False),
    ],
)
def test_scan_is_turned_as_it_shows_on_the_page(
    tmp_path: Path, spec: dict, corners: tuple, landscape: bool
) -> None:
    path = _scan(tmp_path, **spec)
    (page,) = _pages(path)
    assert page.kind == "image"
    assert (page.width > page.height) is landscape
    assert sorted((page.width, page.height)) == sorted(SCAN_PX)
    assert corner_colours(page.image) == corners
    # And it matches what PDFium draws for the page, scaled to the same size.
    rendered = pdfium.PdfDocument(path)[0].render(scale=1.0).to_numpy()[:, :, :3]
    small = cv2.resize(
        page.image, (rendered.shape[1], rendered.shape[0]), interpolation=cv2.INTER_AREA
    )
    assert np.abs(small.astype(int) - rendered.astype(int)).mean() < 12


def test_image_inside_a_turned_form_xobject(tmp_path: Path) -> None:
    # The image is drawn by a form XObject that the page places turned clockwise onto a
    # landscape page: the form's matrix must be composed with the image's.
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, jpeg_bytes(marked_image(SCAN_PX)))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = SCAN_PX[0], SCAN_PX[1], 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    form = pikepdf.Stream(pdf, f"q {A4[0]} 0 0 {A4[1]} 0 0 cm /Im0 Do Q".encode())
    form.Type, form.Subtype, form.BBox = (
        pikepdf.Name.XObject,
        pikepdf.Name.Form,
        [0, 0, A4[0], A4[1]],
    )
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, A4[1], A4[0]],
        Contents=pdf.make_stream(f"q 0 -1 1 0 0 {A4[0]} cm /Fx0 Do Q".encode()),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx0=form)),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(tmp_path / "form.pdf")
    (out,) = _pages(tmp_path / "form.pdf")
    assert out.kind == "image" and (out.width, out.height) == (SCAN_PX[1], SCAN_PX[0])
    assert corner_colours(out.image) == ("blue", "red", "white", "green")


def test_visible_text_over_a_full_page_image_is_a_text_page(tmp_path: Path) -> None:
    # An e-certificate: background picture with the data drawn on top as text.
    path = _scan(tmp_path, visible="Certificate No S000036000000000000001 issued 2020")
    (page,) = _pages(path)
    assert page.kind == "text_layer"
    assert any("S000036000000000000001" in line.text for line in page.lines)


def test_text_hidden_under_the_image_is_ignored(tmp_path: Path) -> None:
    path = _scan(tmp_path, under="Sandwich OCR text drawn before the image, so hidden")
    (page,) = _pages(path)
    assert page.kind == "image" and (page.width, page.height) == SCAN_PX


def test_photo_placed_with_margins_is_extracted(tmp_path: Path) -> None:
    # Image-to-PDF apps centre a photo on A4 with margins.
    path = _scan(tmp_path, matrix=(300, 0, 0, 424, 147, 209))
    (page,) = _pages(path)
    assert page.kind == "image" and (page.width, page.height) == SCAN_PX


def _letter_items() -> list[tuple[float, float, str, float]]:
    return [
        (72, 100, "承诺书", 22),
        (72, 160, "本人于2020年8月15日参加职业技能等级认定", 12),
        (72, 190, "证书编号：S000036000000000000001", 12),
        (72, 220, "姓名：张三", 12),
        (330, 220, "性别：男", 12),
    ]


def test_text_page_lines_and_rendering(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "letter.pdf", [_letter_items()])
    (page,) = _pages(path)
    assert page.kind == "text_layer" and page.dpi == 200
    assert (page.width, page.height) == (round(A4[0] * 200 / 72), round(A4[1] * 200 / 72))
    texts = [line.text for line in page.lines]
    assert texts == [
        "承诺书",
        "本人于2020年8月15日参加职业技能等级认定",
        "证书编号：S000036000000000000001",
        "姓名：张三",  # a wide gap splits label/value columns as OCR would
        "性别：男",
    ]
    assert all(line.confidence == 1.0 for line in page.lines)
    _assert_lines_on_ink(page)


def _assert_lines_on_ink(page) -> None:
    gray = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    ink = gray < 128
    covered = np.zeros_like(ink)
    for line in page.lines:
        x0, y0, x1, y1 = line.bbox
        box = ink[y0 : y1 + 1, x0 : x1 + 1]
        ys, xs = np.nonzero(box)
        assert len(xs) > 0, line.text
        # The ink inside the box reaches (nearly) every side of it: the box is tight
        # (up to glyph side bearings and the font's ascent/descent padding).
        slack = max(5, round(0.2 * (y1 - y0)))
        assert xs.min() <= slack and xs.max() >= box.shape[1] - 1 - slack, line.text
        assert ys.min() <= slack and ys.max() >= box.shape[0] - 1 - slack, line.text
        covered[max(y0 - 3, 0) : y1 + 4, max(x0 - 3, 0) : x1 + 4] = True
    assert not (ink & ~covered).any()  # no rendered text lies outside every line


@pytest.mark.parametrize(
    "edit",
    [
        {"CropBox": [40, 90, 520, 780]},
        {"MediaBox": [30, 60, 595.28, 841.89]},
        {"Rotate": 360},
    ],
)
def test_text_lines_follow_crop_and_media_boxes(tmp_path: Path, edit: dict) -> None:
    path = text_pdf(tmp_path / "boxed.pdf", [_letter_items()])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for key, value in edit.items():
            pdf.pages[0].obj[f"/{key}"] = value
        pdf.save(path)
    (page,) = _pages(path)
    assert page.kind == "text_layer" and len(page.lines) == 5
    _assert_lines_on_ink(page)


def test_sideways_text_page_is_left_to_ocr(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "sideways.pdf", [_letter_items()])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(path)
    (page,) = _pages(path)
    assert page.kind == "image" and page.lines is None  # OCR finds the orientation
    assert page.width > page.height


def test_text_layer_without_unicode_mapping_is_left_to_ocr(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "cid.pdf", [[(72, 100, "承诺书本人参加职业技能等级认定考试", 14)]])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
        pdf.save(path)
    (page,) = _pages(path)
    assert page.kind == "image" and page.lines is None and page.dpi == 200


def test_mixed_pdf_keeps_each_page_kind(tmp_path: Path) -> None:
    letter = text_pdf(tmp_path / "t.pdf", [_letter_items()])
    scan = _scan(tmp_path, hidden=HIDDEN)
    blank = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=A4)
    pdf.save(blank)
    path = merge_pdfs(tmp_path / "mixed.pdf", [letter, scan, letter, blank])
    pages = _pages(path)
    assert [p.kind for p in pages] == ["text_layer", "image", "text_layer", "image"]
    assert [p.page for p in pages] == [1, 2, 3, 4]
    assert all(p.file == "A0001/mixed.pdf" for p in pages)
    assert (pages[1].width, pages[1].height) == SCAN_PX
    assert pages[3].image.min() == 255  # blank page rendered for OCR, not dropped


def test_stencil_mask_scan_is_rendered(tmp_path: Path) -> None:
    # Some fax software stores a bilevel page as an /ImageMask painted black.
    bw = marked_image((850, 1100)).convert("L").point(lambda v: 255 if v > 200 else 0).convert("1")
    raw = bw.tobytes()  # mask sample 0 (black) paints with the fill colour
    pdf = pikepdf.new()
    mask = pikepdf.Stream(pdf, raw)
    mask.Type, mask.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    mask.Width, mask.Height, mask.BitsPerComponent, mask.ImageMask = 850, 1100, 1, True
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 612, 792],
        Contents=pdf.make_stream(b"q 0 g 612 0 0 792 0 0 cm /Im0 Do Q"),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=mask)),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(tmp_path / "fax.pdf")
    (out,) = _pages(tmp_path / "fax.pdf")
    assert out.kind == "image" and out.dpi == 200
    gray = cv2.cvtColor(out.image, cv2.COLOR_BGR2GRAY)
    assert (
        gray[:20, :20].mean() < 128 and gray[-20:, -20:].mean() > 200
    )  # ink where the page shows ink


def test_pdf_pages_are_yielded_one_at_a_time(tmp_path: Path) -> None:
    path = scan_pdf(
        tmp_path / "three.pdf",
        [{"jpeg": jpeg_bytes(marked_image((300, 400))), "px": (300, 400)}] * 3,
    )
    stream = load_pages(path, "three.pdf", Limits())
    assert next(stream).page == 1
    assert [p.page for p in stream] == [2, 3]


def test_fake_bold_text_is_read_once(tmp_path: Path) -> None:
    # Word processors fake bold CJK by drawing the text again a fraction of a point off.
    items = [(72, 100, "承诺书", 22), (72.4, 100.3, "承诺书", 22), (72, 160, "姓名：张三", 12)]
    (page,) = _pages(text_pdf(tmp_path / "bold.pdf", [items]))
    assert [line.text for line in page.lines] == ["承诺书", "姓名：张三"]


def test_label_before_value_when_fonts_differ(tmp_path: Path) -> None:
    # Certificates print the label small and the value larger, baselines a bit apart.
    items = [(72, 100, "姓名：", 11), (250, 102, "王军", 14), (72, 140, "证书编号：", 11)]
    (page,) = _pages(text_pdf(tmp_path / "cert.pdf", [items]))
    assert [line.text for line in page.lines] == ["姓名：", "王军", "证书编号："]


def test_memory_holds_one_page_not_the_whole_file(tmp_path: Path) -> None:
    import tracemalloc

    page = {"jpeg": jpeg_bytes(marked_image(SCAN_PX)), "px": SCAN_PX}
    path = scan_pdf(tmp_path / "twelve.pdf", [page] * 12)
    one_page = SCAN_PX[0] * SCAN_PX[1] * 3
    tracemalloc.start()
    try:
        count = 0
        for raw in load_pages(path, "twelve.pdf", Limits()):
            count += 1
            del raw
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 12
    assert peak < 3 * one_page  # numpy arrays are traced: 12 pages would be 78 MB
