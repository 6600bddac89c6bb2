"""The format interface and the registry the CLI's `--format` choices come from."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # type-only: one-file checks need not import the batch and diff modules
    from pathlib import Path

    from boardcheck.diff import Diff
    from boardcheck.due import ForwardLook
    from boardcheck.result import Result
    from boardcheck.saved import SavedResult
    from boardcheck.summary import BatchResult


class OutputFormat(StrEnum):
    """Every format `check` can write. A test holds this and the registry together."""

    RICH = "rich"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    HTML = "html"
    DOCX = "docx"
    MARKDOWN_PAPER = "markdown-paper"
    XLSX = "xlsx"


@dataclass(frozen=True, slots=True)
class PartnerDifference:
    """A fact this trust's file states for a collaborative that other members' files, in the
    same batch, state differently: the member paper's feedback (`check DIR --papers`)."""

    # The collaborative as this trust's file names it.
    arrangement: str
    # True when the files were matched on name and partners, not a shared collaborative code.
    probable: bool
    # The fact, in words ("exit notice period (months)"), and its key (collaboratives.FACTS).
    fact: str
    key: str
    # What this file states, and what each other member states: (organisation, value).
    ours: str
    theirs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PaperSettings:
    """What a board paper needs beyond the result: the cover sheet's fields (flags or the
    configuration's [paper] table, checked in `config`), its extent, the trust's own templates
    and logo, earlier boards' results for the trend, and the forward look."""

    agenda_item: str | None = None
    author: str | None = None
    sponsor: str | None = None
    # approval, assurance, discussion or information (checked in config).
    purpose: str | None = None
    previous: str | None = None
    recommendation: str | None = None
    baf_risks: tuple[str, ...] = ()
    marking: str | None = None
    # The cover paper only: no appendices.
    summary_only: bool = False
    # A folder of the trust's own Jinja templates (paper.html.j2, paper.css) for HTML.
    template: Path | None = None
    logo: bytes | None = None
    logo_type: str = "image/png"
    # Earlier boards' results, earliest first, each with its label (the meeting, or the
    # name it was saved under): the trend chart.
    history: tuple[tuple[str, SavedResult], ...] = ()
    # The label of the result `movement` compares with (the last board).
    baseline_label: str | None = None
    # What falls due (the `due` forward look), as a section of the paper.
    due: ForwardLook | None = None
    # Facts other members of the batch state differently (a batch's member papers only).
    partners: tuple[PartnerDifference, ...] = ()


# The widths a terminal report is laid out at, whatever the terminal or COLUMNS says: the
# rich report's key names a width only within them.
NARROWEST = 60
WIDEST = 140


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a human-facing format should render (machine formats ignore it)."""

    color: bool = False
    width: int = 100
    # Movement since a baseline result (check --baseline), for formats that show it.
    movement: Diff | None = None
    # The board meeting a paper goes to (check --meeting); papers default to the as-of date.
    meeting: dt.date | None = None
    # The thresholds the result is past (sentences), and the criteria they make fail: CI
    # formats report these as failures, so their outcome agrees with the exit code.
    thresholds_failed: tuple[str, ...] = ()
    failing_criteria: frozenset[str] = frozenset()
    # Board papers only: cover sheet, extent, templates, trend and forward look.
    paper: PaperSettings | None = None
    # CSV for Excel (--excel): a byte-order mark, and the columns' titles under the header.
    excel: bool = False
    # check --papers DIR: the batch links each trust to its paper (the CSV gains a column).
    papers: bool = False


class Format(Protocol):
    """A format renders one result as text."""

    def render(self, result: Result, options: RenderOptions) -> str: ...


class BatchFormat(Protocol):
    """A format renders a batch of results as text."""

    def render(self, batch: BatchResult, options: RenderOptions) -> str: ...


class StepSummary(Protocol):
    """A format's summary for the CI job's page ($GITHUB_STEP_SUMMARY), as pieces of text the
    CLI appends one at a time: a batch's is never held whole."""

    def one(self, result: Result, thresholds_failed: tuple[str, ...]) -> Iterable[str]: ...

    def batch(self, batch: BatchResult) -> Iterable[str]: ...


class ReportKind(StrEnum):
    """What a format can be asked to render."""

    CHECK = "check"  # one result
    BATCH = "batch"  # many results
    DIFF = "diff"  # the movement between two results
    DUE = "due"  # the forward look
    # A batch's breakdowns (region, ICB, ...) as a table of their own, written beside the
    # batch document (check --breakdowns FILE): for spreadsheet users.
    BREAKDOWNS = "breakdowns"


class Renderer(Protocol):
    """A format's renderer for one kind of report: text (or bytes, for a binary format)."""

    def render(self, report: Any, options: RenderOptions) -> str: ...


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """What a format is and renders, known without importing it (start-up stays fast)."""

    # Report kind -> "module:ATTRIBUTE" of its renderer.
    renderers: Mapping[ReportKind, str]
    # Bytes, not text (the renderer's render_bytes); never written to a terminal.
    binary: bool = False
    # A report for a person at a terminal: --quiet leaves it out, and a batch report shows
    # its own failures (they are not repeated on stderr).
    screen: bool = False
    # A file that cannot be evaluated still gives a whole document carrying the failure.
    carries_failures: bool = False
    # Its batch document is written as the rows arrive (formats.stream): the module has a
    # `fragment` each worker renders and a `WRITER`. The others need only the compact rows.
    streamed: bool = False
    # Under GitHub Actions, also appends a summary to $GITHUB_STEP_SUMMARY: the module has a
    # `STEP_SUMMARY` (a StepSummary), asked only when the variable names a file
    # (Settings.step_summary), so that a run outside Actions builds none.
    step_summary: bool = False
    # File-name endings (lower case, with the dot) that pick this format for `-o FILE`
    # when no --format is given. An ending belongs to one format only (a test holds this).
    extensions: tuple[str, ...] = ()
    # Endings this format also writes without picking it: SARIF is JSON, so `-f sarif -o
    # results.json` is no conflict, but `-o results.json` alone means JSON.
    also_writes: tuple[str, ...] = ()
    # What the document is called in "wrote ... to FILE": the kind of file, for a person.
    label: str = ""
    # What a report of each kind is called, where not the usual name (`DOCUMENT_NAMES`).
    document_names: Mapping[ReportKind, str] = field(default_factory=dict)
    # A board paper: takes the cover sheet, --summary, --template, the trend and the
    # forward look (RenderOptions.paper).
    paper: bool = False
    # Its streamed writer takes the run's RenderOptions (`options=`): CSV, for --excel.
    writer_options: bool = False
    # It writes CSV that --excel can shape for Excel (a byte-order mark, a titles row).
    excel: bool = False

    def document_name(self, kind: ReportKind) -> str:
        """E.g. "board paper (Word)": what "wrote ... to FILE" says was written."""
        name = self.document_names.get(kind, DOCUMENT_NAMES[kind])
        return f"{name} ({self.label})" if self.label else name


# What each kind of report is called when a file of it is written.
DOCUMENT_NAMES: dict[ReportKind, str] = {
    ReportKind.CHECK: "report", ReportKind.BATCH: "batch report",
    ReportKind.DIFF: "comparison", ReportKind.DUE: "forward look",
    ReportKind.BREAKDOWNS: "table of breakdowns",
}


def _at(module: str, **kinds: str) -> dict[ReportKind, str]:
    return {ReportKind(kind): f"boardcheck.formats.{module}:{attribute}"
            for kind, attribute in kinds.items()}


# The one registry: every format, what it renders, and how. The CLI's choices come from it.
REGISTRY: dict[OutputFormat, FormatInfo] = {
    OutputFormat.RICH: FormatInfo(
        {**_at("rich_text", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="RICH"),
         **_at("due_report", due="RICH")}, screen=True, streamed=True, writer_options=True,
        label="text"),
    OutputFormat.JSON: FormatInfo(
        {**_at("json_format", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="JSON"),
         **_at("due_report", due="JSON")}, streamed=True, extensions=(".json",), label="JSON",
        document_names={ReportKind.CHECK: "result", ReportKind.BATCH: "batch results"}),
    # One file's CSV is a batch of one row.
    OutputFormat.CSV: FormatInfo({**_at("csv_format", batch="BATCH", breakdowns="BREAKDOWNS"),
                                  **_at("due_report", due="CSV")}, streamed=True,
                                 writer_options=True, excel=True, extensions=(".csv",),
                                 label="CSV",
                                 document_names={ReportKind.BATCH: "table of results"}),
    OutputFormat.MARKDOWN: FormatInfo(
        {**_at("markdown", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="MARKDOWN"),
         **_at("due_report", due="MARKDOWN")}, streamed=True, extensions=(".md", ".markdown"),
        label="Markdown"),
    OutputFormat.SARIF: FormatInfo(_at("sarif", check="FORMAT", batch="BATCH"),
                                   carries_failures=True, streamed=True,
                                   extensions=(".sarif", ".sarif.json"), also_writes=(".json",),
                                   label="SARIF",
                                   document_names={ReportKind.CHECK: "code-scanning results",
                                                   ReportKind.BATCH: "code-scanning results"}),
    # The only XML format, so `.xml` means JUnit: CI systems read test reports as XML.
    OutputFormat.JUNIT: FormatInfo(_at("junit", check="FORMAT", batch="BATCH"), streamed=True,
                                   extensions=(".xml",), label="JUnit XML",
                                   document_names={ReportKind.CHECK: "test report",
                                                   ReportKind.BATCH: "test report"}),
    OutputFormat.GITHUB: FormatInfo(_at("github", check="FORMAT", batch="BATCH"),
                                    carries_failures=True, step_summary=True, streamed=True,
                                    label="GitHub annotations",
                                    document_names={ReportKind.CHECK: "annotations",
                                                    ReportKind.BATCH: "annotations"}),
    OutputFormat.HTML: FormatInfo({**_at("html", check="FORMAT"),
                                   **_at("html_batch", batch="BATCH"),
                                   **_at("html_paper", due="DUE")}, streamed=True, paper=True,
                                  extensions=(".html", ".htm"), label="HTML",
                                  document_names={ReportKind.CHECK: "board paper",
                                                  ReportKind.BATCH: "sector report"}),
    OutputFormat.DOCX: FormatInfo(_at("docx_paper", check="FORMAT", due="DUE"), binary=True,
                                  paper=True, extensions=(".docx",), label="Word",
                                  document_names={ReportKind.CHECK: "board paper"}),
    # Markdown is markdown's ending (.md picks the pull-request report); the paper may be
    # written under it with -f markdown-paper.
    OutputFormat.MARKDOWN_PAPER: FormatInfo(_at("markdown_paper", check="FORMAT", due="DUE"),
                                            paper=True, also_writes=(".md", ".markdown"),
                                            label="Markdown",
                                            document_names={ReportKind.CHECK: "board paper"}),
    # A workbook for spreadsheet users (the xlsx extra): summary, breakdowns, the matrix.
    # Streamed: the package goes straight to its file as it is put together (binary: the
    # writer takes a binary handle).
    OutputFormat.XLSX: FormatInfo(_at("xlsx_format", batch="BATCH"), binary=True,
                                  streamed=True, writer_options=True,
                                  extensions=(".xlsx",), label="Excel",
                                  document_names={ReportKind.BATCH: "workbook"}),
}

# Endings of documents boardcheck cannot write, and what to write instead: a name ending in
# one is refused, whatever the format, since the file would not open as its name promises.
REFUSED_ENDINGS: dict[str, str] = {
    ".pdf": "boardcheck does not write PDF: write HTML (-o paper.html) and print it to PDF, "
            "or Word (-o paper.docx)",
    ".doc": "boardcheck does not write the old Word format (.doc): write Word as .docx "
            "(-o paper.docx)",
    ".xls": "boardcheck does not write the old Excel format (.xls): write a workbook as "
            ".xlsx (-o results.xlsx), or CSV (-o results.csv)",
}


# Each format's own module (its check or batch renderer), for tests and documentation.
FORMATS: dict[OutputFormat, str] = {
    fmt: (info.renderers.get(ReportKind.CHECK) or info.renderers[ReportKind.BATCH]
          ).partition(":")[0] for fmt, info in REGISTRY.items()}


class MissingExtra(Exception):
    """The optional dependency a format needs is not installed. Here, not beside the
    formats that raise it, so that catching it imports neither python-docx nor openpyxl
    (a one-file CSV check caught it by importing the docx paper: a third of its start)."""


def info(fmt: OutputFormat) -> FormatInfo:
    return REGISTRY[fmt]


def renders(fmt: OutputFormat, kind: ReportKind) -> bool:
    return kind in REGISTRY[fmt].renderers


def choices(*kinds: ReportKind) -> tuple[str, ...]:
    """The formats that render any of `kinds`, in the registry's order: an option's choices."""
    return tuple(fmt.value for fmt, info in REGISTRY.items()
                 if any(kind in info.renderers for kind in kinds))


def renderer(fmt: OutputFormat, kind: ReportKind) -> Renderer:
    """The renderer of `kind` in `fmt` (imported now); KeyError if the format has none."""
    module, _, attribute = REGISTRY[fmt].renderers[kind].partition(":")
    found: Renderer = getattr(importlib.import_module(module), attribute)
    return found


def step_summary_of(fmt: OutputFormat) -> StepSummary | None:
    """The format's step summary (imported now), or None if it writes none."""
    if not REGISTRY[fmt].step_summary:
        return None
    found: StepSummary = importlib.import_module(FORMATS[fmt]).STEP_SUMMARY
    return found


def renders_one(name: OutputFormat) -> bool:
    return renders(name, ReportKind.CHECK)


def renders_batch(name: OutputFormat) -> bool:
    return renders(name, ReportKind.BATCH)


def get_format(name: OutputFormat) -> Format | None:
    """The single-result renderer of a format, or None if it only renders batches."""
    return renderer(name, ReportKind.CHECK) if renders_one(name) else None


def get_batch_format(name: OutputFormat) -> BatchFormat | None:
    """The batch renderer of a format, or None if it only renders one result."""
    return renderer(name, ReportKind.BATCH) if renders_batch(name) else None


def _ending(name: str, endings: tuple[str, ...]) -> str | None:
    """The longest of `endings` the file name ends with (".sarif.json" before ".json")."""
    lower = name.lower()
    found = [e for e in endings if lower.endswith(e) and len(lower) > len(e)]
    return max(found, key=len) if found else None


def format_for_name(name: str) -> tuple[OutputFormat, str] | None:
    """The format a file name's ending picks, and that ending; None for any other name."""
    picks = [(fmt, ending) for fmt, info in REGISTRY.items()
             if (ending := _ending(name, info.extensions)) is not None]
    return max(picks, key=lambda pick: len(pick[1])) if picks else None


def refused_name(name: str) -> tuple[str, str] | None:
    """The ending of a document boardcheck cannot write that the name ends with, and the
    hint; None for any other name."""
    ending = _ending(name, tuple(REFUSED_ENDINGS))
    return (ending, REFUSED_ENDINGS[ending]) if ending is not None else None


def writes_name(fmt: OutputFormat, name: str) -> bool:
    """Whether a file of this name may hold `fmt`: its ending is the format's own, one the
    format also writes, or one that picks no format at all."""
    picked = format_for_name(name)
    info = REGISTRY[fmt]
    return (picked is None or picked[0] is fmt
            or _ending(name, info.also_writes) == picked[1])
