"""CSV: one row per submission, for spreadsheets. Files that failed carry an error column.

Columns: the file and organisation, `ods_code`, `sectors` and `governance_models` (several
joined with `;`); `region` (NHS England region), `icbs` (`;`-joined: an ICB whose name holds
`;` is written in double quotes, each `"` in it doubled, as a CSV cell holding a comma is, so
`"NHS Fen; Brook ICB";NHS Lea ICB` is two ICBs; `wording.joined`), `legal_form`, `as_of` (the
date the file was judged at), `arrangements` (how many), `critical_gaps` (critical criteria
the file states not met or partly met) and `critical_not_evidenced` (critical criteria it is
silent on: a different thing, never added to the gaps); `overall_score`, `overall_rating`
(an identifier: green, amber, red, insufficient_evidence, inconclusive),
`overall_evidence_coverage` (0-100, the share of the applicable weight the file evidences)
and `overall_explanation` (the rating in words, with why it was capped or not rated); then
per board question `<id>_score`, `<id>_rating`, `<id>_evidence_coverage`; then one status
per criterion; `paper` (only with `--papers`: where the trust's board paper was written,
relative to the CSV's folder), `thresholds_failed` and `error`. Rows are ranked (green,
amber, red) first; rows rated insufficient evidence or inconclusive follow them.

The default output is for programs: one header row of identifiers, UTF-8 without a
byte-order mark, the same bytes every run. With `--excel` (or `excel = true` in the
configuration) it is for a spreadsheet: a byte-order mark, so that Excel on Windows reads the
UTF-8 ("Glan-y-Môr –" stays as written), and a second header row giving each column's title
in words (the criterion titles for the criterion columns). That row is the CSV's data
dictionary; `-f xlsx` gives a fuller one on a sheet of its own. Every cell, titles included,
passes through `csv_cell`, so no text from a file or questionnaire is run as a formula.

The breakdowns (`check --breakdowns FILE`, written beside the table of trusts in the same run)
are a second, "tidy" table: one row per group and question. First the whole batch (`All
trusts`), then each breakdown in turn (NHS England region, ICB, sector, legal form,
governance model), each group named in words (`group`) and by the identifier the table of
trusts carries (`group_id`, to look a trust's group up by: empty for the trusts recording
none, which come last, as their cell in the table of trusts is empty), and for each the whole
(`question` Overall) and each board question: the trusts in the group, how many are rated
green, amber, red, insufficient evidence and inconclusive and each as a share (0-100, one
decimal, as JSON and the workbook give them), how many are scored (insufficient evidence
and inconclusive are left out of the quartiles), and the lower quartile (P25), median (P50),
upper quartile (P75) and mean of those scores. A trust in two ICBs or sectors counts in each.
`--excel` gives it the same byte-order mark and row of titles as the table of trusts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain
from typing import Any, TextIO

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import csv_cell
from boardcheck.formats.wording import joined
from boardcheck.summary import (
    RATINGS,
    BatchResult,
    Catalogue,
    Distribution,
    Row,
    group_words,
)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


# The fixed columns before the per-question ones, each with its title in words.
LEAD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "File"),
    ("organisation", "Organisation"),
    ("ods_code", "ODS code"),
    ("sectors", "Sectors"),
    ("governance_models", "Governance models"),
    ("region", "NHS England region"),
    ("icbs", "ICBs"),
    ("legal_form", "Legal form"),
    ("as_of", "Judged as of"),
    ("arrangements", "Arrangements"),
    ("critical_gaps", "Critical criteria stated not met or partly met"),
    ("critical_not_evidenced", "Critical criteria not evidenced"),
    ("overall_score", "Overall score (0-100)"),
    ("overall_rating", "Overall rating"),
    ("overall_evidence_coverage", "Overall share evidenced (%)"),
    ("overall_explanation", "Overall rating explained"),
)
TAIL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("thresholds_failed", "Thresholds failed"),
    ("error", "Could not be evaluated because"),
)


# Only with --papers, before the tail: where the trust's paper was written.
PAPER_COLUMN = ("paper", "Board paper (where it was written)")


def columns(batch: BatchResult, *, papers: bool = False) -> list[tuple[str, str]]:
    """Every column: its identifier (the header) and its title in words (the dictionary)."""
    cols = list(LEAD_COLUMNS)
    for cid, title in zip(batch.category_ids, batch.category_titles, strict=True):
        cols += [(f"{cid}_score", f"{title}: score"), (f"{cid}_rating", f"{title}: rating"),
                 (f"{cid}_evidence_coverage", f"{title}: share evidenced (%)")]
    titles = batch.catalogue.criterion_titles if batch.catalogue else ()
    if len(titles) != len(batch.criterion_ids):
        titles = batch.criterion_ids
    cols += [(cid, f"{cid} {title}" if title != cid else cid)
             for cid, title in zip(batch.criterion_ids, titles, strict=True)]
    return [*cols, *([PAPER_COLUMN] if papers else []), *TAIL_COLUMNS]


def header(batch: BatchResult, *, papers: bool = False) -> list[str]:
    return [name for name, _ in columns(batch, papers=papers)]


def row_cells(batch: BatchResult, row: Row, *, papers: bool = False) -> list[str]:
    if not row.ok:
        blanks = len(header(batch, papers=papers)) - 2
        return [row.file, *[""] * blanks, " | ".join(str(p) for p in row.problems)]
    cells = [row.file, row.organisation or "", row.ods_code or "", joined(row.sectors),
             joined(row.governance_models), row.region or "", joined(row.icbs),
             row.legal_form or "", row.as_of or "", str(row.arrangements),
             str(row.critical_gaps), str(row.critical_not_evidenced), _score(row.overall_score),
             row.overall_rating or "", _score(row.overall_coverage), row.overall_explanation]
    for cat in row.categories:
        cells += [_score(cat.score), cat.rating, _score(cat.coverage)]
    paper = [row.paper or ""] if papers else []
    return [*cells, *row.statuses, *paper, " | ".join(row.threshold_failures), ""]


def _start(out: TextIO, cols: list[tuple[str, str]], *, excel: bool) -> Any:
    """A CSV writer on `out`, the header written: identifiers, and under --excel a byte-order
    mark before them and the titles in words below them."""
    # RFC 4180 line ends: with them the writer quotes a field holding a lone CR too.
    writer = csv.writer(out, lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow([name for name, _ in cols])
    if excel:
        writer.writerow([csv_cell(title) for _, title in cols])
    return writer


def write_csv(out: TextIO, batch: BatchResult, *, excel: bool = False,
              papers: bool = False) -> None:
    writer = _start(out, columns(batch, papers=papers), excel=excel)
    for row in chain(batch.rows, batch.errors):  # one row at a time: rows may be spilled
        writer.writerow([csv_cell(c) for c in row_cells(batch, row, papers=papers)])


# --- the breakdowns: one row per group and question ------------------------------------

ALL_TRUSTS = ("all", "All trusts")
OVERALL = ("overall", "Overall")
_SHARE_WORDS = {"green": "green", "amber": "amber", "red": "red",
                "insufficient_evidence": "insufficient evidence",
                "inconclusive": "inconclusive"}
BREAKDOWN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("breakdown", "Breakdown"),
    ("breakdown_id", "Breakdown id (as --sort takes it)"),
    ("group", "Group"),
    ("group_id", "Group id (as the table of trusts writes it)"),
    ("question", "Board question"),
    ("question_id", "Board question id"),
    ("trusts", "Trusts in the group"),
    *((r, f"Trusts rated {words}") for r, words in _SHARE_WORDS.items()),
    *((f"{r}_share", f"Share rated {words} (%)") for r, words in _SHARE_WORDS.items()),
    ("scored", "Trusts scored (rated green, amber or red)"),
    ("lower_quartile", "Lower quartile of the scores (P25)"),
    ("median", "Median score (P50)"),
    ("upper_quartile", "Upper quartile of the scores (P75)"),
    ("mean", "Mean score"),
)


def _distribution_cells(d: Distribution) -> list[str]:
    shares = d.shares()
    return [str(d.rated), *(str(d.ratings[r]) for r in RATINGS),
            *(_score(shares[r]) for r in RATINGS), str(d.n), _score(d.q1),
            _score(d.median), _score(d.q3), _score(d.mean)]


def breakdown_rows(batch: BatchResult) -> Iterator[list[str]]:
    """Every row of the breakdowns table, uncleaned: the whole batch first, then each
    breakdown's groups in the order every report shows them."""
    questions = [OVERALL, *zip(batch.category_ids, batch.category_titles, strict=True)]
    key, words = ALL_TRUSTS
    sections: list[tuple[str, str, str, str, Distribution, dict[str, Distribution]]] = [
        (words, key, words, "", batch.overall, batch.categories)]
    # The group of files that record nothing has no id (its name is NOT_RECORDED, empty):
    # the table of trusts leaves that cell empty, and a program looking a trust's group up
    # must find it by the same value.
    sections += [(b.title, b.key, group_words(b.key, g.name), g.name, g.overall,
                  g.categories)
                 for b in batch.breakdowns for g in b.groups]
    for title, key, label, group_id, overall, categories in sections:
        for qid, question in questions:
            d = overall if qid == OVERALL[0] else categories.get(qid)
            if d is not None:
                yield [title, key, label, group_id, question, qid, *_distribution_cells(d)]


def write_breakdowns(out: TextIO, batch: BatchResult, *, excel: bool = False) -> None:
    writer = _start(out, list(BREAKDOWN_COLUMNS), excel=excel)
    for cells in breakdown_rows(batch):
        writer.writerow([csv_cell(c) for c in cells])


class CsvBatchWriter:
    """Rows keep the --sort order, so they are written once the batch is done, a line at a
    time from the compact rows the summary keeps: the document is never held whole."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str,
                 options: RenderOptions | None = None) -> None:
        self.out = out
        self.excel = options is not None and options.excel
        self.papers = options is not None and options.papers

    def add(self, row: Row) -> None:
        return None

    def finish(self, batch: BatchResult) -> None:
        write_csv(self.out, batch, excel=self.excel, papers=self.papers)


WRITER = CsvBatchWriter


class CsvBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        buffer = io.StringIO()
        write_csv(buffer, batch, excel=options.excel, papers=options.papers)
        return buffer.getvalue()


BATCH = CsvBatchFormat()


class CsvBreakdowns:
    """The breakdowns table (`--breakdowns FILE`): small, whatever the batch's size (a row
    per group and question), so rendered whole."""

    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        buffer = io.StringIO()
        write_breakdowns(buffer, batch, excel=options.excel)
        return buffer.getvalue()


BREAKDOWNS = CsvBreakdowns()
