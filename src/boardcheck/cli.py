"""Command line: parse options, run load → evaluate → format, write, return an exit code.

Heavy modules (pydantic models, the engine, Rich) are imported inside the commands so
that `--help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from boardcheck import __version__

if TYPE_CHECKING:
    from boardcheck.config import Effective
    from boardcheck.errors import BoardcheckError
    from boardcheck.formats.base import OutputFormat, RenderOptions
    from boardcheck.gates import Gates
    from boardcheck.loading import Limits
    from boardcheck.model import Waiver
    from boardcheck.questionnaire import Questionnaire
    from boardcheck.result import Result
    from boardcheck.summary import Row

EXIT_OK, EXIT_BELOW_THRESHOLD, EXIT_ERROR = 0, 1, 2
COLORS = ("auto", "always", "never")

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


def _fail(message: str) -> NoReturn:
    typer.echo(f"boardcheck: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _report(error: BoardcheckError) -> None:
    for problem in error.problems:
        typer.echo(str(problem), err=True)


def _guard(debug: bool, action: Callable[[], T]) -> T:
    """Run `action`; every BoardcheckError becomes its messages on stderr and exit 2."""
    from boardcheck.errors import BoardcheckError
    from boardcheck.output import OutputError

    try:
        return action()
    except BoardcheckError as exc:
        if debug:
            traceback.print_exc()
        _report(exc)
        raise typer.Exit(EXIT_ERROR) from None
    except OutputError as exc:
        _fail(str(exc))


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: expected a date written as YYYY-MM-DD, got {value!r}")


def _use_color(color: str, to_terminal: bool) -> bool:
    if color == "always":
        return True
    if color == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_terminal and os.environ.get("TERM") != "dumb"


def _width(to_terminal: bool) -> int:
    # A fixed width off a terminal keeps piped and saved output identical run to run.
    if not to_terminal:
        return 100
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 140))


def _emit(text: str, output: Path | None, force: bool, inputs: list[Path]) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from boardcheck.output import write_atomically

    write_atomically(output, text, force=force, inputs=inputs)


def _emit_binary(renderer: object, result: Result, options: RenderOptions, s: _Settings,
                 inputs: list[Path]) -> None:
    """A binary document (Word): to -o FILE, or to stdout only when it is not a terminal."""
    from boardcheck.formats.docx_paper import MissingExtra

    try:
        data: bytes = renderer.render_bytes(result, options)  # type: ignore[attr-defined]
    except MissingExtra as exc:
        _fail(str(exc))
    if s.output is None or str(s.output) == "-":
        if sys.stdout.isatty():
            _fail(f"--format {s.fmt.value} is a binary document: write it with -o FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from boardcheck.output import write_atomically

    write_atomically(s.output, data, force=s.force, inputs=inputs)


def _questionnaire(name: str | None) -> Questionnaire:
    from boardcheck.questionnaire import load_questionnaire

    return load_questionnaire(name)


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
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Refuse files larger than this.",
                                          min=1, metavar="N")]


def _limits(max_bytes: int) -> Limits:
    from boardcheck.loading import Limits

    return Limits(max_bytes=max_bytes)


ColorOpt = Annotated[str, typer.Option("--color", help="auto, always or never (NO_COLOR and "
                                       "FORCE_COLOR are honoured).", metavar="WHEN")]


@app.command()
def check(
    files: Annotated[list[str], typer.Argument(
        help="Trust descriptions: files, directories (searched for *.yaml, *.yml) or globs.",
        show_default=False, metavar="PATH...")],
    format: Annotated[str | None, typer.Option(
        "--format", "-f", help="rich (default; github under GitHub Actions), json, csv, html, "
        "markdown, sarif, junit or github.", metavar="FORMAT")] = None,
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge dates at this date (default: the file's as_of, else today).",
        metavar="YYYY-MM-DD")] = None,
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
    from boardcheck.formats.base import renders_batch, renders_one
    from boardcheck.questionnaire import CATEGORY_IDS

    _check_choice("--color", color, COLORS)
    _check_choice("--sort", sort, ("score", "name", *CATEGORY_IDS))
    flags = {"questionnaire": questionnaire, "format": format,
             "as_of": _parse_date(as_of, "--as-of"), "fail_on": fail_on,
             "fail_on_critical": fail_on_critical, "jobs": jobs,
             **_fail_under_flags(fail_under or [])}
    settings = _guard(debug, lambda: _settings(flags, config, output=output, color=color,
                                                 force=force, debug=debug, sort=sort,
                                                 quiet=quiet, max_bytes=max_bytes))
    settings = replace(settings, baseline=baseline, meeting=_parse_date(meeting, "--meeting"))
    fmt = settings.fmt
    first = Path(files[0])
    one = (len(files) == 1 and not first.is_dir()
           and (first.is_file() or not _has_magic(files[0])) and renders_one(fmt))
    if one:
        raise typer.Exit(_guard(debug, lambda: _check_one(Path(files[0]), settings)))
    if not renders_batch(fmt):
        _fail(f"--format {fmt.value} describes one file; give one file, not several")
    raise typer.Exit(_guard(debug, lambda: _check_many(files, settings)))


def _fail_under_flags(values: list[str]) -> dict[str, object]:
    from boardcheck.questionnaire import CATEGORY_IDS

    overall: float | None = None
    per_category: dict[str, float] = {}
    for value in values:
        name, _, number = value.rpartition("=")
        try:
            limit = float(number)
        except ValueError:
            _fail(f"--fail-under: {value!r} is not N or CATEGORY=N")
        if not 0 <= limit <= 100:
            _fail(f"--fail-under: {limit:g} is not between 0 and 100")
        if not name:
            overall = limit
        elif name in CATEGORY_IDS:
            per_category[name] = limit
        else:
            _fail(f"--fail-under: {name!r} is not a category; use one of "
                  f"{', '.join(CATEGORY_IDS)}")
    return {"fail_under": overall, "fail_under_category": per_category}


def _has_magic(arg: str) -> bool:
    return any(ch in arg for ch in "*?[")


@dataclass(frozen=True)
class _Settings:
    fmt: OutputFormat
    output: Path | None
    as_of: dt.date | None
    questionnaire: Questionnaire
    questionnaire_ref: str | None
    gates: Gates
    color: str
    force: bool
    debug: bool
    jobs: int | None
    sort: str
    quiet: bool
    max_bytes: int
    waivers: tuple[Waiver, ...]
    baseline: Path | None = None
    meeting: dt.date | None = None

    def render_options(self) -> RenderOptions:
        from boardcheck.formats.base import RenderOptions

        to_terminal = self.output is None and sys.stdout.isatty()
        return RenderOptions(color=_use_color(self.color, to_terminal) and self.output is None,
                             width=_width(to_terminal))


def _configured_questionnaire(eff: Effective) -> Questionnaire:
    """The questionnaire in force: named by flag, environment or file, with the file's
    disabled criteria and weights applied."""
    from boardcheck.questionnaire import apply_overrides, load_questionnaire

    return apply_overrides(load_questionnaire(eff.get("questionnaire")), eff)


def _settings(flags: dict[str, object], config: Path | None, *, output: Path | None,
              color: str, force: bool, debug: bool, sort: str, quiet: bool,
              max_bytes: int) -> _Settings:
    """Flags beat BOARDCHECK_* variables beat the configuration file."""
    from boardcheck.config import load_effective, setting_error
    from boardcheck.formats.base import OutputFormat
    from boardcheck.gates import Gates
    eff = load_effective(flags, config)
    name = eff.get("format") or ("github" if os.environ.get("GITHUB_ACTIONS") == "true"
                                 else "rich")
    try:
        fmt = OutputFormat(name)
    except ValueError:
        raise setting_error(eff, "format", f"{name!r} is not one of "
                            f"{', '.join(f.value for f in OutputFormat)}") from None
    if eff.get("fail_on") not in (None, "amber", "red"):
        raise setting_error(eff, "fail_on", f"{eff.get('fail_on')!r} is not one of amber, red")
    q = _configured_questionnaire(eff)
    gates = Gates(fail_under=eff.get("fail_under"),
                  category_fail_under=dict(eff.get("fail_under_category") or {}),
                  fail_on=eff.get("fail_on"), fail_on_critical=bool(eff.get("fail_on_critical")))
    return _Settings(fmt=fmt, output=output, as_of=eff.get("as_of"), questionnaire=q,
                     questionnaire_ref=eff.get("questionnaire"), gates=gates, color=color,
                     force=force, debug=debug, jobs=eff.get("jobs"), sort=sort, quiet=quiet,
                     max_bytes=max_bytes, waivers=eff.waivers)


def _check_one(file: Path, s: _Settings) -> int:
    from boardcheck.engine import evaluate, resolve_as_of
    from boardcheck.errors import BoardcheckError
    from boardcheck.gates import failures
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    try:
        trust, source = load(file, TrustDescription, limits=_limits(s.max_bytes))
        result = evaluate(trust, source, s.questionnaire,
                          resolve_as_of(s.as_of, trust, dt.date.today()),
                          extra_waivers=s.waivers)
    except BoardcheckError as exc:
        if s.fmt.value == "github" and s.output is None:  # annotated, as in a batch
            from boardcheck.formats.github import problem_annotation

            typer.echo("".join(problem_annotation(p) + "\n" for p in exc.problems), nl=False)
        raise
    past = failures(result, s.gates)
    # Quiet on the terminal: no report to render (a --baseline is still read and checked).
    if not (s.quiet and s.output is None and s.fmt.value == "rich" and s.baseline is None):
        _render_one(file, result, s)
    _github_summary(s, result)
    for line in past:
        typer.echo(f"boardcheck: threshold failed: {line}", err=True)
    return EXIT_BELOW_THRESHOLD if past else EXIT_OK


def _render_one(file: Path, result: Result, s: _Settings) -> None:
    from boardcheck.formats.base import get_format

    renderer = get_format(s.fmt)
    assert renderer is not None
    options = replace(s.render_options(), meeting=s.meeting)
    if s.baseline is not None:
        from boardcheck.diff import compare
        from boardcheck.formats.json_format import result_dict

        options = replace(options, movement=compare(
            _side(s.baseline, s), result_dict(result), old_label=str(s.baseline),
            new_label=str(file)))
    inputs = [file, *([s.baseline] if s.baseline else [])]
    if getattr(renderer, "binary", False):
        _emit_binary(renderer, result, options, s, inputs)
    else:
        _emit(renderer.render(result, options), s.output, s.force, inputs)


def _check_many(arguments: list[str], s: _Settings) -> int:
    from boardcheck.batch import Job, catalogue, default_jobs, feed, run_batch
    from boardcheck.discovery import discover
    from boardcheck.formats.base import get_batch_format
    from boardcheck.formats.stream import fragment_module, get_batch_writer
    from boardcheck.output import open_output
    from boardcheck.summary import Summariser

    q = s.questionnaire
    found = discover(arguments)
    stream = get_batch_writer(s.fmt)  # JSON, SARIF, JUnit, GitHub, CSV: never held whole
    job = Job(questionnaire=q, as_of=s.as_of, today=dt.date.today(), gates=s.gates,
              limits=_limits(s.max_bytes), waivers=s.waivers,
              stream=fragment_module(s.fmt))
    summariser = Summariser(catalogue(q))
    rows: Iterable[Row] = run_batch(found.files, job, jobs=s.jobs or default_jobs(),
                                    questionnaire=q)
    show_progress = (not s.quiet and sys.stderr.isatty() and not os.environ.get("CI")
                     and len(found.files) > 1)
    if show_progress:
        from rich.console import Console
        from rich.progress import track

        rows = track(rows, total=len(found.files), description="Checking",
                     console=Console(stderr=True), transient=True)
    inputs = [Path(a) for a in arguments]
    if stream is not None:
        with open_output(s.output, force=s.force, inputs=[*found.files, *inputs]) as out:
            writer = stream(out, summariser.catalogue, sort=s.sort)
            complete = feed(rows, summariser, writer)
            batch = summariser.finish(sort=s.sort, search_problems=found.problems,
                                      complete=complete)
            writer.finish(batch)
    else:
        complete = feed(rows, summariser, None)  # keep what was done; write it, if stopped
        batch = summariser.finish(sort=s.sort, search_problems=found.problems,
                                  complete=complete)
        renderer = get_batch_format(s.fmt)
        assert renderer is not None
        if not (s.quiet and s.output is None and s.fmt.value == "rich"):
            _emit(renderer.render(batch, s.render_options()), s.output, s.force,
                  [*found.files, *inputs])
    to_screen = s.fmt.value == "rich" and s.output is None and not s.quiet
    if not to_screen:
        for row in batch.errors:
            for problem in row.problems:
                typer.echo(str(problem), err=True)
        for problem in batch.search_problems:
            typer.echo(str(problem), err=True)
    past = [(row.file, line) for row in batch.rows for line in row.threshold_failures]
    for file, line in past:
        typer.echo(f"boardcheck: {file}: threshold failed: {line}", err=True)
    if not complete:
        typer.echo("boardcheck: interrupted: the output holds only the files checked so far",
                   err=True)
        return 130
    if batch.errors or batch.search_problems:
        return EXIT_ERROR
    return EXIT_BELOW_THRESHOLD if past else EXIT_OK


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
    from boardcheck.engine import check_waivers
    from boardcheck.errors import BoardcheckError
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    @functools.cache
    def waived_against() -> Questionnaire:
        # Only a file with waivers needs the questionnaire, as `check` would configure it.
        from boardcheck.config import load_effective

        return _configured_questionnaire(load_effective({"questionnaire": questionnaire},
                                                        config))

    bad = 0
    for file in files:
        try:
            trust, source = load(file, TrustDescription, limits=_limits(max_bytes))
            if trust.waivers:
                check_waivers(trust, source, _guard(debug, waived_against))
        except BoardcheckError as exc:
            if debug:
                traceback.print_exc()
            _report(exc)
            bad += 1
            continue
        typer.echo(f"{file}: valid")
    raise typer.Exit(EXIT_ERROR if bad else EXIT_OK)


@app.command()
def questions(
    category: Annotated[str | None, typer.Option("--category", help="Only this category id.",
                                                 metavar="ID")] = None,
    questionnaire: QuestionnaireOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the questionnaire: board questions and their criteria."""
    from boardcheck.formats.questionnaire_text import render_questions
    from boardcheck.questionnaire import CATEGORY_IDS

    if category is not None and category not in CATEGORY_IDS:
        _fail(f"--category: {category!r} is not one of {', '.join(CATEGORY_IDS)}")
    q = _guard(debug, lambda: _questionnaire(questionnaire))
    sys.stdout.write(render_questions(q, category))


@app.command()
def explain(
    criterion: Annotated[str, typer.Argument(help="A criterion id, e.g. PF01.",
                                             show_default=False)],
    questionnaire: QuestionnaireOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show one criterion in full: what it checks, why, the question to ask, how to close it."""
    from boardcheck.formats.questionnaire_text import render_criterion

    q = _guard(debug, lambda: _questionnaire(questionnaire))
    found = q.criterion(criterion.upper())
    if found is None:
        import difflib

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

    from boardcheck.output import OutputError, write_atomically

    # Refuse before asking anything: nobody should answer thirty questions to be told no.
    if path.is_dir():
        _fail(f"{path}: is a directory")
    if path.is_file() and not force:
        _fail(f"{path}: already exists; use --force to replace it")
    if interactive:
        from rich.console import Console

        from boardcheck.interview import interview

        try:
            text = interview(Console(stderr=True), today=dt.date.today())
        except (EOFError, KeyboardInterrupt):
            _fail("the interview stopped before the end; nothing was written")
    else:
        text = (resources.files("boardcheck") / "templates" / "trust.yaml").read_text("utf-8")
    try:
        write_atomically(path, text, force=force)
    except OutputError as exc:
        _fail(str(exc))
    typer.echo(f"wrote {path}: fill it in, then run: boardcheck check {path}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the trust description format."""
    import json

    from boardcheck.model import TrustDescription

    sys.stdout.write(json.dumps(TrustDescription.model_json_schema(), indent=2) + "\n")


def _check_choice(option: str, value: str, allowed: Collection[str]) -> None:
    if value not in allowed:
        _fail(f"{option}: {value!r} is not one of {', '.join(allowed)}")


def _report_settings(questionnaire: str | None, as_of: str | None, config: Path | None, *,
                     output: Path | None, color: str, force: bool, debug: bool,
                     max_bytes: int) -> Callable[[], _Settings]:
    """Settings for the one-file reports (diff, due); options are checked now, the
    configuration is read when the returned function is called, inside the guard."""
    _check_choice("--color", color, COLORS)
    flags: dict[str, object] = {"questionnaire": questionnaire,
                               "as_of": _parse_date(as_of, "--as-of")}
    return lambda: _settings(flags, config, output=output, color=color, force=force,
                             debug=debug, sort="score", quiet=False, max_bytes=max_bytes)


def _side(path: Path, s: _Settings) -> dict[str, Any]:
    """One side of a comparison: a saved JSON result, or a trust file checked now."""
    import json

    from boardcheck.engine import evaluate, resolve_as_of
    from boardcheck.errors import InputError
    from boardcheck.formats.json_format import result_dict
    from boardcheck.loading import load, read_bytes
    from boardcheck.model import TrustDescription

    if path.suffix.lower() == ".json":
        raw = read_bytes(path, str(path), _limits(s.max_bytes))
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line, col = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
            raise InputError.single(str(path), line, col, f"not valid JSON: {exc}") from None
        keys = ("schema_version", "as_of", "overall", "categories", "questionnaire")
        missing = [k for k in keys if not isinstance(data, dict) or k not in data]
        if missing or data.get("kind") == "batch":
            raise InputError.single(str(path), 1, 1, "not a saved boardcheck result for one "
                                    "trust (from check --format json)")
        result: dict[str, Any] = data
        return result
    trust, source = load(path, TrustDescription, limits=_limits(s.max_bytes))
    return result_dict(evaluate(trust, source, s.questionnaire,
                                resolve_as_of(s.as_of, trust, dt.date.today()),
                                extra_waivers=s.waivers))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier trust file or saved JSON result.",
                                        show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later trust file or saved JSON result.",
                                        show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help="rich, markdown or json.",
                                        metavar="FORMAT")] = "rich",
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
    from boardcheck.diff import compare
    from boardcheck.formats.diff_report import DIFF_FORMATS, render

    _check_choice("--format", format, DIFF_FORMATS)
    settings = _report_settings(questionnaire, as_of, config, output=output, color=color,
                                force=force, debug=debug, max_bytes=max_bytes)

    def run() -> int:
        s = settings()
        movement = compare(_side(old, s), _side(new, s), old_label=str(old),
                           new_label=str(new))
        _emit(render(movement, format, s.render_options()), output, force, [old, new])
        return EXIT_OK

    raise typer.Exit(_guard(debug, run))


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
    format: Annotated[str, typer.Option("--format", "-f", help="rich, markdown, csv or json.",
                                        metavar="FORMAT")] = "rich",
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
    from boardcheck.formats.due_report import DUE_FORMATS, render

    _check_choice("--format", format, DUE_FORMATS)
    settings = _report_settings(questionnaire, as_of, config, output=output, color=color,
                                force=force, debug=debug, max_bytes=max_bytes)
    meeting_date = _parse_date(meeting, "--meeting")

    def run() -> int:
        from boardcheck.due import forward_look
        from boardcheck.engine import resolve_as_of
        from boardcheck.loading import load
        from boardcheck.model import TrustDescription

        s = settings()
        trust, source = load(file, TrustDescription, limits=_limits(s.max_bytes))
        look = forward_look(trust, source, s.questionnaire,
                            resolve_as_of(s.as_of, trust, dt.date.today()),
                            meeting=meeting_date, within_days=within)
        _emit(render(look, format, s.render_options()), output, force, [file])
        return EXIT_OK

    raise typer.Exit(_guard(debug, run))


def _github_summary(s: _Settings, result: Result) -> None:
    """Under GitHub Actions, append a markdown summary to the job's step summary."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if s.fmt.value != "github" or not path:
        return
    from boardcheck.formats.github import step_summary

    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(step_summary(result))


@app.command("config")
def show_config(
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print the effective configuration and where each value comes from."""
    from boardcheck.config import describe, load_effective

    eff = _guard(debug, lambda: load_effective({}, config))
    sys.stdout.write(describe(eff))


def run() -> None:
    """Console-script entry: Typer turns usage errors into exit 2 itself."""
    app(prog_name="boardcheck")
