"""Raster files: JPEG/PNG/TIFF pages come out as upright BGR uint8 arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_ingest_samples import corner_colours, jpeg_bytes, marked_image

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest import Limits, count_pages, load_pages


def _load(path: Path, limits: Limits | None = None) -> list:
    return list(load_pages(path, path.name, limits or Limits()))


def test_jpeg_is_bgr_with_its_dpi(tmp_path: Path) -> None:
    path = tmp_path / "letter.jpg"
    path.write_bytes(jpeg_bytes(marked_image((620, 877)), dpi=200))
    (page,) = _load(path)
    assert (page.file, page.page, page.kind, page.lines) == ("letter.jpg", 1, "image", None)
    assert page.image.shape == (877, 620, 3) and page.image.dtype == np.uint8
    assert page.image.flags.c_contiguous
    assert page.dpi == pytest.approx(200)
    assert corner_colours(page.image) == ("red", "green", "blue", "white")  # BGR, not RGB


@pytest.mark.parametrize(
    ("orientation", "corners"),
    [
        (1, ("red", "green", "blue", "white")),
        (3, ("white", "blue", "green", "red")),  # stored upside down
        (6, ("blue", "red", "white", "green")),  # stored turned 90° anticlockwise
        (8, ("green", "white", "red", "blue")),  # stored turned 90° clockwise
        (2, ("green", "red", "white", "blue")),  # mirrored
    ],
)
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int, corners: tuple) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes(marked_image((400, 600)), orientation=orientation))
    (page,) = _load(path)
    expected_shape = (400, 600, 3) if orientation in (6, 8) else (600, 400, 3)
    assert page.image.shape == expected_shape
    assert corner_colours(page.image) == corners


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "LA", "1", "I;16"])
def test_png_modes_convert_to_bgr(tmp_path: Path, mode: str) -> None:
    rgb = marked_image((300, 420))
    if mode == "I;16":
        gray = np.asarray(rgb.convert("L"), dtype=np.uint16) * 16  # 12-bit data in 16 bits
        im = Image.fromarray(gray)
    elif mode == "RGBA":
        im = rgb.convert("RGBA")
        im.putalpha(Image.new("L", im.size, 0).point(lambda _: 0))  # fully transparent
    else:
        im = rgb.convert(mode)
    path = tmp_path / f"page_{mode.replace(';', '')}.png"
    im.save(path)
    (page,) = _load(path)
    assert page.image.shape == (420, 300, 3) and page.image.dtype == np.uint8
    if mode == "RGBA":
        assert page.image.min() == 255  # transparent areas are paper, not black
    elif mode == "I;16":
        assert page.image.max() >= 250  # stretched to full range, not left dark
        assert page.image[2, 2].max() < 128  # the red mark is dark in gray
    else:  # the red mark stays darker than the paper (dithered when bilevel)
        assert page.image[-20:, -20:].mean() > 200 and page.image[:20, :20].mean() < 200


def test_cmyk_jpeg_converts(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    marked_image((300, 400)).convert("CMYK").save(path, "JPEG")
    (page,) = _load(path)
    assert corner_colours(page.image)[0] == "red"


def test_multipage_tiff_g4_bilevel(tmp_path: Path) -> None:
    frames = [marked_image((850, 1100), text=f"第{i}页").convert("1") for i in range(3)]
    path = tmp_path / "scan.tif"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="group4", dpi=(300, 300)
    )
    assert Image.open(path).info["compression"] == "group4"
    assert count_pages(path, "scan.tif", Limits()) == 3
    pages = _load(path)
    assert [p.page for p in pages] == [1, 2, 3]
    for page, frame in zip(pages, frames, strict=True):
        assert page.image.shape == (1100, 850, 3)
        expected = np.asarray(frame.convert("L"))
        assert np.array_equal(page.image[:, :, 0], expected)  # lossless, not inverted
        assert page.dpi == pytest.approx(300)


def test_tiff_mixed_modes_palette_and_16_bit(tmp_path: Path) -> None:
    rgb = marked_image((200, 300))
    deep = Image.fromarray(np.asarray(rgb.convert("L"), dtype=np.uint16) * 257)
    path = tmp_path / "mixed.tiff"
    rgb.convert("P").save(path, save_all=True, append_images=[deep, rgb])
    pages = _load(path)
    assert len(pages) == 3
    for page in pages:
        assert page.image.shape == (300, 200, 3) and page.image.dtype == np.uint8
    assert corner_colours(pages[0].image)[0] == "red"
    assert deep.mode == "I;16" and abs(int(pages[1].image[-5, -5, 0]) - 255) <= 1


def test_pages_are_yielded_lazily(tmp_path: Path) -> None:
    frames = [marked_image((200, 300)) for _ in range(4)]
    path = tmp_path / "many.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    stream = load_pages(path, "many.tif", Limits())
    first = next(stream)
    assert first.page == 1  # the generator has decoded one frame, not four
    assert len(list(stream)) == 3


def test_truncated_jpeg_is_unreadable(tmp_path: Path) -> None:
    data = jpeg_bytes(marked_image((600, 800)))
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadablePageError) as info:
        _load(path)
    assert info.value.file == "cut.jpg" and info.value.reason == "unreadable_page"
    assert str(tmp_path) not in info.value.message  # no absolute paths leak


def test_jpeg_saved_as_pdf_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "phone.pdf"
    path.write_bytes(jpeg_bytes(marked_image((300, 400))))
    (page,) = _load(path)
    assert page.kind == "image" and page.image.shape == (400, 300, 3)


def test_tiff_orientation_tag_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "turned.tif"
    marked_image((400, 600)).save(path, tiffinfo={274: 6})
    (page,) = _load(path)
    assert page.image.shape == (400, 600, 3)
    assert corner_colours(page.image) == ("blue", "red", "white", "green")


def test_tiff_thumbnail_frames_are_not_pages() -> None:
    from zhanchi.ingest.images import _page_frames

    class FakeTiff:  # frames: page, thumbnail of it (NewSubfileType bit 0), page
        format, n_frames, width, height = "TIFF", 3, 100, 100
        subfile_types = [0, 1, 0]
        frame = 0

        def seek(self, index: int) -> None:
            self.frame = index

        @property
        def tag_v2(self) -> dict[int, int]:
            return {254: self.subfile_types[self.frame]}

    assert _page_frames(FakeTiff(), "x.tif", Limits()) == [0, 2]  # type: ignore[arg-type]
