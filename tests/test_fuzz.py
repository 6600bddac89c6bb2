"""Hostile and malformed input, with Hypothesis: whatever a trust file holds, boardcheck
either evaluates it or refuses it with `file:line:column: message` lines and exit 2 —
never a traceback, a hang, a malformed message or a silently wrong score.

(a) random text and bytes: through the loader in-process, and through the CLI;
(b) structured mutations of the shipped examples (a key dropped, duplicated or misspelt, a
    value retyped, a date swapped with text, an alias, waivers, hostile text): through
    loader, engine and every output format, with an oracle for what each must give;
(c) a billion-laughs file is refused at its first alias, before anything expands.

Profiles are registered in tests/conftest.py: "ci" (the default: small, derandomized) and
"long" (`pytest tests/test_fuzz.py --hypothesis-profile=long`). A failure Hypothesis finds
in loading goes, minimised, into the corpus (tests/bad/, with its correct message, xfail in
KNOWN_WRONG until fixed; KNOWN_SYMPTOMS or KNOWN_CRASHES below keep these properties
running past it meanwhile). A defect found in an output format keeps a plain test here.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import difflib
import io
import json
import math
import os
import re
import traceback
import types
import typing
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, event, given, note, reject, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.functional_validators import BeforeValidator
from yaml.nodes import MappingNode, Node, SequenceNode

from boardcheck.batch import catalogue, row_from_result
from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.errors import BoardcheckError, Problem
from boardcheck.formats.base import OutputFormat, RenderOptions, get_batch_format, get_format
from boardcheck.formats.github import problem_annotation
from boardcheck.gates import Gates
from boardcheck.loading import YamlPath, format_path, model_at, parse_yaml, validate
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import Questionnaire, load_questionnaire
from boardcheck.result import Result
from boardcheck.summary import BatchResult, Row, Summariser
from tests.conftest import EXAMPLES, FIXTURES, Run, run_cli
from tests.test_bad_inputs import EXPECTED, KNOWN_WRONG

MINI = str(FIXTURES / "questionnaires" / "mini.yaml")
DISPLAY = "fuzz/trust.yaml"  # the name parse_yaml is given in-process
TODAY = dt.date(2026, 10, 1)  # for files without as_of: the same date every run
OPTIONS = RenderOptions()
ALIAS_MESSAGE = ("YAML anchors and aliases (&name, *name) are not allowed; "
                 "write the value out in full")


def cli_settings(share: int) -> settings:
    """Settings for a CLI property: 1/share of the profile's examples (the CLI is slower)."""
    return settings(max_examples=max(10, settings().max_examples // share))


@cache
def questionnaire(name: str | None) -> Questionnaire:
    return load_questionnaire(name)


# --- what every outcome must satisfy ---------------------------------------------------

_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks


def file_lines(raw: bytes) -> list[str]:
    """The lines of `raw` as a position in it counts them.

    Split at YAML's line breaks (CR, LF, CRLF, NEL, LS, PS), with columns counting
    characters, as the YAML parser and editors do. In bytes that are not valid UTF-8 only
    the decoding error is reported: each bad byte counts as one character (U+FFFD).
    """
    try:
        text = (raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff"))
                else raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace")
    return _BREAKS.split(text)


def assert_inside(line: int, column: int, lines: list[str], what: object) -> None:
    """A position must point into the file, or just past the end of a line or of the file."""
    assert 1 <= line <= len(lines) + 1, (what, f"{len(lines)} lines")
    width = len(lines[line - 1]) if line <= len(lines) else 0
    assert 1 <= column <= width + 1, (what, f"line {line} is {width} characters")


def one_clean_line(message: str) -> bool:
    """No line break and no control character (a terminal escape) in a message."""
    return not any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch != "\t"
                   for ch in message)


# Defects already in the corpus (tests/bad/, xfail in KNOWN_WRONG), by the case that holds
# each: how to recognise its symptom here, or the crash (exception, and the function it
# comes from). One is tolerated only while its case is in KNOWN_WRONG: once the fix lands
# and the entry goes, these properties hold it too. Empty while every known defect is fixed.
KNOWN_SYMPTOMS: dict[str, Callable[[Problem, bytes], bool]] = {}
KNOWN_CRASHES: dict[str, tuple[type[Exception], tuple[str, ...]]] = {}


def known_defect(problem: Problem, raw: bytes) -> str | None:
    return next((name for name, symptom in KNOWN_SYMPTOMS.items()
                 if name in KNOWN_WRONG and symptom(problem, raw)), None)


def known_crash(exc: BaseException) -> str | None:
    """The corpus case of a crash already known (while it is in KNOWN_WRONG), if it is one."""
    frames = {frame.f_code.co_name for frame, _ in traceback.walk_tb(exc.__traceback__)}
    return next((name for name, (kind, where) in KNOWN_CRASHES.items()
                 if name in KNOWN_WRONG and isinstance(exc, kind) and frames & set(where)),
                None)


def skip_known_crash(exc: BaseException) -> None:
    """Discard an example that hits a known crash; let any other exception through."""
    name = known_crash(exc)
    if name is None:
        raise exc
    event(f"known defect: {name}")
    reject()


def assert_located(problems: tuple[Problem, ...], display: str, raw: bytes) -> None:
    lines = file_lines(raw)
    assert problems, "an error without a problem to report"
    for p in problems:
        assert p.file == display, p
        assert p.message.strip(), p
        assert "Traceback" not in p.message, p
        if known_defect(p, raw):
            event(f"known defect: {known_defect(p, raw)}")
            continue
        assert_inside(p.line, p.column, lines, p)
        assert one_clean_line(p.message), p
    # Listed once each, in the order they stand in the file (as `validate` promises).
    assert len(set(problems)) == len(problems), problems
    assert list(problems) == sorted(problems, key=lambda p: (p.line, p.column)), problems


def assert_scores_in_range(result: Result) -> None:
    scores = [result.overall.score, *(c.score for c in result.categories)]
    for score in scores:
        assert score is None or (math.isfinite(score) and 0 <= score <= 100), scores
    assert (result.overall.score is None) == (result.overall.rating == "inconclusive")


@dataclass(frozen=True)
class Evaluated:
    trust: TrustDescription
    result: Result


def pipeline(raw: bytes, q: Questionnaire, display: str = DISPLAY
             ) -> Evaluated | BoardcheckError:
    """Load, validate and evaluate, as `check` does; a BoardcheckError is an outcome too."""
    try:
        document = parse_yaml(raw, display)
        trust = validate(TrustDescription, document)
        as_of = resolve_as_of(None, trust, TODAY)
        return Evaluated(trust, evaluate(trust, document.source, q, as_of))
    except BoardcheckError as exc:
        return exc
    except Exception as exc:  # a crash: fails the property, unless it is a known one
        skip_known_crash(exc)
        raise


def one_row_batch(row: Row, q: Questionnaire) -> BatchResult:
    summariser = Summariser(catalogue(q))
    summariser.add(row)
    return summariser.finish(sort="score")


def render_all(result: Result | None, row: Row, q: Questionnaire) -> dict[str, str]:
    """Every text format of OutputFormat: single formats get the result, batch formats a
    1-row batch. Binary documents (Word) are rendered by `render_binary`."""
    out: dict[str, str] = {}
    batch = one_row_batch(row, q)
    for fmt in OutputFormat:
        single, many = get_format(fmt), get_batch_format(fmt)
        assert single is not None or many is not None, fmt
        if single is not None and result is not None and not getattr(single, "binary", False):
            out[fmt.value] = single.render(result, OPTIONS)
        if many is not None and not getattr(many, "binary", False):
            out[f"{fmt.value}-batch"] = many.render(batch, OPTIONS)
    for name, text in out.items():
        assert isinstance(text, str), name
    return out


def render_binary(result: Result, q: Questionnaire | None = None) -> dict[str, bytes]:
    """Every binary format (a Word paper, an Excel workbook: zip files), the batch ones on a
    1-row batch of the result; a missing optional extra skips it."""
    out: dict[str, bytes] = {}
    batch = one_row_batch(row_from_result(0, result, Gates(), True),
                          q or questionnaire(None))
    for fmt in OutputFormat:
        for kind, renderer, report in (("", get_format(fmt), result),
                                       ("-batch", get_batch_format(fmt), batch)):
            if renderer is None or not getattr(renderer, "binary", False):
                continue
            try:
                data = renderer.render_bytes(report, OPTIONS)  # type: ignore[attr-defined]
            except Exception as exc:
                if type(exc).__name__ == "MissingExtra":
                    continue
                raise
            assert isinstance(data, bytes) and data.startswith(b"PK"), fmt
            out[fmt.value + kind] = data
    return out


def assert_well_formed(outputs: dict[str, str], *, tolerate_escapes: bool = False) -> None:
    """Machine formats must still parse when the file's text is hostile; the terminal
    report must carry no escape sequence (unless a known defect put one in a message)."""
    for name, text in outputs.items():
        fmt = name.removesuffix("-batch")
        if fmt in ("json", "sarif"):
            json.loads(text)
        elif fmt == "junit":
            ET.fromstring(text)
        elif fmt == "csv":
            rows = list(csv.reader(io.StringIO(text)))
            assert len({len(r) for r in rows}) == 1, "CSV rows of different lengths"
        elif fmt == "html":
            assert "<script>alert(1)</script>" not in text, "text from the file not escaped"
        elif fmt == "github":  # the runner reads commands a line (\n) at a time
            assert all(line.startswith("::") for line in text.rstrip("\n").split("\n")), text
        elif fmt == "rich" and not tolerate_escapes:
            assert "\x1b" not in text, "an escape sequence in uncoloured output"


def assert_good_outcome(outcome: Evaluated | BoardcheckError, raw: bytes, q: Questionnaire,
                        *, display: str = DISPLAY, render: bool = True,
                        twice: bool = True, binary: bool = False) -> None:
    """The property every input must have, whatever it holds. `twice` renders each text
    format twice (determinism); `binary` renders the slow binary formats too, once."""
    if isinstance(outcome, BoardcheckError):
        event("refused")
        assert_located(outcome.problems, display, raw)
        if render:  # the problems also go through the batch formats' error rows
            row = Row(index=0, file=display, problems=outcome.problems)
            outputs = render_all(None, row, q)
            assert outputs == render_all(None, row, q)
            known = any(known_defect(p, raw) for p in outcome.problems)
            assert_well_formed(outputs, tolerate_escapes=known)
        return
    event("evaluated")
    result = outcome.result
    assert result.file == display
    assert_scores_in_range(result)
    if render:
        row = row_from_result(0, result, Gates(), True)  # keep the full result
        outputs = render_all(result, row, q)
        if twice:
            assert outputs == render_all(result, row, q), "rendering is not deterministic"
        assert_well_formed(outputs)
    if render and binary:  # slow (~0.1 s): once, not twice; determinism has its own test
        render_binary(result, q)


# --- the trust schema, as an oracle: does a value have the type the model declares? -----


def _before(metadata: list[Any], value: Any) -> tuple[bool, Any]:
    for item in metadata:
        if isinstance(item, BeforeValidator):
            try:
                value = item.func(value)  # type: ignore[call-arg]
            except Exception:
                return False, value
    return True, value


def conforms(value: Any, annotation: Any, metadata: list[Any] | None = None) -> bool:
    """True if `value`, as YAML read it, has exactly the type `annotation` declares.

    Independent of pydantic: strict means no bool for an int, no float for an int,
    no number for text, no date-time for a date. Bounds are not checked.
    """
    ok, value = _before(metadata or [], value)
    if not ok:
        return False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return conforms(value, args[0], list(annotation.__metadata__))
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is typing.Literal:
        return any(type(value) is type(arg) and value == arg for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(v, args[0]) for v in value)
    if annotation is type(None):
        return value is None
    if annotation in (bool, int, str):
        return type(value) is annotation
    if annotation is float:
        return type(value) is int or (type(value) is float and math.isfinite(value))
    if annotation is dt.date:
        return type(value) is dt.date
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        return isinstance(value, dict) and all(
            k in fields and conforms(v, fields[k].annotation, fields[k].metadata)
            for k, v in value.items())
    raise AssertionError(f"conforms() does not know {annotation!r}")


def broken_references(data: dict[str, Any]) -> dict[YamlPath, str]:
    """Ids that must be unique and links that must resolve (as the README documents), found
    in the data as YAML read it: path -> words the message must hold. Assumes it conforms."""
    found: dict[YamlPath, str] = {}

    def unique(items: list[dict[str, Any]], where: YamlPath, what: str) -> None:
        seen: set[Any] = set()
        for i, item in enumerate(items):
            if item.get("id") in seen:
                found[(*where, i, "id")] = f"duplicate {what} id "
            seen.add(item.get("id"))

    unique(data.get("collaboratives") or [], ("collaboratives",), "arrangement")
    unique((data.get("strategy") or {}).get("objectives") or [], ("strategy", "objectives"),
           "objective")
    risks = (data.get("board_assurance_framework") or {}).get("risks") or []
    unique(risks, ("board_assurance_framework", "risks"), "BAF risk")
    ids = {c.get("id") for c in data.get("collaboratives") or []}
    for i, risk in enumerate(risks):
        for k, ref in enumerate(risk.get("collaboratives") or []):
            if ref not in ids:
                found[("board_assurance_framework", "risks", i, "collaboratives", k)] = (
                    " is not the id of an arrangement")
    return found


def assert_refused_for_references(outcome: Evaluated | BoardcheckError, text: str,
                                  expected: dict[YamlPath, str]) -> None:
    """Refused with exactly one problem per broken id or link, at it, saying so."""
    assert isinstance(outcome, BoardcheckError), f"accepted with {expected}"
    where = places(text)
    wanted = sorted((where[path].value, format_path(path), says)
                    for path, says in expected.items())
    got = sorted(((p.line, p.column), p.message) for p in outcome.problems)
    assert len(got) == len(wanted), (got, wanted)
    for (at, message), (want_at, path, says) in zip(got, wanted, strict=True):
        # The id itself may be shortened in the message: the path and the words must be there.
        assert at == want_at and message.startswith(f"{path}: ") and says in message, (
            got, wanted)


# --- (a) random text and bytes ---------------------------------------------------------


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def field_names(model: type[BaseModel]) -> set[str]:
    """Every key the trust schema knows, at any depth."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for sub in _models(info.annotation):
            names |= field_names(sub)
    return names


KEYS = sorted(field_names(TrustDescription))
TOKENS = [
    ": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "  ", "\t", "'", '"', "&a ", "*a", "&b ",
    "*b", "!", "!!", "!!python/object/apply:os.system ", "!!python/name:os.system ",
    "!!python/object:__main__.X ", "!!str ", "!!int ", "!!float ", "!!binary ",
    "!!timestamp ", "!!set ", "!!omap ", "!!map ", "!!seq ", "!include ",
    "!<tag:yaml.org,2002:str> ", "---", "---\n", "...", "\n...\n", "[", "]", "{", "}", ", ",
    "#", " # note", "? ", "|", "|-\n", ">", "<<: ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
    "~", "null", "yes", "no", "on", "off", "true", "1", "0", "-1", "0x1F", "0o17", "017",
    "1_000", "1e3", "12:30:00", ".inf", "-.inf", ".nan", "2024-01-01", "2024-13-01",
    "2024-02-30", "2026-10-01 09:30:00", "2026-10-01T09:30:00Z", "\r\n", "\r", "\x85",
    "\u2028", "\ufeff", "\x00", "\x01", "\x1b", "\\", '"\\n"', '"\\x1b[2J"', '"\\u2028"',
    '"\\0"', '"\\e"', '"\\N"', '"a\\\n b"', '"\\x85"', "é", "😀", "\u200b", "\ud7ff",
]
VALID_HEAD = "schema_version: 1\norganisation:\n  name: X\n"


@st.composite
def yaml_tokens(draw: st.DrawFn) -> str:
    """A soup of YAML syntax, schema keys and odd characters."""
    parts = draw(st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(KEYS),
                                    st.text(max_size=4)), max_size=40))
    return "".join(parts)


@st.composite
def yaml_lines(draw: st.DrawFn) -> str:
    """Lines shaped like a trust file (indent, dash, key, value), often after a valid head."""
    value = st.one_of(st.sampled_from(TOKENS), st.text(max_size=8), st.just(""))
    line = st.tuples(st.integers(0, 6), st.sampled_from(["", "- ", "? "]),
                     st.one_of(st.sampled_from(KEYS), st.text(max_size=6)),
                     st.sampled_from([": ", ":", ": ", " : "]), value,
                     st.sampled_from(["\n", "\n", "\r\n", "\r", ""]))
    lines = draw(st.lists(line, max_size=12))
    head = draw(st.sampled_from(["", VALID_HEAD, VALID_HEAD + "collaboratives:\n"]))
    return head + "".join(" " * n + dash + key + colon + v + end
                          for n, dash, key, colon, v, end in lines)


TEXTS = st.one_of(st.text(), yaml_tokens(), yaml_lines())
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """Valid-looking text with a few raw bytes dropped in."""
    raw = bytearray(draw(TEXTS).encode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        raw.insert(draw(st.integers(0, len(raw))), draw(st.integers(0, 255)))
    return bytes(raw)


BYTES = st.one_of(
    st.binary(),
    st.builds(lambda bom, rest: bom + rest, st.sampled_from(BOMS), st.binary()),
    TEXTS.map(lambda t: t.encode("utf-8")),
    TEXTS.map(lambda t: t.encode("utf-16")),  # with a byte-order mark
    TEXTS.map(lambda t: t.encode("utf-16-le")),  # without one
    spliced(),
)


@given(text=TEXTS)
def test_any_text_is_evaluated_or_refused_with_located_messages(text: str) -> None:
    raw = text.encode("utf-8")
    q = questionnaire(MINI)
    outcome = pipeline(raw, q)
    assert_good_outcome(outcome, raw, q)
    again = pipeline(raw, q)  # deterministic: the same problems, or the same result
    if isinstance(outcome, BoardcheckError):
        assert isinstance(again, BoardcheckError) and again.problems == outcome.problems
    else:
        assert isinstance(again, Evaluated) and again.result == outcome.result


@given(raw=BYTES)
def test_any_bytes_are_evaluated_or_refused_with_located_messages(raw: bytes) -> None:
    q = questionnaire(MINI)
    assert_good_outcome(pipeline(raw, q), raw, q, render=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def assert_cli_contract(run: Run, path: str, raw: bytes, allowed: set[int],
                        fmt: str | None = None) -> None:
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code in allowed, (run.exit_code, run.stderr)
    if run.exit_code != 2:
        assert run.stderr == ""
        return
    assert run.stderr.endswith("\n")
    lines = file_lines(raw)
    pattern = re.compile(rf"^{re.escape(path)}:(\d+):(\d+): (.+)$")
    stated = [pattern.match(line) for line in run.stderr[:-1].split("\n")]
    if fmt == "github":  # the same problems on stdout, as annotations on their lines
        assert run.stdout == "".join(
            problem_annotation(Problem(path, int(m[1]), int(m[2]), m[3])) + "\n"
            for m in stated if m)
    elif fmt == "sarif":  # still a whole document, the problems as notifications
        notes = json.loads(run.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert [n["message"]["text"] for n in notes] == [m[3] for m in stated if m]
    else:
        assert run.stdout == ""
    after_known = False
    for line in run.stderr[:-1].split("\n"):
        match = pattern.match(line)
        if after_known and not match:
            continue  # the rest of a message a known defect split over lines
        assert match, f"not file:line:column: message: {line!r}"
        after_known = bool(known_defect(Problem(path, int(match[1]), int(match[2]), match[3]),
                                        raw))
        if after_known:
            continue
        assert_inside(int(match[1]), int(match[2]), lines, line)
        assert one_clean_line(match[3]), line


# The environment must not choose a format, thresholds or a step summary for these runs.
QUIET_ENV: dict[str, Any] = {
    "GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None,
    **{name: None for name in os.environ if name.startswith("BOARDCHECK_")},
}
SINGLE_FORMATS = [f.value for f in OutputFormat if get_format(f) is not None]


@cli_settings(2)
@given(raw=st.one_of(BYTES, TEXTS.map(lambda t: t.encode("utf-8"))),
       fmt=st.sampled_from(SINGLE_FORMATS))
def test_cli_validate_and_check_keep_the_contract(raw: bytes, fmt: str, workdir: Path) -> None:
    file = workdir / "trust.yaml"
    file.write_bytes(raw)
    path = str(file)
    try:
        validated = run_cli("validate", path, env=QUIET_ENV)
    except Exception as exc:  # a crash: fails the property, unless it is a known one
        skip_known_crash(exc)
        raise
    assert_cli_contract(validated, path, raw, {0, 2})
    if validated.exit_code == 0:
        assert validated.stdout == f"{path}: valid\n"
    checked = run_cli("check", path, "--questionnaire", MINI, "--format", fmt, env=QUIET_ENV)
    # No --fail-under or --fail-on: exit 1 (past a threshold) cannot happen.
    assert_cli_contract(checked, path, raw, {0, 2}, fmt)
    if validated.exit_code == 2:
        # `check` loads as `validate` does: the same file, the same messages.
        assert (checked.exit_code, checked.stderr) == (2, validated.stderr)
    elif checked.exit_code == 0:
        assert checked.stdout
        if fmt == "json":
            assert json.loads(checked.stdout)["file"] == path


# --- (b) structured mutations of the shipped examples -----------------------------------

EXAMPLE_DATA: dict[str, dict[str, Any]] = {
    p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))
}


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 5x faster, same text


def dump(data: Any) -> str:
    """Block style, one value per line (no wrapping), keys in the example's order."""
    text: str = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                          width=10**9, default_flow_style=False)
    return text


def walk(value: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, Any]]:
    """Every value below the top, with its path."""
    children: Any = (value.items() if isinstance(value, dict)
                     else enumerate(value) if isinstance(value, list) else ())
    for key, child in children:
        sub = (*path, key)
        yield sub, child
        yield from walk(child, sub)


def get(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]
    return data


Mark = tuple[int, int]


@dataclass(frozen=True)
class Place:
    """Where a value stands in a file (1-based), as composed by PyYAML itself."""

    key: Mark | None
    value: Mark
    end_line: int


def places(text: str) -> dict[YamlPath, Place]:
    out: dict[YamlPath, Place] = {}

    def go(node: Node, path: YamlPath, key: Mark | None) -> None:
        start, end = node.start_mark, node.end_mark
        out[path] = Place(key, (start.line + 1, start.column + 1), end.line + 1)
        if isinstance(node, MappingNode):
            for k, v in node.value:
                go(v, (*path, str(k.value)), (k.start_mark.line + 1, k.start_mark.column + 1))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                go(item, (*path, i), None)

    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    go(root, (), None)
    return out


@dataclass(frozen=True)
class Mutant:
    kind: str
    example: str
    text: str
    path: YamlPath = ()
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def raw(self) -> bytes:
        return self.text.encode("utf-8")


EXAMPLE_NAMES = st.sampled_from(sorted(EXAMPLE_DATA))
SCALARS = st.one_of(
    st.text(max_size=20), st.integers(-(10**6), 10**6), st.integers(), st.booleans(),
    st.none(), st.dates(), st.datetimes(), st.floats(),
    st.sampled_from(["", " ", "no", "yes", "on", "2024-01-01", "0123", "1", "acute",
                     "nhs_trust", "joint_committee", "quarterly", "reasonable", "Limited"]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), SCALARS, max_size=3),
)


def kind_of(value: Any) -> str:
    return type(value).__name__


@st.composite
def dropped_key(draw: st.DrawFn) -> Mutant:
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    path = draw(st.sampled_from([p for p, _ in walk(data) if isinstance(p[-1], str)]))
    del get(data, path[:-1])[path[-1]]
    return Mutant("drop", name, dump(data), path)


@st.composite
def retyped_value(draw: st.DrawFn) -> Mutant:
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    path, old = draw(st.sampled_from(list(walk(data))))
    new = draw(VALUES)
    assume(kind_of(new) != kind_of(old))
    get(data, path[:-1])[path[-1]] = new
    return Mutant("retype", name, dump(data), path, {"old": old, "new": new})


@st.composite
def typo(draw: st.DrawFn, word: str) -> str:
    i = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-"))
    edits: list[Callable[[], str]] = [
        lambda: word[:i] + word[i + 1:],  # a letter left out
        lambda: word[:i] + word[i] + word[i:],  # a letter doubled
        lambda: word[:i] + letter + word[i + 1:],  # a letter wrong
        lambda: word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:],  # two swapped
        lambda: word.replace("_", draw(st.sampled_from(["-", " ", ""]))),
        lambda: word.capitalize(),
        lambda: word + "s",
    ]
    return draw(st.sampled_from(edits))()


@st.composite
def renamed_key(draw: st.DrawFn) -> Mutant:
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    path = draw(st.sampled_from([p for p, _ in walk(data) if isinstance(p[-1], str)]))
    parent = get(data, path[:-1])
    old = path[-1]
    assert isinstance(old, str)
    new = draw(typo(old))
    assume(new and new != old and new not in parent)
    renamed = {new if k == old else k: v for k, v in parent.items()}
    if path[:-1]:
        get(data, path[:-2])[path[-2]] = renamed
    else:
        data = renamed
    return Mutant("rename", name, dump(data), (*path[:-1], new), {"old": old})


BAD_DATES = st.one_of(
    st.sampled_from(["2024-13-01", "2024-02-30", "2023-02-29", "2024-00-10", "2024-04-31",
                     "next week", "01/02/2026", "1 October 2026", "2026-13", "20261001", "",
                     " ", "2026-10-01T09:30", "yesterday", "TBC"]),
    # A valid month alone ("2026-10") is a date known only to the month: accepted.
    st.datetimes(), st.text(max_size=12).filter(
        lambda s: not re.fullmatch(r"\s*[0-9]{4}-[0-9]{1,2}(-[0-9]{1,2})?\s*", s)),
)


@st.composite
def swapped_date(draw: st.DrawFn) -> Mutant:
    """A date replaced with text that is not a date, or text replaced with a date."""
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    dates = [p for p, v in walk(data) if type(v) is dt.date]
    texts = [p for p, v in walk(data) if isinstance(v, str)]
    to_text = draw(st.booleans())
    path = draw(st.sampled_from(dates if to_text else texts))
    new = draw(BAD_DATES if to_text else st.dates())
    get(data, path[:-1])[path[-1]] = new
    return Mutant("date", name, dump(data), path, {"new": new, "to_text": to_text})


KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z_][A-Za-z0-9_]*):"
                      r"(?P<rest> .*)?$")


@st.composite
def duplicated_key(draw: st.DrawFn) -> Mutant:
    """A `key: value` line written twice (the second copy straight after the first)."""
    name = draw(EXAMPLE_NAMES)
    lines = dump(EXAMPLE_DATA[name]).splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    i = draw(st.sampled_from(candidates))
    match = KEY_LINE.match(lines[i])
    assert match
    column = len(match["indent"]) + (2 if match["dash"] else 0)
    copy_line = " " * column + match["key"] + ":" + (match["rest"] or "") + "\n"
    text = "".join([*lines[:i + 1], copy_line, *lines[i + 1:]])
    return Mutant("duplicate", name, text, (),
                  {"key": match["key"], "first": i + 1, "line": i + 2, "column": column + 1})


SCALAR_LINE = re.compile(r"^(?P<head> *(?:- )?[A-Za-z_][A-Za-z0-9_]*: )(?P<value>\S.*)$")


@st.composite
def inserted_alias(draw: st.DrawFn) -> Mutant:
    """An anchor put on one scalar value and an alias to it in place of a later value."""
    name = draw(EXAMPLE_NAMES)
    text = dump(EXAMPLE_DATA[name])
    lines = text.splitlines()
    candidates = [i for i, line in enumerate(lines) if SCALAR_LINE.match(line)]
    i, j = sorted(draw(st.lists(st.sampled_from(candidates), min_size=2, max_size=2,
                                unique=True)))
    anchored, aliased = SCALAR_LINE.match(lines[i]), SCALAR_LINE.match(lines[j])
    assert anchored and aliased
    # The alias's path, from the original text (its line does not move).
    path = next(p for p, place in places(text).items() if place.key and place.key[0] == j + 1)
    lines[i] = f"{anchored['head']}&a {anchored['value']}"
    lines[j] = f"{aliased['head']}*a"
    return Mutant("alias", name, "\n".join(lines) + "\n", path,
                  {"line": j + 1, "column": len(aliased["head"]) + 1})


HOSTILE_TEXT = st.one_of(
    st.sampled_from([
        "\x1b[2J\x1b]0;pwned\x07 Trust", "Evil <script>alert(1)</script> & Co", "a | b | c",
        "=HYPERLINK(\"http://x\")", "::error file=x::injected", "line one\nline two",
        "carriage\rreturn", "%0A%25", "\u202eevil\u202c", "\ufeffbom", "\x00nul",
        "\"quoted\" and 'single'", "]]><!--", "\\", " ", "\u2028", "😀" * 5,
    ]),
    st.text(min_size=1, max_size=30),
)
WAIVER_TEXT = st.one_of(st.sampled_from(["Accepted by the board", "Director of Governance",
                                         "Audit Committee", "x"]),
                        st.text(min_size=1, max_size=10))


@st.composite
def added_waivers(draw: st.DrawFn) -> Mutant:
    """Waivers for criteria of the built-in questionnaire, unknown criteria or the same twice."""
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    ids = [c.spec.id for c in questionnaire(None).criteria]
    criterion = st.one_of(
        st.sampled_from(ids), st.sampled_from(ids).map(str.lower),  # ids match in any case
        st.sampled_from(ids).map(lambda i: f" {i} "), st.text(min_size=1, max_size=6))
    waiver = st.fixed_dictionaries({
        "criterion": criterion,
        "reason": WAIVER_TEXT, "owner": WAIVER_TEXT, "approved_by": WAIVER_TEXT,
        "review_by": st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
    })
    data["waivers"] = draw(st.lists(waiver, min_size=1, max_size=4))
    return Mutant("waiver", name, dump(data), ("waivers",), {"waivers": data["waivers"]})


@st.composite
def hostile_text(draw: st.DrawFn) -> Mutant:
    """A text value replaced with text built to break an output format or a terminal."""
    name = draw(EXAMPLE_NAMES)
    data = copy.deepcopy(EXAMPLE_DATA[name])
    path = draw(st.sampled_from([p for p, v in walk(data) if isinstance(v, str)]))
    new = draw(HOSTILE_TEXT)
    get(data, path[:-1])[path[-1]] = new
    return Mutant("text", name, dump(data), path, {"new": new})


MUTANTS = st.one_of(dropped_key(), retyped_value(), renamed_key(), swapped_date(),
                    duplicated_key(), inserted_alias(), added_waivers(), hostile_text())


def outcome_of(mutant: Mutant, q: Questionnaire | None = None) -> Evaluated | BoardcheckError:
    note(f"{mutant.kind} in {mutant.example} at {format_path(mutant.path)} {mutant.detail}")
    note(mutant.text)
    return pipeline(mutant.raw, q or questionnaire(None))


def assert_conforms_if_accepted(mutant: Mutant, outcome: Evaluated | BoardcheckError) -> None:
    """No silent coercion: a file the loader accepts has exactly the declared types."""
    if isinstance(outcome, Evaluated):
        read = yaml.safe_load(mutant.text)
        assert conforms(read, TrustDescription), (
            "accepted a value the schema does not allow: "
            f"{format_path(mutant.path)} = {mutant.detail.get('new')!r}")


def problem_lines(outcome: BoardcheckError) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in outcome.problems]


@given(mutant=MUTANTS)
def test_mutated_examples_are_evaluated_and_rendered_or_refused(mutant: Mutant) -> None:
    q = questionnaire(None)
    outcome = outcome_of(mutant, q)
    event(f"{mutant.kind}: {'refused' if isinstance(outcome, BoardcheckError) else 'evaluated'}")
    assert_good_outcome(outcome, mutant.raw, q, binary=True)
    assert_conforms_if_accepted(mutant, outcome)
    if isinstance(outcome, Evaluated):  # the engine is pure: the same result again
        again = pipeline(mutant.raw, q)
        assert isinstance(again, Evaluated) and again.result == outcome.result


def test_known_defects_belong_to_corpus_cases() -> None:
    assert sorted((KNOWN_SYMPTOMS.keys() | KNOWN_CRASHES.keys()) - EXPECTED.keys()) == []


def test_dumped_examples_are_still_valid() -> None:
    # The mutations start from dump() of each example: that alone must change nothing.
    q = questionnaire(None)
    for name, data in EXAMPLE_DATA.items():
        dumped = pipeline(dump(data).encode("utf-8"), q, str(EXAMPLES / name))
        original = pipeline((EXAMPLES / name).read_bytes(), q, str(EXAMPLES / name))
        assert isinstance(dumped, Evaluated) and isinstance(original, Evaluated), name
        # Lines move when the file is re-emitted; scores and statuses must not.
        assert dumped.result.overall == original.result.overall, name
        assert ([(c.id, c.status, c.message) for c in dumped.result.criteria]
                == [(c.id, c.status, c.message) for c in original.result.criteria]), name


@given(mutant=dropped_key())
def test_dropping_a_key_refuses_only_a_required_one(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    parent, key = mutant.path[:-1], mutant.path[-1]
    model = model_at(TrustDescription, parent)
    assert model is not None
    if not model.model_fields[str(key)].is_required():
        # Valid still, unless what was dropped is what a link pointed at.
        broken = broken_references(yaml.safe_load(mutant.text))
        if broken:
            assert_refused_for_references(outcome, mutant.text, broken)
        else:
            assert isinstance(outcome, Evaluated), "dropping an optional key made it invalid"
        return
    assert isinstance(outcome, BoardcheckError)
    # Reported at the key of the mapping it is missing from (a list item has no key).
    where = places(mutant.text)[parent]
    expected = (*(where.key or where.value),
                f"{format_path(mutant.path)}: required key {key!r} is missing")
    assert expected in problem_lines(outcome)


@given(mutant=retyped_value())
def test_a_retyped_value_is_refused_where_it_stands_or_conforms(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    assert_good_outcome(outcome, mutant.raw, questionnaire(None), render=False)
    assert_conforms_if_accepted(mutant, outcome)
    if isinstance(outcome, BoardcheckError):
        place = places(mutant.text)[mutant.path]
        first = place.key[0] if place.key else place.value[0]
        for p in outcome.problems:  # at the value, or within it: nowhere else changed
            assert first <= p.line <= place.end_line, (p, first, place.end_line)


@given(mutant=renamed_key())
def test_a_misspelt_key_is_reported_as_unknown_at_the_key(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    parent, new, old = mutant.path[:-1], str(mutant.path[-1]), mutant.detail["old"]
    model = model_at(TrustDescription, parent)
    assert model is not None
    assume(new not in model.model_fields)  # a typo that is another key is another test
    assert isinstance(outcome, BoardcheckError)
    place = places(mutant.text)[mutant.path]
    assert place.key is not None
    unknown = [p for p in outcome.problems
               if (p.line, p.column) == place.key and "unknown key" in p.message]
    assert len(unknown) == 1, problem_lines(outcome)
    message = unknown[0].message
    assert message.startswith(f"{format_path(mutant.path)}: unknown key {new!r}; ")
    if difflib.SequenceMatcher(None, old, new).ratio() >= 0.6:
        assert "; did you mean " in message


@given(mutant=swapped_date())
def test_a_date_swapped_with_text_is_refused_at_the_value(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    assert_conforms_if_accepted(mutant, outcome)
    assert isinstance(outcome, BoardcheckError)
    place = places(mutant.text)[mutant.path]
    at_value = [p for p in outcome.problems
                if (p.line, p.column) in (place.value, place.key)]
    assert at_value, (problem_lines(outcome), place)
    assert all(p.message.startswith(f"{format_path(mutant.path)}: ") for p in at_value)
    if not mutant.detail["to_text"]:
        assert any("as a date" in p.message and "put it in quotes" in p.message
                   for p in at_value), problem_lines(outcome)


@given(mutant=duplicated_key())
def test_a_duplicated_key_is_reported_at_the_copy(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    assert isinstance(outcome, BoardcheckError)
    d = mutant.detail
    found = [p for p in outcome.problems if (p.line, p.column) == (d["line"], d["column"])]
    assert found, problem_lines(outcome)
    assert found[0].message.endswith(
        f": duplicate key {d['key']!r} (first defined at line {d['first']})")


@given(mutant=inserted_alias())
def test_an_alias_is_refused_at_the_alias(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    assert isinstance(outcome, BoardcheckError)
    d = mutant.detail
    assert problem_lines(outcome) == [
        (d["line"], d["column"], f"{format_path(mutant.path)}: {ALIAS_MESSAGE}")]


@given(mutant=hostile_text())
def test_hostile_text_is_held_as_written_and_rendered_safely(mutant: Mutant) -> None:
    q = questionnaire(None)
    outcome = outcome_of(mutant, q)
    read = yaml.safe_load(mutant.text)
    # Free text takes any text; a field with a fixed list of values refuses it; an id or a
    # link must still be unique or resolve.
    if not conforms(read, TrustDescription):
        assert isinstance(outcome, BoardcheckError), "accepted a value outside its list"
    elif broken_references(read):
        assert_refused_for_references(outcome, mutant.text, broken_references(read))
    else:
        assert isinstance(outcome, Evaluated), problem_lines(outcome) if isinstance(
            outcome, BoardcheckError) else ""
    assert_good_outcome(outcome, mutant.raw, q, twice=False)  # twice: in the test above


@cache
def unwaived_statuses(example: str) -> dict[str, str]:
    outcome = pipeline(dump(EXAMPLE_DATA[example]).encode("utf-8"), questionnaire(None))
    assert isinstance(outcome, Evaluated)
    return {c.id: c.status for c in outcome.result.criteria}


@given(mutant=added_waivers())
def test_waivers_are_checked_and_applied_as_documented(mutant: Mutant) -> None:
    outcome = outcome_of(mutant)
    q = questionnaire(None)
    where = places(mutant.text)
    expected: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    ids = {c.spec.id for c in q.criteria}
    for i, w in enumerate(mutant.detail["waivers"]):
        at = where[("waivers", i, "criterion")].value
        key = w["criterion"].strip().upper()  # as a person types it: " pi11" is PI11
        if key not in ids:
            expected.append((*at, f"waivers[{i}].criterion: {key!r} is not a "
                                  f"criterion of questionnaire {q.id}"))
        elif key in seen:
            expected.append((*at, f"waivers[{i}].criterion: {key!r} is waived twice"))
        seen.add(key)
    if expected:
        assert isinstance(outcome, BoardcheckError)
        assert problem_lines(outcome) == expected
        return
    assert isinstance(outcome, Evaluated)
    before = unwaived_statuses(mutant.example)
    as_of = outcome.result.as_of
    waivers = {w["criterion"].strip().upper(): w for w in mutant.detail["waivers"]}
    for c in outcome.result.criteria:
        w = waivers.get(c.id)
        live = w is not None and w["review_by"] >= as_of
        if live and before[c.id] in ("not_met", "partly_met", "not_evidenced"):
            assert c.status == "waived", (c.id, before[c.id])
        else:  # an expired waiver, or one for a criterion that is met, changes nothing
            assert c.status == before[c.id], (c.id, c.status, before[c.id], w)
        assert (c.waiver is not None) == (w is not None), c.id
    assert_scores_in_range(outcome.result)


def test_the_terminal_report_carries_no_escape_sequence_from_the_file() -> None:
    # Found by fuzzing: "\e[2J" in a name once cleared the reader's screen.
    data = copy.deepcopy(EXAMPLE_DATA["weak-acute.yaml"])
    data["organisation"]["name"] = "Evil\x1b[2J\x1b]0;pwned\x07 Trust"
    q = questionnaire(None)
    outcome = pipeline(dump(data).encode("utf-8"), q)
    assert isinstance(outcome, Evaluated)
    row = row_from_result(0, outcome.result, Gates(), True)
    outputs = render_all(outcome.result, row, q)
    assert "\x1b" not in outputs["rich"]
    assert "\x1b" not in outputs["rich-batch"]


def test_the_word_paper_takes_any_text_the_schema_accepts() -> None:
    # Found by fuzzing: a control character made lxml raise inside python-docx.
    data = copy.deepcopy(EXAMPLE_DATA["weak-acute.yaml"])
    data["organisation"]["name"] = "Evil\x1b[2J Trust"
    outcome = pipeline(dump(data).encode("utf-8"), questionnaire(None))
    assert isinstance(outcome, Evaluated)
    paper = get_format(OutputFormat.DOCX)
    assert paper is not None
    try:
        paper_bytes = paper.render_bytes(outcome.result, OPTIONS)  # type: ignore[attr-defined]
    except Exception as exc:
        if type(exc).__name__ == "MissingExtra":
            pytest.skip("python-docx is not installed")
        raise
    assert paper_bytes.startswith(b"PK")


def test_csv_rows_survive_a_carriage_return_in_the_text() -> None:
    # Found by fuzzing: csv quotes "\n" but not a lone "\r" unless told to.
    data = copy.deepcopy(EXAMPLE_DATA["weak-acute.yaml"])
    data["organisation"]["name"] = "Carriage\rReturn NHS Trust"
    q = questionnaire(None)
    outcome = pipeline(dump(data).encode("utf-8"), q)
    assert isinstance(outcome, Evaluated)
    text = render_all(outcome.result, row_from_result(0, outcome.result, Gates(), True),
                      q)["csv-batch"]
    rows = list(csv.reader(io.StringIO(text)))
    assert [len(r) for r in rows] == [len(rows[0])] * 2
    assert rows[1][1] == "Carriage\rReturn NHS Trust"


def test_binary_formats_are_deterministic() -> None:
    outcome = pipeline(dump(EXAMPLE_DATA["strong-acute-ft.yaml"]).encode("utf-8"),
                       questionnaire(None))
    assert isinstance(outcome, Evaluated)
    assert render_binary(outcome.result) == render_binary(outcome.result)


# --- (c) the billion laughs ------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9, *, block: bool = False) -> str:
    """`width`**`levels` copies of "lol" from a few hundred bytes, if aliases expand."""
    lines = [VALID_HEAD.rstrip("\n"), 'lol0: &lol0 "lol"']
    for n in range(1, levels + 1):
        if block:
            lines.append(f"lol{n}: &lol{n}")
            lines += [f"  - *lol{n - 1}"] * width
        else:
            lines.append(f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("block", [False, True], ids=["flow", "block"])
def test_billion_laughs_is_refused_at_the_first_alias(block: bool, workdir: Path) -> None:
    text = billion_laughs(block=block)
    raw = text.encode("utf-8")
    # Refused at the first alias, so nothing was expanded; how fast and in how little memory
    # is measured by benchmarks/hostile.py, not here.
    outcome = pipeline(raw, questionnaire(MINI))
    assert isinstance(outcome, BoardcheckError)
    line, column = (6, 5) if block else (5, 14)  # the first alias
    assert problem_lines(outcome) == [(line, column, f"lol1[0]: {ALIAS_MESSAGE}")]

    file = workdir / "laughs.yaml"
    file.write_bytes(raw)
    run = run_cli("validate", str(file))
    assert "Traceback" not in run.stdout + run.stderr
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"{file}:{line}:{column}: lol1[0]: {ALIAS_MESSAGE}\n"
    assert "aliases" in run.stderr
