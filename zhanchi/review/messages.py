"""Check messages in plain Chinese for reviewers; the technical text kept behind a toggle.

The checks write one message per check for two readers: a reviewer, and whoever
traces a result back to SPEC names and thresholds (``承诺书手印(has_fingerprint)``,
``（has_fingerprint=false）``, ``置信度 0.57 < 0.80``, ``claims.csv``). The case page
shows the reviewer's version first and the original under "技术细节". Both have ID
numbers masked. The rewriting only drops or replaces the technical parts, so no
fact of the message is lost: the original stays one click away.
"""

from __future__ import annotations

import re

from zhanchi.review.labels import FIELD_LABELS, REASON_LABELS, cn_date
from zhanchi.review.masking import mask_ids

_FILES = {"agencies.csv": "备案机构名单", "certificates.csv": "获证人员名单",
          "claims.csv": "已发放补贴名单"}
_FLAG = re.compile(r"[（(]\s*[a-z_]+\s*=\s*(?:true|false)\s*[）)]")
_LABELLED = re.compile(r"\(([a-z][a-z_]*)\)")
_LOW = re.compile(r"置信度 [0-9.]+ < [0-9.]+")
_CONFIRMED = re.compile(r"置信度 [0-9.]+，与")
_FILE = re.compile(r"\b(agencies|certificates|claims)\.csv\b")
_ISO = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")
_WORD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _word(match: re.Match[str]) -> str:
    word = match.group(0)
    return FIELD_LABELS.get(word) or (f"“{REASON_LABELS[word]}”" if word in REASON_LABELS
                                      else word)


def plain_message(message: str) -> str:
    """The reviewer's version of a check message.

    >>> plain_message("承诺书没有手印（has_fingerprint=false）")
    '承诺书没有手印'
    >>> plain_message("识别置信度偏低：证书持证人姓名(holder_name) 置信度 0.57 < 0.80")
    '识别置信度偏低：证书持证人姓名 识别不够清晰，请对照原件核对'
    >>> plain_message("考试省份 浙 无法识别（见 invalid_location）")
    '考试省份 浙 无法识别（见 “考试地点无效”）'
    >>> plain_message("claims.csv 第 3 行：身份证号 360429199001018832 于 2021-05-06 领取")
    '已发放补贴名单 第 3 行：身份证号 360429********8832 于 2021年5月6日 领取'
    """
    text = _FLAG.sub("", message)
    text = _LABELLED.sub(lambda m: "" if m.group(1) in FIELD_LABELS else m.group(0), text)
    text = _LOW.sub("识别不够清晰，请对照原件核对", text)
    text = _CONFIRMED.sub("识别不够清晰但与", text)
    text = _FILE.sub(lambda m: _FILES[m.group(0)], text)
    text = _WORD.sub(_word, text)
    text = _ISO.sub(lambda m: cn_date(m.group(1)), text)
    return mask_ids(text)


def technical_message(message: str) -> str:
    """The original message, ID numbers masked (shown under 技术细节)."""
    return mask_ids(message)
