"""The ``zhanchi`` command line. Heavy imports (Prefect, OCR) happen inside commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zhanchi.errors import ZhanchiError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="zhanchi: read, check and route 展翅行动 subsidy claim packets.")
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """zhanchi: read, check and route 展翅行动 subsidy claim packets."""


def _fail(exc: ZhanchiError) -> None:
    err.print(f"[red]错误[/red] ({exc.reason}): {exc.message}")
    raise typer.Exit(exc.exit_code or 1)


@app.command()
def process(
    inbox: Annotated[Path, typer.Argument(help="Folder: each entry is one submission.")],
    registry: Annotated[Path, typer.Option("--registry", help="Folder of reference CSVs.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (results, database).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date that counts as today.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: SQLite in OUT).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="OCR engine.")] = "rapidocr",
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Process every new or changed submission of INBOX into OUT/results.jsonl."""
    if db:
        os.environ["ZHANCHI_DATABASE_URL"] = db
    try:
        from zhanchi.flows.process import process_inbox

        summary = process_inbox(inbox=str(inbox), registry=str(registry), out=str(out),
                                as_of=as_of, engine=engine, show_progress=not quiet)
    except ZhanchiError as exc:
        _fail(exc)
        return
    print_summary(summary, out / "results.jsonl")


def print_summary(summary: dict[str, Any], results: Path) -> None:
    """The end-of-run table: counts, routes, reasons, speed (no personal data)."""
    table = Table(title="zhanchi 批处理结果", show_header=False)
    pages, secs = summary["pages"], summary["seconds"]
    table.add_row("发现材料 (submissions)", str(summary["discovered"]))
    table.add_row("已处理 / 跳过 (unchanged)", f"{summary['processed']} / {summary['skipped']}")
    table.add_row("页数 (pages, OCR cache hits)", f"{pages} ({summary['cache_hits']})")
    for route, n in sorted(summary["routes"].items()):
        table.add_row(f"route={route}", str(n))
    for reason, n in sorted(summary["reasons"].items(), key=lambda x: -x[1]):
        table.add_row(f"  reason {reason}", str(n))
    rate = pages / secs * 60 if secs > 0 else 0.0
    table.add_row("用时 (s) / 页每分钟", f"{secs:.1f} / {rate:.1f}")
    table.add_row("结果文件", str(results))
    Console(stderr=True).print(table)


@app.command(name="eval")
def eval_command(
    out: Annotated[Path, typer.Option("--out", help="Work folder (corpus, results, eval.json).")],
    packets: Annotated[int, typer.Option("--packets", help="Packets to generate.")] = 60,
    seed: Annotated[int | None, typer.Option("--seed", help="Corpus seed (default: fresh).")] = None,
    dpi: Annotated[int, typer.Option("--dpi", help="Resolution of generated pages.")] = 200,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List wrong fields.")] = False,
    cover_defects: Annotated[bool, typer.Option(
        "--cover-defects", help="Every per-packet defect kind at least once.")] = False,
    defects: Annotated[str, typer.Option(
        "--defects", help="Comma-separated defect kinds to draw from (default: all).")] = "",
    family: Annotated[str, typer.Option(
        "--family", help="Generator: A (tuned on), B (independent, measure only), mixed.")] = "A",
    policy: Annotated[str | None, typer.Option(
        "--policy", help="Policy version to apply (default: the one in force on the corpus's "
        "as-of date).")] = None,
) -> None:
    """Generate a fresh labelled corpus, run the pipeline on it, print accuracy."""
    from zhanchi.evaluation.calibration import print_calibration
    from zhanchi.evaluation.defect_kinds import print_defect_kinds
    from zhanchi.evaluation.policy_used import describe
    from zhanchi.evaluation.printing import print_report
    from zhanchi.evaluation.run import evaluate

    if family not in ("A", "B", "mixed"):
        Console(stderr=True).print(f"[red]--family must be A, B or mixed, not {family}[/red]")
        raise typer.Exit(2)
    try:
        report, meta = evaluate(out, packets=packets, seed=seed, dpi=dpi, family=family,
                                cover_defects=cover_defects,
                                defects=[d for d in defects.split(",") if d] or None,
                                policy=policy)
    except ValueError as exc:  # a defect name the generator does not know, too few packets
        Console(stderr=True).print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except ZhanchiError as exc:
        _fail(exc)
        return
    console = Console()
    console.print(f"family={meta['family']} seed={meta['seed']} packets={meta['packets']} "
                  f"dpi={meta['dpi']} "
                  f"pipeline {meta['run_s']} s for {meta['summary']['pages']} pages")
    console.print(describe(policy, meta["policy"]))
    print_report(report, console)
    if meta["phenomena"]:  # family B / mixed: how many pages showed each phenomenon
        console.print("phenomena drawn (pages): " + ", ".join(
            f"{k} {v}" for k, v in sorted(meta["phenomena"].items())))
    print_defect_kinds(out, console)
    print_calibration(out, console, meta["policy"])
    if show_errors:  # synthetic data only: values are generated, not personal
        for row in report.wrong_fields:
            console.print("  ".join(row))


from zhanchi.review.commands import review_command, user_app  # noqa: E402

app.command(name="review")(review_command)
app.add_typer(user_app, name="user")

from zhanchi.flows.commands import inbox_command, recheck_command, serve_command  # noqa: E402

app.command(name="serve")(serve_command)
app.command(name="inbox")(inbox_command)
app.command(name="recheck")(recheck_command)

from zhanchi.store.commands import audit_app, registry_app  # noqa: E402

app.add_typer(registry_app, name="registry")
app.add_typer(audit_app, name="audit")

if __name__ == "__main__":  # pragma: no cover
    app()
