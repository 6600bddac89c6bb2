"""The verdict's rules through the engine and the CLI: proportionality, declarations and
their challenge, shadow arrangements, placeholders, and how gaps add up. Cases are files in
tests/fixtures/verdict."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.result import CriterionResult, Result
from tests.conftest import FIXTURES, run_cli

CASES = FIXTURES / "verdict"


def judge(name: str) -> Result:
    trust, source = load(CASES / name, TrustDescription)
    return evaluate(trust, source, load_questionnaire(),
                    resolve_as_of(None, trust, dt.date(2026, 10, 1)))


def criteria(result: Result) -> dict[str, CriterionResult]:
    return {c.id: c for c in result.criteria}


def test_a_light_forum_is_not_asked_for_what_it_does_not_do() -> None:
    found = criteria(judge("light-forum.yaml"))
    never_asked = ("PI05", "PI07", "PI10", "PI11", "RS01", "RS02", "RS04", "RS06", "RM06",
                   "RM08", "PF01", "PF02", "PF03", "PF06")
    for cid in never_asked:
        assert found[cid].status == "not_applicable", cid
        assert [(e.arrangement, e.declared, e.line) for e in found[cid].exclusions] == [
            ("Hollins Vale Place Forum", False, 13)], cid
    assert found["RS01"].exclusions[0].reason == (
        "does not hold delegated functions, hold a budget, deliver services or employ or host "
        "staff")
    # Its own reporting line and lead are still asked for: every arrangement needs them.
    assert found["PI08"].status == "met"
    assert found["RS03"].status == "not_evidenced"
    # A declaration with its reason, honoured: nothing in the file contradicts it.
    pf05 = found["PF05"]
    assert pf05.status == "not_applicable"
    assert [(e.reason, e.declared, e.line) for e in pf05.exclusions] == [
        ("The forum has no NHS trust partners to support", True, 19)]
    assert pf05.challenged is None


def test_a_declaration_the_facts_contradict_is_challenged_and_judged() -> None:
    found = criteria(judge("declared-but-holds-budget.yaml"))
    assert found["RS01"].status == "not_evidenced"
    assert found["RS01"].challenged == (
        "Tarrow Diagnostics Delegation: declared not applicable (No budget of its own), but the "
        "file records that it holds delegated functions or holds a budget")
    assert found["RM01"].challenged == (
        "Tarrow Diagnostics Delegation: declared not applicable (Covered by the ICB's BAF), but "
        "RM01 cannot be declared not applicable")
    assert found["RM08"].status == "not_evidenced"
    assert found["RM08"].challenged == (
        "declared not applicable (Audited by the ICB instead), but RM08 cannot be declared not "
        "applicable: it is judged for every trust")


def test_shadow_form_waits_and_a_passed_authority_date_is_a_stated_failure() -> None:
    found = criteria(judge("shadow.yaml"))
    shadow = ("Brennock and Lyle Joint Committee",
              "in shadow form, formal authority from 2027-04-01", False, 6)
    for cid in ("PI12", "PF07", "PF08"):
        assert [(e.arrangement, e.reason, e.declared, e.line)
                for e in found[cid].exclusions] == [shadow], cid
    assert found["PF07"].status == "not_applicable"
    # The other arrangement is judged, and its file does not say whether anything is
    # delegated to it: silence, never "no functions are delegated".
    for cid in ("PI12", "PF08"):
        assert (found[cid].status, found[cid].message) == (
            "not_evidenced", "late: whether any functions are delegated to it is not recorded"), cid
    # The second arrangement's authority ("2026-09", known to the month) has started, so it
    # is judged as formal, and still being recorded as shadow is a stated failure.
    assert found["PF01"].message == "late: no exit notice period is recorded"
    assert found["PI21"].status == "partly_met"
    assert found["PI21"].message == ("1 of 2 arrangements: late: recorded as shadow, though "
                                     "formal authority was due from 2026-09-01")
    assert found["PI21"].evidenced
    # A shadow joint committee that does not yet decide is not a heavy form for its remit.
    assert found["PI01"].message == ("1 of 2 arrangements: late: whether it takes binding "
                                     "decisions is not recorded")


def test_bad_declarations_are_located_and_exit_2_in_check_and_validate() -> None:
    path = str(CASES / "bad-declarations.yaml")
    expected = [
        f"{path}:5:17: not_applicable[0].criterion: 'XX99' is not a criterion of questionnaire "
        "nhs-providers-collaboration",
        f"{path}:11:21: collaboratives[0].not_applicable[0].criterion: SA06 is judged for the "
        "trust as a whole; declare it under the top-level not_applicable",
        f"{path}:13:21: collaboratives[0].not_applicable[2].criterion: PI05 is declared not "
        "applicable twice",
    ]
    for command in ("check", "validate"):
        run = run_cli(command, path)
        assert (run.exit_code, run.stdout, run.stderr.splitlines()) == (2, "", expected), command


def test_the_unedited_template_is_not_green_and_names_its_placeholders(tmp_path: Path) -> None:
    trust = tmp_path / "t.yaml"
    assert run_cli("init", str(trust)).exit_code == 0
    run = run_cli("check", str(trust), "-f", "json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["overall"]["rating"] != "green"
    found = {(p["path"], p["value"]) for p in data["placeholders"]}
    assert ("organisation.name", "Example Valley NHS Foundation Trust") in found
    assert ("collaboratives[0].resourcing.executive_lead.name", "Executive name") in found
    assert ("board_oversight.ned_lead_for_collaboration", "Non-executive director name") in found
    result = judge_file(trust)
    # The executive lead named by a placeholder is not evidence of a lead.
    assert criteria(result)["RS03"].status == "not_evidenced"


def judge_file(path: Path) -> Result:
    trust, source = load(path, TrustDescription)
    return evaluate(trust, source, load_questionnaire(), resolve_as_of(None, trust,
                                                                        dt.date(2026, 10, 1)))


def test_a_critical_failure_in_one_arrangement_caps_its_question_red(tmp_path: Path) -> None:
    # The strong example, with one of its two arrangements declaring a delegated function
    # with money and no agreement: PI12 fails for that arrangement alone.
    text = (Path(__file__).parents[1] / "examples" / "strong-acute-ft.yaml").read_text()
    marker = "\n  - id: hwplace\n"
    assert marker in text
    text = text.replace(marker, marker + "    delegated_functions:\n"
                        "      - {function: Community beds commissioning, "
                        "budget_transferred_gbp: 5000000, commissioning_expertise: true}\n", 1)
    path = tmp_path / "trust.yaml"
    path.write_text(text, encoding="utf-8")
    result = judge_file(path)
    infra = next(c for c in result.categories if c.id == "proportionate_infrastructure")
    pi12 = criteria(result)["PI12"]
    assert (pi12.status, pi12.message) == (
        "partly_met", "1 of 2 delegated functions: hwplace/Community beds commissioning: no "
        "signed delegation agreement is recorded")
    # The place forum now holds a delegated function as an advisory forum, which PI01 also
    # finds; the first critical failure in the questionnaire's order is the one named.
    assert infra.rating == "red"
    assert infra.explanation == ("red: capped by PI01 (Governance form matches the decisions "
                                 "taken), not met")
    assert infra.score is not None and infra.score > 75  # partial credit stays in the score


def test_a_version_1_result_is_read_with_silence_as_not_evidenced(tmp_path: Path) -> None:
    middling = str(Path(__file__).parents[1] / "examples" / "middling-community-mh.yaml")
    data = json.loads(run_cli("check", middling, "-f", "json").stdout)
    assert data["schema_version"] == 3
    # Write it as version 1 did: silence was not_met with evidenced false.
    data["schema_version"] = 1
    silent = 0
    for cat in data["categories"]:
        for c in cat["criteria"]:
            if c["status"] == "not_evidenced":
                c["status"], silent = "not_met", silent + 1
    assert silent > 0
    old = tmp_path / "last-board.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    moved = json.loads(run_cli("diff", str(old), middling, "-f", "json").stdout)
    assert (moved["newly_met"], moved["newly_not_met"], moved["other_changes"]) == ([], [], [])
    data["schema_version"] = 99
    old.write_text(json.dumps(data), encoding="utf-8")
    run = run_cli("diff", str(old), middling)
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"{old}:1:1: a saved result of schema_version 99, which this boardcheck does not "
        "read (it reads 1, 2, 3)\n")


def test_a_waiver_or_declaration_naming_a_placeholder_is_still_checked(tmp_path: Path) -> None:
    # Found by fuzzing: placeholders were taken out of waivers too, so a waiver for the
    # criterion "TBC" vanished instead of being refused.
    path = tmp_path / "trust.yaml"
    path.write_text("schema_version: 1\nas_of: 2026-10-01\norganisation: {name: Ashby NHS Trust}\n"
                    "waivers:\n  - {criterion: TBC, reason: r, owner: o, approved_by: a, "
                    "review_by: 2027-01-01}\nnot_applicable:\n  - {criterion: TODO, reason: x}\n",
                    encoding="utf-8")
    run = run_cli("check", str(path))
    assert (run.exit_code, run.stdout, run.stderr.splitlines()) == (2, "", [
        f"{path}:5:17: waivers[0].criterion: 'TBC' is not a criterion of questionnaire "
        "nhs-providers-collaboration",
    ])
    path.write_text(path.read_text(encoding="utf-8").replace("criterion: TBC", "criterion: PI11"),
                    encoding="utf-8")
    run = run_cli("check", str(path))
    assert (run.exit_code, run.stdout, run.stderr.splitlines()) == (2, "", [
        f"{path}:7:17: not_applicable[0].criterion: 'TODO' is not a criterion of "
        "questionnaire nhs-providers-collaboration",
    ])


def test_a_stated_critical_failure_is_rated_even_below_the_minimum_coverage(
        tmp_path: Path) -> None:
    """Silence around a critical failure does not hide it: a file evidencing less than the
    whole's minimum coverage is rated when it states a critical failure, and says why; the
    same file silent on that point (the agreement not recorded) is insufficient evidence."""
    profile = (Path(__file__).parent / "calibration"
               / "26-half-file-delegation-without-agreement.yaml")
    result = judge_file(profile)
    assert (result.overall.rating, result.overall.evidence_coverage) == ("amber", 55.2)
    assert result.overall.explanation == (
        "amber: rated though only 55.2% of the questionnaire is evidenced (minimum 60%), as a "
        "critical failure is stated in proportionate infrastructure")
    assert criteria(result)["PI12"].status == "not_met"
    text = profile.read_text(encoding="utf-8")
    stated = "    agreement:\n      exists: false\n"
    assert text.count(stated) == 1
    silent_path = tmp_path / "silent.yaml"
    silent_path.write_text(text.replace(stated, ""), encoding="utf-8")
    silent = judge_file(silent_path)
    assert criteria(silent)["PI12"].status == "not_evidenced"
    assert silent.overall.rating == "insufficient_evidence"


REMIT_SILENT = Path(__file__).resolve().parent / "calibration" / \
    "27-lead-mhlda-silent-on-delegation-and-money.yaml"


def _infrastructure(path: Path) -> tuple[str, str | None, str]:
    trust, source = load(path, TrustDescription)
    result = evaluate(trust, source, load_questionnaire(),
                      resolve_as_of(None, trust, dt.date(2026, 10, 31)))
    cat = next(c for c in result.categories if c.id == "proportionate_infrastructure")
    return cat.rating, cat.capped_by, cat.explanation


def test_silence_on_an_arrangements_remit_caps_at_amber_and_on_a_safeguard_at_red(
        tmp_path: Path) -> None:
    # The lead of a specialised collaborative never says whether any function is delegated
    # to it: the exposure is unknown, so the critical silence caps its question at amber.
    assert _infrastructure(REMIT_SILENT) == (
        "amber", "PI12",
        "amber: capped by PI12 (Delegated ICB functions have a delegation agreement), "
        "not evidenced")
    # Once the file lists a delegated function, silence on its agreement is silence on the
    # safeguard of a stated exposure: red, as rule 3 says.
    text = REMIT_SILENT.read_text(encoding="utf-8").replace(
        "  trust_role: lead\n  status: formal\n",
        "  trust_role: lead\n  status: formal\n"
        "  delegated_functions: [{function: Adult secure commissioning}]\n", 1)
    stated = tmp_path / "stated.yaml"
    stated.write_text(text, encoding="utf-8")
    assert "delegated_functions: [{function" in text
    rating, capped_by, _ = _infrastructure(stated)
    assert (rating, capped_by) == ("red", "PI12")


def test_a_critical_criterion_partly_met_for_want_of_information_is_not_a_stated_failure(
        ) -> None:
    # PI12 is partly met: one function's agreement is complete, and the other arrangement
    # does not say whether anything is delegated to it. Batch views count it with the
    # silences (as the caps do), never as a critical criterion the file states failing.
    path = CASES / "partly-silent-critical.yaml"
    found = criteria(judge("partly-silent-critical.yaml"))
    assert (found["PI12"].status, found["PI12"].evidenced, found["PI12"].message) == (
        "partly_met", False, "1 of 2 delegated functions or arrangements: place: whether any "
        "functions are delegated to it is not recorded")
    run = run_cli("check", str(path), "-f", "csv", "--as-of", "2026-10-01")
    row = next(csv.DictReader(io.StringIO(run.stdout)))
    # Twelve critical criteria are silent here (SA02, PI01, PI08, PI12, PI16, PI18, RS01,
    # RS03, RM01, RM08, PF01, PF05); none is stated failing.
    assert (row["critical_gaps"], row["critical_not_evidenced"]) == ("0", "12")


def test_a_thin_outlier_rated_by_two_red_questions_says_so_not_that_it_states_failures(
        ) -> None:
    # 56% evidenced, red because two questions are red; no critical failure is stated, so
    # the outlier's reason must not say it was rated "on the failures it states".
    run = run_cli("check", str(FIXTURES / "thin-red"), "-f", "json")
    assert run.exit_code == 0, run.stderr
    (outlier,) = json.loads(run.stdout)["summary"]["outliers"]
    assert outlier["reasons"] == [{
        "kind": "thin_submission",
        "text": "thin submission: evidences 56% of the questionnaire, under the 60% needed for a "
                "rating; rated red: 2 questions rated red (proportionate infrastructure, "
                "performance fallback)"}]


def test_each_gap_carries_how_it_stands_for_the_caps() -> None:
    # The engine's verdict on each gap travels with the result: a silence only on whether
    # anything is delegated to an arrangement is the remit unknown, a silence on a safeguard
    # is silent, a stated failure is failing; met, waived or not applicable carry none.
    found = criteria(judge("partly-silent-critical.yaml"))
    assert found["PI12"].gap_state == "remit_unknown"
    assert found["PI08"].gap_state == "silent"
    states = {c.status: set() for c in found.values()}
    for c in found.values():
        states[c.status].add(c.gap_state)
    assert states.pop("met", {None}) == {None}
    assert states.pop("not_applicable", {None}) == {None}
    assert states["not_evidenced"] <= {"silent", "remit_unknown"}
    assert found["PI12"].evidence[0].on_remit
    assert [e.on_remit for e in found["PI08"].evidence] == [False] * len(
        found["PI08"].evidence)


def test_silence_on_a_remit_is_what_the_check_kind_marks_not_a_path_pattern(
        tmp_path: Path) -> None:
    # A questionnaire's own for_each on an arrangement's remit marks the silence as the
    # remit's; the same kind on the remit block as a whole, or on a safeguard, does not.
    mini = (FIXTURES / "questionnaires" / "mini.yaml").read_text(encoding="utf-8")
    forum = "check: {kind: present, path: decision_making.forum}"
    assert forum in mini
    trust = tmp_path / "trust.yaml"
    trust.write_text("schema_version: 1\nas_of: 2026-10-01\n"
                     "organisation: {name: Harlow Vale NHS Trust}\n"
                     "collaboratives:\n  - {id: place, name: Harlow Vale Place, "
                     "type: place_based_partnership}\n", encoding="utf-8")
    loaded, source = load(trust, TrustDescription)

    def pi01(path: str) -> CriterionResult:
        file = tmp_path / f"{path}.yaml"
        file.write_text(mini.replace(forum, "check: {kind: present, path: " + path + "}"),
                        encoding="utf-8")
        result = evaluate(loaded, source, load_questionnaire(str(file)), dt.date(2026, 10, 1))
        return criteria(result)["PI01"]

    remit = pi01("remit.delegated_functions")
    assert (remit.status, remit.gap_state) == ("not_evidenced", "remit_unknown")
    assert [(e.path, e.on_remit) for e in remit.evidence] == [
        ("collaboratives[0].remit.delegated_functions", True)]
    for path in ("remit", "decision_making.forum"):
        assert (pi01(path).status, pi01(path).gap_state) == ("not_evidenced", "silent"), path
