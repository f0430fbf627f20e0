"""Prefect settings that must be in place before ``import prefect`` (PREFECT.md).

Offline operation, no telemetry, and an embedded-server start-up timeout long enough
for a fresh machine (first start runs ~12 s of migrations). ``setdefault`` only: an
operator's own settings always win.

Logging: Prefect's default configuration plus :class:`EmbeddedShutdownFilter`
(``prefect_logging.yml`` beside this module), unless the operator set
``PREFECT_LOGGING_SETTINGS_PATH`` or keeps a ``logging.yml`` in ``PREFECT_HOME``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_UI_API_URL": "/api",
}

LOGGING_FILE = Path(__file__).with_name("prefect_logging.yml")


def configure() -> None:
    """Apply the defaults (call before the first ``import prefect``)."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    if not (home / "logging.yml").exists():
        os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(LOGGING_FILE))


class EmbeddedShutdownFilter(logging.Filter):
    """The embedded server's shutdown, told in one line instead of two tracebacks.

    At the end of a run Prefect stops its embedded (ephemeral) server while the
    task-run recorder is still writing the last task-run events; the recorder logs the
    cancellation as an ERROR with the whole chained traceback, which reads like a crash
    of the run. It is not one: zhanchi's database and results.jsonl are the record of
    truth and are complete (PREFECT.md, "task-run records dropped at exit"). So in the
    embedded server only, an "Error flushing … (… 0 dropped)" caused by cancellation
    becomes one INFO line. Every other record — a database error, a cancellation
    outside the embedded server, events actually dropped — passes unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if (isinstance(exc, asyncio.CancelledError)
                and os.environ.get("PREFECT__SERVER_EPHEMERAL") == "1"
                and record.levelno >= logging.ERROR
                and " 0 dropped)" in record.getMessage()):
            what = record.getMessage()
            record.msg = ("embedded Prefect server stopped while recording task runs (%s): "
                          "its history of this run may lack the last ones; zhanchi's "
                          "database and results.jsonl are complete")
            record.args = (what,)
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None
        return True
