"""Built-in check kinds that know the domain: arrangements, BAF risks, audits, exits.

Each kind looks across the description for one sort of evidence and says what it found
and where. Thresholds (months, shares, counts) are parameters set in the questionnaire.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field

from boardcheck.checks import (
    CheckParams,
    Context,
    ItemFinding,
    aggregate,
    check_kind,
    each_collaborative,
    met,
    months_between,
    nhs_partners,
    not_applicable,
    not_met,
    per_collaborative,
)
from boardcheck.loading import YamlPath
from boardcheck.model import (
    ArrangementType,
    AssuranceLevel,
    Collaborative,
    Footprint,
    OversightFramework,
    Sector,
)
from boardcheck.result import Outcome, Status

Months = Annotated[int, Field(ge=1, le=600)]


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())


def _finding(ctx: Context, path: YamlPath, collab: Collaborative, ok: bool | None, note: str,
             *, evidenced: bool = True, sub: tuple[str | int, ...] = ()) -> ItemFinding:
    return ItemFinding(ok, f"{collab.id}: {note}", ctx.at((*path, *sub), note), evidenced)


# --- strategy alignment ----------------------------------------------------------------


class MembershipParams(CheckParams):
    sectors: Annotated[list[Sector], Field(min_length=1)]
    arrangement_types: Annotated[list[ArrangementType], Field(min_length=1)]


@check_kind("expected_membership", MembershipParams)
def expected_membership(ctx: Context, params: MembershipParams) -> Outcome:
    """Trusts in the listed sectors belong to at least one arrangement of the listed types."""
    org = ctx.trust.organisation
    mandated = sorted(set(org.sectors) & set(params.sectors))
    sectors_at = ctx.at(("organisation", "sectors"), "sectors")
    if not org.sectors:
        return not_met("the organisation's sectors are not given, so the national expectation "
                       "cannot be judged", [sectors_at], evidenced=False)
    if not mandated:
        return not_applicable(f"the trust's sectors ({', '.join(org.sectors)}) are not ones "
                              "expected to join a provider collaborative", [sectors_at])
    hits = [(path, c) for path, c in each_collaborative(ctx)
            if c.type in params.arrangement_types]
    if hits:
        names = ", ".join(c.id for _, c in hits)
        return met(f"member of {len(hits)} qualifying arrangement(s): {names}",
                   [ctx.at((*path, "type"), c.type) for path, c in hits])
    return not_met(f"a {'/'.join(mandated)} trust is expected to belong to at least one provider "
                   "collaborative, and none of the listed arrangements is one", [sectors_at])


class NoParams(CheckParams):
    pass


@check_kind("objectives_linked", NoParams)
def objectives_linked(ctx: Context, params: NoParams) -> Outcome:
    """Every objective of every arrangement names trust strategic objectives that exist."""
    known = {o.id for o in (ctx.trust.strategy.objectives if ctx.trust.strategy else [])}

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            return _finding(ctx, path, c, False, "no objectives stated", evidenced=False)
        unlinked = [o.title for o in c.objectives if not o.trust_objectives]
        unknown = sorted({t for o in c.objectives for t in o.trust_objectives} - known)
        if unlinked:
            return _finding(ctx, path, c, False, f"{len(unlinked)} of {len(c.objectives)} "
                            "objectives link to no trust objective", sub=("objectives",),
                            evidenced=False)
        if unknown:
            return _finding(ctx, path, c, False, "objectives link to trust objective ids not in "
                            f"strategy.objectives: {', '.join(unknown)}", sub=("objectives",))
        return _finding(ctx, path, c, True, f"{len(c.objectives)} objectives linked to trust "
                        "objectives", sub=("objectives",))
    return per_collaborative(ctx, judge)


@check_kind("objectives_measurable", NoParams)
def objectives_measurable(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement's objectives carry a measure, a baseline and a target."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            return _finding(ctx, path, c, False, "no objectives to measure", evidenced=False)
        vague = [o.title for o in c.objectives
                 if not (o.measure and o.baseline and o.target)]
        if vague:
            return _finding(ctx, path, c, False, f"{len(vague)} of {len(c.objectives)} objectives "
                            "lack a measure, baseline or target", sub=("objectives",),
                            evidenced=False)
        return _finding(ctx, path, c, True, "every objective has a measure, baseline and target",
                        sub=("objectives",))
    return per_collaborative(ctx, judge)


@check_kind("objectives_agreed_with_system", NoParams)
def objectives_agreed_with_system(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement's objectives are agreed with the ICB or appear in the joint forward plan."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        if not c.objectives:
            return _finding(ctx, path, c, False, "no objectives to agree", evidenced=False)
        agreed = [o for o in c.objectives if o.agreed_with_icb or o.in_joint_forward_plan]
        if len(agreed) < len(c.objectives):
            return _finding(ctx, path, c, False, f"{len(c.objectives) - len(agreed)} of "
                            f"{len(c.objectives)} objectives not agreed with the ICB or in the "
                            "joint forward plan", sub=("objectives",))
        return _finding(ctx, path, c, True, "objectives agreed with the ICB or in the joint "
                        "forward plan", sub=("objectives",))
    return per_collaborative(ctx, judge)


class CrossBoundaryParams(CheckParams):
    wide_footprints: Annotated[list[Footprint], Field(min_length=1)]


@check_kind("cross_boundary_priorities", CrossBoundaryParams)
def cross_boundary_priorities(ctx: Context, params: CrossBoundaryParams) -> Outcome:
    """Arrangements spanning several ICBs or regions record how conflicting priorities are
    settled."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        spans = (len(c.icbs) > 1 or len(c.regions) > 1
                 or (c.footprint is not None and c.footprint in params.wide_footprints))
        if not spans:
            return _finding(ctx, path, c, None, "within one system")
        process = c.decision_making.conflicts_priorities_process if c.decision_making else None
        if process:
            return _finding(ctx, path, c, True, "records how conflicting priorities are settled",
                            sub=("decision_making", "conflicts_priorities_process"))
        return _finding(ctx, path, c, False, "spans several systems but records no way of "
                        "settling conflicting priorities", evidenced=False)
    return per_collaborative(ctx, judge, none_reason="no arrangement spans more than one ICB "
                             "or region")


# --- proportionate infrastructure ---------------------------------------------------------


@check_kind("form_matches_function", NoParams)
def form_matches_function(ctx: Context, params: NoParams) -> Outcome:
    """Binding decisions rest on a legal basis; committees in common need the trust's own
    committee; an advisory forum takes no binding decisions."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        model = c.governance_model or ""
        cic = c.type == "committees_in_common" or model == "committees_in_common"
        sub = ("decision_making",)
        if dm is None or dm.takes_binding_decisions is None:
            return _finding(ctx, path, c, False, "does not say whether it takes binding "
                            "decisions", evidenced=False)
        if cic and dm.trust_committee_formed is not True:
            return _finding(ctx, path, c, False, "committees in common, but the trust has not "
                            "formed a committee of its own", sub=sub)
        if dm.takes_binding_decisions and model == "advisory_forum":
            return _finding(ctx, path, c, False, "an advisory forum that takes binding "
                            "decisions", sub=sub)
        if dm.takes_binding_decisions and not dm.legal_basis:
            return _finding(ctx, path, c, False, "takes binding decisions with no legal basis "
                            "recorded", sub=sub)
        if c.type == "joint_committee" and not dm.takes_binding_decisions:
            return _finding(ctx, path, c, False, "a joint committee with no decisions delegated "
                            "to it: a lighter form may serve", sub=sub)
        return _finding(ctx, path, c, True, "form is consistent with its decision-making",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ProportionParams(CheckParams):
    max_subgroups_per_objective: Annotated[float, Field(gt=0)]
    max_subgroups: Annotated[int, Field(ge=0)]


@check_kind("proportionate_structure", ProportionParams)
def proportionate_structure(ctx: Context, params: ProportionParams) -> Outcome:
    """The number of subgroups is proportionate to the arrangement's remit."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or dm.subgroups is None:
            return _finding(ctx, path, c, None, "number of subgroups not given")
        allowed = min(params.max_subgroups,
                      int(max(1, len(c.objectives)) * params.max_subgroups_per_objective))
        note = f"{dm.subgroups} subgroups for {len(c.objectives)} objectives"
        sub = ("decision_making", "subgroups")
        if dm.subgroups > allowed:
            return _finding(ctx, path, c, False, f"{note} (more than {allowed}): heavier than "
                            "its remit", sub=sub)
        return _finding(ctx, path, c, True, note, sub=sub)
    return per_collaborative(ctx, judge, none_reason="no arrangement gives its number of "
                             "subgroups")


@check_kind("tor_approved_by_members", NoParams)
def tor_approved_by_members(ctx: Context, params: NoParams) -> Outcome:
    """Terms of reference were approved by the trust board and every NHS partner's board."""
    own = _norm(ctx.trust.organisation.name)

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        tor = c.terms_of_reference
        if tor is None or not tor.approved_by:
            return _finding(ctx, path, c, False, "no record of which boards approved the terms "
                            "of reference", evidenced=False)
        approved = {_norm(n) for n in tor.approved_by}
        missing = [p.name for p in nhs_partners(c) if _norm(p.name) not in approved]
        if own not in approved:
            missing.insert(0, ctx.trust.organisation.name)
        sub = ("terms_of_reference", "approved_by")
        if missing:
            return _finding(ctx, path, c, False, f"not approved by {', '.join(missing)}", sub=sub)
        return _finding(ctx, path, c, True, f"approved by all {len(approved)} member boards",
                        sub=sub)
    return per_collaborative(ctx, judge)


class ReviewParams(CheckParams):
    months: Months


@check_kind("tor_current", ReviewParams)
def tor_current(ctx: Context, params: ReviewParams) -> Outcome:
    """Terms of reference were reviewed (or approved) within N months and are not past their
    review date."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        tor = c.terms_of_reference
        last = (tor.last_reviewed or tor.approved) if tor else None
        if tor is None or last is None:
            return _finding(ctx, path, c, False, "no approval or review date for the terms of "
                            "reference", evidenced=False)
        sub = ("terms_of_reference",)
        if tor.review_due is not None and tor.review_due < ctx.as_of:
            late = months_between(tor.review_due, ctx.as_of)
            return _finding(ctx, path, c, False, f"review was due {tor.review_due.isoformat()}, "
                            f"{late} months overdue", sub=(*sub, "review_due"))
        if ctx.older_than(last, params.months):
            return _finding(ctx, path, c, False, f"last reviewed {last.isoformat()}, "
                            f"{ctx.age_words(last, params.months)}", sub=sub)
        return _finding(ctx, path, c, True, f"reviewed {last.isoformat()}", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("scheme_of_delegation_current", NoParams)
def scheme_of_delegation_current(ctx: Context, params: NoParams) -> Outcome:
    """The trust's scheme of delegation was updated after its newest decision-making
    arrangement was set up."""
    binding = [(p, c) for p, c in each_collaborative(ctx)
               if c.decision_making and c.decision_making.takes_binding_decisions]
    if not binding:
        return not_applicable("no arrangement takes binding decisions")
    oversight = ctx.trust.board_oversight
    updated = oversight.scheme_of_delegation_updated if oversight else None
    at = ctx.at(("board_oversight", "scheme_of_delegation_updated"), "scheme of delegation")
    if updated is None:
        return not_met("no date for the last update of the scheme of delegation", [at],
                       evidenced=False)
    dated = [(c.established, c.id) for _, c in binding if c.established is not None]
    if dated:
        newest, cid = max(dated)
        if updated < newest:
            return not_met(f"updated {updated.isoformat()}, before {cid} was established on "
                           f"{newest.isoformat()}", [at])
    return met(f"updated {updated.isoformat()}", [at])


class AgreementParams(CheckParams):
    topics: Annotated[list[Literal["objectives", "duration", "governance", "finance", "staff",
                                   "exit", "data", "liability", "disputes"]],
                      Field(min_length=1)]


@check_kind("agreement_covers", AgreementParams)
def agreement_covers(ctx: Context, params: AgreementParams) -> Outcome:
    """A signed collaboration agreement or MoU covers the listed topics."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ag = c.collaboration_agreement
        if ag is None or ag.signed is None:
            return _finding(ctx, path, c, False, "no signed collaboration agreement",
                            evidenced=False)
        missing = [t for t in params.topics if t not in ag.covers]
        sub = ("collaboration_agreement",)
        if missing:
            return _finding(ctx, path, c, False, f"agreement does not cover {', '.join(missing)}",
                            sub=sub)
        if ag.expires is not None and ag.expires < ctx.as_of:
            return _finding(ctx, path, c, False, f"agreement expired {ag.expires.isoformat()}",
                            sub=(*sub, "expires"))
        return _finding(ctx, path, c, True, "signed agreement covers the required topics",
                        sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("reporting_line", NoParams)
def reporting_line(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement reports to a named board committee at a stated frequency."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or not dm.reports_to:
            return _finding(ctx, path, c, False, "no reporting line to a trust board committee",
                            evidenced=False)
        if dm.reporting_frequency is None:
            return _finding(ctx, path, c, False, f"reports to {dm.reports_to}, at no stated "
                            "frequency", sub=("decision_making", "reports_to"), evidenced=False)
        return _finding(ctx, path, c, True, f"reports to {dm.reports_to} "
                        f"({dm.reporting_frequency})", sub=("decision_making", "reports_to"))
    return per_collaborative(ctx, judge)


@check_kind("ned_scrutiny", NoParams)
def ned_scrutiny(ctx: Context, params: NoParams) -> Outcome:
    """A board committee with NEDs oversees collaboration, or a NED lead is named."""
    bo = ctx.trust.board_oversight
    at = ctx.at(("board_oversight",), "board oversight")
    if bo is None or not bo.collaboration_committee:
        return not_met("no board committee is named as overseeing collaborative arrangements",
                       [at], evidenced=False)
    if bo.committee_includes_neds or bo.ned_lead_for_collaboration:
        lead = f", NED lead {bo.ned_lead_for_collaboration}" if bo.ned_lead_for_collaboration \
            else ""
        return met(f"{bo.collaboration_committee} oversees collaboration{lead}", [at])
    return not_met(f"{bo.collaboration_committee} oversees collaboration, but no NED membership "
                   "or NED lead is recorded", [at], evidenced=False)


@check_kind("quorum_consistent", NoParams)
def quorum_consistent(ctx: Context, params: NoParams) -> Outcome:
    """The decision-making forum's quorum is more than half, and no more than all, of its
    voting members."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        dm = c.decision_making
        if dm is None or dm.quorum is None or dm.voting_members is None:
            return _finding(ctx, path, c, False, "quorum or voting membership not stated",
                            evidenced=False)
        sub = ("decision_making", "quorum")
        note = f"quorum {dm.quorum} of {dm.voting_members} voting members"
        if dm.quorum > dm.voting_members or dm.quorum * 2 <= dm.voting_members:
            return _finding(ctx, path, c, False, f"{note} is not a majority of the membership",
                            sub=sub)
        return _finding(ctx, path, c, True, note, sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("delegation_agreements", NoParams)
def delegation_agreements(ctx: Context, params: NoParams) -> Outcome:
    """Every delegated ICB function has a signed delegation agreement stating reporting,
    termination notice and retained accountability."""
    findings = []
    for path, c in each_collaborative(ctx):
        for k, fn in enumerate(c.delegated_functions):
            fpath = (*path, "delegated_functions", k)
            ag = fn.agreement
            label = f"{c.id}/{fn.function}"
            if ag is None or ag.signed is None:
                findings.append(ItemFinding(False, f"{label}: no signed delegation agreement",
                                            ctx.at(fpath, "no agreement"), False))
                continue
            missing = [n for n, v in (("reporting", ag.reporting),
                                      ("termination notice", ag.termination_notice_months),
                                      ("retained accountability", ag.retained_accountability))
                       if v is None]
            ok = not missing
            note = "agreement complete" if ok else f"agreement lacks {', '.join(missing)}"
            findings.append(ItemFinding(ok, f"{label}: {note}",
                                        ctx.at((*fpath, "agreement"), note)))
    return aggregate(findings, "delegated functions",
                     none_reason="no ICB functions are delegated")


class GovernorsParams(CheckParams):
    months: Months


@check_kind("governors_involved", GovernorsParams)
def governors_involved(ctx: Context, params: GovernorsParams) -> Outcome:
    """A foundation trust briefed its council of governors on collaboration within N months."""
    org = ctx.trust.organisation
    if org.legal_form != "nhs_foundation_trust":
        return not_applicable("not a foundation trust, so there is no council of governors",
                              [ctx.at(("organisation", "legal_form"), "legal form")])
    cog = org.council_of_governors
    at = ctx.at(("organisation", "council_of_governors"), "council of governors")
    if cog is None or cog.briefed_on_collaboration is None:
        return not_met("no record of briefing the council of governors on collaboration", [at],
                       evidenced=False)
    if ctx.older_than(cog.briefed_on_collaboration, params.months):
        return not_met(f"governors last briefed {cog.briefed_on_collaboration.isoformat()}, "
                       f"{ctx.age_words(cog.briefed_on_collaboration, params.months)}", [at])
    return met(f"governors briefed {cog.briefed_on_collaboration.isoformat()}", [at])


# --- resourcing ---------------------------------------------------------------------------


@check_kind("budget_funded", NoParams)
def budget_funded(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement has a budget with its funding sources stated."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        budget = c.resourcing.budget if c.resourcing else None
        if budget is None or budget.amount_gbp is None:
            return _finding(ctx, path, c, False, "no budget stated", evidenced=False)
        sub = ("resourcing", "budget")
        if not budget.funding_sources:
            return _finding(ctx, path, c, False, f"budget £{budget.amount_gbp:,.0f} with no "
                            "funding sources", sub=sub, evidenced=False)
        return _finding(ctx, path, c, True, f"budget £{budget.amount_gbp:,.0f} from "
                        f"{', '.join(budget.funding_sources)}", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("risk_share_documented", NoParams)
def risk_share_documented(ctx: Context, params: NoParams) -> Outcome:
    """Where an arrangement has a budget, its risk share (and gain share) is documented."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        budget = c.resourcing.budget if c.resourcing else None
        if budget is None or budget.amount_gbp is None:
            return _finding(ctx, path, c, None, "no budget")
        sub = ("resourcing", "budget")
        if not budget.risk_share:
            return _finding(ctx, path, c, False, "no risk share documented", sub=sub,
                            evidenced=False)
        return _finding(ctx, path, c, True, "risk share documented", sub=sub)
    return per_collaborative(ctx, judge, none_reason="no arrangement has a budget")


class CapacityParams(CheckParams):
    min_programme_wte: Annotated[float, Field(ge=0, le=1)]


@check_kind("programme_capacity", CapacityParams)
def programme_capacity(ctx: Context, params: CapacityParams) -> Outcome:
    """A programme lead gives at least the stated time, or a programme office is funded."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        r = c.resourcing
        lead = r.programme_lead if r else None
        if r is not None and r.pmo_wte:
            return _finding(ctx, path, c, True, f"programme office of {r.pmo_wte:g} WTE",
                            sub=("resourcing", "pmo_wte"))
        if lead is None:
            return _finding(ctx, path, c, False, "no programme lead or programme office",
                            evidenced=False)
        sub = ("resourcing", "programme_lead")
        if lead.wte is None:
            return _finding(ctx, path, c, False, f"programme lead {lead.name} with no time "
                            "stated", sub=sub, evidenced=False)
        if lead.wte < params.min_programme_wte:
            return _finding(ctx, path, c, False, f"programme lead {lead.name} gives {lead.wte:g} "
                            f"WTE (less than {params.min_programme_wte:g})", sub=sub)
        return _finding(ctx, path, c, True, f"programme lead {lead.name}, {lead.wte:g} WTE",
                        sub=sub)
    return per_collaborative(ctx, judge)


class MilestoneParams(CheckParams):
    max_overdue_share: Annotated[float, Field(ge=0, le=1)]


@check_kind("milestones_on_track", MilestoneParams)
def milestones_on_track(ctx: Context, params: MilestoneParams) -> Outcome:
    """Milestones have owners and due dates, and few are overdue."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ms = c.resourcing.milestones if c.resourcing else []
        if not ms:
            return _finding(ctx, path, c, False, "no milestones", evidenced=False)
        sub = ("resourcing", "milestones")
        unowned = [m for m in ms if not m.owner or m.due is None]
        overdue = [m for m in ms if m.due is not None and m.due < ctx.as_of
                   and m.status != "complete"]
        if unowned:
            return _finding(ctx, path, c, False, f"{len(unowned)} of {len(ms)} milestones lack "
                            "an owner or due date", sub=sub, evidenced=False)
        share = len(overdue) / len(ms)
        if share > params.max_overdue_share:
            return _finding(ctx, path, c, False, f"{len(overdue)} of {len(ms)} milestones "
                            f"overdue ({share:.0%}, limit {params.max_overdue_share:.0%})",
                            sub=sub)
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
        return not_applicable("no executive leads are named")
    counts = Counter(_norm(name) for _, name in leads)
    over = sorted(name for _, name in leads if counts[_norm(name)] > params.max_lead_roles)
    evidence = [ctx.at((*path, "resourcing", "executive_lead"), name) for path, name in leads]
    if over:
        name = over[0]
        return not_met(f"{name} leads {counts[_norm(name)]} arrangements (limit "
                       f"{params.max_lead_roles}): a capacity risk", evidence)
    return met(f"{len(counts)} executive lead(s), none over {params.max_lead_roles} "
               "arrangements", evidence)


@check_kind("delegation_resourced", NoParams)
def delegation_resourced(ctx: Context, params: NoParams) -> Outcome:
    """Delegated ICB functions came with budget, and with staff or commissioning expertise."""
    findings = []
    for path, c in each_collaborative(ctx):
        for k, fn in enumerate(c.delegated_functions):
            at = (*path, "delegated_functions", k)
            label = f"{c.id}/{fn.function}"
            if not fn.budget_transferred_gbp:  # None or £0: no money came with it
                findings.append(ItemFinding(False, f"{label}: no budget transferred with it",
                                            ctx.at(at, "no budget"), False))
            elif not (fn.staff_transferred_wte or fn.commissioning_expertise):
                findings.append(ItemFinding(False, f"{label}: no staff or commissioning "
                                            "expertise came with it", ctx.at(at, "no staff")))
            else:
                findings.append(ItemFinding(True, f"{label}: resourced",
                                            ctx.at(at, "resourced")))
    return aggregate(findings, "delegated functions",
                     none_reason="no ICB functions are delegated")


# --- risk management ---------------------------------------------------------------------


@check_kind("baf_covers_collaboratives", NoParams)
def baf_covers_collaboratives(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement is named by at least one risk on the board assurance framework."""
    baf = ctx.trust.board_assurance_framework
    risks = baf.risks if baf else []

    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        linked = [r.id for r in risks if c.id in r.collaboratives]
        if linked:
            return _finding(ctx, path, c, True, f"on the BAF as {', '.join(linked)}")
        return _finding(ctx, path, c, False, "no BAF risk names this arrangement",
                        evidenced=False)
    return per_collaborative(ctx, judge)


def _collaborative_risks(ctx: Context) -> list[tuple[YamlPath, object]]:
    baf = ctx.trust.board_assurance_framework
    if baf is None:
        return []
    return [(("board_assurance_framework", "risks", i), r) for i, r in enumerate(baf.risks)
            if r.collaboratives]


@check_kind("baf_risks_complete", NoParams)
def baf_risks_complete(ctx: Context, params: NoParams) -> Outcome:
    """Each collaborative BAF risk has an executive owner, a known linked objective, controls,
    assurances and recorded gaps."""
    known = {o.id for o in (ctx.trust.strategy.objectives if ctx.trust.strategy else [])}
    baf = ctx.trust.board_assurance_framework
    findings = []
    for i, r in enumerate(baf.risks if baf else []):
        if not r.collaboratives:
            continue
        path = ("board_assurance_framework", "risks", i)
        missing = [n for n, v in (("owner", r.owner), ("objective", r.objective),
                                  ("controls", r.controls), ("assurances", r.assurances),
                                  ("gaps", r.gaps)) if not v]
        if r.objective and r.objective not in known:
            missing.append(f"a known objective ({r.objective!r} is not in strategy.objectives)")
        note = "complete" if not missing else f"lacks {', '.join(missing)}"
        findings.append(ItemFinding(not missing, f"{r.id}: {note}", ctx.at(path, note),
                                    evidenced=False))
    return aggregate(findings, "collaborative BAF risks",
                     none_reason="no BAF risk is linked to an arrangement")


class ScoreParams(CheckParams):
    max_score: Annotated[int, Field(ge=1)]


@check_kind("baf_scores", ScoreParams)
def baf_scores(ctx: Context, params: ScoreParams) -> Outcome:
    """Collaborative BAF risks are scored likelihood × consequence with a target no higher
    than the current score."""
    baf = ctx.trust.board_assurance_framework
    findings = []
    for i, r in enumerate(baf.risks if baf else []):
        if not r.collaboratives:
            continue
        path = ("board_assurance_framework", "risks", i)
        if r.score is None:
            findings.append(ItemFinding(False, f"{r.id}: not scored", ctx.at(path, "no score"),
                                        False))
        elif r.target_score is None:
            findings.append(ItemFinding(False, f"{r.id}: score {r.score} with no target",
                                        ctx.at(path, "no target"), False))
        elif r.score > params.max_score:
            findings.append(ItemFinding(False, f"{r.id}: score {r.score} is above the scale's "
                                        f"maximum of {params.max_score}", ctx.at(path, "score")))
        elif r.target_score > r.score:
            findings.append(ItemFinding(False, f"{r.id}: target {r.target_score} is above the "
                                        f"current score {r.score}", ctx.at(path, "target")))
        else:
            findings.append(ItemFinding(True, f"{r.id}: score {r.score}, target "
                                        f"{r.target_score}", ctx.at(path, "scored")))
    return aggregate(findings, "collaborative BAF risks",
                     none_reason="no BAF risk is linked to an arrangement")


@check_kind("collaborative_risk_register", NoParams)
def collaborative_risk_register(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement keeps its own risk register with an escalation threshold to member
    boards."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        rr = c.risk_register
        if rr is None or rr.kept is not True:
            return _finding(ctx, path, c, False, "no risk register of its own", evidenced=False)
        if rr.escalation_threshold is None:
            return _finding(ctx, path, c, False, "risk register without an escalation "
                            "threshold", sub=("risk_register",), evidenced=False)
        return _finding(ctx, path, c, True, "risk register escalates at score "
                        f"{rr.escalation_threshold}", sub=("risk_register",))
    return per_collaborative(ctx, judge)


class LiabilityParams(CheckParams):
    shared_types: Annotated[list[ArrangementType], Field(min_length=1)]


@check_kind("liability_recorded", LiabilityParams)
def liability_recorded(ctx: Context, params: LiabilityParams) -> Outcome:
    """Where decisions are shared (binding decisions, or a shared-decision form), a liability
    position is recorded."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        binding = bool(c.decision_making and c.decision_making.takes_binding_decisions)
        if not binding and c.type not in params.shared_types:
            return _finding(ctx, path, c, None, "decisions are not shared")
        if c.liability is None or not c.liability.position:
            return _finding(ctx, path, c, False, "shares decisions but records no liability "
                            "position", evidenced=False)
        return _finding(ctx, path, c, True, "liability position recorded", sub=("liability",))
    return per_collaborative(ctx, judge, none_reason="no arrangement shares decisions")


class AuditParams(CheckParams):
    months: Months
    adverse: Annotated[list[AssuranceLevel], Field(min_length=1)]


@check_kind("internal_audit", AuditParams)
def internal_audit(ctx: Context, params: AuditParams) -> Outcome:
    """Internal audit reviewed partnership governance within N months, without an adverse
    opinion."""
    bo = ctx.trust.board_oversight
    audits = bo.internal_audits if bo else []
    if not audits:
        return not_met("no internal audit of partnership governance is recorded",
                       [ctx.at(("board_oversight",), "internal audits")], evidenced=False)
    i, latest = max(enumerate(audits), key=lambda pair: pair[1].date)
    at = ctx.at(("board_oversight", "internal_audits", i), latest.assurance)

    label = latest.assurance.replace("_", " ")
    if latest.assurance in params.adverse:
        return not_met(f"latest review ({latest.date.isoformat()}) gave {label} assurance", [at])
    if ctx.older_than(latest.date, params.months):
        return not_met(f"latest review was {latest.date.isoformat()}, "
                       f"{ctx.age_words(latest.date, params.months)}", [at])
    return met(f"{label} assurance on {latest.date.isoformat()}", [at])


class MaturityParams(CheckParams):
    months: Months


@check_kind("maturity_assessed", MaturityParams)
def maturity_assessed(ctx: Context, params: MaturityParams) -> Outcome:
    """A maturity self-assessment within N months records current and target levels."""
    bo = ctx.trust.board_oversight
    ma = bo.maturity_assessment if bo else None
    at = ctx.at(("board_oversight", "maturity_assessment"), "maturity assessment")
    if ma is None or ma.assessed is None or ma.current_level is None or ma.target_level is None:
        return not_met("no dated maturity self-assessment with current and target levels",
                       [at], evidenced=False)
    if ctx.older_than(ma.assessed, params.months):
        return not_met(f"assessed {ma.assessed.isoformat()}, "
                       f"{ctx.age_words(ma.assessed, params.months)}", [at])
    return met(f"level {ma.current_level} now, target {ma.target_level} "
               f"({ma.assessed.isoformat()})", [at])


# --- performance fallback ----------------------------------------------------------------


class ExitParams(CheckParams):
    min_notice_months: Annotated[int, Field(ge=0)]
    require: list[Literal["staff", "assets", "data"]]


@check_kind("exit_provisions", ExitParams)
def exit_provisions(ctx: Context, params: ExitParams) -> Outcome:
    """Exit provisions give a notice period and provide for staff, assets and data."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        ex = c.exit
        if ex is None or ex.notice_months is None:
            return _finding(ctx, path, c, False, "no exit provisions", evidenced=False)
        missing = [k for k in params.require if getattr(ex, k) is not True]
        sub = ("exit",)
        if ex.notice_months < params.min_notice_months:
            return _finding(ctx, path, c, False, f"{ex.notice_months} months' notice (less than "
                            f"{params.min_notice_months})", sub=sub)
        if missing:
            return _finding(ctx, path, c, False, f"exit does not provide for "
                            f"{', '.join(missing)}", sub=sub)
        return _finding(ctx, path, c, True, f"{ex.notice_months} months' notice", sub=sub)
    return per_collaborative(ctx, judge)


class DisputeParams(CheckParams):
    min_stages: Annotated[int, Field(ge=1)]


@check_kind("dispute_resolution", DisputeParams)
def dispute_resolution(ctx: Context, params: DisputeParams) -> Outcome:
    """Disputes go through at least N escalating stages."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        stages = c.dispute_resolution.stages if c.dispute_resolution else []
        if not stages:
            return _finding(ctx, path, c, False, "no dispute resolution", evidenced=False)
        sub = ("dispute_resolution", "stages")
        if len(stages) < params.min_stages:
            return _finding(ctx, path, c, False, f"{len(stages)} stage(s) (fewer than "
                            f"{params.min_stages})", sub=sub)
        return _finding(ctx, path, c, True, f"{len(stages)} stages", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("kpi_triggers", NoParams)
def kpi_triggers(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement reports KPIs, each with a trigger threshold and a reporting frequency."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        kpis = c.performance.kpis if c.performance else []
        if not kpis:
            return _finding(ctx, path, c, False, "no KPIs reported to the board", evidenced=False)
        sub = ("performance", "kpis")
        weak = [k.name for k in kpis if not k.trigger or k.reporting_frequency is None]
        if weak:
            return _finding(ctx, path, c, False, f"{len(weak)} of {len(kpis)} KPIs lack a "
                            "trigger or reporting frequency", sub=sub, evidenced=False)
        return _finding(ctx, path, c, True, f"{len(kpis)} KPIs with triggers", sub=sub)
    return per_collaborative(ctx, judge)


@check_kind("segments_recorded", NoParams)
def segments_recorded(ctx: Context, params: NoParams) -> Outcome:
    """The oversight segment is recorded for the trust and for each NHS trust partner."""
    missing = []
    evidence = []
    if ctx.trust.organisation.oversight is None:
        missing.append("the trust itself")
    evidence.append(ctx.at(("organisation", "oversight"), "trust segment"))
    total = 1
    for path, c in each_collaborative(ctx):
        for k, p in enumerate(c.partners):
            if p.kind not in (None, "nhs_trust", "nhs_foundation_trust"):
                continue
            total += 1
            if p.oversight is None:
                missing.append(p.name)
                evidence.append(ctx.at((*path, "partners", k), "no segment"))
    if not missing:
        return met(f"segments recorded for the trust and {total - 1} NHS partner(s)", evidence)
    status: Status = "not_met" if len(missing) == total else "partly_met"
    return Outcome(status, f"no oversight segment for {', '.join(sorted(set(missing)))}",
                   tuple(evidence), evidenced=False)


class StrugglingParams(CheckParams):
    serious_segment: dict[OversightFramework, Annotated[int, Field(ge=1, le=5)]]


@check_kind("struggling_partner_mitigated", StrugglingParams)
def struggling_partner_mitigated(ctx: Context, params: StrugglingParams) -> Outcome:
    """A partner in a serious oversight segment is covered by a BAF risk and a contingency
    plan (mutual aid or step-in)."""
    baf = ctx.trust.board_assurance_framework
    risks = baf.risks if baf else []
    findings = []
    for path, c in each_collaborative(ctx):
        for k, p in enumerate(c.partners):
            seg = p.oversight
            if seg is None or seg.segment < params.serious_segment.get(seg.framework, 99):
                continue
            at = ctx.at((*path, "partners", k, "oversight"), f"segment {seg.segment}")
            label = f"{c.id}/{p.name} (segment {seg.segment}, {seg.framework})"
            has_risk = any(c.id in r.collaboratives for r in risks)
            cont = c.contingency
            has_plan = bool(cont and (cont.plan or cont.mutual_aid or cont.step_in))
            lacking = [n for n, ok in (("a BAF risk", has_risk), ("a contingency plan", has_plan))
                       if not ok]
            note = "covered" if not lacking else f"lacks {' and '.join(lacking)}"
            findings.append(ItemFinding(not lacking, f"{label}: {note}", at))
    return aggregate(findings, "partners in serious segments",
                     none_reason="no partner is in a serious oversight segment")


@check_kind("contingency_planned", NoParams)
def contingency_planned(ctx: Context, params: NoParams) -> Outcome:
    """Each arrangement records a contingency: mutual aid, step-in rights or a plan."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        cont = c.contingency
        if cont is None or not (cont.plan or cont.mutual_aid or cont.step_in):
            return _finding(ctx, path, c, False, "no contingency, mutual aid or step-in "
                            "arrangement", evidenced=False)
        parts = [n for n, v in (("plan", cont.plan), ("mutual aid", cont.mutual_aid),
                                ("step-in", cont.step_in)) if v]
        return _finding(ctx, path, c, True, ", ".join(parts), sub=("contingency",))
    return per_collaborative(ctx, judge)


@check_kind("subcontract_rights", NoParams)
def subcontract_rights(ctx: Context, params: NoParams) -> Outcome:
    """Where the trust is lead provider, its sub-contracts hold performance and termination
    rights."""
    def judge(path: YamlPath, c: Collaborative) -> ItemFinding:
        is_lead = c.trust_role == "lead" and (c.governance_model == "lead_provider"
                                              or c.type == "lead_provider_contract")
        if not is_lead:
            return _finding(ctx, path, c, None, "the trust is not lead provider")
        subs = c.performance.sub_contracts if c.performance else []
        if not subs:
            return _finding(ctx, path, c, False, "lead provider with no sub-contracts recorded",
                            evidenced=False)
        weak = [s.provider for s in subs
                if not (s.performance_rights and s.termination_rights)]
        sub = ("performance", "sub_contracts")
        if weak:
            return _finding(ctx, path, c, False, f"sub-contracts without performance and "
                            f"termination rights: {', '.join(weak)}", sub=sub)
        return _finding(ctx, path, c, True, f"{len(subs)} sub-contracts with rights", sub=sub)
    return per_collaborative(ctx, judge, none_reason="the trust is lead provider for no "
                             "arrangement")


@check_kind("delegated_step_in", NoParams)
def delegated_step_in(ctx: Context, params: NoParams) -> Outcome:
    """Each delegated ICB function records how the ICB can revoke it or step in."""
    findings = []
    for path, c in each_collaborative(ctx):
        for k, fn in enumerate(c.delegated_functions):
            at = ctx.at((*path, "delegated_functions", k), fn.function)
            ok = bool(fn.step_in_route)
            note = "step-in route recorded" if ok else "no revocation or step-in route"
            findings.append(ItemFinding(ok, f"{c.id}/{fn.function}: {note}", at, False))
    return aggregate(findings, "delegated functions",
                     none_reason="no ICB functions are delegated")

