"""One cache-key function and one default database URL, compatible with what the old
code wrote: a rerun into an OUT_DIR made before finds its database and its OCR cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from zhanchi.pipeline.batch import settings_from_args
from zhanchi.store import Store, ocr_cache_key, resolve_url

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"


def old_pipeline_cache_key(file_sha256: str, page: int, cleaning: str, engine: str) -> str:
    """``zhanchi.pipeline.read.cache_key`` as it was (the key every stored cache holds)."""
    return hashlib.sha256(f"{file_sha256}:{page}:{cleaning}:{engine}".encode()).hexdigest()


def old_batch_url(out: Path) -> str:
    """The default URL ``pipeline.batch.settings_from_args`` computed before."""
    return f"sqlite:///{(out / 'zhanchi.sqlite3').resolve()}"


def test_cache_key_is_the_one_old_caches_were_written_under() -> None:
    for args in (("ab" * 32, 1, "clean-3", "rapidocr-3.10.0/PP-OCRv6_small+det1280"),
                 ("cd" * 32, 7, "clean-3", "text")):
        assert ocr_cache_key(*args) == old_pipeline_cache_key(*args)


@pytest.mark.parametrize("name", ["out", "输出 目录"])
def test_rerun_into_an_old_out_dir_finds_its_database(tmp_path: Path, name: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHANCHI_DATABASE_URL", raising=False)
    real = tmp_path / "disk" / name
    real.mkdir(parents=True)
    key = ocr_cache_key("ef" * 32, 1, "clean-3", "null")
    with Store.open(old_batch_url(real)) as old:  # the database the old code made
        old.put_ocr(key, {"marker": 1})
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "disk")
    monkeypatch.chdir(tmp_path)
    # the same folder named three ways: through a symlink, relative, and as it is
    for out in (link / name, Path("disk") / name, real):
        settings = settings_from_args(SAMPLE / "inbox", SAMPLE / "registry", out, "2024-06-30",
                                      None, "null")
        assert settings.db_url == resolve_url(None, out)
        with Store.open(settings.db_url) as store:
            assert store.get_ocr(key) == {"marker": 1}
    assert sorted(os.listdir(real)) == ["zhanchi.sqlite3"]  # no second database beside it


def test_explicit_and_environment_urls_still_win(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHANCHI_DATABASE_URL", "sqlite:///from-env.db")
    args = (SAMPLE / "inbox", SAMPLE / "registry", tmp_path, "2024-06-30")
    assert settings_from_args(*args, None, "null").db_url == "sqlite:///from-env.db"
    assert settings_from_args(*args, "sqlite:///given.db", "null").db_url == "sqlite:///given.db"
