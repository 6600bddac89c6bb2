"""JUnit XML: one test suite per board question and one test case per criterion, for CI.

Outcomes agree with the exit code: a gap fails its test case only where a threshold the run
was given makes it fail (its category's score or rating, the overall score or rating, or
--fail-on-critical); otherwise it passes with the gap written to the case's system-out.
Each failed threshold is a failed case of its own, in a `thresholds` suite. Not applicable
and waived criteria are skipped; a file that cannot be evaluated is an error. Each suite
names its file in a `file` property (the Jenkins and JUnit 5 schemas allow no `file`
attribute on a test case); evidence lines give `file:line:column`. Valid against both.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import xml_safe
from boardcheck.result import CategoryResult, CriterionResult, Result
from boardcheck.summary import BatchResult

GAPS = ("not_met", "partly_met")
SKIPPED = ("not_applicable", "waived")


def failure_text(c: CriterionResult, file: str) -> str:
    lines = [c.message]
    lines += [f"{file}:{e.line}:{e.column}: {e.path}: {e.note}" for e in c.evidence]
    lines += [f"Ask: {c.challenge}", f"Close it: {c.remediation}"]
    return "\n".join(lines)


def _counts(criteria: tuple[CriterionResult, ...], failing: frozenset[str],
            extra_failures: int = 0) -> dict[str, str]:
    return {
        "tests": str(len(criteria) + extra_failures),
        "failures": str(sum(1 for c in criteria if c.id in failing) + extra_failures),
        "errors": "0",
    }


def _suite(root: ET.Element, name: str, counts: dict[str, str], skipped: int,
           file: str) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(name), **counts,
                                              "skipped": str(skipped)})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "file", "value": xml_safe(file)})
    return suite


def _case(suite: ET.Element, cat: CategoryResult, c: CriterionResult, file: str,
          failing: frozenset[str]) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": xml_safe(f"boardcheck.{cat.id}"),
                                             "name": xml_safe(f"{c.id} {c.title}")})
    if c.status in SKIPPED:
        # The reason as text: the JUnit 5 schema allows no attribute on <skipped>.
        ET.SubElement(case, "skipped").text = xml_safe(c.message)
    elif c.id in failing:
        failure = ET.SubElement(case, "failure", {"message": xml_safe(c.message),
                                                  "type": c.severity})
        failure.text = xml_safe(failure_text(c, file))
    elif c.status in GAPS:
        out = ET.SubElement(case, "system-out")
        out.text = xml_safe(f"{c.status.replace('_', ' ')} ({c.severity}): "
                            f"{failure_text(c, file)}")


def _suites(root: ET.Element, result: Result, failing: frozenset[str],
            thresholds: tuple[str, ...], prefix: str) -> None:
    for cat in result.categories:
        suite = _suite(root, prefix + cat.id, _counts(cat.criteria, failing),
                       sum(1 for c in cat.criteria if c.status in SKIPPED), result.file)
        for c in cat.criteria:
            _case(suite, cat, c, result.file, failing)
    if thresholds:
        suite = _suite(root, prefix + "thresholds", _counts((), failing, len(thresholds)),
                       0, result.file)
        for sentence in thresholds:
            case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.thresholds",
                                                     "name": xml_safe(sentence)})
            ET.SubElement(case, "failure", {"message": xml_safe(f"threshold failed: "
                                                                f"{sentence}"),
                                            "type": "threshold"})


def _totals(results: list[tuple[Result, frozenset[str], tuple[str, ...]]],
            errors: int) -> dict[str, str]:
    tests = sum(len(r.criteria) + len(t) for r, _, t in results) + errors
    failures = sum(sum(1 for c in r.criteria if c.id in f) + len(t) for r, f, t in results)
    return {"tests": str(tests), "failures": str(failures), "errors": str(errors)}


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


class JunitFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        failing, thresholds = options.failing_criteria, options.thresholds_failed
        root = ET.Element("testsuites", {"name": "boardcheck",
                                         **_totals([(result, failing, thresholds)], 0)})
        _suites(root, result, failing, thresholds, prefix="")
        return _xml(root)


class JunitBatchFormat:
    """Suites named `FILE: category`; a file that could not be evaluated is one error."""

    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        done = [(row.result, row.failing_criteria, row.threshold_failures)
                for row in batch.rows if row.result is not None]
        root = ET.Element("testsuites", {"name": "boardcheck",
                                         **_totals(done, len(batch.errors))})
        for result, failing, thresholds in done:
            _suites(root, result, failing, thresholds, prefix=f"{result.file}: ")
        for row in batch.errors:
            suite = _suite(root, row.file, {"tests": "1", "failures": "0", "errors": "1"}, 0,
                           row.file)
            case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.input",
                                                     "name": xml_safe(row.file)})
            error = ET.SubElement(case, "error", {"message": xml_safe(
                row.problems[0].message if row.problems else "cannot evaluate"),
                "type": "input"})
            error.text = xml_safe("\n".join(str(p) for p in row.problems))
        return _xml(root)


BATCH = JunitBatchFormat()


FORMAT = JunitFormat()
