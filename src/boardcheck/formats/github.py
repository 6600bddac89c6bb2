"""GitHub Actions workflow commands: one annotation per gap, then the overall rating."""

from __future__ import annotations

from boardcheck.errors import Problem
from boardcheck.formats import markdown
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import workflow_data, workflow_property
from boardcheck.result import STATUS_LABELS, CriterionResult, Result, Severity, Status
from boardcheck.summary import BatchResult

COMMANDS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "notice"}

GAP_STATUSES = ("not_met", "partly_met")



def annotation(c: CriterionResult, file: str) -> str:
    props = [f"file={workflow_property(file)}"]
    if c.evidence:
        # Without evidence the annotation names the file only, not a made-up line.
        props += [f"line={c.evidence[0].line}", f"col={c.evidence[0].column}"]
    props.append(f"title={workflow_property(f'{c.id} {c.title}')}")
    message = f"{c.message} Ask: {c.challenge}"
    return f"::{COMMANDS[c.severity]} {','.join(props)}::{workflow_data(message)}"


def summary_line(result: Result) -> str:
    overall = result.overall
    counts = []
    statuses: tuple[Status, ...] = ("not_met", "partly_met", "waived")
    for status in statuses:
        n = sum(1 for c in result.criteria if c.status == status)
        counts.append(f"{n} {STATUS_LABELS[status]}")
    capped = f", capped because {overall.capped_by} is rated red" if overall.capped_by else ""
    message = (f"Overall {markdown.score_words(overall.score)} / 100 "
               f"({markdown.rating_words(overall.rating)}{capped}) for "
               f"{result.organisation.name}: {', '.join(counts)}")
    return f"::notice title=boardcheck::{workflow_data(message)}"


def render_commands(result: Result) -> str:
    lines = [annotation(c, result.file) for c in result.criteria if c.status in GAP_STATUSES]
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
    props = [f"file={workflow_property(problem.file)}", f"line={problem.line}",
             f"col={problem.column}", f"title={workflow_property('boardcheck: cannot evaluate')}"]
    return f"::error {','.join(props)}::{workflow_data(problem.message)}"


class GithubBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        parts = [render_commands(row.result) for row in batch.rows if row.result is not None]
        problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
        parts += [problem_annotation(p) + "\n" for p in problems]
        return "".join(parts)


BATCH = GithubBatchFormat()
