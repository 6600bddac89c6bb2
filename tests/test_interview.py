"""The guided start (`boardcheck init --interactive`), driven with scripted answers."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

from boardcheck.interview import _date, _money, interview, slug_of
from boardcheck.loading import parse_yaml, validate
from boardcheck.model import TrustDescription
from tests.conftest import run_cli

TODAY = dt.date(2026, 5, 1)

# Answers to the trust's questions, everything optional left blank, no arrangement.
ORGANISATION_ONLY = [
    "no",  # the trust's full name: YAML 1.1 would read an unquoted `no` as false
    "",  # ODS code
    "",  # legal form
    "",  # sectors
    "",  # ICBs
    "",  # region
    "",  # oversight segment
    "",  # as_of: Enter = today
    "",  # strategic objective SO1: none
    "",  # alignment last reviewed
    "",  # strategy refers to the joint forward plan
    "",  # collaboration committee (none: its NEDs are not asked about)
    "",  # NED lead
    "",  # reports a year
    "",  # scheme of delegation updated
    "",  # latest internal audit
    "n",  # add a collaborative arrangement?
    "",  # BAF last reviewed
]

MINIMAL_YAML = """\
# yaml-language-server: $schema=trust.schema.json
# boardcheck trust description (schema version 1)
#
# Written by `boardcheck init --interactive` on 2026-05-01 from the answers given to its
# questions. Fill in the rest: anything left out shows in the report as "not evidenced".
# Every key is described in docs/input-format.md (or run `boardcheck schema`). Then run:
#     boardcheck check THIS_FILE

schema_version: 1
as_of: 2026-05-01

# The trust itself. Still to add if they apply: ods_code, legal_form, sectors,
# belongs_to_provider_collaborative, icbs, region, oversight, cqc_rating,
# council_of_governors, shared_leadership.
organisation:
  name: 'no'

# Sections not started yet: strategy, board_oversight, board_assurance_framework,
# collaboratives, waivers, not_applicable.
"""


def blank_arrangement(name: str, *, partners: str = "", committee: bool = False) -> list[str]:
    """An arrangement named `name`, of type joint_committee, every optional answer blank."""
    answers = [name, "", "joint_committee", "", "", "", partners]
    answers += ["", ""] * len([p for p in partners.split(",") if p.strip()])  # kind, segment
    answers += ["",  # objective 1: none
                "", "",  # terms of reference approved, review due
                ""]  # reports to (Enter takes the committee, if one was named)
    answers += [""] if committee else []  # how often
    answers += ["",  # reserved matters
                "", "", "",  # agreement signed, dispute stages, conflicts register
                "", "", "", "",  # budget, executive lead, programme lead, host
                "", "",  # own risk register, liability
                "",  # KPI 1: none
                "", "", "", "",  # contingency plan, mutual aid, step-in, tested
                "", "", "", ""]  # exit notice, staff, assets, data
    return answers


FULL = [
    "Example Valley NHS Foundation Trust",
    "r1x",  # ODS code: upper-cased
    "foundation",  # wrong choice, no close match ...
    "nhs_foundation_trust",  # ... corrected
    "acute, mentl_health",  # sector typo ...
    "",  # ... Enter accepts "acute, mental_health"
    "y",  # belongs to a provider collaborative
    "NHS Example ICB, NHS Other ICB",
    "midlands",
    "2",  # oversight segment
    "nof_2025",  # framework
    "30/04/2026",  # as_of, a UK date
    "Deliver timely, safe care",  # SO1
    "Reduce health inequalities",  # SO2
    "",  # no SO3
    "1 April 2026",  # alignment last reviewed, in words
    "y",  # strategy refers to the joint forward plan
    "Partnerships Committee",
    "yes",  # NEDs sit on it
    "Ms Ann Other",  # NED lead
    "4",
    "2026-03-10",  # scheme of delegation
    "08/12/2025",  # internal audit
    "Partnership governance review",
    "moderate",  # not a choice ...
    "reasonable",  # ... corrected
    "0",  # overdue actions
    "y",  # add a collaborative arrangement
    "Example Acute Provider Collaborative",
    "Acute Collab",  # not a slug ...
    "",  # ... Enter accepts acute-collab
    "provider-collab",  # wrong choice ...
    "provider_collaborative",  # ... corrected
    "provider_leadership_board",
    "member",
    "binding_decisions, holds_budget",
    "Neighbour Hospitals NHS Trust, Valley Borough Council",
    "",  # kind: Enter accepts nhs_trust, from the name
    "3",  # its segment
    "",  # framework: Enter accepts the trust's, nof_2025
    "",  # kind: Enter accepts local_authority (no segment asked)
    "Recover elective waiting times",  # collaborative objective 1
    "SO1, SO9",  # unknown objective id ...
    "so1",  # ... corrected (case forgiven)
    "y",  # agreed with the ICB
    "",  # no objective 2
    "2026-02-30",  # impossible date ...
    "15/01/2026",  # ... corrected: ToR approved
    "",  # approved by: Enter = the trust and all partners
    "15/01/27",  # ToR review due: a two-digit year
    "Joint committee under s65Z5",  # legal basis of binding decisions
    "",  # reports to: Enter = Partnerships Committee
    "quarterly",
    "Budget above £1m, Changes to membership",  # reserved matters
    "2026-02-17",  # collaboration agreement signed
    "collaboration_agreement",
    "31/03/2029",
    "objectives, duration, governance, finance, staff, exit",
    "chief executives, independent mediation",
    "y",  # conflicts register
    "£1.2m",  # budget
    "icb, member_contributions",
    "Pro rata to contributions",
    "Chief Operating Officer",  # executive lead
    "Director of Operations",  # role
    "Jo Bloggs",  # programme lead
    "1.5",  # WTE out of range ...
    "0.6",  # ... corrected
    "",  # host: none offered (a member), blank
    "y",  # risk register kept
    "01/04/2026",
    "15",
    "Shared pro rata",  # liability
    "Waits over 52 weeks",  # KPI 1
    "Below 300",
    "Two months off trajectory",
    "monthly",
    "",  # no KPI 2
    "Mutual aid protocol",
    "y", "n",  # mutual aid, step-in
    "",  # last tested
    "12",  # exit notice months
    "y", "y",  # assets, data (staff is not asked: it employs no staff)
    "n",  # no second arrangement
    "01/04/2026",  # BAF last reviewed
    "Collaborative priorities diverge from the trust's",  # BAF risk for the arrangement
    "",  # id: Enter = BAF-01
    "Chief Operating Officer",
    "",  # objective: Enter = SO1, the one the arrangement serves
    "3", "4", "2", "4",
    "cautious",
    "Reserved matters", "Quarterly report", "No shared dashboard",
    "01/04/2026",
    "14/07/2026",  # governors briefed (a foundation trust)
]


def drive(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> tuple[str, str]:
    """Run the interview on scripted answers; return the YAML and what the console showed.

    Rich's prompts read through `Console.input`, which calls the builtin `input()`; that
    reads `sys.stdin`, so a StringIO of answers stands in for the keyboard. Running out of
    answers raises EOFError rather than hanging.
    """
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{a}\n" for a in answers)))
    shown = io.StringIO()
    text = interview(Console(file=shown, force_terminal=False, width=200), today=TODAY)
    assert sys.stdin.read() == "", "not every scripted answer was asked for"
    return text, shown.getvalue()


def load(text: str) -> TrustDescription:
    return validate(TrustDescription, parse_yaml(text.encode("utf-8"), "trust.yaml"))


def test_minimal_run_writes_the_organisation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    text, _ = drive(monkeypatch, ORGANISATION_ONLY)
    assert text == MINIMAL_YAML
    trust = load(text)
    assert trust.organisation.name == "no"  # still text after the round trip
    assert trust.as_of == TODAY
    assert trust.strategy is None and trust.board_oversight is None
    assert trust.collaboratives == []


def test_full_run_puts_each_answer_in_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    text, _ = drive(monkeypatch, FULL)
    trust = load(text)
    org = trust.organisation
    assert org.name == "Example Valley NHS Foundation Trust"
    assert org.ods_code == "R1X"
    assert org.legal_form == "nhs_foundation_trust"
    assert org.sectors == ["acute", "mental_health"]
    assert org.belongs_to_provider_collaborative is True
    assert org.icbs == ["NHS Example ICB", "NHS Other ICB"]
    assert org.region == "midlands"
    assert org.oversight is not None
    assert (org.oversight.segment, org.oversight.framework) == (2, "nof_2025")
    assert org.council_of_governors is not None
    assert org.council_of_governors.briefed_on_collaboration == dt.date(2026, 7, 14)
    assert trust.as_of == dt.date(2026, 4, 30)
    assert trust.strategy is not None
    assert [(o.id, o.title) for o in trust.strategy.objectives] == [
        ("SO1", "Deliver timely, safe care"), ("SO2", "Reduce health inequalities")]
    assert trust.strategy.alignment_last_reviewed == dt.date(2026, 4, 1)
    assert trust.strategy.joint_forward_plan_referenced is True
    bo = trust.board_oversight
    assert bo is not None
    assert (bo.collaboration_committee, bo.committee_includes_neds,
            bo.ned_lead_for_collaboration, bo.collaboration_reports_per_year,
            bo.scheme_of_delegation_updated) == (
        "Partnerships Committee", True, "Ms Ann Other", 4, dt.date(2026, 3, 10))
    [audit] = bo.internal_audits
    assert (audit.title, audit.date, audit.assurance, audit.overdue_actions) == (
        "Partnership governance review", dt.date(2025, 12, 8), "reasonable", 0)

    [collab] = trust.collaboratives
    assert (collab.id, collab.name) == ("acute-collab", "Example Acute Provider Collaborative")
    assert collab.type == "provider_collaborative"
    assert collab.governance_model == "provider_leadership_board"
    assert collab.trust_role == "member"
    assert collab.remit is not None
    assert collab.remit.model_dump(exclude_none=True) == {
        "binding_decisions": True, "delegated_functions": False, "holds_budget": True,
        "delivers_services": False, "employs_or_hosts_staff": False}
    trust_partner, council = collab.partners
    assert (trust_partner.name, trust_partner.kind) == ("Neighbour Hospitals NHS Trust",
                                                        "nhs_trust")
    assert trust_partner.oversight is not None
    assert (trust_partner.oversight.segment, trust_partner.oversight.framework) == (
        3, "nof_2025")
    assert (council.name, council.kind, council.oversight) == (
        "Valley Borough Council", "local_authority", None)
    [objective] = collab.objectives
    assert (objective.title, objective.trust_objectives, objective.agreed_with_icb) == (
        "Recover elective waiting times", ["SO1"], True)
    tor = collab.terms_of_reference
    assert tor is not None
    assert (tor.approved, tor.review_due) == (dt.date(2026, 1, 15), dt.date(2027, 1, 15))
    assert tor.approved_by == [org.name, trust_partner.name, council.name]
    dm = collab.decision_making
    assert dm is not None
    assert (dm.legal_basis, dm.reports_to, dm.reporting_frequency) == (
        "Joint committee under s65Z5", "Partnerships Committee", "quarterly")
    assert collab.delegation is not None
    assert collab.delegation.reserved_matters == ["Budget above £1m", "Changes to membership"]
    ag = collab.collaboration_agreement
    assert ag is not None
    assert (ag.kind, ag.signed, ag.expires, ag.covers) == (
        "collaboration_agreement", dt.date(2026, 2, 17), dt.date(2029, 3, 31),
        ["objectives", "duration", "governance", "finance", "staff", "exit"])
    assert collab.dispute_resolution is not None
    assert collab.dispute_resolution.stages == ["chief executives", "independent mediation"]
    assert collab.conflicts_of_interest is not None
    assert collab.conflicts_of_interest.register_kept is True
    res = collab.resourcing
    assert res is not None and res.budget is not None
    assert (res.budget.amount_gbp, res.budget.funding_sources, res.budget.risk_share) == (
        1_200_000, ["icb", "member_contributions"], "Pro rata to contributions")
    assert res.executive_lead is not None
    assert (res.executive_lead.name, res.executive_lead.role) == ("Chief Operating Officer",
                                                                 "Director of Operations")
    assert res.programme_lead is not None
    assert (res.programme_lead.name, res.programme_lead.wte) == ("Jo Bloggs", 0.6)
    assert res.host is None
    assert collab.risk_register is not None
    assert (collab.risk_register.kept, collab.risk_register.last_reviewed,
            collab.risk_register.escalation_threshold) == (True, dt.date(2026, 4, 1), 15)
    assert collab.liability is not None and collab.liability.position == "Shared pro rata"
    assert collab.performance is not None
    [kpi] = collab.performance.kpis
    assert (kpi.name, kpi.target, kpi.trigger, kpi.reporting_frequency) == (
        "Waits over 52 weeks", "Below 300", "Two months off trajectory", "monthly")
    assert collab.contingency is not None
    assert (collab.contingency.plan, collab.contingency.mutual_aid,
            collab.contingency.step_in, collab.contingency.last_tested) == (
        "Mutual aid protocol", True, False, None)
    assert collab.exit is not None
    assert collab.exit.model_dump(exclude_none=True) == {
        "notice_months": 12, "assets": True, "data": True}
    baf = trust.board_assurance_framework
    assert baf is not None and baf.last_reviewed == dt.date(2026, 4, 1)
    [risk] = baf.risks
    assert (risk.id, risk.title, risk.collaboratives, risk.owner, risk.objective) == (
        "BAF-01", "Collaborative priorities diverge from the trust's", ["acute-collab"],
        "Chief Operating Officer", "SO1")
    assert (risk.likelihood, risk.consequence, risk.target_likelihood,
            risk.target_consequence, risk.appetite) == (3, 4, 2, 4, "cautious")
    assert (risk.controls, risk.assurances, risk.gaps, risk.last_reviewed) == (
        ["Reserved matters"], ["Quarterly report"], ["No shared dashboard"],
        dt.date(2026, 4, 1))


def test_wrong_answers_are_re_asked_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    _, screen = drive(monkeypatch, FULL)
    shown = " ".join(screen.split())  # as read, whatever the console's wrapping
    assert shown.count("Legal form [nhs_trust/nhs_foundation_trust]") == 2
    assert "'foundation' is not one of: nhs_trust, nhs_foundation_trust" in shown
    assert shown.count("Sectors the trust serves") == 2
    assert ("'mentl_health' is not one of: acute, mental_health, community, ambulance, "
            "specialist; did you mean mental_health?; press Enter to accept it") in shown
    assert "(Enter = acute, mental_health)" in shown
    assert "'moderate' is not one of: substantial, reasonable, limited, no_assurance" in shown
    assert shown.count("Short id for it") == 2
    assert ("'Acute Collab': use lower-case letters, digits and hyphens only, e.g. "
            "acute-collab; press Enter to accept it") in shown
    assert "Short id for it (lower case, digits, hyphens) (Enter = acute-collab)" in shown
    assert shown.count("Type of arrangement [provider_collaborative / ") == 2
    assert "did you mean provider_collaborative?" in shown
    assert shown.count("Which of the trust's objectives does it serve?") == 2
    assert "'SO9' is not one of the trust's objectives: SO1, SO2" in shown
    assert shown.count("When were its terms of reference approved?") == 2
    assert "2026-02-30 is not a valid date (day is out of range for month)" in shown
    assert "1.5 is not between 0 and 1" in shown
    # Choices and defaults are shown in the prompts themselves.
    assert "[acute/mental_health/community/ambulance/specialist]" in shown
    assert "[north_east_and_yorkshire / north_west / midlands /" in shown
    assert "(Enter = 2026-05-01)" in shown
    assert "(Enter = Partnerships Committee; - = leave out)" in shown
    assert "What kind of body is Neighbour Hospitals NHS Trust? [" in shown
    assert "(Enter = nhs_trust; - = leave out)" in shown
    assert "(Enter = local_authority; - = leave out)" in shown
    assert "Add a collaborative arrangement? [y/n] (n)" in shown


@pytest.mark.parametrize(("typed", "meant"), [
    ("15/09/2026", dt.date(2026, 9, 15)), ("1/9/2026", dt.date(2026, 9, 1)),
    ("15.09.2026", dt.date(2026, 9, 15)), ("15-09-2026", dt.date(2026, 9, 15)),
    ("15/09/26", dt.date(2026, 9, 15)), ("15 September 2026", dt.date(2026, 9, 15)),
    ("15th Sept 2026", dt.date(2026, 9, 15)), ("2026-09-15", dt.date(2026, 9, 15)),
])
def test_uk_dates_are_understood(typed: str, meant: dt.date) -> None:
    assert _date(typed) == meant


@pytest.mark.parametrize(("typed", "message"), [
    ("09/15/2026", "09/15/2026 is not a valid date (month must be in 1..12)"),
    ("31/02/2026", "31/02/2026 is not a valid date (day is out of range for month)"),
    ("next week", "'next week' is not a date: write it as 15/09/2026 (day/month/year), "
                  "15 September 2026 or 2026-09-15"),
    ("15 Ma 2026", "'15 Ma 2026' is not a date: write it as 15/09/2026 (day/month/year), "
                   "15 September 2026 or 2026-09-15"),
])
def test_dates_that_are_not_dates(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _date(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize(("name", "slug"), [
    ("Kestrel Vale Acute Joint Committee", "kestrel-vale-acute-joint"),
    ("The North & East Cancer Alliance", "north-east-cancer-alliance"),
    ("Ysbyty Gwynedd – Betsi Cadwaladr", "ysbyty-gwynedd-betsi-cadwaladr"),
    ("NHS", "nhs"),
])
def test_ids_are_derived_from_names(name: str, slug: str) -> None:
    assert slug_of(name) == slug


def test_a_derived_id_already_taken_gets_a_number() -> None:
    assert slug_of("Acute Collab", ["acute-collab"]) == "acute-collab-2"


def test_the_written_file_passes_boardcheck_validate(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text, _ = drive(monkeypatch, FULL)
    path = tmp_path / "trust.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    run = run_cli("validate", str(path))
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("name", [
    "no", "yes", "On", "null", "~", "2024-01-01", "0123", "1e3", "12:30", "- a list?",
    "#1 Trust", "A: B Trust", "'quoted'", '"double"', "Ysbyty Gwynedd – Betsi Cadwaladr",
    "A very long trust name " * 6,
])
def test_awkward_text_keeps_its_meaning(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    answers = [name, *ORGANISATION_ONLY[1:-2], "y", *blank_arrangement(name, partners=name),
               "n", "", ""]
    text, _ = drive(monkeypatch, answers)
    trust = load(text)
    assert trust.organisation.name == name.strip()
    [collab] = trust.collaboratives
    assert collab.name == name.strip()
    assert [p.name for p in collab.partners] == [name.strip()]


def test_placeholders_and_control_characters_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text, shown = drive(monkeypatch, ["TBC", "bell\x07", "Real Trust", *ORGANISATION_ONLY[1:]])
    assert load(text).organisation.name == "Real Trust"
    assert "'TBC' is a placeholder" in shown
    assert "control character" in shown


def test_a_blank_required_answer_is_re_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    _, shown = drive(monkeypatch, ["", *ORGANISATION_ONLY])
    assert "an answer is needed here" in shown


def test_segment_5_implies_the_2025_framework(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = list(ORGANISATION_ONLY)
    answers[6] = "5"
    text, shown = drive(monkeypatch, answers)
    oversight = load(text).organisation.oversight
    assert oversight is not None
    assert (oversight.segment, oversight.framework) == (5, "nof_2025")
    assert "Which oversight framework" not in shown


def test_defaults_can_be_taken_replaced_or_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def arrangement(ident: str, approved_by: str, reports_to: str) -> list[str]:
        answers = blank_arrangement(f"Arrangement {ident}", partners="Partner A",
                                    committee=True)
        answers[1] = ident
        answers[10:12] = ["2026-01-01", approved_by, ""]  # approved, approved by, review due
        answers[13:15] = [reports_to, *([""] if reports_to != "-" else [])]  # and how often
        return answers

    answers = [*ORGANISATION_ONLY[:11], "Partnerships Committee", "", *ORGANISATION_ONLY[12:16],
               "y", *arrangement("one", "", ""), "y",
               "Arrangement two", "one", *arrangement("two", "-", "-")[1:], "y",
               *arrangement("three", "Partner A", "Audit Committee"), "n", "", "", "", ""]
    text, shown = drive(monkeypatch, answers)
    one, two, three = load(text).collaboratives
    assert one.terms_of_reference is not None
    assert one.terms_of_reference.approved_by == ["no", "Partner A"]
    assert one.decision_making is not None
    assert one.decision_making.reports_to == "Partnerships Committee"
    assert two.terms_of_reference is not None and two.terms_of_reference.approved_by == []
    assert two.decision_making is None
    assert three.terms_of_reference is not None
    assert three.terms_of_reference.approved_by == ["Partner A"]
    assert three.decision_making is not None
    assert three.decision_making.reports_to == "Audit Committee"
    assert "'one' is already the id of another arrangement" in shown


def test_running_out_of_answers_raises_eof_rather_than_hanging(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EOFError):
        drive(monkeypatch, ORGANISATION_ONLY[:3])


@pytest.mark.parametrize(("typed", "pounds"), [
    ("1200000", 1_200_000), ("£1,200,000", 1_200_000), ("£1.2m", 1_200_000),
    ("250k", 250_000), ("0", 0), ("12.50", 12.5),
])
def test_money_answers(typed: str, pounds: float) -> None:
    assert _money(typed) == pounds


@pytest.mark.parametrize("typed", ["lots", "-5", "nan", "inf", "1.2b"])
def test_bad_money_answers(typed: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        _money(typed)


