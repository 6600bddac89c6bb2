"""The command line's vocabulary: its help text and every option and argument, declared once.

Declarations only (Typer metadata, no behaviour); the commands in `cli.py` use them.
The `--format` choices and help come from the format registry. The block of options that
`diff` and `due` share is declared once (`report_options`) and reaches each command as
one `ReportOptions` value.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from boardcheck.formats.base import REGISTRY, ReportKind, choices

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


class _CoercedWhenGiven:
    """A parameter's value coercion, built only for a value that needs coercing.

    Typer builds a pydantic TypeAdapter for every parameter of a command before looking at
    its value, even one left out (None, the default of most of `check`'s 31): ~1.5 ms each,
    a sixth of a one-file check's start-up. Typer's own `RuntimeParam.coerce` still decides
    what an absent value becomes; the adapter is built only when it asks for one."""

    def __init__(self, coerce: Callable[..., Any]) -> None:
        self._coerce = coerce

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return self._coerce(self, value, param=param, ctx=ctx)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if _coerced_already(value, param.type_descriptor):
            # What Typer's coercion returns for it, without building its adapter (below).
            return list(value) if isinstance(value, tuple | list) else value
        param._runtime_param = None  # from here on, Typer's own coercion for this parameter
        return param.get_runtime_param()._coerce_value(value, param=param, ctx=ctx)


def _coerced_already(value: Any, descriptor: Any) -> bool:
    """Whether Typer's coercion would return `value` as it is (a list for a list): a text
    for a text parameter (Typer's `str(value)`), an int default for an unbounded int
    parameter, a list of texts for a list of texts. Only these: anything else (a number
    typed on the command line, a path, a bounded or parsed value) is coerced by Typer, and
    so are its errors. Building the adapter that would return the value unchanged was the
    only use a one-file check made of pydantic's schema generation: a seventh of its
    start-up."""
    info = descriptor.parameter_info
    if (info.parser is not None or getattr(info, "click_type", None) is not None
            or descriptor.file_annotation is not None):
        return False
    annotation = descriptor.annotation
    if annotation is str:
        return type(value) is str
    if annotation is int:
        return type(value) is int and info.min is None and info.max is None
    if annotation == list[str]:
        return type(value) in (tuple, list) and all(type(item) is str for item in value)
    return False


def _coerce_when_given(params: list[Any]) -> None:
    try:  # Typer's coercion layer (0.20+); older versions coerce through Click's types
        from typer._coercion import RuntimeParam
    except ImportError:
        return
    for param in params:
        if getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _CoercedWhenGiven(RuntimeParam.coerce)


def _help_coerced_when_given(option: Any) -> Any:
    """-h/--help, made by Click when first asked for, coerced only when given too."""
    if option is not None:
        _coerce_when_given([option])
    return option


class DomainCommand(TyperCommand):
    """A command whose help speaks the user's words: each argument is shown by its
    metavar (TRUST_FILE, CRITERION), never followed by its Python type (`<list[str]>`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _coerce_when_given(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_coerced_when_given(super().get_help_option(ctx))

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((param.metavar or str(param.name).upper(), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class DomainGroup(TyperGroup):
    """The application's group: its own options (--version, the completion ones) coerced,
    as a command's are, only when given."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _coerce_when_given(self.params)  # Typer adds the completion options after __init__
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_coerced_when_given(super().get_help_option(ctx))


class App(typer.Typer):
    """The Typer application, every command of it a `DomainCommand`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", DomainGroup)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType],
                                                             CommandFunctionType]:
        kwargs.setdefault("cls", DomainCommand)
        return super().command(*args, **kwargs)


def at_least(lowest: int) -> Callable[[int | None], int | None]:
    """A check that a count is at least `lowest`, said in words: Typer's own `min=` shows
    the bound in help as `x>=1`, which is Python's notation, not the user's."""
    def check(value: int | None) -> int | None:
        if value is not None and value < lowest:
            raise typer.BadParameter(f"must be at least {lowest}, not {value}")
        return value

    return check


def _format(default: str, *kinds: ReportKind) -> Any:
    # The help says the default in words; Typer's "[default: rich]" would say it twice.
    return typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                        help=f"{', '.join(choices(*kinds))} (default {default}).")


# The endings that pick a format, from the registry: a new format's appear here by itself.
_ENDINGS = ", ".join(info.extensions[0] for info in REGISTRY.values() if info.extensions)
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help=f"Write to FILE, not stdout; its ending ({_ENDINGS}) picks the "
    "format (refuses to replace a file without --force).", metavar="FILE")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
QuestionnaireOpt = Annotated[str | None, typer.Option(
    "--questionnaire", help="Built-in questionnaire name or a questionnaire YAML file.",
    metavar="NAME|FILE")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Configuration file (default: the nearest .boardcheck.toml, or "
    "pyproject.toml with [tool.boardcheck], from here upwards).", metavar="FILE")]
MaxBytesOpt = Annotated[int, typer.Option(
    "--max-bytes", help="Refuse files larger than this many bytes (at least 1).",
    callback=at_least(1), metavar="BYTES")]
ColorOpt = Annotated[str, typer.Option("--color", help="auto, always or never (NO_COLOR and "
                                       "FORCE_COLOR are honoured).", metavar="WHEN")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Judge dates at this date, 15/09/2026 or 2026-09-15 (default: the "
    "file's as_of, else today).", metavar="DATE")]

# check
PathsArg = Annotated[list[str], typer.Argument(
    help="Trust descriptions: files, directories (searched for *.yaml, *.yml) or globs.",
    show_default=False, metavar="TRUST_FILE")]
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
    callback=at_least(1), metavar="N")]
SortOpt = Annotated[str | None, typer.Option(
    "--sort", help="Batch order: score (highest first), worst (lowest first), name, a "
    "category id, or grouped by region, icb, sector, legal_form or governance_model "
    "(then highest score first).", metavar="KEY")]
ExcelOpt = Annotated[bool, typer.Option(
    "--excel", help="CSV for Excel: a byte-order mark (so Excel on Windows reads UTF-8) and "
    "a second header row of column titles.")]
BreakdownsOpt = Annotated[Path | None, typer.Option(
    "--breakdowns", help="With many files, also write the breakdowns by region, ICB, sector, "
    "legal form and governance model to FILE as a CSV table for a spreadsheet: a row per "
    "group and question, with the shares rated and the quartiles (--excel applies).",
    metavar="FILE")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only failures: no on-screen report, no progress bar.")]
BaselineOpt = Annotated[list[Path] | None, typer.Option(
    "--baseline", help="A result saved with -f json at an earlier board, or a folder of them "
    "(repeatable): the movement since the latest, and in a paper the trend across them all.",
    metavar="FILE|DIR")]
PapersOpt = Annotated[Path | None, typer.Option(
    "--papers", help="With many files, also write each trust's board paper into DIR, named "
    "by its ODS code (HTML; Word with -f docx), and link the HTML batch page to them.",
    metavar="DIR")]
PaperMeetingOpt = Annotated[str | None, typer.Option(
    "--meeting", help="Board meeting date for the paper's cover: 15/09/2026 or 2026-09-15.",
    metavar="DATE")]

# schema
SchemaOutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the schema to FILE, e.g. trust.schema.json beside the trust "
    "file (refuses to replace a file without --force).", metavar="FILE")]

# validate, questions, explain, init
FilesArg = Annotated[list[Path], typer.Argument(help="Trust descriptions to validate.",
                                                show_default=False, metavar="TRUST_FILE")]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Only this category id.",
                                                 metavar="ID")]
CriterionArg = Annotated[str, typer.Argument(help="A criterion id, e.g. PF01.",
                                             show_default=False, metavar="CRITERION")]
TemplatePathArg = Annotated[Path, typer.Argument(help="Where to write the template.",
                                                 show_default=False, metavar="NEW_FILE")]
InteractiveOpt = Annotated[bool, typer.Option(
    "--interactive", "-i", help="Ask about the organisation and each arrangement, then "
    "write a file from the answers; on a file that exists, revisit it (Enter keeps each "
    "answer, comments are kept). Ctrl-C saves a draft to carry on from.")]

# diff
OldArg = Annotated[Path, typer.Argument(help="The earlier trust file or saved JSON result.",
                                        show_default=False, metavar="EARLIER")]
NewArg = Annotated[Path, typer.Argument(help="The later trust file or saved JSON result.",
                                        show_default=False, metavar="LATER")]

# due
TrustArg = Annotated[Path, typer.Argument(help="The trust description (YAML).",
                                          show_default=False, metavar="TRUST_FILE")]
WithinOpt = Annotated[int, typer.Option("--within", help="Look this many days ahead of the "
                                        "as-of date.", callback=at_least(0), metavar="DAYS")]
DueMeetingOpt = Annotated[str | None, typer.Option(
    "--meeting", help="The board meeting date, 15/09/2026 or 2026-09-15: splits 'before "
    "the meeting' from 'later'.", metavar="DATE")]


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """The options every report command (`diff`, `due`) takes, as the user gave them."""

    format: str | None  # None: from -o FILE's name, else rich
    output: Path | None
    as_of: str | None
    questionnaire: str | None
    max_bytes: int
    color: str
    config: Path | None
    force: bool
    debug: bool


def report_options(kind: ReportKind, as_of_help: str) -> Callable[[Callable[..., None]],
                                                                   Callable[..., None]]:
    """Give a command the shared report options after its own: Typer reads them from the
    signature as if the command declared each one; the command receives them as one
    `ReportOptions` in its parameter `common`."""
    shared: dict[str, tuple[Any, Any]] = {
        "format": (Annotated[str | None, _format("from -o FILE's name, else rich", kind)],
                   None),
        "output": (OutputOpt, None),
        "as_of": (Annotated[str | None, typer.Option("--as-of", help=as_of_help,
                                                     metavar="DATE")], None),
        "questionnaire": (QuestionnaireOpt, None),
        "max_bytes": (MaxBytesOpt, DEFAULT_MAX_BYTES),
        "color": (ColorOpt, "auto"),
        "config": (ConfigOpt, None),
        "force": (ForceOpt, False),
        "debug": (DebugOpt, False),
    }
    assert list(shared) == [f.name for f in fields(ReportOptions)]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=hint,
                               default=default) for name, (hint, default) in shared.items()]

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = [p for name, p in inspect.signature(command, eval_str=True).parameters.items()
               if name != "common"]

        @functools.wraps(command)
        def with_options(**given: Any) -> None:
            common = ReportOptions(**{name: given.pop(name) for name in shared})
            command(common=common, **given)

        with_options.__signature__ = inspect.Signature([*own, *added])  # type: ignore[attr-defined]
        with_options.__annotations__ = {p.name: p.annotation for p in [*own, *added]}
        return with_options

    return decorate

# check: the board paper (html, docx, markdown-paper); each also a [paper] configuration entry
AgendaItemOpt = Annotated[str | None, typer.Option(
    "--agenda-item", help="Paper cover sheet: the agenda item, e.g. 'Item 7.2'.", metavar="ITEM")]
AuthorOpt = Annotated[str | None, typer.Option(
    "--author", help="Paper cover sheet: the author.", metavar="NAME")]
SponsorOpt = Annotated[str | None, typer.Option(
    "--sponsor", help="Paper cover sheet: the executive sponsor.", metavar="NAME")]
PurposeOpt = Annotated[str | None, typer.Option(
    "--purpose", help="Paper cover sheet: approval, assurance (default), discussion or "
    "information.", metavar="PURPOSE")]
PreviousOpt = Annotated[str | None, typer.Option(
    "--previous", help="Paper cover sheet: where the paper was considered before.",
    metavar="MEETING")]
RecommendationOpt = Annotated[str | None, typer.Option(
    "--recommendation", help="Paper: the recommendation to the board (default: to note the "
    "assessment and agree owners and dates).", metavar="WORDS")]
BafOpt = Annotated[list[str] | None, typer.Option(
    "--baf", help="Paper cover sheet: a board assurance framework risk the paper links to "
    "(repeatable).", metavar="RISK")]
MarkingOpt = Annotated[str | None, typer.Option(
    "--marking", help="Paper: a protective marking for the top of the cover and each page, "
    "e.g. OFFICIAL.", metavar="MARKING")]
SummaryOpt = Annotated[bool, typer.Option(
    "--summary", help="Paper: the cover paper only, without the appendices.")]
TemplateOpt = Annotated[Path | None, typer.Option(
    "--template", help="HTML paper: a folder of the trust's own templates (paper.html.j2, "
    "paper.css) and logo (logo.png, .jpg or .svg).", metavar="DIR")]
LogoOpt = Annotated[Path | None, typer.Option(
    "--logo", help="Paper: the trust's logo for the cover (.png, .jpg or .svg).",
    metavar="FILE")]
DueWithinOpt = Annotated[int | None, typer.Option(
    "--due-within", help="Paper: add what falls due within this many days (as `due`).",
    metavar="DAYS")]
