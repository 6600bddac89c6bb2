"""Command line: Typer commands that parse options, hand over to the application layer and
deliver what comes back (document, stderr lines, exit code). Nothing else lives here.

Heavy modules (pydantic models, the engine, Rich) are imported inside the commands so
that `--help` stays fast; the format registry (`formats.base`) is light and gives the
`--format` choices.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from boardcheck import __version__
from boardcheck.errors import shown
from boardcheck.formats.base import OutputFormat, ReportKind, choices

if TYPE_CHECKING:
    from boardcheck.application import Outcome, Settings
    from boardcheck.errors import BoardcheckError
    from boardcheck.summary import Row

EXIT_OK, EXIT_ERROR = 0, 2
COLORS = ("auto", "always", "never")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

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

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=True,
                  rich_markup_mode=None, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})

T = TypeVar("T")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"boardcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Check how ready a trust board's governance of collaboration is."""


def _say(line: str) -> None:
    """One line on stderr, the only way to it: nothing in it can act on the terminal."""
    from boardcheck.errors import one_line

    typer.echo(one_line(line), err=True)


def _fail(message: str) -> NoReturn:
    _say(f"boardcheck: {message}")
    raise typer.Exit(EXIT_ERROR)


def _report(error: BoardcheckError, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    for problem in error.problems:
        _say(str(problem))


def _guard(debug: bool, action: Callable[[], T]) -> T:
    """Run `action`; every BoardcheckError becomes its messages on stderr and exit 2."""
    from boardcheck.errors import BoardcheckError
    from boardcheck.output import OutputError

    try:
        return action()
    except BoardcheckError as exc:
        _report(exc, debug)
        raise typer.Exit(EXIT_ERROR) from None
    except OutputError as exc:
        _fail(str(exc))


def _check_choice(option: str, value: str, allowed: Collection[str]) -> None:
    if value not in allowed:
        _fail(f"{option}: {value!r} is not one of {', '.join(allowed)}")


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: expected a date written as YYYY-MM-DD, got {value!r}")


def _deliver(outcome: Outcome, s: Settings) -> int:
    """Write the document (stdout, or -o FILE never over a file the run read), the step
    summary and the stderr lines; return the exit code."""
    if outcome.document is not None:
        if not s.to_stdout:
            from boardcheck.output import write_atomically

            assert s.output is not None
            write_atomically(s.output, outcome.document, force=s.force,
                             inputs=[*outcome.inputs, *s.read])
        elif isinstance(outcome.document, bytes):
            if sys.stdout.isatty():
                _fail(f"--format {s.fmt.value} is a binary document: write it with -o FILE")
            sys.stdout.buffer.write(outcome.document)
        else:
            sys.stdout.write(outcome.document)
        sys.stdout.flush()
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if outcome.step_summary is not None and summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(outcome.step_summary)
    if outcome.error is not None:
        raise outcome.error
    for line in outcome.messages:
        _say(line)
    return outcome.exit_code


def _run(debug: bool, make: Callable[[], Settings], go: Callable[[Settings], Outcome]) -> None:
    """Settings, then the run, then delivery: every failure located, exit 2."""
    def whole() -> int:
        s = make()
        return _deliver(go(s), s)

    raise typer.Exit(_guard(debug, whole))


def _format_help(default: str, *kinds: ReportKind) -> str:
    return f"{', '.join(choices(*kinds))} (default {default})."


OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE, not "
                                                "stdout (refuses to replace a file without "
                                                "--force).", metavar="FILE")]
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


def _progress(rows: Iterable[Row], total: int) -> Iterable[Row]:
    """A progress bar on stderr, for a person watching a batch at a terminal."""
    from rich.console import Console
    from rich.progress import track

    return track(rows, total=total, description="Checking", console=Console(stderr=True),
                 transient=True)


@app.command()
def check(
    files: Annotated[list[str], typer.Argument(
        help="Trust descriptions: files, directories (searched for *.yaml, *.yml) or globs.",
        show_default=False, metavar="PATH")],
    format: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help=_format_help(
            "rich; github under GitHub Actions", ReportKind.CHECK, ReportKind.BATCH))] = None,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    questionnaire: QuestionnaireOpt = None,
    fail_under: Annotated[list[str] | None, typer.Option(
        "--fail-under", help="Exit 1 if the overall score is below N, or with CATEGORY=N if "
        "that category's score is (repeatable).", metavar="[CATEGORY=]N")] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 1 if any category or the whole is rated at or below this: "
        "amber or red.", metavar="RATING")] = None,
    fail_on_critical: Annotated[bool, typer.Option(
        "--fail-on-critical", help="Exit 1 if any critical criterion is not met.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Parallel processes for many files (default: the CPU count).",
        min=1, metavar="N")] = None,
    sort: Annotated[str, typer.Option(
        "--sort", help="Batch order: score, name or a category id.", metavar="KEY")] = "score",
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only failures: no on-screen report, no progress bar.")
    ] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    color: ColorOpt = "auto",
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="A result saved with -f json last time: show each score's "
        "movement since then.", metavar="FILE")] = None,
    meeting: Annotated[str | None, typer.Option(
        "--meeting", help="Board meeting date for the paper's cover (default: as-of).",
        metavar="YYYY-MM-DD")] = None,
    config: ConfigOpt = None,
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check trust descriptions against the questionnaire and report scores and gaps.

    One file gives the full report; several files, a directory or a glob give a batch:
    league table, heat map, sector statistics, common gaps and the files that failed.
    """
    from dataclasses import replace

    from boardcheck import application
    from boardcheck.formats.base import renders
    from boardcheck.questionnaire import CATEGORY_IDS

    _check_choice("--color", color, COLORS)
    _check_choice("--sort", sort, ("score", "name", *CATEGORY_IDS))
    meeting_date = _parse_date(meeting, "--meeting")
    # Settings are checked in one place (config), whatever their source; flags go as given.
    flags = {"questionnaire": questionnaire, "format": format, "as_of": as_of,
             "fail_under": fail_under, "fail_on": fail_on,
             "fail_on_critical": fail_on_critical, "jobs": jobs}
    s = _guard(debug, lambda: replace(application.settings(
        flags, config, output=output, color=color, force=force, sort=sort, quiet=quiet,
        max_bytes=max_bytes), baseline=baseline, meeting=meeting_date))
    if application.one_file(files, s.fmt):
        _run(debug, lambda: s, lambda s: application.run_one(Path(files[0]), s))
    if not renders(s.fmt, ReportKind.BATCH):
        _fail(f"--format {s.fmt.value} describes one file; give one file, not several")
    watching = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
    _run(debug, lambda: s, lambda s: application.run_many(
        files, s, _progress if watching else None))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Trust descriptions to validate.",
                                                show_default=False)],
    questionnaire: QuestionnaireOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Validate trust descriptions against the schema, listing every problem; a file's
    waivers are checked against the questionnaire too. Nothing is scored."""
    from boardcheck.application import run_validate

    outcome = _guard(debug, lambda: run_validate(files, questionnaire=questionnaire,
                                                 config=config, max_bytes=max_bytes))
    sys.stdout.write(str(outcome.document))
    for line in outcome.messages:
        _say(line)
    raise typer.Exit(outcome.exit_code)


@app.command()
def questions(
    category: Annotated[str | None, typer.Option("--category", help="Only this category id.",
                                                 metavar="ID")] = None,
    questionnaire: QuestionnaireOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the questionnaire: board questions and their criteria."""
    from boardcheck.formats.questionnaire_text import render_questions
    from boardcheck.questionnaire import CATEGORY_IDS, load_questionnaire

    if category is not None and category not in CATEGORY_IDS:
        _fail(f"--category: {category!r} is not one of {', '.join(CATEGORY_IDS)}")
    q = _guard(debug, lambda: load_questionnaire(questionnaire))
    sys.stdout.write(render_questions(q, category))


@app.command()
def explain(
    criterion: Annotated[str, typer.Argument(help="A criterion id, e.g. PF01.",
                                             show_default=False)],
    questionnaire: QuestionnaireOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show one criterion in full: what it checks, why, the question to ask, how to close it."""
    import difflib

    from boardcheck.formats.questionnaire_text import render_criterion
    from boardcheck.questionnaire import load_questionnaire

    q = _guard(debug, lambda: load_questionnaire(questionnaire))
    found = q.criterion(criterion.upper())
    if found is None:
        close = difflib.get_close_matches(criterion.upper(), [c.spec.id for c in q.criteria], 1)
        hint = f"; did you mean {close[0]}?" if close else ""
        _fail(f"no criterion {criterion!r} in {q.id}{hint}")
    sys.stdout.write(render_criterion(q, found))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the template.",
                                         show_default=False)],
    interactive: Annotated[bool, typer.Option(
        "--interactive", "-i", help="Ask about the organisation and each arrangement, then "
        "write a file from the answers.")] = False,
    force: ForceOpt = False,
) -> None:
    """Write a commented trust description that validates, ready to fill in."""
    from importlib import resources

    from boardcheck.output import write_atomically

    # Refuse before asking anything: nobody should answer thirty questions to be told no.
    if path.is_dir():
        _fail(f"{shown(path)}: is a directory")
    if path.is_file() and not force:
        _fail(f"{shown(path)}: already exists; use --force to replace it")
    if interactive:
        from rich.console import Console

        from boardcheck.interview import interview

        try:
            text = interview(Console(stderr=True), today=dt.date.today())
        except (EOFError, KeyboardInterrupt):
            _fail("the interview stopped before the end; nothing was written")
    else:
        text = (resources.files("boardcheck") / "templates" / "trust.yaml").read_text("utf-8")
    _guard(False, lambda: write_atomically(path, text, force=force))
    _say(f"wrote {shown(path)}: fill it in, then run: boardcheck check {shown(path)}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the trust description format."""
    import json

    from boardcheck.trust_schema import trust_json_schema

    sys.stdout.write(json.dumps(trust_json_schema(), indent=2) + "\n")


def _report_settings(kind: ReportKind, format: str, questionnaire: str | None,
                     as_of: str | None, config: Path | None, *, output: Path | None,
                     color: str, force: bool, max_bytes: int) -> Callable[[], Settings]:
    """Settings for a diff or a forward look; options are checked now, the configuration
    is read when the returned function is called, inside the guard."""
    from boardcheck import application

    _check_choice("--format", format, choices(kind))
    _check_choice("--color", color, COLORS)
    flags: dict[str, object] = {"questionnaire": questionnaire, "as_of": as_of}
    return lambda: application.settings(flags, config, output=output, color=color,
                                        force=force, max_bytes=max_bytes,
                                        fmt=OutputFormat(format))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier trust file or saved JSON result.",
                                        show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later trust file or saved JSON result.",
                                        show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help=_format_help(
        "rich", ReportKind.DIFF), metavar="FORMAT")] = "rich",
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge trust files at this date (default: each file's as_of).",
        metavar="YYYY-MM-DD")] = None,
    questionnaire: QuestionnaireOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    color: ColorOpt = "auto",
    config: ConfigOpt = None,
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Show what changed between two checks: scores, ratings, criteria, waivers, arrangements.

    Each side is a trust file (checked now) or a JSON result saved with -f json.
    """
    from boardcheck import application

    make = _report_settings(ReportKind.DIFF, format, questionnaire, as_of, config,
                            output=output, color=color, force=force, max_bytes=max_bytes)
    _run(debug, make, lambda s: application.run_diff(old, new, s))


@app.command()
def due(
    file: Annotated[Path, typer.Argument(help="The trust description (YAML).",
                                         show_default=False)],
    within: Annotated[int, typer.Option(
        "--within", help="Look this many days ahead of the as-of date.", min=0,
        metavar="DAYS")] = 90,
    meeting: Annotated[str | None, typer.Option(
        "--meeting", help="The board meeting date: splits 'before the meeting' from 'later'.",
        metavar="YYYY-MM-DD")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_format_help(
        "rich", ReportKind.DUE), metavar="FORMAT")] = "rich",
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Count from this date (default: the file's as_of, else today).",
        metavar="YYYY-MM-DD")] = None,
    questionnaire: QuestionnaireOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    color: ColorOpt = "auto",
    config: ConfigOpt = None,
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """List every review, renewal and expiry falling due or overdue, for the board's plan."""
    from boardcheck import application

    make = _report_settings(ReportKind.DUE, format, questionnaire, as_of, config,
                            output=output, color=color, force=force, max_bytes=max_bytes)
    meeting_date = _parse_date(meeting, "--meeting")
    _run(debug, make, lambda s: application.run_due(file, s, meeting=meeting_date,
                                                    within=within))


@app.command("config")
def show_config(
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print the effective configuration as TOML, with where each value comes from."""
    from boardcheck.config import describe, load_effective

    eff = _guard(debug, lambda: load_effective({}, config))
    sys.stdout.write(describe(eff))


def run() -> None:
    """Console-script entry: Typer turns usage errors into exit 2 itself."""
    app(prog_name="boardcheck")
