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
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from boardcheck.errors import Problem
from boardcheck.loading import SourceMap, YamlPath, format_path, holds_a_list, model_at
from boardcheck.model import (
    BafRisk,
    Collaborative,
    Partner,
    TrustDescription,
)
from boardcheck.result import Evidence, Outcome, Status, quick_new

# --- context and helpers ---------------------------------------------------------------

# `Evidence(...)` and `Outcome(...)` as the checks build them, a few hundred per trust: the
# same objects, built at a third of the cost (see `quick_new`).
new_evidence = quick_new(Evidence)
new_outcome = quick_new(Outcome)


# The same paths recur in every criterion and every file of a batch; formatting them was a
# tenth of evaluation. A plain dict, read inline by the `Context` methods below: an
# `lru_cache` hit costs three times a dict read (its recency bookkeeping), and these run a
# few hundred times per file.
PATH_TEXTS: dict[YamlPath, str] = {}


def path_text(path: YamlPath) -> str:
    """`format_path(path)`, kept for the next file; the cache starts over past a bound, so
    a batch of hostile files with huge lists cannot grow it without end."""
    if len(PATH_TEXTS) >= 16_384:
        PATH_TEXTS.clear()
    text = PATH_TEXTS[path] = format_path(path)
    return text


def nearest_place(values: Mapping[YamlPath, tuple[int, int]], path: YamlPath) -> tuple[int, int]:
    """`SourceMap.locate(path)` for a value the caller has found absent: where its nearest
    ancestor present in the file is. Written out for the values alone: a check asks after a
    few dozen absent fields per file, and `locate` looks each ancestor up twice."""
    for end in range(len(path) - 1, -1, -1):
        found = values.get(path[:end])
        if found is not None:
            return found
    return (1, 1)


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may look at: the description, where its values are, and the as-of date."""

    trust: TrustDescription
    source: SourceMap
    as_of: dt.date
    # Indices of the arrangements the criterion being run applies to (None: all of them).
    # The engine sets this from the questionnaire's `applies_to` rules and the trust's own
    # declarations, so no check kind decides proportionality for itself.
    included: frozenset[int] | None = None
    # What each arrangement does, worked out once per file (by id of the arrangement, which
    # the description keeps alive): a dozen kinds ask, and the engine asks first.
    known: dict[int, dict[str, bool | None]] = field(default_factory=dict, compare=False,
                                                     repr=False)

    def activities(self, collab: Collaborative) -> dict[str, bool | None]:
        """`activities(collab)`, computed once per file."""
        does = self.known.get(id(collab))
        if does is None:
            does = self.known[id(collab)] = activities(collab)
        return does

    def at(self, path: YamlPath, note: str) -> Evidence:
        # Most paths asked for are in the file: look them up without a call.
        values = self.source.values
        place = values.get(path) or nearest_place(values, path)
        text = PATH_TEXTS.get(path) or path_text(path)
        return new_evidence(text, place[0], place[1], note)

    def missing(self, path: YamlPath, note: str) -> Evidence:
        """Evidence that the file is silent at `path`: the absent field, located at its
        nearest ancestor that is present."""
        values = self.source.values
        place = values.get(path) or nearest_place(values, path)
        text = PATH_TEXTS.get(path) or path_text(path)
        return new_evidence(text, place[0], place[1], note, False, False)

    def finding_at(self, path: YamlPath, note: str, ok: bool | None,
                   evidenced: bool) -> Evidence:
        """The evidence of one item's finding as `aggregate` will report it, built once:
        a failing item's place is marked as the gap, and is recorded only when the file
        states the failing value; otherwise it is where the value was found (met, or the
        item does not apply) or where the file is silent."""
        values = self.source.values
        place = values.get(path) or nearest_place(values, path)
        text = PATH_TEXTS.get(path) or path_text(path)
        if ok is False:
            return new_evidence(text, place[0], place[1], note, True, evidenced)
        return new_evidence(text, place[0], place[1], note, False, ok is True or evidenced)

    def months_ago(self, months: int) -> dt.date:
        return _months_before(self.as_of, months)

    def older_than(self, day: dt.date, months: int) -> bool:
        """True when `day` is more than `months` calendar months before the as-of date."""
        return day < _months_before(self.as_of, months)  # `months_ago`, without its call

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


@functools.lru_cache(maxsize=1024)
def _months_before(day: dt.date, months: int) -> dt.date:
    """`add_months(day, -months)`: a batch asks the same few of every file and item."""
    return add_months(day, -months)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (negative if `later` comes first)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


class CheckParams(BaseModel):
    """Base for check parameters: frozen, strict, unknown keys refused."""

    # defer_build: a questionnaire served from the cache (questionnaire.py) validates no
    # parameters, so building every kind's validator at import would be wasted start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class NoParams(CheckParams):
    pass


P = TypeVar("P", bound=CheckParams)
CheckFunction = Callable[[Context, Any], Outcome]
Scope = Literal["arrangement", "trust"]
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
    # "arrangement": judged once per arrangement, so `applies_to` rules and per-arrangement
    # declarations of "not applicable" can exclude arrangements from it.
    scope: Scope = "trust"


REGISTRY: dict[str, CheckKind] = {}


def check_kind(name: str, params: type[P] = NoParams,  # type: ignore[assignment]
               *, generic: bool = False, verify: Verifier = _no_verify, scope: Scope = "trust",
               ) -> Callable[[Callable[[Context, P], Outcome]], Callable[[Context, P], Outcome]]:
    """Register a check function under `name`."""

    def register(fn: Callable[[Context, P], Outcome]) -> Callable[[Context, P], Outcome]:
        REGISTRY[name] = CheckKind(name, params, fn, (fn.__doc__ or "").strip(), generic, verify,
                                   scope)
        return fn

    return register


def met(message: str, evidence: Iterable[Evidence] = ()) -> Outcome:
    return new_outcome("met", message, tuple(evidence))


def not_met(message: str, evidence: Iterable[Evidence] = (), *, evidenced: bool = True) -> Outcome:
    """A failing value the file states; with `evidenced=False`, the file's silence instead."""
    if not evidenced:
        return not_evidenced(message, evidence)
    return new_outcome("not_met", message, tuple(evidence), True)


def not_evidenced(message: str, evidence: Iterable[Evidence] = ()) -> Outcome:
    """The file is silent where the criterion looks: no value, so no verdict either way."""
    # Evidence already marked as unrecorded gap is kept (dataclasses.replace is slow).
    return new_outcome("not_evidenced", message,
                   tuple(e if e.gap and not e.recorded
                         else new_evidence(e.path, e.line, e.column, e.note, True, False,
                                           e.on_remit)
                         for e in evidence), False, 0.0)


def not_applicable(reason: str, evidence: Iterable[Evidence] = ()) -> Outcome:
    return new_outcome("not_applicable", reason, tuple(evidence))


class ItemFinding(NamedTuple):
    """One item's verdict inside a per-item check (None = not applicable to this item).

    A named tuple, not a dataclass: hundreds are made for every file, and a frozen
    dataclass takes several times as long to build."""

    ok: bool | None
    note: str
    evidence: Evidence
    evidenced: bool = True


def aggregate(findings: Sequence[ItemFinding], noun: str, *, none_reason: str) -> Outcome:
    """Every item's verdict kept apart: all met is met; some met is partly met; none met is
    not met when the file states a failing value for some item, and not evidenced when it is
    silent on every failing item; no items that apply is not applicable."""
    # One loop, no comprehensions: this runs for every criterion of every file, mostly over
    # a handful of items, where each comprehension's own call would cost more than its work.
    met_notes: list[str] = []
    failing: list[ItemFinding] = []
    kept: list[Evidence] = []  # the evidence of items met or not applicable, in order
    for f in findings:
        ok = f[0]  # by index: a named tuple's attribute is a descriptor call
        if ok is None:
            kept.append(f[2])
        elif ok:
            met_notes.append(f[1])
            kept.append(f[2])
        else:
            failing.append(f)
    applicable = len(met_notes) + len(failing)
    if not failing:
        if not applicable:
            return new_outcome("not_applicable", none_reason, tuple(kept))
        if applicable == 1:
            return new_outcome("met", met_notes[0], tuple(kept))
        return new_outcome("met", f"all {applicable} {noun}: " + "; ".join(met_notes), tuple(kept))
    # Where the gap is comes first, marked: formats that show one location show the first.
    # Evidence made by `Context.finding_at` is marked already and is kept as it is.
    evidence = []
    notes = []
    stated = 0
    for _, note, e, item_evidenced in failing:
        recorded = e.recorded and item_evidenced
        evidence.append(e if e.gap and e.recorded == recorded
                        else new_evidence(e.path, e.line, e.column, e.note, True, recorded,
                                          e.on_remit))
        notes.append(note)
        stated += item_evidenced
    detail = "; ".join(notes)
    share = (applicable - len(failing) + stated) / applicable
    if len(failing) == applicable:
        lead = "" if applicable == 1 else f"none of {applicable} {noun}: "
        status: Status = "not_met" if stated else "not_evidenced"
        return new_outcome(status, lead + detail, (*evidence, *kept), bool(stated), share)
    return new_outcome("partly_met", f"{len(failing)} of {applicable} {noun}: {detail}",
                   (*evidence, *kept), bool(stated), share)


NO_ARRANGEMENTS = "no collaborative arrangements are recorded"


def each_collaborative(ctx: Context) -> Iterator[tuple[YamlPath, Collaborative]]:
    """The arrangements the criterion being run applies to, with their paths."""
    for i, collab in enumerate(ctx.trust.collaboratives):
        if ctx.included is None or i in ctx.included:
            yield ("collaboratives", i), collab


def silent_on_arrangements(ctx: Context) -> Outcome | None:
    """A per-arrangement criterion on a file listing no arrangements is not evidenced: the
    file's silence is not a finding that nothing applies."""
    if ctx.trust.collaboratives:
        return None
    return not_evidenced(NO_ARRANGEMENTS, [ctx.missing(("collaboratives",), NO_ARRANGEMENTS)])


def per_collaborative(ctx: Context, judge: Callable[[YamlPath, Collaborative], ItemFinding],
                      *, none_reason: str = "no arrangement this criterion applies to",
                      ) -> Outcome:
    collaboratives = ctx.trust.collaboratives
    if not collaboratives:
        return not_evidenced(NO_ARRANGEMENTS,
                             [ctx.missing(("collaboratives",), NO_ARRANGEMENTS)])
    # `each_collaborative` written out: a generator costs more than this loop.
    included = ctx.included
    findings = [judge(("collaboratives", i), c) for i, c in enumerate(collaboratives)
                if included is None or i in included]
    return aggregate(findings, "arrangements", none_reason=none_reason)


ACTIVITIES = ("binding_decisions", "delegated_functions", "holds_budget", "delivers_services",
              "employs_or_hosts_staff")
_SERVICE_TYPES = ("lead_provider_contract", "specialised_mhlda_collaborative")


def recorded_activities(collab: Collaborative) -> dict[str, bool | None]:
    """What the file's own facts show the arrangement does (True), or nothing (None).

    Facts beat the declared `remit`: an arrangement recording a budget holds one, whatever
    its remit says, so a declaration can be challenged against them."""
    dm = collab.decision_making
    r = collab.resourcing
    budget = r.budget if r else None
    fns = collab.delegated_functions
    facts: dict[str, bool | None] = dict.fromkeys(ACTIVITIES)
    if (dm is not None and dm.takes_binding_decisions) or fns:
        facts["binding_decisions"] = True
    if fns or collab.type == "delegated_icb_function":
        facts["delegated_functions"] = True
    money = ((budget.amount_gbp or 0) + (budget.commissioning_gbp or 0)) if budget else 0
    if money > 0 or any((f.budget_transferred_gbp or 0) > 0 for f in fns):
        facts["holds_budget"] = True
    if collab.type in _SERVICE_TYPES or (collab.performance is not None
                                          and collab.performance.sub_contracts):
        facts["delivers_services"] = True
    if (r is not None and (r.pmo_wte or 0) > 0) or any((f.staff_transferred_wte or 0) > 0
                                                        for f in fns):
        facts["employs_or_hosts_staff"] = True
    return facts


def activities(collab: Collaborative) -> dict[str, bool | None]:
    """What the arrangement does: True, False, or None where the file does not say.

    Recorded facts first, then the declared `remit`, then `decision_making`'s own answer on
    binding decisions; an advisory-only arrangement does nothing it does not say it does."""
    return activities_given(collab, recorded_activities(collab))


def activities_given(collab: Collaborative, known: dict[str, bool | None],
                     ) -> dict[str, bool | None]:
    """`activities(collab)` where `known` is `recorded_activities(collab)`, already at hand."""
    remit = collab.remit
    advisory = (remit.advisory_only if remit is not None and remit.advisory_only is not None
                else (True if collab.governance_model == "advisory_forum" else None))
    dm = collab.decision_making
    out: dict[str, bool | None] = {}
    for name in ACTIVITIES:
        value = known[name]
        if value is None and remit is not None:
            value = getattr(remit, name)
        if value is None and name == "binding_decisions" and dm is not None:
            value = dm.takes_binding_decisions
        if value is None and advisory:
            value = False
        out[name] = value
    return out


def effective_status(collab: Collaborative, as_of: dt.date) -> str:
    """shadow, transitional or formal; absent is formal, and a shadow arrangement whose formal
    authority has started is formal."""
    status = collab.status or "formal"
    if status != "formal" and collab.formal_authority_from is not None \
            and collab.formal_authority_from <= as_of:
        return "formal"
    return status


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


@functools.lru_cache(maxsize=1024)
def _names(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def _get_names(obj: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _get(obj: Any, dotted: str) -> Any:
    return _get_names(obj, _names(dotted))


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


# (ok, note, evidenced) for one value the file records, given the context and its path.
Verdict = tuple[bool, str, bool]
ValueJudge = Callable[[Any, Context, YamlPath], Verdict]


def unrecorded(value: Any, ctx: Context, at: YamlPath) -> bool:
    """The file records no value at `at`: an absent list reads as its default [], and that
    is silence, not "none"."""
    return value is None or (isinstance(value, list) and not value and not ctx.source.has(at))


def value_judge(kind: str, path: str, *, months: int | None = None,
                values: Sequence[Any] | None = None,
                minimum: float | None = None) -> tuple[Verdict, ValueJudge]:
    """How a generic kind judges one value: its verdict on silence, and its judge of a value
    the file records, with what stays the same from value to value (the notes, the wanted
    values) worked out once."""
    not_recorded = (False, f"{path} is not recorded", False)
    given = (True, f"{path} is given", True)

    if kind == "present":
        def present(value: Any, ctx: Context, at: YamlPath) -> Verdict:
            return given
        return not_recorded, present
    if kind == "non_empty":
        empty = (False, f"{path} is empty", True)

        def non_empty(value: Any, ctx: Context, at: YamlPath) -> Verdict:
            if isinstance(value, list | str) and len(value) == 0:
                # An empty list the file writes out is a stated "none"; an absent one is
                # silence.
                return empty if ctx.source.has(at) else not_recorded
            return given
        return not_recorded, non_empty
    if kind == "date_within":
        assert months is not None
        not_a_date = (False, f"{path} is not a date", True)

        def date_within(value: Any, ctx: Context, at: YamlPath) -> Verdict:
            if not isinstance(value, dt.date):
                return not_a_date
            if value < _months_before(ctx.as_of, months):  # `ctx.older_than`, written out
                return (False, f"{path} is {value.isoformat()}, {ctx.age_words(value, months)}",
                        True)
            return True, f"{path} is {value.isoformat()}", True
        return not_recorded, date_within
    if kind == "value_in":
        assert values is not None
        wanted = ", ".join(_shown(v) for v in values)

        def value_in(value: Any, ctx: Context, at: YamlPath) -> Verdict:
            ok = value in values and type(value) in {type(v) for v in values if v == value}
            return ok, f"{path} is {_shown(value)}" + ("" if ok else f", expected {wanted}"), True
        return not_recorded, value_in
    if kind == "number_at_least":
        assert minimum is not None
        bound = minimum
        not_a_number = (False, f"{path} is not a number", True)

        def number_at_least(value: Any, ctx: Context, at: YamlPath) -> Verdict:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return not_a_number
            ok = value >= bound
            return ok, f"{path} is {value}" + ("" if ok else f", below {bound}"), True
        return not_recorded, number_at_least
    raise AssertionError(f"unknown generic kind {kind}")  # pragma: no cover


def _shown(value: Any) -> str:
    """A value as the user wrote it in YAML (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


# What is worked out from a questionnaire or a check's parameters alone, kept per object:
# they live as long as the questionnaire does, for every file of a batch. Keyed by identity
# (parameters holding lists cannot be hashed, and 1 == True would confuse a key by value);
# each entry holds its object, so an id cannot be reused while the entry lives.
_COMPILED: dict[tuple[int, Callable[[Any], Any]], tuple[object, Any]] = {}
K = TypeVar("K")
T = TypeVar("T")


def compiled(source: K, build: Callable[[K], T]) -> T:
    """`build(source)`, worked out once per `source` object (parameters, a questionnaire)."""
    key = (id(source), build)
    entry = _COMPILED.get(key)
    if entry is not None and entry[0] is source:
        found: T = entry[1]
        return found
    if len(_COMPILED) >= 4096:  # questionnaires built again and again (tests): start over
        _COMPILED.clear()
    result = build(source)
    _COMPILED[key] = (source, result)
    return result


def _top_level_plan(kind: str, params: Any) -> tuple[tuple[str, ...], Verdict, ValueJudge]:
    """A top-level generic kind's value path, verdict on silence, and judge."""
    return (_names(params.path), *value_judge(
        kind, params.path, months=getattr(params, "months", None),
        values=getattr(params, "values", None), minimum=getattr(params, "minimum", None)))


def _run_top_level(kind: str, ctx: Context, params: Any) -> Outcome:
    at, not_recorded, judge = compiled(params, _TOP_LEVEL_PLANS[kind])
    value = _get_names(ctx.trust, at)
    ok, note, evidenced = (not_recorded if unrecorded(value, ctx, at)
                           else judge(value, ctx, at))
    evidence = [ctx.at(at, note)]
    return met(note, evidence) if ok else not_met(note, evidence, evidenced=evidenced)


def _top_level(kind: str) -> CheckFunction:
    return functools.partial(_run_top_level, kind)


_TOP_LEVEL_PLANS: dict[str, Callable[[Any], tuple[tuple[str, ...], Verdict, ValueJudge]]] = {}
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
    _TOP_LEVEL_PLANS[_name] = functools.partial(_top_level_plan, _name)


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


@dataclass(frozen=True, slots=True)
class _EachPlan:
    """`for_each`'s parameters worked out once per questionnaire."""

    names: tuple[str, ...]  # the judged value's path below an item
    not_recorded: Verdict
    judge: ValueJudge
    where: tuple[tuple[str, ...], list[str | int | float | bool]] | None
    # The judged value of an item: `_get_names(item, names)`, as one C call where the path is
    # one field long (most are); it runs for every item of every file.
    value: Callable[[Any], Any]
    # The judged value is an arrangement's remit (`remit.…`): silence on it is silence on what
    # the arrangement does, not on a safeguard (`Evidence.on_remit`).
    on_remit: bool
    # Item index -> the judged value's path: the same in every file of a batch.
    paths: dict[int, YamlPath] = field(default_factory=dict)


def _each_plan(params: ForEachParams) -> _EachPlan:
    inner = params.check
    where = params.where
    names = _names(inner.path)
    value: Callable[[Any], Any] = (operator.attrgetter(names[0]) if len(names) == 1
                                   else functools.partial(_value_at, names))
    return _EachPlan(names,
                     *value_judge(inner.kind, inner.path, months=inner.months,
                                  values=inner.values, minimum=inner.minimum),
                     None if where is None else (_names(where.path), where.values), value,
                     params.over == "collaboratives" and len(names) > 1 and names[0] == "remit")


def _value_at(names: tuple[str, ...], obj: Any) -> Any:
    return _get_names(obj, names)


@check_kind("for_each", ForEachParams, generic=True, verify=_verify_for_each)
def for_each(ctx: Context, params: ForEachParams) -> Outcome:
    """Apply a generic check to every collaborative or every BAF risk (optionally filtered by
    `where`): all pass is met, some is partly met, none is not met, no items is not applicable."""
    plan = compiled(params, _each_plan)
    base: YamlPath
    if params.over == "collaboratives":
        silent = silent_on_arrangements(ctx)
        if silent is not None:
            return silent
        items: Sequence[Any] = ctx.trust.collaboratives  # or BAF risks: each has an id
        base, included = ("collaboratives",), ctx.included
        noun = "arrangements"
    else:
        baf = ctx.trust.board_assurance_framework
        if baf is None or not baf.risks:
            return not_evidenced("no BAF risks are recorded",
                                 [ctx.missing(("board_assurance_framework", "risks"),
                                              "no BAF risks")])
        items, base, included = baf.risks, ("board_assurance_framework", "risks"), None
        noun = "BAF risks"
    names, judge, where, paths = plan.names, plan.judge, plan.where, plan.paths
    not_recorded, value_of, on_remit = plan.not_recorded, plan.value, plan.on_remit
    stated = ctx.source.values
    findings = []
    for i, item in enumerate(items):
        if included is not None and i not in included:
            continue
        if where is not None and _get_names(item, where[0]) not in where[1]:
            continue
        at = paths.get(i)
        if at is None:
            at = paths[i] = (*base, i, *names)
        value = value_of(item)
        # `unrecorded(value, ctx, at)` written out: it runs for every item of every file.
        if value is None or (isinstance(value, list) and not value and at not in stated):
            ok, note, evidenced = not_recorded
        else:
            ok, note, evidenced = judge(value, ctx, at)
        # `ctx.finding_at` written out, and without the named tuple's constructor (a Python
        # function): one per item and file.
        place = stated.get(at) or nearest_place(stated, at)
        text = PATH_TEXTS.get(at) or path_text(at)
        evidence = (new_evidence(text, place[0], place[1], note, True, evidenced, on_remit)
                    if ok is False
                    else new_evidence(text, place[0], place[1], note, False,
                                      ok is True or evidenced, on_remit))
        findings.append(tuple.__new__(ItemFinding, (ok, f"{item.id}: {note}", evidence,
                                                    evidenced)))
    reason = f"no {noun} listed" + (" that this criterion applies to" if params.where else "")
    return aggregate(findings, noun, none_reason=reason)
