"""JUnit through the CLI: valid for Jenkins and JUnit 5, outcomes that agree with the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import EXAMPLES, run_cli

SCHEMAS = Path("/work/shared/schemas")
MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")
STRONG = str(EXAMPLES / "strong-acute-ft.yaml")


def schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    if not path.is_file():  # pragma: no cover - the schemas ship beside the workspace
        pytest.skip(f"{path} is not here")
    return etree.XMLSchema(etree.parse(str(path)))


def valid_everywhere(text: str) -> etree._Element:
    document = etree.fromstring(text.encode("utf-8"))
    for name in ("jenkins-xunit-junit-10.xsd", "junit5-jenkins-junit.xsd"):
        checker = schema(name)
        assert checker.validate(document), (name, str(checker.error_log))
    return document


def test_within_thresholds_exit_0_and_no_failures() -> None:
    run = run_cli("check", MIDDLING, "-f", "junit")
    assert run.exit_code == 0
    root = valid_everywhere(run.stdout)
    assert (root.get("failures"), root.get("errors")) == ("0", "0")
    assert root.findall(".//failure") == []
    assert {p.get("value") for p in root.iterfind(".//property[@name='file']")} == {MIDDLING}


def test_a_failed_threshold_fails_its_case_and_the_gaps_under_it() -> None:
    run = run_cli("check", MIDDLING, "-f", "junit", "--fail-under", "risk_management=70",
                  "--fail-on-critical")
    assert run.exit_code == 1
    root = valid_everywhere(run.stdout)
    failed = [case.get("name") for case in root.iterfind(".//testcase[failure]")]
    # Not evidenced is a gap like not met: PF01 is critical and not evidenced.
    assert failed == [
        "RM03 Collaborative BAF risks scored with a target",
        "RM04 BAF risks reviewed within 3 months",
        "RM06 Arrangement risk register with an escalation threshold",
        "RM11 Each arrangement has a BAF risk specific to it",
        "RM14 Internal audit actions are not overdue", "PF01 Exit provisions",
        "risk_management score 66.7 is below 70", "critical criterion PF01 is not evidenced"]
    assert root.get("failures") == str(len(failed))


def test_a_batch_with_a_file_that_cannot_be_evaluated_is_valid_and_exits_2(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [", encoding="utf-8")
    run = run_cli("check", STRONG, MIDDLING, str(bad), "-f", "junit", "--fail-under", "80")
    assert run.exit_code == 2
    root = valid_everywhere(run.stdout)
    assert root.get("errors") == "1"
    assert [s.get("name") for s in root.iterfind("testsuite")][-2:] == [
        f"{MIDDLING}: thresholds", str(bad)]
