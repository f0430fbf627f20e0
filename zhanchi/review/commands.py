"""Command line of the review app: ``zhanchi review`` and ``zhanchi user add|list|disable``.

The lead's ``zhanchi/cli.py`` mounts these; FastAPI and uvicorn are imported only
when the server starts, so other commands stay quick.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from zhanchi.errors import ZhanchiError

if TYPE_CHECKING:
    from zhanchi.store.review_queries import ReviewStore

err = Console(stderr=True)
user_app = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="Reviewer accounts of the review app.")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else ZHANCHI_DATABASE_URL, else OUT/zhanchi.sqlite3).")]
OutOption = Annotated[Path | None, typer.Option("--out", help="Batch output folder holding zhanchi.sqlite3.")]


MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One server process per CPU core (at most 4): measured with 20 reviewers on 2
    cores, SQLite, the case page's p95 is 2.4x lower with 2 processes than with 1."""
    import os

    return max(1, min(MAX_DEFAULT_WORKERS, len(os.sched_getaffinity(0))))


def _store_url(db: str | None, out: Path | None) -> str:
    """``--db``, else ``ZHANCHI_DATABASE_URL``, else ``OUT/zhanchi.sqlite3``; one is needed."""
    import os

    from zhanchi.store import DATABASE_URL_ENV, resolve_url

    if db is None and out is None and not os.environ.get(DATABASE_URL_ENV):
        err.print("[red]错误[/red]: 请用 --db URL 或 --out DIR 指定数据库")
        raise typer.Exit(2)
    return resolve_url(db, out or Path("."))


def _open(db: str | None, out: Path | None) -> ReviewStore:
    from zhanchi.store.review_queries import ReviewStore

    return ReviewStore.open(_store_url(db, out))


def _fail(exc: ZhanchiError) -> None:
    err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
    raise typer.Exit(exc.exit_code or 1)


def _read_password(from_stdin: bool) -> str:
    from zhanchi.review.passwords import password_problem

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        err.print(f"[red]错误[/red]: {problem}")
        raise typer.Exit(2)
    return password


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="Account name (shown in the case history).")],
    role: Annotated[str, typer.Option("--role", help="reviewer | supervisor")] = "reviewer",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")] = False,
    db: DbOption = None,
    out: OutOption = None,
) -> None:
    """Create a reviewer or supervisor account (password hashed with Argon2id)."""
    from zhanchi.review.passwords import hash_password

    name = name.strip()
    if role not in ("reviewer", "supervisor"):
        err.print("[red]错误[/red]: --role 必须是 reviewer 或 supervisor")
        raise typer.Exit(2)
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        err.print("[red]错误[/red]: 用户名不能为空、不能含空格、最多 64 个字符")
        raise typer.Exit(2)
    password = _read_password(password_stdin)
    try:
        with _open(db, out) as store:
            store.add_user(name, role, hash_password(password), actor="cli")
    except ZhanchiError as exc:
        _fail(exc)
    err.print(f"已创建账户 {name}（{role}）")


@user_app.command("list")
def list_users(db: DbOption = None, out: OutOption = None) -> None:
    """List the accounts (name, role, active)."""
    try:
        with _open(db, out) as store:
            for user in store.list_users():
                typer.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'disabled'}")
    except ZhanchiError as exc:
        _fail(exc)


@user_app.command("disable")
def disable_user(name: str, db: DbOption = None, out: OutOption = None) -> None:
    """Disable an account (its sessions end at their next request)."""
    try:
        with _open(db, out) as store:
            if not store.set_user_active(name, False, actor="cli"):
                err.print(f"[red]错误[/red]: 没有账户 {name}")
                raise typer.Exit(1)
    except ZhanchiError as exc:
        _fail(exc)


def review_command(
    db: DbOption = None,
    out: OutOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    registry: Annotated[Path | None, typer.Option("--registry", help="Reference CSVs for rechecks (else the imported registries).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date that counts as today in rechecks (else each batch's).")] = None,
    session_minutes: Annotated[int, typer.Option("--session-minutes", help="Idle minutes before a login expires.")] = 30,
    session_hours: Annotated[int, typer.Option("--session-hours", help="Hours after which a login expires however busy.")] = 10,
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Mark cookies Secure (when served over HTTPS).")] = False,
    workers: Annotated[int, typer.Option("--workers", help="Server processes (sessions and login brakes live in the database); 0: one per CPU core.")] = 0,
    hash_slots: Annotated[int, typer.Option("--hash-slots", help="Password hashes computed at once, per process.")] = 2,
    trusted_proxy: Annotated[str | None, typer.Option("--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For names the client.")] = None,
) -> None:
    """Serve the exception-queue review app on the pipeline's database."""
    import os

    import uvicorn

    from zhanchi.review.app import SETTINGS_ENV, create_app, settings_to_environment
    from zhanchi.review.state import ReviewSettings

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        err.print(f"[red]错误[/red]: --as-of 必须是 YYYY-MM-DD 日期: {as_of!r}")
        raise typer.Exit(2) from None
    if registry is not None and not registry.is_dir():
        err.print(f"[red]错误[/red]: --registry 不是文件夹: {registry}")
        raise typer.Exit(2)
    settings = ReviewSettings(db_url=_store_url(db, out), registry_dir=registry, as_of=day,
                              session_idle=timedelta(minutes=max(1, session_minutes)),
                              session_absolute=timedelta(hours=max(1, session_hours)),
                              secure_cookies=secure_cookies, hash_slots=max(1, hash_slots))
    try:
        app = create_app(settings)  # also migrates the store once, before any worker starts
    except ZhanchiError as exc:
        _fail(exc)
        return
    if host not in ("127.0.0.1", "localhost", "::1") and not secure_cookies:
        err.print("[yellow]注意[/yellow]: 对外网卡提供服务时请放在 HTTPS 反向代理之后并加 --secure-cookies")
    err.print(f"审核服务: http://{host}:{port}/  （Ctrl+C 停止）")
    proxy = {"proxy_headers": trusted_proxy is not None,
             "forwarded_allow_ips": trusted_proxy or "127.0.0.1"}
    workers = workers if workers > 0 else default_workers()
    if workers <= 1:
        uvicorn.run(app, host=host, port=port, workers=1, log_level="info", server_header=False,
                    **proxy)  # type: ignore[arg-type]
        return
    app.state.review.store.close()
    os.environ[SETTINGS_ENV] = settings_to_environment(settings)
    uvicorn.run("zhanchi.review.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="info", server_header=False, **proxy)  # type: ignore[arg-type]
