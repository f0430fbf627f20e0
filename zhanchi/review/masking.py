"""ID numbers as reviewers see them: masked (``360429********8832``) unless they need it.

The full number is shown in exactly two places: the case page of the reviewer who
holds the case (they compare it with the scan) and the supervisor's payment export.
Both are logged (who saw which submission's number, never the number). Everywhere
else (the queue, the dashboard, check messages, the export preview, the case page of
anyone else) a text that holds an ID number shows it masked.
"""

from __future__ import annotations

import re

from zhanchi.checks.context import mask_id

__all__ = ["mask_id", "mask_ids"]

# 18-character (GB 11643) and old 15-digit numbers standing alone: a certificate
# number (16 digits, or 22 characters) is a longer or shorter run and is left alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")


def mask_ids(text: object) -> str:
    """``text`` with every ID number in it masked.

    >>> mask_ids("身份证号 360429199001018832 与名单不符")
    '身份证号 360429********8832 与名单不符'
    >>> mask_ids("证书编号 1536000000000123")
    '证书编号 1536000000000123'
    """
    if text is None:
        return ""
    return _ID_NUMBER.sub(lambda m: mask_id(m.group(0)), str(text))
