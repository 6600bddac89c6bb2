"""The guided start (`boardcheck init --interactive`), driven with scripted answers."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from boardcheck.cli import app
from boardcheck.interview import _money, interview
from boardcheck.loading import parse_yaml, validate
from boardcheck.model import TrustDescription
from tests.conftest import run_cli

TODAY = dt.date(2026, 5, 1)

# Answers to the organisation questions, everything optional left blank.
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
    "",  # collaboration committee
    "n",  # add a collaborative arrangement?
]

MINIMAL_YAML = """\
# boardcheck trust description (schema version 1)
#
# Written by `boardcheck init --interactive` on 2026-05-01 from the answers given to its
# questions. Fill in the rest: anything left out shows in the report as "not evidenced".
# Every key is described in docs/input-format.md (or run `boardcheck schema`). Then run:
#     boardcheck check THIS_FILE

schema_version: 1
as_of: 2026-05-01

# The trust itself. Still to add if they apply: ods_code, legal_form, sectors, icbs,
# region, oversight, cqc_rating, council_of_governors, shared_leadership.
organisation:
  name: 'no'

# Sections not started yet: strategy, board_oversight, board_assurance_framework,
# collaboratives, waivers, not_applicable.
"""

FULL = [
    "Example Valley NHS Foundation Trust",
    "r1x",  # ODS code: upper-cased
    "foundation",  # wrong choice ...
    "nhs_foundation_trust",  # ... corrected
    "acute, mentl_health",  # sector typo ...
    "acute, Mental Health",  # ... corrected; case and spaces forgiven
    "NHS Example ICB, NHS Other ICB",
    "midlands",
    "2",  # oversight segment
    "nof_2025",  # framework
    "2026-04-30",  # as_of
    "Deliver timely, safe care",  # SO1
    "Reduce health inequalities",  # SO2
    "",  # no SO3
    "2026-04-01",  # alignment last reviewed
    "Partnerships Committee",
    "y",  # add a collaborative arrangement
    "Acute Collab",  # not a slug ...
    "acute-collab",  # ... corrected
    "Example Acute Provider Collaborative",
    "provider-collab",  # wrong choice ...
    "provider_collaborative",  # ... corrected
    "provider_leadership_board",
    "member",
    "Neighbour Hospitals NHS Trust, Other Valley NHS Foundation Trust",
    "Recover elective waiting times",  # collaborative objective 1
    "SO1, SO9",  # unknown objective id ...
    "so1",  # ... corrected (case forgiven)
    "",  # no objective 2
    "2026-02-30",  # impossible date ...
    "2026-01-15",  # ... corrected: ToR approved
    "",  # approved by: Enter = the trust and all partners
    "15/01/2027",  # wrong date format ...
    "2027-01-15",  # ... corrected: ToR review due
    "",  # reports to: Enter = Partnerships Committee
    "quarterly",
    "Chief Operating Officer",  # executive lead
    "Jo Bloggs",  # programme lead
    "1.5",  # WTE out of range ...
    "0.6",  # ... corrected
    "£1.2m",  # budget
    "12",  # exit notice months
    "chief executives, independent mediation",
    "n",  # no second arrangement
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
    assert org.icbs == ["NHS Example ICB", "NHS Other ICB"]
    assert org.region == "midlands"
    assert org.oversight is not None
    assert (org.oversight.segment, org.oversight.framework) == (2, "nof_2025")
    assert trust.as_of == dt.date(2026, 4, 30)
    assert trust.strategy is not None
    assert [(o.id, o.title) for o in trust.strategy.objectives] == [
        ("SO1", "Deliver timely, safe care"), ("SO2", "Reduce health inequalities")]
    assert trust.strategy.alignment_last_reviewed == dt.date(2026, 4, 1)
    assert trust.board_oversight is not None
    assert trust.board_oversight.collaboration_committee == "Partnerships Committee"

    [collab] = trust.collaboratives
    assert (collab.id, collab.name) == ("acute-collab", "Example Acute Provider Collaborative")
    assert collab.type == "provider_collaborative"
    assert collab.governance_model == "provider_leadership_board"
    assert collab.trust_role == "member"
    partners = ["Neighbour Hospitals NHS Trust", "Other Valley NHS Foundation Trust"]
    assert [p.name for p in collab.partners] == partners
    [objective] = collab.objectives
    assert objective.title == "Recover elective waiting times"
    assert objective.trust_objectives == ["SO1"]
    tor = collab.terms_of_reference
    assert tor is not None
    assert tor.approved == dt.date(2026, 1, 15)
    assert tor.review_due == dt.date(2027, 1, 15)
    assert tor.approved_by == [org.name, *partners]
    assert collab.decision_making is not None
    assert collab.decision_making.reports_to == "Partnerships Committee"
    assert collab.decision_making.reporting_frequency == "quarterly"
    res = collab.resourcing
    assert res is not None and res.budget is not None
    assert res.budget.amount_gbp == 1_200_000
    assert res.executive_lead is not None and res.executive_lead.name == "Chief Operating Officer"
    assert res.programme_lead is not None
    assert (res.programme_lead.name, res.programme_lead.wte) == ("Jo Bloggs", 0.6)
    assert collab.exit is not None and collab.exit.notice_months == 12
    assert collab.dispute_resolution is not None
    assert collab.dispute_resolution.stages == ["chief executives", "independent mediation"]


def test_wrong_answers_are_re_asked_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    _, shown = drive(monkeypatch, FULL)
    assert shown.count("Legal form [nhs_trust/nhs_foundation_trust]") == 2
    assert "'foundation' is not one of: nhs_trust, nhs_foundation_trust" in shown
    assert shown.count("Sectors the trust serves") == 2
    assert "'mentl_health' is not one of: acute, mental_health" in shown
    assert "did you mean mental_health?" in shown
    assert shown.count("Short id for the arrangement") == 2
    assert "'Acute Collab': use lower-case letters, digits and hyphens only" in shown
    assert shown.count("Type of arrangement [provider_collaborative / ") == 2
    assert "did you mean provider_collaborative?" in shown
    assert shown.count("Which of the trust's objectives does it serve?") == 2
    assert "'SO9' is not one of the trust's objectives: SO1, SO2" in shown
    assert shown.count("When were its terms of reference approved?") == 2
    assert "2026-02-30 is not a valid date (day is out of range for month)" in shown
    assert shown.count("next due for review") == 2
    assert "'15/01/2027' is not a date written as YYYY-MM-DD" in shown
    assert "1.5 is not between 0 and 1" in shown
    # Choices and defaults are shown in the prompts themselves.
    assert "[acute/mental_health/community/ambulance/specialist]" in shown
    assert "[north_east_and_yorkshire / north_west / midlands /" in shown
    assert "(Enter = today, 2026-05-01)" in shown
    assert "(Enter = Partnerships Committee; - = leave out)" in shown
    assert "Add a collaborative arrangement? [y/n] (n)" in shown


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
    answers = [name, *ORGANISATION_ONLY[1:-1], "y", "collab", name, "joint_committee",
               "", "", name, "", "", "", "", "", "", "", "", "", "n"]
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


def arrangement(ident: str, approved_by: str, reports_to: str) -> list[str]:
    return [ident, f"Arrangement {ident}", "network_or_alliance", "", "", "Partner A", "",
            "2026-01-01", approved_by, "", reports_to, *([""] if reports_to != "-" else []),
            "", "", "", "", ""]


def test_defaults_can_be_taken_replaced_or_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [*ORGANISATION_ONLY[:-2], "Partnerships Committee", "y",
               *arrangement("one", "", ""), "y",
               *arrangement("one", "-", "-")[:1], *arrangement("two", "-", "-"), "y",
               *arrangement("three", "Partner A", "Audit Committee"), "n"]
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


def test_init_interactive_through_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    answers = "\n".join(["Northfen Community NHS Trust", "ZZQ", "nhs_trust", "community",
                         "NHS Northfen ICB", "east_of_england", "", "", "", "", "", "n"])
    run = CliRunner().invoke(app, ["init", "--interactive", str(target)], input=answers + "\n")
    assert run.exit_code == 0, run.output
    assert run_cli("validate", str(target)).exit_code == 0
    assert "Northfen Community NHS Trust" in target.read_text(encoding="utf-8")
    again = CliRunner().invoke(app, ["init", "--interactive", str(target)], input="x\n")
    assert again.exit_code == 2
    stopped = CliRunner().invoke(app, ["init", "-i", str(tmp_path / "other.yaml")], input="X\n")
    assert stopped.exit_code == 2
    assert "nothing was written" in stopped.stderr
    assert not (tmp_path / "other.yaml").exists()
