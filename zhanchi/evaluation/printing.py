"""Tables for ``zhanchi eval``: field accuracy and the routing confusion matrix."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from zhanchi.evaluation.score import EvalReport, Tally


def _pct(t: Tally) -> str:
    return f"{t.rate * 100:6.2f} %  ({t.right}/{t.total})"


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """Print accuracy per field, type, degradation, overall, then routing."""
    c = console or Console()
    for title, data in (("per field", report.by_field), ("per document type", report.by_type),
                        ("per degradation", report.by_degradation)):
        table = Table(title=f"Field exact-match accuracy {title}")
        table.add_column(title.split()[-1])
        table.add_column("accuracy", justify="right")
        for key, tally in sorted(data.items(), key=lambda kv: kv[1].rate):
            table.add_row(key, _pct(tally))
        c.print(table)
    c.print(f"[bold]Overall field exact-match: {_pct(report.overall)}[/bold]")
    matrix = Table(title="Routing: expected (rows) vs actual (columns)")
    matrix.add_column("expected \\ actual")
    matrix.add_column("pass", justify="right")
    matrix.add_column("review", justify="right")
    for exp in ("pass", "review"):
        matrix.add_row(exp, str(report.routes.get((exp, "pass"), 0)),
                       str(report.routes.get((exp, "review"), 0)))
    c.print(matrix)
    clean_total = sum(n for (e, _), n in report.routes.items() if e == "pass")
    clean_pass = report.routes.get(("pass", "pass"), 0)
    rate = clean_pass / clean_total * 100 if clean_total else 100.0
    c.print(f"clean packets routed pass: {clean_pass}/{clean_total} ({rate:.1f} %)")
    c.print(f"defective packets routed pass (must be 0): {len(report.false_passes)} "
            f"{report.false_passes}")
    recall = Table(title="Expected reasons found")
    recall.add_column("reason")
    recall.add_column("found", justify="right")
    for key, tally in sorted(report.reason_recall.items()):
        recall.add_row(key, _pct(tally))
    c.print(recall)
    if report.extra_reasons:
        c.print(f"unexpected reasons: {dict(report.extra_reasons)}")
    if report.missing_results:
        c.print(f"[red]no result for: {report.missing_results}[/red]")
