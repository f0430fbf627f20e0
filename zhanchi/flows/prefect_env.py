"""Prefect settings that must be in place before ``import prefect`` (PREFECT.md).

Offline operation, no telemetry, and an embedded-server start-up timeout long enough
for a fresh machine (first start runs ~12 s of migrations). ``setdefault`` only: an
operator's own settings always win.
"""

from __future__ import annotations

import os

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_UI_API_URL": "/api",
}


def configure() -> None:
    """Apply the defaults (call before the first ``import prefect``)."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
