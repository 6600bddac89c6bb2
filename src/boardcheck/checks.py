"""The check kinds a questionnaire may name, in one registry.

Each kind is a pure function `(context, params) -> Outcome` with a pydantic model for its
parameters. Criteria (text, weights, thresholds) live in the questionnaire; a kind only
knows how to look for one sort of evidence. Generic kinds (`present`, `non_empty`,
`date_within`, `value_in`, `number_at_least`, `for_each`) let a user add criteria to their
own questionnaire without writing code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from boardcheck.errors import Problem
from boardcheck.loading import SourceMap, YamlPath, format_path, holds_a_list, model_at
from boardcheck.model import (
    BafRisk,
    Collaborative,
    Partner,
    TrustDescription,
)
from boardcheck.result import Evidence, Outcome

# --- context and helpers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may look at: the description, where its values are, and the as-of date."""

    trust: TrustDescription
    source: SourceMap
    as_of: dt.date

    def at(self, path: YamlPath, note: str) -> Evidence:
        line, column = self.source.locate(path)
        return Evidence(format_path(path), line, column, note)

    def months_ago(self, months: int) -> dt.date:
        return add_months(self.as_of, -months)

    def older_than(self, day: dt.date, months: int) -> bool:
        """True when `day` is more than `months` calendar months before the as-of date."""
        return day < self.months_ago(months)

    def age_words(self, day: dt.date, months: int) -> str:
        """'more than 12 months before 2026-10-01', for messages about a stale date."""
        return f"more than {months} months before {self.as_of.isoformat()}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic, clamping the day (31 March - 1 month = 28/29 February).

    Saturates at the ends of the calendar (years 1 and 9999): a window reaching past them
    covers everything up to them, and an as-of date in year 1 is no reason to crash."""
    index = day.year * 12 + day.month - 1 + months
    if index < 12:
        return dt.date.min
    if index >= 10_000 * 12:
        return dt.date.max
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")  # pragma: no cover


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (negative if `later` comes first)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


class CheckParams(BaseModel):
    """Base for check parameters: frozen, strict, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class NoParams(CheckParams):
    pass


P = TypeVar("P", bound=CheckParams)
CheckFunction = Callable[[Context, Any], Outcome]
Verifier = Callable[[Any, SourceMap, YamlPath], list[Problem]]


def _no_verify(params: Any, source: SourceMap, at: YamlPath) -> list[Problem]:
    return []


@dataclass(frozen=True, slots=True)
class CheckKind:
    """A registered check kind: its name, parameter model and function."""

    name: str
    params: type[CheckParams]
    run: CheckFunction
    doc: str
    generic: bool
    # Extra validation of parameters that needs the trust schema (e.g. field paths).
    verify: Verifier = field(default=_no_verify)


REGISTRY: dict[str, CheckKind] = {}


def check_kind(name: str, params: type[P] = NoParams,  # type: ignore[assignment]
               *, generic: bool = False, verify: Verifier = _no_verify,
               ) -> Callable[[Callable[[Context, P], Outcome]], Callable[[Context, P], Outcome]]:
    """Register a check function under `name`."""

    def register(fn: Callable[[Context, P], Outcome]) -> Callable[[Context, P], Outcome]:
        REGISTRY[name] = CheckKind(name, params, fn, (fn.__doc__ or "").strip(), generic, verify)
        return fn

    return register


def met(message: str, evidence: Iterable[Evidence] = ()) -> Outcome:
    return Outcome("met", message, tuple(evidence))


def not_met(message: str, evidence: Iterable[Evidence] = (), *, evidenced: bool = True) -> Outcome:
    return Outcome("not_met", message, tuple(evidence), evidenced)


def not_applicable(reason: str, evidence: Iterable[Evidence] = ()) -> Outcome:
    return Outcome("not_applicable", reason, tuple(evidence))


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """One item's verdict inside a per-item check (None = not applicable to this item)."""

    ok: bool | None
    note: str
    evidence: Evidence
    evidenced: bool = True


def aggregate(findings: Sequence[ItemFinding], noun: str, *, none_reason: str) -> Outcome:
    """All items pass: met; some: partly met; none: not met; no items apply: not applicable."""
    applicable = [f for f in findings if f.ok is not None]
    # Where the gap is comes first, marked: formats that show one location show the first.
    evidence = tuple(replace(f.evidence, gap=True) if f.ok is False else f.evidence
                     for f in sorted(findings, key=lambda f: f.ok is not False))
    if not applicable:
        return not_applicable(none_reason, evidence)
    failing = [f for f in applicable if not f.ok]
    if not failing:
        if len(applicable) == 1:
            return met(applicable[0].note, evidence)
        return met(f"all {len(applicable)} {noun}: " + "; ".join(f.note for f in applicable),
                   evidence)
    detail = "; ".join(f.note for f in failing)
    evidenced = any(f.evidenced for f in failing)
    if len(failing) == len(applicable):
        lead = "" if len(applicable) == 1 else f"none of {len(applicable)} {noun}: "
        return not_met(lead + detail, evidence, evidenced=evidenced)
    return Outcome("partly_met", f"{len(failing)} of {len(applicable)} {noun}: {detail}",
                   evidence, evidenced)


def each_collaborative(ctx: Context) -> Iterator[tuple[YamlPath, Collaborative]]:
    for i, collab in enumerate(ctx.trust.collaboratives):
        yield ("collaboratives", i), collab


def per_collaborative(ctx: Context, judge: Callable[[YamlPath, Collaborative], ItemFinding],
                      *, none_reason: str = "the trust lists no collaborative arrangements",
                      ) -> Outcome:
    findings = [judge(path, c) for path, c in each_collaborative(ctx)]
    return aggregate(findings, "arrangements", none_reason=none_reason)


def nhs_partners(collab: Collaborative) -> list[Partner]:
    """Partners whose boards take part in governance (NHS bodies; unknown kinds count)."""
    return [p for p in collab.partners
            if p.kind in (None, "nhs_trust", "nhs_foundation_trust", "icb")]


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())


# --- generic kinds ----------------------------------------------------------------------

ForEachOver = Literal["collaboratives", "baf_risks"]
_SCOPES: dict[str, type[BaseModel]] = {
    "": TrustDescription, "collaboratives": Collaborative, "baf_risks": BafRisk,
}


def _get(obj: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _path_of(base: YamlPath, dotted: str) -> YamlPath:
    return (*base, *dotted.split("."))


def verify_path(scope: type[BaseModel], dotted: str, source: SourceMap,
                at: YamlPath) -> list[Problem]:
    """A field path in a questionnaire must name a field of the trust schema."""
    parts = dotted.split(".")
    for n, name in enumerate(parts):
        parent = model_at(scope, tuple(parts[:n]))
        if parent is None or name not in parent.model_fields:
            options = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(name, options, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            line, column = source.locate((*at, "path"))
            where = scope.__name__
            return [Problem(source.file, line, column,
                            f"{format_path((*at, 'path'))}: {dotted!r} is not a field of "
                            f"{where} ({name!r} unknown{hint})")]
        if n < len(parts) - 1 and holds_a_list(parent, name):
            line, column = source.locate((*at, "path"))
            return [Problem(source.file, line, column,
                            f"{format_path((*at, 'path'))}: {dotted!r} reaches through "
                            f"{'.'.join(parts[:n + 1])!r}, a list; use for_each for each item")]
    return []


class PathParams(CheckParams):
    path: Annotated[str, Field(min_length=1, pattern=r"^[a-z_]+(\.[a-z_]+)*$")]


class DateWithinParams(PathParams):
    months: Annotated[int, Field(ge=1, le=600)]


class ValueInParams(PathParams):
    values: Annotated[list[str | int | float | bool], Field(min_length=1)]


class NumberAtLeastParams(PathParams):
    minimum: int | float


class InnerCheck(CheckParams):
    """The check `for_each` applies to each item, with its path relative to the item."""

    kind: Literal["present", "non_empty", "date_within", "value_in", "number_at_least"]
    path: Annotated[str, Field(min_length=1, pattern=r"^[a-z_]+(\.[a-z_]+)*$")]
    months: Annotated[int, Field(ge=1, le=600)] | None = None
    values: list[str | int | float | bool] | None = None
    minimum: int | float | None = None


class WhereClause(CheckParams):
    path: Annotated[str, Field(min_length=1, pattern=r"^[a-z_]+(\.[a-z_]+)*$")]
    values: Annotated[list[str | int | float | bool], Field(min_length=1)]


class ForEachParams(CheckParams):
    over: ForEachOver
    check: InnerCheck
    where: WhereClause | None = None


def _verify_in(scope: str, params: Any, source: SourceMap, at: YamlPath) -> list[Problem]:
    return verify_path(_SCOPES[scope], params.path, source, at)


def _verify_scoped(scope: str) -> Verifier:
    # A partial of a module-level function, not a closure: questionnaires are pickled to
    # batch workers on platforms that spawn rather than fork.
    return functools.partial(_verify_in, scope)


def _judge_value(kind: str, value: Any, path: str, ctx: Context, *, months: int | None = None,
                 values: Sequence[Any] | None = None,
                 minimum: float | None = None) -> tuple[bool, str, bool]:
    """(ok, note, evidenced) for one value under a generic kind."""
    if value is None:
        return False, f"{path} is not given", False
    if kind == "present":
        return True, f"{path} is given", True
    if kind == "non_empty":
        if isinstance(value, list | str) and len(value) == 0:
            return False, f"{path} is empty", False
        return True, f"{path} is given", True
    if kind == "date_within":
        assert months is not None
        if not isinstance(value, dt.date):
            return False, f"{path} is not a date", True
        if ctx.older_than(value, months):
            return False, f"{path} is {value.isoformat()}, {ctx.age_words(value, months)}", True
        return True, f"{path} is {value.isoformat()}", True
    if kind == "value_in":
        assert values is not None
        ok = value in values and type(value) in {type(v) for v in values if v == value}
        wanted = ", ".join(_shown(v) for v in values)
        return ok, f"{path} is {_shown(value)}" + ("" if ok else f", expected {wanted}"), True
    if kind == "number_at_least":
        assert minimum is not None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, f"{path} is not a number", True
        ok = value >= minimum
        return ok, f"{path} is {value}" + ("" if ok else f", below {minimum}"), True
    raise AssertionError(f"unknown generic kind {kind}")  # pragma: no cover


def _shown(value: Any) -> str:
    """A value as the user wrote it in YAML (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _run_top_level(kind: str, ctx: Context, params: Any) -> Outcome:
    value = _get(ctx.trust, params.path)
    ok, note, evidenced = _judge_value(
        kind, value, params.path, ctx, months=getattr(params, "months", None),
        values=getattr(params, "values", None), minimum=getattr(params, "minimum", None))
    evidence = [ctx.at(_path_of((), params.path), note)]
    return met(note, evidence) if ok else not_met(note, evidence, evidenced=evidenced)


def _top_level(kind: str) -> CheckFunction:
    return functools.partial(_run_top_level, kind)


for _name, _params, _doc in (
    ("present", PathParams, "Met when the field at `path` is given."),
    ("non_empty", PathParams, "Met when the field at `path` is given and not an empty list."),
    ("date_within", DateWithinParams,
     "Met when the date at `path` is no more than `months` months before the as-of date."),
    ("value_in", ValueInParams, "Met when the value at `path` is one of `values`."),
    ("number_at_least", NumberAtLeastParams,
     "Met when the number at `path` is at least `minimum`."),
):
    REGISTRY[_name] = CheckKind(_name, _params, _top_level(_name), _doc, True, _verify_scoped(""))


def _verify_for_each(params: Any, source: SourceMap, at: YamlPath) -> list[Problem]:
    scope = _SCOPES[params.over]
    problems = verify_path(scope, params.check.path, source, (*at, "check"))
    needs = {"date_within": "months", "value_in": "values", "number_at_least": "minimum"}
    wanted = needs.get(params.check.kind)
    if wanted and getattr(params.check, wanted) is None:
        line, column = source.locate((*at, "check"))
        problems.append(Problem(source.file, line, column,
                                f"{format_path((*at, 'check'))}: kind {params.check.kind!r} "
                                f"needs {wanted!r}"))
    if params.where is not None:
        problems += verify_path(scope, params.where.path, source, (*at, "where"))
    return problems


@check_kind("for_each", ForEachParams, generic=True, verify=_verify_for_each)
def for_each(ctx: Context, params: ForEachParams) -> Outcome:
    """Apply a generic check to every collaborative or every BAF risk (optionally filtered by
    `where`): all pass is met, some is partly met, none is not met, no items is not applicable."""
    items: list[Any] = (list(ctx.trust.collaboratives) if params.over == "collaboratives"
                        else list(ctx.trust.board_assurance_framework.risks
                                  if ctx.trust.board_assurance_framework else []))
    base: YamlPath = (("collaboratives",) if params.over == "collaboratives"
                      else ("board_assurance_framework", "risks"))
    noun = "arrangements" if params.over == "collaboratives" else "BAF risks"
    inner = params.check
    findings = []
    for i, item in enumerate(items):
        path = (*base, i)
        if params.where is not None and _get(item, params.where.path) not in params.where.values:
            continue
        ok, note, evidenced = _judge_value(
            inner.kind, _get(item, inner.path), inner.path, ctx, months=inner.months,
            values=inner.values, minimum=inner.minimum)
        findings.append(ItemFinding(ok, f"{item.id}: {note}",
                                    ctx.at(_path_of(path, inner.path), note), evidenced))
    reason = f"no {noun} listed" + (" that this criterion applies to" if params.where else "")
    return aggregate(findings, noun, none_reason=reason)
