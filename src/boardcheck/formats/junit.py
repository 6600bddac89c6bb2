"""JUnit XML: one test suite per board question and one test case per criterion, for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import xml_safe
from boardcheck.result import CategoryResult, CriterionResult, Result
from boardcheck.summary import BatchResult

FAILED = ("not_met", "partly_met")
SKIPPED = ("not_applicable", "waived")

# Characters XML 1.0 cannot carry at all, even escaped. YAML's double-quoted escapes
# ("\x01") can put them into a trust's text; ElementTree would write them regardless.
xml_text = xml_safe


def _counts(criteria: tuple[CriterionResult, ...]) -> dict[str, str]:
    return {
        "tests": str(len(criteria)),
        "failures": str(sum(1 for c in criteria if c.status in FAILED)),
        "errors": "0",
        "skipped": str(sum(1 for c in criteria if c.status in SKIPPED)),
    }


def failure_text(c: CriterionResult, file: str) -> str:
    lines = [c.message]
    lines += [f"{file}:{e.line}:{e.column}: {e.path}: {e.note}" for e in c.evidence]
    lines += [f"Ask: {c.challenge}", f"Close it: {c.remediation}"]
    return "\n".join(lines)


def _case(suite: ET.Element, cat: CategoryResult, c: CriterionResult, file: str) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": xml_text(f"boardcheck.{cat.id}"),
                                             "name": xml_text(f"{c.id} {c.title}")})
    if c.status in FAILED:
        failure = ET.SubElement(case, "failure", {"message": xml_text(c.message),
                                                  "type": c.severity})
        failure.text = xml_text(failure_text(c, file))
    elif c.status in SKIPPED:
        ET.SubElement(case, "skipped", {"message": xml_text(c.message)})


def junit_tree(result: Result) -> ET.Element:
    """The <testsuites> element, suites and cases in questionnaire order."""
    root = ET.Element("testsuites", {"name": "boardcheck", **_counts(result.criteria)})
    _suites(root, result, prefix="")
    return root


def _suites(root: ET.Element, result: Result, prefix: str) -> None:
    for cat in result.categories:
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(prefix + cat.id),
                                                  **_counts(cat.criteria)})
        for c in cat.criteria:
            _case(suite, cat, c, result.file)


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


class JunitFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return _xml(junit_tree(result))


class JunitBatchFormat:
    """Suites named `FILE: category`; a file that could not be evaluated is one error."""

    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        results = [row.result for row in batch.rows if row.result is not None]
        criteria = tuple(c for r in results for c in r.criteria)
        counts = _counts(criteria)
        broken = [*batch.errors]
        counts["errors"] = str(len(broken))
        counts["tests"] = str(len(criteria) + len(broken))
        root = ET.Element("testsuites", {"name": "boardcheck", **counts})
        for result in results:
            _suites(root, result, prefix=f"{result.file}: ")
        for row in broken:
            suite = ET.SubElement(root, "testsuite", {"name": xml_text(row.file), "tests": "1",
                                                      "failures": "0", "errors": "1",
                                                      "skipped": "0"})
            case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.input",
                                                     "name": xml_text(row.file)})
            error = ET.SubElement(case, "error", {"message": xml_text(
                row.problems[0].message if row.problems else "cannot evaluate"),
                "type": "input"})
            error.text = xml_text("\n".join(str(p) for p in row.problems))
        return _xml(root)


BATCH = JunitBatchFormat()


FORMAT = JunitFormat()
