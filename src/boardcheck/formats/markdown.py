"""Markdown: a compact summary for a pull-request comment or a CI job summary."""

from __future__ import annotations

from boardcheck.diff import Diff, arrow
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import markdown_code, markdown_text
from boardcheck.result import STATUS_LABELS, CriterionResult, Result
from boardcheck.summary import BatchResult

GAP_STATUSES = ("not_met", "partly_met")

escape = markdown_text  # the one markdown escaping, in sanitise


def rating_words(rating: str) -> str:
    return rating.upper()


def score_words(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def status_words(c: CriterionResult) -> str:
    label = STATUS_LABELS[c.status]
    if c.status in GAP_STATUSES and not c.evidenced:
        label += ", not evidenced"
    return label


def _where(c: CriterionResult) -> str:
    return f" (line {c.evidence[0].line})" if c.evidence else ""


def _gap(c: CriterionResult) -> list[str]:
    points = f", +{c.points_available:g} pts if closed" if c.points_available else ""
    return [
        f"- **{escape(c.id)}** {escape(c.title)} ({c.severity}, {status_words(c)}{points}): "
        f"{escape(c.message)}{_where(c)}",
        f"  - Ask: _{escape(c.challenge)}_",
    ]


def _waived(c: CriterionResult) -> str:
    w = c.waiver
    if w is None:
        return f"- **{escape(c.id)}** {escape(c.title)}: {escape(c.message)}"
    return (f"- **{escape(c.id)}** {escape(c.title)}: {escape(w.reason)} (owner "
            f"{escape(w.owner)}, approved by {escape(w.approved_by)}, review by "
            f"{w.review_by.isoformat()})")


def render_markdown(result: Result, movement: Diff | None = None) -> str:
    """The whole summary, each line ending in a newline; no HTML."""
    org = result.organisation
    overall = result.overall
    lines = [
        f"## {escape(org.name)}: {score_words(overall.score)} / 100 "
        f"**{rating_words(overall.rating)}**",
        "",
        f"Questionnaire {escape(result.questionnaire.id)} "
        f"{escape(result.questionnaire.version)} · as of {result.as_of.isoformat()} · "
        f"{escape(result.file)}",
    ]
    if overall.capped_by:
        lines += ["", f"Overall rating capped because {escape(overall.capped_by)} is rated "
                      "red."]
    moves = {m.id: m for m in movement.categories} if movement else {}
    if movement is None:
        lines += ["", "| Board question | Score | Rating |", "|---|---:|---|"]
    else:
        lines += ["", f"Overall {arrow(movement.overall.change)} since {movement.old_as_of}.",
                  "", f"| Board question | Score | Rating | Since {movement.old_as_of} |",
                  "|---|---:|---|---:|"]
    for cat in result.categories:
        capped = f" (capped by {escape(cat.capped_by)})" if cat.capped_by else ""
        row = (f"| {escape(cat.title)}: {escape(cat.board_question)} | "
               f"{score_words(cat.score)} | {rating_words(cat.rating)}{capped} |")
        if movement is not None:
            move = moves.get(cat.id)
            row += f" {arrow(move.change) if move else ''} |"
        lines.append(row)

    lines += ["", "### Gaps", ""]
    gaps = [c for c in result.criteria if c.status in GAP_STATUSES]
    if not gaps:
        lines.append("No gaps found.")
    for c in gaps:
        lines += _gap(c)

    waived = [c for c in result.criteria if c.status == "waived"]
    expired = [w for w in result.waivers if w.expired]
    if waived or expired:
        lines += ["", "### Waivers", ""]
        lines += [_waived(c) for c in waived]
        lines += [f"- Waiver for **{escape(w.criterion)}** expired on "
                  f"{w.review_by.isoformat()}: it no longer applies." for w in expired]
    return "\n".join(lines) + "\n"


class MarkdownFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        return render_markdown(result, options.movement)


FORMAT = MarkdownFormat()


def render_batch_markdown(batch: BatchResult) -> str:
    """Many trusts: one table row each, then the files that could not be evaluated."""
    titles = " | ".join(escape(t) for t in batch.category_titles)
    lines = [f"## boardcheck: {len(batch.rows)} trust(s) checked, {len(batch.errors)} "
             "could not be evaluated", ""]
    if not batch.complete:
        lines += ["**INCOMPLETE**: the run was interrupted.", ""]
    lines += [f"| Organisation | Overall | {titles} |",
              "|---|---|" + "---|" * len(batch.category_titles)]
    for row in batch.rows:
        cells = [f"{score_words(c.score)} {rating_words(c.rating)}" for c in row.categories]
        overall = f"{score_words(row.overall_score)} {rating_words(row.overall_rating or '')}"
        lines.append(f"| {escape(row.organisation or row.file)} | {overall} | "
                     f"{' | '.join(cells)} |")
    problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
    if problems:
        lines += ["", "### Could not be evaluated", ""]
        lines += [f"- {markdown_code(str(p))}" for p in problems]
    return "\n".join(lines) + "\n"


class MarkdownBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch_markdown(batch)


BATCH = MarkdownBatchFormat()
