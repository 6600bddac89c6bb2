"""SARIF 2.1.0: gaps as static-analysis results, for GitHub code scanning and similar tools."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from boardcheck import HOME_PAGE, __version__
from boardcheck.errors import Problem
from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.result import CriterionResult, Evidence, Placeholder, Result, Severity

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.summary import BatchResult, Catalogue, CriterionText, Row

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# Every message and rule text is written in British English.
LANGUAGE = "en-GB"

LEVELS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "note"}

# Statuses reported as results; waived ones carry a suppression so viewers can hide them.
REPORTED = ("not_met", "partly_met", "not_evidenced", "waived")
# Rules of boardcheck's own, after the questionnaire's criteria in the driver's rules.
VERDICT_RULE = "BC-VERDICT"
PLACEHOLDER_RULE = "BC-PLACEHOLDER"


def rule_name(title: str, fallback: str) -> str:
    """An identifier-like name from a title: "BAF risks have controls" → "BAFRisksHaveControls"."""
    words = re.findall(r"[^\W_]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words) or fallback


def artifact_uri(file: str) -> str:
    """The file as a relative URI reference: forward slashes, anything unsafe percent-encoded."""
    path = quote(file.replace("\\", "/"), safe="/!$&'()*+,;=:@-._~")
    # An absolute path is a file URI: "/tmp/x.yaml" alone would be read relative to the
    # repository root by code scanning, and "C:/x.yaml" as a URI with the scheme "c".
    if path.startswith("/"):
        return f"file://{path}"
    if len(path) > 1 and path[1] == ":" and path[0].isalpha():
        return f"file:///{path}"
    return path


def _physical(uri: str, evidence: Evidence | None) -> dict[str, Any]:
    # SARIF lines and columns start at 1; a finding with nothing to point at sits at the top.
    line, column = (1, 1) if evidence is None else (evidence.line, evidence.column)
    return {
        "artifactLocation": {"uri": uri},
        "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
    }


def rule(c: CriterionResult | CriterionText) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": rule_name(c.title, c.id),
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": c.remediation or getattr(c, "message", "")},
        "help": {"text": f"Ask: {c.challenge}\nClose it: {c.remediation}"},
        "defaultConfiguration": {"level": LEVELS[c.severity]},
        "properties": {"category": c.category, "severity": c.severity, "weight": c.weight},
    }


def own_rules() -> list[dict[str, Any]]:
    return [
        {"id": VERDICT_RULE, "name": "Verdict",
         "shortDescription": {"text": "The rating of the whole or of a board question"},
         "fullDescription": {"text": "The score, the rating in words with why it was capped "
                                     "or not rated, and the share of the applicable weight "
                                     "the file evidences."},
         "defaultConfiguration": {"level": "none"}},
        {"id": PLACEHOLDER_RULE, "name": "TemplatePlaceholder",
         "shortDescription": {"text": "Template placeholder left in the file"},
         "fullDescription": {"text": "An example value from the template is still in the "
                                     "file; it is not counted as evidence."},
         "help": {"text": "Replace the example value with the trust's own, or remove it."},
         "defaultConfiguration": {"level": "warning"}},
    ]


def _verdict(result: Result, rules: int, uri: str) -> list[dict[str, Any]]:
    """The overall and per-question verdicts as informational results: not alerts."""
    o = result.overall
    out = [{
        "ruleId": VERDICT_RULE, "ruleIndex": rules, "kind": "informational", "level": "none",
        "message": {"text": wording.verdict_message(
            f"Overall for {result.organisation.name}", o.score, o.rating, o.explanation,
            o.evidence_coverage)},
        "locations": [{"physicalLocation": _physical(uri, None)}],
        "properties": {"scope": "overall", "score": o.score, "rating": o.rating,
                       "evidenceCoverage": o.evidence_coverage, "explanation": o.explanation},
    }]
    out += [{
        "ruleId": VERDICT_RULE, "ruleIndex": rules, "kind": "informational", "level": "none",
        "message": {"text": wording.verdict_message(
            cat.title, cat.score, cat.rating, cat.explanation, cat.evidence_coverage)},
        "locations": [{"physicalLocation": _physical(uri, None)}],
        "properties": {"scope": "category", "category": cat.id, "score": cat.score,
                       "rating": cat.rating, "evidenceCoverage": cat.evidence_coverage,
                       "explanation": cat.explanation},
    } for cat in result.categories]
    return out


def _placeholder(p: Placeholder, index: int, uri: str) -> dict[str, Any]:
    return {
        "ruleId": PLACEHOLDER_RULE, "ruleIndex": index, "level": "warning",
        "message": {"text": wording.placeholder_text(p, line=False)},
        "locations": [{"physicalLocation": _physical(uri, Evidence(p.path, p.line, p.column,
                                                                   ""))}],
        "properties": {"path": p.path, "value": p.value},
    }


def _message(c: CriterionResult) -> str:
    text = f"{c.message} Ask: {c.challenge}"
    challenge = wording.challenged_text(c)
    if challenge:
        text = f"{challenge[:1].upper()}{challenge[1:]}. {text}"
    return text


def sarif_result(c: CriterionResult, index: int, uri: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": c.id,
        "ruleIndex": index,
        "level": LEVELS[c.severity],
        "message": {"text": _message(c)},
        "locations": [{"physicalLocation": _physical(uri, c.evidence[0] if c.evidence else None)}],
    }
    if len(c.evidence) > 1:
        # Every place the check looked, each with what it found there: the first evidence
        # item is not always the one that shows the gap.
        found["relatedLocations"] = [
            {"id": n, "physicalLocation": _physical(uri, e),
             "message": {"text": f"{e.path}: {e.note}" if e.recorded else
                         f"{e.path} (not recorded): {e.note}"}}
            for n, e in enumerate(c.evidence)
        ]
    if c.status == "waived":
        reason = c.waiver.reason if c.waiver is not None else c.message
        found["suppressions"] = [{"kind": "external", "justification": reason}]
    found["properties"] = {"status": c.status, "evidenced": c.evidenced,
                           "category": c.category, "evidencedShare": c.evidenced_share,
                           "exclusions": [wording.exclusion_text(x) for x in c.exclusions],
                           "challenged": c.challenged}
    return found


def sarif_log(result: Result) -> dict[str, Any]:
    """The SARIF log as JSON-ready values, keys in a fixed order."""
    return _log([result], [])


def _log(results: list[Result], problems: list[Problem]) -> dict[str, Any]:
    criteria = results[0].criteria if results else ()
    found: list[dict[str, Any]] = []
    for r in results:
        uri = artifact_uri(r.file)
        found += [sarif_result(c, n, uri) for n, c in enumerate(r.criteria)
                  if c.status in REPORTED or c.challenged]
        found += [_placeholder(p, len(criteria) + 1, uri) for p in r.placeholders]
        found += _verdict(r, len(criteria), uri)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "boardcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": HOME_PAGE,
            "language": LANGUAGE,
            "rules": [*[rule(c) for c in criteria], *own_rules()],
        }},
        "language": LANGUAGE,
        # Columns come from the YAML parser, which counts characters, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": found,
        "invocations": invocations(problems),
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def invocations(problems: list[Problem]) -> list[dict[str, Any]]:
    """Whether the run succeeded, always said: a consumer need not read an absent list as
    success. Files that could not be evaluated are tool failures, not findings."""
    if not problems:
        return [{"executionSuccessful": True}]
    return [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [{
            "level": "error",
            "message": {"text": p.message},
            "locations": [{"physicalLocation": _problem_location(p)}],
        } for p in problems],
    }]


def _problem_location(p: Problem) -> dict[str, Any]:
    """Where a problem is: a region of its file, or only the directory or pattern that found
    nothing (line 0: not in a file's text, so no region to point at)."""
    where: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(p.file)}}
    if p.line > 0:
        where["region"] = {"startLine": p.line, "startColumn": max(p.column, 1)}
    return where


class SarifFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return json.dumps(sarif_log(result), indent=2, sort_keys=False) + "\n"


FORMAT = SarifFormat()


_ITEM_INDENT = " " * 8  # a result's depth in the log: runs[0].results[n]


def fragment(result: Result, failing: frozenset[str] = frozenset(),
             thresholds: tuple[str, ...] = ()) -> str:
    """One trust's SARIF results, indented as they sit in the batch log (in the worker)."""
    uri = artifact_uri(result.file)
    items = [sarif_result(c, n, uri) for n, c in enumerate(result.criteria)
             if c.status in REPORTED or c.challenged]
    items += [_placeholder(p, len(result.criteria) + 1, uri) for p in result.placeholders]
    items += _verdict(result, len(result.criteria), uri)
    return ",\n".join(
        _ITEM_INDENT + json.dumps(item, indent=2).replace("\n", "\n" + _ITEM_INDENT)
        for item in items)


class SarifBatchWriter:
    """The log, written as results arrive (in input order). The rules come from the
    questionnaire; as before, a log with no trust checked has none."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out
        self.rules = catalogue.criteria
        self.started = False
        self.any = False
        self.tail = ""

    def _start(self, rules: tuple[CriterionText, ...]) -> None:
        log = _log([], [])
        log["runs"][0]["tool"]["driver"]["rules"] = [*[rule(c) for c in rules], *own_rules()]
        # The invocation is known only at the end: it is written by `finish`.
        del log["runs"][0]["invocations"]
        head, self.tail = json.dumps(log, indent=2, sort_keys=False).split('"results": []')
        self.out.write(head + '"results": [')
        self.started = True

    def add(self, row: Row) -> None:
        text = row_text(row, fragment) if row.ok else None
        if text is None:
            return
        if not self.started:
            self._start(self.rules)
        if text:
            self.out.write(("\n" if not self.any else ",\n") + text)
            self.any = True

    def finish(self, batch: BatchResult) -> None:
        if not self.started:
            self._start(())
        self.out.write("\n      ]" if self.any else "]")
        problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
        self.out.write(',\n      "invocations": '
                       + json.dumps(invocations(problems), indent=2).replace("\n", "\n      "))
        self.out.write(self.tail + "\n")


WRITER = SarifBatchWriter


class SarifBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = SarifBatchFormat()
