"""``zhanchi user add|list|disable`` and ``zhanchi review --help`` through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from zhanchi.cli import app
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema import EventRow

runner = CliRunner()


def test_user_add_hashes_the_password_and_records_the_event(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.sqlite3'}"
    result = runner.invoke(app, ["user", "add", "王芳", "--role", "supervisor",
                                 "--password-stdin", "--db", url], input="long-password-1\n")
    assert result.exit_code == 0, result.output
    with ReviewStore.open(url) as store:
        user = store.get_user("王芳")
        assert user is not None and user.role == "supervisor"
        assert user.password_hash.startswith("$argon2id$")
        assert "long-password-1" not in user.password_hash
        with store.reader() as s:
            event = s.scalars(select(EventRow).where(EventRow.kind == "user.added")).one()
        assert event.actor == "cli" and "long-password" not in event.payload
    listed = runner.invoke(app, ["user", "list", "--db", url])
    assert "王芳\tsupervisor\tactive" in listed.output
    again = runner.invoke(app, ["user", "add", "王芳", "--password-stdin", "--db", url],
                          input="another-password-2\n")
    assert again.exit_code == 4 and "exists" in again.output
    assert runner.invoke(app, ["user", "disable", "王芳", "--db", url]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["user", "list", "--db", url]).output


def test_user_add_refuses_bad_input(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.sqlite3'}"
    bad_role = runner.invoke(app, ["user", "add", "a", "--role", "admin", "--password-stdin",
                                   "--db", url], input="long-password-1\n")
    short = runner.invoke(app, ["user", "add", "a", "--password-stdin", "--db", url],
                          input="short\n")
    spaced = runner.invoke(app, ["user", "add", "a b", "--password-stdin", "--db", url],
                           input="long-password-1\n")
    assert bad_role.exit_code == short.exit_code == spaced.exit_code == 2
    assert "10 个字符" in short.output


def test_a_store_must_be_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHANCHI_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["user", "list"])
    assert result.exit_code == 2 and "--db" in result.output


def test_review_command_is_mounted() -> None:
    result = runner.invoke(app, ["review", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--out", "--host", "--port", "--registry"):
        assert option in result.output
