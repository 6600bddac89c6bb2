"""The questionnaire schema, and loading a built-in questionnaire by name or a file by path.

A questionnaire is data: categories (the five board questions), criteria with their text,
weights and severities, the check kind each uses with its parameters, and the scoring
thresholds. Check parameters are validated here, when the questionnaire loads, so a typo
in a user's questionnaire is reported with its line and column before anything runs.
"""

# No `from __future__ import annotations`: pydantic would compile each field's annotation
# from its text when the module loads, on every run (start-up).
import difflib
import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# domain_checks registers the built-in kinds.
from boardcheck import build_cache, domain_checks  # noqa: F401
from boardcheck.checks import REGISTRY, CheckKind, CheckParams
from boardcheck.errors import Problem, QuestionnaireError, shown
from boardcheck.loading import (
    Document,
    format_path,
    parse_yaml,
    problems_from,
    read_bytes,
    validate,
)
from boardcheck.result import Severity

CATEGORY_IDS = (
    "strategy_alignment",
    "proportionate_infrastructure",
    "resourcing",
    "risk_management",
    "performance_fallback",
)
CategoryId = Literal[
    "strategy_alignment", "proportionate_infrastructure", "resourcing", "risk_management",
    "performance_fallback",
]
BUILT_IN = "nhs-providers-collaboration"
CapRating = Literal["green", "amber", "red"]


class _Record(BaseModel):
    # defer_build: a questionnaire served from the cache (`load_questionnaire`) is never
    # validated, so building these models' validators at import would be start-up wasted.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Thresholds(_Record):
    """A score at or above `green` rates green; at or above `amber`, amber; else red."""

    green: Annotated[float, Field(gt=0, le=100)]
    amber: Annotated[float, Field(ge=0, le=100)]


class CoverageMinimum(_Record):
    """Below these shares (0-100) of applicable weight evidenced, a question (or the whole) is
    rated insufficient evidence rather than red, amber or green."""

    category: Annotated[float, Field(ge=0, le=100)] = 0
    overall: Annotated[float, Field(ge=0, le=100)] = 0


class Scoring(_Record):
    partly_met_credit: Annotated[float, Field(ge=0, le=1)] = Field(
        description="Share of a criterion's weight a partly met criterion earns."
    )
    category_thresholds: Thresholds
    overall_thresholds: Thresholds
    critical_not_met_caps_category_at: CapRating
    critical_partly_met_caps_category_at: CapRating
    red_category_caps_overall_at: CapRating
    # Optional rules added with schema-1 questionnaires still loading as they did.
    critical_not_evidenced_caps_category_at: CapRating | None = None
    # Silence on whether an arrangement does what a critical criterion guards (its `remit`:
    # are functions delegated to it?) is not silence on the safeguard of a stated exposure;
    # absent, it caps as any other silence.
    critical_remit_unknown_caps_category_at: CapRating | None = None
    major_not_met_caps_category_at: CapRating | None = None
    red_categories_make_overall_red: Annotated[int, Field(ge=1)] | None = None
    amber_categories_make_overall_amber: Annotated[int, Field(ge=1)] | None = None
    critical_failure_categories_make_overall_red: Annotated[int, Field(ge=1)] | None = None
    evidence_coverage_minimum: CoverageMinimum = Field(default_factory=CoverageMinimum)
    insufficient_category_caps_overall_at: CapRating | None = None
    placeholders_cap_overall_at: CapRating | None = None


Activity = Literal["binding_decisions", "delegated_functions", "holds_budget",
                   "delivers_services", "employs_or_hosts_staff"]
ArrangementStatus = Literal["shadow", "transitional", "formal"]
STATUSES: tuple[ArrangementStatus, ...] = ("shadow", "transitional", "formal")


class AppliesTo(_Record):
    """Which arrangements a criterion applies to, by what they do and their status. A
    criterion judged per arrangement is applied to the matching ones; one judged for the
    whole trust applies when at least one arrangement matches (or none is recorded). An
    arrangement whose activities are not recorded matches: unknown is never taken as "not
    applicable"."""

    does_any: list[Activity] = Field(
        default_factory=list,
        description="Applies to arrangements doing any of these (all when empty).")
    status: list[ArrangementStatus] = Field(
        default_factory=lambda: list(STATUSES),
        description="Applies to arrangements with one of these statuses.")


class Placeholders(_Record):
    """Template example values that are not evidence wherever they appear (matched without
    regard to case): the whole value, its start, or any part of it."""

    exact: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    starting: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    containing: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)


class CriterionSpec(_Record):
    """One criterion: its check, weight and severity, and the words beside it: the NED's
    `challenge`, the `rationale`, the `remediation` (the data-entry step, naming the trust
    file's fields in `backticks`) and, optionally, the `action` (the same step as the board
    would minute it, with no field names) that board papers show."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9]{2}$")]
    title: Annotated[str, Field(min_length=1)]
    check: dict[str, Any] = Field(description="`kind` and that kind's parameters.")
    weight: Annotated[float, Field(gt=0)]
    severity: Severity
    challenge: Annotated[str, Field(min_length=1)]
    rationale: Annotated[str, Field(min_length=1)]
    remediation: Annotated[str, Field(min_length=1)]
    action: Annotated[str, Field(min_length=1)] | None = Field(
        None,
        description="The governance action that closes the gap, in the board's words, for "
        "board papers: what to agree and with whom, never which field to fill in (that is "
        "`remediation`). Optional: a paper without it shows the remediation, less its "
        "`backticked` field names.")
    applies_to: AppliesTo | None = None
    # False: a trust may not declare this criterion not applicable (a declaration is shown,
    # challenged, and the criterion judged all the same).
    declarable: bool = True


class CategorySpec(_Record):
    id: CategoryId
    title: Annotated[str, Field(min_length=1)]
    board_question: Annotated[str, Field(min_length=1)]
    question_source: Annotated[str, Field(min_length=1)]
    weight: Annotated[float, Field(gt=0)] = 1.0
    criteria: list[CriterionSpec]


class QuestionnaireFile(_Record):
    id: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    description: str = ""
    scoring: Scoring
    placeholders: Placeholders = Field(default_factory=Placeholders)
    categories: list[CategorySpec]


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion ready to run: its text, weight and the validated check."""

    spec: CriterionSpec
    category: str
    kind: CheckKind
    params: CheckParams
    # Judged once per arrangement, so arrangements can be excluded from it.
    per_arrangement: bool = False


def judged_per_arrangement(kind: CheckKind, params: CheckParams) -> bool:
    if kind.name == "for_each":
        return getattr(params, "over", None) == "collaboratives"
    return kind.scope == "arrangement"


@dataclass(frozen=True, slots=True)
class Questionnaire:
    source: QuestionnaireFile
    criteria: tuple[Criterion, ...]
    digest: str
    file: str

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def version(self) -> str:
        return self.source.version

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.spec.id == criterion_id), None)


def built_in_dir() -> Path:
    """Where the built-in questionnaires are, installed or in a source checkout."""
    # Beside this module, where the wheel puts them: the package is always on disk (a
    # Path is returned), so importlib.resources, ~3 ms of start-up, adds nothing.
    packaged = Path(__file__).resolve().parent / "questionnaires"
    if packaged.is_dir():
        return packaged
    # Editable install: the folder sits at the top of the repository, beside src/.
    return Path(__file__).resolve().parents[2] / "questionnaires"


def built_in_names() -> list[str]:
    return sorted(p.stem for p in built_in_dir().glob("*.yaml"))


def load_questionnaire(name_or_path: str | None = None) -> Questionnaire:
    """Load a built-in questionnaire by name, or a questionnaire file by path."""
    name = name_or_path or BUILT_IN
    if name in built_in_names():
        path = built_in_dir() / f"{name}.yaml"
        display = f"<built-in>/{name}.yaml"
    else:
        path = Path(name)
        display = shown(name)
        if not path.exists() and "/" not in name and not name.endswith((".yaml", ".yml")):
            raise QuestionnaireError.single(
                name, 1, 1, f"no built-in questionnaire called {name!r} and no such file; "
                f"built-in: {', '.join(built_in_names())}")
    raw = read_bytes(path, display, error=QuestionnaireError)
    digest = hashlib.sha256(raw)
    # A build depends on the bytes, the name shown in its reports and boardcheck's code
    # (build_cache.py): kept between runs, it is a twentieth of a one-file check saved. Only
    # a build that succeeded is kept; a file with problems is reported from the file.
    key = build_cache.key(digest.digest(), display.encode("utf-8", "replace"))
    kept = _from_kept(build_cache.load("questionnaires", display, key))
    if kept is not None:
        return kept
    document = parse_yaml(raw, display, error=QuestionnaireError)
    _refuse_non_finite(document)
    spec = validate(QuestionnaireFile, document, QuestionnaireError)
    built = _build(spec, document, digest.hexdigest()[:12])
    # The check kinds by name: their functions are the code's, found again in the registry.
    build_cache.keep("questionnaires", display, key, (built.source, [
        (c.spec, c.category, c.kind.name, c.params, c.per_arrangement)
        for c in built.criteria], built.digest, built.file))
    return built


def _from_kept(kept: Any) -> Questionnaire | None:
    """The questionnaire kept by `load_questionnaire`, or None if it is not one."""
    try:
        source, criteria, digest, file = kept
        built = Questionnaire(source, tuple(
            Criterion(spec, category, REGISTRY[kind], params, per_arrangement)
            for spec, category, kind, params, per_arrangement in criteria), digest, file)
    except Exception:  # nothing kept, or not what was kept: build afresh
        return None
    whole = isinstance(source, QuestionnaireFile) and all(
        isinstance(c.spec, CriterionSpec) and isinstance(c.params, c.kind.params)
        for c in built.criteria)
    return built if whole else None


def _refuse_non_finite(document: Document) -> None:
    """`.nan` and `.inf` are YAML numbers, but no weight, minimum or threshold can be one:
    an infinite weight makes every score NaN. Refused wherever they stand, with their place."""
    problems: list[Problem] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            line, column = document.source.locate(path)
            problems.append(Problem(document.source.file, line, column,
                                    f"{format_path(path)}: {value} is not a finite number"))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(document.data, ())
    if problems:
        raise QuestionnaireError(problems)


def _build(spec: QuestionnaireFile, document: Document, digest: str) -> Questionnaire:
    problems: list[Problem] = []
    criteria: list[Criterion] = []
    seen: dict[str, tuple[str | int, ...]] = {}
    source = document.source

    def problem(path: tuple[str | int, ...], message: str) -> None:
        line, column = source.locate(path)
        problems.append(Problem(source.file, line, column, f"{format_path(path)}: {message}"))

    cat_ids = [c.id for c in spec.categories]
    for wanted in CATEGORY_IDS:
        if wanted not in cat_ids:
            problem(("categories",), f"the category {wanted!r} is missing")
    for i, cat in enumerate(spec.categories):
        if cat_ids.index(cat.id) != i:
            problem(("categories", i, "id"), f"the category {cat.id!r} appears twice")
        for j, crit in enumerate(cat.criteria):
            here: tuple[str | int, ...] = ("categories", i, "criteria", j)
            if crit.id in seen:
                problem((*here, "id"), f"criterion id {crit.id!r} is used twice "
                        f"(first at {format_path(seen[crit.id])})")
            seen[crit.id] = here
            kind_name = crit.check.get("kind")
            kind = REGISTRY.get(kind_name) if isinstance(kind_name, str) else None
            if kind is None:
                close = difflib.get_close_matches(str(kind_name), list(REGISTRY), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problem((*here, "check", "kind"), f"unknown check kind {kind_name!r}; {hint}"
                        f"known kinds: {', '.join(sorted(REGISTRY))}")
                continue
            try:
                params = kind.params.model_validate(
                    {k: v for k, v in crit.check.items() if k != "kind"})
            except ValidationError as exc:
                problems.extend(problems_from(kind.params, exc, source, (*here, "check")))
                continue
            problems.extend(kind.verify(params, source, (*here, "check")))
            criteria.append(Criterion(crit, cat.id, kind, params,
                                      judged_per_arrangement(kind, params)))
    s = spec.scoring
    for name, th in (("category_thresholds", s.category_thresholds),
                     ("overall_thresholds", s.overall_thresholds)):
        if th.amber > th.green:
            problem(("scoring", name, "amber"), "amber threshold is above the green threshold")
    if problems:
        raise QuestionnaireError(sorted(set(problems), key=lambda p: (p.line, p.column)))
    return Questionnaire(spec, tuple(criteria), digest, source.file)


def apply_overrides(questionnaire: Questionnaire, config: "Overrides") -> Questionnaire:
    """Drop disabled criteria and change weights, as the configuration says."""
    disabled = [str(c).upper() for c in (config.get("disable") or [])]
    weights = {str(k).upper(): float(v) for k, v in (config.get("weights") or {}).items()}
    known = {c.spec.id for c in questionnaire.criteria}
    for key, ids in (("disable", disabled), ("weights", list(weights))):
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise config.error(key, f"unknown criterion id(s): {', '.join(unknown)}")
    if not disabled and not weights:
        return questionnaire
    criteria = tuple(
        replace(c, spec=c.spec.model_copy(update={"weight": weights[c.spec.id]}))
        if c.spec.id in weights else c
        for c in questionnaire.criteria if c.spec.id not in disabled)
    by_id = {c.spec.id: c.spec for c in criteria}
    categories = [cat.model_copy(update={"criteria": [by_id[c.id] for c in cat.criteria
                                                       if c.id in by_id]})
                  for cat in questionnaire.source.categories]
    source = questionnaire.source.model_copy(update={"categories": categories})
    change = repr((sorted(disabled), sorted(weights.items()))).encode()
    digest = hashlib.sha256(questionnaire.digest.encode() + change).hexdigest()[:12]
    return Questionnaire(source, criteria, digest, questionnaire.file)


class Overrides(Protocol):
    """What `apply_overrides` needs of the effective configuration."""

    def get(self, key: str) -> Any: ...

    def error(self, key: str, message: str) -> Exception: ...
