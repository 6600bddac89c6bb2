"""Built-in check kinds that know the domain: arrangements, BAF risks, audits, exits.

Each kind looks across the description for one sort of evidence and says what it found
and where. Thresholds (months, shares, counts) are parameters set in the questionnaire, and
so is proportionality: which arrangements a criterion applies to is the questionnaire's
`applies_to`, applied by the engine before a kind runs (kinds see only those arrangements
through `each_collaborative`).

Every finding keeps the four states of evidence apart: a value the file states that meets
the criterion, a value it states that fails it, silence (reported as "not recorded", never
as a fact about the trust), and not applicable.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import Field

from boardcheck.checks import (
    PATH_TEXTS,
    CheckParams,
    Context,
    ItemFinding,
    NoParams,
    add_months,
    aggregate,
    check_kind,
    each_collaborative,
    effective_status,
    met,
    months_between,
    nearest_place,
    new_evidence,
    nhs_partners,
    not_applicable,
    not_evidenced,
    not_met,
    path_text,
    per_collaborative,
    silent_on_arrangements,
)
from boardcheck.loading import YamlPath
from boardcheck.model import (
    ArrangementType,
    AssuranceLevel,
    Collaborative,
    DelegatedFunction,
    Footprint,
    OversightFramework,
    Sector,
)
from boardcheck.result import Outcome

Months = Annotated[int, Field(ge=1, le=600)]
Activity = Literal["binding_decisions", "delegated_functions", "holds_budget",
                   "delivers_services", "employs_or_hosts_staff"]
PER_YEAR = {"monthly": 12, "bimonthly": 6, "quarterly": 4, "six_monthly": 2, "annually": 1}


_item_finding = tuple.__new__


@functools.lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    """A name as names are compared. Cached: several kinds compare the same trust and
    partner names, in every file of a batch."""
    return " ".join(name.lower().replace("&", "and").split())


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _stated(ctx: Context, path: YamlPath) -> bool:
    """The file writes this field out (an empty list written out is a stated "none")."""
    return ctx.source.has(path)


_REMIT_SILENT = "whether any functions are delegated to it is not recorded"


def _functions_unlisted(ctx: Context, path: YamlPath, c: Collaborative) -> ItemFinding | None:
    """An arrangement that holds delegated functions but lists none is silent on them, and so
    is one whose file does not say whether it holds any: unknown is never "none"."""
    if c.delegated_functions:
        return None
    holds = ctx.activities(c)["delegated_functions"]
    if holds:
        return _finding(ctx, path, c, False, "holds delegated functions; none is recorded",
                        evidenced=False, sub=("delegated_functions",))
    if holds is None:
        return _finding(ctx, path, c, False, _REMIT_SILENT, evidenced=False,
                        sub=("remit", "delegated_functions"), on_remit=True)
    return None


def _finding(ctx: Context, path: YamlPath, collab: Collaborative, ok: bool | None, note: str,
             *, evidenced: bool = True, sub: tuple[str | int, ...] = (),
             on_remit: bool = False) -> ItemFinding:
    """One arrangement's verdict. With `evidenced=False` the file is silent and `sub` names
    the absent field; `on_remit`: that field is the arrangement's remit (`Evidence.on_remit`)."""
    # Built without the named tuple's own constructor (a Python function), and with
    # `ctx.finding_at` written out: a file makes a couple of hundred of these. (`path + sub`:
    # one C call, where `(*path, *sub)` builds a list first.)
    at = path + sub if sub else path
    values = ctx.source.values
    place = values.get(at) or nearest_place(values, at)
    text = PATH_TEXTS.get(at) or path_text(at)
    evidence = (new_evidence(text, place[0], place[1], note, True, evidenced, on_remit)
                if ok is False
                else new_evidence(text, place[0], place[1], note, False, ok is True or evidenced,
                                  on_remit))
    return _item_finding(ItemFinding, (ok, f"{collab.id}: {note}", evidence, evidenced))


def _not_held(ctx: Context, path: YamlPath, collab: Collaborative, what: str,
              sub: tuple[str | int, ...]) -> ItemFinding:
    verb, its = ("exist", "their") if what.endswith("reference") else ("exists", "its")
    return _finding(ctx, path, collab, False, f"{what} {verb}, but {its} details are not held "
                    "in this file", evidenced=False, sub=sub)

FunctionJudge = Callable[[YamlPath, Collaborative, DelegatedFunction], ItemFinding]


def per_delegated_function(ctx: Context, judge: FunctionJudge) -> Outcome:
    """One finding per delegated function of the arrangements the criterion applies to,
    after the two silences every such criterion shares: no arrangements recorded, and an
    arrangement that holds delegated functions but lists none."""
    silent = silent_on_arrangements(ctx)
    if silent is not None:
        return silent
    findings = []
    silent_arrangements = False
    for path, c in each_collaborative(ctx):
        unlisted = _functions_unlisted(ctx, path, c)
        if unlisted is not None:
            findings.append(unlisted)
            silent_arrangements = silent_arrangements or unlisted.evidence.on_remit
        findings += [judge((*path, "delegated_functions", k), c, fn)
                     for k, fn in enumerate(c.delegated_functions)]
    # An arrangement silent on its functions is counted beside them, not as one of them.
    return aggregate(findings, "delegated functions or arrangements" if silent_arrangements
                     else "delegated functions", none_reason="no functions are delegated")



def _overdue_words(due: str, months: int) -> str:
    return f"was due {due}, " + (f"{months} month{'s' if months != 1 else ''} overdue"
                                 if months >= 1 else "overdue by less than a month")




# --- strategy alignment ----------------------------------------------------------------


class MembershipParams(CheckParams):
    sectors: Annotated[list[Sector], Field(min_length=1)]
    arrangement_types: Annotated[list[ArrangementType], Field(min_length=1)]


@check_kind("expected_membership", MembershipParams)
def expected_membership(ctx: Context, params: MembershipParams) -> Outcome:
    """Trusts in the listed sectors belong to at least one arrangement of the listed types."""
    org = ctx.trust.organisation
    mandated = sorted(set(org.sectors) & set(params.sectors))
    if not org.sectors:
        return not_evidenced("the organisation's sectors are not recorded, so the national "
                             "expectation cannot be judged",
                             [ctx.missing(("organisation", "sectors"), "sectors")])
    sectors_at = ctx.at(("organisation", "sectors"), "sectors")
    if not mandated:
        return not_applicable(f"the trust's sectors ({', '.join(org.sectors)}) are not ones "
                              "expected to join a provider collaborative", [sectors_at])
    hits = [(path, c) for path, c in each_collaborative(ctx)
            if c.type in params.arrangement_types]
    if hits:
        names = ", ".join(c.id for _, c in hits)
        return met(f"member of {len(hits)} qualifying arrangement(s): {names}",
                   [ctx.at((*path, "type"), c.type) for path, c in hits])
    expected = (f"{_a(mandated[0])} {'/'.join(mandated)} trust is expected to belong to at "
                "least one provider collaborative")
    # The arrangements a file lists are what its author chose to describe, not a statement that
    # there are no others: only `belongs_to_provider_collaborative` states membership or its
    # absence, so a list without a qualifying arrangement is silence, not a failure.
    belongs_path = ("organisation", "belongs_to_provider_collaborative")
    belongs = org.belongs_to_provider_collaborative
    if belongs is False:
        return not_met(f"{expected}, and the file states that it belongs to none",
                       [ctx.at(belongs_path, "false"), sectors_at])
    if belongs:
        return met("the file states that the trust belongs to a provider collaborative, though "
                   "none is described among its arrangements", [ctx.at(belongs_path, "true")])
    if not ctx.trust.collaboratives:
        return not_evidenced(f"{_a(mandated[0])} {'/'.join(mandated)} trust is expected to belong "
                             "to a provider collaborative, and no arrangements are recorded",
                             [ctx.missing(("collaboratives",), "no arrangements")])
    return not_evidenced(f"{expected}; none of the listed arrangements is one, and the file does "
                         "not say whether the trust belongs to one it has not described",
                         [ctx.missing(belongs_path, "membership not stated")])


@check_kind("objectives_linked", NoParams, scope="arrangement")
def objectives_linked(ctx: Context, params: NoParams) -> Outcome:
    """Every objective of every arrangement names trust strategic objectives that exist."""
    known = {o.id for o in (ctx.trust.strategy.objectives if ctx.trust.strategy else [])}

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            stated = _stated(ctx, (*path, "objectives"))
            return _finding(ctx, path, c, False, "the file records no objectives" if stated
                            else "objectives not recorded", evidenced=stated,
                            sub=("objectives",))
        unlinked = [k for k, o in enumerate(c.objectives) if not o.trust_objectives]
        unknown = sorted({t for o in c.objectives for t in o.trust_objectives} - known)
        stated_none = [k for k in unlinked
                       if _stated(ctx, (*path, "objectives", k, "trust_objectives"))]
        if stated_none:
            return _finding(ctx, path, c, False, f"{len(stated_none)} of {len(c.objectives)} "
                            "objectives are recorded as linked to no trust objective",
                            sub=("objectives", stated_none[0], "trust_objectives"))
        if unlinked:
            return _finding(ctx, path, c, False, f"{len(unlinked)} of {len(c.objectives)} "
                            "objectives record no link to a trust objective",
                            sub=("objectives", unlinked[0], "trust_objectives"), evidenced=False)
        if unknown and not known:
            return _finding(ctx, path, c, False, "objectives link to trust objectives, but the "
                            "trust's strategic objectives are not recorded", evidenced=False,
                            sub=("objectives",))
        if unknown:
            return _finding(ctx, path, c, False, "objectives link to trust objective ids not in "
                            f"strategy.objectives: {', '.join(unknown)}", sub=("objectives",))
        return _finding(ctx, path, c, True, f"{len(c.objectives)} objectives linked to trust "
                        "objectives", sub=("objectives",))
    return per_collaborative(ctx, judge)


@check_kind("objectives_measurable", NoParams, scope="arrangement")
def objectives_measurable(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement's objectives carry a measure, a baseline and a target."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            stated = _stated(ctx, (*path, "objectives"))
            return _finding(ctx, path, c, False, "the file records no objectives" if stated
                            else "objectives not recorded", evidenced=stated,
                            sub=("objectives",))
        vague = [(k, name) for k, o in enumerate(c.objectives)
                 for name in ("measure", "baseline", "target") if not getattr(o, name)]
        if vague:
            count = len({k for k, _ in vague})
            k, name = vague[0]
            return _finding(ctx, path, c, False, f"{count} of {len(c.objectives)} objectives "
                            "record no measure, baseline or target",
                            sub=("objectives", k, name), evidenced=False)
        return _finding(ctx, path, c, True, "every objective has a measure, baseline and target",
                        sub=("objectives",))
    return per_collaborative(ctx, judge)


@check_kind("objectives_agreed_with_system", NoParams, scope="arrangement")
def objectives_agreed_with_system(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement's objectives are agreed with the ICB or appear in the joint forward plan."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            stated = _stated(ctx, (*path, "objectives"))
            return _finding(ctx, path, c, False, "the file records no objectives" if stated
                            else "objectives not recorded", evidenced=stated,
                            sub=("objectives",))
        # Either answer meets it: a "no" to one with the other left out is still silence.
        refused = [k for k, o in enumerate(c.objectives)
                   if o.agreed_with_icb is False and o.in_joint_forward_plan is False]
        silent = [k for k, o in enumerate(c.objectives)
                  if not (o.agreed_with_icb or o.in_joint_forward_plan) and k not in refused]
        n = len(c.objectives)
        if refused:
            return _finding(ctx, path, c, False, f"{len(refused)} of {n} objectives are recorded "
                            "as neither agreed with the ICB nor in the joint forward plan",
                            sub=("objectives", refused[0]))
        if silent:
            k = silent[0]
            absent = ("agreed_with_icb" if c.objectives[k].agreed_with_icb is None
                      else "in_joint_forward_plan")
            return _finding(ctx, path, c, False, f"{len(silent)} of {n} objectives: agreement "
                            "with the ICB or the joint forward plan not recorded",
                            sub=("objectives", k, absent), evidenced=False)
        return _finding(ctx, path, c, True, "objectives agreed with the ICB or in the joint "
                        "forward plan", sub=("objectives",))
    return per_collaborative(ctx, judge)


class CrossBoundaryParams(CheckParams):
    wide_footprints: Annotated[list[Footprint], Field(min_length=1)]


@check_kind("cross_boundary_priorities", CrossBoundaryParams, scope="arrangement")
def cross_boundary_priorities(ctx: Context, params: CrossBoundaryParams) -> Outcome:
    """Arrangements spanning several ICBs or regions record how conflicting priorities are
    settled."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if c.footprint is None and not c.icbs and not c.regions:
            return _finding(ctx, path, c, False, "footprint not recorded, so whether it spans "
                            "several systems is not known", evidenced=False, sub=("footprint",))
        spans = (len(c.icbs) > 1 or len(c.regions) > 1
                 or (c.footprint is not None and c.footprint in params.wide_footprints))
        if not spans:
            return _finding(ctx, path, c, None, "within one system")
        process = c.decision_making.conflicts_priorities_process if c.decision_making else None
        if process:
            return _finding(ctx, path, c, True, "records how conflicting priorities are settled",
                            sub=("decision_making", "conflicts_priorities_process"))
        return _finding(ctx, path, c, False, "spans several systems; how conflicting priorities "
                        "are settled is not recorded", evidenced=False,
                        sub=("decision_making", "conflicts_priorities_process"))
    return per_collaborative(ctx, judge, none_reason="no arrangement spans more than one ICB "
                             "or region")


@check_kind("icb_conflicts", NoParams)
def icb_conflicts(ctx: Context, params: NoParams) -> Outcome:
    """A trust serving several ICBs, directly or through its arrangements, records how it
    settles their conflicting asks."""
    org = ctx.trust.organisation
    icbs = {_norm(i) for i in org.icbs} | {_norm(i) for c in ctx.trust.collaboratives
                                            for i in c.icbs}
    if len(icbs) < 2 and not org.icbs:
        return not_evidenced("the ICBs the trust serves are not recorded",
                             [ctx.missing(("organisation", "icbs"), "no ICBs")])
    if len(icbs) < 2:
        return not_applicable("the trust serves one ICB",
                              [ctx.at(("organisation", "icbs"), "one ICB")])
    process = ctx.trust.strategy.icb_conflicts_process if ctx.trust.strategy else None
    if process:
        return met(f"serves {len(icbs)} ICBs and records how their conflicting asks are settled",
                   [ctx.at(("strategy", "icb_conflicts_process"), "process")])
    return not_evidenced(f"serves {len(icbs)} ICBs; how their conflicting asks are settled is "
                         "not recorded",
                         [ctx.missing(("strategy", "icb_conflicts_process"), "no process")])


# --- proportionate infrastructure ---------------------------------------------------------


@check_kind("form_matches_function", NoParams, scope="arrangement")
def form_matches_function(ctx: Context, params: NoParams) -> Outcome:
    """Binding decisions rest on a legal basis; committees in common need the trust's own
    committee; an advisory forum takes no binding decisions."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        model = c.governance_model or ""
        cic = c.type == "committees_in_common" or model == "committees_in_common"
        sub = ("decision_making",)
        binding = ctx.activities(c)["binding_decisions"]
        if binding is None:
            return _finding(ctx, path, c, False, "whether it takes binding decisions is not "
                            "recorded", evidenced=False,
                            sub=("decision_making", "takes_binding_decisions"))
        if cic and (dm is None or dm.trust_committee_formed is None):
            return _finding(ctx, path, c, False, "committees in common; whether the trust has "
                            "formed a committee of its own is not recorded", evidenced=False,
                            sub=("decision_making", "trust_committee_formed"))
        if cic and dm is not None and dm.trust_committee_formed is False:
            return _finding(ctx, path, c, False, "committees in common, and the file records "
                            "that the trust has not formed a committee of its own",
                            sub=("decision_making", "trust_committee_formed"))
        if binding and model == "advisory_forum":
            return _finding(ctx, path, c, False, "an advisory forum that takes binding "
                            "decisions", sub=sub)
        if binding and not (dm and dm.legal_basis):
            return _finding(ctx, path, c, False, "takes binding decisions; no legal basis is "
                            "recorded", evidenced=False, sub=("decision_making", "legal_basis"))
        # A joint committee in shadow form recommends until its authority starts: that is
        # what shadow running is, not a heavy form for a light remit.
        if c.type == "joint_committee" and not binding \
                and effective_status(c, ctx.as_of) == "formal":
            return _finding(ctx, path, c, False, "a joint committee with no decisions delegated "
                            "to it: a lighter form may serve", sub=sub)
        return _finding(ctx, path, c, True, "form is consistent with its decision-making",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ProportionParams(CheckParams):
    max_subgroups_per_objective: Annotated[float, Field(gt=0)]
    max_subgroups: Annotated[int, Field(ge=0)]


@check_kind("proportionate_structure", ProportionParams, scope="arrangement")
def proportionate_structure(ctx: Context, params: ProportionParams) -> Outcome:
    """The number of subgroups is proportionate to the arrangement's remit."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or dm.subgroups is None:
            return _finding(ctx, path, c, False, "number of subgroups not recorded",
                            evidenced=False, sub=("decision_making", "subgroups"))
        allowed = min(params.max_subgroups,
                      int(max(1, len(c.objectives)) * params.max_subgroups_per_objective))
        note = f"{dm.subgroups} subgroups for {len(c.objectives)} objectives"
        sub = ("decision_making", "subgroups")
        if dm.subgroups > allowed and dm.subgroups <= params.max_subgroups \
                and not c.objectives and not _stated(ctx, (*path, "objectives")):
            # Objectives not recorded are not "no objectives": the remit the subgroups serve
            # is unknown, and only the absolute limit can be judged.
            return _finding(ctx, path, c, False, f"{dm.subgroups} subgroups; its objectives are "
                            "not recorded, so whether that is proportionate is not known",
                            evidenced=False, sub=("objectives",))
        if dm.subgroups > allowed:
            return _finding(ctx, path, c, False, f"{note} (more than {allowed}): heavier than "
                            "its remit", sub=sub)
        return _finding(ctx, path, c, True, note, sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("tor_approved_by_members", NoParams, scope="arrangement")
def tor_approved_by_members(ctx: Context, params: NoParams) -> Outcome:
    """Terms of reference were approved by the trust board and every NHS partner's board."""
    own = _norm(ctx.trust.organisation.name)

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        tor = c.terms_of_reference
        sub = ("terms_of_reference", "approved_by")
        if tor is not None and tor.exists is False:
            return _finding(ctx, path, c, False, "the file records that there are no terms of "
                            "reference", sub=("terms_of_reference", "exists"))
        if tor is not None and tor.details_held is False and not tor.approved_by:
            return _not_held(ctx, path, c, "terms of reference", ("terms_of_reference",))
        if tor is None or not tor.approved_by:
            return _finding(ctx, path, c, False, "which boards approved the terms of reference "
                            "is not recorded", evidenced=False, sub=sub)
        approved = {_norm(n) for n in tor.approved_by}
        missing = [p.name for p in nhs_partners(c) if _norm(p.name) not in approved]
        if own not in approved:
            missing.insert(0, ctx.trust.organisation.name)
        if missing:
            return _finding(ctx, path, c, False, "the boards recorded as approving the terms of "
                            f"reference do not include {', '.join(missing)}", sub=sub)
        return _finding(ctx, path, c, True, f"approved by all {len(approved)} member boards",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ReviewParams(CheckParams):
    months: Months


@check_kind("tor_current", ReviewParams, scope="arrangement")
def tor_current(ctx: Context, params: ReviewParams) -> Outcome:
    """Terms of reference were reviewed (or approved) within N months and are not past their
    review date."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        tor = c.terms_of_reference
        last = (tor.last_reviewed or tor.approved) if tor else None
        if tor is not None and tor.exists is False:
            return _finding(ctx, path, c, False, "the file records that there are no terms of "
                            "reference", sub=("terms_of_reference", "exists"))
        if tor is not None and tor.details_held is False and last is None:
            return _not_held(ctx, path, c, "terms of reference", ("terms_of_reference",))
        if tor is None or last is None:
            return _finding(ctx, path, c, False, "no approval or review date for the terms of "
                            "reference is recorded", evidenced=False,
                            sub=("terms_of_reference", "last_reviewed"))
        sub = ("terms_of_reference",)
        if tor.review_due is not None and tor.review_due < ctx.as_of:
            late = months_between(tor.review_due, ctx.as_of)
            return _finding(ctx, path, c, False, "review "
                            + _overdue_words(tor.review_due.isoformat(), late),
                            sub=(*sub, "review_due"))
        if ctx.older_than(last, params.months):
            return _finding(ctx, path, c, False, f"last reviewed {last.isoformat()}, "
                            f"{ctx.age_words(last, params.months)}", sub=sub)
        return _finding(ctx, path, c, True, f"reviewed {last.isoformat()}", sub=sub)
    return per_collaborative(ctx, judge)


class SchemeParams(CheckParams):
    # An update this many months before go-live counts: schemes are approved ahead of it.
    months_before_start: Annotated[int, Field(ge=0, le=24)] = 3


@check_kind("scheme_of_delegation_current", SchemeParams)
def scheme_of_delegation_current(ctx: Context, params: SchemeParams) -> Outcome:
    """The trust's scheme of delegation was updated for its newest decision-making arrangement
    (no earlier than a set number of months before that arrangement went live)."""
    states = [(c, ctx.activities(c)["binding_decisions"]) for _, c in each_collaborative(ctx)]
    binding = [c for c, b in states if b]
    if not binding:
        if not ctx.trust.collaboratives:
            return not_evidenced("no collaborative arrangements are recorded",
                                 [ctx.missing(("collaboratives",), "no arrangements")])
        if any(b is None for _, b in states):
            return not_evidenced("whether any arrangement takes binding decisions is not "
                                 "recorded", [ctx.missing(("collaboratives",), "binding?")])
        return not_applicable("no arrangement takes binding decisions")
    oversight = ctx.trust.board_oversight
    updated = oversight.scheme_of_delegation_updated if oversight else None
    path = ("board_oversight", "scheme_of_delegation_updated")
    if updated is None:
        return not_evidenced("the date the scheme of delegation was last updated is not "
                             "recorded", [ctx.missing(path, "scheme of delegation")])
    at = ctx.at(path, "scheme of delegation")
    # Only arrangements already live: one going live later is not yet due an updated scheme.
    starts = [(c.formal_authority_from or c.established, c.id) for c in binding]
    if all(start is None for start, _ in starts):
        return not_evidenced(f"updated {updated.isoformat()}; when the arrangements taking "
                             "binding decisions went live is not recorded",
                             [ctx.missing(("collaboratives",), "established")])
    dated = [(start, cid) for start, cid in starts if start is not None and start <= ctx.as_of]
    if dated:
        newest, cid = max(dated)
        if updated < add_months(newest, -params.months_before_start):
            return not_met(f"updated {updated.isoformat()}, more than "
                           f"{params.months_before_start} months before {cid} went live on "
                           f"{newest.isoformat()}", [at])
    undated = [c for c in binding if (c.formal_authority_from or c.established) is None]
    if undated:
        # An arrangement with no start date may have gone live after the last update.
        c = undated[0]
        return not_evidenced(f"updated {updated.isoformat()}; when {c.id}, which takes binding "
                             "decisions, went live is not recorded, so whether the scheme "
                             "covers it is not known",
                             [ctx.missing((*_path_of(ctx, c), "established"), "established")])
    return met(f"updated {updated.isoformat()}", [at])


def _path_of(ctx: Context, collab: Collaborative) -> YamlPath:
    return ("collaboratives", next(k for k, c in enumerate(ctx.trust.collaboratives)
                                   if c is collab))


class AgreementParams(CheckParams):
    topics: Annotated[list[Literal["objectives", "duration", "governance", "finance", "staff",
                                   "exit", "data", "liability", "disputes"]],
                      Field(min_length=1)]


@check_kind("agreement_covers", AgreementParams, scope="arrangement")
def agreement_covers(ctx: Context, params: AgreementParams) -> Outcome:
    """A signed collaboration agreement or MoU covers the listed topics."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ag = c.collaboration_agreement
        sub = ("collaboration_agreement",)
        if ag is not None and ag.exists is False:
            return _finding(ctx, path, c, False, "the file records that there is no "
                            "collaboration agreement", sub=(*sub, "exists"))
        if ag is not None and ag.details_held is False and ag.signed is None:
            return _not_held(ctx, path, c, "a collaboration agreement", sub)
        if ag is None or ag.signed is None:
            return _finding(ctx, path, c, False, "no signed collaboration agreement is recorded",
                            evidenced=False, sub=(*sub, "signed"))
        if ag.expires is not None and ag.expires < ctx.as_of:
            return _finding(ctx, path, c, False, f"agreement expired {ag.expires.isoformat()}",
                            sub=(*sub, "expires"))
        if not ctx.source.has((*path, *sub, "covers")):
            return _finding(ctx, path, c, False, "the topics the agreement covers are not "
                            "recorded", evidenced=False, sub=(*sub, "covers"))
        missing = [t for t in params.topics if t not in ag.covers]
        if missing:
            return _finding(ctx, path, c, False, "the topics recorded for the agreement do not "
                            f"include {', '.join(missing)}", sub=(*sub, "covers"))
        return _finding(ctx, path, c, True, "signed agreement covers the required topics",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ReportingParams(CheckParams):
    min_reports_per_year: Annotated[int, Field(ge=1, le=12)] = 1


@check_kind("reporting_line", ReportingParams, scope="arrangement")
def reporting_line(ctx: Context, params: ReportingParams) -> Outcome:
    """Each arrangement reports to a named board committee, at least as often as set."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or not dm.reports_to:
            return _finding(ctx, path, c, False, "no reporting line to a trust board committee "
                            "is recorded", evidenced=False, sub=("decision_making", "reports_to"))
        if dm.reporting_frequency is None:
            return _finding(ctx, path, c, False, f"reports to {dm.reports_to}; how often is not "
                            "recorded", sub=("decision_making", "reporting_frequency"),
                            evidenced=False)
        sub = ("decision_making", "reporting_frequency")
        per_year = PER_YEAR[dm.reporting_frequency]
        if per_year < params.min_reports_per_year:
            return _finding(ctx, path, c, False, f"reports to {dm.reports_to} "
                            f"{dm.reporting_frequency.replace('_', '-')}, less than "
                            f"{params.min_reports_per_year} times a year", sub=sub)
        return _finding(ctx, path, c, True, f"reports to {dm.reports_to} "
                        f"({dm.reporting_frequency.replace('_', '-')})", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("ned_scrutiny", NoParams)
def ned_scrutiny(ctx: Context, params: NoParams) -> Outcome:
    """A board committee with NEDs oversees collaboration, or a NED lead is named."""
    bo = ctx.trust.board_oversight
    if bo is not None and bo.ned_lead_for_collaboration and not bo.collaboration_committee:
        return met(f"NED lead {bo.ned_lead_for_collaboration}",
                   [ctx.at(("board_oversight", "ned_lead_for_collaboration"), "NED lead")])
    if bo is None or not bo.collaboration_committee:
        return not_evidenced("no board committee overseeing collaborative arrangements is "
                             "recorded", [ctx.missing(("board_oversight",
                                                       "collaboration_committee"), "committee")])
    at = ctx.at(("board_oversight", "collaboration_committee"), "board oversight")
    if bo.committee_includes_neds or bo.ned_lead_for_collaboration:
        lead = f", NED lead {bo.ned_lead_for_collaboration}" if bo.ned_lead_for_collaboration \
            else ""
        return met(f"{bo.collaboration_committee} oversees collaboration{lead}", [at])
    if bo.committee_includes_neds is False:
        return not_met(f"{bo.collaboration_committee} oversees collaboration; the file records "
                       "that it has no NED members, and no NED lead is named", [at])
    return not_evidenced(f"{bo.collaboration_committee} oversees collaboration; NED membership "
                         "or a NED lead is not recorded",
                         [ctx.missing(("board_oversight", "committee_includes_neds"), "NEDs")])


@check_kind("quorum_consistent", NoParams, scope="arrangement")
def quorum_consistent(ctx: Context, params: NoParams) -> Outcome:
    """The decision-making forum's quorum is more than half, and no more than all, of its
    voting members."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or dm.quorum is None or dm.voting_members is None:
            absent = "quorum" if dm is None or dm.quorum is None else "voting_members"
            return _finding(ctx, path, c, False, "quorum or voting membership not recorded",
                            evidenced=False, sub=("decision_making", absent))
        sub = ("decision_making", "quorum")
        note = f"quorum {dm.quorum} of {dm.voting_members} voting members"
        if dm.quorum > dm.voting_members:
            return _finding(ctx, path, c, False, f"{note} is more than the whole membership",
                            sub=sub)
        if dm.quorum * 2 <= dm.voting_members:
            return _finding(ctx, path, c, False, f"{note} is not a majority of the membership",
                            sub=sub)
        return _finding(ctx, path, c, True, note, sub=sub)
    return per_collaborative(ctx, judge)


def _delegator(fn: object) -> str:
    kind = getattr(fn, "from_kind", None)
    body = getattr(fn, "from_body", None) or getattr(fn, "from_icb", None)
    label = {"icb": "an ICB", "nhs_england": "NHS England",
             "local_authority": "a local authority"}.get(kind or "", "")
    return body or label


@check_kind("delegation_agreements", NoParams, scope="arrangement")
def delegation_agreements(ctx: Context, params: NoParams) -> Outcome:
    """Every delegated function (from an ICB, NHS England or a local authority) has a signed
    delegation agreement stating reporting, termination notice and retained accountability."""
    def judge(fpath: YamlPath, c: Collaborative, fn: DelegatedFunction) -> ItemFinding:
        ag = fn.agreement
        label = f"{c.id}/{fn.function}"
        if ag is not None and ag.exists is False:
            return ItemFinding(False, f"{label}: the file records that there is no "
                               "delegation agreement",
                               ctx.at((*fpath, "agreement", "exists"), "none"))
        if ag is not None and ag.details_held is False and ag.signed is None:
            return ItemFinding(False, f"{label}: a delegation agreement exists, but "
                               "its details are not held in this file",
                               ctx.missing((*fpath, "agreement", "signed"),
                                           "details not held"), False)
        if ag is None or ag.signed is None:
            return ItemFinding(False, f"{label}: no signed delegation agreement is "
                               "recorded", ctx.missing((*fpath, "agreement"),
                                                       "no agreement"), False)
        missing = [n for n, v in (("reporting", ag.reporting),
                                  ("termination_notice_months", ag.termination_notice_months),
                                  ("retained_accountability", ag.retained_accountability))
                   if v is None]
        if missing:
            words = ", ".join(m.replace("_", " ").replace(" months", "") for m in missing)
            return ItemFinding(False, f"{label}: the agreement's {words} not "
                               "recorded", ctx.missing((*fpath, "agreement",
                                                        missing[0]), words), False)
        return ItemFinding(True, f"{label}: agreement complete",
                                   ctx.at((*fpath, "agreement"), "complete"))

    return per_delegated_function(ctx, judge)


class GovernorsParams(CheckParams):
    months: Months


@check_kind("governors_involved", GovernorsParams)
def governors_involved(ctx: Context, params: GovernorsParams) -> Outcome:
    """A foundation trust briefed its council of governors on collaboration within N months."""
    org = ctx.trust.organisation
    if org.legal_form is None:
        return not_evidenced("the trust's legal form is not recorded",
                             [ctx.missing(("organisation", "legal_form"), "legal form")])
    if org.legal_form != "nhs_foundation_trust":
        return not_applicable("not a foundation trust, so there is no council of governors",
                              [ctx.at(("organisation", "legal_form"), "legal form")])
    cog = org.council_of_governors
    path = ("organisation", "council_of_governors", "briefed_on_collaboration")
    if cog is None or cog.briefed_on_collaboration is None:
        return not_evidenced("no briefing of the council of governors on collaboration is "
                             "recorded", [ctx.missing(path, "council of governors")])
    at = ctx.at(path, "council of governors")
    if ctx.older_than(cog.briefed_on_collaboration, params.months):
        return not_met(f"governors last briefed {cog.briefed_on_collaboration.isoformat()}, "
                       f"{ctx.age_words(cog.briefed_on_collaboration, params.months)}", [at])
    return met(f"governors briefed {cog.briefed_on_collaboration.isoformat()}", [at])


class TransactionParams(CheckParams):
    min_value_gbp: Annotated[float, Field(ge=0)]
    # The roles in which the trust itself takes the transaction on (a lead provider holds the
    # contract and its liabilities).
    roles: Annotated[list[Literal["lead", "host", "member"]], Field(min_length=1)]


def _money_unknown(ctx: Context, c: Collaborative) -> bool:
    """The file records no sum for the arrangement and does not say it holds no money."""
    budget = c.resourcing.budget if c.resourcing else None
    if budget is not None and (budget.amount_gbp is not None
                               or budget.commissioning_gbp is not None):
        return False
    if any(f.budget_transferred_gbp is not None for f in c.delegated_functions):
        return False
    does = ctx.activities(c)
    return not (does["holds_budget"] is False and does["delegated_functions"] is False)


@check_kind("governors_transaction", TransactionParams, scope="arrangement")
def governors_transaction(ctx: Context, params: TransactionParams) -> Outcome:
    """A foundation trust taking a lead or host role over money of at least the set value has
    its governors' approval of the significant transaction recorded."""
    org = ctx.trust.organisation
    if org.legal_form is None:
        return not_evidenced("the trust's legal form is not recorded",
                             [ctx.missing(("organisation", "legal_form"), "legal form")])
    if org.legal_form != "nhs_foundation_trust":
        return not_applicable("not a foundation trust")
    silent = silent_on_arrangements(ctx)
    if silent is not None:
        return silent
    large = []
    unknown_role = []
    unknown_money = []
    for path, c in each_collaborative(ctx):
        r = c.resourcing
        budget = r.budget if r else None
        money = max((budget.amount_gbp or 0) if budget else 0,
                    (budget.commissioning_gbp or 0) if budget else 0,
                    sum(f.budget_transferred_gbp or 0 for f in c.delegated_functions))
        if c.trust_role in params.roles and money >= params.min_value_gbp:
            large.append((c, money))
        elif c.trust_role is None and money >= params.min_value_gbp:
            unknown_role.append((path, c, money))
        elif c.trust_role in params.roles and _money_unknown(ctx, c):
            unknown_money.append((path, c))
    if not large and unknown_role:
        path, c, money = unknown_role[0]
        return not_evidenced(f"{c.id} (£{money:,.0f}): the trust's role in it is not recorded, "
                             "so whether it takes on a significant transaction is not known",
                             [ctx.missing((*path, "trust_role"), "role")])
    if not large and unknown_money:
        # No sum recorded is not a sum of nothing: a lead provider's contract may be large.
        path, c = unknown_money[0]
        return not_evidenced(f"{c.id}: the trust is {c.trust_role} and the money the arrangement "
                             "holds is not recorded, so whether the trust takes on a "
                             "significant transaction is not known",
                             [ctx.missing((*path, "resourcing", "budget", "amount_gbp"),
                                          "budget")])
    if not large:
        return not_applicable(f"the trust is not {' or '.join(params.roles)} for any arrangement "
                              f"of £{params.min_value_gbp:,.0f} or more")
    names = ", ".join(f"{c.id} (£{money:,.0f})" for c, money in large)
    cog = org.council_of_governors
    path = ("organisation", "council_of_governors", "significant_transaction_approved")
    if cog is None or cog.significant_transaction_approved is None:
        return not_evidenced(f"{' or '.join(params.roles)} for {names}; governors' approval of the "
                             "significant "
                             "transaction is not recorded", [ctx.missing(path, "approval")])
    return met(f"governors approved {cog.significant_transaction_approved.isoformat()} ({names})",
               [ctx.at(path, "approval")])


@check_kind("provider_commissioner_conflict", NoParams, scope="arrangement")
def provider_commissioner_conflict(ctx: Context, params: NoParams) -> Outcome:
    """Where the trust exercises a delegated commissioning function for services it also
    provides, how that conflict is managed is recorded."""
    silent = silent_on_arrangements(ctx)
    if silent is not None:
        return silent
    findings = []
    for path, c in each_collaborative(ctx):
        unlisted = _functions_unlisted(ctx, path, c)
        if unlisted is not None:
            findings.append(unlisted)
        delivers = ctx.activities(c)["delivers_services"]
        provides = None if delivers is None and c.trust_role != "lead" \
            else bool(delivers or c.trust_role == "lead")
        for k, fn in enumerate(c.delegated_functions):
            fpath = (*path, "delegated_functions", k)
            label = f"{c.id}/{fn.function}"
            if fn.commissions_own_services is False:
                findings.append(ItemFinding(None, f"{label}: commissions no services the trust "
                                            "provides", ctx.at((*fpath, "commissions_own_services"),
                                                               "no")))
            elif fn.commissions_own_services is None:
                if provides is not False:
                    findings.append(ItemFinding(False, f"{label}: whether the trust commissions "
                                                "services it also provides is not recorded",
                                                ctx.missing((*fpath, "commissions_own_services"),
                                                            "unknown"), False))
                else:
                    findings.append(ItemFinding(None, f"{label}: the arrangement delivers no "
                                                "services and the trust is not its lead",
                                                ctx.at(fpath, "n/a")))
            elif fn.provider_conflict_arrangements:
                findings.append(ItemFinding(True, f"{label}: conflict of commissioning its own "
                                            "services managed",
                                            ctx.at((*fpath, "provider_conflict_arrangements"),
                                                   "managed")))
            else:
                findings.append(ItemFinding(False, f"{label}: commissions services the trust "
                                            "also provides; how that conflict is managed is not "
                                            "recorded",
                                            ctx.missing((*fpath, "provider_conflict_arrangements"),
                                                        "unmanaged"), False))
    # An arrangement silent on its functions is counted beside them, not as one of them.
    unsure = any(not f.evidenced and f.evidence.on_remit for f in findings)
    return aggregate(findings, "delegated functions or arrangements" if unsure
                     else "delegated functions",
                     none_reason="no delegated function commissions services the trust provides")


@check_kind("icb_successor_named", NoParams, scope="arrangement")
def icb_successor_named(ctx: Context, params: NoParams) -> Outcome:
    """Where an ICB party to an arrangement is merging, the arrangement's agreements name the
    successor body."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        m = c.icb_merger
        if m is None:
            return _finding(ctx, path, c, None, "no ICB merger recorded")
        sub = ("icb_merger", "agreements_name_successor")
        if m.agreements_name_successor is None:
            return _finding(ctx, path, c, False, "an ICB merger is recorded; whether its "
                            "agreements name the successor is not recorded", evidenced=False,
                            sub=sub)
        if not m.agreements_name_successor:
            return _finding(ctx, path, c, False, "an ICB merger is recorded and its agreements "
                            "do not name the successor", sub=sub)
        return _finding(ctx, path, c, True, "agreements name the successor ICB", sub=sub)
    return per_collaborative(ctx, judge, none_reason="no ICB merger is recorded for any "
                             "arrangement")


@check_kind("shared_leadership_protocol", NoParams)
def shared_leadership_protocol(ctx: Context, params: NoParams) -> Outcome:
    """A chair or chief executive shared with other trusts works to a recorded protocol for
    decisions where the trusts' interests differ."""
    org = ctx.trust.organisation
    shared = org.shared_leadership
    posts = set(shared.posts if shared else []) | {p for c in ctx.trust.collaboratives
                                                   for p in c.shared_posts}
    groups = [c for c in ctx.trust.collaboratives if c.type == "group_model"]
    if not posts:
        if groups and shared is None and not any(c.shared_posts for c in groups):
            return not_evidenced("a group model is recorded; whether the chair or chief "
                                 "executive is shared is not recorded",
                                 [ctx.missing(("organisation", "shared_leadership"), "posts")])
        # Sharing a post is the exception, so the criterion applies only where one is recorded;
        # the reason still says whether the file stated "none" or is silent.
        if shared is None:
            return not_applicable("no shared chair or chief executive is recorded")
        return not_applicable("no post is shared with another trust")
    words = " and ".join(sorted(p.replace("_", " ") for p in posts))
    path = ("organisation", "shared_leadership", "conflicts_protocol")
    if shared is not None and shared.conflicts_protocol:
        return met(f"shared {words}, with a conflicts protocol", [ctx.at(path, "protocol")])
    return not_evidenced(f"the {words} is shared with another trust; no protocol for decisions "
                         "where the trusts' interests differ is recorded",
                         [ctx.missing(path, "protocol")])


@check_kind("shadow_transition_dated", NoParams, scope="arrangement")
def shadow_transition_dated(ctx: Context, params: NoParams) -> Outcome:
    """An arrangement in shadow or transitional form records a date for its move to formal
    authority, and that date has not passed with the move unmade."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if (c.status or "formal") == "formal":
            return _finding(ctx, path, c, None, "in formal form")
        sub = ("formal_authority_from",)
        if c.formal_authority_from is None:
            return _finding(ctx, path, c, False, f"{c.status}; no date for its move to formal "
                            "authority is recorded", evidenced=False, sub=sub)
        if c.formal_authority_from <= ctx.as_of:
            return _finding(ctx, path, c, False, f"recorded as {c.status}, though formal "
                            f"authority was due from {c.formal_authority_from.isoformat()}",
                            sub=("status",))
        return _finding(ctx, path, c, True, f"{c.status}; formal authority from "
                        f"{c.formal_authority_from.isoformat()}", sub=sub)
    return per_collaborative(ctx, judge, none_reason="no arrangement is recorded as in shadow "
                             "or transitional form")


# --- resourcing ---------------------------------------------------------------------------


@check_kind("budget_funded", NoParams, scope="arrangement")
def budget_funded(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement has a budget with its funding sources stated."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        budget = c.resourcing.budget if c.resourcing else None
        sub = ("resourcing", "budget")
        if budget is None or budget.amount_gbp is None:
            extra = (f" (a commissioning budget of £{budget.commissioning_gbp:,.0f} is under its "
                     "management)" if budget is not None and budget.commissioning_gbp else "")
            return _finding(ctx, path, c, False, f"no running-cost budget is recorded{extra}",
                            evidenced=False, sub=(*sub, "amount_gbp"))
        if not budget.funding_sources:
            return _finding(ctx, path, c, False, f"budget £{budget.amount_gbp:,.0f}; its funding "
                            "sources are not recorded", sub=(*sub, "funding_sources"),
                            evidenced=False)
        return _finding(ctx, path, c, True, f"budget £{budget.amount_gbp:,.0f} from "
                        f"{', '.join(budget.funding_sources)}", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("risk_share_documented", NoParams, scope="arrangement")
def risk_share_documented(ctx: Context, params: NoParams) -> Outcome:
    """Where an arrangement has a budget, its risk share (and gain share) is documented."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        budget = c.resourcing.budget if c.resourcing else None
        sub = ("resourcing", "budget", "risk_share")
        if budget is None or (budget.amount_gbp is None and budget.commissioning_gbp is None):
            if ctx.activities(c)["holds_budget"] is False:
                return _finding(ctx, path, c, None, "holds no budget")
            return _finding(ctx, path, c, False, "no budget is recorded, so no risk share can be "
                            "judged", evidenced=False, sub=sub)
        if not budget.risk_share:
            return _finding(ctx, path, c, False, "no risk share is recorded", sub=sub,
                            evidenced=False)
        return _finding(ctx, path, c, True, "risk share documented", sub=sub)
    return per_collaborative(ctx, judge, none_reason="no arrangement holds a budget")


class CapacityParams(CheckParams):
    min_programme_wte: Annotated[float, Field(ge=0, le=1)]


@check_kind("programme_capacity", CapacityParams, scope="arrangement")
def programme_capacity(ctx: Context, params: CapacityParams) -> Outcome:
    """A programme lead gives at least the stated time, or a programme office is funded."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        r = c.resourcing
        lead = r.programme_lead if r else None
        if r is not None and r.pmo_wte:
            return _finding(ctx, path, c, True, f"programme office of {r.pmo_wte:g} WTE",
                            sub=("resourcing", "pmo_wte"))
        if lead is None:
            return _finding(ctx, path, c, False, "no programme lead or programme office is "
                            "recorded", evidenced=False, sub=("resourcing", "programme_lead"))
        sub = ("resourcing", "programme_lead")
        if lead.wte is None:
            return _finding(ctx, path, c, False, f"programme lead {lead.name}; the time given is "
                            "not recorded", sub=(*sub, "wte"), evidenced=False)
        if lead.wte < params.min_programme_wte:
            # A programme office would meet it instead: left out, that is silence.
            stated_no_office = r is not None and r.pmo_wte is not None
            return _finding(ctx, path, c, False, f"programme lead {lead.name} gives {lead.wte:g} "
                            f"WTE (less than {params.min_programme_wte:g})"
                            + ("" if stated_no_office else "; a programme office is not recorded"),
                            sub=(*sub, "wte") if stated_no_office else ("resourcing", "pmo_wte"),
                            evidenced=stated_no_office)
        return _finding(ctx, path, c, True, f"programme lead {lead.name}, {lead.wte:g} WTE",
                        sub=sub)
    return per_collaborative(ctx, judge)


class MilestoneParams(CheckParams):
    max_overdue_share: Annotated[float, Field(ge=0, le=1)]


@check_kind("milestones_on_track", MilestoneParams, scope="arrangement")
def milestones_on_track(ctx: Context, params: MilestoneParams) -> Outcome:
    """Milestones have owners and due dates, and few are overdue."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ms = c.resourcing.milestones if c.resourcing else []
        sub = ("resourcing", "milestones")
        if not ms:
            stated = _stated(ctx, (*path, *sub))
            return _finding(ctx, path, c, False, "the file records no milestones" if stated
                            else "no milestones are recorded", evidenced=stated, sub=sub)
        past = [k for k, m in enumerate(ms) if m.due is not None and m.due < ctx.as_of]
        overdue = [k for k in past if ms[k].status not in (None, "complete")]
        unstated = [k for k in past if ms[k].status is None]
        share = len(overdue) / len(ms)
        if share > params.max_overdue_share:
            return _finding(ctx, path, c, False, f"{len(overdue)} of {len(ms)} milestones "
                            f"overdue ({share:.0%}, limit {params.max_overdue_share:.0%})",
                            sub=sub)
        if unstated:
            return _finding(ctx, path, c, False, f"{len(unstated)} of {len(ms)} milestones are "
                            "past their due date with no status recorded",
                            sub=(*sub, unstated[0], "status"), evidenced=False)
        unowned = [k for k, m in enumerate(ms) if not m.owner or m.due is None]
        if unowned:
            absent = "owner" if not ms[unowned[0]].owner else "due"
            return _finding(ctx, path, c, False, f"{len(unowned)} of {len(ms)} milestones: owner "
                            "or due date not recorded", sub=(*sub, unowned[0], absent),
                            evidenced=False)
        return _finding(ctx, path, c, True, f"{len(ms)} milestones, {len(overdue)} overdue",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ConcentrationParams(CheckParams):
    max_lead_roles: Annotated[int, Field(ge=1)]


@check_kind("lead_concentration", ConcentrationParams)
def lead_concentration(ctx: Context, params: ConcentrationParams) -> Outcome:
    """No one executive leads more arrangements than the stated maximum."""
    leads = [(path, c.resourcing.executive_lead.name) for path, c in each_collaborative(ctx)
             if c.resourcing and c.resourcing.executive_lead]
    if not leads:
        return not_evidenced("no executive leads are recorded",
                             [ctx.missing(("collaboratives",), "no leads")])
    counts = Counter(_norm(name) for _, name in leads)
    over = sorted(name for _, name in leads if counts[_norm(name)] > params.max_lead_roles)
    evidence = [ctx.at((*path, "resourcing", "executive_lead"), name) for path, name in leads]
    if over:
        name = over[0]
        return not_met(f"{name} leads {counts[_norm(name)]} arrangements (limit "
                       f"{params.max_lead_roles}): a capacity risk", evidence)
    return met(f"{len(counts)} executive lead(s), none over {params.max_lead_roles} "
               "arrangements", evidence)


@check_kind("delegation_resourced", NoParams, scope="arrangement")
def delegation_resourced(ctx: Context, params: NoParams) -> Outcome:
    """Delegated functions came with budget, and with staff or commissioning expertise."""
    def judge(at: YamlPath, c: Collaborative, fn: DelegatedFunction) -> ItemFinding:
        label = f"{c.id}/{fn.function}"
        if fn.budget_transferred_gbp is None:
            return ItemFinding(False, f"{label}: the budget transferred with it is "
                               "not recorded",
                               ctx.missing((*at, "budget_transferred_gbp"),
                                           "no budget"), False)
        if fn.budget_transferred_gbp == 0:
            return ItemFinding(False, f"{label}: the file records no budget "
                               "transferred with it",
                               ctx.at((*at, "budget_transferred_gbp"), "£0"))
        if fn.staff_transferred_wte or fn.commissioning_expertise:
            return ItemFinding(True, f"{label}: resourced",
                               ctx.at(at, "resourced"))
        if fn.staff_transferred_wte == 0 and fn.commissioning_expertise is False:
            return ItemFinding(False, f"{label}: the file records no staff or "
                               "commissioning expertise coming with it",
                               ctx.at(at, "no staff"))
        return ItemFinding(False, f"{label}: staff or commissioning expertise "
                           "coming with it not recorded",
                           ctx.missing((*at, "staff_transferred_wte"),
                               "no staff"), False)

    return per_delegated_function(ctx, judge)


# --- risk management ---------------------------------------------------------------------


@check_kind("baf_covers_collaboratives", NoParams, scope="arrangement")
def baf_covers_collaboratives(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement is named by at least one risk on the board assurance framework."""
    baf = ctx.trust.board_assurance_framework
    risks = baf.risks if baf else []

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        linked = [r.id for r in risks if c.id in r.collaboratives]
        if linked:
            return _finding(ctx, path, c, True, f"on the BAF as {', '.join(linked)}")
        if not risks:
            return _finding(ctx, path, c, False, "no BAF risks are recorded", evidenced=False,
                            sub=())
        return _finding(ctx, path, c, False, "none of the BAF risks recorded names this "
                        "arrangement")
    outcome = per_collaborative(ctx, judge)
    if not risks and ctx.trust.collaboratives and outcome.status == "not_evidenced":
        missing = ctx.missing(("board_assurance_framework", "risks"), "no BAF risks")
        return not_evidenced(outcome.message, [missing])
    return outcome


@check_kind("baf_risks_specific", NoParams, scope="arrangement")
def baf_risks_specific(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement is named by a BAF risk specific to it, not only by a generic risk."""
    baf = ctx.trust.board_assurance_framework
    risks = baf.risks if baf else []

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        linked = [r for r in risks if c.id in r.collaboratives]
        if not linked and risks:
            return _finding(ctx, path, c, False, "none of the BAF risks recorded names it")
        if not linked:
            return _finding(ctx, path, c, False, "no BAF risks are recorded", evidenced=False,
                            sub=())
        specific = [r.id for r in linked if r.generic is not True]
        if specific:
            return _finding(ctx, path, c, True, f"specific BAF risk {', '.join(specific)}")
        return _finding(ctx, path, c, False, "named only by generic BAF risk "
                        f"{', '.join(r.id for r in linked)}")
    return per_collaborative(ctx, judge, none_reason="no BAF risk names any arrangement")


def _collaborative_risk_items(ctx: Context) -> list[tuple[YamlPath, object]]:
    baf = ctx.trust.board_assurance_framework
    if baf is None:
        return []
    return [(("board_assurance_framework", "risks", i), r) for i, r in enumerate(baf.risks)
            if r.collaboratives]


def _no_collaborative_risks(ctx: Context) -> Outcome:
    return not_evidenced("no BAF risk linked to an arrangement is recorded",
                         [ctx.missing(("board_assurance_framework", "risks"), "none linked")])


@check_kind("baf_risks_complete", NoParams)
def baf_risks_complete(ctx: Context, params: NoParams) -> Outcome:
    """Each collaborative BAF risk has an executive owner, a known linked objective, controls,
    assurances and recorded gaps."""
    known = {o.id for o in (ctx.trust.strategy.objectives if ctx.trust.strategy else [])}
    items = _collaborative_risk_items(ctx)
    if not items:
        return _no_collaborative_risks(ctx)
    findings = []
    for path, risk in items:
        r = risk  # a BafRisk
        missing = [n for n in ("owner", "objective", "controls", "assurances", "gaps")
                   if not getattr(r, n)]
        objective = getattr(r, "objective", None)
        rid = getattr(r, "id", "?")
        if objective and objective not in known and not known:
            findings.append(ItemFinding(False, f"{rid}: links to objective {objective!r}, but the "
                                        "trust's strategic objectives are not recorded",
                                        ctx.missing(("strategy", "objectives"), "objectives"),
                                        False))
        elif objective and objective not in known:
            findings.append(ItemFinding(False, f"{rid}: links to objective {objective!r}, which "
                                        "is not in strategy.objectives",
                                        ctx.at((*path, "objective"), "unknown objective")))
        elif missing:
            findings.append(ItemFinding(False, f"{rid}: {', '.join(missing)} not recorded",
                                        ctx.missing((*path, missing[0]), "incomplete"), False))
        else:
            findings.append(ItemFinding(True, f"{rid}: complete", ctx.at(path, "complete")))
    return aggregate(findings, "collaborative BAF risks", none_reason="")


class ScoreParams(CheckParams):
    max_score: Annotated[int, Field(ge=1)]


@check_kind("baf_scores", ScoreParams)
def baf_scores(ctx: Context, params: ScoreParams) -> Outcome:
    """Collaborative BAF risks are scored likelihood × consequence with a target no higher
    than the current score."""
    items = _collaborative_risk_items(ctx)
    if not items:
        return _no_collaborative_risks(ctx)
    findings = []
    for path, r in items:
        rid = getattr(r, "id", "?")
        score = getattr(r, "score", None)
        target = getattr(r, "target_score", None)
        if score is None:
            findings.append(ItemFinding(False, f"{rid}: score not recorded",
                                        ctx.missing((*path, "likelihood"), "no score"), False))
        elif target is None:
            findings.append(ItemFinding(False, f"{rid}: score {score}; target not recorded",
                                        ctx.missing((*path, "target_likelihood"), "no target"),
                                        False))
        elif score > params.max_score:
            findings.append(ItemFinding(False, f"{rid}: score {score} is above the scale's "
                                        f"maximum of {params.max_score}", ctx.at(path, "score")))
        elif target > score:
            findings.append(ItemFinding(False, f"{rid}: target {target} is above the "
                                        f"current score {score}", ctx.at(path, "target")))
        else:
            findings.append(ItemFinding(True, f"{rid}: score {score}, target {target}",
                                        ctx.at(path, "scored")))
    return aggregate(findings, "collaborative BAF risks", none_reason="")


@check_kind("collaborative_risk_register", NoParams, scope="arrangement")
def collaborative_risk_register(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement keeps its own risk register with an escalation threshold to member
    boards."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        rr = c.risk_register
        sub = ("risk_register",)
        if rr is not None and rr.kept is False:
            return _finding(ctx, path, c, False, "the file records that it keeps no risk "
                            "register of its own", sub=(*sub, "kept"))
        if rr is None or rr.kept is None:
            return _finding(ctx, path, c, False, "a risk register of its own is not recorded",
                            evidenced=False, sub=(*sub, "kept"))
        if rr.escalation_threshold is None:
            return _finding(ctx, path, c, False, "risk register; its escalation threshold is "
                            "not recorded", sub=(*sub, "escalation_threshold"), evidenced=False)
        return _finding(ctx, path, c, True, "risk register escalates at score "
                        f"{rr.escalation_threshold}", sub=sub)
    return per_collaborative(ctx, judge)


class LiabilityParams(CheckParams):
    shared_types: Annotated[list[ArrangementType], Field(min_length=1)]


@check_kind("liability_recorded", LiabilityParams, scope="arrangement")
def liability_recorded(ctx: Context, params: LiabilityParams) -> Outcome:
    """Where decisions are shared (binding decisions, or a shared-decision form), a liability
    position is recorded."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        binding = ctx.activities(c)["binding_decisions"]
        if binding is None and c.type not in params.shared_types:
            return _finding(ctx, path, c, False, "whether it shares decisions is not recorded",
                            evidenced=False, sub=("decision_making", "takes_binding_decisions"))
        if not binding and c.type not in params.shared_types:
            return _finding(ctx, path, c, None, "decisions are not shared")
        if c.liability is None or not c.liability.position:
            return _finding(ctx, path, c, False, "shares decisions; no liability position is "
                            "recorded", evidenced=False, sub=("liability", "position"))
        return _finding(ctx, path, c, True, "liability position recorded", sub=("liability",))
    return per_collaborative(ctx, judge, none_reason="no arrangement shares decisions")


class AuditParams(CheckParams):
    months: Months
    adverse: Annotated[list[AssuranceLevel], Field(min_length=1)]


@check_kind("internal_audit", AuditParams)
def internal_audit(ctx: Context, params: AuditParams) -> Outcome:
    """Internal audit reviewed partnership governance within N months, without an adverse
    opinion. An adverse opinion is not met; a favourable one that is out of date is partly
    met, since it still says something about the arrangements."""
    bo = ctx.trust.board_oversight
    audits = bo.internal_audits if bo else []
    if not audits:
        return not_evidenced("no internal audit of partnership governance is recorded",
                             [ctx.missing(("board_oversight", "internal_audits"), "no audits")])
    i, latest = max(enumerate(audits), key=lambda pair: pair[1].date)
    at = ctx.at(("board_oversight", "internal_audits", i), latest.assurance)
    label = latest.assurance.replace("_", " ")
    opinion = label if latest.assurance == "no_assurance" else f"{label} assurance"
    covered = f" (covering {', '.join(latest.collaboratives)})" if latest.collaboratives else ""
    if latest.assurance in params.adverse:
        return not_met(f"latest review ({latest.date.isoformat()}) gave {opinion}{covered}",
                       [at])
    if ctx.older_than(latest.date, params.months):
        return Outcome("partly_met", f"{opinion}{covered}, but the latest review was "
                       f"{latest.date.isoformat()}, {ctx.age_words(latest.date, params.months)}",
                       (at,))
    return met(f"{opinion} on {latest.date.isoformat()}{covered}", [at])


class AuditActionParams(CheckParams):
    max_overdue_actions: Annotated[int, Field(ge=0)] = 0


@check_kind("audit_actions", AuditActionParams)
def audit_actions(ctx: Context, params: AuditActionParams) -> Outcome:
    """The latest partnership-governance audit's actions are not overdue."""
    bo = ctx.trust.board_oversight
    audits = bo.internal_audits if bo else []
    if not audits:
        return not_evidenced("no internal audit of partnership governance is recorded",
                             [ctx.missing(("board_oversight", "internal_audits"), "no audits")])
    i, latest = max(enumerate(audits), key=lambda pair: pair[1].date)
    path = ("board_oversight", "internal_audits", i)
    if latest.overdue_actions is not None:
        at = ctx.at((*path, "overdue_actions"), "overdue actions")
        if latest.overdue_actions > params.max_overdue_actions:
            return not_met(f"{latest.overdue_actions} action(s) from the {latest.date.isoformat()} "
                           "audit are overdue", [at])
        if latest.overdue_actions:
            return met(f"{latest.overdue_actions} overdue action(s) from the "
                       f"{latest.date.isoformat()} audit, within the limit of "
                       f"{params.max_overdue_actions}", [at])
        return met(f"no overdue actions from the {latest.date.isoformat()} audit", [at])
    if latest.open_actions == 0:
        return met(f"all actions from the {latest.date.isoformat()} audit are closed",
                   [ctx.at((*path, "open_actions"), "open actions")])
    if latest.open_actions is None:
        return not_evidenced(f"the state of the {latest.date.isoformat()} audit's actions is not "
                             "recorded", [ctx.missing((*path, "open_actions"), "actions")])
    return not_evidenced(f"{latest.open_actions} action(s) from the {latest.date.isoformat()} "
                         "audit are open; whether any is overdue is not recorded",
                         [ctx.missing((*path, "overdue_actions"), "overdue?")])


class MaturityParams(CheckParams):
    months: Months


@check_kind("maturity_assessed", MaturityParams)
def maturity_assessed(ctx: Context, params: MaturityParams) -> Outcome:
    """A maturity self-assessment within N months records current and target levels."""
    bo = ctx.trust.board_oversight
    ma = bo.maturity_assessment if bo else None
    path = ("board_oversight", "maturity_assessment")
    if ma is None or ma.assessed is None or ma.current_level is None or ma.target_level is None:
        absent = next((n for n in ("assessed", "current_level", "target_level")
                       if ma is None or getattr(ma, n) is None), "assessed")
        return not_evidenced("no dated maturity self-assessment with current and target levels "
                             "is recorded", [ctx.missing((*path, absent), "maturity")])
    at = ctx.at(path, "maturity assessment")
    if ctx.older_than(ma.assessed, params.months):
        return not_met(f"assessed {ma.assessed.isoformat()}, "
                       f"{ctx.age_words(ma.assessed, params.months)}", [at])
    return met(f"level {ma.current_level} now, target {ma.target_level} "
               f"({ma.assessed.isoformat()})", [at])


# --- performance fallback ----------------------------------------------------------------


class ExitParams(CheckParams):
    min_notice_months: Annotated[int, Field(ge=0)]
    # Each exit term, and what an arrangement must do for that term to be needed (any of
    # them; an empty list: always). Unknown activities count as needing it.
    require: dict[Literal["staff", "assets", "data"], list[Activity]]


@check_kind("exit_provisions", ExitParams, scope="arrangement")
def exit_provisions(ctx: Context, params: ExitParams) -> Outcome:
    """Exit provisions give a notice period and provide for staff, assets and data, each where
    what the arrangement does needs it."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ex = c.exit
        sub = ("exit",)
        if ex is None or ex.notice_months is None:
            return _finding(ctx, path, c, False, "no exit notice period is recorded",
                            evidenced=False, sub=(*sub, "notice_months"))
        if ex.notice_months < params.min_notice_months:
            return _finding(ctx, path, c, False, f"{ex.notice_months} months' notice (less than "
                            f"{params.min_notice_months})", sub=(*sub, "notice_months"))
        does = ctx.activities(c)
        needed = [term for term, needs in params.require.items()
                  if not needs or any(does[a] is not False for a in needs)]
        refused = [t for t in needed if getattr(ex, t) is False]
        silent = [t for t in needed if getattr(ex, t) is None]
        if refused:
            return _finding(ctx, path, c, False, "the file records that exit does not provide "
                            f"for {', '.join(refused)}", sub=(*sub, refused[0]))
        if silent:
            return _finding(ctx, path, c, False, f"{ex.notice_months} months' notice; exit terms "
                            f"for {', '.join(silent)} not recorded", evidenced=False,
                            sub=(*sub, silent[0]))
        spared = [t for t in params.require if t not in needed]
        extra = f" ({', '.join(spared)} not needed for what it does)" if spared else ""
        return _finding(ctx, path, c, True, f"{ex.notice_months} months' notice{extra}", sub=sub)
    return per_collaborative(ctx, judge)


class DisputeParams(CheckParams):
    min_stages: Annotated[int, Field(ge=1)]


@check_kind("dispute_resolution", DisputeParams, scope="arrangement")
def dispute_resolution(ctx: Context, params: DisputeParams) -> Outcome:
    """Disputes go through at least N escalating stages."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        stages = c.dispute_resolution.stages if c.dispute_resolution else []
        sub = ("dispute_resolution", "stages")
        if not stages:
            stated = _stated(ctx, (*path, *sub))
            return _finding(ctx, path, c, False, "the file records no dispute resolution stages"
                            if stated else "no dispute resolution is recorded",
                            evidenced=stated, sub=sub)
        if len(stages) < params.min_stages:
            return _finding(ctx, path, c, False, f"{len(stages)} stage(s) (fewer than "
                            f"{params.min_stages})", sub=sub)
        return _finding(ctx, path, c, True, f"{len(stages)} stages", sub=sub)
    return per_collaborative(ctx, judge)


class KpiParams(CheckParams):
    min_reports_per_year: Annotated[int, Field(ge=1, le=12)] = 1


@check_kind("kpi_triggers", KpiParams, scope="arrangement")
def kpi_triggers(ctx: Context, params: KpiParams) -> Outcome:
    """Each arrangement reports KPIs, each with a trigger threshold and a reporting frequency
    of at least the set number of times a year (a trigger seen once a year is seen too late)."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        kpis = c.performance.kpis if c.performance else []
        sub = ("performance", "kpis")
        if not kpis:
            stated = _stated(ctx, (*path, *sub))
            return _finding(ctx, path, c, False, "the file records no KPIs reported to the board"
                            if stated else "no KPIs reported to the board are recorded",
                            evidenced=stated, sub=sub)
        weak = [(k, "trigger" if not kpi.trigger else "reporting_frequency")
                for k, kpi in enumerate(kpis) if not kpi.trigger or kpi.reporting_frequency is None]
        rare = [k for k, kpi in enumerate(kpis) if kpi.reporting_frequency is not None
                and PER_YEAR[kpi.reporting_frequency] < params.min_reports_per_year]
        if rare:
            return _finding(ctx, path, c, False, f"{len(rare)} of {len(kpis)} KPIs reported less "
                            f"than {params.min_reports_per_year} times a year",
                            sub=(*sub, rare[0], "reporting_frequency"))
        if weak:
            return _finding(ctx, path, c, False, f"{len(weak)} of {len(kpis)} KPIs: trigger or "
                            "reporting frequency not recorded", sub=(*sub, *weak[0]),
                            evidenced=False)
        return _finding(ctx, path, c, True, f"{len(kpis)} KPIs with triggers", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("segments_recorded", NoParams)
def segments_recorded(ctx: Context, params: NoParams) -> Outcome:
    """The oversight segment is recorded for the trust and for each NHS trust partner."""
    missing: list[str] = []
    silent = []
    stated = []
    if ctx.trust.organisation.oversight is None:
        missing.append("the trust itself")
        silent.append(ctx.missing(("organisation", "oversight"), "trust segment"))
    else:
        stated.append(ctx.at(("organisation", "oversight"), "trust segment"))
    total = 1
    for path, c in each_collaborative(ctx):
        if not c.partners and not ctx.source.has((*path, "partners")):
            # Partners not listed are not "no partners": their segments are unknown.
            total += 1
            missing.append(f"the partners of {c.name} (not listed)")
            silent.append(ctx.missing((*path, "partners"), "partners not listed"))
            continue
        for k, p in enumerate(c.partners):
            if p.kind not in (None, "nhs_trust", "nhs_foundation_trust"):
                continue
            total += 1
            if p.oversight is None:
                missing.append(p.name)
                silent.append(ctx.missing((*path, "partners", k, "oversight"), "no segment"))
    if not missing:
        return met(f"segments recorded for the trust and {total - 1} NHS partner(s)", stated)
    message = f"no oversight segment is recorded for {', '.join(sorted(set(missing)))}"
    if len(missing) == total:
        return not_evidenced(message, silent)
    return Outcome("partly_met", message, (*silent, *stated), False,
                   (total - len(missing)) / total)


class StrugglingParams(CheckParams):
    serious_segment: dict[OversightFramework, Annotated[int, Field(ge=1, le=5)]]


@check_kind("struggling_partner_mitigated", StrugglingParams, scope="arrangement")
def struggling_partner_mitigated(ctx: Context, params: StrugglingParams) -> Outcome:
    """A partner in a serious oversight segment is covered by a BAF risk and a contingency
    plan (mutual aid or step-in). A partner whose segment is not recorded is not evidenced:
    the board cannot know it is not struggling."""
    baf = ctx.trust.board_assurance_framework
    risks = baf.risks if baf else []
    silent = silent_on_arrangements(ctx)
    if silent is not None:
        return silent
    findings = []
    serious = params.serious_segment
    for path, c in each_collaborative(ctx):
        if not c.partners:
            findings.append(_finding(ctx, path, c, False, "partners not recorded, so whether one "
                                     "is struggling is not known", evidenced=False,
                                     sub=("partners",)))
        # What the arrangement lacks is the same for each of its partners: worked out once
        # per arrangement (on its first partner in a serious segment), not once per partner.
        lacking: list[str] | None = None
        note = ""
        stated_lack = False
        for k, p in enumerate(c.partners):
            if p.kind not in (None, "nhs_trust", "nhs_foundation_trust"):
                continue
            ppath = (*path, "partners", k, "oversight")
            seg = p.oversight
            if seg is None:
                findings.append(_item_finding(ItemFinding, (
                    False, f"{c.id}/{p.name}: oversight segment not recorded, so the board "
                    "cannot know whether it is struggling", ctx.missing(ppath, "no segment"),
                    False)))
                continue
            at = ctx.at(ppath, f"segment {seg.segment}")
            label = f"{c.id}/{p.name} (segment {seg.segment}, {seg.framework})"
            if seg.segment < serious.get(seg.framework, 99):
                findings.append(_item_finding(ItemFinding, (
                    True, f"{label}: not in a serious segment", at, True)))
                continue
            if lacking is None:
                has_risk = any(c.id in r.collaboratives for r in risks)
                cont = c.contingency
                has_plan = bool(cont and (cont.plan or cont.mutual_aid or cont.step_in))
                lacking = [n for n, ok in (("BAF risk", has_risk),
                                           ("contingency plan", has_plan)) if not ok]
                note = ("covered" if not lacking
                        else f"no {' or '.join(lacking)} is recorded for it")
                # What is lacking is stated when the BAF lists risks and none names the
                # arrangement, or the contingency is written out as no aid, no step-in and
                # no plan; otherwise the file is silent on it.
                stated = {"BAF risk": bool(risks),
                          "contingency plan": bool(cont is not None and cont.mutual_aid is False
                                                   and cont.step_in is False and not cont.plan)}
                stated_lack = all(stated[n] for n in lacking)
            findings.append(_item_finding(ItemFinding, (not lacking, f"{label}: {note}", at,
                                                        stated_lack)))
    return aggregate(findings, "NHS partners", none_reason="no NHS partners are recorded")


@check_kind("contingency_planned", NoParams, scope="arrangement")
def contingency_planned(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement records a contingency: mutual aid, step-in rights or a plan."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        cont = c.contingency
        if cont is None or not (cont.plan or cont.mutual_aid or cont.step_in):
            if cont is not None and cont.mutual_aid is False and cont.step_in is False \
                    and not cont.plan:
                return _finding(ctx, path, c, False, "the file records no mutual aid, no step-in "
                                "and no plan", sub=("contingency",))
            return _finding(ctx, path, c, False, "no contingency, mutual aid or step-in "
                            "arrangement is recorded", evidenced=False,
                            sub=("contingency", "plan"))
        parts = [n for n, v in (("plan", cont.plan), ("mutual aid", cont.mutual_aid),
                                ("step-in", cont.step_in)) if v]
        return _finding(ctx, path, c, True, ", ".join(parts), sub=("contingency",))
    return per_collaborative(ctx, judge)


@check_kind("subcontract_rights", NoParams, scope="arrangement")
def subcontract_rights(ctx: Context, params: NoParams) -> Outcome:
    """Where the trust is lead provider, its sub-contracts hold performance and termination
    rights."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        lead_form = c.governance_model == "lead_provider" or c.type == "lead_provider_contract"
        if lead_form and c.trust_role is None:
            return _finding(ctx, path, c, False, "a lead-provider arrangement; whether the trust "
                            "is the lead is not recorded", evidenced=False, sub=("trust_role",))
        if c.trust_role == "lead" and not lead_form and c.governance_model is None:
            return _finding(ctx, path, c, False, "the trust is lead; whether the arrangement is "
                            "run as a lead-provider contract is not recorded", evidenced=False,
                            sub=("governance_model",))
        if not (lead_form and c.trust_role == "lead"):
            return _finding(ctx, path, c, None, "the trust is not lead provider")
        subs = c.performance.sub_contracts if c.performance else []
        sub = ("performance", "sub_contracts")
        if not subs:
            return _finding(ctx, path, c, False, "lead provider; no sub-contracts are recorded",
                            evidenced=False, sub=sub)
        refused = [s.provider for s in subs
                   if s.performance_rights is False or s.termination_rights is False]
        silent = [s.provider for s in subs
                  if s.performance_rights is None or s.termination_rights is None]
        if refused:
            return _finding(ctx, path, c, False, "sub-contracts recorded without performance or "
                            f"termination rights: {', '.join(refused)}", sub=sub)
        if silent:
            return _finding(ctx, path, c, False, "performance or termination rights not recorded "
                            f"for sub-contracts with {', '.join(silent)}", sub=sub,
                            evidenced=False)
        return _finding(ctx, path, c, True, f"{len(subs)} sub-contracts with rights", sub=sub)
    return per_collaborative(ctx, judge, none_reason="no arrangement is recorded as a "
                             "lead-provider arrangement the trust leads")


@check_kind("delegated_step_in", NoParams, scope="arrangement")
def delegated_step_in(ctx: Context, params: NoParams) -> Outcome:
    """Each delegated function records how the delegating body can revoke it or step in."""
    def judge(at: YamlPath, c: Collaborative, fn: DelegatedFunction) -> ItemFinding:
        fpath = (*at, "step_in_route")
        label = f"{c.id}/{fn.function}"
        if fn.step_in_route:
            return ItemFinding(True, f"{label}: step-in route recorded",
                               ctx.at(fpath, "step-in"))
        return ItemFinding(False, f"{label}: no revocation or step-in route is "
                           "recorded", ctx.missing(fpath, "no step-in"), False)

    return per_delegated_function(ctx, judge)


class SupportParams(CheckParams):
    serious_segment: dict[OversightFramework, Annotated[int, Field(ge=1, le=5)]]


@check_kind("support_assessment_agreed", SupportParams, scope="arrangement")
def support_assessment_agreed(ctx: Context, params: SupportParams) -> Outcome:
    """Where the trust supports a struggling partner (one in a serious segment, or through
    mutual aid), how its own performance will be judged is agreed with the oversight body."""
    silent = silent_on_arrangements(ctx)
    if silent is not None:
        return silent

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        partners = [p for p in c.partners
                    if p.kind in (None, "nhs_trust", "nhs_foundation_trust")]
        index = {id(p): k for k, p in enumerate(c.partners)}
        serious = [p for p in partners if p.oversight is not None
                   and p.oversight.segment >= params.serious_segment.get(p.oversight.framework, 99)]
        aid = bool(c.contingency and c.contingency.mutual_aid)
        unknown = [p for p in partners if p.oversight is None]
        sub = ("performance", "assessment_agreed_with_oversight_body")
        if not serious and not aid:
            if unknown:
                return _finding(ctx, path, c, False, "whether it supports a struggling partner is "
                                "not known: partner segments not recorded", evidenced=False,
                                sub=("partners", index[id(unknown[0])], "oversight"))
            if not c.partners and (c.contingency is None or c.contingency.mutual_aid is None):
                return _finding(ctx, path, c, False, "whether it supports a struggling partner is "
                                "not known: partners and mutual aid not recorded",
                                evidenced=False, sub=("partners",))
            return _finding(ctx, path, c, None, "supports no struggling partner")
        agreed = c.performance.assessment_agreed_with_oversight_body if c.performance else None
        why = "a partner in a serious segment" if serious else "mutual aid"
        if agreed is None:
            return _finding(ctx, path, c, False, f"{why}; how the trust's own performance will be "
                            "judged is not recorded as agreed", evidenced=False, sub=sub)
        if agreed is False:
            return _finding(ctx, path, c, False, f"{why}; the file records that how the trust's "
                            "own performance will be judged is not agreed", sub=sub)
        return _finding(ctx, path, c, True, f"{why}; assessment agreed with the oversight body",
                        sub=sub)
    return per_collaborative(ctx, judge, none_reason="the trust supports no struggling partner")
