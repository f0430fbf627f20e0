"""Files that cannot or must not be read are refused fast, with a clear, data-free message."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from test_ingest_samples import (
    blank_pdf,
    jpeg_bytes,
    marked_image,
    png_header_only,
    scan_pdf,
    text_pdf,
    tiff_header_only,
)

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest import Limits, count_pages, iter_pages, load_pages

FAST_S = 1.0


def _refuse(path: Path, limits: Limits | None = None) -> UnreadablePageError:
    start = time.perf_counter()
    with pytest.raises(UnreadablePageError) as info:
        list(load_pages(path, f"A0001/{path.name}", limits or Limits()))
    assert time.perf_counter() - start < FAST_S
    error = info.value
    assert error.reason == "unreadable_page" and error.exit_code == 0
    assert error.file == f"A0001/{path.name}"
    assert error.message.startswith(f"A0001/{path.name}")
    assert str(path.parent) not in error.message  # never an absolute path
    return error


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert "empty" in _refuse(tmp_path / "empty.pdf").message


def test_corrupt_pdf(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert "corrupt" in _refuse(tmp_path / "bad.pdf").message


def test_truncated_pdf(tmp_path: Path) -> None:
    good = text_pdf(tmp_path / "good.pdf", [[(72, 72, "承诺书", 20)]])
    data = good.read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[:200])
    _refuse(tmp_path / "cut.pdf")


def test_password_protected_pdf(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "plain.pdf", [[(72, 72, "承诺书", 20)]])
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
    assert "password" in _refuse(tmp_path / "locked.pdf").message


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "plain.pdf", [[(72, 72, "承诺书", 20)]])
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "restricted.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
    (page,) = load_pages(tmp_path / "restricted.pdf", "restricted.pdf", Limits())
    assert page.kind == "text_layer" and page.lines[0].text == "承诺书"


def test_zero_page_pdf(tmp_path: Path) -> None:
    blank = blank_pdf(tmp_path / "one.pdf", 1)
    with pikepdf.open(blank) as pdf:
        del pdf.pages[0]
        pdf.save(tmp_path / "none.pdf")
    assert "no pages" in _refuse(tmp_path / "none.pdf").message


@pytest.mark.parametrize("name", ["notes.docx", "readme.txt", "scan"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"PK\x03\x04 not a page")
    assert "unsupported file type" in _refuse(tmp_path / name).message


def test_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_bytes(b"this is text, not a PNG")
    assert "not a readable image" in _refuse(tmp_path / "fake.png").message


def test_huge_png_refused_from_its_header(tmp_path: Path) -> None:
    error = _refuse(png_header_only(tmp_path / "huge.png", 20000, 20000))
    assert error.message == "A0001/huge.png p.1: 20000×20000 px exceeds the 60 MP page limit"


def test_png_beyond_pils_own_bomb_guard(tmp_path: Path) -> None:
    # PIL refuses this one itself (> 179 MP); the message still gives the size.
    error = _refuse(png_header_only(tmp_path / "bomb.png", 40000, 40000))
    assert "40000×40000 px exceeds the 60 MP page limit" in error.message


def test_huge_tiff_refused_from_its_header(tmp_path: Path) -> None:
    error = _refuse(tiff_header_only(tmp_path / "huge.tif", 30000, 30000))
    assert "exceeds the 60 MP page limit" in error.message


def test_pixel_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes(marked_image((1000, 1000))))
    error = _refuse(path, Limits(max_pixels_per_page=500_000))
    assert "1000×1000 px exceeds the 0.5 MP page limit" in error.message
    assert len(list(load_pages(path, "photo.jpg", Limits(max_pixels_per_page=1_000_000)))) == 1


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg_bytes(marked_image((800, 800))))
    error = _refuse(path, Limits(max_file_bytes=1000))
    assert "file limit" in error.message


def test_500_page_pdf_refused_before_rendering(tmp_path: Path) -> None:
    path = blank_pdf(tmp_path / "long.pdf", 500)
    error = _refuse(path)
    assert error.message == "A0001/long.pdf: 500 pages exceeds the 50-page submission limit"
    with pytest.raises(UnreadablePageError):
        count_pages(path, "long.pdf", Limits())


def test_huge_embedded_image_refused_before_decoding(tmp_path: Path) -> None:
    # The stream claims 30000×30000 px; decoding it would need 2.7 GB.
    tiny = jpeg_bytes(marked_image((64, 64)))
    path = scan_pdf(tmp_path / "bomb.pdf", [{"jpeg": tiny, "px": (30000, 30000)}])
    error = _refuse(path)
    assert error.page == 1 and "30000×30000 px exceeds" in error.message


def test_huge_page_refused_before_rendering(tmp_path: Path) -> None:
    # 200 × 200 inch text page: 40000 × 40000 px at 200 dpi.
    path = text_pdf(tmp_path / "poster.pdf", [[(72, 72, "承诺书", 20)]], size=(14400, 14400))
    error = _refuse(path)
    assert error.page == 1 and "exceeds the 60 MP page limit" in error.message


def test_a_bad_page_does_not_hide_the_next(tmp_path: Path) -> None:
    ok = {"jpeg": jpeg_bytes(marked_image((300, 400))), "px": (300, 400)}
    bomb = {"jpeg": jpeg_bytes(marked_image((64, 64))), "px": (30000, 30000)}
    path = scan_pdf(tmp_path / "three.pdf", [ok, bomb, ok])
    items = list(iter_pages(path, "three.pdf", Limits()))
    assert [type(i).__name__ for i in items] == ["RawPage", "UnreadablePageError", "RawPage"]
    assert items[1].page == 2


_MEMORY_PROBE = """
import json, resource, sys
from pathlib import Path
from zhanchi.errors import UnreadablePageError
from zhanchi.ingest import Limits, load_pages
import numpy, PIL.Image, pypdfium2, pdfplumber  # imported before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refused = 0
for name in sys.argv[1:]:
    try:
        list(load_pages(Path(name), Path(name).name, Limits()))
    except UnreadablePageError:
        refused += 1
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"refused": refused, "grew_kb": after - before}))
"""


def test_refusals_allocate_no_page_sized_memory(tmp_path: Path) -> None:
    files = [
        png_header_only(tmp_path / "huge.png", 20000, 20000),  # 1.2 GB if decoded
        tiff_header_only(tmp_path / "huge.tif", 30000, 30000),
        scan_pdf(
            tmp_path / "bomb.pdf",
            [{"jpeg": jpeg_bytes(marked_image((64, 64))), "px": (30000, 30000)}],
        ),
        blank_pdf(tmp_path / "long.pdf", 500),
    ]
    result = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["refused"] == len(files)
    assert report["grew_kb"] < 50_000  # under 50 MB, against gigabytes if decoded


def test_any_object_with_the_three_limit_fields_is_accepted(tmp_path: Path) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Settings:  # the shape of zhanchi.config.Limits
        max_pages_per_submission: int = 50
        max_pixels_per_page: int = 500_000
        max_file_bytes: int = 200 * 1024 * 1024

    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes(marked_image((1000, 1000))))
    with pytest.raises(UnreadablePageError, match="0.5 MP page limit"):
        list(load_pages(path, "photo.jpg", Settings()))
    assert Limits.of(Settings()).max_pixels_per_page == 500_000
    assert Limits.of(None) == Limits()
