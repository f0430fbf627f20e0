"""``zhanchi serve``: the inbox flow as a deployment served from this process.

Prefect's ``Flow.serve`` registers a deployment with its schedules and runs each
scheduled flow run in a subprocess of this one (so ``ZHANCHI_DATABASE_URL`` and
``ZHANCHI_OCR_WORKERS`` set here reach every run). ``global_limit=1`` with
``CANCEL_NEW`` keeps a long batch from overlapping the next poll: the next run is
cancelled and the one after picks up whatever is left. For several machines or a
work pool use ``prefect.yaml`` instead (docs/DEPLOYING.md).
"""

from __future__ import annotations

import os
from typing import Any

DEFAULT_INTERVAL = 120.0
DEFAULT_TIMEZONE = "Asia/Shanghai"


def schedules(cron: list[str], interval: float | None, timezone: str) -> list[Any]:
    """Cron and interval schedules (both may be given); every 2 minutes if neither is."""
    from datetime import timedelta

    from prefect.schedules import Cron, Interval

    from zhanchi.errors import InputError

    if interval is not None and interval <= 0:
        raise InputError(f"--interval must be positive seconds, got {interval}")
    out: list[Any] = [Cron(expr, timezone=timezone) for expr in cron]
    if interval is not None or not out:
        out.append(Interval(timedelta(seconds=interval or DEFAULT_INTERVAL), timezone=timezone))
    return out


def require_server() -> str:
    """The ``PREFECT_API_URL`` to serve against; serving on the embedded server is refused.

    The embedded server lives only as long as one process and drops task records at
    exit (PREFECT.md); a deployment needs a server that outlives its runs.
    """
    from zhanchi.errors import InputError

    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        from prefect.settings import PREFECT_API_URL

        url = str(PREFECT_API_URL.value() or "").strip()
    if not url:
        raise InputError("zhanchi serve needs a Prefect server: start one with "
                         "`prefect server start` and set PREFECT_API_URL "
                         "(docs/DEPLOYING.md)")
    return url


def serve_inbox(parameters: dict[str, Any], *, cron: list[str], interval: float | None,
                timezone: str = DEFAULT_TIMEZONE, name: str = "zhanchi-inbox") -> None:
    """Register the inbox deployment and run its scheduled runs until interrupted."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from zhanchi.flows.inbox import inbox_flow

    inbox_flow.serve(
        name=name, schedules=schedules(cron, interval, timezone), parameters=parameters,
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description="Takes stable packets from the inbox, processes each once, "
                    "archives the originals by content hash.",
        tags=["zhanchi", "inbox"])
