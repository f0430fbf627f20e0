"""Anchors: the chain head written outside the database catches a trimmed or rewritten
tail that the chain alone cannot (the head row forged to match), through the real CLI,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from zhanchi.cli import app
from zhanchi.store import Store
from zhanchi.store.chain import entry_hash

pytest_plugins = ["pg_fixtures"]
runner = CliRunner()


def _fill(store: Store, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        store.append_event("test.event", f"actor{i}", {"i": i})


def _sql(store: Store, statement: str, **params: object) -> None:
    from sqlalchemy import text

    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def _trim(store: Store, keep: int) -> None:
    """What a forger with database access does: drop the tail, point the head at the rest."""
    _sql(store, "DELETE FROM events WHERE id > :keep", keep=keep)
    with store.reader() as s:
        from sqlalchemy import select

        from zhanchi.store.schema import EventRow
        last = s.scalar(select(EventRow.hash).where(EventRow.id == keep))
    _sql(store, "UPDATE event_chain_head SET last_event_id = :keep, last_hash = :h",
         keep=keep, h=last)


def test_anchor_appends_the_head_and_prints_it(store: Store, store_url: str,
                                               tmp_path: Path) -> None:
    _fill(store, 4)
    anchors = tmp_path / "anchors.jsonl"
    first = runner.invoke(app, ["audit", "anchor", "--db", store_url, "--file", str(anchors)])
    assert first.exit_code == 0, first.output
    head = store.verify_chain()
    assert f"条数 4  hash {head.head_hash}" in first.stdout  # for a ticket or a paper log
    _fill(store, 2, start=4)
    assert runner.invoke(app, ["audit", "anchor", "--db", store_url, "--file",
                               str(anchors)]).exit_code == 0
    lines = [json.loads(x) for x in anchors.read_text().splitlines()]
    assert [x["count"] for x in lines] == [4, 6]  # appended, the first kept
    assert lines[1]["hash"] == store.verify_chain().head_hash
    assert set(lines[0]) == {"count", "hash", "time"} and lines[0]["time"].endswith("Z")
    ok = runner.invoke(app, ["audit", "verify", "--db", store_url, "--anchor", str(anchors)])
    assert ok.exit_code == 0 and "与 2 个锚点一致" in ok.output


def test_trimmed_tail_with_a_rewritten_head_fails_only_against_the_anchor(
        store: Store, store_url: str, tmp_path: Path) -> None:
    _fill(store, 6)
    anchors = tmp_path / "anchors.jsonl"
    assert runner.invoke(app, ["audit", "anchor", "--db", store_url, "--file",
                               str(anchors)]).exit_code == 0
    _trim(store, keep=4)
    # the chain alone is fooled: that is the gap the anchor closes
    assert runner.invoke(app, ["audit", "verify", "--db", store_url]).exit_code == 0
    res = runner.invoke(app, ["audit", "verify", "--db", store_url, "--anchor", str(anchors)])
    said = " ".join(res.output.split())  # rich wraps long lines
    assert res.exit_code == 6
    assert "事件日志被篡改" in said and "第 5 条起失效" in said
    assert "records 6 entries but the log holds only 4" in said
    report = store.verify_chain([])
    assert report.ok  # and no anchors: still fooled, by design


def test_trimmed_then_refilled_tail_is_caught_by_its_hash(store: Store, store_url: str,
                                                          tmp_path: Path) -> None:
    _fill(store, 5)
    anchors = tmp_path / "anchors.jsonl"
    runner.invoke(app, ["audit", "anchor", "--db", store_url, "--file", str(anchors)])
    _trim(store, keep=3)
    _fill(store, 4, start=100)  # new, validly chained entries 4..7 replace the old 4..5
    assert store.verify_chain().ok
    res = runner.invoke(app, ["audit", "verify", "--db", store_url, "--anchor", str(anchors)])
    assert res.exit_code == 6 and "entry 5 is not the one anchored" in " ".join(res.output.split())


def test_an_anchor_of_a_broken_chain_is_refused(store: Store, store_url: str,
                                                tmp_path: Path) -> None:
    _fill(store, 3)
    _sql(store, "UPDATE events SET actor = 'mallory' WHERE id = 2")
    anchors = tmp_path / "anchors.jsonl"
    res = runner.invoke(app, ["audit", "anchor", "--db", store_url, "--file", str(anchors)])
    assert res.exit_code == 6 and not anchors.exists()


def test_a_damaged_or_missing_anchor_file_is_an_error(store: Store, store_url: str,
                                                      tmp_path: Path) -> None:
    _fill(store, 2)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"count": 2, "hash": "zz", "time": "t"}\n')
    res = runner.invoke(app, ["audit", "verify", "--db", store_url, "--anchor", str(bad)])
    assert res.exit_code == 6 and "line 1" in " ".join(res.output.split())
    res = runner.invoke(app, ["audit", "verify", "--db", store_url, "--anchor",
                              str(tmp_path / "absent.jsonl")])
    assert res.exit_code == 2


def test_the_installed_command_exits_6_on_a_trimmed_tail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.sqlite3'}"
    with Store.open(url) as store:
        _fill(store, 3)
    anchors = tmp_path / "a.jsonl"
    cmd = [sys.executable, "-m", "zhanchi", "audit"]
    done = subprocess.run([*cmd, "anchor", "--db", url, "--file", str(anchors)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Store.open(url) as store:
        _trim(store, keep=2)
    done = subprocess.run([*cmd, "verify", "--db", url, "--anchor", str(anchors)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 6 and "entries at the end were removed" in " ".join(done.stderr.split())


def test_entry_hash_of_the_anchor_is_the_chain_hash(store: Store) -> None:
    _fill(store, 1)
    anchor = store.anchor()
    with store.reader() as s:
        from sqlalchemy import select

        from zhanchi.store.schema import EventRow
        row = s.scalars(select(EventRow)).one()
    assert anchor.count == 1 and anchor.hash == row.hash == entry_hash(
        row.id, row.ts, row.actor, row.kind, row.submission_pk, json.loads(row.payload),
        row.prev_hash)
