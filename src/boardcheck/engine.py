"""Evaluate a trust description against a questionnaire at an as-of date.

Pure: no I/O, no printing, no colours. Same inputs, same `Result`.

Scoring (documented in README "Scoring"):
- a criterion earns its weight when met, `partly_met_credit` × weight when partly met, 0 when
  not met; not applicable and waived criteria leave the denominator;
- a category's score is 100 × earned / applicable weight, rounded once to one decimal;
  with no applicable criteria the category is "inconclusive" (no score);
- the rating comes from the questionnaire's thresholds, then a critical criterion not met
  (or partly met) caps the category at the rating the questionnaire names;
- the overall score is the category-weighted mean of the conclusive categories' scores;
  its rating uses the overall thresholds, and a red category caps it as configured.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from boardcheck.checks import Context
from boardcheck.errors import InputError, Problem
from boardcheck.loading import SourceMap
from boardcheck.model import TrustDescription, Waiver
from boardcheck.questionnaire import Questionnaire, Thresholds
from boardcheck.result import (
    AppliedWaiver,
    ArrangementSummary,
    CategoryResult,
    CriterionResult,
    Evidence,
    OrganisationSummary,
    Outcome,
    Overall,
    QuestionnaireSummary,
    Rating,
    Result,
    ScoringRules,
)

_ORDER: dict[Rating, int] = {"green": 0, "amber": 1, "red": 2, "inconclusive": -1}


def worst(a: Rating, b: Rating) -> Rating:
    return a if _ORDER[a] >= _ORDER[b] else b


def rate(score: float, thresholds: Thresholds) -> Rating:
    if score >= thresholds.green:
        return "green"
    if score >= thresholds.amber:
        return "amber"
    return "red"


def resolve_as_of(explicit: dt.date | None, trust: TrustDescription, today: dt.date) -> dt.date:
    """--as-of beats the file's as_of, which beats today: a run is reproducible."""
    return explicit or trust.as_of or today


def _waivers(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
             as_of: dt.date, extra: tuple[Waiver, ...]) -> dict[str, AppliedWaiver]:
    problems = []
    applied: dict[str, AppliedWaiver] = {}
    # Waivers from configuration apply unless the trust file waives the same criterion.
    for w in extra:
        w = w.model_copy(update={"criterion": w.criterion.strip().upper()})
        if questionnaire.criterion(w.criterion) is not None:
            applied[w.criterion] = AppliedWaiver(w.criterion, w.reason, w.owner, w.approved_by,
                                                 w.review_by, w.review_by < as_of, 0)
    from_config = set(applied)
    for i, w in enumerate(trust.waivers):
        line, column = source.locate(("waivers", i, "criterion"))
        # Criterion ids are upper case; accept what a person types (pi11).
        w = w.model_copy(update={"criterion": w.criterion.strip().upper()})
        if questionnaire.criterion(w.criterion) is None:
            problems.append(Problem(source.file, line, column,
                                    f"waivers[{i}].criterion: {w.criterion!r} is not a criterion "
                                    f"of questionnaire {questionnaire.id}"))
            continue
        if w.criterion in applied and w.criterion not in from_config:
            problems.append(Problem(source.file, line, column,
                                    f"waivers[{i}].criterion: {w.criterion!r} is waived twice"))
            continue
        from_config.discard(w.criterion)
        applied[w.criterion] = AppliedWaiver(w.criterion, w.reason, w.owner, w.approved_by,
                                             w.review_by, w.review_by < as_of, line)
    if problems:
        raise InputError(problems)
    return applied


def check_waivers(trust: TrustDescription, source: SourceMap,
                  questionnaire: Questionnaire) -> None:
    """Raise InputError if a waiver names no criterion of the questionnaire, or one twice:
    what `validate` can say of waivers without scoring."""
    _waivers(trust, source, questionnaire, dt.date.min, ())


def evaluate(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
             as_of: dt.date, *, extra_waivers: tuple[Waiver, ...] = ()) -> Result:
    """Run every criterion, score the categories and the whole."""
    ctx = Context(trust, source, as_of)
    scoring = questionnaire.source.scoring
    credit = {"met": 1.0, "partly_met": scoring.partly_met_credit, "not_met": 0.0}
    waivers = _waivers(trust, source, questionnaire, as_of, extra_waivers)

    outcomes: dict[str, tuple[Outcome, AppliedWaiver | None]] = {}
    for criterion in questionnaire.criteria:
        outcome = _mark_gaps(criterion.kind.run(ctx, criterion.params))
        waiver = waivers.get(criterion.spec.id)
        if waiver is not None and not waiver.expired and outcome.status in ("not_met",
                                                                            "partly_met"):
            outcome = Outcome("waived", f"waived: {waiver.reason} (was: {outcome.message})",
                              outcome.evidence, outcome.evidenced)
        outcomes[criterion.spec.id] = (outcome, waiver)

    # First pass: each category's applicable weight, to size "points available".
    cat_specs = questionnaire.source.categories
    applicable_weight: dict[str, float] = {}
    for cat in cat_specs:
        applicable_weight[cat.id] = sum(
            c.weight for c in cat.criteria if outcomes[c.id][0].status in credit)
    conclusive_weight = sum(cat.weight for cat in cat_specs if applicable_weight[cat.id] > 0)

    categories = []
    for cat in cat_specs:
        total = applicable_weight[cat.id]
        crit_results = []
        earned = 0.0
        cap: tuple[Rating, str] | None = None
        for spec in cat.criteria:
            outcome, waiver = outcomes[spec.id]
            share = credit.get(outcome.status)
            points = 0.0
            if share is not None and total > 0:
                earned += spec.weight * share
                lost = spec.weight * (1 - share) / total * 100
                points = round(lost * cat.weight / conclusive_weight, 1)
            if spec.severity == "critical" and outcome.status in ("not_met", "partly_met"):
                limit: Rating = (scoring.critical_not_met_caps_category_at
                                 if outcome.status == "not_met"
                                 else scoring.critical_partly_met_caps_category_at)
                if cap is None or _ORDER[limit] > _ORDER[cap[0]]:
                    cap = (limit, spec.id)
            crit_results.append(CriterionResult(
                id=spec.id, category=cat.id, title=spec.title, status=outcome.status,
                weight=spec.weight, severity=spec.severity, message=outcome.message,
                evidence=outcome.evidence, evidenced=outcome.evidenced,
                challenge=spec.challenge, remediation=spec.remediation,
                points_available=points, waiver=waiver,
                owners=_owners(trust, outcome.evidence)))
        rating: Rating
        if total == 0:
            score, rating, capped_by = None, "inconclusive", None
        else:
            score = round(100 * earned / total, 1)
            rating = rate(score, scoring.category_thresholds)
            capped_by = None
            if cap is not None and _ORDER[cap[0]] > _ORDER[rating]:
                rating, capped_by = cap[0], cap[1]
        categories.append(CategoryResult(cat.id, cat.title, cat.board_question, cat.weight,
                                         score, rating, capped_by, tuple(crit_results)))

    return Result(
        file=source.file,
        organisation=OrganisationSummary(
            trust.organisation.name, trust.organisation.ods_code, trust.organisation.legal_form,
            tuple(trust.organisation.sectors), trust.organisation.region),
        questionnaire=QuestionnaireSummary(
            questionnaire.id, questionnaire.version, questionnaire.source.title,
            questionnaire.digest, ScoringRules(
                scoring.partly_met_credit, scoring.category_thresholds.green,
                scoring.category_thresholds.amber, scoring.overall_thresholds.green,
                scoring.overall_thresholds.amber, scoring.critical_not_met_caps_category_at,
                scoring.critical_partly_met_caps_category_at,
                scoring.red_category_caps_overall_at)),
        as_of=as_of,
        overall=_overall(categories, questionnaire),
        categories=tuple(categories),
        arrangements=tuple(
            ArrangementSummary(c.id, c.name, c.type, c.governance_model, c.trust_role,
                               source.locate(("collaboratives", i))[0])
            for i, c in enumerate(trust.collaboratives)),
        waivers=tuple(sorted(waivers.values(), key=lambda w: (w.review_by, w.criterion))),
    )


def _mark_gaps(outcome: Outcome) -> Outcome:
    """A gap whose check did not say where exactly it is lies at all its evidence."""
    if outcome.status not in ("not_met", "partly_met") or any(e.gap for e in outcome.evidence):
        return outcome
    return replace(outcome, evidence=tuple(replace(e, gap=True) for e in outcome.evidence))


_ITEM = re.compile(r"^(collaboratives|board_assurance_framework\.risks)\[(\d+)\]")


def _owners(trust: TrustDescription, evidence: tuple[Evidence, ...]) -> tuple[str, ...]:
    """Who the file names as answerable where the gap lies: an arrangement's executive lead,
    a BAF risk's owner; else the board's NED lead for collaboration."""
    names: list[str] = []
    for item in evidence:
        match = _ITEM.match(item.path) if item.gap else None
        if match is None:
            continue
        index = int(match.group(2))
        name: str | None = None
        if match.group(1) == "collaboratives" and index < len(trust.collaboratives):
            resourcing = trust.collaboratives[index].resourcing
            lead = resourcing.executive_lead if resourcing else None
            name = lead.name if lead else None
        elif trust.board_assurance_framework is not None:
            risks = trust.board_assurance_framework.risks
            name = risks[index].owner if index < len(risks) else None
        if name and name not in names:
            names.append(name)
    if not names and any(e.gap for e in evidence) and trust.board_oversight is not None:
        lead_ned = trust.board_oversight.ned_lead_for_collaboration
        if lead_ned:
            names.append(lead_ned)
    return tuple(names)


def _overall(categories: list[CategoryResult], questionnaire: Questionnaire) -> Overall:
    scoring = questionnaire.source.scoring
    scored = [c for c in categories if c.score is not None]
    if not scored:
        return Overall(None, "inconclusive", None)
    weight = sum(c.weight for c in scored)
    score = round(sum(c.score * c.weight for c in scored if c.score is not None) / weight, 1)
    rating = rate(score, scoring.overall_thresholds)
    red = next((c.id for c in scored if c.rating == "red"), None)
    limit = scoring.red_category_caps_overall_at
    if red is not None and _ORDER[limit] > _ORDER[rating]:
        return Overall(score, limit, red)
    return Overall(score, rating, None)
