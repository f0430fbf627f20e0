"""Reviewers' agency corrections → alias suggestions → registry data, under the guard.

When a reviewer corrects a letter's agency from a written name that does not name a
filed agency to one that does (by its name or an alias, exactly), the written name is
suggested as an alias of that agency. A supervisor who did not suggest it accepts or
rejects it; an accepted alias is registry data (``zhanchi.registry.aliases``).

Acceptance is held to agency matching's own guard (``NameMatcher.differing_tokens``):
an alias may not differ from the agency's name in a place name, a numeral or a
protected word — 南昌县… is never an alias of 南昌市…, however often it was typed —
and may not already name another filed agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from zhanchi.checks.agency import match_agency
from zhanchi.checks.agency_match import NameMatcher, Token
from zhanchi.policy import Policy, load_policy
from zhanchi.registry import AgencyRow, Registries, load_reference
from zhanchi.registry.text import fold
from zhanchi.store.aliases import AliasSuggestion, suggest_alias

if TYPE_CHECKING:
    from zhanchi.review.state import AppState

_KINDS = {"place": "地名", "admin": "地名", "numeral": "序数", "term": "保护词"}


@dataclass(frozen=True)
class AliasReview:
    """A suggestion with the guard's verdict (``refusal`` None: it may be accepted)."""

    suggestion: AliasSuggestion
    refusal: str | None


def name_matcher(policy: Policy) -> NameMatcher:
    """Agency matching's comparer under ``policy`` (the checks build the same one)."""
    return NameMatcher(policy.agency_matching, load_reference().place_names())


def _filed(written: str, rows: list[AgencyRow], matcher: NameMatcher) -> list[AgencyRow]:
    """The rows of the one filed agency ``written`` names exactly (name or alias), else []."""
    found = match_agency(written, rows, matcher)
    return found.rows if found.kind == "exact" else []


def correction_suggests(doc_type: str, name: str, old: object, new: object,
                        registries: Registries, matcher: NameMatcher,
                        ) -> tuple[str, AgencyRow] | None:
    """(written name, filed agency row) when this correction suggests an alias, else None."""
    if doc_type != "commitment_letter" or name != "agency" or registries.agencies is None:
        return None
    if not isinstance(old, str) or not isinstance(new, str) or not fold(old):
        return None
    rows = registries.agencies.rows
    target = _filed(new, rows, matcher)
    if not target or matcher.norm(old) == matcher.norm(new):
        return None
    if _filed(old, rows, matcher) == target:  # the written name already names it
        return None
    return fold(old), target[0]


def note_agency_correction(state: AppState, case_pk: int, doc_type: str, name: str,
                           old: object, new: object, *, actor: str) -> int | None:
    """After a saved field edit: record the alias it suggests, if any; its id."""
    if name != "agency":
        return None
    matcher = name_matcher(state.rechecker.policy(case_pk))
    found = correction_suggests(doc_type, name, old, new, state.rechecker.registries(), matcher)
    if found is None:
        return None
    written, row = found
    return suggest_alias(state.store, written, row.name, row.filing_no, actor=actor,
                         submission_pk=case_pk)


def _differences(extra: list[Token], lost: list[Token]) -> str:
    words = [f"{_KINDS.get(t.kind, t.kind)}“{t.text}”" for t in (*extra, *lost)]
    return "、".join(dict.fromkeys(words))


def guard_refusal(alias: str, agency_name: str, registries: Registries,
                  matcher: NameMatcher) -> str | None:
    """Why ``alias`` may not become an alias of the filed ``agency_name`` (Chinese), or None."""
    if registries.agencies is None:
        return "没有备案机构名录（agencies.csv），无法核对"
    rows = registries.agencies.rows
    if not any(r.name == agency_name for r in rows):
        return f"备案机构名录中已没有“{agency_name}”"
    a, n = matcher.norm(alias), matcher.norm(agency_name)
    if not a or a == n:
        return "别名与机构名称相同，无需添加"
    extra, lost = matcher.differing_tokens(a, n)
    if extra or lost:
        return f"别名与备案名称的{_differences(extra, lost)}不同：可能是另一家机构，不能作为别名"
    named = _filed(alias, rows, matcher)
    if named and all(r.name != agency_name for r in named):
        return f"“{alias}”已是另一家备案机构（{named[0].name}）的名称或别名"
    return None


def review_suggestions(suggestions: list[AliasSuggestion], registries: Registries,
                       as_of: date | None = None) -> list[AliasReview]:
    """Each suggestion with the guard's verdict under the policy in force (today)."""
    matcher = name_matcher(load_policy(as_of or date.today()))
    return [AliasReview(s, guard_refusal(s.alias, s.agency_name, registries, matcher))
            for s in suggestions]
