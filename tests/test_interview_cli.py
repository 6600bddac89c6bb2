"""`boardcheck init --interactive` through the command line, answered on stdin: the
company secretary's path from nothing to a checked file, a stopped interview's draft,
and revisiting a file that exists.

The answers of a well-run trust are in tests/fixtures/interview/well-run.yaml.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import boardcheck.interview
from boardcheck.cli import app
from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interview"
WELL_RUN: list[str] = yaml.safe_load((FIXTURES / "well-run.yaml").read_text("utf-8"))["answers"]
STRONG = Path(__file__).resolve().parent.parent / "examples" / "strong-acute-ft.yaml"
# Questions the well-run trust's interview asks (re-asks after a wrong answer not counted).
WELL_RUN_QUESTIONS = 96


def init(target: Path, answers: list[str]) -> tuple[int, str]:
    run = CliRunner().invoke(app, ["init", "--interactive", str(target)],
                             input="".join(f"{a}\n" for a in answers))
    return run.exit_code, run.stderr


def last_line(stderr: str) -> str:
    """The last line written: the prompts before it share lines, ending without one."""
    return stderr.rstrip("\n").rsplit("\n", 1)[-1].rsplit("): ", 1)[-1]


def test_a_well_run_trust_is_not_red_at_its_first_check(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    code, stderr = init(target, WELL_RUN)
    assert code == 0, stderr
    assert last_line(stderr) == (
        f"wrote trust description to {target} ({WELL_RUN_QUESTIONS} questions asked); "
        f"check it with: boardcheck check {target}")
    result = json.loads(run_cli("check", str(target), "-f", "json").stdout)
    assert result["overall"] == {"score": 88.0, "rating": "green", "capped_by": None,
                                 "evidence_coverage": 88.0, "explanation": "green"}
    assert [(c["id"], c["rating"], c["score"]) for c in result["categories"]] == [
        ("strategy_alignment", "green", 81.2), ("proportionate_infrastructure", "green", 84.6),
        ("resourcing", "green", 84.6), ("risk_management", "green", 95.7),
        ("performance_fallback", "green", 93.8)]
    text = target.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=trust.schema.json\n")


def test_a_stopped_interview_saves_a_draft_and_carries_on_from_it(tmp_path: Path) -> None:
    whole = tmp_path / "whole.yaml"
    assert init(whole, WELL_RUN)[0] == 0
    target = tmp_path / "trust.yaml"
    draft = tmp_path / "trust.yaml.draft"
    # Stdin ends after the board oversight questions (as Ctrl-D would end it).
    code, stderr = init(target, WELL_RUN[:25])
    assert code == 2
    assert last_line(stderr) == (
        f"boardcheck: the interview stopped before the end; the answers so far are saved in "
        f"{draft}: carry on with boardcheck init --interactive {target}")
    assert not target.exists()
    saved = draft.read_text("utf-8")
    assert saved.startswith("# A DRAFT of a boardcheck trust description")
    assert "internal_audits:" in saved and "\ncollaboratives:" not in saved
    # Carry on: yes to the draft, Enter keeps each answer given (24 questions: the legal form
    # took two answers), then the rest as before.
    code, stderr = init(target, ["y", *[""] * 24, *WELL_RUN[25:]])
    assert code == 0, stderr
    assert not draft.exists()
    assert target.read_text("utf-8") == whole.read_text("utf-8")


def test_ctrl_c_saves_the_draft_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: boardcheck.interview.Interview) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(boardcheck.interview.Interview, "board_oversight", interrupted)
    target = tmp_path / "trust.yaml"
    code, stderr = init(target, WELL_RUN)
    assert code == 2
    assert "the answers so far are saved in" in last_line(stderr)
    draft = yaml.safe_load((tmp_path / "trust.yaml.draft").read_text("utf-8"))
    assert draft["organisation"]["name"] == "Harrowfield Hospitals NHS Foundation Trust"
    assert [o["title"] for o in draft["strategy"]["objectives"]] == [
        "Deliver timely, safe elective care", "Reduce health inequalities with partners"]


def test_stopping_before_any_answer_writes_nothing(tmp_path: Path) -> None:
    code, stderr = init(tmp_path / "trust.yaml", [])
    assert code == 2
    assert last_line(stderr) == ("boardcheck: the interview stopped before the end; nothing "
                                 "was written")
    assert list(tmp_path.iterdir()) == []


def test_revisiting_keeps_comments_and_changes_only_what_is_answered(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    shutil.copy(STRONG, target)
    before = STRONG.read_text("utf-8")
    # A new name, the ODS code left out (-), Enter for every other question.
    code, stderr = init(target, ["Harrowfield Hospitals NHS Foundation Trust", "-",
                                 *[""] * 400])
    assert code == 0, stderr
    assert last_line(stderr) == (f"wrote answers into {target} (171 questions asked); check "
                                 f"it with: boardcheck check {target}")
    after = target.read_text("utf-8")
    expected = ("# yaml-language-server: $schema=trust.schema.json\n" + before).replace(
        "  name: Harrowfield and Wendmoor Hospitals NHS Foundation Trust\n  ods_code: ZZA\n",
        "  name: Harrowfield Hospitals NHS Foundation Trust\n")
    assert after == expected
    assert run_cli("validate", str(target)).exit_code == 0


def test_revisiting_a_file_that_does_not_validate_asks_nothing(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    target.write_text("schema_version: 1\norganisation: {nam: X}\n", encoding="utf-8")
    code, stderr = init(target, WELL_RUN)
    assert code == 2
    assert stderr == (f"{target}:2:1: organisation.name: required key 'name' is missing\n"
                      f"{target}:2:16: organisation.nam: unknown key 'nam'; did you mean "
                      "'name'?\n")
    assert target.read_text("utf-8") == "schema_version: 1\norganisation: {nam: X}\n"


def test_the_template_points_editors_at_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    made = run_cli("init", str(target))
    assert made.stderr == (f"wrote trust description template to {target}; fill it in, then "
                           f"run: boardcheck check {target}\n")
    assert target.read_text("utf-8").startswith(
        "# yaml-language-server: $schema=trust.schema.json\n")
    schema = tmp_path / "trust.schema.json"
    written = run_cli("schema", "-o", str(schema))
    assert (written.exit_code, written.stdout, written.stderr) == (
        0, "", f"wrote the trust description's JSON Schema to {schema}\n")
    assert json.loads(schema.read_text("utf-8")) == json.loads(run_cli("schema").stdout)
    again = run_cli("schema", "-o", str(schema))
    assert (again.exit_code, again.stderr) == (
        2, f"boardcheck: {schema}: already exists; use --force to replace it\n")


# Where the strong example's questions stand when it is revisited (0-based answer index).
STRONG_ARRANGEMENT_ID, STRONG_PARTNERS = 27, 32


def test_a_changed_arrangement_id_is_followed_by_the_baf_risks_naming_it(
        tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    shutil.copy(STRONG, target)
    answers = [""] * STRONG_ARRANGEMENT_ID + ["kestrel", *[""] * 400]
    code, stderr = init(target, answers)
    assert code == 0, stderr
    expected = ("# yaml-language-server: $schema=trust.schema.json\n"
                + STRONG.read_text("utf-8")).replace(
        "collaboratives: [kvajc]", "collaboratives: [kestrel]").replace(
        "collaboratives: [kvajc, hwplace]", "collaboratives: [kestrel, hwplace]").replace(
        "  - id: kvajc\n", "  - id: kestrel\n")
    assert target.read_text("utf-8") == expected


def test_partners_named_in_another_order_keep_what_the_file_says_of_each(
        tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    shutil.copy(STRONG, target)
    order = ["Ostermere and Dunwell Hospitals NHS Trust", "Kestrel Vale Hospitals NHS Trust",
             "Brindlecombe General Hospital NHS Foundation Trust"]
    code, stderr = init(target, [""] * STRONG_PARTNERS + [", ".join(order), *[""] * 400])
    assert code == 0, stderr
    ostermere = ("      - name: Ostermere and Dunwell Hospitals NHS Trust\n"
                 "        ods_code: ZZF\n        kind: nhs_trust\n"
                 "        oversight: {segment: 2, framework: nof_2025, since: 2026-04-01}\n")
    before = STRONG.read_text("utf-8")
    assert ostermere in before
    kestrel = "      - name: Kestrel Vale Hospitals NHS Trust\n"
    expected = before.replace(ostermere, "").replace(kestrel, ostermere + kestrel)
    assert target.read_text("utf-8") == (
        "# yaml-language-server: $schema=trust.schema.json\n" + expected)


def test_answers_that_would_leave_the_file_invalid_leave_it_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    text = ("schema_version: 1\norganisation:\n  name: Test Trust\nboard_assurance_framework:\n"
            "  risks:\n    - id: BAF-01\n      title: One\n    - id: BAF-02\n      title: Two\n")
    target.write_text(text, encoding="utf-8")
    # Enter throughout, but the second BAF risk's id changed to the first one's.
    code, stderr = init(target, [*[""] * 31, "BAF-01", *[""] * 20])
    assert code == 2
    assert stderr.rstrip("\n").split("\n")[-2:] == [
        f"boardcheck: {target}: the answers would leave the file invalid, so it is left as it "
        f"was; the answers are saved in {target}.draft",
        f"boardcheck: {target}: board_assurance_framework.risks[1].id: duplicate BAF risk id "
        "'BAF-01' (first at risks[0])"]
    assert target.read_text("utf-8") == text
    assert (tmp_path / "trust.yaml.draft").is_file()
