"""CSV: one row per submission, for spreadsheets. Files that failed carry an error column.

Columns: the file and organisation, `ods_code`, `sectors` and `governance_models` (several
joined with `;`); `region` (NHS England region), `icbs` (`;`-joined), `legal_form`, `as_of` (the
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
"""

from __future__ import annotations

import csv
import io
from itertools import chain
from typing import TextIO

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import csv_cell
from boardcheck.summary import BatchResult, Catalogue, Row


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
    cells = [row.file, row.organisation or "", row.ods_code or "", ";".join(row.sectors),
             ";".join(row.governance_models), row.region or "", ";".join(row.icbs),
             row.legal_form or "", row.as_of or "", str(row.arrangements),
             str(row.critical_gaps), str(row.critical_not_evidenced), _score(row.overall_score),
             row.overall_rating or "", _score(row.overall_coverage), row.overall_explanation]
    for cat in row.categories:
        cells += [_score(cat.score), cat.rating, _score(cat.coverage)]
    paper = [row.paper or ""] if papers else []
    return [*cells, *row.statuses, *paper, " | ".join(row.threshold_failures), ""]


def write_csv(out: TextIO, batch: BatchResult, *, excel: bool = False,
              papers: bool = False) -> None:
    # RFC 4180 line ends: with them the writer quotes a field holding a lone CR too.
    writer = csv.writer(out, lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow(header(batch, papers=papers))
    if excel:
        writer.writerow([csv_cell(title) for _, title in columns(batch, papers=papers)])
    for row in chain(batch.rows, batch.errors):  # one row at a time: rows may be spilled
        writer.writerow([csv_cell(c) for c in row_cells(batch, row, papers=papers)])


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
