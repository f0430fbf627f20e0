"""Opening the store: migrations from the package, idempotent, safe when run at once."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import inspect
from store_samples import ROOT, run_processes

from zhanchi.errors import StoreError
from zhanchi.store import DATABASE_URL_ENV, Store, default_url, resolve_url
from zhanchi.store.migrate import MIGRATIONS_DIR, current_revision, head_revision
from zhanchi.store.schema import metadata

pytest_plugins = ["pg_fixtures"]

EXPECTED_TABLES = {
    "batches", "submissions", "source_files", "pages", "page_images", "documents", "fields",
    "checks", "ocr_cache", "recorded_claims", "events", "event_chain_head", "registry_imports",
    "registry_agencies", "registry_certificates", "registry_claims", "users", "case_locks",
    "review_decisions", "submission_links", "login_sessions", "login_throttle",
    "pending_forms", "app_secrets", "case_versions", "export_marks",
    "registry_agency_aliases", "qa_samples",
}


def test_empty_database_gets_every_table_at_head(store_url: str) -> None:
    with Store.open(store_url) as store:
        tables = set(inspect(store.engine).get_table_names())
        assert EXPECTED_TABLES | {"alembic_version"} == tables
        assert set(metadata.tables) == EXPECTED_TABLES
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision()


def test_opening_again_is_idempotent_and_keeps_data(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.append_event("test", "me", {"n": 1})
    for _ in range(2):
        with Store.open(store_url) as store:
            report = store.verify_chain()
            assert report.ok and report.checked == 1


def test_migrations_match_the_models(store: Store) -> None:
    # autogenerate finds nothing to do: the migration scripts create exactly the models
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_concurrent_opens_of_a_fresh_database(store_url: str) -> None:
    code = """
        from zhanchi.store import Store
        wait_go()
        store = Store.open(sys.argv[2])
        store.append_event("open", "p", {})
        print(store.verify_chain().ok)
        store.close()
    """
    assert run_processes(code, [[store_url]] * 4) == ["True"] * 4
    with Store.open(store_url) as store:
        assert store.verify_chain().checked == 4
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_migration_scripts_ship_as_package_data() -> None:
    # pyproject's package-data globs must cover every file Alembic needs at run time
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["zhanchi"]
    package = ROOT / "zhanchi"
    needed = [p for p in MIGRATIONS_DIR.rglob("*.py") if "__pycache__" not in p.parts]
    assert any(p.parent.name == "versions" for p in needed)
    for path in needed:
        rel = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(rel, g) for g in globs), f"{rel} is not package data"


def test_default_and_resolved_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_url(tmp_path) == f"sqlite:///{tmp_path}/zhanchi.sqlite3"
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert resolve_url(None, tmp_path) == default_url(tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://u@h/db")
    assert resolve_url(None, tmp_path) == "postgresql+psycopg://u@h/db"
    assert resolve_url("sqlite:///x.db", tmp_path) == "sqlite:///x.db"


def test_sqlite_file_is_created_in_missing_folder(tmp_path: Path) -> None:
    with Store.open(default_url(tmp_path / "new" / "out")):
        pass
    assert (tmp_path / "new" / "out" / "zhanchi.sqlite3").exists()


def test_unreachable_server_is_a_store_error_without_password() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("postgresql://zh:s3cret-pw@127.0.0.1:1/zhanchi?connect_timeout=2")
    message = str(info.value)
    assert "s3cret-pw" not in message and "127.0.0.1:1/zhanchi" in message
    assert info.value.exit_code == 4


@pytest.mark.parametrize("url", ["not a url", "mysql://u:pw@h/db", "://pw@"])
def test_bad_urls_are_store_errors_without_echo(url: str) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(url)
    assert "pw" not in str(info.value)


def test_database_from_a_newer_zhanchi_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="cannot migrate"):
        Store.open(store_url)


@pytest.mark.slow
def test_store_opens_from_an_installed_wheel(tmp_path: Path) -> None:
    # build a wheel from the tracked sources, unpack it (= install), open a store from it
    import shutil
    import subprocess
    import sys
    import zipfile

    src = tmp_path / "src"
    tracked = subprocess.run(["git", "ls-files", "zhanchi", "pyproject.toml", "README.md"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in tracked + [str(p.relative_to(ROOT)) for p in MIGRATIONS_DIR.rglob("*.py")]:
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                            str(tmp_path / "dist"), str(src)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    site = tmp_path / "site"
    with zipfile.ZipFile(next((tmp_path / "dist").glob("zhanchi-*.whl"))) as wheel:
        wheel.extractall(site)
    code = ("import sys, zhanchi.store as m; from zhanchi.store import Store; "
            "assert m.__file__.startswith(sys.argv[2]), m.__file__; "
            "s = Store.open(sys.argv[1]); print(s.verify_chain().ok); s.close()")
    run = subprocess.run([sys.executable, "-c", code, default_url(tmp_path / "out"), str(site)],
                         cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True)
    assert run.stdout.strip() == "True", run.stderr[-2000:]
