"""Configuration files, environment variables and flags, and the gates they set."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, FIXTURES, run_cli

MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")
STRONG = str(EXAMPLES / "strong-acute-ft.yaml")
MINI_QUESTIONNAIRE = FIXTURES / "questionnaires" / "mini.yaml"
MINI_TRUST = str(FIXTURES / "trusts" / "mini-two.yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory as the working directory, with no BOARDCHECK_* set."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("BOARDCHECK_") or name == "GITHUB_ACTIONS":
            monkeypatch.delenv(name)
    return tmp_path


def test_config_file_sets_format_and_thresholds(project: Path) -> None:
    (project / ".boardcheck.toml").write_text(
        'format = "json"\nfail_under = 90\n', encoding="utf-8")
    run = run_cli("check", MIDDLING)
    assert run.exit_code == 1
    assert json.loads(run.stdout)["overall"]["rating"] == "amber"
    assert "overall score" in run.stderr and "below --fail-under 90" in run.stderr


def test_pyproject_section_is_found_from_a_subdirectory(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text('[tool.boardcheck]\nformat = "markdown"\n',
                                            encoding="utf-8")
    sub = project / "governance" / "2026"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    run = run_cli("check", MIDDLING)
    assert run.exit_code == 0
    assert run.stdout.startswith("## Marrowdene Community and Mental Health NHS Trust")


def test_a_questionnaire_path_in_the_file_is_read_from_the_file_s_directory(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "governance").mkdir()
    (project / "governance" / "ours.yaml").write_bytes(MINI_QUESTIONNAIRE.read_bytes())
    (project / "pyproject.toml").write_text(
        '[tool.boardcheck]\nquestionnaire = "governance/ours.yaml"\n', encoding="utf-8")
    sub = project / "papers"
    sub.mkdir()
    monkeypatch.chdir(sub)
    run = run_cli("check", MINI_TRUST, "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["questionnaire"]["id"] == "mini"
    shown = run_cli("config").stdout
    ours = project / "governance" / "ours.yaml"
    assert f'questionnaire = "{ours}"  # {project / "pyproject.toml"}:2' in shown


def test_flags_beat_environment_beat_file(project: Path) -> None:
    (project / ".boardcheck.toml").write_text('format = "markdown"\nfail_on = "red"\n',
                                              encoding="utf-8")
    env = {"BOARDCHECK_FORMAT": "json"}
    from_env = run_cli("check", STRONG, env=env)
    assert json.loads(from_env.stdout)["schema_version"] == 3
    from_flag = run_cli("check", STRONG, "--format", "csv", env=env)
    assert from_flag.stdout.startswith("file,organisation,")
    shown = run_cli("config", env=env)
    assert shown.exit_code == 0
    assert 'format = "json"  # environment BOARDCHECK_FORMAT' in shown.stdout
    assert f'fail_on = "red"  # {project / ".boardcheck.toml"}:2' in shown.stdout
    assert "# fail_under: not set (default)" in shown.stdout


def test_invalid_config_names_file_line_and_key(project: Path) -> None:
    config = project / ".boardcheck.toml"
    config.write_text('format = "json"\nfail_undr = 70\n', encoding="utf-8")
    run = run_cli("check", STRONG)
    assert run.exit_code == 2
    assert run.stderr == f"{config}:2:1: fail_undr: unknown setting; did you mean 'fail_under'?\n"
    config.write_text('format = "xml"\n', encoding="utf-8")
    bad_format = run_cli("check", STRONG)
    assert bad_format.exit_code == 2
    assert bad_format.stderr.startswith(f"{config}:1:1: format: 'xml' is not one of rich,")
    config.write_text('format = "json\n', encoding="utf-8")
    assert run_cli("check", STRONG).stderr.startswith(f"{config}:1:")


def test_bad_environment_value_is_named(project: Path) -> None:
    run = run_cli("check", STRONG, env={"BOARDCHECK_FAIL_UNDER": "lots"})
    assert run.exit_code == 2
    assert run.stderr == "boardcheck: BOARDCHECK_FAIL_UNDER: fail_under: 'lots' is not a number\n"


def test_disable_and_weights_change_the_score(project: Path) -> None:
    base = json.loads(run_cli("check", MIDDLING, "-f", "json").stdout)
    (project / ".boardcheck.toml").write_text(
        'disable = ["PF01", "PF03"]\n[weights]\nRM01 = 0.5\n', encoding="utf-8")
    changed = json.loads(run_cli("check", MIDDLING, "-f", "json").stdout)
    ids = [c["id"] for cat in changed["categories"] for c in cat["criteria"]]
    assert "PF01" not in ids and "PF03" not in ids
    rm01 = next(c for cat in changed["categories"] for c in cat["criteria"] if c["id"] == "RM01")
    assert rm01["weight"] == 0.5
    assert changed["overall"]["score"] > base["overall"]["score"]
    assert changed["questionnaire"]["digest"] != base["questionnaire"]["digest"]


def test_unknown_criterion_in_config_is_an_error(project: Path) -> None:
    config = project / ".boardcheck.toml"
    config.write_text('disable = ["PF99"]\n', encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stderr) == (
        2, f"{config}:1:1: disable: unknown criterion id(s): PF99\n")


def test_category_thresholds_and_fail_on_critical(project: Path) -> None:
    within = run_cli("check", MIDDLING, "-f", "json", "--fail-under", "strategy_alignment=85")
    assert within.exit_code == 0
    below = run_cli("check", MIDDLING, "-f", "json", "--fail-under", "risk_management=70",
                    "--fail-under", "50")
    assert below.exit_code == 1
    assert below.stderr == ("boardcheck: threshold failed: risk_management score 66.7 is below "
                            "70\n")
    critical = run_cli("check", MIDDLING, "-f", "json", "--fail-on-critical")
    assert critical.exit_code == 1
    # The file is silent on exit terms: a critical criterion not evidenced fails the gate too.
    assert critical.stderr == ("boardcheck: threshold failed: critical criterion PF01 is not "
                               "evidenced\n")
    assert run_cli("check", STRONG, "-f", "json", "--fail-on-critical").exit_code == 0
    bad = run_cli("check", STRONG, "--fail-under", "money=50")
    assert bad.exit_code == 2
    assert bad.stderr == ("boardcheck: --fail-under: 'money' is not a "
                          "category; use one of strategy_alignment, proportionate_infrastructure,"
                          " resourcing, risk_management, performance_fallback\n")


def test_config_waiver_turns_a_fail_into_a_pass_until_it_expires(project: Path) -> None:
    args = ("check", MIDDLING, "-f", "json", "--fail-on-critical")
    assert run_cli(*args).exit_code == 1
    waiver = ('[[waivers]]\ncriterion = "{id}"\nreason = "Exit terms agreed, awaiting '
              'signature"\nowner = "Company Secretary"\napproved_by = "Audit Committee"\n'
              "review_by = {date}\n")
    text = "".join(waiver.format(id=i, date="2026-12-31") for i in ("PF01", "RM01"))
    config = project / ".boardcheck.toml"
    config.write_text(text, encoding="utf-8")
    passed = run_cli(*args)
    assert passed.exit_code == 0
    data = json.loads(passed.stdout)
    assert [w["criterion"] for w in data["waivers"]] == ["PF01", "RM01"]
    statuses = {c["id"]: c["status"] for cat in data["categories"] for c in cat["criteria"]}
    assert statuses["PF01"] == "waived"
    config.write_text(text.replace("2026-12-31", "2026-09-30"), encoding="utf-8")
    expired = run_cli(*args)
    assert expired.exit_code == 1
    assert json.loads(expired.stdout)["waivers"][0]["expired"] is True


def test_github_format_is_chosen_under_actions_and_writes_a_step_summary(project: Path) -> None:
    summary = project / "summary.md"
    run = run_cli("check", MIDDLING, env={"GITHUB_ACTIONS": "true",
                                          "GITHUB_STEP_SUMMARY": str(summary)})
    assert run.exit_code == 0
    assert run.stdout.startswith("::")
    assert "::error file=" in run.stdout
    assert summary.read_text(encoding="utf-8").startswith(
        "## Marrowdene Community and Mental Health NHS Trust")


def test_quiet_prints_only_failures(project: Path) -> None:
    quiet = run_cli("check", MIDDLING, "--quiet")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    failing = run_cli("check", MIDDLING, "--quiet", "--fail-on", "red")
    assert failing.exit_code == 1
    assert failing.stdout == ""
    assert failing.stderr == ("boardcheck: threshold failed: performance_fallback is rated red "
                              "(--fail-on red)\n")


def test_validate_and_check_agree_on_a_waiver_for_a_disabled_criterion(project: Path) -> None:
    (project / ".boardcheck.toml").write_text('disable = ["PF01"]\n', encoding="utf-8")
    trust = project / "w.yaml"
    trust.write_text("schema_version: 1\norganisation: {name: W}\nwaivers:\n  - {criterion: "
                     "PF01, reason: r, owner: o, approved_by: a, review_by: 2027-01-01}\n",
                     encoding="utf-8")
    expected = (f"{trust}:4:17: waivers[0].criterion: 'PF01' is not a criterion of "
                "questionnaire nhs-providers-collaboration\n")
    for command in ("validate", "check"):
        run = run_cli(command, str(trust))
        assert (run.exit_code, run.stdout, run.stderr) == (2, "", expected), command


DEEP = "x = " + "[" * 50_000 + "]" * 50_000 + "\n"


@pytest.mark.parametrize("command", [("config",), ("check", STRONG), ("due", STRONG),
                                     ("diff", STRONG, STRONG)])
def test_a_deeply_nested_config_is_refused_in_every_command(project: Path,
                                                             command: tuple[str, ...]) -> None:
    (project / ".boardcheck.toml").write_text(DEEP, encoding="utf-8")
    run = run_cli(*command)
    assert (run.exit_code, run.stderr) == (
        2, f"{project}/.boardcheck.toml:1:1: TOML nested too deeply to be a configuration\n")


def test_a_deep_pyproject_of_another_tool_up_the_tree_is_passed_over(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(DEEP, encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    run = run_cli("check", STRONG, "-f", "json")
    assert (run.exit_code, run.stderr) == (0, "")


def test_a_deep_or_broken_boardcheck_section_up_the_tree_is_reported(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    (project / "pyproject.toml").write_text("[tool.boardcheck]\n" + DEEP, encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stderr) == (
        2, f"{project}/pyproject.toml:1:1: TOML nested too deeply to be a configuration\n")
    (project / "pyproject.toml").write_text("[tool.boardcheck]\nfail_under = 70\nx = ",
                                            encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stderr) == (
        2, f"{project}/pyproject.toml:3:5: TOML syntax error: Invalid value at the end of the "
        "file\n")


def test_toml_syntax_errors_are_at_their_real_line(project: Path) -> None:
    (project / ".boardcheck.toml").write_text('fail_under = 70\nfail_on = "red\n',
                                              encoding="utf-8")
    run = run_cli("config")
    assert (run.exit_code, run.stderr) == (
        2, f"{project}/.boardcheck.toml:2:15: TOML syntax error: Illegal character '\\n'\n")


def test_the_config_file_is_bounded_and_must_be_a_regular_file(project: Path) -> None:
    big = project / ".boardcheck.toml"
    big.write_text("# padding\n" * 200_000, encoding="utf-8")
    run = run_cli("config")
    assert (run.exit_code, run.stderr) == (
        2, f"{big}:1:1: the file is 2,000,000 bytes, more than the limit of 1,048,576\n")
    big.unlink()
    fifo = project / "fifo.toml"
    os.mkfifo(fifo)
    run = run_cli("config", "--config", str(fifo))
    assert (run.exit_code, run.stderr) == (
        2, f"{fifo}:1:1: not a regular file (a device, FIFO or socket): refusing to read it\n")


def test_an_infinite_weight_in_the_config_is_refused(project: Path) -> None:
    (project / ".boardcheck.toml").write_text("[weights]\nPF09 = inf\n", encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stderr) == (
        2, f"{project}/.boardcheck.toml:2:1: weights.PF09: inf is not a number above 0\n")


CATEGORIES = ("strategy_alignment, proportionate_infrastructure, resourcing, risk_management, "
              "performance_fallback")


@pytest.mark.parametrize(("file", "env", "flags", "where", "message"), [
    ("fail_under = 500\n", {}, (), "{config}:1:1", "fail_under: 500 is not between 0 and 100"),
    ("", {"BOARDCHECK_FAIL_UNDER": "500"}, (), "boardcheck: BOARDCHECK_FAIL_UNDER",
     "fail_under: 500 is not between 0 and 100"),
    ("", {}, ("--fail-under", "500"), "boardcheck: --fail-under",
     "500 is not between 0 and 100"),
    ("", {"BOARDCHECK_FAIL_UNDER": "nan"}, (), "boardcheck: BOARDCHECK_FAIL_UNDER",
     "fail_under: nan is not between 0 and 100"),
    ("# thresholds\n[fail_under_category]\nrisk_management = 60\nmoney = 50\n", {}, (),
     "{config}:4:1", f"fail_under_category: 'money' is not a category; use one of "
     f"{CATEGORIES}"),
    ("", {"BOARDCHECK_FAIL_UNDER": "70 money=50"}, (), "boardcheck: BOARDCHECK_FAIL_UNDER",
     f"fail_under_category: 'money' is not a category; use one of {CATEGORIES}"),
    ("[fail_under_category]\nresourcing = 101\n", {}, (), "{config}:2:1",
     "fail_under_category.resourcing: 101 is not between 0 and 100"),
    ('fail_on = "green"\n', {}, (), "{config}:1:1", "fail_on: 'green' is not one of amber, red"),
    ("", {"BOARDCHECK_FAIL_ON": "green"}, (), "boardcheck: BOARDCHECK_FAIL_ON",
     "fail_on: 'green' is not one of amber, red"),
    ("", {}, ("--fail-on", "green"), "boardcheck: --fail-on",
     "'green' is not one of amber, red"),
    ("jobs = 0\n", {}, (), "{config}:1:1", "jobs: 0 is not a whole number of at least 1"),
    ("", {"BOARDCHECK_JOBS": "0"}, (), "boardcheck: BOARDCHECK_JOBS",
     "jobs: 0 is not a whole number of at least 1"),
    ("", {"BOARDCHECK_AS_OF": "2026-02-30"}, (), "boardcheck: BOARDCHECK_AS_OF",
     "as_of: '2026-02-30' is not a valid date (day is out of range for month)"),
    ("", {"BOARDCHECK_AS_OF": "31/09/2026"}, (), "boardcheck: BOARDCHECK_AS_OF",
     "as_of: '31/09/2026' is not a valid date (day is out of range for month)"),
    ("", {}, ("--as-of", "09-15-2026"), "boardcheck: --as-of",
     "'09-15-2026' is not a date: write it as 15/09/2026 (day/month/year) or "
     "2026-09-15"),
])
def test_every_source_of_a_setting_gets_the_same_check_and_message(
        project: Path, file: str, env: dict[str, str], flags: tuple[str, ...], where: str,
        message: str) -> None:
    config = project / ".boardcheck.toml"
    config.write_text(file, encoding="utf-8")
    run = run_cli("check", STRONG, *flags, env=env)
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"{where.format(config=config)}: {message}\n")


def test_keys_are_found_on_their_own_line_not_another_tool_s(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.other]\njobs = 4\nfail_on = "x"\n\n[tool.boardcheck]\n'
                         'format = "json"\njobs = 0\n', encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stderr) == (
        2, f"{pyproject}:7:1: jobs: 0 is not a whole number of at least 1\n")


def test_a_config_waiver_for_an_unknown_criterion_is_an_error(project: Path) -> None:
    config = project / ".boardcheck.toml"
    config.write_text('[[waivers]]\ncriterion = "PF01"\nreason = "r"\nowner = "o"\n'
                      'approved_by = "a"\nreview_by = 2027-01-01\n\n[[waivers]]\n'
                      'criterion = "ZZ99"\nreason = "r"\nowner = "o"\napproved_by = "a"\n'
                      "review_by = 2027-01-01\n", encoding="utf-8")
    run = run_cli("check", STRONG)
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"{config}:9:1: waivers[1].criterion: 'ZZ99' is not a criterion of "
        "questionnaire nhs-providers-collaboration\n")


def test_config_prints_toml_that_reads_back_as_the_same_settings(project: Path) -> None:
    import tomllib

    config = project / ".boardcheck.toml"
    config.write_text('# ours\nformat = "json"\nfail_under = 70\nas_of = 2026-10-01\n'
                      'disable = ["PI02"]\n[fail_under_category]\nrisk_management = 60\n'
                      '[[waivers]]\ncriterion = "PI11"\nreason = "Quorum \\"under\\" review"\n'
                      'owner = "o"\napproved_by = "a"\nreview_by = 2027-01-31\n',
                      encoding="utf-8")
    run = run_cli("config", env={"BOARDCHECK_FAIL_ON": "red"})
    assert run.exit_code == 0
    assert run.stdout == (
        f"# boardcheck configuration in effect (configuration file: {config})\n"
        "# questionnaire: not set (default)\n"
        f'format = "json"  # {config}:2\n'
        f"as_of = 2026-10-01  # {config}:4\n"
        f"fail_under = 70.0  # {config}:3\n"
        'fail_on = "red"  # environment BOARDCHECK_FAIL_ON\n'
        "# fail_on_critical: not set (default)\n"
        "# jobs: not set (default)\n"
        "# sort: not set (default)\n"
        "# excel: not set (default)\n"
        f'disable = ["PI02"]  # {config}:5\n'
        "# weights: not set (default)\n"
        "# paper: not set (default)\n"
        "\n"
        f"[fail_under_category]  # {config}:6\n"
        "risk_management = 60.0\n"
        "\n"
        f"[[waivers]]  # {config}:9\n"
        'criterion = "PI11"\n'
        'reason = "Quorum \\"under\\" review"\n'
        'owner = "o"\n'
        'approved_by = "a"\n'
        "review_by = 2027-01-31\n")
    again = tomllib.loads(run.stdout)
    assert again["fail_under_category"] == {"risk_management": 60.0}
    assert again["waivers"][0]["reason"] == 'Quorum "under" review'
    assert (again["format"], again["fail_on"], again["disable"]) == ("json", "red", ["PI02"])
