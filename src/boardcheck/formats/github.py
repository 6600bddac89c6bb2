"""GitHub Actions workflow commands: one annotation per gap, then the overall rating."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from boardcheck.errors import Problem
from boardcheck.formats import markdown, wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.stream import render_batch, row_text
from boardcheck.formats.wording import GAP_STATUSES
from boardcheck.result import STATUS_LABELS, CriterionResult, Placeholder, Result, Severity, Status

if TYPE_CHECKING:  # the batch types: one file's output need not import the summary
    from boardcheck.summary import BatchResult, Catalogue, Row

COMMANDS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as data, and also no bare ':' or ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(c: CriterionResult, file: str) -> str:
    props = [f"file={escape_property(file)}"]
    if c.evidence:
        # Without evidence the annotation names the file only, not a made-up line.
        props += [f"line={c.evidence[0].line}", f"col={c.evidence[0].column}"]
    props.append(f"title={escape_property(f'{c.id} {c.title}')}")
    message = f"{wording.status_words(c)}: {c.message}"
    challenge = wording.challenged_text(c)
    if challenge:
        message += f"; {challenge}"
    message += f" Ask: {c.challenge}"
    return f"::{COMMANDS[c.severity]} {','.join(props)}::{escape_data(message)}"


def placeholder_annotation(p: Placeholder, file: str) -> str:
    props = [f"file={escape_property(file)}", f"line={p.line}", f"col={p.column}",
             f"title={escape_property('Template placeholder')}"]
    return f"::warning {','.join(props)}::{escape_data(wording.placeholder_text(p))}"


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
    return f"::notice title=boardcheck::{escape_data(message)}"


def render_commands(result: Result) -> str:
    lines = [annotation(c, result.file) for c in result.criteria
             if c.status in GAP_STATUSES or (c.challenged and c.status != "waived")]
    lines += [placeholder_annotation(p, result.file) for p in result.placeholders]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def step_summary(result: Result) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the markdown format's summary as it stands."""
    return markdown.render_markdown(result)


class GithubFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return render_commands(result)


FORMAT = GithubFormat()


def problem_annotation(problem: Problem) -> str:
    """A file that could not be evaluated, as an error on the line at fault."""
    props = [f"file={escape_property(problem.file)}", f"line={problem.line}",
             f"col={problem.column}", f"title={escape_property('boardcheck: cannot evaluate')}"]
    return f"::error {','.join(props)}::{escape_data(problem.message)}"


def fragment(result: Result) -> str:
    return render_commands(result)


class GithubBatchWriter:
    """Each trust's annotations as it arrives (input order), then the files that failed."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
        self.out = out

    def add(self, row: Row) -> None:
        text = row_text(row, fragment) if row.ok else None
        if text is not None:
            self.out.write(text)

    def finish(self, batch: BatchResult) -> None:
        problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
        self.out.write("".join(problem_annotation(p) + "\n" for p in problems))


WRITER = GithubBatchWriter


class GithubBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch(WRITER, batch)


BATCH = GithubBatchFormat()
