"""CSV: one row per submission, for spreadsheets. Files that failed carry an error column."""

from __future__ import annotations

import csv
import io
from typing import TextIO

from boardcheck.formats.base import RenderOptions
from boardcheck.summary import BatchResult, Catalogue, Row


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def header(batch: BatchResult) -> list[str]:
    cols = ["file", "organisation", "ods_code", "sectors", "governance_models",
            "overall_score", "overall_rating"]
    for cid in batch.category_ids:
        cols += [f"{cid}_score", f"{cid}_rating"]
    return [*cols, *batch.criterion_ids, "thresholds_failed", "error"]


def row_cells(batch: BatchResult, row: Row) -> list[str]:
    if not row.ok:
        blanks = len(header(batch)) - 2
        return [row.file, *[""] * blanks, " | ".join(str(p) for p in row.problems)]
    cells = [row.file, row.organisation or "", row.ods_code or "", ";".join(row.sectors),
             ";".join(row.governance_models), _score(row.overall_score),
             row.overall_rating or ""]
    for cat in row.categories:
        cells += [_score(cat.score), cat.rating]
    return [*cells, *row.statuses, " | ".join(row.threshold_failures), ""]


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading = + - @ (or tab, CR) makes Excel
    and LibreOffice treat the cell as a formula, so such text gets a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(out: TextIO, batch: BatchResult) -> None:
    # RFC 4180 line ends: with them the writer quotes a field holding a lone CR too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(batch))
    for row in (*batch.rows, *batch.errors):
        writer.writerow([cell(c) for c in row_cells(batch, row)])


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
