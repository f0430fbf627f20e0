"""Which process runs a batch, and whether it is still alive.

A run claims a submission by inserting a ``processing`` row. If that run is killed,
the row must not block the packet forever: the next run takes it over when the owning
process is provably gone (same host, pid absent, a zombie, or reused by another
process) or, for an owner on another host, when its heartbeat is too old.
"""

from __future__ import annotations

import os
import socket


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) from /proc, or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    # the command name (field 2) may contain spaces and parentheses: split after it
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]  # field 3 (state) and field 22 (starttime)


def current_owner() -> str:
    """``host:pid:start`` naming this process (start disambiguates reused pids)."""
    pid = os.getpid()
    stat = _proc_stat(pid)
    return f"{socket.gethostname()}:{pid}:{stat[1] if stat else ''}"


def owner_alive(owner: str) -> bool | None:
    """True/False for an owner on this host; None when it runs elsewhere (unknown)."""
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, belongs to someone else
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc: the pid exists, assume it is the owner
    state, started = stat
    if state in ("Z", "X"):
        return False  # killed, not yet reaped by its parent
    return not start or started == start
