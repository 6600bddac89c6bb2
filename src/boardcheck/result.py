"""Frozen result types: what an evaluation found, ready for any output format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

RESULT_SCHEMA_VERSION = 1

Status = Literal["met", "partly_met", "not_met", "not_applicable", "waived"]
Rating = Literal["green", "amber", "red", "inconclusive"]
Severity = Literal["critical", "major", "minor"]

STATUS_LABELS: dict[Status, str] = {
    "met": "met",
    "partly_met": "partly met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "waived": "waived",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A place in the trust file that a finding rests on."""

    path: str
    line: int
    column: int
    note: str
    # True where this place shows the gap itself (not somewhere found in order).
    gap: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found: the status, a sentence saying why, and where it looked."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    # False when the gap is missing information rather than information showing a gap:
    # boards treat "not evidenced" differently from "evidenced and not met".
    evidenced: bool = True


@dataclass(frozen=True, slots=True)
class AppliedWaiver:
    """A waiver from the trust file, and whether it still applies at the as-of date."""

    criterion: str
    reason: str
    owner: str
    approved_by: str
    review_by: dt.date
    expired: bool
    line: int


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's outcome, with the questionnaire text a reader needs beside it."""

    id: str
    category: str
    title: str
    status: Status
    weight: float
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...]
    evidenced: bool
    challenge: str
    remediation: str
    # Overall points (0-100 scale) the trust would gain if this criterion were met.
    points_available: float
    waiver: AppliedWaiver | None = None
    # Who the file names as answerable for the gap (executive leads, BAF risk owners).
    owners: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """One board question: its score, rating and criteria."""

    id: str
    title: str
    board_question: str
    weight: float
    score: float | None
    rating: Rating
    capped_by: str | None
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True, slots=True)
class Overall:
    score: float | None
    rating: Rating
    capped_by: str | None


@dataclass(frozen=True, slots=True)
class OrganisationSummary:
    name: str
    ods_code: str | None
    legal_form: str | None
    sectors: tuple[str, ...]
    region: str | None


@dataclass(frozen=True, slots=True)
class ArrangementSummary:
    id: str
    name: str
    type: str
    governance_model: str | None
    trust_role: str | None
    line: int


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The questionnaire's scoring settings, so reports can state the method they used."""

    partly_met_credit: float
    category_green: float
    category_amber: float
    overall_green: float
    overall_amber: float
    critical_not_met_cap: Rating
    critical_partly_met_cap: Rating
    red_category_cap: Rating


@dataclass(frozen=True, slots=True)
class QuestionnaireSummary:
    id: str
    version: str
    title: str
    digest: str
    scoring: ScoringRules | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """Everything an evaluation of one trust description produced."""

    file: str
    organisation: OrganisationSummary
    questionnaire: QuestionnaireSummary
    as_of: dt.date
    overall: Overall
    categories: tuple[CategoryResult, ...]
    arrangements: tuple[ArrangementSummary, ...]
    waivers: tuple[AppliedWaiver, ...]

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return tuple(c for cat in self.categories for c in cat.criteria)

    def gaps_by_points(self) -> tuple[CriterionResult, ...]:
        """Criteria not fully met, those whose fixing adds most to the score first."""
        open_ = [c for c in self.criteria if c.points_available > 0]
        return tuple(sorted(open_, key=lambda c: (-c.points_available, c.id)))
