"""The CI formats (SARIF, JUnit, GitHub commands, markdown) against golden files and specs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from boardcheck.engine import evaluate
from boardcheck.formats import github, html_paper, json_format, junit, markdown, rich_text, sarif
from boardcheck.formats.base import Format, RenderOptions
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.result import AppliedWaiver, CriterionResult, Evidence, Result
from tests.conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "sarif-schema-2.1.0.json"
TRUST = "tests/fixtures/trusts/mini-two.yaml"
UPDATE = os.environ.get("BOARDCHECK_UPDATE_GOLDEN") == "1"
OPTIONS = RenderOptions()


@pytest.fixture(scope="module")
def result() -> Result:
    trust, source = load(ROOT / TRUST, TrustDescription, display=TRUST)
    questionnaire = load_questionnaire(str(FIXTURES / "questionnaires" / "mini.yaml"))
    assert trust.as_of is not None, "the fixture fixes its as-of date: golden files rely on it"
    return evaluate(trust, source, questionnaire, trust.as_of)


def changed(result: Result, criterion: str, **changes: Any) -> Result:
    """The result with one criterion's fields replaced (scores left as they were)."""
    def swap(c: CriterionResult) -> CriterionResult:
        return dataclasses.replace(c, **changes) if c.id == criterion else c

    categories = tuple(dataclasses.replace(cat, criteria=tuple(swap(c) for c in cat.criteria))
                       for cat in result.categories)
    return dataclasses.replace(result, categories=categories)


def waived(result: Result) -> Result:
    """RM01 under a waiver that still applies, and an expired waiver for SA02."""
    waiver = AppliedWaiver(criterion="RM01", reason="Controls agreed at March board",
                           owner="Director of Governance", approved_by="Audit Committee",
                           review_by=dt.date(2026, 9, 30), expired=False, line=30)
    stale = AppliedWaiver(criterion="SA02", reason="Plan pending", owner="CEO",
                          approved_by="Board", review_by=dt.date(2026, 1, 31), expired=True,
                          line=35)
    result = changed(result, "RM01", status="waived", waiver=waiver,
                     message="waived: Controls agreed at March board (was: 1 of 2 BAF "
                             "risks: R2: controls is empty)")
    result = changed(result, "SA02", waiver=stale)
    return dataclasses.replace(result, waivers=(stale, waiver))


# --- golden files ---------------------------------------------------------------------------

FORMATS: dict[str, Format] = {
    "mini-two.sarif": sarif.FORMAT,
    "mini-two.junit.xml": junit.FORMAT,
    "mini-two.github.txt": github.FORMAT,
    "mini-two.md": markdown.FORMAT,
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(result: Result, name: str) -> None:
    rendered = FORMATS[name].render(result, OPTIONS).encode("utf-8")
    golden = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(rendered)
    assert golden.exists(), f"{golden} is missing: run with BOARDCHECK_UPDATE_GOLDEN=1"
    assert rendered == golden.read_bytes(), (
        f"{name} differs from the golden file; if the change is intended, regenerate with "
        "BOARDCHECK_UPDATE_GOLDEN=1 and review the diff")


# Formats for people, rendered with the default options (no colour, 100 columns).
REPORT_FORMATS: dict[str, Format] = {
    "mini-two.rich.txt": rich_text.FORMAT,
    "mini-two.json": json_format.FORMAT,
    "mini-two.paper.html": html_paper.FORMAT,
}


@pytest.mark.parametrize("name", sorted(REPORT_FORMATS))
def test_report_golden(result: Result, name: str) -> None:
    rendered = REPORT_FORMATS[name].render(result, OPTIONS).encode("utf-8")
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(rendered)
    assert rendered == golden.read_bytes(), (
        f"{name} differs from the golden file; if the change is intended, regenerate with "
        "BOARDCHECK_UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_rendering_is_deterministic_and_ignores_options(result: Result, name: str) -> None:
    fmt = FORMATS[name]
    assert fmt.render(result, OPTIONS) == fmt.render(result, RenderOptions(color=True, width=40))


def test_golden_files_hold_no_absolute_paths() -> None:
    for path in GOLDEN.glob("mini-two.*"):
        assert str(ROOT) not in path.read_text(encoding="utf-8"), path.name


# --- SARIF ----------------------------------------------------------------------------------

def sarif_of(result: Result) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif.FORMAT.render(result, OPTIONS))
    return log


@pytest.mark.parametrize("variant", ["as-evaluated", "waived"])
def test_sarif_is_valid_against_the_official_schema(result: Result, variant: str) -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = sarif_of(result if variant == "as-evaluated" else waived(result))
    validator = jsonschema.Draft4Validator(schema,
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(log)]
    assert errors == []


def test_sarif_rules_results_and_locations(result: Result) -> None:
    log = sarif_of(result)
    assert (log["$schema"], log["version"]) == ("https://json.schemastore.org/sarif-2.1.0.json",
                                                "2.1.0")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [*[c.id for c in result.criteria], "BC-VERDICT",
                                        "BC-PLACEHOLDER"]
    assert rules[0]["name"] == "AlignmentReviewedWithin12Months"
    assert rules[5]["name"] == "BAFRisksHaveControls"
    assert rules[0]["properties"] == {"category": "strategy_alignment", "severity": "major",
                                      "weight": 3.0}
    assert "When?" in rules[0]["help"]["text"] and "Review it." in rules[0]["help"]["text"]
    found = [(r["ruleId"], r["level"], rules[r["ruleIndex"]]["id"]) for r in run["results"]
             if r["ruleId"] != "BC-VERDICT"]
    assert found == [("SA02", "note", "SA02"), ("PI01", "error", "PI01"),
                     ("RM01", "warning", "RM01")]
    sa02 = run["results"][0]
    assert sa02["message"]["text"] == ("strategy.joint_forward_plan_referenced is false, "
                                       "expected true Ask: Does it?")
    assert sa02["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": TRUST}, "region": {"startLine": 8, "startColumn": 34}}
    assert "suppressions" not in sa02


def test_sarif_says_who_made_it_in_what_language_and_that_the_run_succeeded(
        result: Result) -> None:
    """What the SARIF schema and Microsoft's validator (SARIF2005) ask of a tool: where to
    learn about it, its version as semver, the language of its messages; and the
    invocation's outcome stated even when nothing failed."""
    import tomllib

    (run,) = sarif_of(result)["runs"]
    driver = {k: v for k, v in run["tool"]["driver"].items() if k != "rules"}
    assert driver == {"name": "boardcheck", "version": "0.1.0", "semanticVersion": "0.1.0",
                      "informationUri": "https://github.com/YOUR-ORG/boardcheck",
                      "language": "en-GB"}
    assert run["language"] == "en-GB"
    assert run["invocations"] == [{"executionSuccessful": True}]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Homepage"] == driver["informationUri"]


def test_sarif_waived_is_suppressed_with_the_reason(result: Result) -> None:
    results = {r["ruleId"]: r for r in sarif_of(waived(result))["runs"][0]["results"]}
    assert results["RM01"]["suppressions"] == [
        {"kind": "external", "justification": "Controls agreed at March board"}]
    # The expired waiver does not suppress: SA02 counts again.
    assert "suppressions" not in results["SA02"]


def test_sarif_without_evidence_points_at_the_top_and_uses_forward_slashes(
        result: Result) -> None:
    bare = changed(dataclasses.replace(result, file="trusts\\north east\\a.yaml"), "SA02",
                   evidence=())
    sa02 = sarif_of(bare)["runs"][0]["results"][0]
    assert sa02["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "trusts/north%20east/a.yaml"},
        "region": {"startLine": 1, "startColumn": 1}}
    assert "relatedLocations" not in sa02


# --- JUnit ----------------------------------------------------------------------------------

def counts(criteria: tuple[CriterionResult, ...]) -> dict[str, str]:
    statuses = [c.status for c in criteria]
    return {
        "tests": str(len(statuses)),
        "failures": str(statuses.count("not_met") + statuses.count("partly_met")),
        "skipped": str(statuses.count("not_applicable") + statuses.count("waived")),
    }


def failing_all_gaps(subject: Result) -> RenderOptions:
    """What the CLI passes when an overall threshold fails: every gap fails with it."""
    gaps = frozenset(c.id for c in subject.criteria if c.status in ("not_met", "partly_met",
                                                                    "not_evidenced"))
    return RenderOptions(thresholds_failed=("overall score 60 is below --fail-under 70",),
                         failing_criteria=gaps)


@pytest.mark.parametrize("variant", ["as-evaluated", "waived"])
def test_junit_counts_match_the_statuses_when_a_threshold_fails(result: Result,
                                                                variant: str) -> None:
    subject = result if variant == "as-evaluated" else waived(result)
    root = ET.fromstring(junit.FORMAT.render(subject, failing_all_gaps(subject)).encode())
    assert root.tag == "testsuites" and root.get("name") == "boardcheck"
    expected = counts(subject.criteria)
    assert {k: root.get(k) for k in ("tests", "failures")} == {
        "tests": str(int(expected["tests"]) + 1), "failures": str(int(expected["failures"]) + 1)}
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [cat.id for cat in subject.categories] + [
        "thresholds"]
    for suite, cat in zip(suites[:-1], subject.categories, strict=True):
        assert {k: suite.get(k) for k in ("tests", "failures", "skipped")} == counts(
            cat.criteria)
        assert len(suite.findall("testcase/failure")) == int(counts(cat.criteria)["failures"])
        assert len(suite.findall("testcase/skipped")) == int(counts(cat.criteria)["skipped"])
    threshold = suites[-1].find("testcase/failure")
    assert threshold is not None and threshold.attrib == {
        "message": "threshold failed: overall score 60 is below --fail-under 70",
        "type": "threshold"}
    if variant == "as-evaluated":
        assert (root.get("tests"), root.get("failures")) == ("8", "4")


def test_junit_without_a_failed_threshold_has_no_failures(result: Result) -> None:
    root = ET.fromstring(junit.FORMAT.render(result, OPTIONS).encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "0", "0")
    assert root.findall(".//failure") == []
    out = root.find(".//testcase[@name='SA02 Strategy refers to the joint forward plan']"
                    "/system-out")
    assert out is not None and out.text is not None
    assert out.text.startswith("not met (minor): strategy.joint_forward_plan_referenced")
    files = {p.get("value") for p in root.findall("testsuite/properties/property[@name='file']")}
    assert files == {TRUST}


def test_junit_failure_carries_message_evidence_challenge_and_remediation(
        result: Result) -> None:
    root = ET.fromstring(junit.FORMAT.render(result, failing_all_gaps(result)).encode())
    case = root.find("testsuite[@name='strategy_alignment']/testcase[2]")
    assert case is not None
    assert case.attrib == {"classname": "boardcheck.strategy_alignment",
                           "name": "SA02 Strategy refers to the joint forward plan"}
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "minor"
    assert failure.text == (
        "not met: strategy.joint_forward_plan_referenced is false, expected true\n"
        f"{TRUST}:8:34: strategy.joint_forward_plan_referenced: "
        "strategy.joint_forward_plan_referenced is false, expected true\n"
        "Ask: Does it?\nClose it: Refer to it.")


def test_junit_stays_well_formed_with_control_characters(result: Result) -> None:
    odd = changed(result, "SA02", message="bad \x01 byte <&> \"quoted\"")
    root = ET.fromstring(junit.FORMAT.render(odd, failing_all_gaps(odd)).encode("utf-8"))
    failure = root.find(".//testcase[@name='SA02 Strategy refers to the joint forward plan']"
                        "/failure")
    assert failure is not None and failure.get("message") == ("not met: bad \ufffd byte <&> "
                                                              "\"quoted\"")


# --- GitHub workflow commands ---------------------------------------------------------------

def test_github_lines_most_important_first(result: Result) -> None:
    lines = github.FORMAT.render(result, OPTIONS).splitlines()
    assert lines[0] == ("::notice title=boardcheck::Overall 78.8 / 100 (AMBER; 85.0%25 "
                        "evidenced) for Testshire NHS Trust: 1 not met, 2 partly met, "
                        "0 not evidenced, 0 waived")
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::notice", "::error", "::warning", "::notice"]
    assert lines[-1] == (
        "::notice file=tests/fixtures/trusts/mini-two.yaml,line=8,col=34,"
        "title=SA02 Strategy refers to the joint forward plan::"
        "not met: strategy.joint_forward_plan_referenced is false, expected true Ask: Does it?")


def test_github_a_failed_threshold_is_an_error_before_everything(result: Result) -> None:
    options = RenderOptions(thresholds_failed=("overall score 78.8 is below --fail-under 80",))
    lines = github.FORMAT.render(result, options).splitlines()
    assert lines[0] == ("::error file=tests/fixtures/trusts/mini-two.yaml,title=boardcheck%3A "
                        "threshold failed::overall score 78.8 is below --fail-under 80")
    assert len(lines) == 5
    summary = github.step_summary(result, options.thresholds_failed)
    assert summary.endswith("\n### Thresholds failed\n\n- tests/fixtures/trusts/mini-two.yaml:"
                            " overall score 78.8 is below --fail-under 80\n")


def test_github_keeps_ten_of_a_level_and_counts_the_rest(result: Result) -> None:
    many = dataclasses.replace(result, categories=tuple(
        dataclasses.replace(cat, criteria=tuple(
            dataclasses.replace(c, id=f"{c.id[:2]}{n:02d}", status="not_met",
                                severity="minor") for n in range(12) for c in cat.criteria[:1]))
        for cat in result.categories[:1]))
    lines = github.FORMAT.render(many, OPTIONS).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::notice"] * 10
    assert lines[-1] == ("::notice title=boardcheck::4 more notice annotations are not shown "
                         "here (the runner keeps 10 per step); the step summary lists them all")


def test_github_escapes_data_and_properties(result: Result) -> None:
    odd = changed(dataclasses.replace(result, file="a,b:c.yaml"), "PI01",
                  title="Forum: named, 100%", message="50% done,\r\nsee: beta",
                  evidence=(Evidence("x", 3, 5, "x"),))
    line = next(x for x in github.FORMAT.render(odd, OPTIONS).splitlines()
                if x.startswith("::error"))
    assert line == ("::error file=a%2Cb%3Ac.yaml,line=3,col=5,"
                    "title=PI01 Forum%3A named%2C 100%25::"
                    "partly met, not evidenced: 50%25 done,%0D%0Asee: beta Ask: Which forum?")


def test_github_leaves_out_waived_and_omits_line_without_evidence(result: Result) -> None:
    odd = changed(waived(result), "SA02", evidence=())
    lines = github.FORMAT.render(odd, OPTIONS).splitlines()
    assert not any("RM01" in line for line in lines)
    assert lines[-1].startswith("::notice file=tests/fixtures/trusts/mini-two.yaml,title=SA02 ")
    assert lines[0].endswith(": 1 not met, 1 partly met, 0 not evidenced, 1 waived")


def test_step_summary_is_the_markdown_summary(result: Result) -> None:
    assert github.step_summary(result) == markdown.FORMAT.render(result, OPTIONS)


# --- markdown -------------------------------------------------------------------------------

def test_markdown_heading_and_table_rows(result: Result) -> None:
    text = markdown.FORMAT.render(result, OPTIONS)
    lines = text.splitlines()
    assert lines[0] == "## Testshire NHS Trust: 78.8 / 100 **AMBER** (85.0% evidenced)"
    for row in ["| Board question | Score | Evidenced | Rating |",
                "| Strategy: Aligned? | 75.0 | 100.0% | **AMBER** |",
                "| Infrastructure: Proportionate? | 90.0 | 90.0% | **AMBER**: capped by PI01 "
                "(Every arrangement names its forum), not evidenced |",
                "| Resourcing: Resourced? | — | — | **INCONCLUSIVE**: no criterion applies |",
                "| Risk: Mature? | 50.0 | 50.0% | **AMBER** |",
                "| Fallback: Options? | 100.0 | 100.0% | **GREEN** |"]:
        assert row in lines
    assert "<" not in text


def test_markdown_gaps_in_questionnaire_order_with_the_challenge(result: Result) -> None:
    lines = markdown.FORMAT.render(result, OPTIONS).splitlines()
    gaps = lines[lines.index("### Gaps") + 2:lines.index("### Not applicable")]
    assert [line.split("**")[1] for line in gaps if line.startswith("- **")] == [
        "SA02", "PI01", "RM01"]
    assert gaps[:2] == [
        "- **SA02** Strategy refers to the joint forward plan (minor, not met, +6.2 pts if "
        "closed): strategy.joint\\_forward\\_plan\\_referenced is false, expected true "
        "(line 8)",
        "  - Ask: _Does it?_"]
    assert "### Waivers" not in lines


def test_markdown_lists_waivers_and_expired_waivers(result: Result) -> None:
    lines = markdown.FORMAT.render(waived(result), OPTIONS).splitlines()
    waivers = lines[lines.index("### Waivers") + 2:]
    assert waivers == [
        "- **RM01** BAF risks have controls: Controls agreed at March board (owner Director "
        "of Governance, approved by Audit Committee, review by 2026-09-30)",
        "- Waiver for **SA02** expired on 2026-01-31: it no longer applies."]


def test_markdown_escapes_text_from_the_trust_file(result: Result) -> None:
    org = dataclasses.replace(result.organisation, name="<b>Evil</b> | [x](http://e)\nTrust")
    text = markdown.FORMAT.render(dataclasses.replace(result, organisation=org), OPTIONS)
    assert text.splitlines()[0] == ("## \\<b\\>Evil\\</b\\> \\| \\[x\\](http://e) Trust: "
                                    "78.8 / 100 **AMBER** (85.0% evidenced)")


# --- the verdict: coverage, ratings in words, not evidenced, exclusions, placeholders -------

DECLARED = "tests/fixtures/trusts/declared.yaml"
THIN = "tests/fixtures/trusts/thin.yaml"


def evaluated(name: str) -> Result:
    trust, source = load(ROOT / name, TrustDescription, display=name)
    assert trust.as_of is not None
    return evaluate(trust, source, load_questionnaire(), trust.as_of)


@pytest.fixture(scope="module")
def declared() -> Result:
    """A declared not applicable (PI03 for the place partnership), a declaration the file
    contradicts (PF06 for the joint committee) and one template placeholder."""
    return evaluated(DECLARED)


@pytest.fixture(scope="module")
def thin() -> Result:
    """A mostly blank file: insufficient evidence overall and for every question."""
    return evaluated(THIN)


def silent(result: Result) -> CriterionResult:
    return next(c for c in result.criteria if c.status == "not_evidenced")


def test_the_fixtures_hold_what_the_tests_rely_on(declared: Result, thin: Result) -> None:
    pi03 = next(c for c in declared.criteria if c.id == "PI03")
    assert [(x.arrangement, x.declared) for x in pi03.exclusions] == [
        ("Harrowfield Place Partnership", True)]
    pf06 = next(c for c in declared.criteria if c.id == "PF06")
    assert pf06.challenged is not None and "Partners cover for each other" in pf06.challenged
    assert [(p.path, p.value) for p in declared.placeholders] == [
        ("board_oversight.ned_lead_for_collaboration", "Non-executive director name")]
    assert thin.overall.rating == "insufficient_evidence"
    assert thin.overall.explanation.startswith("insufficient evidence: ")
    assert any(c.status == "not_evidenced" for c in declared.criteria)


def test_rich_shows_coverage_explanation_and_not_evidenced(declared: Result) -> None:
    text = rich_text.FORMAT.render(declared, RenderOptions(width=200))
    o = declared.overall
    reason = o.explanation.split(": ", 1)[1]
    assert (f"Overall readiness: {o.score:.1f} / 100  {o.rating.upper()}: {reason}  · "
            f"{o.evidence_coverage:.1f}% evidenced") in text
    c = silent(declared)
    assert f"? {c.id} {c.title} [{c.severity} · not evidenced]" in text
    assert "┃ Evidenced ┃" in text
    assert ("Not applicable in part: PI03 (declared not applicable for Harrowfield Place "
            "Partnership: It meets under the council's terms of reference, which partner boards "
            "do not approve)") in text
    assert text.count("declaration of not applicable challenged: ") == 1
    pf06 = text[text.index("✓ PF06 Contingency, mutual aid or step-in arranged [major · met]"):]
    assert pf06.splitlines()[2].strip() == (
        "Finding:  declaration of not applicable challenged: Kestrel Vale Acute Joint Committee: "
        "declared not applicable (Partners cover for each other informally), but the file "
        "records that it holds")
    assert ("Template placeholders (not counted as evidence)\n"
            "  line 43 board_oversight.ned_lead_for_collaboration: Non-executive director name\n"
            ) in text


def test_rich_and_markdown_say_insufficient_evidence_in_words(thin: Result) -> None:
    text = rich_text.FORMAT.render(thin, RenderOptions(width=200))
    reason = thin.overall.explanation.removeprefix("insufficient evidence: ")
    assert f"INSUFFICIENT EVIDENCE: {reason}" in text
    assert "insufficient_evidence" not in text.lower()
    md = markdown.FORMAT.render(thin, OPTIONS)
    assert md.splitlines()[0] == (
        f"## Fennick Vale Mental Health NHS Foundation Trust: {thin.overall.score:.1f} / 100 "
        f"**INSUFFICIENT EVIDENCE** ({thin.overall.evidence_coverage:.1f}% evidenced)")
    assert f"Overall rating **INSUFFICIENT EVIDENCE**: {reason}" in md
    assert "INSUFFICIENT\\_EVIDENCE" not in md and "insufficient\\_evidence" not in md


def test_markdown_lists_not_evidenced_exclusions_and_placeholders(declared: Result) -> None:
    md = markdown.FORMAT.render(declared, OPTIONS)
    c = silent(declared)
    assert f"- **{c.id}** {markdown.escape(c.title)} ({c.severity}, not evidenced, " in md
    assert "(major, not met" not in md.split(f"**{c.id}**")[1].splitlines()[0]
    assert ("- **PI03** Terms of reference approved by every member board (in part): declared "
            "not applicable for Harrowfield Place Partnership: It meets under the council's "
            "terms of reference, which partner boards do not approve") in md
    assert "### Declarations challenged" in md
    assert ("- template placeholder left in the file, not counted as evidence: "
            "board\\_oversight.ned\\_lead\\_for\\_collaboration (line 43): Non-executive "
            "director name") in md
    for cat in declared.categories:
        assert f"| {cat.evidence_coverage:.1f}% |" in md


def test_json_carries_the_verdict_fields_in_a_fixed_order(declared: Result) -> None:
    data = json.loads(json_format.FORMAT.render(declared, OPTIONS))
    assert list(data) == ["schema_version", "file", "organisation", "questionnaire", "as_of",
                          "overall", "categories", "arrangements", "waivers", "placeholders"]
    assert list(data["overall"]) == ["score", "rating", "capped_by", "evidence_coverage",
                                     "explanation"]
    assert data["overall"]["explanation"] == declared.overall.explanation
    assert data["overall"]["evidence_coverage"] == declared.overall.evidence_coverage
    cat = data["categories"][0]
    assert list(cat)[:8] == ["id", "title", "board_question", "score", "rating", "capped_by",
                             "evidence_coverage", "explanation"]
    criteria = {c["id"]: c for cat in data["categories"] for c in cat["criteria"]}
    assert list(criteria["PI03"])[-2:] == ["exclusions", "challenged"]
    assert criteria["PI03"]["exclusions"] == [{
        "arrangement": "Harrowfield Place Partnership",
        "reason": "It meets under the council's terms of reference, which partner boards do "
                  "not approve", "declared": True, "line": 273}]
    assert criteria["PF06"]["challenged"].startswith("Kestrel Vale Acute Joint Committee: "
                                                      "declared not applicable (Partners")
    c = silent(declared)
    assert criteria[c.id]["status"] == "not_evidenced" and criteria[c.id]["evidenced"] is False
    assert [e["recorded"] for e in criteria[c.id]["evidence"] if e["gap"]] == [False]
    assert data["placeholders"] == [{"path": "board_oversight.ned_lead_for_collaboration",
                                     "line": 43, "column": 31,
                                     "value": "Non-executive director name"}]
    assert [a["status"] for a in data["arrangements"]] == ["formal", "formal"]


def test_sarif_junit_and_github_carry_coverage_and_the_explanation(thin: Result,
                                                                   declared: Result) -> None:
    o = thin.overall
    line = f"{o.score:.1f} / 100, {o.explanation}, {o.evidence_coverage:.1f}% evidenced"
    run = sarif_of(thin)["runs"][0]
    verdicts = [r for r in run["results"] if r["ruleId"] == "BC-VERDICT"]
    assert [v["properties"]["scope"] for v in verdicts] == ["overall", *["category"] * 5]
    assert verdicts[0]["message"]["text"] == (
        f"Overall for Fennick Vale Mental Health NHS Foundation Trust: {line}")
    assert verdicts[0]["kind"] == "informational" and verdicts[0]["level"] == "none"
    assert verdicts[0]["properties"]["evidenceCoverage"] == o.evidence_coverage
    statuses = {r["properties"]["status"] for r in run["results"] if "status" in
                r["properties"]}
    assert "not_evidenced" in statuses
    root = ET.fromstring(junit.FORMAT.render(thin, failing_all_gaps(thin)).encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    cat = thin.categories[0]
    assert props["evidence_coverage"] == str(cat.evidence_coverage)
    assert props["explanation"] == cat.explanation
    assert props["overall_explanation"] == o.explanation
    out = suite.find("system-out")
    assert out is not None and out.text == (
        f"{cat.title}: {cat.score:.1f} / 100, {cat.explanation}, "
        f"{cat.evidence_coverage:.1f}% evidenced\nOverall: {line}")
    failure = root.find(".//failure")
    assert failure is not None and (failure.get("message") or "").startswith("not evidenced: ")
    lines = github.FORMAT.render(thin, OPTIONS).splitlines()
    assert lines[0].startswith(
        f"::notice title=boardcheck::Overall {o.score:.1f} / 100 (INSUFFICIENT EVIDENCE: "
        f"{o.explanation.removeprefix('insufficient evidence: ').replace('%', '%25')}; "
        f"{o.evidence_coverage:.1f}%25 evidenced) for Fennick Vale")
    placeholders = [x for x in github.FORMAT.render(declared, OPTIONS).splitlines()
                    if "title=Template placeholder" in x]
    assert placeholders == [
        f"::warning file={DECLARED},line=43,col=31,title=Template placeholder::template "
        "placeholder left in the file, not counted as evidence: "
        "board_oversight.ned_lead_for_collaboration (line 43): Non-executive director name"]


def test_junit_and_sarif_report_placeholders_and_challenges(declared: Result) -> None:
    root = ET.fromstring(junit.FORMAT.render(declared, OPTIONS).encode("utf-8"))
    suite = root.find("testsuite[@name='template_placeholders']")
    # A finding, not a failure: no threshold is about placeholders (the exit code is 0).
    assert suite is not None and suite.get("failures") == "0"
    assert "not counted as evidence" in "".join(suite.itertext())
    assert int(root.get("tests") or 0) == len(declared.criteria) + 1
    case = root.find(".//testcase[@name='PF06 Contingency, mutual aid or step-in arranged']")
    assert case is not None
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith(
        "declaration of not applicable challenged: Kestrel Vale")
    results = sarif_of(declared)["runs"][0]["results"]
    placeholder = next(r for r in results if r["ruleId"] == "BC-PLACEHOLDER")
    assert placeholder["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 43, "startColumn": 31}
    pf06 = next(r for r in results if r["ruleId"] == "PF06")
    assert pf06["message"]["text"].startswith("Declaration of not applicable challenged: ")
