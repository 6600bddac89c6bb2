"""Behaviour through the command line: exit codes, thresholds, writing, the small commands."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from boardcheck import __version__
from tests.conftest import EXAMPLES, run_cli

MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")
STRONG = str(EXAMPLES / "strong-acute-ft.yaml")


def test_version() -> None:
    run = run_cli("--version")
    assert (run.exit_code, run.stdout) == (0, f"boardcheck {__version__}\n")


def test_help_leads_with_examples_and_exit_codes() -> None:
    run = run_cli("--help")
    assert run.exit_code == 0
    assert "boardcheck check trust.yaml" in run.stdout
    assert "  0    checked, and within any threshold given" in run.stdout


def test_rich_report_is_plain_text_off_a_terminal() -> None:
    run = run_cli("check", MIDDLING)
    assert run.exit_code == 0
    assert "\x1b[" not in run.stdout
    lines = run.stdout.splitlines()
    assert lines[0] == "Marrowdene Community and Mental Health NHS Trust (ZZB)"
    assert "Overall readiness: " in run.stdout and "AMBER" in run.stdout
    assert "? PF01 Exit provisions [critical · not evidenced]" in run.stdout
    assert all(len(line) <= 100 for line in lines)


def test_color_always_emits_escape_codes_and_no_color_wins_over_auto() -> None:
    assert "\x1b[" in run_cli("check", MIDDLING, "--color", "always").stdout
    assert "\x1b[" not in run_cli("check", MIDDLING, env={"NO_COLOR": "1"}).stdout


def test_fail_under_and_fail_on() -> None:
    within = run_cli("check", STRONG, "--fail-under", "60", "--fail-on", "red")
    assert (within.exit_code, within.stderr) == (0, "")
    below = run_cli("check", MIDDLING, "--format", "json", "--fail-under", "90")
    score = json.loads(below.stdout)["overall"]["score"]
    assert below.exit_code == 1
    assert below.stderr == (f"boardcheck: threshold failed: overall score {score:g} is below "
                            "--fail-under 90\n")
    amber = run_cli("check", MIDDLING, "-f", "json", "--fail-on", "red")
    assert amber.exit_code == 1
    assert amber.stderr == ("boardcheck: threshold failed: performance_fallback is rated red "
                            "(--fail-on red)\n")


def test_usage_errors_exit_2() -> None:
    assert run_cli("check", MIDDLING, "--format", "xml").exit_code == 2
    assert run_cli("check", MIDDLING, "--fail-on", "purple").exit_code == 2
    assert run_cli("check", MIDDLING, "--fail-under", "120").exit_code == 2
    bad_date = run_cli("check", MIDDLING, "--as-of", "2026-02-30")
    assert bad_date.exit_code == 2
    assert bad_date.stderr == ("boardcheck: --as-of: '2026-02-30' is not a valid date "
                               "(day is out of range for month)\n")
    assert run_cli("check").exit_code == 2
    assert run_cli("frobnicate").exit_code == 2


def test_as_of_flag_changes_the_judgement() -> None:
    run = run_cli("check", STRONG, "-f", "json", "--as-of", "2028-10-01")
    data = json.loads(run.stdout)
    assert data["as_of"] == "2028-10-01"
    sa06 = next(c for cat in data["categories"] for c in cat["criteria"] if c["id"] == "SA06")
    assert sa06["status"] == "not_met"


def test_output_file_is_written_and_never_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    first = run_cli("check", STRONG, "-f", "json", "-o", str(target))
    assert (first.exit_code, first.stdout) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["overall"]["rating"] == "green"
    target.write_text("precious", encoding="utf-8")
    again = run_cli("check", STRONG, "-f", "json", "-o", str(target))
    assert again.exit_code == 2
    assert again.stderr == f"boardcheck: {target}: already exists; use --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "precious"
    forced = run_cli("check", STRONG, "-f", "json", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 3


def test_output_over_the_input_is_refused(tmp_path: Path) -> None:
    trust = tmp_path / "trust.yaml"
    trust.write_bytes(Path(STRONG).read_bytes())
    run = run_cli("check", str(trust), "-o", str(trust), "--force")
    assert run.exit_code == 2
    assert run.stderr == (f"boardcheck: {trust}: refusing to write the output over an input "
                          "file\n")
    assert trust.read_bytes() == Path(STRONG).read_bytes()


def test_json_output_is_deterministic() -> None:
    assert run_cli("check", MIDDLING, "-f", "json").stdout == \
        run_cli("check", MIDDLING, "-f", "json").stdout


def test_init_writes_a_template_that_validates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "trust.yaml"
    made = run_cli("init", str(target))
    assert made.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=trust.schema.json\n# boardcheck trust description")
    valid = run_cli("validate", str(target))
    assert (valid.exit_code, valid.stdout) == (0, f"{target}: valid\n")
    checked = run_cli("check", str(target), "-f", "json")
    assert checked.exit_code == 0
    again = run_cli("init", str(target))
    assert again.exit_code == 2
    assert again.stderr == (f"boardcheck: {target}: already exists; use --force to replace "
                            "it, or --interactive to revisit it\n")


def test_schema_is_json_schema_of_the_model() -> None:
    run = run_cli("schema")
    schema = json.loads(run.stdout)
    assert run.exit_code == 0
    assert schema["title"] == "TrustDescription"
    assert set(schema["required"]) == {"schema_version", "organisation"}
    assert "collaboratives" in schema["properties"]


def test_questions_lists_each_board_question() -> None:
    run = run_cli("questions")
    assert run.exit_code == 0
    questionnaire = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "questionnaires" /
         "nhs-providers-collaboration.yaml").read_text(encoding="utf-8"))
    for cat in questionnaire["categories"]:
        assert f"{cat['title']} [{cat['id']}]" in run.stdout
        for crit in cat["criteria"]:
            assert f"  {crit['id']}  " in run.stdout
    only = run_cli("questions", "--category", "resourcing")
    assert "RS01" in only.stdout and "PF01" not in only.stdout
    assert run_cli("questions", "--category", "money").exit_code == 2


def test_explain_shows_a_criterion_in_full() -> None:
    run = run_cli("explain", "pf01")
    assert run.exit_code == 0
    assert run.stdout.startswith("PF01: Exit provisions\n")
    assert "Check: exit_provisions " in run.stdout
    for label in ("Ask: ", "Why it matters: ", "How to close it: "):
        assert label in run.stdout
    missing = run_cli("explain", "PF99")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("boardcheck: no criterion 'PF99' in "
                                     "nhs-providers-collaboration; did you mean PF0")


def test_output_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    import os

    target = tmp_path / "report.txt"
    assert run_cli("check", STRONG, "-o", str(target)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


WAIVING = """\
schema_version: 1
organisation: {name: Waiving NHS Trust}
waivers:
  - {criterion: ZZ99, reason: r, owner: o, approved_by: a, review_by: 2027-01-01}
  - {criterion: pf01, reason: r, owner: o, approved_by: a, review_by: 2027-01-01}
  - {criterion: PF01, reason: r, owner: o, approved_by: a, review_by: 2027-01-01}
"""


def test_validate_checks_waivers_against_the_questionnaire(tmp_path: Path) -> None:
    bad = tmp_path / "waiving.yaml"
    bad.write_text(WAIVING, encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text("\n".join(WAIVING.splitlines()[:3] + WAIVING.splitlines()[4:5]) + "\n",
                    encoding="utf-8")
    run = run_cli("validate", str(bad), str(good))
    assert run.exit_code == 2
    assert run.stdout == f"{good}: valid\n"
    assert run.stderr == (
        f"{bad}:4:17: waivers[0].criterion: 'ZZ99' is not a criterion of questionnaire "
        "nhs-providers-collaboration\n"
        f"{bad}:6:17: waivers[2].criterion: 'PF01' is waived twice\n")


def test_validate_uses_the_configured_questionnaire_for_waivers(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("\n".join(WAIVING.splitlines()[:3] + WAIVING.splitlines()[4:5]) + "\n",
                    encoding="utf-8")
    config = tmp_path / ".boardcheck.toml"
    config.write_text('questionnaire = "missing.yaml"\n', encoding="utf-8")
    run = run_cli("validate", str(good), "--config", str(config))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"{tmp_path / 'missing.yaml'}:1:1: no such file\n"
    # Without waivers there is nothing to check against a questionnaire.
    assert run_cli("validate", STRONG, "--config", str(config)).exit_code == 0


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m boardcheck ARGS` in a child process: the real entry point, which leaves
    without the interpreter's teardown."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOARDCHECK_", "GITHUB_")) and k not in ("FORCE_COLOR",)}
    return subprocess.run([sys.executable, "-m", "boardcheck", *args], capture_output=True,
                          text=True, check=False, cwd=cwd, env={**env, "NO_COLOR": "1"})


def test_the_entry_point_keeps_exit_codes_and_loses_no_output(tmp_path: Path) -> None:
    whole = run_process("check", MIDDLING, "-f", "json")
    assert (whole.returncode, whole.stderr) == (0, "")
    assert whole.stdout == run_cli("check", MIDDLING, "-f", "json").stdout
    below = run_process("check", MIDDLING, "--fail-under", "80", "-q")
    assert (below.returncode, below.stdout) == (1, "")
    assert below.stderr == ("boardcheck: threshold failed: overall score 75.5 is below "
                            "--fail-under 80\n")
    missing = run_process("validate", str(tmp_path / "missing.yaml"))
    assert (missing.returncode, missing.stderr) == (2, f"{tmp_path / 'missing.yaml'}:1:1: "
                                                       "no such file\n")


def test_the_entry_point_leaves_a_batch_file_complete(tmp_path: Path) -> None:
    out = tmp_path / "sector.csv"
    run = run_process("check", str(EXAMPLES), "-f", "csv", "-o", str(out), "--jobs", "2")
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len({len(r) for r in rows}) == 1
    assert sorted(Path(r[0]).name for r in rows[1:]) == [
        "middling-community-mh.yaml", "strong-acute-ft.yaml", "weak-acute.yaml"]


def _dates_as_text(value: object) -> object:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value


def test_every_shipped_example_and_the_template_pass_the_schema() -> None:
    import jsonschema

    schema = json.loads(run_cli("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    files = [*sorted(EXAMPLES.glob("*.yaml")),
             Path(__file__).resolve().parents[1] / "src" / "boardcheck" / "templates" /
             "trust.yaml"]
    for path in files:
        data = _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert [e.message for e in validator.iter_errors(data)] == [], path
        assert run_cli("validate", str(path)).exit_code == 0


def test_the_schema_accepts_each_assurance_alias_validate_accepts(tmp_path: Path) -> None:
    import jsonschema

    from boardcheck.model import ASSURANCE_ALIASES

    schema = json.loads(run_cli("schema").stdout)
    audit = {"title": "T", "date": "2026-01-01", "assurance": ""}
    base = {"schema_version": 1, "organisation": {"name": "N"},
            "board_oversight": {"internal_audits": [audit]}}
    for alias in [*ASSURANCE_ALIASES, "No Assurance", " Significant ", "bogus"]:
        audit["assurance"] = alias
        ok = jsonschema.Draft202012Validator(schema).is_valid(base)
        trust = tmp_path / "t.yaml"
        trust.write_text(yaml.safe_dump(base), encoding="utf-8")
        assert ok == (run_cli("validate", str(trust)).exit_code == 0), alias
        assert ok == (alias != "bogus"), alias


def test_format_help_lists_every_format_each_command_takes() -> None:
    check_help = " ".join(run_cli("check", "--help").stdout.split())
    assert ("rich, json, csv, markdown, sarif, junit, github, html, docx, markdown-paper, "
            "xlsx (default from -o FILE's name, e.g. paper.docx; else rich, or github under "
            "GitHub Actions).") in check_help
    assert ("rich, json, csv, markdown, html, docx, markdown-paper (default from -o FILE's "
            "name, else rich).") in " ".join(
        run_cli("due", "--help").stdout.split()).replace("markdown- paper", "markdown-paper")
    assert "rich, json, markdown (default from -o FILE's name, else rich)." in " ".join(
        run_cli("diff", "--help").stdout.split())


def test_diff_and_due_share_one_block_of_report_options() -> None:
    """The options both report commands take are declared once and behave alike."""
    shared = ["-f, --format FORMAT", "-o, --output FILE", "--as-of DATE",
              "--questionnaire", "--max-bytes BYTES", "--color WHEN", "--config", "--force",
              "--debug"]
    for command in ("diff", "due"):
        text = run_cli(command, "--help").stdout
        at = [text.index(f"  {option}") for option in shared]
        assert at == sorted(at), command
    for argv in (["diff", MIDDLING, MIDDLING], ["due", MIDDLING]):
        bad = run_cli(*argv, "--color", "sometimes")
        assert (bad.exit_code, bad.stderr) == (
            2, "boardcheck: --color: 'sometimes' is not one of auto, always, never\n")
        late = run_cli(*argv, "--as-of", "2026-13-01")
        assert late.exit_code == 2 and "--as-of" in late.stderr, late.stderr


# Typer's own words for Python types, which mean nothing to a board secretary.
PYTHON_TYPE_WORDS = ["TEXT", "INTEGER", "PATH", "BOOLEAN", "FLOAT", "<", "list[", "str]",
                     "x>=", "x<="]


def test_help_speaks_domain_words_not_python_types() -> None:
    commands = ["check", "validate", "questions", "explain", "init", "schema", "diff", "due",
                "config"]
    for command in ["", *commands]:
        run = run_cli(*([command] if command else []), "--help")
        assert run.exit_code == 0, command
        for word in PYTHON_TYPE_WORDS:
            assert word not in run.stdout, (command, word)
    # The program's name in the usage line is the runner's; what follows it is ours.
    usage = {command: run_cli(command, "--help").stdout.splitlines()[0].split(" ", 3)[3]
             for command in ("check", "validate", "explain", "init", "diff", "due")}
    assert usage == {
        "check": "[OPTIONS] {TRUST_FILE}...",
        "validate": "[OPTIONS] {TRUST_FILE}...",
        "explain": "[OPTIONS] {CRITERION}",
        "init": "[OPTIONS] {NEW_FILE}",
        "diff": "[OPTIONS] {EARLIER} {LATER}",
        "due": "[OPTIONS] {TRUST_FILE}",
    }
    diff_help = run_cli("diff", "--help").stdout
    assert "  EARLIER  The earlier trust file or saved JSON result.  [required]" in diff_help
    assert "[default: rich]" not in diff_help  # said once, in words


def test_counts_below_their_least_are_refused_in_words() -> None:
    cases = [(["check", "-j", "0", MIDDLING], "Invalid value for '--jobs' / '-j': must be at "
              "least 1, not 0"),
             (["due", "--within", "-3", MIDDLING], "Invalid value for '--within': must be at "
              "least 0, not -3"),
             (["check", "--max-bytes", "0", MIDDLING], "Invalid value for '--max-bytes': must "
              "be at least 1, not 0")]
    for argv, message in cases:
        run = run_cli(*argv)
        assert run.exit_code == 2, argv
        assert message in run.stderr, run.stderr
