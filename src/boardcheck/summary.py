"""Batch results: a compact row per submission, and the sector summary built from them.

Pure types and arithmetic; formats import this, never the batch runner.
"""

from __future__ import annotations

import heapq
import math
import os
import pickle
import statistics
import tempfile
import typing
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, TypeVar, cast

from boardcheck.errors import Problem
from boardcheck.result import Rating, Result, Severity, Status, quick_state

if typing.TYPE_CHECKING:  # the collaborative view builds on this module's types
    from boardcheck.collaboratives import CollaborativeView

# Every rating a distribution counts, in the order reports show them.
RATINGS = ("green", "amber", "red", "insufficient_evidence", "inconclusive")
# Ratings a league table ranks; rows rated otherwise are listed after the ranked ones.
RANKED = ("green", "amber", "red")


@quick_state
@dataclass(frozen=True, slots=True)
class CategoryScore:
    id: str
    score: float | None
    rating: Rating
    # 0-100: the share of the question's applicable weight the file evidences.
    coverage: float | None = None
    # The rating in words, with why where it is capped or not rated.
    explanation: str = ""


@quick_state
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
    as_of: str | None = None  # ISO date the file (or the run) states; None: not recorded
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
    # by the worker, as UTF-8 (formats.stream.pack). The writer puts it out as it arrives;
    # the summary never keeps it.
    fragment: bytes | None = None
    # --papers: the member's board paper as the worker rendered it (stream.pack_bytes), taken
    # off the row once written; then where it was written, relative to the batch document
    # (a link for the HTML page).
    paper_document: bytes | None = None
    paper: str | None = None
    # A file that could not be evaluated: the organisation's name and ODS code it states,
    # where its YAML could be read that far (a validation error, not a syntax error). Only
    # the collaborative view reads them, to say a member submitted a file that could not be
    # checked rather than that it did not submit; every other report lists the file alone.
    failed_organisation: str | None = None
    failed_ods_code: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(STATUSES[code] for code in self.status_codes)


# A criterion partly met only for want of information (some arrangements judged met, the
# others silent, none stated failing): the JSON's `partly_met` with `evidenced: false`. The
# tables of criteria (CSV, workbook) give it a status of its own, so that a filter on
# `partly_met` finds only stated failures and never counts a file's silence as one.
PARTLY_MET_NOT_EVIDENCED = "partly_met_not_evidenced"
# Every status a criterion's cell can have, from the result's type: a new status needs no
# change here.
STATUSES: tuple[str, ...] = (*typing.get_args(Status), PARTLY_MET_NOT_EVIDENCED)
_STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}


def cell_status(status: str, evidenced: bool) -> str:
    """A criterion's status as the tables of criteria write it."""
    return PARTLY_MET_NOT_EVIDENCED if status == "partly_met" and not evidenced else status


def encode_statuses(statuses: Iterable[str]) -> bytes:
    return bytes(_STATUS_CODES[s] for s in statuses)


@quick_state
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
    return distribution_of(scores, {r: ratings.count(r) for r in RATINGS})


def distribution_of(scores: list[float], counts: dict[str, int]) -> Distribution:
    """The distribution of these scores, with each rating's count (in RATINGS order)."""
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
    """One group of a breakdown (a region, an ICB, a sector...): overall and per-category
    distributions."""

    name: str  # as the files write it; NOT_RECORDED for the files that record none
    overall: Distribution
    categories: dict[str, Distribution]


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The batch grouped one way (by region, ICB, sector, legal form or governance model)."""

    key: str  # one of BREAKDOWNS
    title: str
    groups: tuple[GroupSummary, ...]


# The name of the group of files that record nothing under a breakdown (no region, no ICB...),
# and of the common gaps' group of files listing no sector: empty, which no recorded value
# is (an ICB is named by some text; the rest are identifiers). Not a word such as "unknown"
# or "none": an ICB may be called anything, and the group recording nothing must never take
# in, or be taken for, a group of that name. JSON writes it null; CSV and the workbook leave
# its id cell empty, as they do a trust's cell that records nothing.
NOT_RECORDED = ""

# Every way a batch is broken down, in the order reports show them: the key, its title, and
# the name of the group of files that record nothing for it (NOT_RECORDED).
BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    ("region", "NHS England region", NOT_RECORDED),
    ("icb", "ICB", NOT_RECORDED),
    ("sector", "Sector", NOT_RECORDED),
    ("legal_form", "Legal form", NOT_RECORDED),
    ("governance_model", "Governance model", NOT_RECORDED),
)

# The not-recorded group in words, as every report for people names it.
NOT_RECORDED_WORDS = {"region": "Region not recorded", "icb": "ICB not recorded",
                      "sector": "Sector not recorded",
                      "legal_form": "Legal form not recorded",
                      "governance_model": "Governance model not recorded"}


def group_order(name: str) -> tuple[bool, str, str]:
    """The order of a breakdown's groups in every report and table: by name, ignoring case,
    and the group recording nothing last (it is no name among the others)."""
    return (name == NOT_RECORDED, name.lower(), name)

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
    if value == NOT_RECORDED:
        return NOT_RECORDED_WORDS.get(key, "Not recorded")
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
    # Alphabetical; in a batch, read from the summary's compact store of names (`Names`).
    organisations: Sequence[str]
    # not_met as a share (0-100, one decimal) of the files checked in the group.
    share: float = 0.0


@dataclass(frozen=True, slots=True)
class SectorGaps:
    """The criteria most often not met by the trusts of one sector."""

    sector: str  # NOT_RECORDED for the trusts that list no sector
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


@quick_state
@dataclass(frozen=True, slots=True)
class OutlierReason:
    kind: str  # one of OUTLIER_REASONS
    text: str  # the reason in a sentence, for a person: sectors in words, never ids


@quick_state
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
    # In a batch, read from the summary's compact store of names (`Names`): the names in
    # a sector's batch repeat, so at 40,000 files nearly every file is listed here.
    files: Sequence[str]
    # The value as the first of the files writes it, for a reader: a name is matched in
    # lower case ("stanmoor community health nhs trust"); "" where it is the value.
    written: str = ""


@dataclass(frozen=True, slots=True)
class LeagueGroup:
    """Under a --sort by a breakdown, one group as the grouped views list it: every trust in
    it, as the breakdown counts them (a trust in two ICBs is in both), in league order."""

    key: str  # the breakdown
    name: str  # the group, as the breakdown names it
    overall: Distribution  # the breakdown's own, so a heading agrees with its table
    # Each trust's place in BatchResult.rows, in league order within the group.
    positions: array[int]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Everything a batch format needs: sorted rows, statistics, gaps, errors."""

    questionnaire_id: str
    questionnaire_version: str
    category_ids: tuple[str, ...]
    category_titles: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    # In report order; a batch's are spilled to disk (SpilledRows) and read back as iterated.
    rows: Sequence[Row]
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
    outliers: Sequence[Outlier] = ()
    # Each collaborative its members describe: members, disagreements, readiness.
    collaboratives: Sequence[CollaborativeView] = ()
    # Under a --sort by a breakdown, its groups in order (names, then the group recording
    # none last), each with every trust in it: what the grouped views list.
    league_groups: tuple[LeagueGroup, ...] = ()


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


class Spill:
    """Pickled objects in an anonymous temporary file, read back one at a time: what lets a
    batch of any size keep its rows, outliers and collaboratives out of memory. The file
    goes when the last reference to it does."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed when garbage)
        self._end = 0

    def put(self, value: object) -> tuple[int, int]:
        """Where the value now lies: its offset and length."""
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        at, self._end = self._end, self._end + len(data)
        return at, len(data)

    def get(self, at: int, length: int) -> Any:
        self._file.flush()
        return pickle.loads(os.pread(self._file.fileno(), length, at))


T = TypeVar("T")


class Spilled(Sequence[T]):
    """A read-only sequence of spilled objects, in the order given: each is unpickled when
    asked for and never kept, so a report's pass over 40,000 rows holds one at a time."""

    __slots__ = ("_at", "_length", "_order", "_spill", "_transform")

    def __init__(self, spill: Spill, at: array[int], length: array[int],
                 order: array[int] | None = None,
                 transform: Callable[[Any], Any] | None = None) -> None:
        self._spill, self._at, self._length = spill, at, length
        # The objects' places in the spill, in this sequence's order.
        self._order = order if order is not None else array("q", range(len(at)))
        # Applied to each object as it is read (a format's cleaning of every string).
        self._transform = transform

    def __len__(self) -> int:
        return len(self._order)

    @typing.overload
    def __getitem__(self, i: int) -> T: ...
    @typing.overload
    def __getitem__(self, i: slice) -> Spilled[T]: ...

    def __getitem__(self, i: int | slice) -> T | Spilled[T]:
        if isinstance(i, slice):
            # Still spilled: "the rest of the outliers" was every outlier but a page, read
            # in at once (issue 14).
            return Spilled(self._spill, self._at, self._length, self._order[i],
                           self._transform)
        return self._load(self._order[i])

    def __iter__(self) -> Iterator[T]:
        for n in self._order:
            yield self._load(n)

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence (a tuple, a list, another spill) of equal items, in order,
        as the tuple it stands for would be."""
        if not isinstance(other, Spilled | tuple | list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                        strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal by content, yet not immutable

    def __repr__(self) -> str:
        return f"Spilled({len(self)} items)"

    def _load(self, n: int) -> T:
        value = self._spill.get(self._at[n], self._length[n])
        return cast(T, value if self._transform is None else self._transform(value))

    def reordered(self, order: Iterable[int]) -> Spilled[T]:
        """The same objects in another order: each item is a position in this sequence."""
        return Spilled(self._spill, self._at, self._length,
                       array("q", (self._order[i] for i in order)), self._transform)

    def mapped(self, transform: Callable[[T], T]) -> Spilled[T]:
        """The same sequence with `transform` applied to each object as it is read: what
        `formats.sanitise.deep` gives for a spilled sequence, never reading it all at once."""
        return Spilled(self._spill, self._at, self._length, self._order,
                       _then(self._transform, transform))


class Deferred(Sequence[T]):
    """A sequence worked out when a report first reads it. The collaborative view is the
    batch's longest reduction, run after the workers stop while they stand idle; a format
    that shows no collaborative (CSV, SARIF, JUnit) never pays for it."""

    def __init__(self, make: Callable[[], Sequence[T]]) -> None:
        self._make: Callable[[], Sequence[T]] | None = make
        self._found: Sequence[T] = ()

    def _get(self) -> Sequence[T]:
        if self._make is not None:
            self._found, self._make = self._make(), None
        return self._found

    def __len__(self) -> int:
        return len(self._get())

    @typing.overload
    def __getitem__(self, i: int) -> T: ...
    @typing.overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...

    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        return self._get()[i]

    def __iter__(self) -> Iterator[T]:
        return iter(self._get())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # as a list: equal by content, unhashable

    def __repr__(self) -> str:
        return f"Deferred({list(self)!r})"

    def mapped(self, transform: Callable[[T], T]) -> Deferred[T]:
        """The items, each passed through `transform` as it is read (the formats' cleaning of
        file content: sanitise.deep), still worked out only when first read."""
        def make() -> Sequence[T]:
            found = self._get()
            if isinstance(found, Spilled):
                return found.mapped(transform)
            return tuple(transform(item) for item in found)
        return Deferred(make)


class SpilledRows(Spilled[Row]):
    """A batch's rows in report order, spilled; carries each row's league rank, worked out
    once at the end of the batch (`ranks`)."""

    __slots__ = ("places", "sort")

    def __init__(self, spilled: Spilled[Row], sort: str, places: array[int]) -> None:
        super().__init__(spilled._spill, spilled._at, spilled._length, spilled._order,
                         spilled._transform)
        self.sort = sort
        self.places = places  # each row's rank in this order, 0 for a row not ranked

    def mapped(self, transform: Callable[[Row], Row]) -> SpilledRows:
        return SpilledRows(super().mapped(transform), self.sort, self.places)


def _then(first: Callable[[Any], Any] | None, second: Callable[[Any], Any]
          ) -> Callable[[Any], Any]:
    if first is None:
        return second
    return lambda value: second(first(value))


# Where a row's rating is not counted: no such category, or a rating no distribution counts.
_NO_RATING = 255
_RATING_CODES = {r: n for n, r in enumerate(RATINGS)}


class _Groups:
    """Which rows (by their arrival number) fall in each group of one grouping."""

    def __init__(self, keys: Callable[[Row], Iterable[str]]) -> None:
        self.keys = keys
        # 4 bytes a member ("i": a batch has fewer than 2**31 rows); every row is in five
        # groupings, most in more than one group of some.
        self.members: dict[str, array[int]] = {}

    def add(self, n: int, row: Row) -> None:
        for k in self.keys(row):
            found = self.members.get(k)
            if found is None:
                found = self.members[k] = array("i")
            found.append(n)


class Summariser:
    """Reduces rows as they arrive. Each row is spilled, pickled, to a temporary file; in
    memory stay only what the reductions need, compactly: each row's scores and ratings as
    numbers, group memberships, criterion counts and a hash per name and ODS code. Memory
    therefore stays flat in the number of files (issue 14); the reports read the rows back,
    one at a time, in the order they show them."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.errors: list[Row] = []
        self._spill = Spill()
        self._at: array[int] = array("q")
        self._length: array[int] = array("q")
        self._index: array[int] = array("q")  # each row's input index
        width = 1 + len(catalogue.category_ids)
        self._width = width
        # Per row: the overall score then each category's, NaN where not counted in the
        # quartiles (no score, or rated insufficient evidence); and the ratings as codes.
        self._scores: array[float] = array("d")
        self._ratings = bytearray()
        self._category_at = {cid: n for n, cid in enumerate(catalogue.category_ids, 1)}
        # One grouping per breakdown; the summary's by_sector and by_model, and the sectors'
        # fences for outliers, are read from the sector and governance-model ones.
        self._groupings: dict[str, _Groups] = {
            f"breakdown:{key}": _Groups(_grouping(key, empty)) for key, _, empty in BREAKDOWNS}
        self._not_met: Counter[int] = Counter()
        # Each sector (as _gaps_by_sector groups them): the files checked and criteria not met.
        self._sector_gaps: dict[str, tuple[list[int], Counter[int]]] = {}
        self._ods_hashes: array[int] = array("q")
        self._name_hashes: array[int] = array("q")
        # ICBs are free text: one written "nhs fen ICB " and one "NHS Fen ICB" are the same
        # ICB. Each is kept as the first file to name it wrote it (spaces tidied), so every
        # report groups and names it once: one entry per ICB, a few dozen in a batch.
        self._icb_names: dict[str, str] = {}

    @property
    def rows(self) -> Spilled[Row]:
        """The rows so far, in the order they arrived."""
        return Spilled(self._spill, self._at, self._length)

    def add(self, row: Row) -> None:
        # A fragment or paper is written already: keep only the compact row.
        row = replace(row, fragment=None, paper_document=None, icbs=self._icbs(row.icbs))
        if not row.ok:
            self.errors.append(row)
            return
        n = len(self._at)
        for grouping in self._groupings.values():
            grouping.add(n, row)
        scores = [math.nan] * self._width
        ratings = bytearray([_NO_RATING]) * self._width
        if row.overall_score is not None and row.overall_rating != "insufficient_evidence":
            scores[0] = row.overall_score
        ratings[0] = _RATING_CODES.get(row.overall_rating or "inconclusive", _NO_RATING)
        for c in row.categories:
            at = self._category_at.get(c.id)
            if at is None:
                continue
            if c.score is not None and c.rating != "insufficient_evidence":
                scores[at] = c.score
            ratings[at] = _RATING_CODES.get(c.rating, _NO_RATING)
        self._scores.extend(scores)
        self._ratings += ratings
        not_met = _NOT_MET
        failing = [i for i, code in enumerate(row.status_codes) if code == not_met]
        self._not_met.update(failing)
        for sector in row.sectors or (NOT_RECORDED,):
            checked, counts = self._sector_gaps.setdefault(sector, ([0], Counter()))
            checked[0] += 1
            counts.update(failing)
        self._ods_hashes.append(hash(_ods(row)))
        self._name_hashes.append(hash(_name(row)))
        self._index.append(row.index)
        at, length = self._spill.put(row)
        self._length.append(length)
        self._at.append(at)  # last: the row counts only once all of it is recorded

    def _icbs(self, icbs: tuple[str, ...]) -> tuple[str, ...]:
        names = self._icb_names
        out: dict[str, None] = {}
        for icb in icbs:
            spaced = " ".join(icb.split())
            if spaced:
                out[names.setdefault(spaced.casefold(), spaced)] = None
        return tuple(out)

    def _distribution(self, members: Iterable[int], column: int) -> Distribution:
        scores = self._scores
        width = self._width
        found = []
        counts = dict.fromkeys(RATINGS, 0)
        for n in members:
            score = scores[n * width + column]
            if score == score:  # not NaN
                found.append(score)
            code = self._ratings[n * width + column]
            if code != _NO_RATING:
                counts[RATINGS[code]] += 1
        return distribution_of(found, counts)

    def _summaries(self, grouping: str, count: int) -> tuple[GroupSummary, ...]:
        cat_ids = self.catalogue.category_ids
        out = []
        members_of = self._groupings[grouping].members
        for name in sorted(members_of, key=group_order):
            members = members_of[name]
            kept = [n for n in members if n < count]
            out.append(GroupSummary(name, self._distribution(kept, 0), {
                cid: self._distribution(kept, self._category_at[cid]) for cid in cat_ids}))
        return tuple(out)

    def finish(self, *, sort: str, search_problems: Iterable[Problem] = (),
               complete: bool = True, top_gaps: int = 10) -> BatchResult:
        from boardcheck.collaboratives import spilled_collaboratives

        q = self.catalogue
        cat_ids = q.category_ids
        count = len(self._at)  # rows fully recorded (Ctrl-C may cut one short)
        arrived = self.rows
        # The report order: the sort keys, a run at a time (`sorted_positions`), then only
        # the order is kept.
        order = sorted_positions(arrived, sort_key(sort), arrived.__getitem__)
        places = array("q", bytes(8 * count))
        if league_order(sort):
            n = 0
            for p, row in enumerate(arrived.reordered(order)):
                if sort == "name" or is_ranked(row, sort):
                    n += 1
                    places[p] = n
        else:  # still the place in the overall league; ties as a stable sort of this order
            shown = arrived.reordered(order)
            score = sort_key("score")
            by_score = sorted_positions(
                shown, lambda row: score(row) if is_ranked(row, "score") else None,
                shown.__getitem__)
            for rank, p in enumerate(by_score, 1):
                places[p] = rank
            del by_score
        rows = SpilledRows(arrived.reordered(order), sort, places)
        league_groups = self._league_groups(sort, order, rows, count)
        everything = range(count)
        breakdowns = {key: Breakdown(key, title, self._summaries(f"breakdown:{key}", count))
                      for key, title, _ in BREAKDOWNS}
        fences = {g.name: f for g in breakdowns["sector"].groups
                  if g.name != NOT_RECORDED and (f := _fence(g.overall)) is not None}
        gaps = _top(self._not_met, top_gaps)
        sector_gaps = {sector: _top(counts, top_gaps)
                       for sector, (_, counts) in self._sector_gaps.items()}
        # Who has each common gap: numbers into a compact store of names, not a list of
        # names per gap (issue 14: a row's name was held once and listed up to 20 times).
        names = Names()
        who: dict[int, array[int]] = {i: array("i") for i, _ in gaps}
        sector_who: dict[str, dict[int, array[int]]] = {
            sector: {i: array("i") for i, _ in top} for sector, top in sector_gaps.items()}
        doubled = {"ods_code": repeated(self._ods_hashes[:count]),
                   "organisation": repeated(self._name_hashes[:count])}
        dup_files: dict[str, dict[str, array[int]]] = {"ods_code": {}, "organisation": {}}
        written: dict[str, str] = {}  # an organisation name as its first file writes it
        files = Names()
        outliers = _OutlierSpill(self._spill)
        not_met = _NOT_MET
        # One pass in report order, as the reductions went before rows were spilled.
        for p, row in enumerate(rows):
            failing = {i for i, code in enumerate(row.status_codes) if code == not_met}
            name = -1  # its number in `names`, once it has a gap listed
            for sectors in (who, *(sector_who[sector]
                                   for sector in row.sectors or (NOT_RECORDED,))):
                for i, listed in sectors.items():
                    if i in failing:
                        if name < 0:
                            name = names.add(row.organisation or row.file)
                        listed.append(name)
            n = order[p]
            for key, get, hashes in (("ods_code", _ods, self._ods_hashes),
                                     ("organisation", _name, self._name_hashes)):
                if hashes[n] in doubled[key]:
                    value = get(row)
                    if value:
                        same = dup_files[key].get(value)
                        if same is None:
                            same = dup_files[key][value] = array("i")
                            if key == "organisation":
                                written[value] = row.organisation or ""
                        same.append(files.add(row.file))
            found = _outlier(row, q, fences)
            if found is not None:
                outliers.add(found)
        duplicates = tuple(Duplicate(key, value, files.sorted(fs),
                                     written.get(value, "") if key == "organisation" else "")
                           for key in ("ods_code", "organisation")
                           for value, fs in sorted(dup_files[key].items()) if len(fs) > 1)
        # Rows arrive in input order from the batch: then no list of every row's number.
        index = self._index[:count]
        # Kept, compactly, until a report reads the collaborative view (Deferred).
        by_index: Iterable[int] = (everything if all(a < b for a, b in pairwise(index))
                                   else array("q", sorted(everything, key=index.__getitem__)))
        del index
        return BatchResult(
            questionnaire_id=q.id, questionnaire_version=q.version, category_ids=cat_ids,
            category_titles=q.category_titles, criterion_ids=q.criterion_ids,
            rows=rows, errors=tuple(sorted(self.errors, key=lambda r: r.index)),
            search_problems=tuple(search_problems),
            overall=self._distribution(everything, 0),
            categories={cid: self._distribution(everything, self._category_at[cid])
                        for cid in cat_ids},
            # The sector and governance-model breakdowns, under their older names.
            by_sector=breakdowns["sector"].groups,
            by_model=breakdowns["governance_model"].groups,
            common_gaps=_gap_list(gaps, who, count, q, names),
            duplicates=duplicates, complete=complete, sort=sort, catalogue=q,
            breakdowns=tuple(breakdowns.values()),
            gaps_by_sector=tuple(
                SectorGaps(sector, checked[0], _gap_list(sector_gaps[sector],
                                                         sector_who[sector], checked[0], q,
                                                         names))
                for sector, (checked, _) in sorted(self._sector_gaps.items(),
                                                   key=lambda item: group_order(item[0]))),
            outliers=outliers.finish(),
            collaboratives=Deferred(lambda: spilled_collaboratives(
                arrived.reordered(by_index), cat_ids, self._spill, self.errors)),
            league_groups=league_groups)

    def _league_groups(self, sort: str, order: array[int], rows: Sequence[Row], count: int
                       ) -> tuple[LeagueGroup, ...]:
        """Under a --sort by a breakdown, each group with every trust in it: the rows are
        one per trust, placed under their first group; a grouped view lists a trust under
        each of its groups, as the breakdowns count it. Positions only (8 bytes a member)."""
        empty = next((e for key, _, e in BREAKDOWNS if key == sort), None)
        if empty is None or not count:
            return ()
        where = array("q", bytes(8 * count))  # each arrival's place in the report order
        for p, n in enumerate(order):
            where[n] = p
        league = array("q", bytes(8 * count))  # each place's position in the whole league
        for i, p in enumerate(sorted_positions(rows, sort_key("score"), rows.__getitem__)):
            league[p] = i
        members = self._groupings[f"breakdown:{sort}"].members
        found = []
        # By name, as the rows are grouped (sort_key); the group recording none last.
        for name in sorted(members, key=group_order):
            kept = [n for n in members[name] if n < count]
            if kept:
                found.append(LeagueGroup(sort, name, self._distribution(kept, 0), array(
                    "q", sorted((where[n] for n in kept), key=league.__getitem__))))
        return tuple(found)


_NOT_MET = STATUSES.index("not_met")


def _ods(row: Row) -> str:
    return (row.ods_code or "").strip().upper()


def _name(row: Row) -> str:
    return " ".join((row.organisation or "").lower().split())


def repeated(hashes: Sequence[int]) -> set[int]:
    """The values (hashes) that occur more than once, holding only a run of them as Python
    ints at a time: each run is sorted into an array, then the runs are merged. Sorting them
    all at once held 40 bytes an item more: a megabyte and more per 40,000 (issue 14)."""
    runs = [array("q", sorted(hashes[i:i + _RUN])) for i in range(0, len(hashes), _RUN)]
    found: set[int] = set()
    previous: int | None = None
    for h in heapq.merge(*runs):
        if h == previous:
            found.add(h)
        previous = h
    return found


def _top(counts: Counter[int], top: int) -> list[tuple[int, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def _gap_list(ranked: list[tuple[int, int]], who: dict[int, array[int]], checked: int,
              q: Catalogue, names: Names) -> tuple[CommonGap, ...]:
    return tuple(CommonGap(q.criterion_ids[i], q.criterion_titles[i], n, names.sorted(who[i]),
                           round(100 * n / checked, 1))
                 for i, n in ranked)


class Names(Sequence[str]):
    """Strings kept as one run of UTF-8 and their offsets; a selection of them (`sorted`)
    is a sequence that reads them from here as asked for. The common gaps list every
    organisation with the gap: 10 gaps, and 10 more per sector, over 40,000 rows."""

    __slots__ = ("_data", "_ends")

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends: array[int] = array("q")

    def add(self, text: str) -> int:
        """The text's number here. surrogatepass: a name from a file, or a file's name,
        may hold any code point, and comes back as it went in."""
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))
        return len(self._ends) - 1

    def __len__(self) -> int:
        return len(self._ends)

    @typing.overload
    def __getitem__(self, i: int) -> str: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        start = self._ends[i - 1] if i else 0
        return self._data[start:self._ends[i]].decode("utf-8", "surrogatepass")

    def sorted(self, numbers: array[int]) -> Sequence[str]:
        """The texts of these numbers, in alphabetical order (as `sorted` orders strings)."""
        return Selection(self, array("i", sorted(numbers, key=self.__getitem__)))


class Selection(Sequence[str]):
    """Some of a `Names`, in a given order: a tuple of strings that reads them as asked."""

    __slots__ = ("_names", "_numbers", "_transform")

    def __init__(self, names: Names, numbers: array[int],
                 transform: Callable[[str], str] | None = None) -> None:
        self._names, self._numbers = names, numbers
        # Applied to each string as it is read (a format's cleaning: sanitise.deep).
        self._transform = transform

    def mapped(self, transform: Callable[[str], str]) -> Selection:
        """The same selection with `transform` applied to each string as it is read."""
        return Selection(self._names, self._numbers, _then(self._transform, transform))

    def _get(self, n: int) -> str:
        text = self._names[n]
        return text if self._transform is None else self._transform(text)

    def __len__(self) -> int:
        return len(self._numbers)

    @typing.overload
    def __getitem__(self, i: int) -> str: ...
    @typing.overload
    def __getitem__(self, i: slice) -> tuple[str, ...]: ...

    def __getitem__(self, i: int | slice) -> str | tuple[str, ...]:
        if isinstance(i, slice):
            return tuple(self._get(n) for n in self._numbers[i])
        return self._get(self._numbers[i])

    def __iter__(self) -> Iterator[str]:
        return (self._get(n) for n in self._numbers)

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of equal strings, in order, as the tuple it stands for."""
        if not isinstance(other, Selection | tuple | list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                        strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal by content, yet not immutable

    def __repr__(self) -> str:
        return repr(tuple(self))


# How many sort keys are held at once (`sorted_positions`): 4,096 keys of ~350 bytes.
_RUN = 4096


def sorted_positions(items: Iterable[T], key: Callable[[T], Any],
                     reread: Callable[[int], T]) -> array[int]:
    """The positions of `items` in the order of (key(item), position), leaving out the
    items whose key is None: the order `sorted` gives, holding only a run of keys at a time.
    Each run is sorted as it fills and kept as positions; the runs are then merged, each
    contributing one key at a time, worked out again from its item (`reread(position)`).
    A sort of 40,000 rows held 40,000 keys (names, files) at once: ~14 MB (issue 14)."""
    runs: list[array[int]] = []
    part: list[tuple[Any, int]] = []

    def close() -> None:
        part.sort()
        runs.append(array("q", (n for _, n in part)))
        part.clear()

    for n, item in enumerate(items):
        k = key(item)
        if k is None:
            continue
        part.append((k, n))
        if len(part) == _RUN:
            close()
    if part or not runs:
        close()
    if len(runs) == 1:
        return runs[0]
    # The positions are distinct, so the merge is the one order a whole sort gives.
    merged = heapq.merge(*(((key(reread(n)), n) for n in run) for run in runs))
    return array("q", (n for _, n in merged))


class _OutlierSpill:
    """Outliers spilled as they are found; sorted at the end by what orders them."""

    def __init__(self, spill: Spill) -> None:
        self.spill = spill
        self.at: array[int] = array("q")
        self.length: array[int] = array("q")

    def add(self, outlier: Outlier) -> None:
        at, length = self.spill.put(outlier)
        self.at.append(at)
        self.length.append(length)

    def finish(self) -> Sequence[Outlier]:
        if not self.at:
            return ()
        found: Spilled[Outlier] = Spilled(self.spill, self.at, self.length)
        # The number breaks ties: a stable sort of the rows' order.
        return Spilled(self.spill, self.at, self.length,
                       sorted_positions(found, outlier_order, found.__getitem__))


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


class _Places(Sequence[str | None]):
    """Each row's rank as `ranks` gives it, read from the spilled rows' array as asked for:
    a list of 40,000 strings was a megabyte and a half more at the end of a batch."""

    __slots__ = ("_places",)

    def __init__(self, places: array[int]) -> None:
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    @typing.overload
    def __getitem__(self, i: int) -> str | None: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[str | None]: ...

    def __getitem__(self, i: int | slice) -> str | list[str | None] | None:
        if isinstance(i, slice):
            return [str(p) if p else None for p in self._places[i]]
        p = self._places[i]
        return str(p) if p else None

    def __iter__(self) -> Iterator[str | None]:
        return (str(p) if p else None for p in self._places)


def grouped_rows(batch: BatchResult) -> Iterator[tuple[LeagueGroup, int, Row]]:
    """Under a --sort by a breakdown, each group and each trust in it, in league order: a
    trust in several groups under each (see BatchResult.league_groups). Each item is the
    group, the trust's place in batch.rows (its rank is `ranks(...)[place]`), and its row."""
    rows = batch.rows
    for group in batch.league_groups:
        for p in group.positions:
            yield group, p, rows[p]


def first_group(group: LeagueGroup, row: Row) -> bool:
    """Whether `group` is the first the row is listed under (the one its file names first):
    where a grouped view counts it, links to it and gives it its anchor."""
    keys = breakdown_keys(row, group.key)
    return (keys[0] if keys else "") == (group.name if keys else "")


def ranks(rows: Iterable[Row], sort: str) -> Sequence[str | None]:
    """Each row's place in the league, in the rows' order; None for a row not ranked
    (rated insufficient evidence or inconclusive). In a league order it is the row's position
    among the ranked; grouped or worst first, it is still its place in the overall league,
    so a rank means the same whatever the order shown."""
    if isinstance(rows, SpilledRows) and rows.sort == sort:  # worked out as it was spilled
        return _Places(rows.places)
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


def _fence(d: Distribution) -> tuple[float, float] | None:
    """A sector's median and lower fence (its lower quartile less OUTLIER_FENCE_IQRS
    interquartile ranges), from the scores the sector breakdown counts (those rated green,
    amber or red), where there are at least OUTLIER_MIN_GROUP of them. The fence is rounded
    as the quartiles are, so the sentence that quotes it is true of the comparison made."""
    if d.n >= OUTLIER_MIN_GROUP and d.q1 is not None and d.q3 is not None \
            and d.median is not None:
        return (d.median, round(d.q1 - OUTLIER_FENCE_IQRS * (d.q3 - d.q1), 1))
    return None


def _outlier(row: Row, q: Catalogue, fences: dict[str, tuple[float, float]]
             ) -> Outlier | None:
    """The row as an outlier, if it is one: it states a critical criterion failing, is a thin
    submission, or scores far below its sector's median (the one definition every batch
    format shows)."""
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
        rated = row.overall_rating != "insufficient_evidence"
        reasons.append(OutlierReason("thin_submission", (
            f"thin submission: evidences {coverage:g}% of the questionnaire, under the "
            f"{q.coverage_minimum:g}% needed for a rating"
            # Rated all the same: what it states failing is not hidden by its silence, and
            # two red questions make the whole red however little else is evidenced.
            + (("; rated on the failures it states" if row.critical_gaps
                else f"; rated {row.overall_explanation}") if rated else "")
            if under and coverage is not None
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
    if not reasons:
        return None
    return Outlier(row.index, row.file, row.organisation or row.file, row.ods_code,
                   row.sectors, score, row.overall_rating, coverage, tuple(reasons),
                   row.critical_gaps, thin, below)
