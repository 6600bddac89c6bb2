"""CSV: one row per submission, for spreadsheets. Files that failed carry an error column.

Columns: the file and organisation; `overall_score`, `overall_rating` (an identifier:
green, amber, red, insufficient_evidence, inconclusive), `overall_evidence_coverage` (0-100,
the share of the applicable weight the file evidences) and `overall_explanation` (the
rating in words, with why it was capped or not rated); then per board question
`<id>_score`, `<id>_rating`, `<id>_evidence_coverage`; then one status per criterion,
`thresholds_failed` and `error`. Rows are ranked (green, amber, red) first; rows rated
insufficient evidence or inconclusive follow them.
"""

from __future__ import annotations

import csv
import io
from typing import TextIO

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import csv_cell
from boardcheck.summary import BatchResult, Catalogue, Row


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def header(batch: BatchResult) -> list[str]:
    cols = ["file", "organisation", "ods_code", "sectors", "governance_models",
            "overall_score", "overall_rating", "overall_evidence_coverage",
            "overall_explanation"]
    for cid in batch.category_ids:
        cols += [f"{cid}_score", f"{cid}_rating", f"{cid}_evidence_coverage"]
    return [*cols, *batch.criterion_ids, "thresholds_failed", "error"]


def row_cells(batch: BatchResult, row: Row) -> list[str]:
    if not row.ok:
        blanks = len(header(batch)) - 2
        return [row.file, *[""] * blanks, " | ".join(str(p) for p in row.problems)]
    cells = [row.file, row.organisation or "", row.ods_code or "", ";".join(row.sectors),
             ";".join(row.governance_models), _score(row.overall_score),
             row.overall_rating or "", _score(row.overall_coverage), row.overall_explanation]
    for cat in row.categories:
        cells += [_score(cat.score), cat.rating, _score(cat.coverage)]
    return [*cells, *row.statuses, " | ".join(row.threshold_failures), ""]


def write_csv(out: TextIO, batch: BatchResult) -> None:
    # RFC 4180 line ends: with them the writer quotes a field holding a lone CR too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(batch))
    for row in (*batch.rows, *batch.errors):
        writer.writerow([csv_cell(c) for c in row_cells(batch, row)])


class CsvBatchWriter:
    """Rows keep the --sort order, so they are written once the batch is done, a line at a
    time from the compact rows the summary keeps: the document is never held whole."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out

    def add(self, row: Row) -> None:
        return None

    def finish(self, batch: BatchResult) -> None:
        write_csv(self.out, batch)


WRITER = CsvBatchWriter


class CsvBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        buffer = io.StringIO()
        write_csv(buffer, batch)
        return buffer.getvalue()


BATCH = CsvBatchFormat()
