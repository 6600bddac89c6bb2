"""The trust description schema (version 1): what a trust writes in its YAML file.

Every model is frozen and forbids unknown keys, and is strict about types, so that a
YAML 1.1 surprise (`name: no` read as false, `code: 2024-01-01` read as a date) is an
error with a position rather than a silently wrong score. Almost every field is
optional: missing evidence is a finding for the questionnaire, not a schema error.
"""

# No `from __future__ import annotations` here: pydantic would have to evaluate every field's
# annotation from its text, compiling each one, which is a sixth of this module's import
# time and so of a one-file check's start-up. The models are defined before they are used.
import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1


def _to_exact_date(value: Any) -> Any:
    """A date that must be exact (the as-of date): no month-only form."""
    return _to_date(value, month_allowed=False)


def _to_date(value: Any, *, month_allowed: bool = True) -> Any:
    """Accept a YAML date or a quoted ISO date; refuse a date-time, which hides a typo."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError(
            "date_with_time", "expected a date (YYYY-MM-DD) without a time, found {value}",
            {"value": value.isoformat(sep=" ")},
        )
    if isinstance(value, str):
        text = value.strip()
        month = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text) if month_allowed else None
        if month:
            # Known only to the month: read as its first day, the earliest it can be, so a
            # review is never taken as more recent than it was.
            try:
                return dt.date(int(month.group(1)), int(month.group(2)), 1)
            except ValueError as exc:
                raise PydanticCustomError(
                    "date_impossible", "{value} is not a valid month ({reason})",
                    {"value": text, "reason": str(exc)}) from None
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        if match:
            # Shaped like a date but impossible (2024-02-30): say what is wrong with it.
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError as exc:
                raise PydanticCustomError(
                    "date_impossible", "{value} is not a valid date ({reason})",
                    {"value": text, "reason": str(exc)}) from None
        raise PydanticCustomError(
            "date_text", "expected a date written as YYYY-MM-DD"
            + (" (or YYYY-MM when only the month is known)" if month_allowed else "")
            + ", found {value}", {"value": _shown(value)})
    return value


def _shown(value: str) -> str:
    # repr() shows line breaks and escapes as text: the message stays on one line.
    text = repr(value)
    return text if len(text) <= 60 else text[:55] + "…" + text[-4:]


def _exactly_one(value: Any) -> Any:
    """Schema version 1 means the integer 1: not 1.0, and not true (which equals 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError("schema_version", "expected the number 1, found the boolean "
                                  "{value}", {"value": str(value).lower()})
    if isinstance(value, float):
        raise PydanticCustomError("schema_version", "{value} is not allowed; expected 1",
                                  {"value": str(value)})
    return value


# A collaborative's shared code, the one identifier every member quotes for the same
# arrangement: the ODS code of the host or lead organisation, a hyphen, and a short name in
# capitals (RX1-EMCANCER). Members write their own names for a collaborative; a batch
# matches their submissions on this code, and only failing it on name and partners.
COLLABORATIVE_CODE_PATTERN = r"^[A-Z0-9]{3,6}-[A-Z0-9]+(-[A-Z0-9]+)*$"
COLLABORATIVE_CODE_MAX = 40


def _collaborative_code(value: Any) -> Any:
    """Refuse a code that is not in the documented shape, saying what the shape is and, where
    only the case or the separators are wrong, what it would be."""
    if not isinstance(value, str):
        return value  # strict typing reports a number or a date, with YAML's reading of it
    if len(value) <= COLLABORATIVE_CODE_MAX and re.fullmatch(COLLABORATIVE_CODE_PATTERN, value):
        return value
    fixed = "-".join(part for part in re.split(r"[\s_-]+", value.strip().upper()) if part)
    hint = (f"; did you mean {fixed!r}?" if fixed != value and len(fixed) <= COLLABORATIVE_CODE_MAX
            and re.fullmatch(COLLABORATIVE_CODE_PATTERN, fixed) else "")
    raise PydanticCustomError(
        "collaborative_code", "{value} is not a collaborative code: expected the host or lead "
        "organisation's ODS code (3 to 6 capital letters or digits), a hyphen and a short "
        "name in capitals, digits and hyphens, at most {limit} characters in all, for example "
        "RX1-EMCANCER{hint}", {"value": _shown(value), "limit": COLLABORATIVE_CODE_MAX,
                               "hint": hint})


# The Field first, so that the JSON schema shows the pattern; the validator runs first all
# the same, so a bad code gets its message rather than pydantic's.
CollaborativeCode = Annotated[
    str, Field(pattern=COLLABORATIVE_CODE_PATTERN, max_length=COLLABORATIVE_CODE_MAX),
    BeforeValidator(_collaborative_code)]
Date = Annotated[dt.date, BeforeValidator(_to_date)]
ExactDate = Annotated[dt.date, BeforeValidator(_to_exact_date)]
Text = Annotated[str, Field(min_length=1)]
Score1to5 = Annotated[int, Field(ge=1, le=5)]

Sector = Literal["acute", "mental_health", "community", "ambulance", "specialist"]
LegalForm = Literal["nhs_trust", "nhs_foundation_trust"]
Region = Literal[
    "north_east_and_yorkshire", "north_west", "midlands", "east_of_england",
    "london", "south_east", "south_west",
]
ArrangementType = Literal[
    "provider_collaborative", "specialised_mhlda_collaborative", "place_based_partnership",
    "joint_committee", "committees_in_common", "lead_provider_contract",
    "delegated_icb_function", "joint_venture", "group_model", "network_or_alliance",
]
GovernanceModel = Literal[
    "lead_provider", "shared_leadership", "provider_leadership_board",
    "joint_committee", "committees_in_common", "advisory_forum",
]
TrustRole = Literal["lead", "host", "member"]
Footprint = Literal["neighbourhood", "place", "system", "multi_system", "regional", "national"]
OversightFramework = Literal["nof_2021", "nof_2025"]
Frequency = Literal["monthly", "bimonthly", "quarterly", "six_monthly", "annually"]
RiskAppetite = Literal["averse", "minimal", "cautious", "open", "seek", "mature"]
CqcRating = Literal["outstanding", "good", "requires_improvement", "inadequate"]
AssuranceLevel = Literal["substantial", "reasonable", "limited", "no_assurance"]
MilestoneStatus = Literal["not_started", "on_track", "at_risk", "complete"]

# Auditors word their opinions differently; these map to the four-level scale.
ASSURANCE_ALIASES: dict[str, AssuranceLevel] = {
    "substantial": "substantial", "significant": "substantial", "full": "substantial",
    "high": "substantial", "reasonable": "reasonable", "moderate": "reasonable",
    "adequate": "reasonable", "satisfactory": "reasonable", "limited": "limited",
    "partial": "limited", "no_assurance": "no_assurance", "no": "no_assurance",
    "none": "no_assurance", "nil": "no_assurance", "unsatisfactory": "no_assurance",
}


def _assurance(value: Any) -> Any:
    if isinstance(value, str):
        return ASSURANCE_ALIASES.get(value.strip().lower().replace(" ", "_"), value)
    return value


Assurance = Annotated[AssuranceLevel, BeforeValidator(_assurance)]


class Record(BaseModel):
    """Base for every part of the description: frozen, strict, no unknown keys."""

    # allow_inf_nan=False: `.inf` and `.nan` are valid YAML floats but never valid amounts.
    # defer_build: only the models validated directly (TrustDescription, Waiver in the
    # configuration) need a validator of their own; building one for each of ~70 nested
    # models at import cost start-up time for nothing.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False,
                              defer_build=True)


class OversightSegment(Record):
    """A segment in NHS England's oversight framework, with the framework it belongs to."""

    segment: Annotated[int, Field(ge=1, le=5)] = Field(
        description="Segment number: 1–4 under nof_2021 (4 = Recovery Support Programme); "
        "1–5 under nof_2025 (5 = intensive support)."
    )
    framework: OversightFramework = Field(
        description="Which oversight framework the segment is from."
    )
    since: Date | None = Field(None, description="Date the segment was assigned.")


class CouncilOfGovernors(Record):
    """How a foundation trust involves its council of governors in collaboration."""

    briefed_on_collaboration: Date | None = Field(
        None,
        description="When governors were last briefed on the trust's collaborative arrangements.",
    )
    holds_neds_to_account_for_collaboration: bool | None = Field(
        None, description="Governors' role in holding NEDs to account covers collaborative working."
    )
    significant_transaction_approved: Date | None = Field(
        None, description="When governors approved a significant transaction arising from "
        "collaboration (for example taking on a large lead-provider contract).",
    )


class SharedLeadership(Record):
    """Posts the trust shares with other trusts (group models)."""

    posts: list[Literal["chair", "chief_executive"]] = Field(
        default_factory=list, description="Posts held jointly with other trusts."
    )
    shared_with: list[Text] = Field(default_factory=list, description="The other trusts.")
    conflicts_protocol: Text | None = Field(
        None, description="How a shared chair or chief executive handles a decision where the "
        "trusts' interests differ.",
    )


class Organisation(Record):
    """The trust itself."""

    name: Text = Field(description="The trust's full name.")
    ods_code: Text | None = Field(None, description="ODS organisation code, e.g. R1X.")
    legal_form: LegalForm | None = Field(None, description="nhs_trust or nhs_foundation_trust.")
    sectors: list[Sector] = Field(default_factory=list, description="Sectors the trust serves.")
    belongs_to_provider_collaborative: bool | None = Field(
        None, description="Whether the trust belongs to at least one provider collaborative, "
        "described in this file or not; false states that it belongs to none.",
    )
    icbs: list[Text] = Field(
        default_factory=list, description="ICB names or ODS codes (free text)."
    )
    region: Region | None = Field(None, description="NHS England region.")
    oversight: OversightSegment | None = Field(None, description="The trust's oversight segment.")
    cqc_rating: CqcRating | None = Field(None, description="Latest overall CQC rating.")
    council_of_governors: CouncilOfGovernors | None = Field(
        None, description="Foundation trusts only: governors' involvement."
    )
    shared_leadership: SharedLeadership | None = Field(
        None, description="A chair or chief executive shared with other trusts."
    )


class StrategicObjective(Record):
    """One of the trust's own strategic objectives."""

    id: Text = Field(description="Short id that collaborative objectives and BAF risks link to.")
    title: Text = Field(description="The objective in a line.")


class Strategy(Record):
    """The trust's strategy and the board's review of its fit with collaboratives."""

    objectives: list[StrategicObjective] = Field(default_factory=list)
    alignment_last_reviewed: Date | None = Field(
        None, description="When the board last reviewed alignment with its collaboratives."
    )
    joint_forward_plan_referenced: bool | None = Field(
        None, description="The strategy refers to the ICB joint forward plan."
    )
    icb_conflicts_process: Text | None = Field(
        None, description="How the trust settles conflicting asks from the several ICBs it "
        "serves.",
    )


class InternalAudit(Record):
    """An internal-audit review of partnership or collaborative governance."""

    title: Text
    date: Date
    assurance: Assurance = Field(
        description="substantial, reasonable, limited or no_assurance (common aliases accepted)."
    )
    open_actions: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Audit actions not yet closed."
    )
    overdue_actions: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Of the open actions, those past their agreed date."
    )
    collaboratives: list[Text] = Field(
        default_factory=list, description="Ids of the arrangements the audit covered."
    )


class MaturityAssessment(Record):
    """A self-assessment of the maturity of collaborative risk management."""

    assessed: Date | None = None
    current_level: Score1to5 | None = None
    target_level: Score1to5 | None = None
    tool: Text | None = Field(None, description="The framework or tool used.")


class BoardOversight(Record):
    """How the board keeps its line of sight to collaborative decisions."""

    collaboration_committee: Text | None = Field(
        None, description="The board committee that oversees collaborative arrangements."
    )
    committee_includes_neds: bool | None = None
    ned_lead_for_collaboration: Text | None = Field(None, description="The named NED lead.")
    collaboration_reports_per_year: Annotated[int, Field(ge=0)] | None = Field(
        None, description="How often the board receives a report on its collaboratives."
    )
    scheme_of_delegation_updated: Date | None = Field(
        None,
        description="When the trust's scheme of delegation was last updated for collaboration.",
    )
    internal_audits: list[InternalAudit] = Field(default_factory=list)
    maturity_assessment: MaturityAssessment | None = None


class BafRisk(Record):
    """A principal risk on the board assurance framework."""

    id: Text
    title: Text
    owner: Text | None = Field(None, description="Executive owner.")
    objective: Text | None = Field(None, description="Id of the strategic objective at risk.")
    collaboratives: list[Text] = Field(
        default_factory=list, description="Ids of the arrangements this risk concerns."
    )
    likelihood: Score1to5 | None = None
    consequence: Score1to5 | None = None
    target_likelihood: Score1to5 | None = None
    target_consequence: Score1to5 | None = None
    appetite: RiskAppetite | None = None
    controls: list[Text] = Field(default_factory=list)
    assurances: list[Text] = Field(default_factory=list)
    gaps: list[Text] = Field(default_factory=list)
    last_reviewed: Date | None = None
    generic: bool | None = Field(
        None, description="A generic risk (for example 'system working') rather than one "
        "specific to the arrangements it names.",
    )

    @property
    def score(self) -> int | None:
        """Current score, likelihood × consequence (1–25)."""
        if self.likelihood is None or self.consequence is None:
            return None
        return self.likelihood * self.consequence

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None or self.target_consequence is None:
            return None
        return self.target_likelihood * self.target_consequence


class BoardAssuranceFramework(Record):
    """The trust's board assurance framework (BAF)."""

    last_reviewed: Date | None = None
    risks: list[BafRisk] = Field(default_factory=list)


class Partner(Record):
    """Another organisation in the arrangement."""

    name: Text
    ods_code: Text | None = None
    kind: Literal["nhs_trust", "nhs_foundation_trust", "icb", "local_authority", "primary_care",
                  "voluntary_sector", "independent_sector", "other"] | None = None
    oversight: OversightSegment | None = None


class CollaborativeObjective(Record):
    """An objective of the arrangement, linked to the trust's own objectives."""

    id: Text | None = None
    title: Text
    trust_objectives: list[Text] = Field(
        default_factory=list, description="Ids from strategy.objectives this serves."
    )
    agreed_with_icb: bool | None = None
    in_joint_forward_plan: bool | None = None
    measure: Text | None = None
    baseline: Text | None = None
    target: Text | None = None


class TermsOfReference(Record):
    """Terms of reference of the arrangement's decision-making forum."""

    exists: bool | None = Field(None, description="Terms of reference exist.")
    details_held: bool | None = Field(
        None, description="false: they exist but their details are not held in this file."
    )
    approved: Date | None = None
    approved_by: list[Text] = Field(
        default_factory=list, description="Boards (organisations) that approved them."
    )
    review_due: Date | None = None
    last_reviewed: Date | None = None


class Chair(Record):
    """Who chairs a forum."""

    kind: Literal["trust", "partner", "independent", "rotating"] | None = Field(
        None, description="This trust, a partner, an independent chair, or rotating."
    )
    organisation: Text | None = Field(None, description="The chair's organisation.")


class DecisionMaking(Record):
    """How decisions are taken and reported back to the trust board."""

    forum: Text | None = Field(None, description="Name of the decision-making forum.")
    takes_binding_decisions: bool | None = None
    legal_basis: Text | None = Field(
        None, description="e.g. 'joint committee under s65Z5 NHS Act 2006'."
    )
    trust_committee_formed: bool | None = Field(
        None, description="Committees in common: the trust formed its own committee."
    )
    quorum: Annotated[int, Field(ge=1)] | None = None
    voting_members: Annotated[int, Field(ge=1)] | None = None
    subgroups: Annotated[int, Field(ge=0)] | None = None
    reports_to: Text | None = Field(None, description="Trust board committee it reports to.")
    reporting_frequency: Frequency | None = None
    ned_member: bool | None = Field(None, description="A trust NED sits on or observes the forum.")
    conflicts_priorities_process: Text | None = Field(
        None, description="How conflicting priorities across ICBs or regions are settled."
    )
    chair: Chair | None = Field(None, description="Who chairs the decision-making forum.")



class Delegation(Record):
    """Reserved matters and delegated limits."""

    reserved_matters: list[Text] = Field(default_factory=list)
    delegated_limits: list[Text] = Field(default_factory=list)
    financial_limit_gbp: Annotated[float, Field(ge=0)] | None = None


class CollaborationAgreement(Record):
    """The collaboration agreement or memorandum of understanding."""

    kind: Literal["collaboration_agreement", "memorandum_of_understanding", "contract",
                  "joint_venture_agreement"] | None = None
    exists: bool | None = Field(None, description="An agreement exists.")
    details_held: bool | None = Field(
        None, description="false: it exists but its details are not held in this file."
    )
    signed: Date | None = None
    expires: Date | None = None
    covers: list[Literal["objectives", "duration", "governance", "finance", "staff",
                         "exit", "data", "liability", "disputes"]] = Field(default_factory=list)


class ConflictsOfInterest(Record):
    """The arrangement's conflicts-of-interest register."""

    register_kept: bool | None = None
    last_reviewed: Date | None = None


class DelegationAgreement(Record):
    """The agreement under which a function is delegated."""

    exists: bool | None = Field(None, description="An agreement exists.")
    details_held: bool | None = Field(
        None, description="false: it exists but its details are not held in this file."
    )
    signed: Date | None = None
    review_due: Date | None = None
    reporting: Text | None = None
    termination_notice_months: Annotated[int, Field(ge=0)] | None = None
    retained_accountability: Text | None = None


class DelegatedFunction(Record):
    """A function delegated to the arrangement (or the trust on its behalf) by an ICB, NHS
    England or a local authority."""

    function: Text
    from_icb: Text | None = Field(None, description="The delegating ICB (schema 1's field).")
    from_kind: Literal["icb", "nhs_england", "local_authority"] | None = Field(
        None, description="Who delegates it; absent with from_icb given means an ICB."
    )
    from_body: Text | None = Field(None, description="The delegating body's name.")
    commissions_own_services: bool | None = Field(
        None, description="The trust commissions services it also provides under this function."
    )
    provider_conflict_arrangements: Text | None = Field(
        None, description="How the conflict of commissioning its own services is managed."
    )
    agreement: DelegationAgreement | None = None
    budget_transferred_gbp: Annotated[float, Field(ge=0)] | None = None
    staff_transferred_wte: Annotated[float, Field(ge=0)] | None = None
    commissioning_expertise: bool | None = None
    step_in_route: Text | None = Field(None, description="How the ICB can revoke or step in.")


class Budget(Record):
    """The arrangement's budget."""

    amount_gbp: Annotated[float, Field(ge=0)] | None = Field(
        None, description="The arrangement's own (running-cost) budget."
    )
    commissioning_gbp: Annotated[float, Field(ge=0)] | None = Field(
        None, description="Commissioning budget under the arrangement's management."
    )
    year: Text | None = Field(None, description="Financial year, e.g. '2026/27'.")
    funding_sources: list[Literal["member_contributions", "icb", "host", "national",
                                  "charitable", "other"]] = Field(default_factory=list)
    risk_share: Text | None = None
    gain_share: Text | None = None


class Lead(Record):
    """A named lead and the time they give."""

    name: Text
    role: Text | None = None
    wte: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="Whole-time equivalent given to the arrangement (0–1)."
    )


class Milestone(Record):
    """A dated milestone in the arrangement's programme."""

    title: Text
    owner: Text | None = None
    due: Date | None = None
    status: MilestoneStatus | None = None


class Resourcing(Record):
    """How the arrangement is resourced."""

    budget: Budget | None = None
    executive_lead: Lead | None = None
    programme_lead: Lead | None = None
    host: Text | None = Field(
        None, description="Organisation employing staff or holding contracts."
    )
    pmo_wte: Annotated[float, Field(ge=0)] | None = None
    milestones: list[Milestone] = Field(default_factory=list)


class RiskRegister(Record):
    """The arrangement's own risk register."""

    kept: bool | None = None
    last_reviewed: Date | None = None
    escalation_threshold: Annotated[int, Field(ge=1, le=25)] | None = Field(
        None, description="Risk score at or above which risks go to member boards."
    )


class Liability(Record):
    """Who carries liability for shared decisions."""

    position: Text | None = None
    agreed: Date | None = None


class Kpi(Record):
    """A key performance indicator the board sees."""

    name: Text
    target: Text | None = None
    trigger: Text | None = Field(None, description="The threshold that triggers escalation.")
    reporting_frequency: Frequency | None = None


class SubContract(Record):
    """A lead provider's sub-contract with another provider."""

    provider: Text
    performance_rights: bool | None = None
    termination_rights: bool | None = None


class Performance(Record):
    """Performance reporting and what happens when it falls short."""

    kpis: list[Kpi] = Field(default_factory=list)
    sub_contracts: list[SubContract] = Field(default_factory=list)
    assessment_agreed_with_oversight_body: bool | None = Field(
        None,
        description="Agreed how the trust's own performance is judged when it supports partners.",
    )


class Exit(Record):
    """Exit provisions."""

    notice_months: Annotated[int, Field(ge=0)] | None = None
    staff: bool | None = Field(None, description="Return or transfer of staff is provided for.")
    assets: bool | None = None
    data: bool | None = None


class DisputeResolution(Record):
    """Staged dispute resolution."""

    stages: list[Text] = Field(default_factory=list)


class Contingency(Record):
    """What happens if a partner or the arrangement fails."""

    mutual_aid: bool | None = None
    step_in: bool | None = None
    plan: Text | None = None
    last_tested: Date | None = None


class Remit(Record):
    """What the arrangement does: the questionnaire's applicability rules read these."""

    advisory_only: bool | None = Field(
        None, description="Consultative only: what it does not say it does, it does not do."
    )
    binding_decisions: bool | None = None
    delegated_functions: bool | None = None
    holds_budget: bool | None = None
    delivers_services: bool | None = None
    employs_or_hosts_staff: bool | None = None


class NotApplicable(Record):
    """A criterion the trust declares does not apply, and why."""

    criterion: Text
    reason: Text


class IcbMerger(Record):
    """An ICB party to the arrangement merging into a successor."""

    effective: Date | None = None
    successor: Text | None = None
    agreements_name_successor: bool | None = Field(
        None, description="The arrangement's agreements name the successor body."
    )


class Collaborative(Record):
    """One collaborative arrangement the trust belongs to."""

    id: Text = Field(description="Short id used by BAF risks and in the report.")
    name: Text
    collaborative_code: CollaborativeCode | None = Field(
        None, description="The collaborative's shared code, quoted alike by every member: the "
        "host or lead organisation's ODS code, a hyphen and a short name in capitals, for "
        "example RX1-EMCANCER. A batch matches members' submissions on it.",
        examples=["RX1-EMCANCER"],
    )
    type: ArrangementType = Field(description="The kind of arrangement.")
    governance_model: GovernanceModel | None = None
    trust_role: TrustRole | None = None
    status: Literal["shadow", "transitional", "formal"] | None = Field(
        None, description="shadow, transitional or formal; absent means formal."
    )
    formal_authority_from: Date | None = Field(
        None, description="When the arrangement's formal authority starts (or started)."
    )
    remit: Remit | None = None
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    icb_merger: IcbMerger | None = None
    shared_posts: list[Literal["chair", "chief_executive"]] = Field(
        default_factory=list, description="Group models: posts shared across the trusts."
    )
    established: Date | None = None
    footprint: Footprint | None = None
    icbs: list[Text] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    objectives: list[CollaborativeObjective] = Field(default_factory=list)
    terms_of_reference: TermsOfReference | None = None
    decision_making: DecisionMaking | None = None
    delegation: Delegation | None = None
    collaboration_agreement: CollaborationAgreement | None = None
    conflicts_of_interest: ConflictsOfInterest | None = None
    delegated_functions: list[DelegatedFunction] = Field(default_factory=list)
    resourcing: Resourcing | None = None
    risk_register: RiskRegister | None = None
    liability: Liability | None = None
    performance: Performance | None = None
    exit: Exit | None = None
    dispute_resolution: DisputeResolution | None = None
    contingency: Contingency | None = None


class Waiver(Record):
    """A gap the trust accepts on purpose, with who approved it and until when."""

    criterion: Text
    reason: Text
    owner: Text
    approved_by: Text
    review_by: Date


class TrustDescription(Record):
    """A trust and its collaborative arrangements, as true at one date."""

    schema_version: Annotated[Literal[1], BeforeValidator(_exactly_one)] = Field(
        description="Always 1 for this format.")
    as_of: ExactDate | None = Field(None, description="The date this description is true at.")
    organisation: Organisation
    strategy: Strategy | None = None
    board_oversight: BoardOversight | None = None
    board_assurance_framework: BoardAssuranceFramework | None = None
    collaboratives: list[Collaborative] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    not_applicable: list[NotApplicable] = Field(
        default_factory=list, description="Trust-level criteria declared not applicable."
    )

    @staticmethod
    def references(trust: "TrustDescription") -> list[tuple[tuple[str | int, ...], str]]:
        """Problems with ids and links; see `reference_problems`."""
        return reference_problems(trust)


def reference_problems(trust: TrustDescription) -> list[tuple[tuple[str | int, ...], str]]:
    """Ids that must be unique and links that must resolve, as (YAML path, message).

    A duplicated arrangement id or a BAF risk naming an arrangement that does not exist
    would silently change which evidence a criterion sees, so they are errors, not findings.
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []

    def unique(items: list[Any], where: tuple[str | int, ...], what: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(((*where, i, "id"), f"duplicate {what} id {_shown(item.id)} (first "
                                 f"at {where[-1]}[{seen[item.id]}])"))
            seen.setdefault(item.id, i)

    unique(trust.collaboratives, ("collaboratives",), "arrangement")
    # One trust is in a collaborative once: two arrangements quoting one code would be
    # matched as one, and a batch could not tell which of them other members mean.
    codes: dict[str, int] = {}
    for i, arrangement in enumerate(trust.collaboratives):
        code = arrangement.collaborative_code
        if code is not None and code in codes:
            problems.append((("collaboratives", i, "collaborative_code"),
                             f"collaborative code {code} is already given to "
                             f"collaboratives[{codes[code]}]; each arrangement has its own"))
        elif code is not None:
            codes[code] = i
    if trust.strategy is not None:
        unique(trust.strategy.objectives, ("strategy", "objectives"), "objective")
    baf = trust.board_assurance_framework
    if baf is not None:
        unique(baf.risks, ("board_assurance_framework", "risks"), "BAF risk")
        known = {c.id for c in trust.collaboratives}
        for i, risk in enumerate(baf.risks):
            for k, ref in enumerate(risk.collaboratives):
                if ref not in known:
                    listed = ", ".join(_shown(i) for i in sorted(known)) or "none are listed"
                    problems.append((("board_assurance_framework", "risks", i, "collaboratives",
                                      k), f"{_shown(ref)} is not the id of an arrangement under "
                                     f"collaboratives (ids: {listed})"))
    return problems
