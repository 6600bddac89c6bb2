"""The batch as an Excel workbook (`-f xlsx`, the xlsx extra: openpyxl), for spreadsheet users.

Sheets: `Summary` (the batch and each question's distribution), one sheet per breakdown
(region, ICB, sector, legal form, governance model: each group's shares of green, amber, red
and insufficient evidence with its quartiles), `Common gaps` (as shares, overall and by
sector), `Outliers`, `Trusts` (one row per trust: the per-criterion matrix, headed by the
criterion titles), `Errors` when a file could not be evaluated, and a `Data dictionary`
saying what every column means. Every table has its header row frozen and a filter on it;
rating and status cells are coloured and carry the words too, so nothing rests on colour.

Text from a file is never a formula: every string cell passes `xlsx_text` and is typed as
a string, whatever it starts with. The bytes are the same on every run: the package's
timestamps are fixed to the latest as-of date in the batch.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import xlsx_text
from boardcheck.formats.wording import rating_upper
from boardcheck.result import STATUS_LABELS
from boardcheck.summary import RATINGS, BatchResult, Distribution, ranks

try:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    HAVE_OPENPYXL = True
except ImportError:  # render_bytes says what to install
    HAVE_OPENPYXL = False

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MISSING = "xlsx output needs openpyxl: pip install 'boardcheck[xlsx]'"
# The light tints of the HTML and Word papers, dark text on top; the words are in the cell.
FILLS = {"green": "CCE6D4", "amber": "FFE9B3", "red": "F9D5D1",
         "insufficient_evidence": "DDE8F3", "inconclusive": "E8EDEE"}
STATUS_FILLS = {"met": "green", "partly_met": "amber", "not_met": "red",
                "not_evidenced": "insufficient_evidence", "not_applicable": "inconclusive",
                "waived": "inconclusive"}
SHARE_TITLES = {"green": "Green %", "amber": "Amber %", "red": "Red %",
                "insufficient_evidence": "Insufficient evidence %",
                "inconclusive": "Inconclusive %"}
# Every part of the package gets this timestamp when the batch has no as-of date.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
NAMES_IN_A_CELL = 50
# Each breakdown's sheet (a sheet's name is at most 31 characters).
SHEETS = {"region": "By region", "icb": "By ICB", "sector": "By sector",
          "legal_form": "By legal form", "governance_model": "By governance model"}


class _Book:
    """Builds the workbook; one per render."""

    def __init__(self, batch: BatchResult) -> None:
        self.batch = batch
        self.wb = Workbook()
        self.bold = Font(bold=True)
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
        self.wrap = Alignment(wrap_text=True, vertical="top")
        # Column meanings for the data dictionary: (sheet, header, meaning).
        self.dictionary: list[tuple[str, str, str]] = []

    # --- cells ---------------------------------------------------------------------------

    def put(self, ws: Worksheet, row: int, col: int, value: Any) -> None:
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = xlsx_text(value)
            # Typed as a string: openpyxl would otherwise take "=..." as a formula.
            cell.data_type = "s"
        elif isinstance(value, float):
            cell.value = value
            cell.number_format = "0.0"
        else:
            cell.value = value

    def rating(self, ws: Worksheet, row: int, col: int, rating: str | None) -> None:
        if rating is None:
            return
        self.put(ws, row, col, rating_upper(rating))
        ws.cell(row=row, column=col).fill = self.fills.get(rating, self.fills["inconclusive"])

    def status(self, ws: Worksheet, row: int, col: int, status: str) -> None:
        self.put(ws, row, col, STATUS_LABELS.get(status, status))  # type: ignore[call-overload]
        ws.cell(row=row, column=col).fill = self.fills[STATUS_FILLS.get(status,
                                                                        "inconclusive")]

    def table(self, ws: Worksheet, top: int, headers: Sequence[tuple[str, str]],
              rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()) -> int:
        """A table whose header is at row `top`: frozen, filtered, documented. Returns the
        next free row."""
        for col, (title, meaning) in enumerate(headers, 1):
            self.put(ws, top, col, title)
            ws.cell(row=top, column=col).font = self.bold
            ws.cell(row=top, column=col).alignment = self.wrap
            self.dictionary.append((ws.title, title, meaning))
        r = top
        for r, values in enumerate(rows, top + 1):
            for col, value in enumerate(values, 1):
                self.put(ws, r, col, value)
        last = get_column_letter(len(headers))
        ws.auto_filter.ref = f"A{top}:{last}{max(r, top)}"
        ws.freeze_panes = f"A{top + 1}"
        for col, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = w
        return r + 1

    # --- sheets --------------------------------------------------------------------------

    def summary(self) -> None:
        b = self.batch
        ws = self.wb.active
        assert ws is not None
        ws.title = "Summary"
        facts = [("Questionnaire", f"{b.questionnaire_id} {b.questionnaire_version}"),
                 ("Files", len(b.rows) + len(b.errors)), ("Checked", len(b.rows)),
                 ("Could not be evaluated", len(b.errors)), ("Sorted by", b.sort),
                 ("Complete", "yes" if b.complete else
                  "no: the run was interrupted; only the files listed were checked")]
        for r, (name, value) in enumerate(facts, 1):
            self.put(ws, r, 1, name)
            ws.cell(row=r, column=1).font = self.bold
            self.put(ws, r, 2, value)
        top = len(facts) + 2
        rows = [self._dist_cells(["All trusts", "Overall"], b.overall)]
        rows += [self._dist_cells(["All trusts", title], b.categories[cid])
                 for cid, title in zip(b.category_ids, b.category_titles, strict=True)]
        self.table(ws, top, [("Group", "The trusts the row describes."),
                             ("Question", "The board question, or Overall."),
                             *self._dist_headers()], rows, (14, 28))

    def _dist_headers(self) -> list[tuple[str, str]]:
        return [("Files", "Files checked in the group, whatever their rating."),
                *[(SHARE_TITLES[r], f"Share of the group's files rated "
                   f"{rating_upper(r).lower()}, 0-100.") for r in RATINGS],
                ("Scored", "Files whose score is rated (insufficient evidence and "
                 "inconclusive are left out of the quartiles)."),
                ("Lower quartile", "25th percentile of the rated scores (P25)."),
                ("Median", "Median of the rated scores (P50)."),
                ("Upper quartile", "75th percentile of the rated scores (P75)."),
                ("Mean", "Mean of the rated scores.")]

    @staticmethod
    def _dist_cells(lead: list[Any], d: Distribution) -> list[Any]:
        shares = d.shares()
        return [*lead, d.rated, *[shares[r] for r in RATINGS], d.n, d.q1, d.median, d.q3,
                d.mean]

    def breakdowns(self) -> None:
        b = self.batch
        for breakdown in b.breakdowns:
            ws = self.wb.create_sheet(SHEETS.get(breakdown.key, breakdown.key))
            rows: list[list[Any]] = []
            for g in breakdown.groups:
                rows.append(self._dist_cells([g.name, "Overall"], g.overall))
                rows += [self._dist_cells([g.name, title], g.categories[cid])
                         for cid, title in zip(b.category_ids, b.category_titles, strict=True)
                         if cid in g.categories]
            self.table(ws, 1, [(breakdown.title, f"The {breakdown.title} (a trust in several "
                                "counts in each)."),
                               ("Question", "The board question, or Overall."),
                               *self._dist_headers()], rows, (28, 28))

    def gaps(self) -> None:
        b = self.batch
        ws = self.wb.create_sheet("Common gaps")
        rows: list[list[Any]] = []
        for sector, checked, gaps in [("All trusts", len(b.rows), b.common_gaps),
                                      *((s.sector, s.checked, s.gaps)
                                        for s in b.gaps_by_sector)]:
            rows += [[sector, checked, g.criterion, g.title, g.not_met, g.share,
                      _names(g.organisations)] for g in gaps]
        self.table(ws, 1, [("Sector", "All trusts, or one sector."),
                           ("Checked", "Files checked in the group."),
                           ("Criterion", "The criterion id."), ("Title", "The criterion."),
                           ("Not met", "Files in the group that state it not met."),
                           ("Share %", "Not met as a share of the files checked, 0-100."),
                           ("Organisations", "Those that do not meet it.")],
                   rows, (16, 9, 10, 48, 9, 9, 60))

    def outliers(self) -> None:
        ws = self.wb.create_sheet("Outliers")
        rows = []
        for o in self.batch.outliers:
            kinds = {r.kind for r in o.reasons}
            rows.append([o.organisation, o.ods_code or "", o.file, ", ".join(o.sectors),
                         o.overall_score, rating_upper(o.overall_rating), o.overall_coverage,
                         "yes" if "critical_gap" in kinds else "",
                         "yes" if "thin_submission" in kinds else "",
                         "yes" if "far_below_sector" in kinds else "",
                         "; ".join(r.text for r in o.reasons)])
        self.table(ws, 1, [("Organisation", "The trust."), ("ODS code", "Its ODS code."),
                           ("File", "The submission."), ("Sectors", "Its sectors."),
                           ("Score", "Overall score, 0-100."), ("Rating", "Overall rating."),
                           ("Evidenced %", "Share of the applicable weight the file "
                            "evidences."),
                           ("Critical gap", "States a critical criterion not met or partly "
                            "met."),
                           ("Thin", "Too little evidenced for the questionnaire to rate."),
                           ("Far below sector", "Below its sector's lower quartile by more "
                            "than 1.5 times the interquartile range."),
                           ("Why", "The reasons in words.")],
                   rows, (30, 9, 30, 16, 8, 14, 11, 9, 7, 9, 60))
        for r, o in enumerate(self.batch.outliers, 2):
            self.rating(ws, r, 6, o.overall_rating)

    def trusts(self) -> None:
        b = self.batch
        ws = self.wb.create_sheet("Trusts")
        titles = b.catalogue.criterion_titles if b.catalogue else ()
        if len(titles) != len(b.criterion_ids):
            titles = b.criterion_ids
        headers = [("Rank", "Place in the league by overall score; blank when not ranked."),
                   ("Organisation", "The trust."), ("ODS code", "Its ODS code."),
                   ("File", "The submission."), ("Sectors", "Its sectors."),
                   ("Governance models", "Its arrangements' governance models."),
                   ("NHS England region", "The region it records."),
                   ("ICBs", "The integrated care boards it records."),
                   ("Legal form", "Its legal form."), ("As of", "The date it was judged at."),
                   ("Arrangements", "How many arrangements it describes."),
                   ("Critical gaps", "Critical criteria it states not met or partly met."),
                   ("Critical not evidenced", "Critical criteria it is silent on."),
                   ("Overall score", "0-100."), ("Overall rating", "In words."),
                   ("Overall evidenced %", "Share of the applicable weight evidenced."),
                   ("Overall rating explained", "Why, where capped or not rated.")]
        for title in b.category_titles:
            headers += [(f"{title}: score", "0-100."), (f"{title}: rating", "In words."),
                        (f"{title}: evidenced %", "Share of the question's weight evidenced.")]
        headers += [(f"{cid} {t}" if t != cid else cid, f"Criterion {cid}: its status.")
                    for cid, t in zip(b.criterion_ids, titles, strict=True)]
        headers.append(("Thresholds failed", "The run's --fail-under/--fail-on thresholds "
                        "this trust is past."))
        rows = []
        for rank, row in zip(ranks(b.rows, b.sort), b.rows, strict=True):
            cells: list[Any] = [int(rank) if rank else None, row.organisation or "",
                                row.ods_code or "", row.file, ", ".join(row.sectors),
                                ", ".join(row.governance_models), row.region or "",
                                ", ".join(row.icbs), row.legal_form or "", row.as_of or "",
                                row.arrangements, row.critical_gaps,
                                row.critical_not_evidenced, row.overall_score, None,
                                row.overall_coverage, row.overall_explanation]
            for c in row.categories:
                cells += [c.score, None, c.coverage]
            cells += [None] * len(row.status_codes)
            cells.append(" | ".join(row.threshold_failures))
            rows.append(cells)
        self.table(ws, 1, headers, rows, (6, 30, 9, 30))
        lead = 17
        statuses_at = lead + 3 * len(b.category_ids) + 1
        for r, row in enumerate(b.rows, 2):
            self.rating(ws, r, 15, row.overall_rating)
            for n, c in enumerate(row.categories):
                self.rating(ws, r, lead + 3 * n + 2, c.rating)
            for n, status in enumerate(row.statuses):
                self.status(ws, r, statuses_at + n, status)

    def errors(self) -> None:
        b = self.batch
        problems = [p for row in b.errors for p in row.problems] + list(b.search_problems)
        if not problems:
            return
        ws = self.wb.create_sheet("Errors")
        self.table(ws, 1, [("File", "The file, directory or pattern."),
                           ("Line", "Counting from 1."), ("Column", "Counting from 1."),
                           ("Problem", "What is wrong.")],
                   [[p.file, p.line, p.column, p.message] for p in problems], (40, 6, 7, 80))

    def data_dictionary(self) -> None:
        b = self.batch
        ws = self.wb.create_sheet("Data dictionary")
        entries = list(self.dictionary)
        self.dictionary = []
        rows: list[list[Any]] = [[sheet, column, meaning, "", "", ""]
                                 for sheet, column, meaning in entries]
        if b.catalogue is not None:
            questions = {c.id: c.title for c in b.catalogue.categories}
            rows += [["Criteria", f"{c.id} {c.title}", c.challenge, questions.get(c.category,
                                                                                   c.category),
                      c.severity, c.weight] for c in b.catalogue.criteria]
        self.table(ws, 1, [("Sheet", "Where the column is; Criteria for the questionnaire's "
                            "criteria."), ("Column", "The column's header."),
                           ("Meaning", "What it holds (for a criterion, the question it "
                            "asks)."), ("Board question", "A criterion's question."),
                           ("Severity", "A criterion's severity."),
                           ("Weight", "A criterion's weight.")],
                   rows, (16, 40, 80, 28, 10, 8))

    def build(self) -> bytes:
        self.summary()
        self.breakdowns()
        self.gaps()
        self.outliers()
        self.trusts()
        self.errors()
        self.data_dictionary()
        when = _fixed_time(self.batch)
        self.wb.properties.creator = "boardcheck"
        self.wb.properties.created = when.replace(tzinfo=None)
        self.wb.properties.modified = when.replace(tzinfo=None)
        out = io.BytesIO()
        self.wb.save(out)
        return _fixed_package(out.getvalue(), when)


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_IN_A_CELL])
    more = len(names) - NAMES_IN_A_CELL
    return shown + (f" and {more} more" if more > 0 else "")


def _fixed_time(batch: BatchResult) -> dt.datetime:
    """Midnight UTC on the latest as-of date in the batch: the same inputs, the same bytes."""
    dates = [row.as_of for row in batch.rows if row.as_of]
    if not dates:
        return EPOCH
    day = dt.date.fromisoformat(max(dates))
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_package(data: bytes, when: dt.datetime) -> bytes:
    """The package with the document's times and every member's timestamp fixed: openpyxl
    stamps 'now' on saving."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            info = zipfile.ZipInfo(item.filename, date_time=(when.year, when.month, when.day,
                                                             0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()


def render_xlsx(batch: BatchResult) -> bytes:
    """The workbook's bytes; the same batch gives the same bytes."""
    if not HAVE_OPENPYXL:
        from boardcheck.formats.docx_paper import MissingExtra

        raise MissingExtra(MISSING)
    return _Book(batch).build()  # every string passes xlsx_text as it is put in a cell


class XlsxBatch:
    """The batch workbook. Binary: call `render_bytes`; `render` (text) refuses."""

    binary = True

    def render_bytes(self, batch: BatchResult, options: RenderOptions) -> bytes:
        return render_xlsx(batch)

    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        raise TypeError("the workbook is binary: call render_bytes() and write the bytes to "
                        "a file, not to a text stream")


BATCH = XlsxBatch()
