"""Anchors: the event log's head written down outside the database.

The chain catches an edited, removed or moved entry, and its head row catches a
removed tail, but whoever can write the database can also delete the last entries
*and* rewrite the head to match: the chain alone then still verifies. An anchor is
the head (how many entries, the last one's hash, when) copied to a place the
database's writers cannot reach: an append-only file on another machine, a ticket,
a paper log. ``zhanchi audit anchor`` writes one; ``audit verify --anchor FILE``
checks that every anchored entry is still in the log with the same hash, so a
trimmed tail (fewer entries than anchored) or a rewritten one (another hash at the
anchored position) is found even when the head row was forged to match.

The file holds one JSON object per line, ``{"count", "hash", "time"}``: no database
URL, no personal data (a hash and a count reveal nothing of the entries).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.errors import AuditError, InputError
from zhanchi.store.schema_audit import CHAIN_HEAD_ID, GENESIS_HASH, ChainHeadRow, EventRow
from zhanchi.store.types import utcnow

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment: ``count`` entries, the last with ``hash``."""

    count: int
    hash: str
    time: str

    def line(self) -> str:
        """The anchor as one line of the anchor file."""
        return json.dumps({"count": self.count, "hash": self.hash, "time": self.time},
                          sort_keys=True, separators=(",", ":"))

    def text(self) -> str:
        """The anchor for a ticket or a paper log (copy it by hand: nothing else needed)."""
        return f"zhanchi 事件日志锚点  条数 {self.count}  hash {self.hash}  时间 {self.time}"


def current_anchor(session: Session) -> Anchor:
    """The head as the database holds it now (verify the chain before trusting it)."""
    head = session.get(ChainHeadRow, CHAIN_HEAD_ID)
    if head is None:
        raise AuditError("the event log has no head row")
    return Anchor(head.last_event_id, head.last_hash,
                  utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"))


def append_anchor(path: Path, anchor: Anchor) -> None:
    """Append one line to the anchor file (created if absent), flushed to disk."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"cannot open the anchor file {path.name}: {exc.strerror}") from exc
    try:
        os.write(fd, (anchor.line() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor of the file, oldest first; a line that is not an anchor is an error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the anchor file {path.name}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise AuditError(f"the anchor file {path.name} is not UTF-8 text") from exc
    anchors = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            doc = json.loads(text)
            anchor = Anchor(int(doc["count"]), str(doc["hash"]), str(doc["time"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError(f"line {number} of the anchor file is not an anchor") from exc
        if anchor.count < 0 or len(anchor.hash) != 64 or not set(anchor.hash) <= _HEX:
            raise AuditError(f"line {number} of the anchor file is not an anchor")
        anchors.append(anchor)
    if not anchors:
        raise AuditError(f"the anchor file {path.name} holds no anchor")
    return anchors


def check_anchors(session: Session, anchors: list[Anchor],
                  chain_length: int) -> tuple[int, str] | None:
    """The first anchored entry the log no longer holds, and why (``None``: all there).

    ``chain_length`` is how many entries :func:`zhanchi.store.chain.verify_chain`
    walked and found intact; an anchored entry beyond it was removed.
    """
    for anchor in anchors:
        if anchor.count > chain_length:
            return chain_length + 1, (
                f"the anchor of {anchor.time} records {anchor.count} entries but the log "
                f"holds only {chain_length}: entries at the end were removed and the head "
                "rewritten to hide it")
        if anchor.count == 0:
            if anchor.hash != GENESIS_HASH:
                return 1, f"the anchor of {anchor.time} records 0 entries but a non-genesis hash"
            continue
        stored = session.scalar(select(EventRow.hash).where(EventRow.id == anchor.count))
        if stored != anchor.hash:
            return anchor.count, (
                f"entry {anchor.count} is not the one anchored at {anchor.time} (its hash "
                "differs): the log was rewritten up to there")
    return None
