"""Frozen result types: what an evaluation found, ready for any output format."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import MISSING, dataclass, fields
from typing import Any, Literal, TypeVar

# 2: silence became its own status (not_evidenced) where version 1 wrote not_met with
# evidenced false; version 1 results are still read (diff, --baseline).
# 3: a batch summary names the group of files recording nothing (no sector, region, ICB...)
# null in every section, where version 2 wrote "unknown", "none" or "... not recorded"; a
# single trust's result is as in version 2, and is read as one.
RESULT_SCHEMA_VERSION = 3
READABLE_RESULT_VERSIONS = (1, 2, 3)

Status = Literal["met", "partly_met", "not_met", "not_evidenced", "not_applicable", "waived"]
# "insufficient_evidence": the file evidences too little of the question (or the whole) to
# rate it; "inconclusive": nothing in the questionnaire applies to it at all.
Rating = Literal["green", "amber", "red", "insufficient_evidence", "inconclusive"]
Severity = Literal["critical", "major", "minor"]
# How a criterion's gap stands, as the engine's caps read it: "failing" (the file states a
# failing value, for some arrangement or for the trust), "partial" (judged once for the trust,
# partly met), "silent" (not evidenced, or partly met only for want of information: no
# arrangement stated failing), "remit_unknown" (silent only on whether an arrangement does
# what the criterion guards: the exposure itself is unknown).
GapState = Literal["failing", "partial", "silent", "remit_unknown"]

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """Give a frozen slots dataclass an `__init__` that sets each slot through its member
    descriptor, with the same signature and the same instance as the generated one.

    Why: evaluation builds a few hundred evidence items, outcomes and criterion results per
    trust, and the generated `__init__` of a frozen class calls `object.__setattr__` once per
    field, which made building them a fifth of evaluation; the descriptors are about twice as
    fast. The class stays frozen: assigning a field afterwards still raises. Generated as
    `dataclasses` generates its own, from the fields, so a new field cannot be missed."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, object] = {}
    params = []
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        # Only plain defaults: a default factory would need calling, and none is used here.
        assert f.default_factory is MISSING and f.init, f"{cls.__name__}.{f.name}"
        namespace[f"_set{i}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
    body = "".join(f"    _set{i}(self, {name})\n" for i, name in enumerate(names))
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", namespace)
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010  (mypy refuses assigning to a method)
    return cls


def quick_new(cls: type[_T]) -> type[_T]:
    """A stand-in for the frozen slots dataclass `cls`, called as `cls` is, that returns
    instances of `cls` itself: a plain class with the same slots sets each field by plain
    assignment, then makes the instance a `cls` (Python allows this between two classes of
    the same layout). Used where evaluation builds objects by the hundred per trust.

    Why: even through the member descriptors (`quick_init`), building the evidence items and
    criterion results of one trust was a fifth of its evaluation: each descriptor call costs
    several times a plain slot assignment. The instance is the one `cls(...)` would build:
    the same type, fields, equality, hash and pickling, and frozen from the moment it is
    returned. Generated from the fields, so a new field cannot be missed."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    namespace: dict[str, object] = {"_cls": cls, "_unset": object()}
    params = []
    body = ""
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        assert f.init, f"{cls.__name__}.{f.name}"
        value = f.name
        if f.default_factory is not MISSING:
            namespace[f"_factory{i}"] = f.default_factory
            params.append(f"{f.name}=_unset")
            value = f"_factory{i}() if {f.name} is _unset else {f.name}"
        elif f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        body += f"        self.{f.name} = {value}\n"
    exec(f"class {cls.__name__}:\n"
         f"    __slots__ = {names!r}\n"
         f"    def __init__(self, {', '.join(params)}):\n{body}"
         "        self.__class__ = _cls\n", namespace)
    stand_in: Any = namespace[cls.__name__]
    stand_in.__qualname__ = f"quick_new({cls.__qualname__})"
    return stand_in  # type: ignore[no-any-return]


def quick_state(cls: type[_T]) -> type[_T]:
    """Pickle a frozen slots dataclass as the plain tuple of its fields, read back through
    the slots' member descriptors.

    Why: a batch's compact rows, and the outliers and collaborative views made from them,
    cross from the workers and go to and from the spill file tens of thousands of times; the
    dataclass default looks the fields up on every call and sets each with
    `object.__setattr__`, which made unpickling most of the end of a batch. Generated from the
    fields, so a new field cannot be missed; only this run's own processes and spill read
    these pickles, never a saved file."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert len(names) > 1, cls.__name__  # attrgetter of one name returns no tuple
    namespace: dict[str, object] = {"_get": operator.attrgetter(*names)}
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = cls.__dict__[name].__set__
    body = "".join(f"    _set{i}(self, state[{i}])\n" for i in range(len(names)))
    exec("def __getstate__(self):\n    return _get(self)\n"
         f"def __setstate__(self, state):\n{body}", namespace)
    for method in ("__getstate__", "__setstate__"):
        function: Any = namespace[method]
        function.__qualname__ = f"{cls.__qualname__}.{method}"
        setattr(cls, method, function)
    return cls


STATUS_LABELS: dict[Status, str] = {
    "met": "met",
    "partly_met": "partly met",
    "not_met": "not met",
    "not_evidenced": "not evidenced",
    "not_applicable": "not applicable",
    "waived": "waived",
}

RATING_LABELS: dict[Rating, str] = {
    "green": "green",
    "amber": "amber",
    "red": "red",
    "insufficient_evidence": "insufficient evidence",
    "inconclusive": "inconclusive",
}


@quick_init
@dataclass(frozen=True, slots=True)
class Evidence:
    """A place in the trust file that a finding rests on."""

    path: str
    line: int
    column: int
    note: str
    # True where this place shows the gap itself (not somewhere found in order).
    gap: bool = False
    # True: `path` is a value the file states. False: `path` is a field the file leaves out,
    # and `line`/`column` are those of its nearest ancestor that is present.
    recorded: bool = True
    # True where this place is an arrangement's remit (whether it holds delegated functions,
    # say) rather than the safeguard a criterion looks for: silence here leaves the exposure
    # itself unknown, which the questionnaire may cap more lightly
    # (`critical_remit_unknown_caps_category_at`). Set by the check kind that knows it; not
    # in any output.
    on_remit: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found: the status, a sentence saying why, and where it looked."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    # False when the gap is missing information rather than information showing a gap:
    # boards treat "not evidenced" differently from "evidenced and not met".
    evidenced: bool = True
    # Share (0-1) of the items judged that the file evidences either way: stated and met or
    # stated and failing. 1 for a criterion judged once from a stated value, 0 for silence.
    evidenced_share: float = 1.0


@quick_init
@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a criterion was not applied to one arrangement (or to the whole trust)."""

    arrangement: str | None  # the arrangement's name; None: the whole trust
    reason: str
    # True: the trust file declares it not applicable; False: a questionnaire rule excludes it.
    declared: bool
    line: int


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A template example value left in the file: not evidence of anything."""

    path: str
    line: int
    column: int
    value: str


@dataclass(frozen=True, slots=True)
class AppliedWaiver:
    """A waiver from the trust file, and whether it still applies at the as-of date."""

    criterion: str
    reason: str
    owner: str
    approved_by: str
    review_by: dt.date
    expired: bool
    line: int


@quick_init
@dataclass(frozen=True, slots=True)
class PartOwner:
    """Who answers for one part of a gap: an arrangement, a BAF risk, or the trust as a whole.

    `owner` is that arrangement's executive lead (or that risk's owner) where the file names
    one, else the board's NED lead for collaboration; None where the file names neither."""

    # The arrangement's name, "BAF risk <id>", or "" for the trust as a whole.
    part: str
    owner: str | None
    # The arrangement's index in `Result.arrangements`; None for a BAF risk or the trust.
    arrangement: int | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's outcome, with the questionnaire text a reader needs beside it."""

    id: str
    category: str
    title: str
    status: Status
    weight: float
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...]
    evidenced: bool
    challenge: str
    remediation: str
    # Overall points (0-100 scale) the trust would gain if this criterion were met.
    points_available: float
    waiver: AppliedWaiver | None = None
    # Who the file names as answerable for the gap (executive leads, BAF risk owners).
    owners: tuple[str, ...] = ()
    # Arrangements (or the trust) the criterion was not applied to, and why.
    exclusions: tuple[Exclusion, ...] = ()
    # A declaration of "not applicable" that the file's own facts contradict.
    challenged: str | None = None
    evidenced_share: float = 1.0
    # The governance action in the board's words (the questionnaire's `action`); "" where the
    # questionnaire gives none, and formats fall back to `remediation`.
    action: str = ""
    # Each part of the gap with its own owner, in evidence order: never one arrangement's lead
    # for another's part. Not in JSON (`owners` is).
    part_owners: tuple[PartOwner, ...] = ()
    # How the gap stands (None: met, not applicable or waived), worked out once by the engine
    # for its caps, so a batch's counts of critical gaps and silences read the same verdict.
    # Not in JSON.
    gap_state: GapState | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class CategoryResult:
    """One board question: its score, rating and criteria."""

    id: str
    title: str
    board_question: str
    weight: float
    score: float | None
    rating: Rating
    capped_by: str | None
    criteria: tuple[CriterionResult, ...]
    # 0-100: the share of the applicable weight the file evidences (None when inconclusive).
    evidence_coverage: float | None = None
    # The rating in words, with why it was capped or not rated ("red: capped by PI12, ...").
    explanation: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Overall:
    score: float | None
    rating: Rating
    capped_by: str | None
    evidence_coverage: float | None = None
    explanation: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class OrganisationSummary:
    name: str
    ods_code: str | None
    legal_form: str | None
    sectors: tuple[str, ...]
    region: str | None
    icbs: tuple[str, ...] = ()


@quick_init
@dataclass(frozen=True, slots=True)
class ArrangementSummary:
    id: str
    name: str
    type: str
    governance_model: str | None
    trust_role: str | None
    line: int
    status: str = "formal"


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The questionnaire's scoring settings, so reports can state the method they used."""

    partly_met_credit: float
    category_green: float
    category_amber: float
    overall_green: float
    overall_amber: float
    critical_not_met_cap: Rating
    critical_partly_met_cap: Rating
    red_category_cap: Rating
    critical_not_evidenced_cap: Rating | None = None
    red_categories_for_red_overall: int | None = None
    critical_categories_for_red_overall: int | None = None
    category_coverage_minimum: float = 0.0
    overall_coverage_minimum: float = 0.0
    critical_remit_unknown_cap: Rating | None = None


@dataclass(frozen=True, slots=True)
class QuestionnaireSummary:
    id: str
    version: str
    title: str
    digest: str
    scoring: ScoringRules | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Result:
    """Everything an evaluation of one trust description produced."""

    file: str
    organisation: OrganisationSummary
    questionnaire: QuestionnaireSummary
    as_of: dt.date
    overall: Overall
    categories: tuple[CategoryResult, ...]
    arrangements: tuple[ArrangementSummary, ...]
    waivers: tuple[AppliedWaiver, ...]
    placeholders: tuple[Placeholder, ...] = ()

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return tuple(c for cat in self.categories for c in cat.criteria)

    def gaps_by_points(self) -> tuple[CriterionResult, ...]:
        """Criteria not fully met, those whose fixing adds most to the score first."""
        open_ = [c for c in self.criteria if c.points_available > 0]
        return tuple(sorted(open_, key=lambda c: (-c.points_available, c.id)))
