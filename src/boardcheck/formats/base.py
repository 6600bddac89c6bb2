"""The format interface and the registry the CLI's `--format` choices come from."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # type-only: one-file checks need not import the batch and diff modules
    from boardcheck.diff import Diff
    from boardcheck.result import Result
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


class Format(Protocol):
    """A format renders one result as text."""

    def render(self, result: Result, options: RenderOptions) -> str: ...


class BatchFormat(Protocol):
    """A format renders a batch of results as text."""

    def render(self, batch: BatchResult, options: RenderOptions) -> str: ...


# Module per format, imported only when used: start-up stays fast.
FORMATS: dict[OutputFormat, str] = {
    OutputFormat.RICH: "boardcheck.formats.rich_text",
    OutputFormat.JSON: "boardcheck.formats.json_format",
    OutputFormat.CSV: "boardcheck.formats.csv_format",
    OutputFormat.MARKDOWN: "boardcheck.formats.markdown",
    OutputFormat.SARIF: "boardcheck.formats.sarif",
    OutputFormat.JUNIT: "boardcheck.formats.junit",
    OutputFormat.GITHUB: "boardcheck.formats.github",
    OutputFormat.HTML: "boardcheck.formats.html",
    OutputFormat.DOCX: "boardcheck.formats.docx_paper",
}


# What each format renders, known without importing it (the CLI decides one file or a batch
# before it renders anything). A test holds these to the modules' FORMAT and BATCH.
ONE_RESULT_ONLY = frozenset({OutputFormat.DOCX})
BATCH_ONLY = frozenset({OutputFormat.CSV})  # one file's CSV is a batch of one row
# Formats a CI consumer reads whatever happened: a file that cannot be evaluated is still a
# complete document that carries the failure (code scanning's upload needs the file).
CARRIES_FAILURES = frozenset({OutputFormat.SARIF, OutputFormat.GITHUB})


def renders_one(name: OutputFormat) -> bool:
    return name not in BATCH_ONLY


def renders_batch(name: OutputFormat) -> bool:
    return name not in ONE_RESULT_ONLY


def get_format(name: OutputFormat) -> Format | None:
    """The single-result renderer of a format, or None if it only renders batches."""
    module = importlib.import_module(FORMATS[name])
    fmt: Format | None = getattr(module, "FORMAT", None)
    return fmt


def get_batch_format(name: OutputFormat) -> BatchFormat | None:
    """The batch renderer of a format, or None if it only renders one result."""
    module = importlib.import_module(FORMATS[name])
    fmt: BatchFormat | None = getattr(module, "BATCH", None)
    return fmt
