"""Whole submissions: pages in file order, problems as values, submission-level limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_ingest_samples import blank_pdf, jpeg_bytes, marked_image, scan_pdf, text_pdf

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest import Limits, RawPage, check_entry, discover, load_entry


def _only(inbox: Path):
    (entry,) = discover(inbox)
    return entry


def test_folder_pages_come_in_file_order(tmp_path: Path) -> None:
    folder = tmp_path / "A0001"
    folder.mkdir()
    (folder / "1_letter.jpg").write_bytes(jpeg_bytes(marked_image((300, 400))))
    text_pdf(folder / "2_cert.pdf", [[(72, 72, "职业技能等级证书", 20)], [(72, 72, "第二页", 20)]])
    entry = _only(tmp_path)
    assert check_entry(entry) == 3
    items = list(load_entry(entry))
    assert [(p.file, p.page, p.kind) for p in items] == [
        ("A0001/1_letter.jpg", 1, "image"),
        ("A0001/2_cert.pdf", 1, "text_layer"),
        ("A0001/2_cert.pdf", 2, "text_layer"),
    ]


def test_empty_folder_yields_one_error_fast(tmp_path: Path) -> None:
    (tmp_path / "A0002").mkdir()
    entry = _only(tmp_path)
    start = time.perf_counter()
    with pytest.raises(UnreadablePageError) as info:
        check_entry(entry)
    assert time.perf_counter() - start < 1.0
    assert info.value.file == "A0002" and "no files" in info.value.message
    (item,) = load_entry(entry)
    assert isinstance(item, UnreadablePageError) and item.file == "A0002"


def test_folder_without_supported_files_reports_each_file(tmp_path: Path) -> None:
    (tmp_path / "A0003").mkdir()
    (tmp_path / "A0003" / "notes.docx").write_bytes(b"PK")
    (tmp_path / "A0003" / "readme.txt").write_bytes(b"hello")
    entry = _only(tmp_path)
    with pytest.raises(UnreadablePageError, match="no readable PDF or image"):
        check_entry(entry)
    items = list(load_entry(entry))
    assert [type(i) for i in items] == [UnreadablePageError, UnreadablePageError]
    assert [i.file for i in items] == ["A0003/notes.docx", "A0003/readme.txt"]


def test_a_bad_file_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "A0004"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg_bytes(marked_image((300, 400))))
    (folder / "b.pdf").write_bytes(b"%PDF-1.7 broken")
    (folder / "c.png").write_bytes(b"")
    marked_image((300, 400)).save(folder / "d.png")
    items = list(load_entry(_only(tmp_path)))
    assert [(type(i).__name__, i.file) for i in items] == [
        ("RawPage", "A0004/a.jpg"),
        ("UnreadablePageError", "A0004/b.pdf"),
        ("UnreadablePageError", "A0004/c.png"),
        ("RawPage", "A0004/d.png"),
    ]


def test_page_limit_counts_across_the_submission(tmp_path: Path) -> None:
    folder = tmp_path / "A0005"
    folder.mkdir()
    blank_pdf(folder / "part1.pdf", 30)
    blank_pdf(folder / "part2.pdf", 30)
    entry = _only(tmp_path)
    start = time.perf_counter()
    (item,) = load_entry(entry)
    assert time.perf_counter() - start < 1.0  # refused from page counts, nothing rendered
    assert isinstance(item, UnreadablePageError)
    assert item.message == "A0005: 60 pages exceeds the 50-page submission limit"
    assert check_entry(entry, Limits(max_pages_per_submission=60)) == 60


def test_single_file_submission(tmp_path: Path) -> None:
    scan_pdf(
        tmp_path / "SCAN0001.pdf",
        [{"jpeg": jpeg_bytes(marked_image((620, 877))), "px": (620, 877)}],
    )
    entry = _only(tmp_path)
    (page,) = load_entry(entry)
    assert isinstance(page, RawPage)
    assert (page.file, page.page, page.width, page.height) == ("SCAN0001.pdf", 1, 620, 877)
