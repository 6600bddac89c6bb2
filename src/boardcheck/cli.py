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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from boardcheck import __version__
from boardcheck import cli_options as opt
from boardcheck.cli_delivery import check_choice as _check_choice
from boardcheck.cli_delivery import fail as _fail
from boardcheck.cli_delivery import guard as _guard
from boardcheck.cli_delivery import parse_date as _parse_date
from boardcheck.cli_delivery import progress as _progress
from boardcheck.cli_delivery import run as _run
from boardcheck.cli_delivery import say as _say
from boardcheck.formats.base import OutputFormat, ReportKind, choices

if TYPE_CHECKING:
    from boardcheck.application import Settings

app = opt.App(help=opt.HELP, no_args_is_help=True, add_completion=True,
              rich_markup_mode=None, pretty_exceptions_enable=False,
              context_settings={"help_option_names": ["-h", "--help"]})


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


@app.command()
def check(
    files: opt.PathsArg,
    format: opt.CheckFormatOpt = None,
    output: opt.OutputOpt = None,
    as_of: opt.AsOfOpt = None,
    questionnaire: opt.QuestionnaireOpt = None,
    fail_under: opt.FailUnderOpt = None,
    fail_on: opt.FailOnOpt = None,
    fail_on_critical: opt.FailOnCriticalOpt = False,
    jobs: opt.JobsOpt = None,
    sort: opt.SortOpt = None,
    excel: opt.ExcelOpt = False,
    breakdowns: opt.BreakdownsOpt = None,
    quiet: opt.QuietOpt = False,
    max_bytes: opt.MaxBytesOpt = opt.DEFAULT_MAX_BYTES,
    color: opt.ColorOpt = "auto",
    baseline: opt.BaselineOpt = None,
    meeting: opt.PaperMeetingOpt = None,
    papers: opt.PapersOpt = None,
    config: opt.ConfigOpt = None,
    force: opt.ForceOpt = False,
    debug: opt.DebugOpt = False,
    agenda_item: opt.AgendaItemOpt = None,
    author: opt.AuthorOpt = None,
    sponsor: opt.SponsorOpt = None,
    purpose: opt.PurposeOpt = None,
    previous: opt.PreviousOpt = None,
    recommendation: opt.RecommendationOpt = None,
    baf: opt.BafOpt = None,
    marking: opt.MarkingOpt = None,
    summary: opt.SummaryOpt = False,
    template: opt.TemplateOpt = None,
    logo: opt.LogoOpt = None,
    due_within: opt.DueWithinOpt = None,
) -> None:
    """Check trust descriptions against the questionnaire and report scores and gaps.

    One file gives the full report; several files, a directory or a glob give a batch:
    league table, heat map, sector statistics, common gaps and the files that failed.
    """
    from dataclasses import replace

    from boardcheck import application
    from boardcheck.formats.base import renders

    _check_choice("--color", color, opt.COLORS)
    meeting_date = _parse_date(meeting, "--meeting")
    # Settings are checked in one place (config), whatever their source; flags go as given.
    flags: dict[str, object] = {"questionnaire": questionnaire, "format": format, "as_of": as_of,
             "fail_under": fail_under, "fail_on": fail_on,
             "fail_on_critical": fail_on_critical, "jobs": jobs, "sort": sort, "excel": excel}
    # The paper's settings, each checked as its [paper] configuration entry is.
    flags["paper"] = {"agenda_item": agenda_item, "author": author, "sponsor": sponsor,
                      "purpose": purpose, "previous": previous,
                      "recommendation": recommendation, "baf_risks": baf, "marking": marking,
                      "summary": summary, "template": template and str(template),
                      "logo": logo and str(logo), "due_within": due_within}
    s = _guard(debug, lambda: replace(application.settings(
        flags, config, output=output, color=color, force=force, quiet=quiet,
        max_bytes=max_bytes, breakdowns=breakdowns), meeting=meeting_date, papers=papers,
        baselines=tuple(baseline or ())))
    # --papers or --breakdowns makes even one file a batch, written beside the batch document.
    if papers is None and breakdowns is None and application.one_file(files, s.fmt):
        _run(debug, lambda: s, lambda s: application.run_one(Path(files[0]), s))
    if not renders(s.fmt, ReportKind.BATCH) and papers is None:
        _fail(f"{s.format_from}: {s.info.label} describes one file; " + (
            "give one file, not several" if breakdowns is None else
            "--breakdowns needs a batch format (or --papers)"))
    watching = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
    _run(debug, lambda: s, lambda s: application.run_many(
        files, s, _progress if watching else None))


@app.command()
def validate(
    files: opt.FilesArg,
    questionnaire: opt.QuestionnaireOpt = None,
    max_bytes: opt.MaxBytesOpt = opt.DEFAULT_MAX_BYTES,
    config: opt.ConfigOpt = None,
    debug: opt.DebugOpt = False,
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
    category: opt.CategoryOpt = None,
    questionnaire: opt.QuestionnaireOpt = None,
    debug: opt.DebugOpt = False,
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
    criterion: opt.CriterionArg,
    questionnaire: opt.QuestionnaireOpt = None,
    debug: opt.DebugOpt = False,
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
    path: opt.TemplatePathArg,
    interactive: opt.InteractiveOpt = False,
    force: opt.ForceOpt = False,
) -> None:
    """Write a commented trust description that validates, ready to fill in; with
    --interactive, ask for it question by question (on an existing file: revisit it)."""
    from boardcheck.application import run_init

    outcome = _guard(False, lambda: run_init(path, interactive=interactive, force=force,
                                             today=dt.date.today()))
    for line in outcome.messages:
        _say(line)
    raise typer.Exit(outcome.exit_code)


@app.command()
def schema(
    output: opt.SchemaOutputOpt = None,
    force: opt.ForceOpt = False,
) -> None:
    """Print the JSON Schema of the trust description format (-o trust.schema.json writes
    it where the template's yaml-language-server line points editors)."""
    from boardcheck.application import run_schema

    outcome = _guard(False, lambda: run_schema(output, force=force))
    if outcome.document is not None:
        sys.stdout.write(str(outcome.document))
    for line in outcome.messages:
        _say(line)


def _report_settings(kind: ReportKind, o: opt.ReportOptions) -> Callable[[], Settings]:
    """Settings for a diff or a forward look; options are checked now, the configuration
    is read when the returned function is called, inside the guard."""
    from boardcheck import application

    if o.format is not None:
        _check_choice("--format", o.format, choices(kind))
    _check_choice("--color", o.color, opt.COLORS)
    flags: dict[str, object] = {"questionnaire": o.questionnaire, "as_of": o.as_of}
    return lambda: application.settings(flags, o.config, output=o.output, color=o.color,
                                        force=o.force, max_bytes=o.max_bytes, kinds=(kind,),
                                        fmt=None if o.format is None else OutputFormat(o.format))


@app.command()
@opt.report_options(ReportKind.DIFF, "Judge trust files at this date (default: each "
                    "file's as_of).")
def diff(old: opt.OldArg, new: opt.NewArg, *, common: opt.ReportOptions) -> None:
    """Show what changed between two checks: scores, ratings, criteria, waivers, arrangements.

    Each side is a trust file (checked now) or a JSON result saved with -f json.
    """
    from boardcheck import application

    make = _report_settings(ReportKind.DIFF, common)
    _run(common.debug, make, lambda s: application.run_diff(old, new, s))


@app.command()
@opt.report_options(ReportKind.DUE, "Count from this date (default: the file's as_of, "
                    "else today).")
def due(
    file: opt.TrustArg,
    within: opt.WithinOpt = 90,
    meeting: opt.DueMeetingOpt = None,
    *,
    common: opt.ReportOptions,
) -> None:
    """List every review, renewal and expiry falling due or overdue, for the board's plan."""
    from boardcheck import application

    make = _report_settings(ReportKind.DUE, common)
    meeting_date = _parse_date(meeting, "--meeting")
    _run(common.debug, make, lambda s: application.run_due(file, s, meeting=meeting_date,
                                                           within=within))


@app.command("config")
def show_config(
    config: opt.ConfigOpt = None,
    debug: opt.DebugOpt = False,
) -> None:
    """Print the effective configuration as TOML, with where each value comes from."""
    from boardcheck.config import describe, load_effective

    eff = _guard(debug, lambda: load_effective({}, config))
    sys.stdout.write(describe(eff))


def run() -> None:
    """Console-script entry: Typer turns usage errors into exit 2 itself.

    A run names its command first (`boardcheck check ...`): Typer then builds only that
    command's parameters, not all nine commands' (~4 ms of a one-file check). The group is
    the same, so its usage, errors and exit codes are too; the command list (`--help`, a
    mistyped command) and shell completion get the whole application."""
    import copy

    given = sys.argv[1] if len(sys.argv) > 1 else None
    named = [c for c in app.registered_commands
             if c.callback is not None and given == (c.name or c.callback.__name__)]
    if len(named) != 1 or "_BOARDCHECK_COMPLETE" in os.environ:
        app(prog_name="boardcheck")
        return
    lean = copy.copy(app)
    lean.registered_commands = named
    lean(prog_name="boardcheck")
