"""Thresholds a run can be held to: which ones a result fails, in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from boardcheck.result import RATING_LABELS, Result

FailOn = Literal["amber", "red"]
# Insufficient evidence is no assurance: it fails a gate that green alone passes.
_BAD: dict[str, set[str]] = {"amber": {"amber", "red", "insufficient_evidence"}, "red": {"red"}}
_CRITICAL = {"not_met": "is not met", "partly_met": "is not met for every arrangement",
             "not_evidenced": "is not evidenced"}


@dataclass(frozen=True, slots=True)
class Gates:
    """The thresholds given on the command line or in configuration."""

    fail_under: float | None = None
    category_fail_under: dict[str, float] = field(default_factory=dict)
    fail_on: FailOn | None = None
    fail_on_critical: bool = False


def failures(result: Result, gates: Gates) -> list[str]:
    """Every threshold the result is past, as sentences (empty when within all of them)."""
    out: list[str] = []
    score = result.overall.score
    if gates.fail_under is not None and (score is None or score < gates.fail_under):
        shown = "inconclusive" if score is None else f"{score:g}"
        out.append(f"overall score {shown} is below --fail-under {gates.fail_under:g}")
    for cat in result.categories:
        limit = gates.category_fail_under.get(cat.id)
        if limit is not None and (cat.score is None or cat.score < limit):
            shown = "inconclusive" if cat.score is None else f"{cat.score:g}"
            out.append(f"{cat.id} score {shown} is below {limit:g}")
        if gates.fail_on is not None and cat.rating in _BAD[gates.fail_on]:
            out.append(f"{cat.id} is rated {RATING_LABELS[cat.rating]} "
                       f"(--fail-on {gates.fail_on})")
    if gates.fail_on is not None and result.overall.rating in _BAD[gates.fail_on]:
        out.append(f"overall rating is {RATING_LABELS[result.overall.rating]} "
                   f"(--fail-on {gates.fail_on})")
    if gates.fail_on_critical:
        for c in result.criteria:
            if c.severity == "critical" and c.status in _CRITICAL:
                out.append(f"critical criterion {c.id} {_CRITICAL[c.status]}")
    return out


# A gap in either of its states: stated and failing, or not evidenced (silence).
GAPS = ("not_met", "partly_met", "not_evidenced")


def failing_criteria(result: Result, gates: Gates) -> frozenset[str]:
    """The criteria a failed threshold makes fail: the gaps (not evidenced among them) under a
    score or rating that is past its threshold (every gap, for the overall score or rating),
    and each critical criterion that `failures` names under --fail-on-critical. Empty when
    the run is within its thresholds, so a CI report's failures agree with the exit code."""
    score = result.overall.score
    overall = ((gates.fail_under is not None and (score is None or score < gates.fail_under))
               or (gates.fail_on is not None and result.overall.rating in _BAD[gates.fail_on]))
    failing: set[str] = set()
    for cat in result.categories:
        limit = gates.category_fail_under.get(cat.id)
        past = (overall or (limit is not None and (cat.score is None or cat.score < limit))
                or (gates.fail_on is not None and cat.rating in _BAD[gates.fail_on]))
        for c in cat.criteria:
            critical = (gates.fail_on_critical and c.severity == "critical"
                        and c.status in _CRITICAL)
            if critical or (past and c.status in GAPS):
                failing.add(c.id)
    return frozenset(failing)
