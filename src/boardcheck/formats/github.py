"""GitHub Actions workflow commands, most important first, plus the job's step summary.

The runner keeps only 10 annotations of each level (error, warning, notice) per step, so
the order is by importance: files that cannot be evaluated, then failed thresholds (each an
`::error` of its own), then each trust's overall rating, then gaps by severity. Where a
level has more than 10, the tenth says how many more there are and that the step summary
lists them all.
"""

from __future__ import annotations

from boardcheck.errors import Problem
from boardcheck.formats import markdown
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import markdown_text, workflow_data, workflow_property
from boardcheck.result import STATUS_LABELS, CriterionResult, Result, Severity, Status
from boardcheck.summary import BatchResult

COMMANDS: dict[Severity, str] = {"critical": "error", "major": "warning", "minor": "notice"}
GAP_STATUSES = ("not_met", "partly_met")
# What the runner shows of each level in one step.
KEPT_PER_LEVEL = 10


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


def threshold_annotation(file: str, sentence: str) -> str:
    return (f"::error file={workflow_property(file)},title=boardcheck%3A threshold failed::"
            f"{workflow_data(sentence)}")


def problem_annotation(problem: Problem) -> str:
    """A file that could not be evaluated, as an error on the line at fault."""
    props = [f"file={workflow_property(problem.file)}", f"line={problem.line}",
             f"col={problem.column}", f"title={workflow_property('boardcheck: cannot evaluate')}"]
    return f"::error {','.join(props)}::{workflow_data(problem.message)}"


def _gaps(result: Result) -> list[str]:
    order = ("critical", "major", "minor")
    gaps = sorted((c for c in result.criteria if c.status in GAP_STATUSES),
                  key=lambda c: order.index(c.severity))
    return [annotation(c, result.file) for c in gaps]


def ordered(problems: list[Problem], results: list[tuple[Result, tuple[str, ...]]]) -> str:
    """Every annotation, most important first, at most 10 of each level."""
    lines = [problem_annotation(p) for p in problems]
    lines += [threshold_annotation(r.file, t) for r, failed in results for t in failed]
    lines += [summary_line(r) for r, _ in results]
    lines += [line for r, _ in results for line in _gaps(r)]
    kept: list[str] = []
    shown: dict[str, int] = {}
    held: dict[str, list[str]] = {}
    for line in lines:
        level = line[2:line.index(" ")]
        if shown.get(level, 0) < KEPT_PER_LEVEL - 1:
            kept.append(line)
            shown[level] = shown.get(level, 0) + 1
        else:
            held.setdefault(level, []).append(line)
    for level in ("error", "warning", "notice"):
        rest = held.get(level, [])
        if len(rest) == 1:  # room for the line itself
            kept.append(rest[0])
        elif rest:
            kept.append(f"::{level} title=boardcheck::{len(rest)} more {level} annotations "
                        "are not shown here (the runner keeps 10 per step); the step summary "
                        "lists them all")
    return "".join(line + "\n" for line in kept)


def step_summary(result: Result, thresholds_failed: tuple[str, ...] = ()) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the markdown summary, and each failed threshold."""
    return markdown.render_markdown(result) + _thresholds_markdown(
        [(result.file, t) for t in thresholds_failed])


def batch_step_summary(batch: BatchResult) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY after a batch."""
    return markdown.render_batch_markdown(batch) + _thresholds_markdown(
        [(row.file, t) for row in batch.rows for t in row.threshold_failures])


def _thresholds_markdown(failed: list[tuple[str, str]]) -> str:
    if not failed:
        return ""
    return "\n### Thresholds failed\n\n" + "".join(
        f"- {markdown_text(file)}: {markdown_text(sentence)}\n" for file, sentence in failed)


class GithubFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return ordered([], [(result, options.thresholds_failed)])


FORMAT = GithubFormat()


class GithubBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
        results = [(row.result, row.threshold_failures) for row in batch.rows
                   if row.result is not None]
        return ordered(problems, results)


BATCH = GithubBatchFormat()
