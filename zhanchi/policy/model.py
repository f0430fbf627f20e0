"""The policy a run applies: one version of ``policy.toml`` as typed, validated objects.

Only data lives here; the checks read it. Field meanings are documented in
``policy.toml`` and ``README.md`` in DOMAIN terms.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zhanchi.doctypes import CATALOGUE, CERTIFICATE_TYPES, CHECKED_TYPES

Level = Annotated[int, Field(ge=1, le=5)]
Threshold = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Levels(_Strict):
    """Which certificate levels the subsidy covers."""

    eligible: frozenset[Level]


class Window(_Strict):
    """The application window after the certificate's issue date."""

    months: Annotated[int, Field(ge=1, le=120)]


class ExitedQualification(_Strict):
    """The last exam date for exited level-evaluation (水平评价类) qualifications."""

    last_exam_date: date


class Confidence(_Strict):
    """Thresholds under which a required field is ``low_confidence``.

    Lookup order: per document type and field, per field, default.
    """

    default: Threshold = 0.80
    fields: dict[str, Threshold] = {}
    types: dict[str, dict[str, Threshold]] = {}
    # a value below its threshold that an independent sure source states identically
    # (the other document of the claim, certificates.csv) is not low_confidence
    corroboration: bool = False
    # with corroboration: the letter's agency, a 职业技能等级证书's issuer (评价机构名称,
    # the organisation that assessed and issued) and a filing proof's agency are the same
    # fact, so one read surely confirms another read identically (a 职业资格证书's
    # issuer is a department: never)
    agency_corroboration: bool = False
    # the curve file (policy/calibration/<name>.json) that turns extractor scores into
    # probabilities before thresholds apply; None: scores are compared as they are
    calibration: str | None = None

    def threshold(self, doc_type: str, field: str) -> float:
        by_type = self.types.get(doc_type, {})
        if field in by_type:
            return by_type[field]
        return self.fields.get(field, self.default)


class NumberRule(_Strict):
    """A certificate type's number format; the ``level`` group is the level digit."""

    pattern: str
    length: Annotated[int, Field(ge=1)]  # characters, for messages (职业资格证书 16 位编号)
    jiangxi_province_code: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles_with_level(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern does not compile: {exc}") from None
        if "level" not in compiled.groupindex:
            raise ValueError("pattern needs a (?P<level>…) group")
        return value

    @model_validator(mode="after")
    def _province_group(self) -> NumberRule:
        if self.jiangxi_province_code and "province" not in re.compile(self.pattern).groupindex:
            raise ValueError("jiangxi_province_code needs a (?P<province>…) group")
        return self

    def match(self, number: str) -> re.Match[str] | None:
        return re.fullmatch(self.pattern, number, flags=re.ASCII)


class Occupations(_Strict):
    """Old occupation names mapped to the current catalogue name."""

    aliases: dict[str, str] = {}


class Places(_Strict):
    """Areas that are not administrative units, with the county-level units they span."""

    new_areas: dict[str, list[str]] = {}


class AgencyMatching(_Strict):
    """How tolerant agency-name matching is (see README: never a different agency)."""

    max_edits: Annotated[int, Field(ge=0, le=5)] = 2
    min_similarity: Threshold = 0.85
    ambiguity_margin: Annotated[int, Field(ge=1, le=5)] = 1
    ocr_folds: dict[str, str] = {}
    protected_terms: frozenset[str] = frozenset()

    @field_validator("ocr_folds")
    @classmethod
    def _single_chars(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(k) != 1 or len(v) != 1 for k, v in value.items()):
            raise ValueError("ocr_folds maps single characters to single characters")
        return value


class QualitySampling(_Strict):
    """The share of straight-through passes put in the QA queue (no result changes)."""

    share: Threshold = 0.0


class Policy(_Strict):
    """One version of the rules, in force from ``in_force_from`` to ``in_force_to``."""

    version: Annotated[str, Field(min_length=1)]
    in_force_from: date
    in_force_to: date | None = None
    basis: list[str] = []
    levels: Levels
    subsidy_yuan: dict[Level, Annotated[int, Field(ge=0)]] = {}
    application_window: Window
    exited_qualification: ExitedQualification
    confidence: Confidence = Confidence()
    certificate_numbers: dict[str, NumberRule]
    required_fields: dict[str, tuple[str, ...]]
    occupations: Occupations = Occupations()
    places: Places = Places()
    agency_matching: AgencyMatching = AgencyMatching()
    quality_sampling: QualitySampling = QualitySampling()

    @model_validator(mode="after")
    def _complete(self) -> Policy:
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise ValueError("in_force_to is earlier than in_force_from")
        missing = [t for t in CERTIFICATE_TYPES if t not in self.certificate_numbers]
        if missing:
            raise ValueError(f"certificate_numbers lacks {missing}")
        # closed, not open: every judged type states its required fields, and only fields
        # it has (zhanchi/doctypes/types/)
        missing = [t for t in CHECKED_TYPES if not self.required_fields.get(t)]
        if missing:
            raise ValueError(f"required_fields lacks {missing}")
        for doc_type, names in self.required_fields.items():
            if doc_type not in CHECKED_TYPES:
                raise ValueError(f"required_fields names {doc_type}, not a judged document type")
            stray = sorted(set(names) - set(CATALOGUE.by_id[doc_type].field_names))
            if stray:
                raise ValueError(f"required_fields.{doc_type} names {stray}, not its fields")
        stray = sorted(set(self.certificate_numbers) - set(CERTIFICATE_TYPES))
        if stray:
            raise ValueError(f"certificate_numbers names {stray}, not certificate types")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)
