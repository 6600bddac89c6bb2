"""Markdown: a compact summary for a pull-request comment or a CI job summary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from boardcheck.diff import Diff, arrow
from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import markdown_code, markdown_text
from boardcheck.formats.stream import summary_writer
from boardcheck.formats.wording import (
    GAP_STATUSES,
    by_title,
    coverage_number,
    coverage_words,
    group_label,
)
from boardcheck.result import CriterionResult, Result
from boardcheck.summary import BREAKDOWNS, BatchResult, Distribution

if TYPE_CHECKING:
    from boardcheck.collaboratives import Disagreement, Unresolved

escape = markdown_text  # the one markdown escaping, in sanitise


def rating_words(rating: str) -> str:
    """The rating in capitals and words: INSUFFICIENT EVIDENCE."""
    return wording.rating_upper(rating)


def verdict_words(rating: str, explanation: str) -> str:
    """The rating, bold, and why where it is capped or not rated: **RED**: capped by PI12."""
    reason = wording.rating_reason(rating, explanation)
    return f"**{rating_words(rating)}**" + (f": {escape(reason)}" if reason else "")


def score_words(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def status_words(c: CriterionResult) -> str:
    return wording.status_words(c)


def _where(c: CriterionResult) -> str:
    return f" (line {c.evidence[0].line})" if c.evidence else ""


def _gap(c: CriterionResult) -> list[str]:
    points = f", +{c.points_available:g} pts if closed" if c.points_available else ""
    lines = [
        f"- **{escape(c.id)}** {escape(c.title)} ({c.severity}, {status_words(c)}{points}): "
        f"{escape(c.message)}{_where(c)}",
    ]
    challenge = wording.challenged_text(c)
    if challenge:
        lines.append(f"  - Finding: {escape(challenge)}")
    if c.exclusions:
        lines.append(f"  - Not applied: {escape(wording.exclusions_text(c))}")
    return [*lines, f"  - Ask: _{escape(c.challenge)}_"]


def _not_applicable(c: CriterionResult) -> str:
    why = wording.exclusions_text(c) if c.exclusions else c.message
    return f"- **{escape(c.id)}** {escape(c.title)}: {escape(why)}"


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
        f"**{rating_words(overall.rating)}** ({coverage_words(overall.evidence_coverage)})",
        "",
        f"Questionnaire {escape(result.questionnaire.id)} "
        f"{escape(result.questionnaire.version)} · as of {result.as_of.isoformat()} · "
        f"{escape(result.file)}",
    ]
    if wording.rating_reason(overall.rating, overall.explanation):
        lines += ["", f"Overall rating {verdict_words(overall.rating, overall.explanation)}"]
    moves = {m.id: m for m in movement.categories} if movement else {}
    if movement is None:
        lines += ["", "| Board question | Score | Evidenced | Rating |", "|---|---:|---:|---|"]
    else:
        lines += ["", f"Overall {arrow(movement.overall.change)} since {movement.old_as_of}.",
                  "", f"| Board question | Score | Evidenced | Rating | "
                  f"Since {movement.old_as_of} |", "|---|---:|---:|---|---:|"]
    for cat in result.categories:
        row = (f"| {escape(cat.title)}: {escape(cat.board_question)} | "
               f"{score_words(cat.score)} | {coverage_number(cat.evidence_coverage)} | "
               f"{verdict_words(cat.rating, cat.explanation)} |")
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

    challenged = [c for c in result.criteria if c.challenged and c.status not in GAP_STATUSES]
    if challenged:
        lines += ["", "### Declarations challenged", ""]
        for c in challenged:
            lines += _gap(c)[:2]

    na = [c for c in result.criteria if c.status == "not_applicable"]
    in_part = [(c, text) for c in result.criteria
               if c.status not in (*GAP_STATUSES, "not_applicable")
               and (text := wording.declared_text(c))]
    if na or in_part:
        lines += ["", "### Not applicable", ""]
        lines += [_not_applicable(c) for c in na]
        lines += [f"- **{escape(c.id)}** {escape(c.title)} (in part): {escape(text)}"
                  for c, text in in_part]

    if result.placeholders:
        lines += ["", "### Template placeholders", ""]
        lines += [f"- {escape(wording.placeholder_text(p))}" for p in result.placeholders]

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


def batch_pieces(batch: BatchResult) -> Iterator[str]:
    """Many trusts: one table row each, then the files that could not be evaluated; in
    pieces, each ending in a newline, so a batch of any size is never held whole (issue 14):
    the rows are read back from the summary one at a time."""
    titles = " | ".join(escape(t) for t in batch.category_titles)
    # Sorted by a breakdown (region, ICB...): a column names the group each row is placed
    # in, so a reader sees where one group ends.
    grouped = next((f"{escape(title)} | " for key, title, _ in BREAKDOWNS
                    if key == batch.sort), "")
    lines = [f"## boardcheck: {len(batch.rows)} trust(s) checked, {len(batch.errors)} "
             "could not be evaluated", ""]
    if not batch.complete:
        lines += ["**INCOMPLETE**: the run was interrupted.", ""]
    lines += ["Each cell: score, rating, and the share of the questionnaire's weight the file "
              f"evidences; {CAP_MARK} the rating is capped or set by a rule (why is listed "
              "under the table). Submissions rated insufficient evidence or inconclusive are "
              "not ranked: they follow the others.", "",
              # Grouped by region, ICB...: a trust's rank within its group, headed so.
              f"| {wording.rank_heading(batch.sort).replace('Rank', '#', 1)} | Organisation | "
              f"{grouped}Overall | {titles} |",
              "|---:|---|" + "---|" * (bool(grouped) + 1 + len(batch.category_titles))]
    yield _lines(lines)
    capped = 0
    # Grouped by ICB, sector...: a trust in several groups is a row under each, as the
    # breakdowns count it, ranked within each; counted once, under its first.
    for listed, place, row, first in wording.listed_rows(batch):
        named = None if listed is None else group_label(listed.key, listed.name)
        cells = [f"{score_words(c.score)} {rating_words(c.rating)}"
                 f"{CAP_MARK if _capped(c.rating, c.explanation) else ''} "
                 f"({coverage_number(c.coverage)})" for c in row.categories]
        capped += first and any(_capped(c.rating, c.explanation) for c in row.categories)
        rating = row.overall_rating or "inconclusive"
        reason = wording.rating_reason(rating, row.overall_explanation)
        overall = (f"{score_words(row.overall_score)} **{rating_words(rating)}** "
                   f"({coverage_number(row.overall_coverage)})"
                   + (f": {escape(reason)}" if reason else ""))
        group = f"{escape(named)} | " if named is not None else ""
        yield (f"| {place or 'not ranked'} | {escape(row.organisation or row.file)} | "
               f"{group}{overall} | {' | '.join(cells)} |\n")
    if capped:
        yield from _cap_notes(batch, capped)
    for line in sector_views_markdown(batch):
        yield f"{line}\n"
    for line in duplicate_lines(batch):
        yield f"{line}\n"
    for line in collaborative_lines(batch):
        yield f"{line}\n"
    problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
    if problems:
        yield _lines(["", "### Could not be evaluated", ""])
        for p in problems:
            yield f"- {markdown_code(str(p))}\n"


# After a question's rating: capped or set by a rule, not what the score gives (why is in a
# list under the table; an overall rating says why in its own cell).
CAP_MARK = "\\*"


def _capped(rating: str, explanation: str) -> str | None:
    """Why a green, amber or red rating is not the one the score alone gives; None when the
    score gives it (insufficient evidence and inconclusive say so in their own words)."""
    if rating not in wording.RANKED_RATINGS:
        return None
    return wording.rating_reason(rating, explanation)


def _cap_notes(batch: BatchResult, count: int) -> Iterator[str]:
    """The list under the table: for each trust with a question marked CAP_MARK, why. A
    second pass over the rows, read back one at a time."""
    titles = dict(zip(batch.category_ids, batch.category_titles, strict=True))
    yield _lines(["", f"{CAP_MARK} Board questions whose rating is capped or set by a rule "
                  f"({count} trust(s)):", ""])
    for row in batch.rows:
        why = [f"{titles.get(c.id, c.id)} {wording.rating_label(c.rating)}: {reason}"
               for c in row.categories if (reason := _capped(c.rating, c.explanation))]
        if why:
            yield f"- **{escape(row.organisation or row.file)}**: {escape('; '.join(why))}\n"


def _lines(lines: list[str]) -> str:
    """Lines as one piece, each ending in a newline (nothing for no lines)."""
    return "".join(f"{line}\n" for line in lines)


def render_batch_markdown(batch: BatchResult) -> str:
    """The whole batch summary as one string (a batch held in memory, as the tests do)."""
    return "".join(batch_pieces(batch))


def _share(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _dist_cells(d: Distribution) -> str:
    # Whole percents that add to 100 across a row (largest remainder), as in the terminal.
    shares = d.whole_shares()
    return (f"{d.rated} | {_share(shares['green'])} | {_share(shares['amber'])} | "
            f"{_share(shares['red'])} | {_share(shares['insufficient_evidence'])} | "
            f"{score_words(d.q1)} | {score_words(d.median)} | {score_words(d.q3)} |")


def sector_views_markdown(batch: BatchResult) -> Iterator[str]:
    """The sector views (issue 12): each breakdown's groups with the shares rated green,
    amber, red and insufficient evidence and the quartiles, per question; the outliers; the
    common gaps as shares, overall and by sector. Line by line (no newlines): the outliers
    grow with the batch."""
    if batch.outliers:
        yield from ["", "### Outliers", "",
                    "Trusts that state a critical criterion not met, thin submissions, and "
                    "trusts far below their sector's median; worst first.", ""]
        for o in batch.outliers:
            yield (f"- **{escape(o.organisation)}** ({score_words(o.overall_score)} "
                   f"{rating_words(o.overall_rating or 'inconclusive')}): "
                   + "; ".join(escape(r.text) for r in o.reasons))
    yield from ["", "### Common gaps", "",
                "The criteria most often stated not met, as a share of the trusts checked.",
                "", "| Sector | Criterion | Not met | Share |", "|---|---|---:|---:|"]
    groups = [("All trusts", batch.common_gaps),
              *((group_label("sector", s.sector), s.gaps) for s in batch.gaps_by_sector)]
    for sector, gaps in groups:
        for gap in gaps:
            yield (f"| {escape(sector)} | {escape(gap.criterion)} {escape(gap.title)} | "
                   f"{gap.not_met} | {gap.share:.0f}% |")
    head = ("| {} | Question | Files | Green | Amber | Red | Insufficient evidence | "
            "Lower quartile | Median | Upper quartile |")
    for breakdown in batch.breakdowns:
        yield from ["", f"### By {escape(by_title(breakdown.title))}", "", head.format(
            escape(breakdown.title)), "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for g in breakdown.groups:
            label = escape(group_label(breakdown.key, g.name))
            yield f"| {label} | Overall | {_dist_cells(g.overall)}"
            for cid, title in zip(batch.category_ids, batch.category_titles, strict=True):
                if cid in g.categories:
                    yield f"| {label} | {escape(title)} | {_dist_cells(g.categories[cid])}"


def duplicate_lines(batch: BatchResult) -> Iterator[str]:
    """The possible duplicate submissions, as the terminal and the HTML page list them: what
    the files share, its value, and the files (as code, each a path); nothing when there are
    none, as the terminal. Line by line (no newlines)."""
    if not batch.duplicates:
        return
    yield from ["", f"### {wording.DUPLICATES_TITLE}", "", escape(wording.DUPLICATES_INTRO),
                "", "| Same | Value | Files |", "|---|---|---|"]
    for dup in batch.duplicates:
        files = ", ".join(markdown_code(f) for f in dup.files)
        yield (f"| {escape(wording.duplicate_key(dup))} | "
               f"{escape(wording.duplicate_value(dup))} | {files} |")


# --- batch: the collaborative view (issue 12) ---------------------------------------------

def collaboratives_markdown(batch: BatchResult) -> list[str]:
    """The collaborative view's lines (none without collaboratives)."""
    return list(collaborative_lines(batch))


def collaborative_lines(batch: BatchResult) -> Iterator[str]:
    """A table of the collaboratives (members submitted, readiness, disagreements), then each
    disagreement with every file's position as code; line by line (no newlines)."""
    from boardcheck.formats import collaborative_text as words

    views = batch.collaboratives
    if not views:
        return
    yield from ["", f"### {words.TITLE}", "", escape(words.INTRO), "",
                escape(words.summary_line(views)) + ".", "",
                f"| Collaborative | Members | {words.READINESS} | Disagreements |",
                "|---|---|---|---:|"]
    for view in views:
        yield (f"| {escape(words.heading(view))} | {escape(words.membership(view))} | "
               f"{escape(words.readiness(view))} | {len(view.disagreements)} |")
    for view in views:
        if not (view.probable or view.disagreements or view.unresolved
                or view.partly_recorded):
            continue
        yield from ["", f"#### {escape(words.heading(view))}", ""]
        if view.probable:
            yield f"- {escape(words.probable_title(view))}"
            for sub in view.probable_submissions:
                yield (f"  - {markdown_code(words.where(sub))}: "
                       f"{escape(words.probable_value(sub))}")
        for d in view.disagreements:
            yield f"- {escape(words.disagree(d))}"
            yield from _statements(d)
        for u in view.unresolved:
            yield f"- {escape(words.unresolved(u))}"
            yield from _statements(u)
        if view.partly_recorded:
            yield (f"- {escape(words.PARTLY_RECORDED)} ({len(view.partly_recorded)}; not "
                   "disagreements):")
            for p in view.partly_recorded:
                yield (f"  - {escape(p.title)}: recorded by "
                       f"{', '.join(markdown_code(f) for f in p.recorded_by)}; not by "
                       f"{', '.join(markdown_code(f) for f in p.not_recorded_by)}")


def _statements(fact: Disagreement | Unresolved) -> Iterator[str]:
    """Each file's statement of a fact: its position as code, then the value."""
    from boardcheck.formats import collaborative_text as words

    for s in fact.statements:
        repeat = " " + escape(f"({s.organisation}'s other file)") if s.repeat else ""
        yield (f"  - {markdown_code(words.where(s))}{repeat}: "
               f"{escape(words.value(fact, s, code=True))}")


class MarkdownBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_batch_markdown(batch)


BATCH = MarkdownBatchFormat()
# Written piece by piece once the batch is summarised (issue 14).
WRITER = summary_writer(batch_pieces)
