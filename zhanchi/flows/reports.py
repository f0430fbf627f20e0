"""Prefect artifacts for a batch: a table of routes and reasons, a markdown summary.

Counts, speeds, submission ids and reason codes only — the artifacts are shown in
Prefect's UI, which has no login, so no names, ID numbers, certificate numbers or OCR
text ever go into them.
"""

from __future__ import annotations

from typing import Any

from zhanchi.pipeline.batch import BatchSummary


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """The summary as the flow returns it (and ``print_summary`` shows it)."""
    return {
        "discovered": summary.discovered, "skipped": summary.skipped,
        "processed": summary.processed, "pages": summary.pages,
        "cache_hits": summary.cache_hits, "routes": summary.routes,
        "reasons": summary.reasons, "seconds": round(summary.seconds, 2),
        "slowest": summary.slowest, "busy": summary.busy, "failed": summary.failed,
    }


def pages_per_minute(summary: BatchSummary) -> float:
    return summary.pages / summary.seconds * 60 if summary.seconds > 0 else 0.0


def routes_table(summary: BatchSummary) -> list[dict[str, Any]]:
    """One row per route, then one per reason code, with counts."""
    rows: list[dict[str, Any]] = [{"kind": "route", "code": route, "count": n}
                                  for route, n in sorted(summary.routes.items())]
    rows += [{"kind": "reason", "code": reason, "count": n}
             for reason, n in sorted(summary.reasons.items(), key=lambda x: (-x[1], x[0]))]
    if summary.failed:
        rows.append({"kind": "failed", "code": "no_result", "count": len(summary.failed)})
    return rows


def summary_markdown(summary: BatchSummary, *, title: str, parallelism: str = "",
                     extra: dict[str, Any] | None = None) -> str:
    """The run's summary: counts, pages/min, the slowest packets (ids only)."""
    lines = [f"# {title}", "",
             "| | |", "|---|---|",
             f"| submissions found | {summary.discovered} |",
             f"| processed / skipped (unchanged) | {summary.processed} / {summary.skipped} |",
             f"| pages (from OCR cache) | {summary.pages} ({summary.cache_hits}) |",
             f"| seconds | {summary.seconds:.1f} |",
             f"| pages/min | {pages_per_minute(summary):.1f} |"]
    for route, n in sorted(summary.routes.items()):
        lines.append(f"| route `{route}` | {n} |")
    if parallelism:
        lines.append(f"| parallelism | {parallelism} |")
    for key, value in (extra or {}).items():
        lines.append(f"| {key} | {value} |")
    if summary.slowest:
        lines += ["", "## Slowest packets", "", "| submission | seconds |", "|---|---|"]
        lines += [f"| `{sid}` | {ms / 1000:.1f} |" for sid, ms in summary.slowest]
    if summary.failed:
        lines += ["", "## Without a result (claims released, retried next run)", ""]
        lines += [f"- `{sid}`" for sid in summary.failed]
    if summary.busy:
        lines += ["", f"{len(summary.busy)} packet(s) were left to another run that held them."]
    return "\n".join(lines) + "\n"


def publish(summary: BatchSummary, *, key: str, title: str, parallelism: str = "",
            extra: dict[str, Any] | None = None) -> bool:
    """Create the two artifacts of this flow run; False outside a flow run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:
        return False
    create_table_artifact(routes_table(summary), key=f"{key}-routes",
                          description="Routes and review reasons of this batch (counts)")
    create_markdown_artifact(summary_markdown(summary, title=title, parallelism=parallelism,
                                              extra=extra),
                             key=f"{key}-summary", description="Batch summary")
    return True
