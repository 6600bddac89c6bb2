"""JSON: the stable machine-readable contract, documented in docs/result-schema.md."""

from __future__ import annotations

import json
from typing import Any

from boardcheck.formats.base import RenderOptions
from boardcheck.result import RESULT_SCHEMA_VERSION, CriterionResult, Result
from boardcheck.summary import BatchResult, Distribution, GroupSummary


def criterion_dict(c: CriterionResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "status": c.status,
        "evidenced": c.evidenced,
        "evidenced_share": c.evidenced_share,
        "weight": c.weight,
        "severity": c.severity,
        "message": c.message,
        "challenge": c.challenge,
        "remediation": c.remediation,
        "points_available": c.points_available,
        "evidence": [
            {"path": e.path, "line": e.line, "column": e.column, "note": e.note, "gap": e.gap,
             "recorded": e.recorded}
            for e in c.evidence
        ],
        "owners": list(c.owners),
        "waiver": None if c.waiver is None else {
            "reason": c.waiver.reason, "owner": c.waiver.owner,
            "approved_by": c.waiver.approved_by, "review_by": c.waiver.review_by.isoformat(),
            "expired": c.waiver.expired,
        },
        "exclusions": [
            {"arrangement": x.arrangement, "reason": x.reason, "declared": x.declared,
             "line": x.line}
            for x in c.exclusions
        ],
        "challenged": c.challenged,
    }


def result_dict(result: Result) -> dict[str, Any]:
    """The result as plain JSON-ready values, keys in a fixed order."""
    org = result.organisation
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "file": result.file,
        "organisation": {
            "name": org.name, "ods_code": org.ods_code, "legal_form": org.legal_form,
            "sectors": list(org.sectors), "region": org.region,
        },
        "questionnaire": {
            "id": result.questionnaire.id, "version": result.questionnaire.version,
            "digest": result.questionnaire.digest,
        },
        "as_of": result.as_of.isoformat(),
        "overall": {
            "score": result.overall.score, "rating": result.overall.rating,
            "capped_by": result.overall.capped_by,
            "evidence_coverage": result.overall.evidence_coverage,
            "explanation": result.overall.explanation,
        },
        "categories": [
            {
                "id": cat.id, "title": cat.title, "board_question": cat.board_question,
                "score": cat.score, "rating": cat.rating, "capped_by": cat.capped_by,
                "evidence_coverage": cat.evidence_coverage, "explanation": cat.explanation,
                "criteria": [criterion_dict(c) for c in cat.criteria],
            }
            for cat in result.categories
        ],
        "arrangements": [
            {"id": a.id, "name": a.name, "type": a.type, "governance_model": a.governance_model,
             "trust_role": a.trust_role, "status": a.status}
            for a in result.arrangements
        ],
        "waivers": [
            {"criterion": w.criterion, "reason": w.reason, "owner": w.owner,
             "approved_by": w.approved_by, "review_by": w.review_by.isoformat(),
             "expired": w.expired}
            for w in result.waivers
        ],
        "placeholders": [
            {"path": p.path, "line": p.line, "column": p.column, "value": p.value}
            for p in result.placeholders
        ],
    }


class JsonFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        data = result_dict(result)
        if options.movement is not None:
            from boardcheck.formats.diff_report import diff_dict

            data["movement"] = diff_dict(options.movement)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMAT = JsonFormat()


def _distribution(d: Distribution) -> dict[str, Any]:
    return {"n": d.n, "mean": d.mean, "q1": d.q1, "median": d.median, "q3": d.q3,
            "ratings": dict(d.ratings)}


def _group(g: GroupSummary) -> dict[str, Any]:
    return {"name": g.name, "overall": _distribution(g.overall),
            "categories": {cid: _distribution(d) for cid, d in g.categories.items()}}


def batch_dict(batch: BatchResult) -> dict[str, Any]:
    """A batch as JSON-ready values: each file's full result, the summary and the errors."""
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "kind": "batch",
        "complete": batch.complete,
        "questionnaire": {"id": batch.questionnaire_id, "version": batch.questionnaire_version},
        "sort": batch.sort,
        "results": [result_dict(row.result) for row in batch.rows if row.result is not None],
        "summary": {
            "files": len(batch.rows) + len(batch.errors),
            "checked": len(batch.rows),
            "failed": len(batch.errors),
            "overall": _distribution(batch.overall),
            "categories": {cid: _distribution(d) for cid, d in batch.categories.items()},
            "by_sector": [_group(g) for g in batch.by_sector],
            "by_governance_model": [_group(g) for g in batch.by_model],
            "common_gaps": [{"criterion": g.criterion, "title": g.title, "not_met": g.not_met,
                             "organisations": list(g.organisations)} for g in batch.common_gaps],
            "duplicates": [{"key": d.key, "value": d.value, "files": list(d.files)}
                           for d in batch.duplicates],
        },
        "errors": [
            {"file": row.file, "problems": [
                {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
                for p in row.problems]}
            for row in batch.errors
        ] + [{"file": p.file, "problems": [{"file": p.file, "line": p.line, "column": p.column,
                                             "message": p.message}]}
             for p in batch.search_problems],
    }


class JsonBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return json.dumps(batch_dict(batch), indent=2, ensure_ascii=False) + "\n"


BATCH = JsonBatchFormat()
