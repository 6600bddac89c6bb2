"""Batch results: a compact row per submission, and the sector summary built from them.

Pure types and arithmetic; formats import this, never the batch runner.
"""

from __future__ import annotations

import statistics
import sys
import typing
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

from boardcheck.errors import Problem
from boardcheck.result import Rating, Result, Severity, Status

if typing.TYPE_CHECKING:  # the collaborative view builds on this module's types
    from boardcheck.collaboratives import CollaborativeView

# Every rating a distribution counts, in the order reports show them.
RATINGS = ("green", "amber", "red", "insufficient_evidence", "inconclusive")
# Ratings a league table ranks; rows rated otherwise are listed after the ranked ones.
RANKED = ("green", "amber", "red")


@dataclass(frozen=True, slots=True)
class CategoryScore:
    id: str
    score: float | None
    rating: Rating
    # 0-100: the share of the question's applicable weight the file evidences.
    coverage: float | None = None
    # The rating in words, with why where it is capped or not rated.
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One submission's outcome, small enough to keep for every file in a large batch."""

    index: int
    file: str
    organisation: str | None = None
    ods_code: str | None = None
    sectors: tuple[str, ...] = ()
    governance_models: tuple[str, ...] = ()
    # What the sector views group by (issue 12): NHS England region, ICBs, legal form.
    region: str | None = None
    icbs: tuple[str, ...] = ()
    legal_form: str | None = None
    as_of: str | None = None  # ISO date the file was judged at
    arrangements: int = 0
    # Critical criteria the file states failing (not met or partly met), and those it is
    # silent on: two different things, never added together.
    critical_gaps: int = 0
    critical_not_evidenced: int = 0
    overall_score: float | None = None
    overall_rating: Rating | None = None
    overall_coverage: float | None = None
    # The overall rating in words, with why ("red: capped by PI12 ...").
    overall_explanation: str = ""
    categories: tuple[CategoryScore, ...] = ()
    # Each criterion's status, one byte each (an index into STATUSES): a batch keeps a row
    # per file, and a tuple of 50 strings per row was a third of the row.
    status_codes: bytes = b""
    threshold_failures: tuple[str, ...] = ()
    # How many template placeholders the file holds (the formats list them from the result).
    placeholders: int = 0
    # The criteria those thresholds make fail (gates.failing_criteria), for CI reports.
    failing_criteria: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()
    # The full result, only when a caller asks for it (tests, one-off renders); a batch
    # run never keeps it.
    result: Result | None = None
    # Each arrangement's facts that members of one collaborative should state alike, with
    # positions: what the collaborative view matches and compares, packed small
    # (collaboratives.pack_facts).
    arrangement_facts: bytes = b""
    # This file's part of a streamed batch document (JSON, SARIF, JUnit, GitHub), rendered
    # by the worker and zlib-compressed UTF-8 so that little crosses between processes.
    # The writer puts it out as it arrives; the summary never keeps it.
    fragment: bytes | None = None
    # --papers: the member's board paper as the worker rendered it (zlib-compressed), taken
    # off the row once written; then where it was written, relative to the batch document
    # (a link for the HTML page).
    paper_document: bytes | None = None
    paper: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(STATUSES[code] for code in self.status_codes)


# Every status a criterion can have, from the result's type: a new status needs no change here.
STATUSES: tuple[str, ...] = typing.get_args(Status)
_STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}


def encode_statuses(statuses: Iterable[str]) -> bytes:
    return bytes(_STATUS_CODES[s] for s in statuses)


def _compact(row: Row) -> Row:
    """The row as the summary keeps it: no document, and the texts every row repeats (ids,
    ratings, sectors, models) shared rather than unpickled afresh for each file."""
    return replace(
        row, fragment=None, paper_document=None, sectors=tuple(_share(x) for x in row.sectors),
        governance_models=tuple(_share(x) for x in row.governance_models),
        region=None if row.region is None else _share(row.region),
        icbs=tuple(_share(x) for x in row.icbs),
        legal_form=None if row.legal_form is None else _share(row.legal_form),
        as_of=None if row.as_of is None else _share(row.as_of),
        overall_rating=None if row.overall_rating is None else _share(row.overall_rating),
        overall_explanation=_share(row.overall_explanation),
        categories=tuple(CategoryScore(_share(c.id), c.score, _share(c.rating), c.coverage,
                                       _share(c.explanation)) for c in row.categories))


S = TypeVar("S", bound=str)


def _share(text: S) -> S:
    return cast(S, sys.intern(text))


@dataclass(frozen=True, slots=True)
class Distribution:
    """Scores of a group: count, mean, quartiles and ratings."""

    n: int
    mean: float | None
    q1: float | None
    median: float | None
    q3: float | None
    ratings: dict[str, int]

    @property
    def rated(self) -> int:
        """Every file in the group, whatever its rating (n counts only those scored)."""
        return sum(self.ratings.values())

    def shares(self) -> dict[str, float | None]:
        """Each rating's share of the group, 0-100 to one decimal; None for an empty group."""
        total = self.rated
        return {r: (round(100 * n / total, 1) if total else None)
                for r, n in self.ratings.items()}

    def whole_shares(self) -> dict[str, int | None]:
        """Each rating's share in whole percent, for a person reading a row: rounded by
        largest remainder so the shares of every rating add to exactly 100 (rounding each
        share alone shows 0.5 / 90.5 / 9 as 0 / 90 / 9). A tie in remainders goes to the
        rating first in RATINGS, so the result never depends on dict order. None for an
        empty group."""
        total = self.rated
        if not total:
            return dict.fromkeys(self.ratings)
        # Integer arithmetic throughout: floors and remainders of 100 * n / total.
        floors = {r: 100 * n // total for r, n in self.ratings.items()}
        left = 100 - sum(floors.values())
        order = sorted(self.ratings, key=lambda r: (-(100 * self.ratings[r] % total),
                                                    RATINGS.index(r)))
        for r in order[:left]:
            floors[r] += 1
        return dict(floors)


def distribution(scores: list[float], ratings: list[str]) -> Distribution:
    counts = {r: ratings.count(r) for r in RATINGS}
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
class Breakdown:
    """The batch grouped one way (by region, ICB, sector, legal form or governance model)."""

    key: str  # one of BREAKDOWNS
    title: str
    groups: tuple[GroupSummary, ...]


# Every way a batch is broken down, in the order reports show them: the key, its title, and
# the label of a row that records nothing for it.
BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    ("region", "NHS England region", "region not recorded"),
    ("icb", "ICB", "ICB not recorded"),
    ("sector", "Sector", "sector not recorded"),
    ("legal_form", "Legal form", "legal form not recorded"),
    ("governance_model", "Governance model", "no arrangements recorded"),
)


# Words an identifier spells in lower case that a reader writes in capitals.
ACRONYMS = {"nhs": "NHS", "icb": "ICB", "mhlda": "MHLDA"}


def id_words(value: str) -> str:
    """A sector, governance model or other identifier as words, for a reader:
    mental_health -> mental health, nhs_foundation_trust -> NHS foundation trust."""
    return " ".join(ACRONYMS.get(w, w) for w in value.replace("_", " ").split(" "))


def group_words(key: str, value: str) -> str:
    """A breakdown group's name as a reader says it: regions are proper names
    (north_east_and_yorkshire -> North East and Yorkshire); ICBs are written as the files
    wrote them; the rest are identifiers in words."""
    # The one label for a group in every report a person reads (terminal, markdown, HTML,
    # the workbook); JSON and CSV keep the identifier for programs to group by.
    if key == "icb":
        return value
    if key == "region":
        return " ".join(w if w in ("and", "of") else w.capitalize() for w in value.split("_"))
    return id_words(value)


def breakdown_keys(row: Row, key: str) -> tuple[str, ...]:
    """The groups a row belongs to under a breakdown; empty when it records nothing."""
    if key == "region":
        return (row.region,) if row.region else ()
    if key == "icb":
        return tuple(dict.fromkeys(" ".join(i.split()) for i in row.icbs if i.strip()))
    if key == "sector":
        return row.sectors
    if key == "legal_form":
        return (row.legal_form,) if row.legal_form else ()
    if key == "governance_model":
        return row.governance_models
    raise ValueError(f"unknown breakdown {key!r}")


@dataclass(frozen=True, slots=True)
class CommonGap:
    criterion: str
    title: str
    not_met: int
    organisations: tuple[str, ...]
    # not_met as a share (0-100, one decimal) of the files checked in the group.
    share: float = 0.0


@dataclass(frozen=True, slots=True)
class SectorGaps:
    """The criteria most often not met by the trusts of one sector."""

    sector: str
    checked: int
    gaps: tuple[CommonGap, ...]


# Why a trust stands out from the batch: a critical criterion it states failing, a thin
# submission, or a score far below its sector's.
OUTLIER_REASONS = ("critical_gap", "thin_submission", "far_below_sector")
# A score is far below its sector when it is under the sector's lower quartile less this many
# interquartile ranges (Tukey's fence)...
OUTLIER_FENCE_IQRS = 1.5
# ...and only in a sector with at least this many rated scores: fewer have no quartiles worth
# the name.
OUTLIER_MIN_GROUP = 4


@dataclass(frozen=True, slots=True)
class OutlierReason:
    kind: str  # one of OUTLIER_REASONS
    text: str  # the reason in a sentence, for a person: sectors in words, never ids


@dataclass(frozen=True, slots=True)
class Outlier:
    """A trust the sector's staff should look at first, and why."""

    index: int  # the row's input index: a report flags and links the trust's row by it
    file: str
    organisation: str
    ods_code: str | None
    sectors: tuple[str, ...]
    overall_score: float | None
    overall_rating: Rating | None
    overall_coverage: float | None
    reasons: tuple[OutlierReason, ...]
    # What orders the outliers, worst first (`outlier_order`): the critical criteria the file
    # states failing, whether it is thin, and how far its score is under the median of the
    # sector it is furthest below (0 when it is far below none).
    critical_gaps: int = 0
    thin: bool = False
    below_median: float = 0.0


def outlier_order(o: Outlier) -> tuple[Any, ...]:
    """Worst first: the most critical criteria stated failing, then thin submissions, then
    the furthest below its sector's median, then the lowest score (none last), then by
    name, then by file."""
    return (-o.critical_gaps, not o.thin, -o.below_median, o.overall_score is None,
            o.overall_score or 0.0, o.organisation.lower(), o.file)


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
    catalogue: Catalogue | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    gaps_by_sector: tuple[SectorGaps, ...] = ()
    outliers: tuple[Outlier, ...] = ()
    # Each collaborative its members describe: members, disagreements, readiness.
    collaboratives: tuple[CollaborativeView, ...] = ()


@dataclass(frozen=True, slots=True)
class CategoryText:
    """A board question's texts, the same for every trust in a batch."""

    id: str
    title: str
    board_question: str


@dataclass(frozen=True, slots=True)
class CriterionText:
    """A criterion's texts and settings, the same for every trust in a batch: written once
    per batch document rather than once per trust."""

    id: str
    category: str
    title: str
    severity: Severity
    weight: float
    challenge: str
    rationale: str
    remediation: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The questionnaire's ids and texts, in order: all a summary needs to know of it."""

    id: str
    version: str
    category_ids: tuple[str, ...]
    category_titles: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    criterion_titles: tuple[str, ...]
    categories: tuple[CategoryText, ...] = ()
    criteria: tuple[CriterionText, ...] = ()
    # The overall share evidenced (0-100) below which the questionnaire does not rate a
    # file: a submission under it is thin.
    coverage_minimum: float = 0.0


@dataclass
class Summariser:
    """Reduces rows as they arrive; keeps only the compact rows."""

    catalogue: Catalogue
    rows: list[Row] = field(default_factory=list)
    errors: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        row = _compact(row)  # a fragment is written already: keep only the compact row
        (self.rows if row.ok else self.errors).append(row)

    def finish(self, *, sort: str, search_problems: Iterable[Problem] = (),
               complete: bool = True, top_gaps: int = 10) -> BatchResult:
        from boardcheck.collaboratives import collaboratives

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
            duplicates=_duplicates(rows), complete=complete, sort=sort, catalogue=q,
            breakdowns=tuple(Breakdown(key, title, _groups(rows, _grouping(key, empty), cat_ids))
                             for key, title, empty in BREAKDOWNS),
            gaps_by_sector=_gaps_by_sector(rows, q, top_gaps),
            outliers=_outliers(rows, q),
            collaboratives=collaboratives(self.rows, cat_ids))


def _grouping(key: str, empty: str) -> Callable[[Row], tuple[str, ...]]:
    def keys(row: Row) -> tuple[str, ...]:
        return breakdown_keys(row, key) or (empty,)
    return keys


# The --sort keys besides the category ids: highest overall score first, worst first, by
# name, and each breakdown (grouped, then highest score first within the group).
WORST = "worst"
SORTS = ("score", WORST, "name", *(key for key, _, _ in BREAKDOWNS))


def sort_choices(category_ids: Iterable[str]) -> tuple[str, ...]:
    return (*SORTS, *category_ids)


def league_order(sort: str) -> bool:
    """Whether `sort` shows the rows in league order (so a row's rank is its position)."""
    return sort not in (WORST, *(key for key, _, _ in BREAKDOWNS))


def sort_rating(row: Row, sort: str) -> Rating | None:
    """The rating that decides whether a row is ranked under `sort`: the overall rating, or
    for a category sort that category's."""
    if sort in SORTS:
        return row.overall_rating
    return next((c.rating for c in row.categories if c.id == sort), None)


def is_ranked(row: Row, sort: str) -> bool:
    """Rated green, amber or red: insufficient-evidence and inconclusive rows are not ranked
    among the others, whatever their score."""
    return sort_rating(row, sort) in RANKED


def sort_key(sort: str) -> Callable[[Row], tuple[Any, ...]]:
    """Highest score first among the ranked rows; then the rows rated insufficient evidence,
    then the inconclusive ones, each by name. Ties broken by name, then file."""
    groups = {key for key, _, _ in BREAKDOWNS}

    def key(row: Row) -> tuple[Any, ...]:
        name = (row.organisation or "").lower()
        if sort == "name":
            return (name, row.file)
        if sort in groups:
            # Grouped, the groups by name and the rows recording none last; within a group,
            # the league order. A row in several groups is placed under its first.
            found = breakdown_keys(row, sort)
            return ((1, "") if not found else (0, found[0].lower()), *league(row))
        return league(row)

    def league(row: Row) -> tuple[Any, ...]:
        name = (row.organisation or "").lower()
        if not is_ranked(row, sort):
            unranked = 1 if sort_rating(row, sort) == "insufficient_evidence" else 2
            return (unranked, 0.0, name, row.file)
        if sort in SORTS:
            score = row.overall_score
        else:
            score = next((c.score for c in row.categories if c.id == sort), None)
        # Worst first: the lowest score first among the ranked rows, then the rows not
        # ranked as in every order.
        signed = (score or 0.0) if sort == WORST else -(score or 0.0)
        return (0 if score is not None else 2, signed, name, row.file)
    return key


def ranks(rows: Iterable[Row], sort: str) -> list[str | None]:
    """Each row's place in the league, in the rows' order; None for a row not ranked
    (rated insufficient evidence or inconclusive). In a league order it is the row's position
    among the ranked; grouped or worst first, it is still its place in the overall league,
    so a rank means the same whatever the order shown."""
    rows = list(rows)
    if league_order(sort):
        out: list[str | None] = []
        n = 0
        for row in rows:
            if sort != "name" and not is_ranked(row, sort):
                out.append(None)
                continue
            n += 1
            out.append(str(n))
        return out
    by_score = sorted((r for r in rows if is_ranked(r, "score")), key=sort_key("score"))
    place = {id(r): str(n) for n, r in enumerate(by_score, 1)}
    return [place.get(id(r)) for r in rows]


def _overall_distribution(rows: tuple[Row, ...]) -> Distribution:
    # A score resting on too little evidence says little about a trust; it is counted among
    # the ratings but kept out of the means and quartiles, as it is kept out of the ranking.
    return distribution([r.overall_score for r in rows if r.overall_score is not None
                         and r.overall_rating != "insufficient_evidence"],
                        [r.overall_rating or "inconclusive" for r in rows])


def _category_distribution(rows: Iterable[Row], cid: str) -> Distribution:
    cats = [c for r in rows for c in r.categories if c.id == cid]
    return distribution([c.score for c in cats if c.score is not None
                         and c.rating != "insufficient_evidence"], [c.rating for c in cats])


def _groups(rows: tuple[Row, ...], keys: Callable[[Row], tuple[str, ...]],
            cat_ids: tuple[str, ...]) -> tuple[GroupSummary, ...]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for k in keys(row):
            grouped[k].append(row)
    return tuple(GroupSummary(name, _overall_distribution(tuple(members)),
                              {cid: _category_distribution(members, cid) for cid in cat_ids})
                 for name, members in sorted(grouped.items()))


def _common_gaps(rows: Iterable[Row], q: Catalogue, top: int) -> tuple[CommonGap, ...]:
    counts: Counter[int] = Counter()
    who: dict[int, list[str]] = defaultdict(list)
    checked = 0
    not_met = STATUSES.index("not_met")
    for row in rows:
        checked += 1
        for i, code in enumerate(row.status_codes):
            if code == not_met:
                counts[i] += 1
                who[i].append(row.organisation or row.file)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(CommonGap(q.criterion_ids[i], q.criterion_titles[i], n, tuple(sorted(who[i])),
                           round(100 * n / checked, 1))
                 for i, n in ranked)


def _gaps_by_sector(rows: tuple[Row, ...], q: Catalogue, top: int) -> tuple[SectorGaps, ...]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for sector in row.sectors or ("sector not recorded",):
            grouped[sector].append(row)
    return tuple(SectorGaps(sector, len(members), _common_gaps(members, q, top))
                 for sector, members in sorted(grouped.items()))


def _fences(rows: tuple[Row, ...]) -> dict[str, tuple[float, float]]:
    """Each sector's median and lower fence (its lower quartile less OUTLIER_FENCE_IQRS
    interquartile ranges), from the scores the sector breakdown counts (those rated green,
    amber or red), where there are at least OUTLIER_MIN_GROUP of them. The fence is rounded
    as the quartiles are, so the sentence that quotes it is true of the comparison made."""
    fences: dict[str, tuple[float, float]] = {}
    for group in _groups(rows, lambda r: r.sectors, ()):
        d = group.overall
        if d.n >= OUTLIER_MIN_GROUP and d.q1 is not None and d.q3 is not None \
                and d.median is not None:
            fences[group.name] = (d.median,
                                  round(d.q1 - OUTLIER_FENCE_IQRS * (d.q3 - d.q1), 1))
    return fences


def _outliers(rows: tuple[Row, ...], q: Catalogue) -> tuple[Outlier, ...]:
    """Trusts that state a critical criterion failing, thin submissions, and trusts far
    below their sector's median, worst first (`outlier_order`): the one definition every
    batch format shows."""
    fences = _fences(rows)
    found: list[Outlier] = []
    for row in rows:
        reasons: list[OutlierReason] = []
        if row.critical_gaps:
            reasons.append(OutlierReason("critical_gap", (
                f"states {row.critical_gaps} critical criterion not met or partly met"
                if row.critical_gaps == 1 else
                f"states {row.critical_gaps} critical criteria not met or partly met")))
        coverage = row.overall_coverage
        under = coverage is not None and coverage < q.coverage_minimum
        thin = under or row.overall_rating == "insufficient_evidence"
        if thin:
            reasons.append(OutlierReason("thin_submission", (
                f"thin submission: evidences {coverage:g}% of the questionnaire, under the "
                f"{q.coverage_minimum:g}% needed for a rating" if under and coverage is not None
                else "thin submission: too little evidenced to rate")))
        below = 0.0
        score = row.overall_score
        if score is not None and is_ranked(row, "score"):
            for sector in row.sectors:
                median, fence = fences.get(sector, (0.0, 0.0))
                if sector not in fences or score >= fence:
                    continue
                distance = round(median - score, 1)
                below = max(below, distance)
                reasons.append(OutlierReason("far_below_sector", (
                    f"scores {score:.1f}, {distance:.1f} points below the "
                    f"{id_words(sector)} median of {median:.1f}: beyond the sector's usual "
                    f"spread (under {fence:.1f}, its lower quartile less "
                    f"{OUTLIER_FENCE_IQRS:g} times the interquartile range)")))
        if reasons:
            found.append(Outlier(row.index, row.file, row.organisation or row.file,
                                 row.ods_code, row.sectors, score, row.overall_rating,
                                 coverage, tuple(reasons), row.critical_gaps, thin, below))
    return tuple(sorted(found, key=outlier_order))


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
