"""Evaluate a trust description against a questionnaire at an as-of date.

Pure: no I/O, no printing, no colours. Same inputs, same `Result`.

Scoring (README "Scoring"; every figure and rule below is the questionnaire's data):
- template placeholders are taken out first and reported: they are not evidence;
- each criterion is applied to the arrangements its `applies_to` rule selects, less those
  the trust declares not applicable (a declaration the file's facts contradict, or of a
  criterion that is not declarable, is challenged and the criterion judged all the same);
- a criterion earns its weight when met, `partly_met_credit` × weight when partly met, 0
  when not met or not evidenced; not applicable and waived criteria leave the denominator;
- a category's score is 100 × earned / applicable weight, and its evidence coverage
  100 × evidenced / applicable weight, each rounded once to one decimal; with no applicable
  criteria the category is "inconclusive";
- its rating comes from the thresholds, then: below the coverage minimum it is
  "insufficient_evidence" (unless a critical failure is stated); otherwise a critical
  criterion failing, partly met or not evidenced, or a major one failing, caps it as the
  questionnaire says;
- the overall score and coverage are category-weighted means of the conclusive categories;
  the overall rating follows the thresholds and the rules for how gaps add up (red
  questions, critical failures in several questions, coverage, amber questions,
  placeholders), each stated in words in `explanation`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from pydantic import BaseModel

from boardcheck.checks import (
    CheckFunction,
    CheckParams,
    Context,
    activities_given,
    compiled,
    effective_status,
    new_evidence,
    new_outcome,
    recorded_activities,
)
from boardcheck.errors import InputError, Problem
from boardcheck.loading import SourceMap, format_path
from boardcheck.model import Collaborative, NotApplicable, TrustDescription, Waiver
from boardcheck.questionnaire import (
    AppliesTo,
    CapRating,
    CategorySpec,
    Criterion,
    Placeholders,
    Questionnaire,
    Scoring,
    Thresholds,
)
from boardcheck.result import (
    AppliedWaiver,
    ArrangementSummary,
    CategoryResult,
    CriterionResult,
    Evidence,
    Exclusion,
    GapState,
    OrganisationSummary,
    Outcome,
    Overall,
    PartOwner,
    Placeholder,
    QuestionnaireSummary,
    Rating,
    Result,
    ScoringRules,
    Severity,
    quick_new,
)

_ORDER: dict[Rating, int] = {"green": 0, "amber": 1, "red": 2, "insufficient_evidence": -1,
                             "inconclusive": -1}


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
    """Raise InputError if a waiver or a declaration of "not applicable" names no criterion
    of the questionnaire, or one twice: what `validate` can say of them without scoring."""
    _waivers(trust, source, questionnaire, dt.date.min, ())
    _declarations(trust, source, questionnaire)


class _Step(NamedTuple):
    """One criterion as evaluation runs it."""

    criterion: Criterion
    id: str
    per_arrangement: bool
    run: CheckFunction
    params: CheckParams
    # Which of the questionnaire's distinct (applies_to rule, per arrangement) pairs it has:
    # without declarations, the arrangements a criterion applies to follow from that alone.
    scope: int


class _Row(NamedTuple):
    """One criterion as its question's scoring reads it: what its result takes from the
    questionnaire, read from the spec once per questionnaire rather than once per file."""

    step: int  # its place in `_Plan.steps`
    id: str
    title: str
    weight: float
    severity: Severity
    challenge: str
    remediation: str
    action: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """What evaluation takes from a questionnaire alone, worked out once per questionnaire:
    a batch judges every file against the same one."""

    steps: tuple[_Step, ...]
    scopes: int  # how many distinct scopes the steps have
    credit: dict[str, float]
    summary: QuestionnaireSummary
    # Each question with its criteria, in the questionnaire's order.
    categories: tuple[tuple[CategorySpec, tuple[_Row, ...]], ...]
    # (severity, how a failing criterion fails) -> the rating it caps its question at.
    caps: dict[tuple[str, str], CapRating | None]


def _plan(questionnaire: Questionnaire) -> _Plan:
    scoring = questionnaire.source.scoring
    scopes: dict[tuple[Any, bool], int] = {}
    steps = []
    for c in questionnaire.criteria:
        rule = c.spec.applies_to
        key = (None if rule is None else (tuple(rule.does_any), tuple(rule.status)),
               c.per_arrangement)
        steps.append(_Step(c, c.spec.id, c.per_arrangement, c.kind.run, c.params,
                           scopes.setdefault(key, len(scopes))))
    place = {step.id: i for i, step in enumerate(steps)}
    categories = tuple(
        (cat, tuple(_Row(place[spec.id], spec.id, spec.title, spec.weight, spec.severity,
                         spec.challenge, spec.remediation, spec.action or "")
                    for spec in cat.criteria))
        for cat in questionnaire.source.categories)
    return _Plan(
        tuple(steps), len(scopes),
        {"met": 1.0, "partly_met": scoring.partly_met_credit, "not_met": 0.0,
         "not_evidenced": 0.0},
        QuestionnaireSummary(
            questionnaire.id, questionnaire.version, questionnaire.source.title,
            questionnaire.digest, ScoringRules(
                scoring.partly_met_credit, scoring.category_thresholds.green,
                scoring.category_thresholds.amber, scoring.overall_thresholds.green,
                scoring.overall_thresholds.amber, scoring.critical_not_met_caps_category_at,
                scoring.critical_partly_met_caps_category_at,
                scoring.red_category_caps_overall_at,
                scoring.critical_not_evidenced_caps_category_at,
                scoring.red_categories_make_overall_red,
                scoring.critical_failure_categories_make_overall_red,
                scoring.evidence_coverage_minimum.category,
                scoring.evidence_coverage_minimum.overall,
                scoring.critical_remit_unknown_caps_category_at)),
        categories,
        {("critical", "failing"): scoring.critical_not_met_caps_category_at,
         ("critical", "partial"): scoring.critical_partly_met_caps_category_at,
         ("major", "failing"): scoring.major_not_met_caps_category_at})


def evaluate(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
             as_of: dt.date, *, extra_waivers: tuple[Waiver, ...] = ()) -> Result:
    """Run every criterion, score the categories and the whole."""
    plan = compiled(questionnaire, _plan)
    trust, judged_source, placeholders = find_placeholders(trust, source, questionnaire)
    ctx = _new_context(trust, judged_source, as_of)
    scoring = questionnaire.source.scoring
    credit = plan.credit
    waivers = _waivers(trust, source, questionnaire, as_of, extra_waivers)
    declared = _declarations(trust, source, questionnaire)
    arrangements = _Arrangements.of(ctx, source)
    count = len(trust.collaboratives)
    # Without declarations, many criteria share a scope: its (exclusions, the context to
    # run in, challenge) is worked out once per file.
    scopes: list[tuple[tuple[Exclusion, ...], Context, str | None] | None] = (
        [None] * plan.scopes)

    outcomes: list[_Judged] = []
    # Each step unpacked at once: cheaper than reading its fields one by one, per criterion.
    for criterion, cid, per_arrangement, run, params, scope_index in plan.steps:
        scope = None if declared else scopes[scope_index]
        if scope is None:
            found, included, challenged = _applicability(criterion, trust, arrangements,
                                                         declared)
            scope = (tuple(found),
                     _new_context(trust, judged_source, as_of, frozenset(included),
                                  ctx.known)
                     if per_arrangement and len(included) < count else ctx,
                     challenged)
            if not declared:
                scopes[scope_index] = scope
        exclusions, run_ctx, challenged = scope
        whole = declared.get((None, cid)) if declared else None
        if not per_arrangement and exclusions:
            outcome = Outcome("not_applicable", "applies to no arrangement: " + "; ".join(
                f"{e.arrangement} {e.reason}" for e in exclusions))
        elif whole is not None and challenged is None and not per_arrangement:
            outcome = Outcome("not_applicable", f"declared not applicable: {whole.reason}")
        else:
            outcome = run(run_ctx, params)
            status = outcome.status
            if status == "not_met" or status == "partly_met":
                outcome = _mark_gaps(outcome)
            elif exclusions and status == "not_applicable":
                outcome = Outcome(outcome.status, "does not apply to " + "; ".join(
                    f"{e.arrangement}: {e.reason}" for e in exclusions), outcome.evidence,
                    outcome.evidenced, outcome.evidenced_share)
        waiver = waivers.get(cid) if waivers else None
        if waiver is not None and not waiver.expired and outcome.status in _GAPS:
            outcome = Outcome("waived", f"waived: {waiver.reason} (was: {outcome.message})",
                              outcome.evidence, outcome.evidenced, outcome.evidenced_share)
        # Without the named tuple's constructor (a Python function): one per criterion.
        outcomes.append(tuple.__new__(_Judged, (outcome, waiver, exclusions, challenged,
                                                per_arrangement)))

    # Summed as before, criterion by criterion in the questionnaire's order: the same floats.
    applicable_weight = [sum(row.weight for row in rows
                             if outcomes[row.step].outcome.status in credit)
                         for _, rows in plan.categories]
    conclusive_weight = sum(cat.weight for (cat, _), total
                            in zip(plan.categories, applicable_weight, strict=True) if total > 0)

    categories = []
    critical_failing: list[bool] = []  # per question: a critical criterion fails in it
    answerable = _Answerable(trust)
    for (cat, rows), total in zip(plan.categories, applicable_weight, strict=True):
        crit_results = []
        # The criteria with a gap, which alone can cap the question.
        gapped: list[CriterionResult] = []
        earned = evidenced = 0.0
        for step_index, cid, title, weight, severity, challenge, remediation, action in rows:
            judged = outcomes[step_index]
            outcome, waiver, exclusions, challenged, per_arrangement = judged
            status = outcome.status
            share = credit.get(status)
            points = 0.0
            evidenced_share = outcome.evidenced_share
            if share is not None and total > 0:
                earned += weight * share
                evidenced += weight * evidenced_share
                if share != 1.0:  # met loses nothing: 0.0 without the arithmetic
                    lost = weight * (1 - share) / total * 100
                    points = round(lost * cat.weight / conclusive_weight, 1)
            # Who answers for a gap is found from the evidence marked as the gap; most
            # criteria have none, and need no search.
            # (Loops written out, not a comprehension and `any()` over a generator: each of
            # those is a call of its own, and this runs for every criterion of every file.)
            evidence = outcome.evidence
            gaps: list[Evidence] | None = None
            recorded = False  # some of the gap evidence is recorded
            for e in evidence:
                if e.gap:
                    if gaps is None:
                        gaps = [e]
                    else:
                        gaps.append(e)
                    if e.recorded:
                        recorded = True
            if gaps is not None:
                owners, part_owners = answerable.of(gaps)
            else:
                owners = part_owners = ()
            # Met: the file states what meets it. A gap: some of its gap evidence is recorded.
            gap = status in _GAPS
            stated = recorded if gap or status == "waived" else status == "met"
            state = _gap_state(outcome, per_arrangement) if gap else None
            # Positional, in the field order of CriterionResult: keywords cost a fifth more.
            result = _new_result(
                cid, cat.id, title, status, weight, severity, outcome.message,
                evidence, stated, challenge, remediation, points, waiver,
                owners, exclusions, challenged,
                # Most shares are all or nothing, which rounding leaves as they are.
                evidenced_share if evidenced_share == 1.0 or evidenced_share == 0.0
                else round(evidenced_share, 4), action, part_owners, state)
            crit_results.append(result)
            if gap:
                gapped.append(result)
        rated, failing = _rate_category(cat, total, earned, evidenced, crit_results,
                                        gapped, scoring, plan.caps)
        categories.append(rated)
        critical_failing.append(failing)

    return Result(
        file=source.file,
        organisation=OrganisationSummary(
            trust.organisation.name, trust.organisation.ods_code, trust.organisation.legal_form,
            tuple(trust.organisation.sectors), trust.organisation.region,
            tuple(trust.organisation.icbs)),
        questionnaire=plan.summary,
        as_of=as_of,
        overall=_overall(categories, critical_failing, questionnaire,
                         bool(placeholders)),
        categories=tuple(categories),
        arrangements=tuple(
            ArrangementSummary(c.id, c.name, c.type, c.governance_model, c.trust_role,
                               arrangements.line[i], arrangements.status[i])
            for i, c in enumerate(trust.collaboratives)),
        waivers=tuple(sorted(waivers.values(), key=lambda w: (w.review_by, w.criterion))),
        placeholders=placeholders,
    )


_GAPS = ("not_met", "partly_met", "not_evidenced")
# `CriterionResult(...)`, a few dozen per trust: the same object at a third of the cost (see
# `quick_new`).
_new_result = quick_new(CriterionResult)
# `Context(...)`: one per file, and one per distinct set of arrangements its criteria apply to.
_new_context = quick_new(Context)


class _Judged(NamedTuple):
    """One criterion judged (a named tuple: one is made per criterion and file)."""

    outcome: Outcome
    waiver: AppliedWaiver | None
    exclusions: tuple[Exclusion, ...]
    challenged: str | None
    per_arrangement: bool


def _gap_state(outcome: Outcome, per_arrangement: bool) -> GapState:
    """How a gap (not met, partly met, not evidenced) caps its question: "failing" (the file
    states a failing value for some arrangement, or for the trust), "partial" (judged once,
    partly met), "silent" (not evidenced), "remit_unknown" (not evidenced only because the
    file does not say whether an arrangement does what the criterion guards)."""
    status = outcome.status
    if status == "not_met":
        return "failing"
    if status == "partly_met" and (not per_arrangement or outcome.evidenced):
        return "partial" if not per_arrangement else "failing"
    # Silent. Every gap the file is silent on is an arrangement's remit (whether functions
    # are delegated to it, say), as the check kinds mark it, not the safeguard itself: the
    # exposure is not known.
    remit = False
    for e in outcome.evidence:
        if e.gap and not e.recorded:
            if not e.on_remit:
                return "silent"
            remit = True
    return "remit_unknown" if remit else "silent"


@dataclass(frozen=True, slots=True)
class _Arrangements:
    """Per arrangement: what it does (declared or recorded), what the file's facts alone
    show it does, and its effective status."""

    does: tuple[dict[str, bool | None], ...]
    facts: tuple[dict[str, bool | None], ...]
    status: tuple[str, ...]
    line: tuple[int, ...]
    # (does_any, statuses) -> each arrangement's exclusion by that rule, if any: many
    # criteria share a rule.
    ruled: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Exclusion | None, ...]] = field(
        default_factory=dict)

    @classmethod
    def of(cls, ctx: Context, source: SourceMap) -> _Arrangements:
        trust = ctx.trust
        facts = tuple(recorded_activities(c) for c in trust.collaboratives)
        does = []
        for c, recorded in zip(trust.collaboratives, facts, strict=True):
            # What it does is worked out from its facts, and kept for the kinds that ask.
            does.append(ctx.known.setdefault(id(c), activities_given(c, recorded)))
        return cls(tuple(does), facts,
                   tuple(effective_status(c, ctx.as_of) for c in trust.collaboratives),
                   tuple(source.locate(("collaboratives", i))[0]
                         for i in range(len(trust.collaboratives))))

    def ruled_out(self, rule: AppliesTo, trust: TrustDescription,
                  ) -> tuple[Exclusion | None, ...]:
        """Each arrangement's exclusion by `rule` (None: the rule keeps it)."""
        key = (tuple(rule.does_any), tuple(rule.status))
        found = self.ruled.get(key)
        if found is None:
            found = self.ruled[key] = tuple(
                _rule_out(key[0], key[1], i, c, self)
                for i, c in enumerate(trust.collaboratives))
        return found


_DOES = {"binding_decisions": "take binding decisions",
         "delegated_functions": "hold delegated functions", "holds_budget": "hold a budget",
         "delivers_services": "deliver services", "employs_or_hosts_staff": "employ or host staff"}


_DOES_3RD = {"binding_decisions": "takes binding decisions",
             "delegated_functions": "holds delegated functions", "holds_budget": "holds a budget",
             "delivers_services": "delivers services",
             "employs_or_hosts_staff": "employs or hosts staff"}


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _rule_out(does_any: Sequence[str], statuses: Sequence[str], i: int, c: Collaborative,
              arr: _Arrangements) -> Exclusion | None:
    status = arr.status[i]
    if status not in statuses:
        when = (f", formal authority from {c.formal_authority_from.isoformat()}"
                if c.formal_authority_from else "")
        return Exclusion(c.name, f"in {status} form{when}", False, arr.line[i])
    if does_any:
        does = arr.does[i]
        # `all(does[a] is False ...)` written out: it runs per rule, arrangement and file.
        for a in does_any:
            if does[a] is not False:
                return None
        return Exclusion(c.name, "does not " + _words([_DOES[a] for a in does_any]), False,
                         arr.line[i])
    return None


def _applicability(criterion: Criterion, trust: TrustDescription, arr: _Arrangements,
                   declared: dict[tuple[int | None, str], _Declared],
                   ) -> tuple[list[Exclusion], list[int], str | None]:
    """Which arrangements the criterion applies to: the questionnaire's rule first, then the
    trust's declarations, each challenged where the file's own facts contradict it."""
    cid = criterion.spec.id
    whole = declared.get((None, cid))
    challenged: list[str] = []
    rule = criterion.spec.applies_to
    if rule is None and not declared:
        return [], list(range(len(trust.collaboratives))), None  # nothing to exclude

    rule_out = (arr.ruled_out(rule, trust) if rule is not None
                else (None,) * len(trust.collaboratives))
    if not declared:  # the common case: the rule alone decides
        if not criterion.per_arrangement:
            if rule_out and all(e is not None for e in rule_out):
                return [e for e in rule_out if e is not None], [], None
            return [], [], None
        return ([e for e in rule_out if e is not None],
                [i for i, e in enumerate(rule_out) if e is None], None)

    if not criterion.per_arrangement:
        if whole is not None and not criterion.spec.declarable:
            challenged.append(f"declared not applicable ({whole.reason}), but {cid} cannot be "
                              "declared not applicable: it is judged for every trust")
        # Judged for the whole trust: it applies unless every arrangement is excluded.
        if rule is not None and rule_out and all(e is not None for e in rule_out):
            return [e for e in rule_out if e is not None], [], None
        return [], [], "; ".join(challenged) or None
    exclusions: list[Exclusion] = []
    included: list[int] = []
    for i, c in enumerate(trust.collaboratives):
        ruled = rule_out[i]
        if ruled is not None:
            exclusions.append(ruled)
            continue
        declaration = declared.get((i, cid)) or whole
        if declaration is None:
            included.append(i)
            continue
        shown = [_DOES_3RD[a] for a in (rule.does_any if rule else []) if arr.facts[i][a]]
        if not criterion.spec.declarable:
            challenged.append(f"{c.name}: declared not applicable ({declaration.reason}), but "
                              f"{cid} cannot be declared not applicable")
            included.append(i)
        elif shown:
            challenged.append(f"{c.name}: declared not applicable ({declaration.reason}), but "
                              f"the file records that it {_words(shown)}")
            included.append(i)
        else:
            exclusions.append(Exclusion(c.name, declaration.reason, True, declaration.line))
    return exclusions, included, "; ".join(challenged) or None


@dataclass(frozen=True, slots=True)
class _Declared:
    reason: str
    line: int


def _declarations(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
                  ) -> dict[tuple[int | None, str], _Declared]:
    """The trust's declarations of "not applicable", keyed by (arrangement index or None for
    the whole trust, criterion id). Unknown ids, repeats, and a per-arrangement declaration of
    a criterion judged for the whole trust are input errors."""
    problems: list[Problem] = []
    out: dict[tuple[int | None, str], _Declared] = {}
    places: list[tuple[int | None, tuple[str | int, ...], list[NotApplicable]]] = [
        (None, ("not_applicable",), trust.not_applicable)]
    places += [(i, ("collaboratives", i, "not_applicable"), c.not_applicable)
               for i, c in enumerate(trust.collaboratives)]
    for index, base, items in places:
        for k, item in enumerate(items):
            path = (*base, k, "criterion")
            line, column = source.locate(path)
            cid = item.criterion.strip().upper()
            criterion = questionnaire.criterion(cid)
            where = format_path(path)
            if criterion is None:
                problems.append(Problem(source.file, line, column,
                                        f"{where}: {item.criterion!r} is not a criterion of "
                                        f"questionnaire {questionnaire.id}"))
            elif index is not None and not criterion.per_arrangement:
                problems.append(Problem(source.file, line, column,
                                        f"{where}: {cid} is judged for the trust as a whole; "
                                        "declare it under the top-level not_applicable"))
            elif (index, cid) in out:
                problems.append(Problem(source.file, line, column,
                                        f"{where}: {cid} is declared not applicable twice"))
            else:
                out[(index, cid)] = _Declared(item.reason, line)
    if problems:
        raise InputError(problems)
    return out


def _rate_category(cat: CategorySpec, total: float, earned: float, evidenced: float,
                   crit_results: list[CriterionResult],
                   gapped: list[CriterionResult],
                   scoring: Scoring, caps: dict[tuple[str, str], CapRating | None],
                   ) -> tuple[CategoryResult, bool]:
    """The question rated, and whether a critical criterion in it fails (states a failing
    value), which the overall rating counts across questions. `gapped`: the criteria not met,
    partly met or not evidenced (the only ones that can cap it), in the order of
    `crit_results`."""
    if total == 0:
        # Nothing applies, so nothing fails: every criterion is not applicable or waived.
        return CategoryResult(cat.id, cat.title, cat.board_question, cat.weight, None,
                              "inconclusive", None, tuple(crit_results), None,
                              "inconclusive: no criterion applies"), False
    score = round(100 * earned / total, 1)
    coverage = round(100 * evidenced / total, 1)
    rating: Rating = rate(score, scoring.category_thresholds)
    cap: tuple[Rating, CriterionResult, GapState] | None = None
    stated_failure = False
    critical_failing = False
    for c in gapped:
        state = c.gap_state
        if state is None:
            continue
        limit: CapRating | None
        if c.severity == "critical":
            if state == "failing":
                critical_failing = True
            if state in ("silent", "remit_unknown"):
                # A questionnaire written before silence had its own rule keeps the meaning
                # it had: silence counted as not met, or as partly met for some
                # arrangements.
                limit = scoring.critical_not_evidenced_caps_category_at or (
                    scoring.critical_partly_met_caps_category_at if c.status == "partly_met"
                    else scoring.critical_not_met_caps_category_at)
                if state == "remit_unknown" and scoring.critical_remit_unknown_caps_category_at:
                    limit = scoring.critical_remit_unknown_caps_category_at
            else:
                limit = caps.get((c.severity, state))
        else:
            limit = caps.get((c.severity, state))
        if limit is None:
            continue
        if c.severity == "critical" and state in ("failing", "partial"):
            stated_failure = True
        if cap is None or _ORDER[limit] > _ORDER[cap[0]]:
            cap = (limit, c, state)
    minimum = scoring.evidence_coverage_minimum.category
    if coverage < minimum and not stated_failure:
        return CategoryResult(cat.id, cat.title, cat.board_question, cat.weight, score,
                              "insufficient_evidence", None, tuple(crit_results), coverage,
                              f"insufficient evidence: {coverage:g}% of this question's weight "
                              f"evidenced (minimum {minimum:g}%)"), critical_failing
    if cap is not None and _ORDER[cap[0]] > _ORDER[rating]:
        capped, c, capping = cap
        how = {"failing": "not met", "partial": "partly met", "silent": "not evidenced",
               "remit_unknown": "not evidenced"}[capping]
        return CategoryResult(cat.id, cat.title, cat.board_question, cat.weight, score, capped,
                              c.id, tuple(crit_results), coverage,
                              f"{capped}: capped by {c.id} ({c.title}), {how}"), critical_failing
    return CategoryResult(cat.id, cat.title, cat.board_question, cat.weight, score, rating,
                          None, tuple(crit_results), coverage, rating), critical_failing


def _mark_gaps(outcome: Outcome) -> Outcome:
    """A gap (not met, partly met) whose check did not say where exactly it is lies at all its
    evidence."""
    for e in outcome.evidence:  # `any()` over a generator costs more: once per gap
        if e.gap:
            return outcome
    # Built directly: dataclasses.replace is several times slower.
    return new_outcome(outcome.status, outcome.message,
                   tuple(new_evidence(e.path, e.line, e.column, e.note, True, e.recorded,
                                      e.on_remit)
                         for e in outcome.evidence),
                   outcome.evidenced, outcome.evidenced_share)


_ITEM = re.compile(r"^(collaboratives|board_assurance_framework\.risks)\[(\d+)\]")
_Item = tuple[str, int] | None


# Evidence path -> the listed item it lies in. A plain dict read inline by `_Answerable.of`
# (an `lru_cache` hit costs three times a dict read): the same paths recur in every file of
# a batch. Bounded as `checks.PATH_TEXTS` is.
_ITEMS: dict[str, _Item] = {}


def _item(path: str) -> _Item:
    """The listed item an evidence path lies in: ("collaboratives" or
    "board_assurance_framework.risks", its index), or None (the trust as a whole); kept for
    the next file."""
    if len(_ITEMS) >= 16_384:
        _ITEMS.clear()
    match = _ITEM.match(path)
    item = _ITEMS[path] = None if match is None else (match.group(1), int(match.group(2)))
    return item


# Per evidence path: the name `owners` takes from it, and the part of the gap it lies in
# (None: no part, else a number telling parts apart: -1 the trust, 2i arrangement i, 2i+1
# BAF risk i) with that part's owner.
_Place = tuple[str | None, int | None, PartOwner | None]


@dataclass(slots=True)
class _Answerable:
    """Who the file names as answerable for each gap, worked out once per listed item and
    file: the same items recur in many criteria.

    `owners`: the executive lead of an arrangement where the gap lies, or a BAF risk's owner;
    else the board's NED lead for collaboration. `part_owners`: each part of the gap (an
    arrangement, a BAF risk, or the trust as a whole) with the person the file names for that
    part (its executive lead or risk owner, else the NED lead for collaboration). One
    arrangement's lead is never given another's part."""

    trust: TrustDescription
    items: dict[_Item, _Place] = field(default_factory=dict)  # by the item it lies in

    @property
    def ned(self) -> str | None:
        oversight = self.trust.board_oversight
        return oversight.ned_lead_for_collaboration if oversight is not None else None

    def place(self, item: _Item) -> _Place:
        if item is None:
            return None, -1, PartOwner("", self.ned)
        group, index = item
        collaboratives = self.trust.collaboratives
        baf = self.trust.board_assurance_framework
        risk = baf.risks[index] if baf is not None and index < len(baf.risks) else None
        if group == "collaboratives":
            if index >= len(collaboratives):
                return (risk.owner if risk else None), None, None
            collab = collaboratives[index]
            lead = collab.resourcing.executive_lead if collab.resourcing else None
            name = lead.name if lead else None
            return name, 2 * index, PartOwner(collab.name, name or self.ned, index)
        if risk is None:
            return None, None, None
        return risk.owner, 2 * index + 1, PartOwner(f"BAF risk {risk.id}",
                                                    risk.owner or self.ned)

    def of(self, gaps: Sequence[Evidence]) -> tuple[tuple[str, ...], tuple[PartOwner, ...]]:
        """(owners, part owners) of the evidence marked as a gap."""
        names: list[str] = []
        parts: dict[int, PartOwner] = {}
        items = self.items
        for evidence in gaps:
            path = evidence.path
            # Found by path, then by item: within a file most gap paths are new, but they
            # lie in a handful of items. (`_ITEMS` read inline: it runs for every gap.)
            try:
                item = _ITEMS[path]
            except KeyError:
                item = _item(path)
            place = items.get(item)
            if place is None:
                place = items[item] = self.place(item)
            name, key, part = place
            if name and name not in names:
                names.append(name)
            if key is not None and part is not None and key not in parts:
                parts[key] = part
        if not names and gaps:
            ned = self.ned
            if ned:
                names.append(ned)
        return tuple(names), tuple(parts.values())


def _overall(categories: list[CategoryResult], critical_failing: list[bool],
             questionnaire: Questionnaire, has_placeholders: bool) -> Overall:
    """The whole: the category-weighted mean score and coverage, then the questionnaire's
    rules for how gaps add up, each stated in words beside the rating. `critical_failing`:
    per question, whether a critical criterion in it states a failing value."""
    scoring = questionnaire.source.scoring
    scored = [c for c in categories if c.score is not None]
    if not scored:
        return Overall(None, "inconclusive", None, None, "inconclusive: no criterion applies")
    weight = sum(c.weight for c in scored)
    score = round(sum(c.score * c.weight for c in scored if c.score is not None) / weight, 1)
    coverage = round(sum((c.evidence_coverage or 0) * c.weight for c in scored) / weight, 1)
    rating = rate(score, scoring.overall_thresholds)

    def title(c: CategoryResult) -> str:
        return c.title[0].lower() + c.title[1:]

    red = [c for c in scored if c.rating == "red"]
    critical = [c for c, failing in zip(categories, critical_failing, strict=True)
                if failing and c.score is not None]
    rule = scoring.red_categories_make_overall_red
    if rule is not None and len(red) >= rule:
        return Overall(score, "red", red[0].id, coverage,
                       f"red: {len(red)} questions rated red "
                       f"({', '.join(title(c) for c in red)})")
    rule = scoring.critical_failure_categories_make_overall_red
    if rule is not None and len(critical) >= rule:
        return Overall(score, "red", critical[0].id, coverage,
                       f"red: critical criteria not met in {len(critical)} questions "
                       f"({', '.join(title(c) for c in critical)})")
    minimum = scoring.evidence_coverage_minimum.overall
    # A critical failure the file states is a finding whatever else it leaves out: calling
    # the whole "insufficient evidence" would hide it behind the silence around it.
    if coverage < minimum and not critical:
        return Overall(score, "insufficient_evidence", None, coverage,
                       f"insufficient evidence: {coverage:g}% of the questionnaire evidenced "
                       f"(minimum {minimum:g}%)")
    # Rated below the minimum coverage only for a stated critical failure: the words say so.
    under = (f"rated though only {coverage:g}% of the questionnaire is evidenced (minimum "
             f"{minimum:g}%), as a critical failure is stated in {title(critical[0])}"
             if coverage < minimum else "")
    caps: list[tuple[Rating | None, str | None, str]] = []
    if red:
        caps.append((scoring.red_category_caps_overall_at, red[0].id,
                     f"capped by the red rating of {title(red[0])}"))
    amber = [c for c in scored if c.rating in ("amber", "red")]
    rule = scoring.amber_categories_make_overall_amber
    if rule is not None and len(amber) >= rule:
        caps.append(("amber", amber[0].id, f"{len(amber)} questions rated amber or red ("
                     f"{', '.join(title(c) for c in amber)})"))
    thin = [c for c in scored if c.rating == "insufficient_evidence"]
    if thin:
        caps.append((scoring.insufficient_category_caps_overall_at, thin[0].id,
                     f"capped: {title(thin[0])} has insufficient evidence to rate"))
    if has_placeholders:
        caps.append((scoring.placeholders_cap_overall_at, None,
                     "capped: the file still holds template placeholders"))
    for limit, by, why in caps:
        if limit is not None and _ORDER[limit] > _ORDER[rating]:
            return Overall(score, limit, by, coverage,
                           f"{limit}: {why}" + (f"; {under}" if under else ""))
    return Overall(score, rating, None, coverage, f"{rating}: {under}" if under else rating)


# Instructions about the judging, not evidence: a waiver or a declaration naming "TBC" must
# still be checked (and refused) as written, not taken out as a placeholder. Found by
# fuzzing: a waiver for criterion "TBC" vanished instead of being an input error.
_NOT_EVIDENCE = frozenset({"waivers", "not_applicable"})


@functools.lru_cache(maxsize=8)
def _markers(markers: tuple[str, ...]) -> tuple[str, ...]:
    """The texts to search a file for: a marker holding another ("example valley" holds
    "example") is found whenever the other is, so only the other is searched for."""
    unique = tuple(dict.fromkeys(m.strip().casefold() for m in markers if m.strip()))
    return tuple(m for m in unique if not any(o != m and o in m for o in unique))


def _marker_texts(ph: Placeholders) -> tuple[str, ...]:
    """The texts to search a file for, once per questionnaire."""
    return _markers((*ph.exact, *ph.starting, *ph.containing))


def find_placeholders(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
                      ) -> tuple[TrustDescription, SourceMap, tuple[Placeholder, ...]]:
    """The description with template example values taken out, the source map without them
    (so a list emptied of examples reads as not recorded, not as a stated "none"), and where
    they were.

    A placeholder in an optional field is read as not recorded; a listed item (a partner, an
    objective, a risk) or an optional part (an executive lead) whose name or title is a
    placeholder is dropped as a whole; a required label (the trust's or an arrangement's name)
    stays, but is still reported."""
    ph = questionnaire.source.placeholders
    if not ph.exact and not ph.starting and not ph.containing:
        return trust, source, ()
    # One search of the file's text first (or of the serialised description where the text
    # is not at hand): most files hold none, and the walk is slower.
    # (Plain substring tests on the case-folded text: one regex alternation with IGNORECASE
    # was ten times slower.)
    text = source.text or trust.model_dump_json()
    # casefold() is lower() on ASCII text, and several times slower.
    text = text.lower() if text.isascii() else text.casefold()
    # A loop, not any() over a generator: this runs for every file.
    for marker in compiled(ph, _marker_texts):
        if marker in text:
            break
    else:
        return trust, source, ()
    exact = {v.casefold() for v in ph.exact}
    starting = tuple(v.casefold() for v in ph.starting)
    containing = [v.casefold() for v in ph.containing]

    def matches(value: str) -> bool:
        v = value.strip().casefold()
        return v in exact or v.startswith(starting) or any(c in v for c in containing)

    def label_of(item: BaseModel) -> str | None:
        for name, info in type(item).model_fields.items():
            value = getattr(item, name)
            if name != "id" and info.is_required() and isinstance(value, str) and matches(value):
                return name
        return None

    found: list[Placeholder] = []
    removed: list[tuple[str | int, ...]] = []

    def note(path: tuple[str | int, ...], value: str) -> None:
        line, column = source.locate(path)
        found.append(Placeholder(format_path(path), line, column, value))

    def walk(model: BaseModel, path: tuple[str | int, ...]) -> BaseModel:
        updates: dict[str, Any] = {}
        for name, info in type(model).model_fields.items():
            if name in _NOT_EVIDENCE:
                continue
            value = getattr(model, name)
            here = (*path, name)
            if isinstance(value, str) and matches(value):
                note(here, value)
                if not info.is_required():
                    updates[name] = None
                    removed.append(here)
            elif isinstance(value, BaseModel):
                new = walk(value, here)
                if not info.is_required() and label_of(value) is not None:
                    updates[name] = None
                    removed.append(here)
                elif new is not value:
                    updates[name] = new
            elif isinstance(value, list) and value:
                items: list[Any] = []
                for k, item in enumerate(value):
                    if isinstance(item, str) and matches(item):
                        note((*here, k), item)
                    elif isinstance(item, BaseModel):
                        new = walk(item, (*here, k))
                        # Arrangements stay (BAF risks refer to their ids); other items go.
                        if here != ("collaboratives",) and label_of(item) is not None:
                            continue
                        items.append(new)
                    else:
                        items.append(item)
                if len(items) != len(value) or any(a is not b for a, b in
                                                   zip(items, value, strict=False)):
                    updates[name] = items
                    if not items:
                        removed.append(here)
        return model.model_copy(update=updates) if updates else model

    cleaned = walk(trust, ())
    assert isinstance(cleaned, TrustDescription)
    gone = set(removed)

    def kept(path: tuple[str | int, ...]) -> bool:
        return not any(path[:n] in gone for n in range(1, len(path) + 1))

    pruned = replace(source, values={p: v for p, v in source.values.items() if kept(p)})
    return cleaned, pruned, tuple(found)
