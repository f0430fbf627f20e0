"""Was the assessment agency filed: in Jiangxi (agencies.csv), or by proof outside it?

Only an exact match counts (SPEC §6): the name or an alias, after normalising width,
spaces, punctuation and traditional forms. A name one character from a filed one is
as often a different, unfiled agency (评定中心 / 评价中心) as a misread, and only a
person can tell which: it fails, and the message names the nearest filed agency so the
reviewer confirms in one step. The tolerant matcher (:mod:`.agency_match`) only finds
that nearest agency; it never passes a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhanchi.checks.agency_match import NameMatcher, levenshtein
from zhanchi.checks.context import CheckContext, Packet, as_read, day, result, text
from zhanchi.models import Check
from zhanchi.registry import AgencyRow
from zhanchi.registry.reference import JIANGXI


@dataclass
class AgencyMatch:
    """Outcome of looking a printed name up in agencies.csv."""

    kind: str  # "exact" | "near" (one filed agency, approximately) | "ambiguous" | "none"
    rows: list[AgencyRow] = field(default_factory=list)  # the matched agency's filing rows
    names: list[str] = field(default_factory=list)  # for messages: matched / rival names


def _groups(rows: list[AgencyRow], matcher: NameMatcher) -> list[list[AgencyRow]]:
    """Rows of one agency: same filing number or name, or an alias naming another row
    (a renamed agency keeps its old name as an alias). A merely shared alias does not
    join two agencies: a printed name equal to it is then ambiguous."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(keys: dict[str, int], key: str, i: int) -> None:
        if key in keys:
            parent[find(i)] = find(keys[key])
        else:
            keys[key] = i

    by_filing: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row.filing_no:
            join(by_filing, row.filing_no, i)
        join(by_name, matcher.norm(row.name), i)
    for i, row in enumerate(rows):
        for alias in row.aliases:
            if matcher.norm(alias) in by_name:
                join(by_name, matcher.norm(alias), i)
    groups: dict[int, list[AgencyRow]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    return list(groups.values())


def match_agency(printed: str, rows: list[AgencyRow], matcher: NameMatcher) -> AgencyMatch:
    """The filed agency ``printed`` names exactly (by name or alias), or the nearest one.

    ``near`` means one filed agency is within the policy's tolerance (OCR noise or a
    different agency: not decidable here); ``ambiguous`` that several are about as close.
    """
    query = matcher.norm(printed)
    if not query:
        return AgencyMatch("none")
    limit = matcher.cfg.max_edits + matcher.cfg.ambiguity_margin
    scored = []  # (accepted distance or None, raw distance or None, group)
    for group in _groups(rows, matcher):
        names = [matcher.norm(n) for r in group for n in (r.name, *r.aliases)]
        accepted = [d for n in names if n and (d := matcher.distance(query, n)) is not None]
        rough = [d for n in names if n and (d := levenshtein(query, n, limit)) is not None]
        scored.append((min(accepted, default=None), min(rough, default=None), group))
    hits = [s for s in scored if s[0] is not None]
    if not hits:
        near = sorted((s for s in scored if s[1] is not None), key=lambda s: s[1] or 0)
        return AgencyMatch("none", names=[s[2][0].name for s in near[:1]])
    best = min(s[0] for s in hits if s[0] is not None)
    winner = next(s for s in hits if s[0] == best)
    rivals = [s for s in scored if s is not winner and s[1] is not None
              and s[1] < best + matcher.cfg.ambiguity_margin]
    if rivals:
        return AgencyMatch("ambiguous", names=[winner[2][0].name] + [s[2][0].name for s in rivals])
    return AgencyMatch("exact" if best == 0 else "near", winner[2], [winner[2][0].name])


def _matcher(ctx: CheckContext) -> NameMatcher:
    return NameMatcher(ctx.policy.agency_matching, ctx.reference.place_names())


def _exam_province(p: Packet, ctx: CheckContext, code: str) -> tuple[str | None, Check | None]:
    """The canonical exam province, or the skipped Check saying why it is unknown."""
    if p.letter is None:
        return None, result(code, "skipped", "没有承诺书，无法检查考核鉴定机构")
    printed = text(p.letter, "exam_province")
    if printed is None:
        return None, result(code, "skipped", "承诺书考试省份(exam_province) 未识别，无法检查")
    province = ctx.reference.canonical_province(printed)
    if province is None:
        return None, result(code, "skipped", f"考试省份 {printed} 无法识别（见 invalid_location）")
    return province, None


def needs_agencies(p: Packet, ctx: CheckContext) -> bool:
    """agency_not_filed has a Jiangxi exam and an agency name to look up."""
    province = ctx.reference.canonical_province(text(p.letter, "exam_province") or "")
    return province == JIANGXI and as_read(p.letter, "agency") is not None


def _period(row: AgencyRow) -> str:
    return f"{row.valid_from}–{row.valid_to or '至今'}"


def agency_not_filed(p: Packet, ctx: CheckContext) -> Check:
    code = "agency_not_filed"
    province, skipped = _exam_province(p, ctx, code)
    if skipped is not None:
        return skipped
    if province != JIANGXI:
        return result(code, "pass", f"考试在{province}，不适用江西省备案名录（见备案证明检查）")
    printed = as_read(p.letter, "agency")
    if printed is None:
        return result(code, "skipped", "承诺书考核鉴定机构(agency) 未识别，无法检查")
    registry = ctx.registries.agencies
    if registry is None:
        return result(code, "skipped", "缺少 agencies.csv，无法核对机构备案")
    m = match_agency(printed, registry.rows, _matcher(ctx))
    if m.kind == "none":
        near = f"（最接近的备案机构：{m.names[0]}，但不足以认定为同一机构）" if m.names else ""
        return result(code, "fail", f"承诺书考核鉴定机构 {printed} 不在备案机构名录中{near}")
    if m.kind == "ambiguous":
        return result(code, "fail", f"承诺书考核鉴定机构 {printed} 与多个备案机构相近"
                      f"（{'、'.join(m.names)}），无法确定")
    if m.kind == "near":
        return result(code, "fail", f"承诺书考核鉴定机构 {printed} 与备案名录不完全一致，"
                      f"最接近的备案机构为 {m.names[0]}：请核对是识别误差还是另一未备案机构")
    local = [r for r in m.rows if ctx.reference.canonical_province(r.province) == JIANGXI]
    if not local:
        return result(code, "fail", f"考核鉴定机构 {printed} 的备案地为 {m.rows[0].province}，"
                      "不是江西省人社部门")
    exam = day(p.letter, "exam_date")
    if exam is None:
        return result(code, "skipped", f"考核鉴定机构 {printed} 已备案，但考试日期未识别，"
                      "无法核对备案有效期")
    valid = [r for r in local if r.valid_on(exam)]
    if not valid:
        periods = "、".join(_period(r) for r in local)
        return result(code, "fail", f"考核鉴定机构 {printed} 的备案有效期（{periods}）"
                      f"不含考试日期 {exam}")
    row = valid[0]
    return result(code, "pass", f"考核鉴定机构 {printed} 已备案（备案号 {row.filing_no or '—'}，"
                  f"有效期 {_period(row)}）")


def out_of_province_proof_missing(p: Packet, ctx: CheckContext) -> Check:
    code = "out_of_province_proof_missing"
    province, skipped = _exam_province(p, ctx, code)
    if skipped is not None:
        return skipped
    if province == JIANGXI:
        return result(code, "pass", "考试在江西省内，无需省外备案证明")
    printed = as_read(p.letter, "agency")
    if printed is None:
        return result(code, "skipped", "承诺书考核鉴定机构(agency) 未识别，无法核对备案证明")
    if not p.proofs:
        return result(code, "fail", f"考试在{province}（省外），但材料中没有考核鉴定机构 {printed} "
                      "的备案证明")
    matcher, seen = _matcher(ctx), []
    for proof in p.proofs:
        agency, where = as_read(proof, "agency"), text(proof, "province")
        canonical = ctx.reference.canonical_province(where) if where else None
        same = agency is not None and matcher.norm(printed) == matcher.norm(agency)
        if same and canonical == province:
            return result(code, "pass", f"备案证明表明 {agency} 已在{province}备案")
        near = "（与承诺书所写机构相近但不一致，请核对）" if (
            agency and not same and matcher.same(printed, agency)) else ""
        seen.append(f"{agency or '机构未识别'}{near}/{where or '省份未识别'}")
    return result(code, "fail", f"备案证明（{'；'.join(seen)}）不是承诺书考核鉴定机构 {printed} "
                  f"在考试地{province}的备案证明")
