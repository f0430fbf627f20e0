"""Shared test settings: Prefect offline defaults before anything imports prefect."""

from __future__ import annotations

import os
from pathlib import Path

from zhanchi.flows.prefect_env import configure

configure()
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DOCS = ROOT / "sample_docs"
