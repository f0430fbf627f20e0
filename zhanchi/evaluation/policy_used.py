"""Which policy version an evaluation ran under: asked for, and as the results say.

``zhanchi eval --policy VERSION`` applies a candidate version to a generated corpus
whose ``--as-of`` date would otherwise select the version then in force. The version
printed is the one every result names in ``provenance.policy`` (what decided it), not
merely the one requested.
"""

from __future__ import annotations

import json
from pathlib import Path


def check_version(version: str | None) -> None:
    """Fail before any work when ``version`` names no version of the packaged policy."""
    if version is not None:
        from zhanchi.policy import policy_by_version

        policy_by_version(version)


def versions_used(results: Path) -> list[str]:
    """The distinct ``provenance.policy`` values of a results.jsonl, sorted."""
    found: set[str] = set()
    if results.is_file():
        for line in results.read_text(encoding="utf-8").splitlines():
            if line.strip():
                version = (json.loads(line).get("provenance") or {}).get("policy")
                if version:
                    found.add(str(version))
    return sorted(found)


def describe(requested: str | None, used: list[str]) -> str:
    """One line for the report: the version(s) used and how they were chosen."""
    how = "requested with --policy" if requested else "in force on the corpus's as-of date"
    return f"policy {', '.join(used) or '(no results)'} ({how})"
