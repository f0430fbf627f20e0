"""Reviewer-facing words: plain check messages and ID masking (fast unit tests)."""

from __future__ import annotations

import doctest

from zhanchi.review import masking, messages
from zhanchi.review.masking import mask_ids
from zhanchi.review.messages import plain_message


def test_the_modules_examples_hold() -> None:
    for module in (masking, messages):
        failed, tried = doctest.testmod(module)
        assert tried > 0 and failed == 0, module.__name__


def test_plain_messages_drop_every_technical_part() -> None:
    text = plain_message("承诺书签字(has_signature) 未识别；证书发证日期(issue_date) 2024-01-15；"
                         "agencies.csv 无此机构（见 agency_not_filed）；值 'x' 不是规范格式")
    assert "(" not in text and "_" not in text and ".csv" not in text
    assert "签字" in text and "2024年1月15日" in text and "备案机构名单" in text
    assert "“鉴定机构未备案”" in text
    assert plain_message("unknown_word stays") == "unknown_word stays"  # never invents labels


def test_masking_leaves_certificate_numbers_and_short_digits_alone() -> None:
    assert mask_ids("36042919900101883X、360429900101883") == "360429********883X、360429*****1883"
    for keep in ("S000036010203244100000", "1536000000000123", "2024", "第 3 行"):
        assert mask_ids(keep) == keep
