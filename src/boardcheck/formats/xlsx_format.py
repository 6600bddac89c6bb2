"""The batch as an Excel workbook (`-f xlsx`, the xlsx extra: openpyxl), for spreadsheet users.

Sheets: `Summary` (the batch and each question's distribution), one sheet per breakdown
(region, ICB, sector, legal form, governance model: each group, named in words with its
identifier in the last column, and its shares of green, amber, red and insufficient evidence
with its quartiles), `Common gaps` (as shares, overall and by sector), `Outliers`,
`Collaboratives` (each collaborative across its members: who submitted, their readiness, and
every disagreement with each file's position), `Trusts` (one row per trust: the
per-criterion matrix, headed by the criterion titles), `Possible duplicates` (files sharing
an ODS code or an organisation name, a row per file), `Errors` when a file could not be
evaluated, and a `Data dictionary` saying what every column means. Every table has its
header row frozen and a filter on it; rating and status cells are coloured and carry the
words too, so nothing rests on colour.

Text from a file is never a formula: every string cell passes `xlsx_text` and is typed as
a string, whatever it starts with. The bytes are the same on every run: the package's
timestamps are fixed to the latest as-of date in the batch.

Memory stays flat in the number of trusts: openpyxl's write-only sheets go to temporary
files a row at a time, with every string inline (no shared-strings table), and the package
is put together on disk and copied a piece at a time (`_fixed_package`).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import xlsx_text
from boardcheck.formats.wording import (
    NO_DUPLICATES,
    RANK_GROUP_WORDS,
    by_title,
    duplicate_key,
    duplicate_value,
    group_label,
    group_labels,
    joined,
    listed_rows,
    rank_heading,
    rating_upper,
    sort_words,
)
from boardcheck.result import STATUS_LABELS
from boardcheck.summary import (
    BREAKDOWNS,
    NOT_RECORDED,
    RATINGS,
    BatchResult,
    Distribution,
    Row,
)

try:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    HAVE_OPENPYXL = True
except ImportError:  # render_bytes says what to install
    HAVE_OPENPYXL = False

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from boardcheck.summary import Catalogue, Row

MISSING = "xlsx output needs openpyxl: pip install 'boardcheck[xlsx]'"
# The light tints of the HTML and Word papers, dark text on top; the words are in the cell.
FILLS = {"green": "CCE6D4", "amber": "FFE9B3", "red": "F9D5D1",
         "insufficient_evidence": "DDE8F3", "inconclusive": "E8EDEE"}
STATUS_FILLS = {"met": "green", "partly_met": "amber", "not_met": "red",
                "not_evidenced": "insufficient_evidence", "not_applicable": "inconclusive",
                "waived": "inconclusive", "partly_met_not_evidenced": "insufficient_evidence"}
# Criterion cells in words: the result's labels, and the batch's status for a criterion
# partly met only for want of information (summary.PARTLY_MET_NOT_EVIDENCED).
CELL_LABELS: dict[str, str] = {**{str(k): v for k, v in STATUS_LABELS.items()},
                               "partly_met_not_evidenced": "partly met, not evidenced"}
SHARE_TITLES = {"green": "Green %", "amber": "Amber %", "red": "Red %",
                "insufficient_evidence": "Insufficient evidence %",
                "inconclusive": "Inconclusive %"}
# The look of a link cell, among the fills' keys.
LINK = "link"
# Every part of the package gets this timestamp when the batch has no as-of date.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
NAMES_IN_A_CELL = 50
# Each breakdown's sheet (a sheet's name is at most 31 characters).
SHEETS = {"region": "By region", "icb": "By ICB", "sector": "By sector",
          "legal_form": "By legal form", "governance_model": "By governance model"}


@dataclass(frozen=True, slots=True)
class Rated:
    """A rating cell: the words, on the rating's colour."""

    rating: str | None


@dataclass(frozen=True, slots=True)
class Linked:
    """A link to a file beside the workbook (a member's board paper): its relative path,
    shown as text and followed as a hyperlink."""

    path: str


@dataclass(frozen=True, slots=True)
class Stated:
    """A criterion status cell: the words, on the colour of the rating it leans to."""

    status: str


class _Book:
    """Builds the workbook, written a row at a time (openpyxl's write-only mode), so memory
    does not grow with the cells; one per render."""

    def __init__(self, batch: BatchResult, *, papers: bool = False) -> None:
        self.batch = batch
        # check --papers: the Trusts sheet links each trust to its paper.
        self.papers = papers
        self.wb = Workbook(write_only=True)
        self.bold = Font(bold=True)
        self.link = Font(color="0563C1", underline="single")
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
        self.wrap = Alignment(wrap_text=True, vertical="top")
        # Each look of cell (fill, number format, header) and its registered styles.
        self.styles: dict[tuple[str | None, bool, bool], Any] = {}
        # Column meanings for the data dictionary: (sheet, header, meaning).
        self.dictionary: list[tuple[str, str, str]] = []

    # --- cells ---------------------------------------------------------------------------

    def cell(self, ws: WriteOnlyWorksheet, value: Any, *, header: bool = False) -> Any:
        """A value as the cell to write: text typed as a string (openpyxl would take "=..."
        for a formula), scores to one decimal, ratings and statuses coloured."""
        fill = None  # the key of its colour in FILLS
        link = None
        if isinstance(value, Linked):
            link, value = value.path, value.path
        if isinstance(value, Rated):
            if value.rating is None:
                return None
            fill = value.rating if value.rating in FILLS else "inconclusive"
            value = rating_upper(value.rating)
        elif isinstance(value, Stated):
            fill = STATUS_FILLS.get(value.status, "inconclusive")
            value = CELL_LABELS.get(value.status, value.status)
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, xlsx_text(value))
            cell.data_type = "s"
            if link:
                # Relative to the workbook, as the CSV's `paper` column and the HTML
                # page's link give it; escaped as a URL, so any name stays one path.
                cell.hyperlink = quote(link)
        elif isinstance(value, float):
            cell = WriteOnlyCell(ws, value)
        else:
            return value
        look = (fill if link is None else LINK, isinstance(value, float), header)
        if look == (None, False, False):
            return cell
        style = self.styles.get(look)
        if style is None:
            if link is not None:
                cell.font = self.link
            elif fill is not None:
                cell.fill = self.fills[fill]
            if isinstance(value, float):
                cell.number_format = "0.0"
            if header:
                cell.font = self.bold
                cell.alignment = self.wrap
            # A cell's style ids (openpyxl's StyleArray); the stubs miss the attribute.
            style = self.styles[look] = copy.copy(cell._style)  # type: ignore[attr-defined]
        else:
            # The look's styles, registered once: setting a fill or font on each cell
            # hashes the style objects again (two thirds of the workbook's time).
            cell._style = copy.copy(style)  # type: ignore[attr-defined]
        return cell

    def sheet(self, title: str, top: int, widths: Sequence[int], keys: int
              ) -> WriteOnlyWorksheet:
        """A new sheet whose table's header is at row `top`: frozen below it, and right of
        its first `keys` columns (those that say whose row it is: the trust and its ODS
        code, the group and question), so they stay in view as a reader scrolls right.
        Widths and panes go before the first row in a write-only sheet."""
        ws: WriteOnlyWorksheet = self.wb.create_sheet(title)
        for col, w in enumerate(widths, 1):
            # Set up with the sheet, as a full worksheet's are; the stubs miss it.
            ws.column_dimensions[get_column_letter(col)].width = w  # type: ignore[attr-defined]
        ws.freeze_panes = f"{get_column_letter(keys + 1)}{top + 1}"
        return ws

    def table(self, ws: WriteOnlyWorksheet, top: int, headers: Sequence[tuple[str, str]],
              rows: Iterable[Sequence[Any]]) -> None:
        """The table's header row (documented in the data dictionary), its rows, and a
        filter over them."""
        ws.append([self.cell(ws, title, header=True) for title, _ in headers])
        self.dictionary += [(ws.title, title, meaning) for title, meaning in headers]
        last = top
        for last, values in enumerate(rows, top + 1):  # noqa: B007 - the last row is used
            ws.append([self.cell(ws, v) for v in values])
        # A write-only sheet has its filter (worksheet setup gives it one); the stubs miss it.
        ws.auto_filter.ref = (  # type: ignore[attr-defined]
            f"A{top}:{get_column_letter(len(headers))}{last}")

    # --- sheets --------------------------------------------------------------------------

    def summary(self) -> None:
        b = self.batch
        facts = [("Questionnaire", f"{b.questionnaire_id} {b.questionnaire_version}"),
                 ("Files", len(b.rows) + len(b.errors)), ("Checked", len(b.rows)),
                 ("Could not be evaluated", len(b.errors)),
                 ("Sorted by", sort_words(b.sort, b.category_ids, b.category_titles)),
                 ("Complete", "yes" if b.complete else
                  "no: the run was interrupted; only the files listed were checked")]
        top = len(facts) + 2
        ws = self.sheet("Summary", top, (24, 28), keys=2)
        for name, value in facts:
            ws.append([self.cell(ws, name, header=True), self.cell(ws, value)])
        ws.append([])
        rows = [self._dist_cells(["All trusts", "Overall"], b.overall)]
        rows += [self._dist_cells(["All trusts", title], b.categories[cid])
                 for cid, title in zip(b.category_ids, b.category_titles, strict=True)]
        self.table(ws, top, [("Group", "The trusts the row describes."),
                             ("Question", "The board question, or Overall."),
                             *self._dist_headers()], rows)

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
            ws = self.sheet(SHEETS.get(breakdown.key, breakdown.key), 1, (28, 28), keys=2)
            rows: list[list[Any]] = []
            # The group in words for a reader, as the Trusts sheet writes it; its identifier
            # last: the value the CSV and the JSON carry, to filter or look up by, left empty
            # for the files that record none (as the CSV's group_id; the JSON's null).
            for g in breakdown.groups:
                label = group_label(breakdown.key, g.name)
                ident = None if g.name == NOT_RECORDED else g.name
                rows.append([*self._dist_cells([label, "Overall"], g.overall), ident])
                rows += [[*self._dist_cells([label, title], g.categories[cid]), ident]
                         for cid, title in zip(b.category_ids, b.category_titles, strict=True)
                         if cid in g.categories]
            self.table(ws, 1, [(breakdown.title, f"The {breakdown.title} (a trust in several "
                                "counts in each)."),
                               ("Question", "The board question, or Overall."),
                               *self._dist_headers(),
                               (f"{breakdown.title} id", f"The {breakdown.title} as the files, "
                                "the CSV and the JSON write it; empty for the trusts that "
                                "record none.")], rows)

    def gaps(self) -> None:
        b = self.batch
        ws = self.sheet("Common gaps", 1, (16, 9, 10, 48, 9, 9, 60), keys=4)
        rows: list[list[Any]] = []
        for sector, checked, gaps in [("All trusts", len(b.rows), b.common_gaps),
                                      *((group_label("sector", s.sector), s.checked, s.gaps)
                                        for s in b.gaps_by_sector)]:
            rows += [[sector, checked, g.criterion, g.title, g.not_met, g.share,
                      _names(g.organisations)] for g in gaps]
        self.table(ws, 1, [("Sector", "All trusts, or one sector."),
                           ("Checked", "Files checked in the group."),
                           ("Criterion", "The criterion id."), ("Title", "The criterion."),
                           ("Not met", "Files in the group that state it not met."),
                           ("Share %", "Not met as a share of the files checked, 0-100."),
                           ("Organisations", "Those that do not meet it.")], rows)

    def outliers(self) -> None:
        ws = self.sheet("Outliers", 1, (30, 9, 30, 16, 8, 14, 11, 9, 7, 9, 60), keys=2)
        rows = []
        for o in self.batch.outliers:
            kinds = {r.kind for r in o.reasons}
            rows.append([o.organisation, o.ods_code or "", o.file,
                         group_labels("sector", o.sectors),
                         o.overall_score, Rated(o.overall_rating), o.overall_coverage,
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
                           ("Thin", "Evidences less than the questionnaire's minimum share."),
                           ("Far below sector", "Below its sector's lower quartile by more "
                            "than 1.5 times the interquartile range."),
                           ("Why", "The reasons in words.")], rows)

    def collaboratives(self) -> None:
        """Each collaborative across its members, as the JSON's `collaboratives` and the HTML
        page's view give it, in the same order: one table, a row per part (the collaborative,
        each member, each submission's readiness, each file's statement of a fact the members
        disagree on, each fact only some record), so a filter on Part lists, say, every
        disagreement in the batch with both files' positions."""
        from boardcheck.formats import collaborative_text as words
        from boardcheck.formats.html_collaboratives import NONE_FOUND

        b = self.batch
        questions = list(zip(b.category_ids, b.category_titles, strict=True))
        ws = self.sheet("Collaboratives", 1, (40, 16, 36, 9, 10, 30, 48, 44), keys=4)
        headers = [("Collaborative", "Its shared code and name, and how its members were "
                    "matched (on the code, or a probable match on name and partners)."),
                   ("Part", "What the row gives: the Collaborative (how many members "
                    "submitted, their readiness in words), a Member, a member's Readiness, "
                    "a Disagreement (one file's statement of a fact members state "
                    "differently), an Ambiguous host or lead (one file's statement of a "
                    "host or lead the members do not disagree on, where a name without an "
                    "ODS code could be either of two organisations) or a fact Recorded by "
                    "some members only."),
                   ("Organisation", "The member, or the member whose file the row is from."),
                   ("ODS code", "The member's ODS code, where a file gives it."),
                   ("Submitted", "Member: whether its file describes the collaborative "
                    "(yes), it submitted a file that does not (file does not describe it), "
                    "it submitted a file that could not be checked (file could not be "
                    "checked), or it did not submit (no; \"no, as far as the batch can "
                    "tell\" where some failed files could not be read far enough to say "
                    "whose they are); Collaborative: how many members describe it."),
                   ("Fact", "The fact members disagree on, name ambiguously, or only "
                    "some record."),
                   ("Value", "What the file states; for a member, the files that name it; "
                    "for readiness, the arrangement as the file names it."),
                   ("Where", "The file, line and column of the statement or the "
                    "arrangement."),
                   ("Overall score", "The member's overall score, 0-100."),
                   ("Overall rating", "In words."),
                   ("Overall evidenced %", "Share of the applicable weight evidenced.")]
        for _, title in questions:
            headers += [(f"{title}: score", "0-100."), (f"{title}: rating", "In words.")]
        blank = [None] * (len(headers) - 8)

        def rows() -> Iterator[list[Any]]:
            if not b.collaboratives:
                yield [NONE_FOUND, *[None] * (len(headers) - 1)]
            for view in b.collaboratives:
                name = words.heading(view)
                yield [name, "Collaborative", None, None, words.submitted_count(view), None,
                       f"{words.READINESS}: {words.readiness(view)}", None, *blank]
                for m in view.members:
                    status = ("yes" if m.describes else "file does not describe it"
                              if m.files else "file could not be checked" if m.failed
                              else "not known" if m.ambiguous
                              else "no, as far as the batch can tell" if view.unidentified
                              else "no")
                    named = f"named in {_names(m.named_by)}" if m.named_by else None
                    if (m.ambiguous or m.failed or (view.unidentified and not m.submitted)
                            or (m.submitted and (not m.describes or len(m.files) > 1))):
                        named = f"{words.member_status(m, view)}; {named}"
                    yield [name, "Member", m.name, m.ods_code, status, None, named, None,
                           *blank]
                for sub in view.submissions:
                    by_id = {c.id: c for c in sub.categories}
                    scores: list[Any] = []
                    for cid, _ in questions:
                        c = by_id.get(cid)
                        scores += [None, None] if c is None else [c.score, Rated(c.rating)]
                    probable = " (probable match)" if sub.matched_by != "code" else ""
                    if not sub.counted:
                        probable += " (another file from this member: not counted again)"
                    yield [name, "Readiness", sub.organisation, sub.ods_code, None, None,
                           f"{sub.name}{probable}", f"{sub.file}:{sub.line}:{sub.column}",
                           sub.overall_score, Rated(sub.overall_rating), sub.overall_coverage,
                           *scores]
                ods = {sub.file: sub.ods_code for sub in view.submissions}
                for d in view.disagreements:
                    for st in d.statements:
                        yield [name, "Disagreement", words.who(st), ods.get(st.file), None,
                               d.title,
                               words.value(d, st), words.where(st), *blank]
                for u in view.unresolved:
                    for st in u.statements:
                        yield [name, "Ambiguous", words.who(st), ods.get(st.file), None,
                               u.title, words.value(u, st), words.where(st), *blank]
                for pr in view.partly_recorded:
                    yield [name, "Recorded by some members only", None, None, None, pr.title,
                           f"recorded by {_names(pr.recorded_by)}; not by "
                           f"{_names(pr.not_recorded_by)}", None, *blank]

        self.table(ws, 1, headers, rows())

    def trusts(self) -> None:
        b = self.batch
        # Grouped by a breakdown, a first column names the group: a key column too.
        grouped = bool(b.league_groups)
        ws = self.sheet("Trusts", 1, ((28,) if grouped else ()) + (6, 30, 9, 30),
                        keys=3 + grouped)
        titles = b.catalogue.criterion_titles if b.catalogue else ()
        if len(titles) != len(b.criterion_ids):
            titles = b.criterion_ids
        group = RANK_GROUP_WORDS.get(b.sort)
        headers = [(rank_heading(b.sort),
                    "Place in the league by overall score; blank when not ranked." if group
                    is None else f"Place within the {group} the row is listed under, by "
                    f"overall score (a trust in several has a row under each, ranked within "
                    "each); blank when not ranked."),
                   ("Organisation", "The trust."), ("ODS code", "Its ODS code."),
                   ("File", "The submission."),
                   *([("Board paper", "Its board paper as this run wrote it, relative to "
                       "the workbook: select it to open the paper.")] if self.papers else []),
                   ("Sectors", "Its sectors."),
                   ("Governance models", "Its arrangements' governance models."),
                   ("NHS England region", "The region it records."),
                   ("ICBs", "The integrated care boards it records, separated by \"; \" "
                    "(a name holding \";\" is in double quotes, each double quote in it "
                    "doubled, as in a CSV file)."),
                   ("Legal form", "Its legal form."),
                   ("As of", "The date its file states its position at (or the run's "
                    "--as-of date); empty where neither states one."),
                   ("Arrangements", "How many arrangements it describes."),
                   ("Critical gaps", "Critical criteria it states not met or partly met."),
                   ("Critical not evidenced", "Critical criteria it is silent on."),
                   ("Overall score", "0-100."), ("Overall rating", "In words."),
                   ("Overall evidenced %", "Share of the applicable weight evidenced."),
                   ("Overall rating explained", "Why, where capped or not rated.")]
        for title in b.category_titles:
            headers += [(f"{title}: score", "0-100."), (f"{title}: rating", "In words."),
                        (f"{title}: evidenced %", "Share of the question's weight evidenced."),
                        (f"{title}: rating explained", "Why, where capped, set by a rule or "
                         "not rated.")]
        headers += [(f"{cid} {t}" if t != cid else cid, f"Criterion {cid}: its status.")
                    for cid, t in zip(b.criterion_ids, titles, strict=True)]
        headers.append(("Thresholds failed", "The run's --fail-under/--fail-on thresholds "
                        "this trust is past."))
        # Grouped by a breakdown (--sort icb, sector...): a first column names the group,
        # and a trust in several groups has a row under each, as the breakdown's sheet
        # counts it, so a filter on one group lists every trust in it.
        group_title = next((t for key, t, _ in BREAKDOWNS if key == b.sort), None)
        if b.league_groups and group_title is not None:
            headers.insert(0, (f"Listed under ({group_title})", (
                f"The {by_title(group_title)} the row is listed under. A trust in more than "
                f"one has a row under each, as the {SHEETS.get(b.sort, group_title)} sheet "
                "counts it: "
                "count trusts by ODS code or file, not by rows.")))
        listed: Iterator[tuple[str | None, str | None, Row]] = (
            (None if lg is None else group_label(lg.key, lg.name), place, row)
            for lg, place, row, _ in listed_rows(b))

        def rows() -> Iterator[list[Any]]:
            for listed_under, rank, row in listed:
                # Sectors, models, region and legal form in the words of the breakdown
                # sheets, whose last column gives each group's identifier.
                cells: list[Any] = [int(rank) if rank else None, row.organisation or "",
                                    row.ods_code or "", row.file,
                                    *([Linked(row.paper) if row.paper else ""]
                                      if self.papers else []),
                                    _words("sector", row.sectors),
                                    _words("governance_model", row.governance_models),
                                    _words("region", (row.region,) if row.region else ()),
                                    joined(row.icbs, "; "),
                                    _words("legal_form",
                                           (row.legal_form,) if row.legal_form else ()),
                                    row.as_of or "", row.arrangements, row.critical_gaps,
                                    row.critical_not_evidenced, row.overall_score,
                                    Rated(row.overall_rating), row.overall_coverage,
                                    row.overall_explanation]
                for c in row.categories:
                    cells += [c.score, Rated(c.rating), c.coverage, c.explanation]
                cells += [Stated(status) for status in row.statuses]
                cells.append(" | ".join(row.threshold_failures))
                yield cells if listed_under is None else [listed_under, *cells]

        self.table(ws, 1, headers, rows())

    def duplicates(self) -> None:
        """Possible duplicate submissions, as the terminal and the HTML page list them: a row
        per file, so a filter on the value lists every file that shares it."""
        ws = self.sheet("Possible duplicates", 1, (18, 40, 60), keys=2)
        rows: list[list[Any]] = [[duplicate_key(dup), duplicate_value(dup), f]
                                 for dup in self.batch.duplicates for f in dup.files]
        self.table(ws, 1, [("Same", "What the files share: an ODS code or an organisation "
                            "name."),
                           ("Value", "The ODS code or name they share (a name as the first "
                            "of the files writes it)."),
                           ("File", "One of the files that share it.")],
                   rows or [[NO_DUPLICATES, None, None]])

    def errors(self) -> None:
        b = self.batch
        problems = [p for row in b.errors for p in row.problems] + list(b.search_problems)
        if not problems:
            return
        ws = self.sheet("Errors", 1, (40, 6, 7, 80), keys=1)
        self.table(ws, 1, [("File", "The file, directory or pattern."),
                           ("Line", "Counting from 1."), ("Column", "Counting from 1."),
                           ("Problem", "What is wrong.")],
                   [[p.file, p.line, p.column, p.message] for p in problems])

    def data_dictionary(self) -> None:
        b = self.batch
        ws = self.sheet("Data dictionary", 1, (16, 40, 80, 28, 10, 8), keys=2)
        entries = list(self.dictionary)
        rows: list[list[Any]] = [[sheet, column, meaning, None, None, None]
                                 for sheet, column, meaning in entries]
        if b.catalogue is not None:
            questions = {c.id: c.title for c in b.catalogue.categories}
            rows += [["Criteria", f"{c.id} {c.title}", c.challenge,
                      questions.get(c.category, c.category), c.severity, c.weight]
                     for c in b.catalogue.criteria]
        self.table(ws, 1, [("Sheet", "Where the column is; Criteria for the questionnaire's "
                            "criteria."), ("Column", "The column's header."),
                           ("Meaning", "What it holds (for a criterion, the question it "
                            "asks)."), ("Board question", "A criterion's question."),
                           ("Severity", "A criterion's severity."),
                           ("Weight", "A criterion's weight.")], rows)

    def build(self, out: IO[bytes]) -> None:
        self.summary()
        self.breakdowns()
        self.gaps()
        self.outliers()
        self.collaboratives()
        self.trusts()
        self.duplicates()
        self.errors()
        self.data_dictionary()
        when = _fixed_time(self.batch)
        self.wb.properties.creator = "boardcheck"
        self.wb.properties.created = when.replace(tzinfo=None)
        self.wb.properties.modified = when.replace(tzinfo=None)
        # On disk, not in memory: the package is read back a member at a time.
        with tempfile.TemporaryFile() as package:
            self.wb.save(package)
            package.seek(0)
            _fixed_package(package, when, out)


def _words(key: str, values: Iterable[str]) -> str:
    """Breakdown groups as a reader says them (North West, NHS foundation trust)."""
    return group_labels(key, values)


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
    if not ZIP_YEARS[0] <= day.year <= ZIP_YEARS[1]:
        # A zip member's time holds only the years 1980-2107; an as-of date outside them
        # (a file judged at 9999-12-31, say) would make the package unwritable.
        return EPOCH
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# The years a zip file's member times can hold (MS-DOS dates).
ZIP_YEARS = (1980, 2107)


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_package(package: IO[bytes], when: dt.datetime, out: IO[bytes]) -> None:
    """The package with the document's times and every member's timestamp fixed (openpyxl
    stamps 'now' on saving), written to `out`. Each member is copied a piece at a time: the
    Trusts sheet's XML is about 6 KB a trust, so held whole it would make memory grow with
    the batch; and so is the package, straight into its file (40 MB at 40,000 trusts)."""
    if not out.seekable():
        # A zip written to a pipe has its sizes after each member, not in its header: other
        # bytes. Put together in a file, then copied, it is the same on stdout as in a file.
        with tempfile.TemporaryFile() as whole:
            _fixed_package(package, when, whole)
            whole.seek(0)
            shutil.copyfileobj(whole, out, COPY_CHUNK)
        return
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(package) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(when.year, when.month, when.day,
                                                             0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if item.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(rb"\g<1>" + stamp + rb"\g<2>", src.read(item.filename))
                dst.writestr(info, body)
                continue
            with src.open(item) as member, dst.open(info, "w") as copy:
                shutil.copyfileobj(member, copy, COPY_CHUNK)


# Bytes copied at a time from openpyxl's package into the fixed one.
COPY_CHUNK = 1 << 20


def _require_openpyxl() -> None:
    if not HAVE_OPENPYXL:
        from boardcheck.formats.base import MissingExtra

        raise MissingExtra(MISSING)


def write_xlsx(batch: BatchResult, out: IO[bytes], *, papers: bool = False) -> None:
    """The workbook, written to `out`; the same batch gives the same bytes."""
    _require_openpyxl()
    # Every string passes xlsx_text as it is put in a cell.
    _Book(batch, papers=papers).build(out)


def render_xlsx(batch: BatchResult, *, papers: bool = False) -> bytes:
    """The workbook's bytes; the same batch gives the same bytes."""
    out = io.BytesIO()
    write_xlsx(batch, out, papers=papers)
    return out.getvalue()


class XlsxWriter:
    """The workbook of a batch run (formats.stream): nothing to write as the rows arrive
    (the summary keeps them, spilled); at the end, the package goes straight into the
    output file, never held whole in memory. Asks for openpyxl before any file is checked."""

    binary = True

    def __init__(self, out: IO[bytes], catalogue: Catalogue, *, sort: str,
                 options: RenderOptions) -> None:
        _require_openpyxl()
        self.out = out
        self.papers = options.papers

    def add(self, row: Row) -> None:
        """Nothing to write yet."""

    def finish(self, batch: BatchResult) -> None:
        write_xlsx(batch, self.out, papers=self.papers)


class XlsxBatch:
    """The batch workbook. Binary: call `render_bytes`; `render` (text) refuses."""

    binary = True

    def render_bytes(self, batch: BatchResult, options: RenderOptions) -> bytes:
        return render_xlsx(batch, papers=options.papers)

    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        raise TypeError("the workbook is binary: call render_bytes() and write the bytes to "
                        "a file, not to a text stream")


BATCH = XlsxBatch()
WRITER = XlsxWriter
