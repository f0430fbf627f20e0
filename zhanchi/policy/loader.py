"""Load ``policy.toml`` and choose the version in force on the run's ``--as-of`` date."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zhanchi.errors import PolicyError
from zhanchi.policy.model import Policy

SCHEMA = 1


def load_policies(path: Path | str | None = None) -> list[Policy]:
    """Every version in the policy file (the packaged one when ``path`` is None), by date."""
    name, raw = _read(path)
    try:
        doc = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{name}: not valid TOML ({exc})") from None
    if doc.get("schema") != SCHEMA:
        raise PolicyError(f"{name}: schema must be {SCHEMA}")
    tables = doc.get("versions")
    if not isinstance(tables, list) or not tables:
        raise PolicyError(f"{name}: no [[versions]] table")
    versions = [_parse(name, i, table) for i, table in enumerate(tables, start=1)]
    versions.sort(key=lambda p: p.in_force_from)
    ids = [p.version for p in versions]
    if len(set(ids)) != len(ids):
        raise PolicyError(f"{name}: version ids repeat")
    for earlier, later in zip(versions, versions[1:], strict=False):
        if earlier.in_force_to is None or earlier.in_force_to >= later.in_force_from:
            raise PolicyError(f"{name}: {earlier.version} overlaps {later.version}")
    return versions


def load_policy(as_of: date, path: Path | str | None = None) -> Policy:
    """The policy version in force on ``as_of``.

    >>> load_policy(date(2021, 6, 1)).version
    'jx-2020-332/v1'
    """
    versions = load_policies(path)
    for policy in versions:
        if policy.in_force_on(as_of):
            return policy
    raise PolicyError(f"no policy version in force on {as_of.isoformat()}")


def policy_by_version(version: str, path: Path | str | None = None) -> Policy:
    """The policy version named ``version``, whatever dates it is in force on: to
    evaluate a candidate version on corpora whose ``--as-of`` dates precede it.

    >>> policy_by_version("jx-2020-332/v1").version
    'jx-2020-332/v1'
    """
    versions = load_policies(path)
    for policy in versions:
        if policy.version == version:
            return policy
    known = ", ".join(p.version for p in versions)
    raise PolicyError(f"no policy version {version!r} (known: {known})")


def _read(path: Path | str | None) -> tuple[str, str]:
    if path is None:
        res = resources.files("zhanchi.policy").joinpath("policy.toml")
        return "policy.toml", res.read_text(encoding="utf-8")
    p = Path(path)
    try:
        return p.name, p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{p.name}: cannot be read ({exc.__class__.__name__})") from None


def _parse(name: str, index: int, table: Any) -> Policy:
    if not isinstance(table, dict):
        raise PolicyError(f"{name}: versions[{index}] is not a table")
    try:
        policy = Policy.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        label = table.get("version", f"versions[{index}]")
        raise PolicyError(f"{name}: {label}: {where}: {first['msg']}") from None
    if policy.confidence.calibration is not None:
        from zhanchi.policy.calibration import load_calibration

        try:
            load_calibration(policy.confidence.calibration)
        except PolicyError as exc:
            raise PolicyError(f"{name}: {policy.version}: confidence.calibration: {exc.message}") from None
    return policy
