"""SARIF 2.1.0: gaps as static-analysis results, for GitHub code scanning and similar tools."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from boardcheck import __version__
from boardcheck.errors import Problem
from boardcheck.formats.base import RenderOptions
from boardcheck.result import CriterionResult, Evidence, Result, Severity
from boardcheck.summary import BatchResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

LEVELS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "note"}

# Statuses reported as results; waived ones carry a suppression so viewers can hide them.
REPORTED = ("not_met", "partly_met", "waived")


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


def rule(c: CriterionResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": rule_name(c.title, c.id),
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": c.remediation or c.message},
        "help": {"text": f"Ask: {c.challenge}\nClose it: {c.remediation}"},
        "defaultConfiguration": {"level": LEVELS[c.severity]},
        "properties": {"category": c.category, "severity": c.severity, "weight": c.weight},
    }


def sarif_result(c: CriterionResult, index: int, uri: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": c.id,
        "ruleIndex": index,
        "level": LEVELS[c.severity],
        "message": {"text": f"{c.message} Ask: {c.challenge}"},
        "locations": [{"physicalLocation": _physical(uri, c.evidence[0] if c.evidence else None)}],
    }
    if len(c.evidence) > 1:
        # Every place the check looked, each with what it found there: the first evidence
        # item is not always the one that shows the gap.
        found["relatedLocations"] = [
            {"id": n, "physicalLocation": _physical(uri, e),
             "message": {"text": f"{e.path}: {e.note}"}}
            for n, e in enumerate(c.evidence)
        ]
    if c.status == "waived":
        reason = c.waiver.reason if c.waiver is not None else c.message
        found["suppressions"] = [{"kind": "external", "justification": reason}]
    found["properties"] = {"status": c.status, "evidenced": c.evidenced,
                           "category": c.category}
    return found


def sarif_log(result: Result) -> dict[str, Any]:
    """The SARIF log as JSON-ready values, keys in a fixed order."""
    return _log([result], [])


def _log(results: list[Result], problems: list[Problem]) -> dict[str, Any]:
    criteria = results[0].criteria if results else ()
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "boardcheck",
            "version": __version__,
            "rules": [rule(c) for c in criteria],
        }},
        # Columns come from the YAML parser, which counts characters, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": [sarif_result(c, n, artifact_uri(r.file))
                    for r in results for n, c in enumerate(r.criteria) if c.status in REPORTED],
    }
    if problems:
        # Files that could not be evaluated are tool failures, not findings.
        run["invocations"] = [{
            "executionSuccessful": False,
            "toolExecutionNotifications": [{
                "level": "error",
                "message": {"text": p.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(p.file)},
                    "region": {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)}}}],
            } for p in problems],
        }]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return json.dumps(sarif_log(result), indent=2, sort_keys=False) + "\n"


FORMAT = SarifFormat()


class SarifBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        results = [row.result for row in batch.rows if row.result is not None]
        problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
        return json.dumps(_log(results, problems), indent=2, sort_keys=False) + "\n"


BATCH = SarifBatchFormat()
