"""The format interface and the registry the CLI's `--format` choices come from."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
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


class ReportKind(StrEnum):
    """What a format can be asked to render."""

    CHECK = "check"  # one result
    BATCH = "batch"  # many results
    DIFF = "diff"  # the movement between two results
    DUE = "due"  # the forward look


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
    # Under GitHub Actions, also appends a summary to $GITHUB_STEP_SUMMARY.
    step_summary: bool = False
    # A board paper: takes the cover sheet, --summary, --template, the trend and the
    # forward look (RenderOptions.paper).
    paper: bool = False
    # Its streamed writer takes the run's RenderOptions (`options=`): CSV, for --excel.
    writer_options: bool = False


def _at(module: str, **kinds: str) -> dict[ReportKind, str]:
    return {ReportKind(kind): f"boardcheck.formats.{module}:{attribute}"
            for kind, attribute in kinds.items()}


# The one registry: every format, what it renders, and how. The CLI's choices come from it.
REGISTRY: dict[OutputFormat, FormatInfo] = {
    OutputFormat.RICH: FormatInfo(
        {**_at("rich_text", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="RICH"),
         **_at("due_report", due="RICH")}, screen=True),
    OutputFormat.JSON: FormatInfo(
        {**_at("json_format", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="JSON"),
         **_at("due_report", due="JSON")}, streamed=True),
    # One file's CSV is a batch of one row.
    OutputFormat.CSV: FormatInfo({**_at("csv_format", batch="BATCH"),
                                  **_at("due_report", due="CSV")}, streamed=True,
                                 writer_options=True),
    OutputFormat.MARKDOWN: FormatInfo(
        {**_at("markdown", check="FORMAT", batch="BATCH"), **_at("diff_report", diff="MARKDOWN"),
         **_at("due_report", due="MARKDOWN")}),
    OutputFormat.SARIF: FormatInfo(_at("sarif", check="FORMAT", batch="BATCH"),
                                   carries_failures=True, streamed=True),
    OutputFormat.JUNIT: FormatInfo(_at("junit", check="FORMAT", batch="BATCH"), streamed=True),
    OutputFormat.GITHUB: FormatInfo(_at("github", check="FORMAT", batch="BATCH"),
                                    carries_failures=True, step_summary=True, streamed=True),
    OutputFormat.HTML: FormatInfo({**_at("html", check="FORMAT"),
                                   **_at("html_batch", batch="BATCH"),
                                   **_at("html_paper", due="DUE")}, streamed=True, paper=True),
    OutputFormat.DOCX: FormatInfo(_at("docx_paper", check="FORMAT", due="DUE"), binary=True,
                                  paper=True),
    OutputFormat.MARKDOWN_PAPER: FormatInfo(_at("markdown_paper", check="FORMAT", due="DUE"),
                                            paper=True),
    # A workbook for spreadsheet users (the xlsx extra): summary, breakdowns, the matrix.
    OutputFormat.XLSX: FormatInfo(_at("xlsx_format", batch="BATCH"), binary=True),
}

# Each format's own module (its check or batch renderer), for tests and documentation.
FORMATS: dict[OutputFormat, str] = {
    fmt: (info.renderers.get(ReportKind.CHECK) or info.renderers[ReportKind.BATCH]
          ).partition(":")[0] for fmt, info in REGISTRY.items()}


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
