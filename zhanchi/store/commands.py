"""``zhanchi registry import``, ``zhanchi audit verify`` and ``audit anchor``: admin commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

registry_app = typer.Typer(help="Reference registries kept in the database.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained event log.", no_args_is_help=True)
err = Console(stderr=True)

KINDS = ("agencies", "certificates", "claims")

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Batch output folder (its SQLite).")]


def _open(db: str | None, out: Path | None):  # type: ignore[no-untyped-def]
    from zhanchi.store import Store, resolve_url

    if db is None and out is None:
        import os

        if not os.environ.get("ZHANCHI_DATABASE_URL"):
            err.print("错误: 需要 --db URL 或 --out DIR")
            raise typer.Exit(2)
    return Store.open(resolve_url(db, out or Path(".")))


@registry_app.command("import")
def import_command(
    directory: Annotated[Path, typer.Argument(help="Folder with agencies/certificates/claims.csv")],
    db: DbOpt = None, out: OutOpt = None,
    actor: Annotated[str, typer.Option("--actor", help="Who imports (for the log).")] = "admin",
) -> None:
    """Validate and import the registry CSVs of DIRECTORY into the database.

    Every present file is validated first (a malformed one stops the import, naming
    file and line); then each is stored as a new import with its sha256, and the
    import is written to the event log. Scheduled runs and rechecks use the newest.
    """
    from zhanchi.errors import ZhanchiError
    from zhanchi.registry import read_registry_file

    try:
        tables = {}
        for kind in KINDS:
            path = directory / f"{kind}.csv"
            if path.exists():
                tables[kind] = read_registry_file(path, kind)[1]
        if not tables:
            err.print(f"错误: {directory} 中没有 agencies.csv / certificates.csv / claims.csv")
            raise typer.Exit(2)
        store = _open(db, out)
        for kind, table in tables.items():
            store.import_registry(kind, table.file, table.sha256,
                                  ((r.line, r.cells) for r in table.rows), actor=actor)
            err.print(f"{table.file}: {len(table.rows)} 行已导入 (sha256 {table.sha256[:12]}…)")
    except ZhanchiError as exc:
        err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
        raise typer.Exit(exc.exit_code or 1) from exc


AnchorOpt = Annotated[Path | None, typer.Option(
    "--anchor", help="Anchor file written by `zhanchi audit anchor`: the log must still hold "
    "every anchored entry.")]


@audit_app.command("verify")
def verify_command(db: DbOpt = None, out: OutOpt = None, anchor: AnchorOpt = None) -> None:
    """Walk the event log's hash chain; exit 6 when an entry was edited, removed or moved.

    With --anchor FILE, also exit 6 when the log lost or rewrote entries an anchor
    recorded (a trimmed tail whose head row was rewritten to match).
    """
    from zhanchi.errors import AuditError, ZhanchiError
    from zhanchi.store.anchor import read_anchors

    try:
        anchors = read_anchors(anchor) if anchor is not None else None
    except AuditError as exc:
        err.print(f"[red]锚点文件无效[/red]: {exc.message}")
        raise typer.Exit(6) from exc
    except ZhanchiError as exc:
        err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
        raise typer.Exit(exc.exit_code or 1) from exc
    report = _open(db, out).verify_chain(anchors)
    if report.ok:
        against = f", 与 {len(anchors)} 个锚点一致" if anchors else ""
        err.print(f"事件日志完整: {report.checked} 条记录{against}, "
                  f"head {report.head_hash[:16]}…")
        return
    err.print(f"[red]事件日志被篡改[/red]: 第 {report.first_broken_id} 条起失效 ({report.why})")
    raise typer.Exit(6)


@audit_app.command("anchor")
def anchor_command(
    db: DbOpt = None, out: OutOpt = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="Append the anchor to this file (keep it outside the database's "
        "reach: another machine, write-once storage).")] = None,
) -> None:
    """Print the event log's head (count, hash, time) and append it to --file.

    The chain is verified first: an anchor of a broken log is refused (exit 6). Copy
    the printed line into a ticket or a paper log as well; `zhanchi audit verify
    --anchor FILE` later proves no anchored entry was removed or rewritten.
    """
    from zhanchi.errors import ZhanchiError
    from zhanchi.store.anchor import append_anchor

    try:
        head = _open(db, out).anchor()
        if file is not None:
            append_anchor(file, head)
    except ZhanchiError as exc:
        err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
        raise typer.Exit(exc.exit_code or 1) from exc
    typer.echo(head.text())
    if file is not None:
        err.print(f"已追加到 {file.name}")
