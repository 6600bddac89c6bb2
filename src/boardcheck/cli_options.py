"""The command line's vocabulary: its help text and every option and argument, declared once.

Declarations only (Typer metadata, no behaviour); the commands in `cli.py` use them.
The `--format` choices and help come from the format registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from boardcheck.formats.base import ReportKind, choices

HELP = """Check how ready an NHS trust board's governance of its collaborative arrangements is.

\b
Examples:
  boardcheck init trust.yaml               a template to fill in (or --interactive)
  boardcheck check trust.yaml              the report on screen
  boardcheck check trust.yaml -f html -o paper.html --meeting 2026-11-26
                                           a board paper (also -f docx)
  boardcheck diff last-board.json trust.yaml   what changed since the last board
  boardcheck due trust.yaml --within 90    reviews and expiries falling due
  boardcheck check submissions/ -f csv -o sector.csv   many trusts at once
  boardcheck check trust.yaml --fail-under 70 --fail-on red   for CI
  boardcheck validate trust.yaml           schema and waivers, every problem
  boardcheck questions; boardcheck explain PF01

\b
Exit codes:
  0    checked, and within any threshold given
  1    checked, but past --fail-under, --fail-on or --fail-on-critical
  2    usage error, or configuration or input that could not be evaluated
  130  a batch interrupted with Ctrl-C (what was done is written)
"""

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
COLORS = ("auto", "always", "never")


def _format(default: str, *kinds: ReportKind) -> Any:
    return typer.Option("--format", "-f", metavar="FORMAT",
                        help=f"{', '.join(choices(*kinds))} (default {default}).")


OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE, not "
                                                "stdout; its ending (.html, .docx, .json, "
                                                ".csv, .md, .sarif, .xml) picks the format "
                                                "(refuses to replace a file without --force).",
                                                metavar="FILE")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
QuestionnaireOpt = Annotated[str | None, typer.Option(
    "--questionnaire", help="Built-in questionnaire name or a questionnaire YAML file.",
    metavar="NAME|PATH")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Configuration file (default: the nearest .boardcheck.toml, or "
    "pyproject.toml with [tool.boardcheck], from here upwards).", metavar="PATH")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Refuse files larger than this.",
                                          min=1, metavar="N")]
ColorOpt = Annotated[str, typer.Option("--color", help="auto, always or never (NO_COLOR and "
                                       "FORCE_COLOR are honoured).", metavar="WHEN")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Judge dates at this date (default: the file's as_of, else today).",
    metavar="YYYY-MM-DD")]

# check
PathsArg = Annotated[list[str], typer.Argument(
    help="Trust descriptions: files, directories (searched for *.yaml, *.yml) or globs.",
    show_default=False, metavar="PATH")]
CheckFormatOpt = Annotated[str | None, _format("from -o FILE's name, e.g. paper.docx; else "
                                               "rich, or github under GitHub Actions",
                                               ReportKind.CHECK, ReportKind.BATCH)]
FailUnderOpt = Annotated[list[str] | None, typer.Option(
    "--fail-under", help="Exit 1 if the overall score is below N, or with CATEGORY=N if "
    "that category's score is (repeatable).", metavar="[CATEGORY=]N")]
FailOnOpt = Annotated[str | None, typer.Option(
    "--fail-on", help="Exit 1 if any category or the whole is rated at or below this: "
    "amber or red.", metavar="RATING")]
FailOnCriticalOpt = Annotated[bool, typer.Option(
    "--fail-on-critical", help="Exit 1 if any critical criterion is not met.")]
JobsOpt = Annotated[int | None, typer.Option(
    "--jobs", "-j", help="Parallel processes for many files (default: the CPU count).",
    min=1, metavar="N")]
SortOpt = Annotated[str, typer.Option(
    "--sort", help="Batch order: score, name or a category id.", metavar="KEY")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only failures: no on-screen report, no progress bar.")]
BaselineOpt = Annotated[Path | None, typer.Option(
    "--baseline", help="A result saved with -f json last time: show each score's movement "
    "since then.", metavar="FILE")]
PaperMeetingOpt = Annotated[str | None, typer.Option(
    "--meeting", help="Board meeting date for the paper's cover (default: as-of).",
    metavar="YYYY-MM-DD")]

# validate, questions, explain, init
FilesArg = Annotated[list[Path], typer.Argument(help="Trust descriptions to validate.",
                                                show_default=False)]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Only this category id.",
                                                 metavar="ID")]
CriterionArg = Annotated[str, typer.Argument(help="A criterion id, e.g. PF01.",
                                             show_default=False)]
TemplatePathArg = Annotated[Path, typer.Argument(help="Where to write the template.",
                                                 show_default=False)]
InteractiveOpt = Annotated[bool, typer.Option(
    "--interactive", "-i", help="Ask about the organisation and each arrangement, then "
    "write a file from the answers.")]

# diff
OldArg = Annotated[Path, typer.Argument(help="The earlier trust file or saved JSON result.",
                                        show_default=False)]
NewArg = Annotated[Path, typer.Argument(help="The later trust file or saved JSON result.",
                                        show_default=False)]
DiffFormatOpt = Annotated[str | None, _format("from -o FILE's name, else rich",
                                              ReportKind.DIFF)]
DiffAsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Judge trust files at this date (default: each file's as_of).",
    metavar="YYYY-MM-DD")]

# due
TrustArg = Annotated[Path, typer.Argument(help="The trust description (YAML).",
                                          show_default=False)]
WithinOpt = Annotated[int, typer.Option("--within", help="Look this many days ahead of the "
                                        "as-of date.", min=0, metavar="DAYS")]
DueMeetingOpt = Annotated[str | None, typer.Option(
    "--meeting", help="The board meeting date: splits 'before the meeting' from 'later'.",
    metavar="YYYY-MM-DD")]
DueFormatOpt = Annotated[str | None, _format("from -o FILE's name, else rich",
                                             ReportKind.DUE)]
DueAsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Count from this date (default: the file's as_of, else today).",
    metavar="YYYY-MM-DD")]
