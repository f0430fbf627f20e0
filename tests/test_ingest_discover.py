"""Inbox discovery: submission ids, file hashes, ignore rules, content identity."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zhanchi.errors import InputError
from zhanchi.ingest import discover
from zhanchi.ingest.discover import content_sha256, file_sha256, is_ignored


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    _write(root / "SCAN0001.pdf", b"%PDF-scan")
    _write(root / "A0001" / "letter.jpg", b"letter")
    _write(root / "A0001" / "certs" / "cert.pdf", b"cert")
    for litter in [
        ".DS_Store",
        "~$draft.docx",
        "upload.jpg.part",
        "x.tmp",
        "Thumbs.db",
        ".hidden/p.jpg",
    ]:
        _write(root / "A0001" / litter, b"ignore me")
    _write(root / ".partial.pdf", b"hidden at top level")
    _write(root / "B0002.jpg.part", b"still uploading")
    _write(root / "__MACOSX" / "._A0001", b"zip litter")
    (root / "C0003").mkdir()  # an empty folder is still a submission
    return root


def test_ids_are_stems_or_folder_names_sorted(inbox: Path) -> None:
    entries = discover(inbox)
    assert [e.submission_id for e in entries] == ["A0001", "C0003", "SCAN0001"]
    assert [e.is_folder for e in entries] == [True, True, False]


def test_files_have_relative_paths_hashes_and_sizes(inbox: Path) -> None:
    a, empty, scan = discover(inbox)
    assert [f.path for f in a.submission.files] == ["A0001/certs/cert.pdf", "A0001/letter.jpg"]
    assert a.paths == {
        "A0001/certs/cert.pdf": inbox / "A0001/certs/cert.pdf",
        "A0001/letter.jpg": inbox / "A0001/letter.jpg",
    }
    assert list(a.items()) == list(a.paths.items())
    assert all(path.is_absolute() for path in a.paths.values())
    letter = a.submission.files[1]
    assert letter.sha256 == hashlib.sha256(b"letter").hexdigest() and letter.size == 6
    assert [f.path for f in scan.submission.files] == ["SCAN0001.pdf"]
    assert scan.paths == {"SCAN0001.pdf": inbox / "SCAN0001.pdf"}
    assert empty.submission.files == [] and empty.paths == {}


def test_content_hash_is_over_paths_within_the_entry(inbox: Path) -> None:
    a, _, scan = discover(inbox)
    expected = content_sha256(
        [
            ("letter.jpg", hashlib.sha256(b"letter").hexdigest()),
            ("certs/cert.pdf", hashlib.sha256(b"cert").hexdigest()),
        ]
    )
    assert a.submission.content_sha256 == expected
    assert scan.submission.content_sha256 == content_sha256(
        [("SCAN0001.pdf", hashlib.sha256(b"%PDF-scan").hexdigest())]
    )


def test_content_hash_changes_with_bytes_not_mtime(inbox: Path, tmp_path: Path) -> None:
    before = {e.submission_id: e.submission.content_sha256 for e in discover(inbox)}
    os.utime(inbox / "A0001" / "letter.jpg", (1_700_000_000, 1_700_000_000))
    os.utime(inbox / "SCAN0001.pdf", (1_600_000_000, 1_600_000_000))
    assert {e.submission_id: e.submission.content_sha256 for e in discover(inbox)} == before
    # Same packet in another inbox: same identity.
    moved = tmp_path / "elsewhere"
    shutil.copytree(inbox, moved)
    assert {e.submission_id: e.submission.content_sha256 for e in discover(moved)} == before
    (inbox / "A0001" / "certs" / "cert.pdf").write_bytes(b"cert, rescanned")
    after = {e.submission_id: e.submission.content_sha256 for e in discover(inbox)}
    assert after["A0001"] != before["A0001"]
    assert after["SCAN0001"] == before["SCAN0001"] and after["C0003"] == before["C0003"]


def test_renaming_a_file_inside_a_folder_changes_the_content_hash(inbox: Path) -> None:
    before = discover(inbox)[0].submission.content_sha256
    (inbox / "A0001" / "letter.jpg").rename(inbox / "A0001" / "page1.jpg")
    assert discover(inbox)[0].submission.content_sha256 != before


def test_received_at_is_the_newest_file_mtime_in_utc(inbox: Path) -> None:
    os.utime(inbox / "A0001" / "letter.jpg", (1_600_000_000, 1_600_000_000))
    os.utime(inbox / "A0001" / "certs" / "cert.pdf", (1_700_000_000, 1_700_000_000))
    os.utime(inbox / "A0001" / ".DS_Store", (1_800_000_000, 1_800_000_000))  # ignored
    a = discover(inbox)[0]
    assert a.submission.received_at == datetime.fromtimestamp(1_700_000_000, tz=UTC)
    assert a.submission.received_at.tzinfo is not None


def test_files_are_in_natural_page_order(tmp_path: Path) -> None:
    for name in ["p10.jpg", "p2.jpg", "p1.jpg"]:
        _write(tmp_path / "A1" / name, name.encode())
    (entry,) = discover(tmp_path)
    assert [f.path for f in entry.submission.files] == ["A1/p1.jpg", "A1/p2.jpg", "A1/p10.jpg"]


def test_entries_sharing_a_stem_keep_distinct_ids(tmp_path: Path) -> None:
    _write(tmp_path / "SCAN1.pdf", b"a")
    _write(tmp_path / "SCAN1.jpg", b"b")
    _write(tmp_path / "SCAN2.pdf", b"c")
    assert [e.submission_id for e in discover(tmp_path)] == ["SCAN1.jpg", "SCAN1.pdf", "SCAN2"]


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        (".DS_Store", True),
        ("~$letter.docx", True),
        ("scan.PDF.part", True),
        ("scan.TMP", True),
        ("thumbs.db", True),
        ("letter.jpg", False),
        ("A0001", False),
        ("scan.partial.pdf", False),
    ],
)
def test_ignore_rules(name: str, ignored: bool) -> None:
    assert is_ignored(name) is ignored


def test_hashing_streams_big_files(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = _write(tmp_path / "big.tif", data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_missing_inbox_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        discover(tmp_path / "nope")


def test_symlinked_folders_inside_a_submission_are_not_followed(tmp_path: Path) -> None:
    _write(tmp_path / "A1" / "p1.jpg", b"1")
    (tmp_path / "A1" / "loop").symlink_to(tmp_path / "A1", target_is_directory=True)
    (entry,) = discover(tmp_path)
    assert [f.path for f in entry.submission.files] == ["A1/p1.jpg"]


def test_paths_are_absolute_for_a_relative_inbox(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(inbox.parent)
    entries = discover(Path(inbox.name))
    assert entries[0].paths["A0001/letter.jpg"] == inbox / "A0001" / "letter.jpg"
    assert entries[2].submission.files[0].path == "SCAN0001.pdf"
