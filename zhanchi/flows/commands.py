"""The production commands: ``zhanchi serve``, ``zhanchi inbox`` and ``zhanchi recheck``.

Registered at the end of :mod:`zhanchi.cli`. Prefect, the OCR engine and the store are
imported inside the commands, so ``zhanchi --help`` stays fast.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zhanchi.errors import InputError, ZhanchiError

err = Console(stderr=True)

Inbox = Annotated[Path, typer.Argument(help="Folder the scanners drop packets into.")]
Registry = Annotated[Path, typer.Option("--registry", help="Folder of reference CSVs.")]
Out = Annotated[Path, typer.Option("--out", help="Output folder (results, archive, database).")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: SQLite in OUT).")]
Archive = Annotated[Path | None, typer.Option(
    "--archive", help="Where originals are filed by content hash (default OUT/archive).")]
SpoolDir = Annotated[Path | None, typer.Option(
    "--spool", help="processing/ and failed/ (default INBOX/.zhanchi; inbox's filesystem).")]
Stable = Annotated[float, typer.Option(
    "--stable-seconds", help="Take a packet only when unchanged this long.")]
Engine = Annotated[str, typer.Option("--engine", help="OCR engine.")]
Workers = Annotated[int | None, typer.Option(
    "--workers", help="OCR workers (default: benchmarked; ZHANCHI_OCR_WORKERS).")]


def _fail(exc: ZhanchiError) -> None:
    err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
    raise typer.Exit(exc.exit_code or 1)


def _environment(db: str | None, workers: int | None) -> None:
    """Settings the flow runs inherit (never flow parameters: a URL may hold a password)."""
    if db:
        os.environ["ZHANCHI_DATABASE_URL"] = db
    if workers is not None:
        if workers < 1:
            raise InputError(f"--workers must be at least 1, got {workers}")
        os.environ["ZHANCHI_OCR_WORKERS"] = str(workers)


def _inbox_parameters(inbox: Path, registry: Path, out: Path, archive: Path | None,
                      spool: Path | None, stable_seconds: float, engine: str,
                      max_packets: int | None) -> dict[str, Any]:
    if not inbox.is_dir():
        raise InputError(f"INBOX 不是文件夹: {inbox}")
    params: dict[str, Any] = {
        "inbox": str(inbox.absolute()), "registry": str(registry.absolute()),
        "out": str(out.absolute()), "engine": engine, "stable_seconds": stable_seconds,
        "archive": str(archive.absolute()) if archive else None,
        "spool": str(spool.absolute()) if spool else None, "max_packets": max_packets}
    return {k: v for k, v in params.items() if v is not None}


def serve_command(
    inbox: Inbox, registry: Registry, out: Out, db: Db = None, archive: Archive = None,
    spool: SpoolDir = None, stable_seconds: Stable = 30.0, engine: Engine = "rapidocr",
    workers: Workers = None,
    cron: Annotated[list[str] | None, typer.Option(
        "--cron", help="Cron schedule, e.g. '*/5 8-18 * * 1-5' (repeatable).")] = None,
    interval: Annotated[float | None, typer.Option(
        "--interval", help="Poll every N seconds (default 120 when no --cron).")] = None,
    timezone: Annotated[str, typer.Option("--timezone", help="For cron.")] = "Asia/Shanghai",
    max_packets: Annotated[int | None, typer.Option(
        "--max-packets", help="At most N packets per run.")] = None,
    name: Annotated[str, typer.Option("--name", help="Deployment name.")] = "zhanchi-inbox",
) -> None:
    """Serve the inbox flow on a schedule (needs PREFECT_API_URL; runs never overlap)."""
    try:
        _environment(db, workers)
        params = _inbox_parameters(inbox, registry, out, archive, spool, stable_seconds,
                                   engine, max_packets)
        from zhanchi.flows.inbox import require_server, serve_inbox

        require_server()
        serve_inbox(params, cron=list(cron or []), interval=interval, timezone=timezone,
                    name=name)
    except ZhanchiError as exc:
        _fail(exc)


def inbox_command(
    inbox: Inbox, registry: Registry, out: Out, db: Db = None, archive: Archive = None,
    spool: SpoolDir = None, stable_seconds: Stable = 30.0, engine: Engine = "rapidocr",
    workers: Workers = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date that counts as today.")] = None,
    max_packets: Annotated[int | None, typer.Option(
        "--max-packets", help="At most N packets in this run.")] = None,
) -> None:
    """Run the inbox flow once: take stable packets, process them, archive the originals."""
    try:
        _environment(db, workers)
        params = _inbox_parameters(inbox, registry, out, archive, spool, stable_seconds,
                                   engine, max_packets)
        from zhanchi.flows.inbox import inbox_flow

        summary = inbox_flow(**params, as_of=as_of)
    except ZhanchiError as exc:
        _fail(exc)
        return
    err.print(f"taken {summary.get('taken', 0)}, adopted {summary.get('adopted', 0)}, "
              f"processed {summary.get('processed', 0)}, archived {summary.get('archived', 0)}")


def recheck_command(
    out: Annotated[Path | None, typer.Option(
        "--out", help="Output folder whose zhanchi.sqlite3 to recheck.")] = None,
    db: Db = None,
    registry: Annotated[Path | None, typer.Option(
        "--registry", help="Reference CSVs (default: the newest imported registries).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Date that counts as today (default: each packet's batch date).")] = None,
    submission: Annotated[list[str] | None, typer.Option(
        "--submission", help="Only this submission id (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Record a run even if unchanged.")] = False,
    actor: Annotated[str, typer.Option("--actor", help="Who asked (event log).")] = "recheck",
) -> None:
    """Re-run the checks of stored packets (no OCR); record new decisions beside the old."""
    try:
        when = _parse_date(as_of)
        from zhanchi.flows.recheck import recheck_store, registries_for
        from zhanchi.store import Store, resolve_url

        if db is None and not os.environ.get("ZHANCHI_DATABASE_URL"):
            if out is None or not (out / "zhanchi.sqlite3").is_file():
                raise InputError("recheck needs --db URL or --out with an existing zhanchi.sqlite3")
        with Store.open(resolve_url(db, out or Path("."))) as store:
            summary = recheck_store(store, registries_for(store, registry), as_of=when,
                                    submission_ids=list(submission or []) or None,
                                    actor=actor, force=force)
    except ZhanchiError as exc:
        _fail(exc)
        return
    table = Table(title="zhanchi recheck", show_header=False)
    table.add_row("rechecked (newest revision, pipeline-decided)", str(summary.checked))
    table.add_row("unchanged", str(summary.unchanged))
    table.add_row("left to reviewers (held or decided)", str(summary.held))
    table.add_row("new check run recorded", str(len(summary.changed)))
    table.add_row("  pass → review", str(summary.count("pass", "review")))
    table.add_row("  review → pass", str(summary.count("review", "pass")))
    for sid, old, new in summary.changed[:20]:
        table.add_row(f"  {sid}", f"{old} → {new}")
    err.print(table)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of 必须是 YYYY-MM-DD 日期: {text!r}") from None
