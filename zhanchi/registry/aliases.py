"""Accepted agency aliases laid over agencies.csv.

A reviewer's correction of a written agency name to a filed one suggests an alias; once
another supervisor accepts it (``zhanchi.review.aliases``), it is registry data: every
batch and recheck sees it as if agencies.csv listed it in the agency's ``aliases``
column. The file itself is never rewritten; the accepted aliases in force are hashed
as a CSV of their own (:data:`ALIASES_FILE`), and that hash stands beside the file's in
every result's ``provenance.registry_sha256``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

from zhanchi.registry.registries import AgencyRegistry, Registries

ALIASES_FILE = "agency_aliases.csv"


@dataclass(frozen=True)
class AcceptedAlias:
    """A written name accepted as another name of the filed agency ``agency_name``."""

    alias: str
    agency_name: str


def aliases_csv(aliases: Sequence[AcceptedAlias]) -> str:
    """The aliases as CSV text in a canonical order (what :data:`ALIASES_FILE` hashes).

    >>> aliases_csv([AcceptedAlias("乙", "甲"), AcceptedAlias("丙", "甲")]).splitlines()
    ['alias,agency_name', '丙,甲', '乙,甲']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["alias", "agency_name"])
    for a in sorted(set(aliases), key=lambda a: (a.agency_name, a.alias)):
        writer.writerow([a.alias, a.agency_name])
    return out.getvalue()


def with_aliases(registries: Registries, aliases: Sequence[AcceptedAlias]) -> Registries:
    """``registries`` with each accepted alias added to its agency's rows.

    An alias whose agency is not in this agencies.csv (renamed, removed) is left out,
    and only the aliases applied are hashed. Without any, ``registries`` is returned
    unchanged (no extra provenance entry).
    """
    agencies = registries.agencies
    if agencies is None or not aliases:
        return registries
    by_agency: dict[str, list[str]] = {}
    for a in aliases:
        by_agency.setdefault(a.agency_name, []).append(a.alias)
    applied: set[AcceptedAlias] = set()
    rows = []
    for row in agencies.rows:
        extra = [n for n in by_agency.get(row.name, []) if n != row.name and n not in row.aliases]
        applied.update(AcceptedAlias(n, row.name) for n in by_agency.get(row.name, []))
        rows.append(replace(row, aliases=(*row.aliases, *extra)) if extra else row)
    if not applied:
        return registries
    digest = hashlib.sha256(aliases_csv(list(applied)).encode("utf-8")).hexdigest()
    overlaid = AgencyRegistry(rows, agencies.file, agencies.sha256, ALIASES_FILE, digest)
    return replace(registries, agencies=overlaid)
