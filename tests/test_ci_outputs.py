"""What CI consumers get through the CLI: documents that carry failures, step summaries."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import EXAMPLES, run_cli

MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")
STRONG = str(EXAMPLES / "strong-acute-ft.yaml")
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "sarif-schema-2.1.0.json"


@pytest.fixture
def no_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def test_sarif_of_one_unreadable_file_is_still_a_valid_document(tmp_path: Path,
                                                                no_actions: None) -> None:
    missing = tmp_path / "missing.yaml"
    out = tmp_path / "out.sarif"
    run = run_cli("check", str(missing), "-f", "sarif", "-o", str(out))
    # The document still goes to its file, and says so, before the failure.
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"wrote code-scanning results (SARIF) to {out}\n{missing}:1:1: no such file\n")
    sarif = json.loads(out.read_text(encoding="utf-8"))
    if SARIF_SCHEMA.is_file():
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["no such file"]


def test_github_of_one_unreadable_file_goes_to_the_output_file(tmp_path: Path,
                                                               no_actions: None) -> None:
    missing = tmp_path / "missing.yaml"
    out = tmp_path / "annotations.txt"
    run = run_cli("check", str(missing), "-f", "github", "-o", str(out))
    assert (run.exit_code, run.stdout) == (2, "")
    assert out.read_text(encoding="utf-8") == (
        f"::error file={missing},line=1,col=1,title=boardcheck%3A cannot evaluate::"
        "no such file\n")


def test_a_batch_writes_the_step_summary_with_its_failed_thresholds(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    run = run_cli("check", MIDDLING, STRONG, "--fail-under", "80", env=env)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == (f"::error file={MIDDLING},title=boardcheck%3A threshold failed::"
                        "overall score 75.5 is below --fail-under 80")
    assert [line.split(" ", 1)[0] for line in lines[1:3]] == ["::notice", "::notice"]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## boardcheck: 2 trust(s) checked")
    assert text.endswith("\n### Thresholds failed\n\n- "
                         f"{MIDDLING.replace('_', chr(92) + '_')}: overall score 75.5 is below "
                         "--fail-under 80\n")


def test_sarif_gives_an_absolute_input_a_file_uri(tmp_path: Path, no_actions: None) -> None:
    trust = tmp_path / "my trust.yaml"
    trust.write_bytes(Path(MIDDLING).read_bytes())
    sarif = json.loads(run_cli("check", str(trust), "-f", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert uris == {f"file://{tmp_path}/my%20trust.yaml"}


def test_a_pattern_that_found_nothing_is_not_given_a_line_of_a_file(tmp_path: Path,
                                                                    no_actions: None) -> None:
    # A directory or pattern has no lines: a consumer given line 1 would point into a file
    # that does not exist. GitHub gets an error for the job; SARIF a location with no region;
    # JSON line and column 0 (not in a file's text).
    missing = str(tmp_path / "nowhere" / "*.yaml")
    github = run_cli("check", STRONG, missing, "-f", "github")
    assert github.exit_code == 2
    assert [line for line in github.stdout.splitlines() if line.startswith("::error")] == [
        f"::error title=boardcheck%3A cannot evaluate::{missing}: no files match this pattern"]
    out = tmp_path / "out.sarif"
    assert run_cli("check", STRONG, missing, "-f", "sarif", "-o", str(out)).exit_code == 2
    sarif = json.loads(out.read_text(encoding="utf-8"))
    if SARIF_SCHEMA.is_file():
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["message"]["text"], n["locations"]) for n in notes] == [
        ("no files match this pattern",
         [{"physicalLocation": {"artifactLocation": {"uri": f"file://{missing}"}}}])]
    saved = json.loads(run_cli("check", STRONG, missing, "-f", "json").stdout)
    assert saved["errors"] == [{"file": missing, "problems": [
        {"file": missing, "line": 0, "column": 0, "message": "no files match this pattern"}]}]
