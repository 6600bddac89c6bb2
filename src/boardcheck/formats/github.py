"""GitHub Actions workflow commands, most important first, plus the job's step summary.

The runner keeps only 10 annotations of each level (error, warning, notice) per step, so
the order is by importance: files that cannot be evaluated, then failed thresholds (each an
`::error` of its own), then each trust's overall rating, then gaps by severity and the
template placeholders. Where a level has more than 10, the tenth says how many more there
are and that the step summary lists them all.

A batch is written by a streaming writer: each trust's lines are rendered by the worker
that checked it, and the writer keeps only what the runner will show (the first 10 lines of
each level in each part) and counts the rest, so memory stays flat in the number of files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from boardcheck.errors import Problem
from boardcheck.formats import markdown, wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import markdown_text, workflow_data, workflow_property
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.formats.wording import GAP_STATUSES
from boardcheck.result import STATUS_LABELS, CriterionResult, Placeholder, Result, Severity, Status

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.summary import BatchResult, Catalogue, Row

COMMANDS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "notice"}
# What the runner shows of each level in one step.
KEPT_PER_LEVEL = 10
LEVELS = ("error", "warning", "notice")


def annotation(c: CriterionResult, file: str) -> str:
    props = [f"file={workflow_property(file)}"]
    if c.evidence:
        # Without evidence the annotation names the file only, not a made-up line.
        props += [f"line={c.evidence[0].line}", f"col={c.evidence[0].column}"]
    props.append(f"title={workflow_property(f'{c.id} {c.title}')}")
    message = f"{wording.status_words(c)}: {c.message}"
    challenge = wording.challenged_text(c)
    if challenge:
        message += f"; {challenge}"
    message += f" Ask: {c.challenge}"
    return f"::{COMMANDS[c.severity]} {','.join(props)}::{workflow_data(message)}"


def placeholder_annotation(p: Placeholder, file: str) -> str:
    props = [f"file={workflow_property(file)}", f"line={p.line}", f"col={p.column}",
             f"title={workflow_property('Template placeholder')}"]
    return f"::warning {','.join(props)}::{workflow_data(wording.placeholder_text(p))}"


def summary_line(result: Result) -> str:
    overall = result.overall
    counts = []
    statuses: tuple[Status, ...] = ("not_met", "partly_met", "not_evidenced", "waived")
    for status in statuses:
        n = sum(1 for c in result.criteria if c.status == status)
        counts.append(f"{n} {STATUS_LABELS[status]}")
    reason = wording.rating_reason(overall.rating, overall.explanation)
    why = f": {reason}" if reason else ""
    placeholders = (f", {len(result.placeholders)} template placeholder(s) not counted as "
                    "evidence" if result.placeholders else "")
    message = (f"Overall {markdown.score_words(overall.score)} / 100 "
               f"({markdown.rating_words(overall.rating)}{why}; "
               f"{wording.coverage_words(overall.evidence_coverage)}) for "
               f"{result.organisation.name}: {', '.join(counts)}{placeholders}")
    return f"::notice title=boardcheck::{workflow_data(message)}"


def threshold_annotation(file: str, sentence: str) -> str:
    return (f"::error file={workflow_property(file)},title=boardcheck%3A threshold failed::"
            f"{workflow_data(sentence)}")


def problem_annotation(problem: Problem) -> str:
    """A file that could not be evaluated, as an error on the line at fault. A directory or
    pattern that found nothing is no file to annotate: the job's own error names it."""
    title = f"title={workflow_property('boardcheck: cannot evaluate')}"
    if problem.line == 0:
        return f"::error {title}::{workflow_data(str(problem))}"
    props = [f"file={workflow_property(problem.file)}", f"line={problem.line}",
             f"col={problem.column}", title]
    return f"::error {','.join(props)}::{workflow_data(problem.message)}"


def _gaps(result: Result) -> list[str]:
    order = ("critical", "major", "minor")
    gaps = sorted((c for c in result.criteria
                   if c.status in GAP_STATUSES or (c.challenged and c.status != "waived")),
                  key=lambda c: order.index(c.severity))
    lines = [annotation(c, result.file) for c in gaps]
    lines += [placeholder_annotation(p, result.file) for p in result.placeholders]
    return lines


def fragment(result: Result, failing: frozenset[str] = frozenset(),
             thresholds: tuple[str, ...] = ()) -> str:
    """One trust's lines (run in the worker that checked the file): its overall rating
    first, then its gaps and placeholders, most important first."""
    return "".join(line + "\n" for line in (summary_line(result), *_gaps(result)))


def _level(line: str) -> str:
    return line[2:line.index(" ")]


# The parts of the document, in order of importance.
PROBLEMS, THRESHOLDS, SUMMARIES, GAPS = range(4)


class GithubBatchWriter:
    """Collects each trust's lines as it arrives (input order), keeping only what the runner
    can show; `finish` writes them most important first, at most 10 of each level."""

    def __init__(self, out: TextIO, catalogue: Catalogue | None = None, *,
                 sort: str = "score") -> None:
        self.out = out
        # Each part's lines in arrival order, at most KEPT_PER_LEVEL of a level in a part:
        # the runner never shows more than that many of a level in all.
        self.parts: list[list[str]] = [[] for _ in range(4)]
        self.per_part: list[dict[str, int]] = [{} for _ in range(4)]
        self.count: dict[str, int] = {}

    def _take(self, part: int, line: str) -> None:
        level = _level(line)
        self.count[level] = self.count.get(level, 0) + 1
        here = self.per_part[part]
        if here.get(level, 0) < KEPT_PER_LEVEL:
            here[level] = here.get(level, 0) + 1
            self.parts[part].append(line)

    def add(self, row: Row) -> None:
        if not row.ok:
            for problem in row.problems:
                self._take(PROBLEMS, problem_annotation(problem))
            return
        for sentence in row.threshold_failures:
            self._take(THRESHOLDS, threshold_annotation(row.file, sentence))
        text = row_text(row, fragment)
        if text is not None:
            summary, *gaps = text.splitlines()
            self._take(SUMMARIES, summary)
            for line in gaps:
                self._take(GAPS, line)

    def finish(self, batch: BatchResult | None = None) -> None:
        if batch is not None:
            for problem in batch.search_problems:
                self._take(PROBLEMS, problem_annotation(problem))
        kept: list[str] = []
        shown: dict[str, int] = {}
        tenth: dict[str, str] = {}
        for line in (line for part in self.parts for line in part):
            level = _level(line)
            if shown.get(level, 0) < KEPT_PER_LEVEL - 1:
                kept.append(line)
                shown[level] = shown.get(level, 0) + 1
            else:
                tenth.setdefault(level, line)
        for level in LEVELS:
            rest = self.count.get(level, 0) - shown.get(level, 0)
            if rest == 1:  # room for the line itself
                kept.append(tenth[level])
            elif rest:
                kept.append(f"::{level} title=boardcheck::{rest} more {level} annotations "
                            "are not shown here (the runner keeps 10 per step); the step "
                            "summary lists them all")
        self.out.write("".join(line + "\n" for line in kept))


WRITER = GithubBatchWriter


def render_commands(result: Result, thresholds_failed: tuple[str, ...] = ()) -> str:
    """One trust's commands: its failed thresholds, overall rating, gaps and placeholders."""
    import io

    out = io.StringIO()
    writer = GithubBatchWriter(out)
    for sentence in thresholds_failed:
        writer._take(THRESHOLDS, threshold_annotation(result.file, sentence))
    summary, *gaps = fragment(result).splitlines()
    writer._take(SUMMARIES, summary)
    for line in gaps:
        writer._take(GAPS, line)
    writer.finish()
    return out.getvalue()


def step_summary(result: Result, thresholds_failed: tuple[str, ...] = ()) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the markdown summary, and each failed threshold."""
    return markdown.render_markdown(result) + "".join(_thresholds_markdown(
        (result.file, t) for t in thresholds_failed))


def batch_step_summary(batch: BatchResult) -> Iterator[str]:
    """Markdown for $GITHUB_STEP_SUMMARY after a batch, in pieces: the markdown batch report
    as `-f markdown` writes it (a row at a time), then each failed threshold, so a batch of
    any size is never held whole (issue 14)."""
    yield from markdown.batch_pieces(batch)
    yield from _thresholds_markdown((row.file, t) for row in batch.rows
                                    for t in row.threshold_failures)


def _thresholds_markdown(failed: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The failed thresholds under a heading of their own; nothing when none failed."""
    heading = "\n### Thresholds failed\n\n"
    for file, sentence in failed:
        yield heading + f"- {markdown_text(file)}: {markdown_text(sentence)}\n"
        heading = ""


class GithubStepSummary:
    """What the registry's `step_summary` formats give for the job's page: markdown, in
    pieces the CLI appends to the file one at a time."""

    def one(self, result: Result, thresholds_failed: tuple[str, ...]) -> Iterable[str]:
        return (step_summary(result, thresholds_failed),)

    def batch(self, batch: BatchResult) -> Iterable[str]:
        return batch_step_summary(batch)


STEP_SUMMARY = GithubStepSummary()


class GithubFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return render_commands(result, options.thresholds_failed)


FORMAT = GithubFormat()


class GithubBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = GithubBatchFormat()
