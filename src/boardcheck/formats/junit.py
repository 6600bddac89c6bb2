"""JUnit XML: one test suite per board question and one test case per criterion, for CI.

Outcomes agree with the exit code: a gap (not met, partly met or not evidenced) fails its
test case only where a threshold the run was given makes it fail (its category's score or
rating, the overall score or rating, or --fail-on-critical); otherwise it passes with the
gap written to the case's system-out. Each failed threshold is a failed case of its own, in
a `thresholds` suite. Template placeholders are cases of a `template_placeholders` suite,
passing with the placeholder in system-out (they are not evidence, and no threshold is about
them). Not applicable and waived criteria are skipped; a file that cannot be evaluated is an
error. Each suite names its file in a `file` property (the Jenkins and JUnit 5 schemas allow
no `file` attribute on a test case) beside the verdict's properties; evidence lines give
`file:line:column`. Valid against both.
"""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import xml_safe
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.result import CategoryResult, CriterionResult, Placeholder, Result

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.summary import BatchResult, Catalogue, Row

GAPS = wording.GAP_STATUSES
SKIPPED = ("not_applicable", "waived")


def failure_text(c: CriterionResult, file: str, *, severity: bool = False) -> str:
    """The gap in full; `severity` names it after the status (a passing case's note)."""
    shown = f" ({c.severity})" if severity else ""
    lines = [f"{wording.status_words(c)}{shown}: {c.message}"]
    challenge = wording.challenged_text(c)
    if challenge:
        lines.append(challenge)
    lines += [f"{file}:{e.line}:{e.column}: {e.path}"
              f"{'' if e.recorded else ' (not recorded)'}: {e.note}" for e in c.evidence]
    if c.exclusions:
        lines.append(wording.exclusions_text(c))
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
           file: str, properties: list[tuple[str, object]] | None = None) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(name), **counts,
                                              "skipped": str(skipped)})
    props = ET.SubElement(suite, "properties")
    for key, value in [("file", file), *(properties or [])]:
        shown = "" if value is None else str(value)
        ET.SubElement(props, "property", {"name": key, "value": xml_safe(shown)})
    return suite


def _case(suite: ET.Element, cat: CategoryResult, c: CriterionResult, file: str,
          failing: frozenset[str]) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": xml_safe(f"boardcheck.{cat.id}"),
                                             "name": xml_safe(f"{c.id} {c.title}")})
    notes: list[str | None] = []
    if c.status in SKIPPED:
        # The reason as text: the JUnit 5 schema allows no attribute on <skipped>.
        why = wording.exclusions_text(c) if c.exclusions else c.message
        ET.SubElement(case, "skipped").text = xml_safe(why)
    elif c.id in failing:
        failure = ET.SubElement(case, "failure", {
            "message": xml_safe(f"{wording.status_words(c)}: {c.message}"),
            "type": c.severity})
        failure.text = xml_safe(failure_text(c, file))
    elif c.status in GAPS:
        notes.append(failure_text(c, file, severity=True))
    if c.status not in GAPS:
        notes.append(wording.challenged_text(c))
    if c.status not in ("not_applicable", *GAPS):
        notes.append(wording.declared_text(c))
    shown = [note for note in notes if note]
    if shown:
        ET.SubElement(case, "system-out").text = xml_safe("\n".join(shown))


def _verdict_properties(result: Result, cat: CategoryResult) -> list[tuple[str, object]]:
    o = result.overall
    return [("score", cat.score), ("rating", cat.rating),
            ("evidence_coverage", cat.evidence_coverage), ("explanation", cat.explanation),
            ("overall_score", o.score), ("overall_rating", o.rating),
            ("overall_evidence_coverage", o.evidence_coverage),
            ("overall_explanation", o.explanation)]


def _placeholder_suite(root: ET.Element, result: Result, prefix: str) -> None:
    """Placeholders are findings: one case each, in a suite of their own."""
    if not result.placeholders:
        return
    suite = _suite(root, prefix + "template_placeholders",
                   {"tests": str(len(result.placeholders)), "failures": "0", "errors": "0"},
                   0, result.file)
    for p in result.placeholders:
        _placeholder_case(suite, p, result.file)


def _placeholder_case(suite: ET.Element, p: Placeholder, file: str) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.placeholders",
                                             "name": xml_safe(p.path)})
    ET.SubElement(case, "system-out").text = xml_safe(
        f"{wording.placeholder_text(p)}\n{file}:{p.line}:{p.column}: {p.path}: {p.value}")


def _suites(root: ET.Element, result: Result, failing: frozenset[str],
            thresholds: tuple[str, ...], prefix: str) -> None:
    overall = wording.verdict_message("Overall", result.overall.score, result.overall.rating,
                                      result.overall.explanation,
                                      result.overall.evidence_coverage)
    for cat in result.categories:
        suite = _suite(root, prefix + cat.id, _counts(cat.criteria, failing),
                       sum(1 for c in cat.criteria if c.status in SKIPPED), result.file,
                       _verdict_properties(result, cat))
        for c in cat.criteria:
            _case(suite, cat, c, result.file, failing)
        verdict = wording.verdict_message(cat.title, cat.score, cat.rating, cat.explanation,
                                          cat.evidence_coverage)
        ET.SubElement(suite, "system-out").text = xml_safe(f"{verdict}\n{overall}")
    _placeholder_suite(root, result, prefix)
    if thresholds:
        suite = _suite(root, prefix + "thresholds", _counts((), failing, len(thresholds)),
                       0, result.file)
        for sentence in thresholds:
            case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.thresholds",
                                                     "name": xml_safe(sentence)})
            ET.SubElement(case, "failure", {"message": xml_safe(f"threshold failed: "
                                                                f"{sentence}"),
                                            "type": "threshold"})


def _totals(tests: int, failures: int, errors: int) -> dict[str, str]:
    return {"tests": str(tests), "failures": str(failures), "errors": str(errors)}


def junit_tree(result: Result, failing: frozenset[str] = frozenset(),
               thresholds: tuple[str, ...] = ()) -> ET.Element:
    """The <testsuites> element, suites and cases in questionnaire order."""
    root = ET.Element("testsuites", {"name": "boardcheck", **_totals(
        len(result.criteria) + len(result.placeholders) + len(thresholds),
        sum(1 for c in result.criteria if c.id in failing) + len(thresholds), 0)})
    _suites(root, result, failing, thresholds, prefix="")
    return root


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


class JunitFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return _xml(junit_tree(result, options.failing_criteria, options.thresholds_failed))


def _element_text(element: ET.Element) -> str:
    """An element as it sits, indented, directly inside <testsuites>."""
    ET.indent(element, space="  ", level=1)
    element.tail = None
    return ET.tostring(element, encoding="unicode")


def fragment(result: Result, failing: frozenset[str] = frozenset(),
             thresholds: tuple[str, ...] = ()) -> str:
    """One trust's suites, named `FILE: category` (run in the worker)."""
    root = ET.Element("testsuites")
    _suites(root, result, failing, thresholds, prefix=f"{result.file}: ")
    return "\n  ".join(_element_text(suite) for suite in root)


class JunitBatchWriter:
    """Suites named `FILE: category`; a file that could not be evaluated is one error.

    The root element carries the totals, known only at the end: suites go to a temporary
    file as they arrive (input order) and are copied out after the root's opening tag."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out
        # Closed in finish(); the file has no name, so nothing is left behind either way.
        self.spill = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.totals = {"tests": 0, "failures": 0}
        self.any = False

    def add(self, row: Row) -> None:
        text = row_text(row, fragment) if row.ok else None
        if text is None:
            return
        self.spill.write(("\n  " if self.any else "") + text)
        self.any = True
        thresholds = len(row.threshold_failures)
        self.totals["tests"] += len(row.statuses) + row.placeholders + thresholds
        self.totals["failures"] += len(row.failing_criteria) + thresholds

    def finish(self, batch: BatchResult) -> None:
        broken = [_error_suite(row) for row in batch.errors]
        counts = _totals(self.totals["tests"] + len(broken), self.totals["failures"],
                         len(broken))
        root = ET.tostring(ET.Element("testsuites", {"name": "boardcheck", **counts}),
                           encoding="unicode")
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self.any and not broken:
            self.out.write(root + "\n")
            return
        self.out.write(root.removesuffix(" />") + ">\n  ")
        self.spill.seek(0)
        shutil.copyfileobj(self.spill, self.out)
        self.spill.close()
        if broken:
            self.out.write(("\n  " if self.any else "") + "\n  ".join(broken))
        self.out.write("\n</testsuites>\n")


def _error_suite(row: Row) -> str:
    root = ET.Element("testsuites")
    suite = _suite(root, row.file, {"tests": "1", "failures": "0", "errors": "1"}, 0,
                   row.file)
    case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.input",
                                             "name": xml_safe(row.file)})
    error = ET.SubElement(case, "error", {"message": xml_safe(
        row.problems[0].message if row.problems else "cannot evaluate"), "type": "input"})
    error.text = xml_safe("\n".join(str(p) for p in row.problems))
    return _element_text(suite)


WRITER = JunitBatchWriter


class JunitBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = JunitBatchFormat()


FORMAT = JunitFormat()
