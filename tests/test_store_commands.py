"""zhanchi registry import / audit verify through the real CLI and a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from zhanchi.cli import app
from zhanchi.store import Store

SAMPLE_REGISTRY = Path(__file__).resolve().parents[1] / "sample_docs" / "registry"


def test_registry_import_then_audit_verify_and_tamper(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.sqlite3'}"
    runner = CliRunner()
    res = runner.invoke(app, ["registry", "import", str(SAMPLE_REGISTRY), "--db", url])
    assert res.exit_code == 0, res.output
    store = Store.open(url)
    snap = store.latest_registry("agencies")
    assert snap is not None and len(snap.rows) > 0
    res = runner.invoke(app, ["audit", "verify", "--db", url])
    assert res.exit_code == 0, res.output
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET actor = 'mallory' WHERE id = "
                             "(SELECT MIN(id) FROM events)"))
    res = runner.invoke(app, ["audit", "verify", "--db", url])
    assert res.exit_code == 6


def test_registry_import_refuses_malformed_file_naming_line(tmp_path: Path) -> None:
    reg = tmp_path / "reg"
    reg.mkdir()
    (reg / "claims.csv").write_text(
        "certificate_number,id_number,occupation,level,paid_date\nS1,X,电工,9,2021-13-01\n",
        encoding="utf-8")
    res = CliRunner().invoke(app, ["registry", "import", str(reg), "--db",
                                   f"sqlite:///{tmp_path / 'z.sqlite3'}"])
    assert res.exit_code == 3
    assert "claims.csv" in res.output and "2" in res.output
