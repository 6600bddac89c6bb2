"""The application layer: run one file, a batch, a diff or a forward look from settings.

The CLI parses options, calls one `run_*` function here and delivers what comes back: an
`Outcome` holding the document to write, the lines for stderr, the step summary and the
exit code. Nothing here writes to the terminal or exits; a file that cannot be evaluated
is a BoardcheckError. Formats are found through the registry (`formats.base`), never by
testing their names.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from boardcheck.echoes import bounded
from boardcheck.errors import (
    EXIT_BELOW_THRESHOLD,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    BoardcheckError,
    InputError,
    Problem,
    shown,
)
from boardcheck.formats.base import (
    NARROWEST,
    WIDEST,
    FormatInfo,
    OutputFormat,
    PaperSettings,
    RenderOptions,
    ReportKind,
    info,
    renderer,
    renders,
    step_summary_of,
)

if TYPE_CHECKING:
    from boardcheck.batch import Job
    from boardcheck.config import Effective
    from boardcheck.due import ForwardLook
    from boardcheck.gates import Gates
    from boardcheck.interview import Interview
    from boardcheck.loading import Limits
    from boardcheck.model import Waiver
    from boardcheck.output import Inputs
    from boardcheck.papers import PaperWriter
    from boardcheck.questionnaire import Questionnaire
    from boardcheck.result import Result
    from boardcheck.saved import SavedResult
    from boardcheck.summary import BatchResult, Row, Summariser

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

Progress = Callable[[Iterable["Row"], int], Iterable["Row"]]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs, checked: from flags, BOARDCHECK_* and the configuration."""

    fmt: OutputFormat
    output: Path | None
    as_of: dt.date | None
    questionnaire: Questionnaire
    gates: Gates
    color: str
    force: bool
    jobs: int | None
    sort: str
    quiet: bool
    max_bytes: int
    waivers: tuple[Waiver, ...]
    # Files the run reads besides its arguments: the configuration and the questionnaire.
    read: tuple[Path, ...] = ()
    baseline: Path | None = None
    meeting: dt.date | None = None
    # How the format was chosen, for messages about it: "--format json" or "-o paper.docx".
    format_from: str = ""
    # Board papers: the cover sheet and the rest of [paper] (flags over the configuration),
    # earlier results for the movement and the trend (files or folders of saved results),
    # and how far ahead the forward look goes (None: no forward look in the paper).
    paper: PaperSettings = field(default_factory=PaperSettings)
    baselines: tuple[Path, ...] = ()
    due_within: int | None = None
    # check --papers DIR: each member's board paper is written here in the same run.
    papers: Path | None = None
    # CSV for Excel (--excel): a byte-order mark and a row of column titles.
    excel: bool = False
    # check --breakdowns FILE: the batch's breakdowns as a table of their own, in the format
    # the file's name picks (checked by `breakdowns_target`).
    breakdowns: Path | None = None
    breakdowns_format: OutputFormat | None = None
    # Where the format's step summary goes ($GITHUB_STEP_SUMMARY under GitHub Actions, for a
    # format the registry says writes one); None: no step summary is built at all.
    step_summary: Path | None = None

    @property
    def info(self) -> FormatInfo:
        return info(self.fmt)

    @property
    def to_stdout(self) -> bool:
        return self.output is None or str(self.output) == "-"

    def render_options(self) -> RenderOptions:
        to_terminal = self.to_stdout and sys.stdout.isatty()
        return RenderOptions(color=use_color(self.color, to_terminal) and self.to_stdout,
                             width=width(to_terminal), excel=self.excel,
                             papers=self.papers is not None)

    def limits(self) -> Limits:
        from boardcheck.loading import Limits

        return Limits(max_bytes=self.max_bytes)

    def wrote(self, kind: ReportKind) -> str | None:
        """The line that says what was written where, or None when nothing goes to a file
        (stdout) or only failures are to be printed (--quiet)."""
        if self.to_stdout or self.quiet:
            return None
        assert self.output is not None
        return f"wrote {self.info.document_name(kind)} to {shown(self.output)}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run produced, for the CLI to deliver."""

    exit_code: int
    document: str | bytes | None = None
    # Files the document must never be written over (they were read by the run): a
    # batch's are its discovered files, kept compactly (output.Inputs).
    inputs: Iterable[Path] = ()
    # Lines for stderr, in order.
    messages: tuple[str, ...] = ()
    # Markdown for $GITHUB_STEP_SUMMARY (Settings.step_summary), in pieces the CLI appends
    # one at a time: a batch's is made as it is written, never held whole.
    step_summary: Iterable[str] | None = None
    # Raised once the document is delivered: a failure that still gets a document.
    error: BoardcheckError | None = None
    # Said on stderr once the document is in its file: what was written where.
    wrote: str | None = None


def use_color(color: str, to_terminal: bool) -> bool:
    if color == "always":
        return True
    if color == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_terminal and os.environ.get("TERM") != "dumb"


def width(to_terminal: bool) -> int:
    # A fixed width off a terminal keeps piped and saved output identical run to run, unless
    # COLUMNS asks for one (as a terminal's size does; the same setting, the same output).
    if not to_terminal:
        columns = os.environ.get("COLUMNS", "")
        return max(NARROWEST, min(int(columns), WIDEST)) if columns.isdigit() else 100
    import shutil

    return max(NARROWEST, min(shutil.get_terminal_size((100, 24)).columns, WIDEST))


# --- settings ----------------------------------------------------------------------------


def configured_questionnaire(eff: Effective) -> Questionnaire:
    """The questionnaire in force, with the configuration's disabled criteria, weights and
    waivers checked against it."""
    from boardcheck.config import check_waivers
    from boardcheck.questionnaire import apply_overrides, load_questionnaire

    q = apply_overrides(load_questionnaire(eff.get("questionnaire")), eff)
    check_waivers(eff, lambda cid: q.criterion(cid) is not None, q.id)
    return q


def output_format(output: Path | None, given: str | None,
                  kinds: tuple[ReportKind, ...]) -> tuple[OutputFormat, str] | None:
    """The format `-o FILE` and `--format` choose together, and how ("--format json",
    "-o paper.docx"); None when neither does (the configured or default format applies).

    --format wins, but a file name whose ending belongs to another format is an error (Word
    would call a JSON file named .docx corrupt); with no --format the ending picks the
    format, from the registry. Endings that pick nothing (.txt, .out) leave the choice open;
    endings of documents boardcheck cannot write (.pdf) are refused, with what to write.
    """
    from boardcheck.formats.base import REGISTRY, format_for_name, refused_name, writes_name
    from boardcheck.output import OutputError

    name = None if output is None or str(output) == "-" else output.name
    refused = refused_name(name) if output is not None and name is not None else None
    if output is not None and refused is not None:
        raise OutputError(f"-o {shown(output)}: {refused[1]}")
    if given is not None:
        fmt = OutputFormat(given)
        if name is not None and not writes_name(fmt, name):
            picked, ending = format_for_name(name) or (fmt, "")
            own = REGISTRY[fmt].extensions
            rename = f"name the file {' or '.join(own)}" if own else "give the file another name"
            raise OutputError(f"--format {given} does not match -o {shown(output or name)}: "
                              f"a name ending {ending} means {REGISTRY[picked].label}; drop "
                              f"--format, or {rename}")
        return fmt, f"--format {given}"
    picked_by_name = format_for_name(name) if output is not None and name is not None else None
    if output is None or picked_by_name is None:
        return None
    fmt, ending = picked_by_name
    if not any(renders(fmt, kind) for kind in kinds):
        usable = [e for f, i in REGISTRY.items() if any(renders(f, k) for k in kinds)
                  for e in i.extensions]
        raise OutputError(f"-o {shown(output)}: a name ending {ending} means "
                          f"{REGISTRY[fmt].label}, which this command cannot write; name "
                          f"the file {', '.join(usable)}, or give --format")
    return fmt, f"-o {shown(output)}"


def breakdowns_target(path: Path, output: Path | None) -> OutputFormat:
    """The format `--breakdowns FILE` is written in: the one its name's ending picks, from
    the registry, if that format writes a table of breakdowns; for a name whose ending picks
    no format, the first that does. Refused: stdout (the batch document goes there), the
    batch document's own file, and an ending whose format writes no such table."""
    from boardcheck.formats.base import REGISTRY, format_for_name, refused_name
    from boardcheck.output import OutputError, resolved

    kind = ReportKind.BREAKDOWNS
    writers = [fmt for fmt in REGISTRY if renders(fmt, kind)]
    endings = " or ".join(e for fmt in writers for e in REGISTRY[fmt].extensions)
    if str(path) == "-" or not path.name:
        raise OutputError(f"--breakdowns {shown(path)}: give a file name ending {endings}; "
                          "the batch document itself goes to stdout or -o")
    refused = refused_name(path.name)
    if refused is not None:
        raise OutputError(f"--breakdowns {shown(path)}: {refused[1]}")
    if output is not None and str(output) != "-" and (
            (where := resolved(path)) is not None and where == resolved(output)):
        raise OutputError(f"--breakdowns {shown(path)}: is the batch document's own file "
                          "(-o): give the breakdowns a name of their own")
    picked = format_for_name(path.name)
    if picked is None:
        return writers[0]
    fmt, ending = picked
    if not renders(fmt, kind):
        raise OutputError(f"--breakdowns {shown(path)}: a name ending {ending} means "
                          f"{REGISTRY[fmt].label}, which has no table of breakdowns; name "
                          f"the file {endings}")
    return fmt


def settings(flags: Mapping[str, object], config: Path | None, *, output: Path | None,
             color: str = "auto", force: bool = False, sort: str = "score",
             quiet: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
             fmt: OutputFormat | None = None,
             kinds: tuple[ReportKind, ...] = (ReportKind.CHECK, ReportKind.BATCH),
             breakdowns: Path | None = None) -> Settings:
    """Flags beat BOARDCHECK_* variables beat the configuration file (`config.resolve`
    checks every value). `fmt` is a command's own --format (diff, due), if it has one;
    `kinds`, what the command renders. The output's file name beats a configured format.
    `breakdowns` is check's --breakdowns FILE."""
    from boardcheck.config import load_effective, setting_error
    from boardcheck.gates import Gates
    from boardcheck.questionnaire import built_in_names

    eff = load_effective(flags, config)
    breakdowns_format = (None if breakdowns is None
                         else breakdowns_target(breakdowns, output))
    given = fmt.value if fmt is not None else flags.get("format")
    chosen = output_format(output, given if isinstance(given, str) else None, kinds)
    if chosen is not None:
        fmt, format_from = chosen
    elif ReportKind.CHECK in kinds:  # the configured format is check's (diff, due: rich)
        fmt = OutputFormat(eff.get("format") or (
            "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "rich"))
        format_from = f"--format {fmt.value}"
    else:
        fmt, format_from = OutputFormat.RICH, "--format rich"
    q = configured_questionnaire(eff)
    gates = Gates(fail_under=eff.get("fail_under"),
                  category_fail_under=dict(eff.get("fail_under_category") or {}),
                  fail_on=eff.get("fail_on"), fail_on_critical=bool(eff.get("fail_on_critical")))
    ref = eff.get("questionnaire")
    questionnaire_file = None if ref is None or ref in built_in_names() else Path(ref)
    paper, due_within = paper_settings(eff)
    excel = eff.settings.get("excel")
    shaped = [f for f in (fmt, breakdowns_format) if f is not None and info(f).excel]
    if excel is not None and excel.value and excel.source.kind == "flag" and not shaped:
        # A configured `excel = true` is a default for CSV runs; the flag asks for this run.
        raise setting_error(eff, "excel", f"shapes CSV for Excel, and this run writes no CSV "
                            f"({format_from}); use it with -f csv or --breakdowns FILE.csv")
    return Settings(fmt=fmt, output=output, as_of=eff.get("as_of"), format_from=format_from,
                    questionnaire=q, gates=gates, color=color, force=force,
                    jobs=eff.get("jobs"), sort=eff.get("sort") or sort, quiet=quiet,
                    max_bytes=max_bytes, excel=bool(eff.get("excel")), waivers=eff.waivers,
                    read=tuple(p for p in (eff.file, questionnaire_file) if p is not None),
                    paper=paper, due_within=due_within, breakdowns=breakdowns,
                    breakdowns_format=breakdowns_format,
                    step_summary=eff.step_summary if info(fmt).step_summary else None)


LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 1024 * 1024


def paper_settings(eff: Effective) -> tuple[PaperSettings, int | None]:
    """The [paper] settings (checked in config) as the papers take them: the template folder
    must be a folder, the logo a PNG, JPEG or SVG file, each error placed at its source."""
    from boardcheck.config import setting_error
    from boardcheck.loading import Limits, read_bytes

    given: dict[str, Any] = dict(eff.get("paper") or {})
    template = None
    if "template" in given:
        template = Path(given["template"])
        if not template.is_dir():
            raise setting_error(eff, "paper", f"template: {shown(template)} is not a folder")
    logo_path = Path(given["logo"]) if "logo" in given else None
    if logo_path is None and template is not None:
        logo_path = next((template / f"logo{ext}" for ext in LOGO_TYPES
                          if (template / f"logo{ext}").is_file()), None)
    logo, logo_type = None, "image/png"
    if logo_path is not None:
        kind = LOGO_TYPES.get(logo_path.suffix.lower())
        if kind is None:
            raise setting_error(eff, "paper", f"logo: {shown(logo_path)} is not a .png, "
                                ".jpg or .svg file")
        try:
            logo = read_bytes(logo_path, shown(logo_path),
                              Limits(max_bytes=MAX_LOGO_BYTES, raise_with=""))
        except InputError as exc:
            raise setting_error(eff, "paper", f"logo: {exc.problems[0].message}") from None
        logo_type = kind
    paper = PaperSettings(
        agenda_item=given.get("agenda_item"), author=given.get("author"),
        sponsor=given.get("sponsor"), purpose=given.get("purpose"),
        previous=given.get("previous"), recommendation=given.get("recommendation"),
        baf_risks=tuple(given.get("baf_risks", ())), marking=given.get("marking"),
        summary_only=bool(given.get("summary")), template=template, logo=logo,
        logo_type=logo_type)
    return paper, given.get("due_within")


# --- documents ---------------------------------------------------------------------------


def _render(s: Settings, kind: ReportKind, report: Any, options: RenderOptions,
            fmt: OutputFormat | None = None) -> str | bytes:
    """The report rendered in the run's format, or in `fmt` (a side document's)."""
    fmt = s.fmt if fmt is None else fmt
    found = renderer(fmt, kind)
    if not info(fmt).binary:
        return found.render(report, options)
    from boardcheck.formats.base import MissingExtra
    from boardcheck.output import OutputError

    try:
        data: bytes = found.render_bytes(report, options)  # type: ignore[attr-defined]
    except MissingExtra as exc:
        raise OutputError(str(exc)) from None
    return data


def _evaluate(file: Path, s: Settings) -> Result:
    return _evaluated(file, s)[0]


def _evaluated(file: Path, s: Settings) -> tuple[Result, ForwardLook | None]:
    """The result, and the forward look where a paper asks for one (read once)."""
    from boardcheck.engine import evaluate, resolve_as_of
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    trust, source = load(file, TrustDescription, limits=s.limits())
    as_of = resolve_as_of(s.as_of, trust, dt.date.today())
    result = evaluate(trust, source, s.questionnaire, as_of, extra_waivers=s.waivers)
    if s.as_of is None and trust.as_of is None:  # the run's date, not one the file states
        result = replace(result, as_of_stated=False)
    look = None
    if s.due_within is not None and s.info.paper:
        from boardcheck.due import forward_look

        look = forward_look(trust, source, s.questionnaire, as_of, meeting=s.meeting,
                            within_days=s.due_within)
        if not result.as_of_stated:
            look = replace(look, as_of_stated=False)
    if source.long_text:  # a value too long to repeat in full: see echoes.py
        return bounded(result), None if look is None else bounded(look)
    return result, look


def earlier_results(s: Settings) -> list[tuple[str, Path, SavedResult]]:
    """The earlier boards' results (--baseline files, or every *.json in a folder given),
    earliest first: each with its label (its meeting where it records one, else the name it
    was saved under) and its file."""
    paths: list[Path] = []
    for given in (s.baselines or ((s.baseline,) if s.baseline is not None else ())):
        if not given.is_dir():
            paths.append(given)
            continue
        inside = sorted(given.glob("*.json"))
        if not inside:  # a folder of nothing is a mistake, not "no earlier boards"
            raise InputError.single(shown(given), 1, 1, "no saved results (*.json from "
                                    "check --format json) in this folder")
        paths += inside
    if not paths:
        return []
    # Only now: the paper model is no part of a check without earlier boards (start-up).
    from boardcheck.formats.paper_model import board_label

    found = []
    for path in paths:
        saved = saved_or_checked(path, s)
        found.append((board_label(saved.meeting, path.stem), path, saved))
    return sorted(found, key=lambda item: (item[2].as_of, str(item[1])))


def saved_or_checked(path: Path, s: Settings) -> SavedResult:
    """One side of a comparison: a saved JSON result, or a trust file checked now."""
    from boardcheck.formats.json_format import result_dict
    from boardcheck.loading import read_bytes
    from boardcheck.saved import from_dict, parse_saved

    if path.suffix.lower() == ".json":
        # Another tool, or a hand, may have written it: its texts are bounded as ours are.
        return bounded(parse_saved(read_bytes(path, shown(path), s.limits()), shown(path)))
    return from_dict(result_dict(_evaluate(path, s)), shown(path))


# --- the runs ----------------------------------------------------------------------------


def run_one(file: Path, s: Settings) -> Outcome:
    """Check one trust file and render its report."""
    from boardcheck.gates import failing_criteria, failures
    from boardcheck.output import Inputs

    read = (file, *([s.baseline] if s.baseline else []), *s.baselines)
    _check_step_summary(s, Inputs(read, s.read))
    try:
        result, look = _evaluated(file, s)
    except BoardcheckError as exc:
        if not s.info.carries_failures:
            raise
        from boardcheck.batch import catalogue
        from boardcheck.summary import Row, Summariser

        summariser = Summariser(catalogue(s.questionnaire))
        summariser.add(Row(index=0, file=shown(file), problems=exc.problems))
        _, document, summary = _batch_document(summariser, (), s)
        return Outcome(EXIT_ERROR, document, (file,), step_summary=summary, error=exc,
                       wrote=s.wrote(ReportKind.CHECK))
    past = tuple(failures(result, s.gates))
    messages = tuple(f"boardcheck: threshold failed: {line}" for line in past)
    code = EXIT_BELOW_THRESHOLD if past else EXIT_OK
    earlier = earlier_results(s)
    inputs = (*read, *(path for _, path, _ in earlier))
    summary = None
    if s.step_summary is not None and (writer := step_summary_of(s.fmt)) is not None:
        summary = writer.one(result, past)
    # Quiet on the terminal: no report to render (a --baseline is still read and checked).
    options = replace(s.render_options(), meeting=s.meeting, thresholds_failed=past,
                      failing_criteria=failing_criteria(result, s.gates))
    if earlier:  # the movement since the last board, the latest of those given
        from boardcheck.diff import compare
        from boardcheck.formats.json_format import result_dict
        from boardcheck.saved import from_dict

        label, last, saved = earlier[-1]
        options = replace(options, movement=compare(
            saved, from_dict(result_dict(result), shown(file)),
            old_label=shown(last), new_label=shown(file)))
        if s.info.paper:
            options = replace(options, paper=replace(
                s.paper, baseline_label=label,
                history=tuple((name, old) for name, _, old in earlier)
                if len(earlier) > 1 else ()))
    if s.info.paper:
        options = replace(options, paper=replace(options.paper or s.paper, due=look))
    if s.quiet and s.to_stdout and s.info.screen:
        return Outcome(code, None, inputs, messages, summary)
    return Outcome(code, _render(s, ReportKind.CHECK, result, options), inputs, messages,
                   summary, wrote=s.wrote(ReportKind.CHECK))


def run_many(arguments: list[str], s: Settings, progress: Progress | None = None) -> Outcome:
    """Check every file the arguments name (files, directories, globs) as a batch.

    A streamed format (the registry says which) writes its document here, as the rows
    arrive, so memory stays flat in the number of files; the others are rendered from the
    summary's compact rows and delivered by the caller."""
    from boardcheck.batch import Job, catalogue, default_jobs, feed, run_batch
    from boardcheck.discovery import discover
    from boardcheck.formats.stream import fragment_module, get_batch_writer
    from boardcheck.output import Inputs, OutputError
    from boardcheck.papers import paper_format
    from boardcheck.summary import Summariser

    q = s.questionnaire
    found = discover(arguments)
    if not found.files and not s.info.carries_failures:
        # Nothing to check: the reasons, not a report of nothing.
        return Outcome(EXIT_ERROR, None, (), tuple(str(p) for p in found.problems))
    # Never a list of every file as `Path`s: 40,000 of them were ~20 MB (issue 14).
    inputs = Inputs(found.files, [Path(a) for a in arguments])
    read = Inputs(inputs, s.read)
    papers = _paper_writer(s, read)
    _check_breakdowns(s, read)
    _check_step_summary(s, read)
    # JSON, SARIF, JUnit, GitHub, CSV, HTML, Markdown, the terminal: never whole. A report for
    # the terminal that --quiet leaves out is not written at all.
    stream = (None if s.quiet and s.to_stdout and s.info.screen else get_batch_writer(s.fmt))
    job = Job(questionnaire=q, as_of=s.as_of, today=dt.date.today(), gates=s.gates,
              limits=s.limits(), waivers=s.waivers, stream=fragment_module(s.fmt),
              papers=None if papers is None else paper_format(s.fmt), meeting=s.meeting,
              paper=None if papers is None else replace(s.paper, history=(),
                                                        baseline_label=None, due=None))
    summariser = Summariser(catalogue(q))
    checking = run_batch(found.files, job, jobs=s.jobs or default_jobs(), questionnaire=q)
    rows: Iterable[Row] = checking
    if progress is not None and len(found.files) > 1:
        rows = progress(rows, len(found.files))
    if papers is not None:
        rows = papers.rows(rows)
    document: str | bytes | None
    if stream is not None:
        from boardcheck.output import open_binary_output, open_output

        if s.info.binary and s.to_stdout and sys.stdout.isatty():  # before any file is read
            raise OutputError(f"{s.format_from} is a binary document: write it with -o FILE")
        opened = open_binary_output if s.info.binary else open_output
        with opened(None if s.to_stdout else s.output, force=s.force, inputs=read) as out:
            if s.info.writer_options:  # the registry says this writer takes the options
                from boardcheck.formats.base import MissingExtra
                from boardcheck.formats.stream import OptionsWriterFactory

                try:
                    writer = cast(OptionsWriterFactory, stream)(
                        out, summariser.catalogue, sort=s.sort, options=s.render_options())
                except MissingExtra as exc:  # asked before any file is checked
                    raise OutputError(str(exc)) from None
            else:
                writer = stream(cast(TextIO, out), summariser.catalogue, sort=s.sort)
            complete = feed(rows, summariser, writer, checking)
            batch = summariser.finish(sort=s.sort, search_problems=found.problems,
                                      complete=complete)
            writer.finish(batch)
        document, summary = None, _step_summary(batch, s)
    else:
        complete = feed(rows, summariser, None, checking)  # keep what was done
        batch, document, summary = _batch_document(summariser, found.problems, s, complete)
    # False when Ctrl-C stops the papers being written again with partners' differences.
    partners_shown = (complete if papers is None or not complete
                      else _papers_with_partners(papers, batch, found.files, job, s))
    messages: list[str] = []
    wrote_breakdowns = _write_breakdowns(s, batch, read)
    if wrote_breakdowns is not None and not s.quiet:
        messages.append(wrote_breakdowns)
    # A report on the terminal lists them; one piped or redirected is not seen, so they
    # are said on stderr as well, as every other format does.
    if not (s.info.screen and s.to_stdout and not s.quiet and sys.stdout.isatty()):
        messages += [str(p) for row in batch.errors for p in row.problems]
        messages += [str(p) for p in batch.search_problems]
    past = [(row.file, line) for row in batch.rows for line in row.threshold_failures]
    messages += [f"boardcheck: {file}: threshold failed: {line}" for file, line in past]
    if papers is not None:
        if papers.written and not s.quiet:  # what was written where, as for -o
            count = f"{papers.written} board paper{'s' if papers.written != 1 else ''}"
            label = info(paper_format(s.fmt)).label
            verb = "shows" if papers.rewritten == 1 else "show"
            partners = (f"; {papers.rewritten} {verb} facts other members state differently"
                        if papers.rewritten else "")
            messages.insert(0, f"wrote {count} ({label}) to {shown(papers.directory)}"
                            f"{partners}")
        messages += [f"boardcheck: {line}" for line in papers.problems]
    if not complete:
        messages.append("boardcheck: interrupted: the output holds only the files checked so "
                        "far")
    if not partners_shown and papers is not None and papers.written:
        # Partners' differences are known only once every file is in: a paper sent out from
        # a stopped run must not look complete.
        messages.append("boardcheck: interrupted: the board papers written do not all show "
                        "where partners describe a collaborative differently; run again to "
                        "complete them")
    if not (complete and partners_shown):
        code = EXIT_INTERRUPTED
    elif batch.errors or batch.search_problems or (papers is not None and papers.problems):
        code = EXIT_ERROR
    else:
        code = EXIT_BELOW_THRESHOLD if past else EXIT_OK
    return Outcome(code, document, inputs, tuple(messages), summary,
                   wrote=s.wrote(ReportKind.BATCH))


def _papers_with_partners(papers: PaperWriter, batch: BatchResult, files: Sequence[Path],
                          job: Job, s: Settings) -> bool:
    """Write again the papers of members whose partners state a collaborative's facts
    differently, each with those differences: their files are checked again, in parallel,
    now that every file is in. False if Ctrl-C stopped it."""
    from boardcheck.batch import default_jobs, run_batch
    from boardcheck.papers import partner_differences

    differences = partner_differences(batch.collaboratives)
    if not differences or not papers.written:
        return True
    # Each file's place in the batch: its paper's name may depend on it (paper_stem).
    places = {row.file: row.index for row in batch.rows if row.file in differences}
    again = sorted(places.values())
    rows = run_batch([files[i] for i in again], replace(job, stream=None, partners=differences),
                     jobs=s.jobs or default_jobs(), questionnaire=job.questionnaire)
    try:
        # Closed here, not when the garbage collector gets to it: see feed.
        with closing(rows):
            for row in rows:
                papers.rewrite(replace(row, index=places.get(row.file, row.index)))
    except KeyboardInterrupt:
        return False
    return True


def _paper_writer(s: Settings, inputs: Inputs) -> PaperWriter | None:
    """Where --papers go, checked before any file is: a folder (made, if missing, only when
    the run starts), a paper format this installation can write, and a batch document (-o)
    to go with them that can be written."""
    if s.papers is None:
        return None
    from boardcheck.output import OutputError, check_target, resolved
    from boardcheck.papers import PaperWriter, check_folder, make_folder, paper_format

    fmt = paper_format(s.fmt)
    if not renders(s.fmt, ReportKind.BATCH) and not s.to_stdout:
        raise OutputError(f"-o: --format {s.fmt.value} with --papers writes only the papers "
                          "(one per trust): leave out -o, or choose a batch format")
    if info(fmt).binary:
        from boardcheck.formats.docx_paper import HAVE_DOCX, MISSING

        if not HAVE_DOCX:
            raise OutputError(MISSING)
    if s.output is not None and not s.to_stdout:  # a refused -o must leave no papers behind
        check_target(s.output, force=s.force, inputs=inputs)
        # The document may go into the papers' folder, made below; any other must exist.
        if not s.output.parent.is_dir() and (
                (above := resolved(s.output.parent)) is None or above != resolved(s.papers)):
            raise OutputError(f"{shown(s.output)}: cannot write here: "
                              f"{os.strerror(errno.ENOENT)}")
    reason = check_folder(s.papers)
    if reason is not None:
        raise OutputError(reason)
    make_folder(s.papers)  # everything checked: the run proceeds
    base = Path() if s.to_stdout or s.output is None else s.output.parent
    return PaperWriter(s.papers, fmt, force=s.force, inputs=inputs, output=s.output,
                       link_base=base)


def _check_breakdowns(s: Settings, inputs: Inputs) -> None:
    """Before any file is checked: the --breakdowns file, and the batch document beside it,
    can be written (a refused one leaves neither behind after a long run)."""
    if s.breakdowns is None:
        return
    from boardcheck.output import OutputError, check_target

    for target in (s.breakdowns, *(() if s.to_stdout or s.output is None else (s.output,))):
        check_target(target, force=s.force, inputs=inputs)
        if not target.parent.is_dir():
            raise OutputError(f"{shown(target)}: cannot write here: "
                              f"{os.strerror(errno.ENOENT)}")


def _check_step_summary(s: Settings, inputs: Iterable[Path]) -> None:
    """Before any file is checked: GITHUB_STEP_SUMMARY, when this format writes one (the
    only case in which the settings carry it), can be appended to (a refused one would
    otherwise be found only after a long run)."""
    if s.step_summary is None:
        return
    from boardcheck.output import check_step_summary

    outputs = {"-o": s.output} if s.output is not None and not s.to_stdout else {}
    if s.breakdowns is not None:
        outputs["--breakdowns"] = s.breakdowns
    check_step_summary(s.step_summary, inputs=inputs, outputs=outputs)


def _write_breakdowns(s: Settings, batch: BatchResult, inputs: Inputs) -> str | None:
    """Write the batch's breakdowns to --breakdowns FILE, if asked: what was written where."""
    if s.breakdowns is None or s.breakdowns_format is None:
        return None
    from boardcheck.output import write_atomically

    kind = ReportKind.BREAKDOWNS
    write_atomically(s.breakdowns, _render(s, kind, batch, s.render_options(),
                                           s.breakdowns_format),
                     force=s.force, inputs=inputs)
    return (f"wrote {info(s.breakdowns_format).document_name(kind)} to "
            f"{shown(s.breakdowns)}")


def _step_summary(batch: BatchResult, s: Settings) -> Iterable[str] | None:
    """The batch's step summary, where the run has somewhere to put it: pieces made as the
    CLI writes them (the summary's rows are read back one at a time)."""
    writer = None if s.step_summary is None else step_summary_of(s.fmt)
    return None if writer is None else writer.batch(batch)


def _batch_document(summariser: Summariser, search_problems: Iterable[Problem], s: Settings,
                    complete: bool = True
                    ) -> tuple[BatchResult, str | bytes | None, Iterable[str] | None]:
    batch = summariser.finish(sort=s.sort, search_problems=search_problems, complete=complete)
    # A one-trust format (Word) in a batch writes only the members' papers (--papers).
    document = (None if (s.quiet and s.to_stdout and s.info.screen)
                or not renders(s.fmt, ReportKind.BATCH)
                else _render(s, ReportKind.BATCH, batch, s.render_options()))
    return batch, document, _step_summary(batch, s)


def run_diff(old: Path, new: Path, s: Settings) -> Outcome:
    """What moved between two checks (each a trust file or a saved JSON result)."""
    from boardcheck.diff import compare

    movement = compare(saved_or_checked(old, s), saved_or_checked(new, s),
                       old_label=shown(old), new_label=shown(new))
    return Outcome(EXIT_OK, _render(s, ReportKind.DIFF, movement, s.render_options()),
                   (old, new), wrote=s.wrote(ReportKind.DIFF))


def run_due(file: Path, s: Settings, *, meeting: dt.date | None, within: int) -> Outcome:
    """The forward look: what falls due, for the board's plan."""
    from boardcheck.due import forward_look
    from boardcheck.engine import resolve_as_of
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    trust, source = load(file, TrustDescription, limits=s.limits())
    look = forward_look(trust, source, s.questionnaire,
                        resolve_as_of(s.as_of, trust, dt.date.today()), meeting=meeting,
                        within_days=within)
    if s.as_of is None and trust.as_of is None:  # the run's date, not one the file states
        look = replace(look, as_of_stated=False)
    if source.long_text:
        look = bounded(look)
    options = replace(s.render_options(), paper=s.paper)
    return Outcome(EXIT_OK, _render(s, ReportKind.DUE, look, options), (file,),
                   wrote=s.wrote(ReportKind.DUE))


def run_validate(files: list[Path], *, questionnaire: str | None, config: Path | None,
                 max_bytes: int) -> Outcome:
    """Validate each file against the schema, and its waivers and declarations of "not
    applicable" against the questionnaire (configured as `check` would, read only when a
    file has waivers or declarations); every problem."""
    from boardcheck.config import load_effective
    from boardcheck.engine import check_waivers
    from boardcheck.loading import Limits, load
    from boardcheck.model import TrustDescription

    valid: list[str] = []
    problems: list[str] = []
    waived_against: Questionnaire | None = None
    for file in files:
        try:
            trust, source = load(file, TrustDescription, limits=Limits(max_bytes=max_bytes))
            if trust.waivers or trust.not_applicable or any(c.not_applicable
                                                            for c in trust.collaboratives):
                if waived_against is None:  # a configuration error stops the run: raised
                    waived_against = configured_questionnaire(
                        load_effective({"questionnaire": questionnaire}, config))
                check_waivers(trust, source, waived_against)
        except InputError as exc:  # this file's: the others are still validated
            problems += [str(p) for p in exc.problems]
            continue
        valid.append(f"{shown(file)}: valid\n")
    return Outcome(EXIT_ERROR if problems else EXIT_OK, "".join(valid), tuple(files),
                   tuple(problems))


def one_file(files: list[str], fmt: OutputFormat) -> bool:
    """Whether the arguments are one file the format reports on by itself (not a batch)."""
    first = Path(files[0])
    magic = any(ch in files[0] for ch in "*?[")
    return (len(files) == 1 and not first.is_dir() and (first.is_file() or not magic)
            and renders(fmt, ReportKind.CHECK))


# --- init and schema ---------------------------------------------------------------------


def draft_path(path: Path) -> Path:
    """Where an interview stopped half-way keeps its answers: beside the file, under a
    name no batch picks up as a trust file (`*.yaml.draft`)."""
    return path.with_name(path.name + ".draft")


def run_init(path: Path, *, interactive: bool, force: bool, today: dt.date) -> Outcome:
    """Write a template, or interview and write the answers (revisiting `path` when it
    exists, resuming a draft when one is there); a stopped interview saves a draft.

    The questions go to stderr, so nothing but the answers' file is ever written to
    stdout. Written files are reported in `messages`."""
    from importlib import resources

    from boardcheck.output import OutputError, write_atomically

    if path.is_dir():
        raise OutputError(f"{shown(path)}: is a directory")
    revisiting = interactive and path.is_file() and not force
    if path.exists() and not force and not interactive:
        raise OutputError(f"{shown(path)}: already exists; use --force to replace it, or "
                          f"--interactive to revisit it")
    if not interactive:
        text = (resources.files("boardcheck") / "templates" / "trust.yaml").read_text("utf-8")
        write_atomically(path, text, force=force)
        return Outcome(EXIT_OK, messages=(
            f"wrote trust description template to {shown(path)}; fill it in, then run: "
            f"boardcheck check {shown(path)}",))
    from boardcheck import interview as questions
    from boardcheck.loading import load, parse_yaml, read_bytes
    from boardcheck.model import TrustDescription

    draft = draft_path(path)
    existing: str | None = None
    current: dict[str, Any] | None = None
    if revisiting:
        # A file that does not validate is reported before any question is asked.
        load(path, TrustDescription)
        raw = read_bytes(path, shown(path))
        try:
            existing = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single(shown(path), 1, 1, "only a UTF-8 file can be revisited; "
                                    "save it as UTF-8") from None
        current = parse_yaml(raw, shown(path)).data
    from rich.console import Console

    console = Console(stderr=True)
    try:
        resuming = draft.is_file() and questions.ask_to_resume(draft, console)
    except (EOFError, KeyboardInterrupt):
        return Outcome(EXIT_ERROR, messages=(
            "", "boardcheck: the interview stopped before the end; nothing was written",))
    if resuming:
        current = parse_yaml(read_bytes(draft, shown(draft)), shown(draft)).data
    session = questions.Interview(console, today, current)
    try:
        if existing is not None:
            text = questions.revisit(console, existing, today=today, session=session)
        else:
            text = questions.interview(console, today=today, session=session)
    except BoardcheckError as exc:  # the answers would leave the file invalid
        return _interview_stopped(session, path, today, invalid=exc)
    except (EOFError, KeyboardInterrupt):
        return _interview_stopped(session, path, today)
    write_atomically(path, text, force=force or revisiting)
    draft.unlink(missing_ok=True)
    what = "answers into" if revisiting else "trust description to"
    return Outcome(EXIT_OK, messages=(
        f"wrote {what} {shown(path)} ({session.asked} questions asked); check it with: "
        f"boardcheck check {shown(path)}",))


def _interview_stopped(session: Interview, path: Path, today: dt.date, *,
                       invalid: BoardcheckError | None = None) -> Outcome:
    """Save the answers given as a draft beside `path` (the file itself is not touched)
    and say why the interview ended without writing it. The first line ("") ends the
    line of the question left unanswered."""
    from boardcheck.interview import draft_text
    from boardcheck.output import write_atomically

    draft = draft_path(path)
    saved = draft_text(session, today=today, target=shown(path))
    if saved is not None:
        write_atomically(draft, saved, force=True)
    if invalid is not None:
        return Outcome(EXIT_ERROR, messages=(
            "", f"boardcheck: {shown(path)}: the answers would leave the file invalid, so it "
            f"is left as it was; the answers are saved in {shown(draft)}",
            *(f"boardcheck: {shown(path)}: {p.message}" for p in invalid.problems)))
    if saved is None:
        return Outcome(EXIT_ERROR, messages=(
            "", "boardcheck: the interview stopped before the end; nothing was written"))
    return Outcome(EXIT_ERROR, messages=(
        "", f"boardcheck: the interview stopped before the end; the answers so far are saved "
        f"in {shown(draft)}: carry on with boardcheck init --interactive {shown(path)}"))


def run_schema(output: Path | None, *, force: bool) -> Outcome:
    """The JSON Schema of the trust description: what editors check a trust file against
    (the template's `# yaml-language-server: $schema=trust.schema.json` line)."""
    import json

    from boardcheck.trust_schema import trust_json_schema

    document = json.dumps(trust_json_schema(), indent=2) + "\n"
    if output is None or str(output) == "-":
        return Outcome(EXIT_OK, document)
    from boardcheck.output import write_atomically

    write_atomically(output, document, force=force)
    return Outcome(EXIT_OK, messages=(
        f"wrote the trust description's JSON Schema to {shown(output)}",))
