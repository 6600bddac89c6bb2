"""JUnit XML: one test suite per board question and one test case per criterion, for CI."""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.result import CategoryResult, CriterionResult, Placeholder, Result

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.summary import BatchResult, Catalogue, Row

FAILED = ("not_met", "partly_met", "not_evidenced")
SKIPPED = ("not_applicable", "waived")

# Characters XML 1.0 cannot carry at all, even escaped. YAML's double-quoted escapes
# ("\x01") can put them into a trust's text; ElementTree would write them regardless.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _counts(criteria: tuple[CriterionResult, ...]) -> dict[str, str]:
    return {
        "tests": str(len(criteria)),
        "failures": str(sum(1 for c in criteria if c.status in FAILED)),
        "errors": "0",
        "skipped": str(sum(1 for c in criteria if c.status in SKIPPED)),
    }


def failure_text(c: CriterionResult, file: str) -> str:
    lines = [f"{wording.status_words(c)}: {c.message}"]
    challenge = wording.challenged_text(c)
    if challenge:
        lines.append(challenge)
    lines += [f"{file}:{e.line}:{e.column}: {e.path}"
              f"{'' if e.recorded else ' (not recorded)'}: {e.note}" for e in c.evidence]
    if c.exclusions:
        lines.append(wording.exclusions_text(c))
    lines += [f"Ask: {c.challenge}", f"Close it: {c.remediation}"]
    return "\n".join(lines)


def _case(suite: ET.Element, cat: CategoryResult, c: CriterionResult, file: str) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": xml_text(f"boardcheck.{cat.id}"),
                                             "name": xml_text(f"{c.id} {c.title}")})
    if c.status in FAILED:
        failure = ET.SubElement(case, "failure", {
            "message": xml_text(f"{wording.status_words(c)}: {c.message}"),
            "type": c.severity})
        failure.text = xml_text(failure_text(c, file))
    elif c.status in SKIPPED:
        why = wording.exclusions_text(c) if c.exclusions else c.message
        ET.SubElement(case, "skipped", {"message": xml_text(why)})
    notes = [] if c.status in FAILED else [wording.challenged_text(c)]
    if c.status not in ("not_applicable", *FAILED):
        notes.append(wording.declared_text(c))
    shown = [note for note in notes if note]
    if shown:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(shown))


def _properties(suite: ET.Element, values: list[tuple[str, object]]) -> None:
    props = ET.SubElement(suite, "properties")
    for name, value in values:
        shown = "" if value is None else str(value)
        ET.SubElement(props, "property", {"name": name, "value": xml_text(shown)})


def _verdict_properties(result: Result, cat: CategoryResult) -> list[tuple[str, object]]:
    o = result.overall
    return [("score", cat.score), ("rating", cat.rating),
            ("evidence_coverage", cat.evidence_coverage), ("explanation", cat.explanation),
            ("overall_score", o.score), ("overall_rating", o.rating),
            ("overall_evidence_coverage", o.evidence_coverage),
            ("overall_explanation", o.explanation)]


def _placeholder_suite(root: ET.Element, result: Result, prefix: str) -> None:
    """Placeholders are findings: one failing case each, in a suite of their own."""
    if not result.placeholders:
        return
    n = str(len(result.placeholders))
    suite = ET.SubElement(root, "testsuite", {"name": xml_text(prefix + "template_placeholders"),
                                              "tests": n, "failures": n, "errors": "0",
                                              "skipped": "0"})
    for p in result.placeholders:
        _placeholder_case(suite, p, result.file)


def _placeholder_case(suite: ET.Element, p: Placeholder, file: str) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.placeholders",
                                             "name": xml_text(p.path)})
    failure = ET.SubElement(case, "failure", {
        "message": xml_text(wording.placeholder_text(p)), "type": "placeholder"})
    failure.text = xml_text(f"{file}:{p.line}:{p.column}: {p.path}: {p.value}")


def junit_tree(result: Result) -> ET.Element:
    """The <testsuites> element, suites and cases in questionnaire order."""
    root = ET.Element("testsuites", {"name": "boardcheck", **_counts(result.criteria)})
    _add_placeholders(root, len(result.placeholders))
    _suites(root, result, prefix="")
    return root


def _add_placeholders(root: ET.Element, n: int) -> None:
    """Count placeholder cases (each a failure) into the root's totals."""
    for key in ("tests", "failures"):
        root.set(key, str(int(root.get(key, "0")) + n))


def _suites(root: ET.Element, result: Result, prefix: str) -> None:
    overall = wording.verdict_message("Overall", result.overall.score, result.overall.rating,
                              result.overall.explanation, result.overall.evidence_coverage)
    for cat in result.categories:
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(prefix + cat.id),
                                                  **_counts(cat.criteria)})
        _properties(suite, _verdict_properties(result, cat))
        for c in cat.criteria:
            _case(suite, cat, c, result.file)
        verdict = wording.verdict_message(cat.title, cat.score, cat.rating, cat.explanation,
                                  cat.evidence_coverage)
        ET.SubElement(suite, "system-out").text = xml_text(f"{verdict}\n{overall}")
    _placeholder_suite(root, result, prefix)


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


class JunitFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return _xml(junit_tree(result))


def _element_text(element: ET.Element) -> str:
    """An element as it sits, indented, directly inside <testsuites>."""
    ET.indent(element, space="  ", level=1)
    element.tail = None
    return ET.tostring(element, encoding="unicode")


def fragment(result: Result) -> str:
    """One trust's suites, named `FILE: category` (run in the worker)."""
    root = ET.Element("testsuites")
    _suites(root, result, prefix=f"{result.file}: ")
    return "\n  ".join(_element_text(suite) for suite in root)


class JunitBatchWriter:
    """Suites named `FILE: category`; a file that could not be evaluated is one error.

    The root element carries the totals, known only at the end: suites go to a temporary
    file as they arrive (input order) and are copied out after the root's opening tag."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out
        # Closed in finish(); the file has no name, so nothing is left behind either way.
        self.spill = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.totals = {"tests": 0, "failures": 0, "skipped": 0}
        self.any = False

    def add(self, row: Row) -> None:
        text = row_text(row, fragment) if row.ok else None
        if text is None:
            return
        self.spill.write(("\n  " if self.any else "") + text)
        self.any = True
        # A template placeholder is a failing case of its own (the fragment's own suite).
        self.totals["tests"] += len(row.statuses) + row.placeholders
        self.totals["failures"] += sum(1 for s in row.statuses if s in FAILED) + row.placeholders
        self.totals["skipped"] += sum(1 for s in row.statuses if s in SKIPPED)

    def finish(self, batch: BatchResult) -> None:
        broken = [_error_suite(row) for row in batch.errors]
        counts = {"tests": str(self.totals["tests"] + len(broken)),
                  "failures": str(self.totals["failures"]), "errors": str(len(broken)),
                  "skipped": str(self.totals["skipped"])}
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
    suite = ET.Element("testsuite", {"name": xml_text(row.file), "tests": "1",
                                     "failures": "0", "errors": "1", "skipped": "0"})
    case = ET.SubElement(suite, "testcase", {"classname": "boardcheck.input",
                                             "name": xml_text(row.file)})
    error = ET.SubElement(case, "error", {"message": xml_text(
        row.problems[0].message if row.problems else "cannot evaluate"), "type": "input"})
    error.text = xml_text("\n".join(str(p) for p in row.problems))
    return _element_text(suite)


WRITER = JunitBatchWriter


class JunitBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = JunitBatchFormat()


FORMAT = JunitFormat()
