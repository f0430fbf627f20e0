"""Identifiers that must obey real rules: names, ID numbers, certificate numbers.

Each generator takes a :class:`random.Random` so a corpus is reproducible from its seed.
The validators here are the generator's own guard (tests use them); the pipeline has
its own.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
)
# Weighted towards the most common surnames, as real rosters are.
_SURNAME_WEIGHTS = [max(1, 40 - i) for i in range(len(SURNAMES))]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏"
    "志海峰波春燕雪琴云慧婷丹玲欣佳俊晨鑫龙飞宏林亮雷金荣国兵梅晶彬琳倩瑶璐翔"
)

ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
ID_CHECK = "10X98765432"
SKILL_RE = re.compile(r"^[YS]\d{4}\d{2}\d{6}\d{2}[1-5]\d{6}$")
QUAL_RE = re.compile(r"^\d{6}[0-4]\d{3}[1-5]\d{5}$")


def chinese_name(rng: random.Random) -> str:
    """A 2- or 3-character name (surname + 1–2 given characters)."""
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    n = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN) for _ in range(n))


def other_name(rng: random.Random, name: str) -> str:
    """A different plausible name (same surname half the time: a relative signing)."""
    while True:
        cand = chinese_name(rng)
        if rng.random() < 0.5:
            cand = name[0] + cand[1:]
        if cand != name:
            return cand


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of GB 11643."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def make_id_number(rng: random.Random, address_code: str, birth: date, male: bool) -> str:
    """A GB 11643 ID number: address, birth date, sequence (odd = male), check char."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{address_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def id_number_valid(number: str) -> bool:
    """Checksum and birth date (the hard rules of GB 11643; place codes are not checked)."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17]


def break_id_number(rng: random.Random, number: str) -> str:
    """Make an ID number invalid (wrong check char or impossible birth date)."""
    if rng.random() < 0.7:
        wrong = [c for c in ID_CHECK if c != number[17]]
        return number[:17] + rng.choice(wrong)
    # 2月30日 never exists; recompute the check char so only the date is wrong.
    first17 = number[:10] + "0230" + number[14:17]
    return first17 + id_check_char(first17)


def birth_date(rng: random.Random, as_of: date) -> date:
    """A working-age birth date (20–55 years before ``as_of``)."""
    return as_of - timedelta(days=rng.randrange(20 * 365, 55 * 365))


def skill_number(
    rng: random.Random, *, province_code: str, issue: date, level: int, social: bool
) -> str:
    """职业技能等级证书 number: [YS] agency(4) province(2) site(6) yy level serial(6)."""
    agency = "0000" if rng.random() < 0.4 else f"{rng.randrange(1, 10000):04d}"
    site = f"{rng.randrange(1, 1_000_000):06d}"
    serial = f"{rng.randrange(1, 1_000_000):06d}"
    prefix = "S" if social else "Y"
    return f"{prefix}{agency}{province_code}{site}{issue:%y}{level}{serial}"


# The labour ministry's own province table is not GB/T 2260 and is not in the
# reference data; these two digits are invented stand-ins (the pipeline never reads them).
QUAL_PROVINCE_DIGITS = {"江西省": "14"}


def qualification_number(rng: random.Random, *, province: str, issue: date, level: int) -> str:
    """职业资格证书 number: yy province city type(0–4) agency(3) level serial(5)."""
    prov = QUAL_PROVINCE_DIGITS.get(province, f"{rng.randrange(20, 40):02d}")
    city = f"{rng.randrange(1, 12):02d}"
    kind = rng.randrange(0, 5)
    agency = f"{rng.randrange(1, 1000):03d}"
    serial = f"{rng.randrange(1, 100000):05d}"
    return f"{issue:%y}{prov}{city}{kind}{agency}{level}{serial}"


def number_level_digit(number: str) -> int | None:
    """The level digit of a well-formed certificate number, else None."""
    if SKILL_RE.fullmatch(number):
        return int(number[15])
    if QUAL_RE.fullmatch(number):
        return int(number[10])
    return None


def set_level_digit(number: str, level: int) -> str:
    """The same number with its level digit replaced."""
    idx = 15 if SKILL_RE.fullmatch(number) else 10
    return number[:idx] + str(level) + number[idx + 1 :]


def tweak_number(rng: random.Random, number: str) -> str:
    """A different, still well-formed number with the same level digit (a slip of the pen)."""
    level_idx = 15 if SKILL_RE.fullmatch(number) else 10
    positions = [i for i, c in enumerate(number) if c.isdigit() and i != level_idx]
    if number[0] in "YS":
        positions = [i for i in positions if i > 4]  # keep agency/province digits sane
    chars = list(number)
    i = rng.choice(positions[-8:])
    chars[i] = rng.choice([d for d in "0123456789" if d != chars[i]])
    return "".join(chars)


def break_number_format(rng: random.Random, number: str) -> str:
    """A number that fails its format: a digit dropped, or a bad prefix letter."""
    if number[0] in "YS" and rng.random() < 0.5:
        return "Z" + number[1:]
    i = rng.randrange(len(number) - 6, len(number))
    return number[:i] + number[i + 1 :]
