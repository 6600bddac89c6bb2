"""Words every format shares for the verdict: ratings, coverage, exclusions, placeholders.

One place for the phrasing, so a rating, a coverage figure or a placeholder reads the same in
the terminal, in CI and in the board paper. Plain strings only: each format escapes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from boardcheck.result import (
    RATING_LABELS,
    STATUS_LABELS,
    CriterionResult,
    Exclusion,
    Placeholder,
)

if TYPE_CHECKING:  # a batch's row: the one-file formats need not import the summary
    from boardcheck.summary import BatchResult, Duplicate, LeagueGroup, Row

# Criteria reported as gaps: the file states a failing value, or says nothing at all.
GAP_STATUSES = ("not_met", "partly_met", "not_evidenced")
# Ratings that rank: the others (too little evidenced, nothing applies) are listed apart.
RANKED_RATINGS = ("green", "amber", "red")
PLACEHOLDER_LEAD = "template placeholder left in the file, not counted as evidence"
_RATING_WORDS: dict[str, str] = {str(k): v for k, v in RATING_LABELS.items()}


def rating_label(rating: str | None) -> str:
    """The rating in words, lower case: "insufficient evidence", never an identifier."""
    if rating is None:
        return _RATING_WORDS["inconclusive"]
    return _RATING_WORDS.get(rating, rating.replace("_", " "))


def rating_upper(rating: str | None) -> str:
    return rating_label(rating).upper()


def rating_reason(rating: str, explanation: str) -> str | None:
    """Why the rating is what it is, beyond the rating word itself; None for a plain rating.

    The engine's explanation starts with the rating's words ("red: capped by PI12 ..."):
    this is the part after them, for formats that print the rating in their own style."""
    label = rating_label(rating)
    if not explanation or explanation == label:
        return None
    prefix = f"{label}: "
    return explanation[len(prefix):] if explanation.startswith(prefix) else explanation


def explanation_text(rating: str, explanation: str) -> str:
    """The explanation, or the rating's words where the result carries none."""
    return explanation or rating_label(rating)


def coverage_number(coverage: float | None) -> str:
    """Coverage as a percentage to one place, as scores are: "84.0%"; "—" if not measured."""
    return "—" if coverage is None else f"{coverage:.1f}%"


def coverage_words(coverage: float | None) -> str:
    """Coverage as a phrase to stand beside a score."""
    if coverage is None:
        return "nothing to evidence"
    return f"{coverage_number(coverage)} evidenced"


def status_words(c: CriterionResult) -> str:
    """The status as words; a gap that rests only on silence says so."""
    label = STATUS_LABELS[c.status]
    if c.status in ("not_met", "partly_met") and not c.evidenced:
        label += ", not evidenced"
    return label


def exclusion_text(x: Exclusion) -> str:
    """One arrangement (or the whole trust) left out of a criterion, and why."""
    if x.declared:
        to = f" for {x.arrangement}" if x.arrangement else ""
        return f"declared not applicable{to}: {x.reason}"
    to = f" to {x.arrangement}" if x.arrangement else ""
    return f"not applicable{to}: {x.reason}"


def exclusions_text(c: CriterionResult) -> str:
    return "; ".join(exclusion_text(x) for x in c.exclusions)


def challenged_text(c: CriterionResult) -> str | None:
    """A declaration of "not applicable" the file's own facts contradict, as a finding."""
    if not c.challenged:
        return None
    return f"declaration of not applicable challenged: {c.challenged}"


def placeholder_text(p: Placeholder, *, line: bool = True) -> str:
    where = f"{p.path} (line {p.line})" if line else p.path
    return f"{PLACEHOLDER_LEAD}: {where}: {p.value}"


def placeholder_plain(p: Placeholder) -> str:
    """For a board paper's body: what was left in, without paths or line numbers."""
    return f"the example value \u201c{p.value}\u201d from the template is still in the file"


def is_ranked(rating: str | None) -> bool:
    return rating in RANKED_RATINGS


def verdict_message(scope: str, score: float | None, rating: str, explanation: str,
                    coverage: float | None) -> str:
    """One line for a verdict: "Overall: 75.7 / 100, amber: capped by ..., 84.4% evidenced"."""
    shown = "no score" if score is None else f"{score:.1f} / 100"
    return f"{scope}: {shown}, {explanation_text(rating, explanation)}, {coverage_words(coverage)}"


def declared_text(c: CriterionResult) -> str | None:
    """The trust's own declarations for a criterion judged elsewhere ("in part")."""
    declared = [exclusion_text(x) for x in c.exclusions if x.declared]
    return "; ".join(declared) if declared else None


def by_title(title: str) -> str:
    """A breakdown's title after "By": "sector", but "NHS England region" and "ICB"."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def sort_words(sort: str, category_ids: Sequence[str] = (),
               category_titles: Sequence[str] = ()) -> str:
    """What a batch's rows are sorted by (`--sort`), in the words a person reads: a board
    question's title rather than its id, a breakdown's title rather than its key. One
    phrasing for the terminal, the HTML page and the workbook; JSON and CSV keep the key."""
    from boardcheck.summary import BREAKDOWNS, WORST

    if sort == WORST:
        return "overall score, worst first"
    if sort == "score":
        return "overall score"
    if sort == "name":
        return "organisation name"
    title = next((t for key, t, _ in BREAKDOWNS if key == sort), None)
    if title is not None:
        return f"{by_title(title)}, then overall score"
    titles = dict(zip(category_ids, category_titles, strict=True))
    return f"{titles.get(sort, sort.replace('_', ' '))} score"


def group_label(key: str, value: str) -> str:
    """A breakdown group as a label a person reads in a table, a heading or a filter:
    sentence case (Acute, Mental health, Advisory forum, NHS foundation trust, North West);
    an ICB as the file writes it. JSON and CSV keep the data's value (and `group_words`)."""
    from boardcheck.summary import group_words

    words = group_words(key, value)
    if key == "icb":
        return words
    return words[:1].upper() + words[1:]


def group_labels(key: str, values: Iterable[str]) -> str:
    """Several groups of one breakdown (a trust's sectors), as labels: "Acute, Community"."""
    return ", ".join(group_label(key, v) for v in values)


# A group's word in "Rank in region", "# the rank within the trust's ICB".
RANK_GROUP_WORDS = {"region": "region", "icb": "ICB", "sector": "sector",
                    "legal_form": "legal form", "governance_model": "governance model"}


def rank_heading(sort: str) -> str:
    """The rank column's heading: "Rank" (a place in the league), or under a --sort by a
    breakdown "Rank in region": grouped, a row's rank is its place within its group."""
    group = RANK_GROUP_WORDS.get(sort)
    return "Rank" if group is None else f"Rank in {group}"


def rank_key(sort: str) -> str | None:
    """What a rank means, in a sentence for a report's key; None in a league order, where
    a rank is the trust's place in the league as everywhere else."""
    group = RANK_GROUP_WORDS.get(sort)
    if group is None:
        return None
    several = ("; a trust in several appears under each, ranked within each"
               if sort in ("icb", "sector", "governance_model") else "")
    return f"# is each trust's rank within its {group} (by overall score{several})"


def ranked_rows(rows: Iterable[Row], sort: str) -> Iterator[tuple[str | None, Row]]:
    """Each row with its rank as a report shows it, in the rows' order: its place in the
    league (`summary.ranks`), or under a --sort by a breakdown its place within the group it
    is listed under first (the first its file names), counting only the
    ranked rows; None for a row not ranked. One pass over the rows, which a batch reads
    back from disk: the ranks within groups are counted as they go by."""
    from boardcheck.summary import breakdown_keys, is_ranked, ranks

    if sort not in RANK_GROUP_WORDS:
        yield from zip(ranks(rows, sort), rows, strict=True)
        return
    group: str | None = None
    place = 0
    for row in rows:
        keys = breakdown_keys(row, sort)
        here = keys[0] if keys else ""
        if here != group:
            group, place = here, 0
        if is_ranked(row, sort):
            place += 1
            yield str(place), row
        else:
            yield None, row


def listed_rows(batch: BatchResult
                ) -> Iterator[tuple[LeagueGroup | None, str | None, Row, bool]]:
    """The rows as a grouped view lists them: under a --sort by a breakdown, each group
    (`BatchResult.league_groups`) and every trust in it, a trust in several groups under
    each as the breakdowns count it, ranked within each group (counting only the ranked
    rows); else each row once with `ranked_rows`' rank. Each item: the group (None
    ungrouped), the rank shown, the row, and whether this is the row's first listing (where
    a view counts it once and anchors it)."""
    from boardcheck.summary import first_group, grouped_rows, is_ranked

    if not batch.league_groups:
        for place, row in ranked_rows(batch.rows, batch.sort):
            yield None, place, row, True
        return
    current: LeagueGroup | None = None
    count = 0
    for group, _, row in grouped_rows(batch):
        if group is not current:
            current, count = group, 0
        shown = None
        if is_ranked(row, batch.sort):
            count += 1
            shown = str(count)
        yield group, shown, row, first_group(group, row)


# What two files share that makes them possible duplicates (summary.Duplicate.key), in words.
DUPLICATE_KEYS = {"ods_code": "ODS code", "organisation": "Organisation name"}
DUPLICATES_TITLE = "Possible duplicate submissions"
DUPLICATES_INTRO = ("Files that share an ODS code or an organisation name: the same trust "
                    "submitted twice, or a file with another trust's code or name.")
NO_DUPLICATES = "None found: no two files share an ODS code or an organisation name."


def duplicate_key(dup: Duplicate) -> str:
    return DUPLICATE_KEYS.get(dup.key, dup.key)


def duplicate_value(dup: Duplicate) -> str:
    """A possible duplicate's shared value as a reader is shown it: an organisation name as
    its first file writes it, not the lower case it is matched in."""
    return dup.written or dup.value


def joined(values: Iterable[str], separator: str = ";") -> str:
    """Several values in one table cell (a trust's ICBs, sectors, governance models), joined
    by `separator` (";", or "; " for a person's eye), so that the values can be had back
    exactly: a value holding ";" (or beginning with a double quote, or with space at either
    end, or empty, or holding a line break) is put in double quotes, each double quote in
    it doubled. That is the rule a CSV file follows for a cell holding its comma (RFC 4180),
    so any CSV reader told ";" splits the cell (Python: `csv.reader([cell], delimiter=";",
    skipinitialspace=True)`), and a person still reads it. Any other value is written as it
    is, so a cell of such values is the same as before the rule: "NHS Fen ICB;NHS Brook ICB"
    is two ICBs, "\"NHS Fen; Brook ICB\"" one."""
    return separator.join(_quoted(v) for v in values)


_QUOTE_WHEN = re.compile(r';|\A"|\A\s|\s\Z|\A\Z|[\r\n]')


def _quoted(value: str) -> str:
    if _QUOTE_WHEN.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value
