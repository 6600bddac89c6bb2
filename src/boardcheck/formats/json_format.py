"""JSON: the stable machine-readable contract, documented in docs/result-schema.md."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.result import RESULT_SCHEMA_VERSION, CriterionResult, Result

T = TypeVar("T")

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.collaboratives import CollaborativeView
    from boardcheck.summary import BatchResult, Catalogue, Distribution, GroupSummary, Row


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


# Texts every trust in a batch shares: written once, in the batch's "questionnaire".
SHARED_CATEGORY_TEXTS = ("title", "board_question")
SHARED_CRITERION_TEXTS = ("title", "challenge", "remediation")


def batch_result_dict(result: Result) -> dict[str, Any]:
    """One trust's result inside a batch document: the single-file result without the
    questionnaire's texts, which the batch document gives once."""
    data = result_dict(result)
    for cat in data["categories"]:
        for key in SHARED_CATEGORY_TEXTS:
            cat.pop(key, None)
        for crit in cat["criteria"]:
            for key in SHARED_CRITERION_TEXTS:
                crit.pop(key, None)
    return data


def fragment(result: Result, failing: frozenset[str] = frozenset(),
             thresholds: tuple[str, ...] = ()) -> str:
    """One trust's line of a batch document (run in the worker that checked the file)."""
    return json.dumps(batch_result_dict(result), ensure_ascii=False, separators=(",", ":"))


def questionnaire_dict(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "id": catalogue.id, "version": catalogue.version,
        "categories": [{"id": c.id, "title": c.title, "board_question": c.board_question}
                       for c in catalogue.categories],
        "criteria": [{"id": c.id, "category": c.category, "title": c.title,
                      "severity": c.severity, "weight": c.weight, "challenge": c.challenge,
                      "rationale": c.rationale, "remediation": c.remediation}
                     for c in catalogue.criteria],
    }


def summary_dict(batch: BatchResult, order: list[int]) -> dict[str, Any]:
    return {
        "files": len(batch.rows) + len(batch.errors),
        "checked": len(batch.rows),
        "failed": len(batch.errors),
        "order": order,
        "overall": _distribution(batch.overall),
        "categories": {cid: _distribution(d) for cid, d in batch.categories.items()},
        "by_sector": [_group(g) for g in batch.by_sector],
        "by_governance_model": [_group(g) for g in batch.by_model],
        "common_gaps": [{"criterion": g.criterion, "title": g.title, "not_met": g.not_met,
                         "organisations": list(g.organisations)} for g in batch.common_gaps],
        "duplicates": [{"key": d.key, "value": d.value, "files": list(d.files)}
                       for d in batch.duplicates],
    }


# --- the collaborative view (issue 12) ------------------------------------------------------

def collaborative_dict(view: CollaborativeView) -> dict[str, Any]:
    """One collaborative across its members, keys in a fixed order (docs/result-schema.md)."""
    return {
        "code": view.code, "name": view.name, "probable": view.probable,
        "members": [{"name": m.name, "ods_code": m.ods_code, "submitted": m.submitted,
                     "named_by": list(m.named_by)} for m in view.members],
        "submissions": [
            {"file": s.file, "line": s.line, "column": s.column,
             "organisation": s.organisation, "ods_code": s.ods_code,
             "arrangement": s.arrangement, "name": s.name, "matched_by": s.matched_by,
             "overall": {"score": s.overall_score, "rating": s.overall_rating,
                         "evidence_coverage": s.overall_coverage},
             "categories": [{"id": c.id, "score": c.score, "rating": c.rating,
                             "evidence_coverage": c.coverage} for c in s.categories]}
            for s in view.submissions],
        "readiness": {"overall": _distribution(view.overall),
                      "categories": {cid: _distribution(d)
                                     for cid, d in view.categories.items()}},
        "disagreements": [
            {"fact": d.fact, "title": d.title, "statements": [
                {"file": s.file, "line": s.line, "column": s.column,
                 "organisation": s.organisation, "value": s.value} for s in d.statements]}
            for d in view.disagreements],
        "recorded_by_some": [
            {"fact": p.fact, "title": p.title, "recorded_by": list(p.recorded_by),
             "not_recorded_by": list(p.not_recorded_by)} for p in view.partly_recorded],
    }


def errors_list(batch: BatchResult) -> list[dict[str, Any]]:
    return [
        {"file": row.file, "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in row.problems]}
        for row in batch.errors
    ] + [{"file": p.file, "problems": [{"file": p.file, "line": p.line, "column": p.column,
                                         "message": p.message}]}
         for p in batch.search_problems]


def _members(data: dict[str, Any]) -> str:
    """An object's members as they sit, indented, inside the top-level object."""
    return json.dumps(data, indent=2, ensure_ascii=False)[2:-2]


class JsonBatchWriter:
    """The batch document, written as results arrive: the questionnaire's texts once, then
    one line per trust in input order, then the summary, the errors and `complete` (known
    only at the end, so an interrupted run still ends in a valid document)."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out
        # Input indices of the results written: the summary's `order` refers to them.
        self.written: list[int] = []
        head = {"schema_version": RESULT_SCHEMA_VERSION, "kind": "batch",
                "questionnaire": questionnaire_dict(catalogue), "sort": sort}
        out.write("{\n" + _members(head) + ',\n  "results": [')

    def add(self, row: Row) -> None:
        text = row_text(row, fragment) if row.ok else None
        if text is None:
            return
        self.out.write(("\n    " if not self.written else ",\n    ") + text)
        self.written.append(row.index)

    def finish(self, batch: BatchResult) -> None:
        position = {index: n for n, index in enumerate(self.written)}
        order = [position[r.index] for r in batch.rows if r.index in position]
        tail: dict[str, Any] = {"summary": summary_dict(batch, order),
                                "collaboratives": batch.collaboratives,
                                "errors": errors_list(batch), "complete": batch.complete}
        self.out.write("\n  ]" if self.written else "]")
        # In pieces, not one string: with 40,000 trusts the summary's lists of names alone
        # run to tens of megabytes. Indented output has line breaks only between values.
        encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
        for key, value in tail.items():
            self.out.write(f",\n  {json.dumps(key)}: ")
            chunks = (_each(encoder, value, collaborative_dict) if key == "collaboratives"
                      else encoder.iterencode(value))
            for chunk in chunks:
                self.out.write(chunk.replace("\n", "\n  "))
        self.out.write("\n}\n")


def _each(encoder: json.JSONEncoder, items: Sequence[T], as_dict: Callable[[T], Any]
          ) -> Iterator[str]:
    """A list encoded as `encoder.iterencode` would encode it, each item turned into plain
    values only as it is written: the collaborative view of a large batch, as dicts all at
    once, took more memory than its rows."""
    if not items:
        yield "[]"
        return
    for n, item in enumerate(items):
        yield "[\n  " if n == 0 else ",\n  "
        for chunk in encoder.iterencode(as_dict(item)):
            yield chunk.replace("\n", "\n  ")
    yield "\n]"


WRITER = JsonBatchWriter


class JsonBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = JsonBatchFormat()
