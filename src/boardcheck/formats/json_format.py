"""JSON: the stable machine-readable contract, documented in docs/result-schema.md."""

from __future__ import annotations

import codecs
import io
import json
import json.encoder
import os
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import orjson

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.stream import render_batch, row_text, unpack_bytes
from boardcheck.result import RESULT_SCHEMA_VERSION, CriterionResult, Result

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.collaboratives import CollaborativeView, Statement
    from boardcheck.summary import (
        BatchResult,
        Catalogue,
        CommonGap,
        Distribution,
        GroupSummary,
        Outlier,
        Row,
    )


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
            # Added within version 3 (an addition): as the file states them, empty when it
            # records none, as `sectors` is.
            "icbs": list(org.icbs),
        },
        "questionnaire": {
            "id": result.questionnaire.id, "version": result.questionnaire.version,
            "digest": result.questionnaire.digest,
        },
        "as_of": result.as_of.isoformat(),
        # Only where neither the file nor the run states it: `as_of` is the day of the run.
        **({} if result.as_of_stated else {"as_of_stated": False}),
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


# `json.dumps(indent=2)` runs the pure-Python encoder (the C one has no indentation), which
# took 4-5 ms for one trust's result, longer than evaluating it. `dumps_indented` gives the
# same text byte for byte in a fraction of that: a container holding no non-empty container
# (an evidence item, a waiver, a list of owners) is encoded whole by the C encoder, its item
# separator carrying the indentation; only the levels above it are walked in Python.
Encode = Callable[[Any], str]
_FLAT: dict[int, Encode] = {}


def _flat_encoder(depth: int) -> Encode:
    """Encodes a flat container whose items stand at `depth` (without its brackets'
    line breaks, which the caller adds)."""
    encode = _FLAT.get(depth)
    if encode is None:
        separator = ",\n" + "  " * depth
        make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
        if make is not None:  # called directly: JSONEncoder.encode costs more than the work
            iterencode = make(None, _unserialisable, encode_basestring, None, ": ", separator,
                              False, False, True)

            def encode(value: Any) -> str:
                return "".join(iterencode(value, 0))
        else:  # pragma: no cover  (Pythons without the C accelerator)
            encode = json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
        _FLAT[depth] = encode
    return encode


def _unserialisable(value: object) -> None:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_CONTAINERS = (dict, list, tuple)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _indented(value: Any, depth: int) -> str:
    """`value` (a non-empty container) as json.dumps(indent=2) writes it at `depth`."""
    inner = "  " * (depth + 1)
    outer = "\n" + "  " * depth
    flat = _flat_encoder(depth + 1)
    if isinstance(value, dict):
        items: list[str] = []
        run: dict[Any, Any] = {}  # consecutive members with flat values: one C call
        for k, v in value.items():
            if type(v) in _SCALARS or not (v and isinstance(v, _CONTAINERS)):
                run[k] = v
                continue
            if run:
                items.append(flat(run)[1:-1])
                run = {}
            # The key as json.dumps writes it (text, or a number or boolean as text).
            key = encode_basestring(k) + ": " if type(k) is str else flat({k: 0})[1:-2]
            items.append(key + _indented(v, depth + 1))
        if run:
            items.append(flat(run)[1:-1])
        return "{\n" + inner + (",\n" + inner).join(items) + outer + "}"
    types = set(map(type, value))
    if types <= _SCALARS:
        return "[\n" + inner + flat(value)[1:-1] + outer + "]"
    if types == {dict} and all(value) and {type(w) for v in value
                                           for w in v.values()} <= _SCALARS:
        return _records(value, depth)
    items = [_indented(v, depth + 1) if v and isinstance(v, _CONTAINERS) else flat(v)
             for v in value]
    return "[\n" + inner + (",\n" + inner).join(items) + outer + "]"


def _records(value: list[Any] | tuple[Any, ...], depth: int) -> str:
    """A list of non-empty flat dicts (evidence items, exclusions) in one C call.

    Encoded with the dicts' members' separator, then the separators between the dicts put
    right. Raw line breaks occur only in separators (the encoder escapes them in text), and
    a separator between members is followed by a key's quote, one between dicts by a brace:
    so `},<separator>{` is always the join between two dicts."""
    inner = "  " * (depth + 1)
    members = "  " * (depth + 2)
    text = _flat_encoder(depth + 2)(value)
    body = text[2:-2].replace("},\n" + members + "{",
                              "\n" + inner + "},\n" + inner + "{\n" + members)
    return ("[\n" + inner + "{\n" + members + body + "\n" + inner + "}\n" + "  " * depth
            + "]")


def dumps_indented(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, faster, for JSON-ready values
    (dicts, lists, tuples, text, numbers, booleans and None)."""
    if value and isinstance(value, _CONTAINERS):
        return _indented(value, 0)
    return _flat_encoder(0)(value)


class JsonFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        data = result_dict(result)
        if options.meeting is not None:  # the board it goes to: labels later trends
            data["meeting"] = options.meeting.isoformat()
        if options.movement is not None:
            from boardcheck.formats.diff_report import diff_dict

            data["movement"] = diff_dict(options.movement)
        return dumps_indented(data) + "\n"


FORMAT = JsonFormat()


def _distribution(d: Distribution) -> dict[str, Any]:
    return {"n": d.n, "mean": d.mean, "q1": d.q1, "median": d.median, "q3": d.q3,
            "ratings": dict(d.ratings), "files": d.rated, "shares": d.shares()}


def _name(name: str) -> str | None:
    """A group's name; null for the group of files that record nothing (one id in every
    section: the breakdowns, by_sector, by_governance_model, common_gaps_by_sector)."""
    from boardcheck.summary import NOT_RECORDED

    return None if name == NOT_RECORDED else name


def _group(g: GroupSummary, key: str | None = None) -> dict[str, Any]:
    """A group of the batch; a breakdown's group (`key`) also carries its name in the words
    every report shows (`label`), so a program need not repeat the wording."""
    from boardcheck.summary import group_words

    label = {} if key is None else {"label": group_words(key, g.name)}
    return {"name": _name(g.name), **label, "overall": _distribution(g.overall),
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
    data = batch_result_dict(result)
    # orjson writes the line about ten times faster than the standard library's C encoder
    # (0.1 ms against 1 ms for a trust), which was a fifth of a JSON batch's CPU per file. Its
    # compact text is the same: no spaces, text as UTF-8, the same escapes. Text with a lone
    # surrogate (from a "\ud800" escape in the file) or an integer beyond 64 bits it refuses;
    # those lines are written by the standard library, as before.
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


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


class _Lazy(list[Any]):
    """A sequence written an item at a time (`_stream`), read as it goes from where the
    batch keeps it compactly (the order's array, the summary's store of names, the spilled
    outliers and collaboratives), each item turned into plain values by `each` only as it
    is written: a list subclass so that it stands among the plain values, holding nothing
    itself; never compared, copied or kept (list's own methods would see it empty)."""

    def __init__(self, items: Sequence[Any], each: Callable[[Any], Any] | None = None
                 ) -> None:
        super().__init__()
        self.items = items
        self.each = each

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items) if self.each is None else map(self.each, self.items)


def summary_dict(batch: BatchResult, order: Sequence[int]) -> dict[str, Any]:
    """The batch summary: the long lists (every trust's place and name, the outliers) as
    `_Lazy`, which `_stream` writes a slice at a time."""
    return {
        "files": len(batch.rows) + len(batch.errors),
        "checked": len(batch.rows),
        "failed": len(batch.errors),
        "order": _Lazy(order),
        "overall": _distribution(batch.overall),
        "categories": {cid: _distribution(d) for cid, d in batch.categories.items()},
        "by_sector": [_group(g) for g in batch.by_sector],
        "by_governance_model": [_group(g) for g in batch.by_model],
        "common_gaps": [_gap(g) for g in batch.common_gaps],
        "duplicates": [{"key": d.key, "value": d.value, "files": _Lazy(d.files)}
                       for d in batch.duplicates],
        **sector_views_dict(batch),
    }


def _gap(g: CommonGap) -> dict[str, Any]:
    return {"criterion": g.criterion, "title": g.title, "not_met": g.not_met, "share": g.share,
            # Every organisation with the gap: at 40,000 files, tens of megabytes as lists.
            "organisations": _Lazy(g.organisations)}


def sector_views_dict(batch: BatchResult) -> dict[str, Any]:
    """The sector views (issue 12): the breakdowns, common gaps by sector, the outliers."""
    return {
        "breakdowns": [{"key": b.key, "title": b.title,
                        "groups": [_group(g, b.key) for g in b.groups]}
                       for b in batch.breakdowns],
        "common_gaps_by_sector": [{"sector": _name(s.sector), "checked": s.checked,
                                   "gaps": [_gap(g) for g in s.gaps]}
                                  for s in batch.gaps_by_sector],
        # With 40,000 trusts, as dicts all at once, they took more memory than the rows.
        "outliers": _Lazy(batch.outliers, outlier_dict),
    }


def outlier_dict(o: Outlier) -> dict[str, Any]:
    return {"file": o.file, "organisation": o.organisation, "ods_code": o.ods_code,
            "sectors": list(o.sectors), "overall_score": o.overall_score,
            "overall_rating": o.overall_rating,
            "overall_evidence_coverage": o.overall_coverage,
            "reasons": [{"kind": r.kind, "text": r.text} for r in o.reasons]}


# --- the collaborative view (issue 12) ------------------------------------------------------

def collaborative_dict(view: CollaborativeView) -> dict[str, Any]:
    """One collaborative across its members, keys in a fixed order (docs/result-schema.md)."""
    return {
        "code": view.code, "name": view.name, "probable": view.probable,
        "members": [{"name": m.name, "ods_code": m.ods_code, "submitted": m.submitted,
                     "describes": m.describes, "files": list(m.files),
                     "ambiguous": list(m.ambiguous),
                     "named_by": list(m.named_by),
                     "failed_files": [{"file": p.file, "line": p.line, "column": p.column,
                                       "message": p.message} for p in m.failed]}
                    for m in view.members],
        "failed_files_unidentified": view.unidentified,
        "submissions": [
            {"file": s.file, "line": s.line, "column": s.column,
             "organisation": s.organisation, "ods_code": s.ods_code,
             "arrangement": s.arrangement, "name": s.name, "matched_by": s.matched_by,
             "counted": s.counted,
             "overall": {"score": s.overall_score, "rating": s.overall_rating,
                         "evidence_coverage": s.overall_coverage},
             "categories": [{"id": c.id, "score": c.score, "rating": c.rating,
                             "evidence_coverage": c.coverage} for c in s.categories]}
            for s in view.submissions],
        "readiness": {"overall": _distribution(view.overall),
                      "categories": {cid: _distribution(d)
                                     for cid, d in view.categories.items()}},
        "disagreements": [
            {"fact": d.fact, "title": d.title, "names_only": d.names_only,
             "statements": [_statement(s) for s in d.statements]}
            for d in view.disagreements],
        "unresolved": [
            {"fact": u.fact, "title": u.title,
             "statements": [_statement(s) for s in u.statements]}
            for u in view.unresolved],
        "recorded_by_some": [
            {"fact": p.fact, "title": p.title, "recorded_by": list(p.recorded_by),
             "not_recorded_by": list(p.not_recorded_by)} for p in view.partly_recorded],
    }


def _statement(s: Statement) -> dict[str, Any]:
    return {"file": s.file, "line": s.line, "column": s.column,
            "organisation": s.organisation, "value": s.value, "ods_code": s.ods_code,
            "ambiguous": list(s.ambiguous), "repeat": s.repeat}


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
        # Input indices of the results written, rising (rows arrive in input order): the
        # summary's `order` refers to them. An array, not a list of ints and a dict from
        # index to position: 8 bytes a trust, where those took ~150 (issue 14).
        self.written: array[int] = array("q")
        head = {"schema_version": RESULT_SCHEMA_VERSION, "kind": "batch",
                "questionnaire": questionnaire_dict(catalogue), "sort": sort}
        out.write("{\n" + _members(head) + ',\n  "results": [')
        # A UTF-8 file or stream takes each worker's line as the UTF-8 it arrives in: decoded
        # and encoded again on the way, a line of 60 KB cost the parent 0.1 ms a trust.
        self._raw = _utf8_buffer(out)
        if self._raw is not None:
            out.flush()  # what is written as text goes first

    def add(self, row: Row) -> None:
        if not row.ok:
            return
        separator = "\n    " if not self.written else ",\n    "
        if self._raw is not None and row.fragment is not None:
            line = unpack_bytes(row.fragment)
            if row.paper is not None:  # --papers: where this trust's paper was written
                line = line[:-1] + _paper(row.paper).encode("utf-8")
            self._raw.write(separator.encode("ascii") + line)
            self.written.append(row.index)
            return
        text = row_text(row, fragment)
        if text is None:
            return
        if row.paper is not None:
            text = text[:-1] + _paper(row.paper)
        self.out.write(separator + text)
        if self._raw is not None:  # before the next line goes to the buffer
            self.out.flush()
        self.written.append(row.index)

    def finish(self, batch: BatchResult) -> None:
        written = self.written
        order = array("q", (n for r in batch.rows
                            if (n := bisect_left(written, r.index)) < len(written)
                            and written[n] == r.index))
        tail: dict[str, Any] = {"summary": summary_dict(batch, order),
                                "collaboratives": _Lazy(batch.collaboratives,
                                                        collaborative_dict),
                                "errors": errors_list(batch), "complete": batch.complete}
        self.out.write("\n  ]" if self.written else "]")
        # In pieces, not one string: with 40,000 trusts the summary's lists of names alone
        # run to tens of megabytes. The pieces are gathered to about 64 KB a write.
        pieces: list[str] = []
        size = 0
        for key, value in tail.items():
            pieces.append(f",\n  {encode_basestring(key)}: ")
            for piece in _stream(value, 1):
                pieces.append(piece)
                size += len(piece)
                if size > 65536:
                    self.out.write("".join(pieces))
                    pieces.clear()
                    size = 0
        pieces.append("\n}\n")
        self.out.write("".join(pieces))


# How many items of a long list of text or numbers are encoded in one C call.
_SLICE = 1024


def _paper(paper: str) -> str:
    """The end of a trust's line that says where its board paper was written."""
    return f",\"paper\":{json.dumps(paper, ensure_ascii=False)}}}"


def _utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The binary buffer under `out`, where `out` writes text to it as it is, in UTF-8;
    None for anything else (a StringIO, a stream in another encoding, or one that writes
    line breaks as two characters, as the console on Windows does)."""
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(out.encoding).name == "utf-8"
    except LookupError:
        return None
    buffer: BinaryIO = out.buffer
    return buffer if utf8 else None


def _stream(value: Any, depth: int) -> Iterator[str]:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it at `depth`, in
    pieces: each `_Lazy` a slice or an item at a time, the rest by `_indented`. Python's own
    indenting encoder, which wrote the batch's tail before, took as much CPU as the parent's
    whole share of a JSON batch besides (0.5 ms a trust at 1,000 trusts)."""
    if isinstance(value, _Lazy):
        yield from _stream_lazy(value, depth)
    elif not (value and isinstance(value, _CONTAINERS)):
        yield _flat_encoder(depth)(value)
    elif not _holds_lazy(value):
        yield _indented(value, depth)
    elif isinstance(value, dict):
        inner = "  " * (depth + 1)
        flat = _flat_encoder(depth + 1)
        yield "{"
        first = True
        for k, v in value.items():
            key = encode_basestring(k) + ": " if type(k) is str else flat({k: 0})[1:-2]
            yield ("\n" if first else ",\n") + inner + key
            first = False
            yield from _stream(v, depth + 1)
        yield "\n" + "  " * depth + "}"
    else:
        inner = "  " * (depth + 1)
        yield "["
        for n, v in enumerate(value):
            yield ("\n" if n == 0 else ",\n") + inner
            yield from _stream(v, depth + 1)
        yield "\n" + "  " * depth + "]"


def _holds_lazy(value: Any) -> bool:
    """Whether a `_Lazy` stands anywhere in these plain values."""
    if isinstance(value, _Lazy):
        return True
    if isinstance(value, dict):
        return any(isinstance(v, _CONTAINERS) and _holds_lazy(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(isinstance(v, _CONTAINERS) and _holds_lazy(v) for v in value)
    return False


def _stream_lazy(value: _Lazy, depth: int) -> Iterator[str]:
    if not len(value):
        yield "[]"
        return
    inner = "  " * (depth + 1)
    separator = ",\n" + inner
    flat = _flat_encoder(depth + 1)
    yield "[\n" + inner
    if value.each is not None:  # an outlier, a collaborative: one at a time
        for n, item in enumerate(value):
            if n:
                yield separator
            yield from _stream(item, depth + 1)
    else:  # names, places: a slice in one C call
        items = iter(value)
        first = True
        while run := list(islice(items, _SLICE)):
            if not first:
                yield separator
            first = False
            yield flat(run)[1:-1]
    yield "\n" + "  " * depth + "]"


WRITER = JsonBatchWriter


class JsonBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = JsonBatchFormat()
