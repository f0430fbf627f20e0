"""Has this certificate, or this person's occupation at this level, been claimed before?

Three sources: claims.csv (subsidies paid), the same person and occupation paid at the
same or a higher level (1 is highest, so ``claims.level <= level``), and other
submissions in the store claiming the same number (within and across batches).
"""

from __future__ import annotations

from zhanchi.checks.context import (
    CheckContext,
    Packet,
    canonical_occupation,
    level,
    number,
    occupation,
    result,
)
from zhanchi.checks.labels import joined, level_label, mask_id
from zhanchi.models import Check


def _numbers(p: Packet) -> list[str]:
    """Every certificate number the packet claims (the certificate's and the letter's)."""
    found = [number(d, "certificate_number") for d in (p.certificate, p.letter)]
    return list(dict.fromkeys(n for n in found if n))


def needs_claims(p: Packet) -> bool:
    """duplicate_claim has a certificate number to look up in claims.csv."""
    return bool(_numbers(p))


def _id_number(p: Packet, ctx: CheckContext, numbers: list[str]) -> str | None:
    """The holder's ID number: printed on the certificate, else as the agency reported it."""
    printed = number(p.certificate, "id_number")
    if printed:
        return printed
    registry = ctx.registries.certificates
    if registry is None:
        return None
    reported = {row.id_number for n in numbers for row in registry.lookup(n) if row.id_number}
    return reported.pop() if len(reported) == 1 else None


def duplicate_claim(p: Packet, ctx: CheckContext) -> Check:
    code = "duplicate_claim"
    numbers = _numbers(p)
    if not numbers:
        return result(code, "skipped", "证书编号未识别，无法查重")
    problems: list[str] = []
    unknown: list[str] = []
    notes: list[str] = []
    claims = ctx.registries.claims
    if claims is None:
        unknown.append("缺少 claims.csv，未与已发放补贴比对")
    else:
        for n in numbers:
            for row in claims.by_number(n):
                paid = f"于 {row.paid_date} " if row.paid_date else ""
                problems.append(f"证书编号 {n} 已{paid}领取补贴（claims.csv 第 {row.line} 行）")
        holder = _id_number(p, ctx, numbers)
        job, lvl = occupation(p.claimed, ctx.policy), level(p.claimed)
        if holder is None:
            notes.append("无身份证号，未按同人同职业比对")
        elif job is None or lvl is None:
            unknown.append("职业或等级未识别，未按同人同职业比对")
        else:
            for row in claims.by_id_number(holder):
                if row.certificate_number in numbers or row.level is None:
                    continue
                if canonical_occupation(row.occupation, ctx.policy) == job and row.level <= lvl:
                    problems.append(
                        f"身份证号 {mask_id(holder)} 已按{row.occupation}"
                        f"{level_label(row.level)}领取补贴（claims.csv 第 {row.line} 行），"
                        f"本次为{level_label(lvl)}")
    for n in numbers:
        others = [s for s in ctx.other_claims(n)]
        if others:
            problems.append(f"证书编号 {n} 另由提交 {'、'.join(others)} 申领")
    if problems:
        return result(code, "fail", joined(problems))
    if unknown:
        return result(code, "skipped", joined(unknown))
    suffix = f"（{joined(notes)}）" if notes else ""
    return result(code, "pass", f"证书编号 {'、'.join(numbers)} 未发现重复申领{suffix}")
