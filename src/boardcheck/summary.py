"""Batch results: a compact row per submission, and the sector summary built from them.

Pure types and arithmetic; formats import this, never the batch runner.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from boardcheck.errors import Problem
from boardcheck.result import Rating, Result


@dataclass(frozen=True, slots=True)
class CategoryScore:
    id: str
    score: float | None
    rating: Rating


@dataclass(frozen=True, slots=True)
class Row:
    """One submission's outcome, small enough to keep for every file in a large batch."""

    index: int
    file: str
    organisation: str | None = None
    ods_code: str | None = None
    sectors: tuple[str, ...] = ()
    governance_models: tuple[str, ...] = ()
    overall_score: float | None = None
    overall_rating: Rating | None = None
    categories: tuple[CategoryScore, ...] = ()
    statuses: tuple[str, ...] = ()
    threshold_failures: tuple[str, ...] = ()
    # The criteria those thresholds make fail (gates.failing_criteria), for CI reports.
    failing_criteria: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()
    # The full result, only when the output format needs it (JSON, SARIF, JUnit, ...).
    result: Result | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class Distribution:
    """Scores of a group: count, mean, quartiles and ratings."""

    n: int
    mean: float | None
    q1: float | None
    median: float | None
    q3: float | None
    ratings: dict[str, int]


def distribution(scores: list[float], ratings: list[str]) -> Distribution:
    counts = {r: ratings.count(r) for r in ("green", "amber", "red", "inconclusive")}
    if not scores:
        return Distribution(0, None, None, None, None, counts)
    ordered = sorted(scores)
    if len(ordered) == 1:
        q1 = med = q3 = ordered[0]
    else:
        q1, med, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Distribution(len(ordered), round(statistics.fmean(ordered), 1), round(q1, 1),
                        round(med, 1), round(q3, 1), counts)


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One sector or governance model: overall and per-category distributions."""

    name: str
    overall: Distribution
    categories: dict[str, Distribution]


@dataclass(frozen=True, slots=True)
class CommonGap:
    criterion: str
    title: str
    not_met: int
    organisations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Duplicate:
    key: str
    value: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Everything a batch format needs: sorted rows, statistics, gaps, errors."""

    questionnaire_id: str
    questionnaire_version: str
    category_ids: tuple[str, ...]
    category_titles: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    rows: tuple[Row, ...]
    errors: tuple[Row, ...]
    search_problems: tuple[Problem, ...]
    overall: Distribution
    categories: dict[str, Distribution]
    by_sector: tuple[GroupSummary, ...]
    by_model: tuple[GroupSummary, ...]
    common_gaps: tuple[CommonGap, ...]
    duplicates: tuple[Duplicate, ...]
    complete: bool = True
    sort: str = "score"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The questionnaire's ids and titles, in order: all a summary needs to know of it."""

    id: str
    version: str
    category_ids: tuple[str, ...]
    category_titles: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    criterion_titles: tuple[str, ...]


@dataclass
class Summariser:
    """Reduces rows as they arrive; keeps only the compact rows."""

    catalogue: Catalogue
    rows: list[Row] = field(default_factory=list)
    errors: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        (self.rows if row.ok else self.errors).append(row)

    def finish(self, *, sort: str, search_problems: Iterable[Problem] = (),
               complete: bool = True, top_gaps: int = 10) -> BatchResult:
        q = self.catalogue
        cat_ids = q.category_ids
        rows = tuple(sorted(self.rows, key=sort_key(sort)))
        return BatchResult(
            questionnaire_id=q.id, questionnaire_version=q.version, category_ids=cat_ids,
            category_titles=q.category_titles, criterion_ids=q.criterion_ids,
            rows=rows, errors=tuple(sorted(self.errors, key=lambda r: r.index)),
            search_problems=tuple(search_problems),
            overall=_overall_distribution(rows),
            categories={cid: _category_distribution(rows, cid) for cid in cat_ids},
            by_sector=_groups(rows, lambda r: r.sectors or ("unknown",), cat_ids),
            by_model=_groups(rows, lambda r: r.governance_models or ("none",), cat_ids),
            common_gaps=_common_gaps(rows, q, top_gaps),
            duplicates=_duplicates(rows), complete=complete, sort=sort)


def sort_key(sort: str) -> Callable[[Row], tuple[Any, ...]]:
    """Highest score first (inconclusive last); ties broken by name, then file."""
    def key(row: Row) -> tuple[Any, ...]:
        name = (row.organisation or "").lower()
        if sort == "name":
            return (name, row.file)
        if sort == "score":
            score = row.overall_score
        else:
            score = next((c.score for c in row.categories if c.id == sort), None)
        return (score is None, -(score or 0.0), name, row.file)
    return key


def _overall_distribution(rows: tuple[Row, ...]) -> Distribution:
    return distribution([r.overall_score for r in rows if r.overall_score is not None],
                        [r.overall_rating or "inconclusive" for r in rows])


def _category_distribution(rows: Iterable[Row], cid: str) -> Distribution:
    cats = [c for r in rows for c in r.categories if c.id == cid]
    return distribution([c.score for c in cats if c.score is not None], [c.rating for c in cats])


def _groups(rows: tuple[Row, ...], keys: Callable[[Row], tuple[str, ...]],
            cat_ids: tuple[str, ...]) -> tuple[GroupSummary, ...]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for k in keys(row):
            grouped[k].append(row)
    return tuple(GroupSummary(name, _overall_distribution(tuple(members)),
                              {cid: _category_distribution(members, cid) for cid in cat_ids})
                 for name, members in sorted(grouped.items()))


def _common_gaps(rows: tuple[Row, ...], q: Catalogue, top: int) -> tuple[CommonGap, ...]:
    counts: Counter[int] = Counter()
    who: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        for i, status in enumerate(row.statuses):
            if status == "not_met":
                counts[i] += 1
                who[i].append(row.organisation or row.file)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(CommonGap(q.criterion_ids[i], q.criterion_titles[i], n, tuple(sorted(who[i])))
                 for i, n in ranked)


def _duplicates(rows: tuple[Row, ...]) -> tuple[Duplicate, ...]:
    def ods(row: Row) -> str:
        return (row.ods_code or "").strip().upper()

    def name(row: Row) -> str:
        return " ".join((row.organisation or "").lower().split())

    found: list[Duplicate] = []
    keys: tuple[tuple[str, Callable[[Row], str]], ...] = (("ods_code", ods), ("organisation", name))
    for key, get in keys:
        files: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            value = get(row)
            if value:
                files[value].append(row.file)
        found.extend(Duplicate(key, value, tuple(sorted(fs)))
                     for value, fs in sorted(files.items()) if len(fs) > 1)
    return tuple(found)
