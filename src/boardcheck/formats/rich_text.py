"""The terminal report: overall rating, one row per board question, then the gaps.

Rendered through Rich into a string; without colour it is plain text with no escape codes.
Ratings and statuses always carry a text label, so nothing depends on colour alone.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from boardcheck.diff import Diff, arrow
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import deep, printable
from boardcheck.formats.wording import (
    GAP_STATUSES,
    challenged_text,
    coverage_number,
    coverage_words,
    declared_text,
    exclusion_text,
    exclusions_text,
    rating_reason,
    rating_upper,
    status_words,
)
from boardcheck.result import STATUS_LABELS, CategoryResult, CriterionResult, Result, Status

if TYPE_CHECKING:  # the batch types: a one-file report need not import the summary module
    from boardcheck.summary import BatchResult, Distribution, Row

RATING_STYLES = {"green": "bold green", "amber": "bold yellow", "red": "bold red",
                 "insufficient_evidence": "bold blue", "inconclusive": "bold magenta"}
STATUS_MARKS = {"met": ("✓", "green"), "partly_met": ("◐", "yellow"), "not_met": ("✗", "red"),
                "not_evidenced": ("?", "blue"), "not_applicable": ("–", "dim"),
                "waived": ("w", "cyan")}
COUNTED: tuple[Status, ...] = ("met", "partly_met", "not_met", "not_evidenced", "waived",
                              "not_applicable")


def rating_text(rating: str) -> Text:
    """The rating in capitals, in words: INSUFFICIENT EVIDENCE, never an identifier."""
    return Text(rating_upper(rating), style=RATING_STYLES.get(rating, ""))


def verdict_text(rating: str, explanation: str) -> Text:
    """The rating and, where it is capped or not rated, why: "RED: capped by PI12 (...)"."""
    text = rating_text(rating)
    reason = rating_reason(rating, explanation)
    if reason:
        text.append(f": {reason}")
    return text


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def console_for(options: RenderOptions) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=options.width, force_terminal=options.color,
                      color_system="standard" if options.color else None,
                      no_color=not options.color, highlight=False, emoji=False, markup=False,
                      legacy_windows=False, soft_wrap=False)
    return console, buffer


def _counts(cat: CategoryResult) -> str:
    parts = []
    for status in COUNTED:
        n = sum(1 for c in cat.criteria if c.status == status)
        if n:
            parts.append(f"{n} {STATUS_LABELS[status]}")
    return ", ".join(parts)


def _gap(c: CriterionResult) -> Group:
    mark, style = STATUS_MARKS[c.status]
    label = status_words(c)
    head = Text.assemble((f"{mark} ", style), (c.id, "bold"), f" {c.title} ",
                         (f"[{c.severity} · {label}]", style))
    if c.points_available:
        head.append(f" +{c.points_available:g} pts if closed", style="dim")
    # A grid gives each label a hanging indent, so wrapped text lines up under itself.
    body = Table.grid(padding=(0, 1))
    body.add_column(width=9, no_wrap=True)
    body.add_column()
    where = f" (line {c.evidence[0].line})" if c.evidence else ""
    body.add_row(Text("Found:", style="bold"), c.message + where)
    challenge = challenged_text(c)
    if challenge:
        body.add_row(Text("Finding:", style="bold"), challenge)
    if c.exclusions:
        body.add_row(Text("Not here:", style="bold"), exclusions_text(c))
    if c.status == "waived" and c.waiver is not None:
        body.add_row(Text("Waiver:", style="bold"),
                     f"{c.waiver.owner}, approved by {c.waiver.approved_by}, review by "
                     f"{c.waiver.review_by.isoformat()}")
    else:
        body.add_row(Text("Ask:", style="bold"), c.challenge)
        body.add_row(Text("Close it:", style="bold"), c.remediation)
    return Group(head, Padding(body, (0, 0, 0, 2)))


def render_result(console: Console, result: Result, movement: Diff | None = None) -> None:
    org = result.organisation
    code = f" ({org.ods_code})" if org.ods_code else ""
    console.print(Text(f"{org.name}{code}", style="bold"))
    console.print(f"Questionnaire {result.questionnaire.id} {result.questionnaire.version} · "
                  f"as of {result.as_of.isoformat()} · {result.file}")
    console.print()
    overall = Text.assemble(("Overall readiness: ", "bold"),
                            f"{score_text(result.overall.score)} / 100  ",
                            verdict_text(result.overall.rating, result.overall.explanation),
                            f"  · {coverage_words(result.overall.evidence_coverage)}")
    if movement is not None:
        overall.append(f"  {arrow(movement.overall.change)} since {movement.old_as_of}")
    console.print(overall)
    console.print()
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column("Board question")
    table.add_column("Score", justify="right")
    table.add_column("Evidenced", justify="right")
    table.add_column("Rating")
    table.add_column("Criteria")
    moves = {m.id: m for m in movement.categories} if movement else {}
    if movement is not None:
        table.add_column("Change", justify="right")
    for cat in result.categories:
        rating = rating_text(cat.rating)
        reason = rating_reason(cat.rating, cat.explanation)
        if reason:
            rating.append(f"\n{reason}", style="dim")
        cells: list[Text | str] = [Text.assemble((cat.title, "bold"), "\n", cat.board_question),
                 score_text(cat.score), coverage_number(cat.evidence_coverage), rating,
                 _counts(cat)]
        if movement is not None:
            move = moves.get(cat.id)
            cells.append(arrow(move.change) if move else "")
        table.add_row(*cells)
    console.print(table)
    for cat in result.categories:
        gaps = [c for c in cat.criteria
                if c.status in (*GAP_STATUSES, "waived") or c.challenged]
        console.print()
        console.print(Text.assemble((cat.title, "bold underline"), "  ",
                                    f"{score_text(cat.score)}  ",
                                    verdict_text(cat.rating, cat.explanation),
                                    f"  · {coverage_words(cat.evidence_coverage)}"))
        if not gaps:
            console.print(Padding("No gaps found.", (0, 0, 0, 2)))
        for c in gaps:
            console.print(Padding(_gap(c), (0, 0, 0, 2)))
        na = [c for c in cat.criteria if c.status == "not_applicable"]
        if na:
            console.print(Padding(Text("Not applicable: " + "; ".join(
                f"{c.id} ({_not_applicable(c)})" for c in na), style="dim"), (0, 0, 0, 2)))
        in_part = [(c, declared_text(c)) for c in cat.criteria
                   if c.status != "not_applicable" and c not in gaps]
        if any(text for _, text in in_part):
            console.print(Padding(Text("Not applicable in part: " + "; ".join(
                f"{c.id} ({text})" for c, text in in_part if text), style="dim"), (0, 0, 0, 2)))
    if result.waivers:
        console.print()
        console.print(Text("Waivers (soonest review first)", style="bold underline"))
        for w in result.waivers:
            state = Text("EXPIRED, no longer applies", style="bold yellow") if w.expired \
                else Text("in force")
            console.print(Padding(Text.assemble(
                (w.criterion, "bold"), f" review by {w.review_by.isoformat()} · ", state,
                f" · {w.reason} (owner {w.owner}, approved by {w.approved_by})"), (0, 0, 0, 2)))
    if result.placeholders:
        console.print()
        console.print(Text("Template placeholders (not counted as evidence)",
                           style="bold underline"))
        # Under its heading each line needs only where and what: the heading says the rest.
        for p in result.placeholders:
            console.print(Padding(Text(f"line {p.line} {p.path}: {p.value}"), (0, 0, 0, 2)))


def _not_applicable(c: CriterionResult) -> str:
    """Why a criterion does not apply: its exclusions where it has them, else the finding."""
    if not c.exclusions:
        return c.message
    return "; ".join(exclusion_text(x) for x in c.exclusions)


def strip_trailing(text: str) -> str:
    """Rich pads lines to the console width; saved reports should not carry that padding."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


class RichFormat:
    def render(self, result: Result, options: RenderOptions) -> str:
        console, buffer = console_for(options)
        render_result(console, deep(result, printable), options.movement)
        return strip_trailing(buffer.getvalue())


FORMAT = RichFormat()


# --- batch -------------------------------------------------------------------------------

HEAT_LABELS = {"green": "G", "amber": "A", "red": "R", "insufficient_evidence": "I",
               "inconclusive": "?"}
HEAT_STYLES = {"green": "black on green", "amber": "black on yellow", "red": "white on red",
               "insufficient_evidence": "white on blue", "inconclusive": "black on magenta"}


def _heat_cell(rating: str | None, score: float | None, coverage: float | None) -> Text:
    rating = rating or "inconclusive"
    # Whole points keep the heat map narrow; the exact figures are in the JSON and CSV.
    # The share evidenced goes on a second line, so the table keeps its width.
    shown = "—" if score is None else format(score, ".0f")
    evidenced = "" if coverage is None else f"{coverage:.0f}%"
    return Text(f"{HEAT_LABELS[rating]} {shown:>3}\n{evidenced:>5}", style=HEAT_STYLES[rating])


def _dist_row(label: str, d: Distribution) -> list[str]:
    r = d.ratings
    return [label, str(d.n), score_text(d.mean), score_text(d.q1), score_text(d.median),
            score_text(d.q3), str(r["green"]), str(r["amber"]), str(r["red"]),
            str(r["insufficient_evidence"]), str(r["inconclusive"])]


def _dist_table(title: str) -> Table:
    table = Table(title=title, title_justify="left", pad_edge=False)
    for col in ("", "n", "mean", "Q1", "median", "Q3", "green", "amber", "red", "insuff.",
                "incon."):
        table.add_column(col, justify="left" if col == "" else "right")
    return table


def _rank_cells(batch: BatchResult) -> list[tuple[str, Row]]:
    """Each row with its rank; rows not ranked (insufficient evidence, inconclusive) get a
    dash, so a rank never sits beside a verdict that is not a rating."""
    from boardcheck.summary import is_ranked

    ranks: list[tuple[str, Row]] = []
    n = 0
    for row in batch.rows:
        if batch.sort != "name" and not is_ranked(row, batch.sort):
            ranks.append(("–", row))
            continue
        n += 1
        ranks.append((str(n), row))
    return ranks


def render_batch(console: Console, batch: BatchResult) -> None:
    total = len(batch.rows) + len(batch.errors)
    console.print(Text(f"boardcheck batch: {total} file(s), {len(batch.rows)} checked, "
                       f"{len(batch.errors)} could not be evaluated", style="bold"))
    console.print(f"Questionnaire {batch.questionnaire_id} {batch.questionnaire_version} · "
                  f"sorted by {batch.sort}")
    if not batch.complete:
        console.print(Text("INCOMPLETE: the run was interrupted; only the files below were "
                           "checked.", style="bold red"))
    console.print()
    short = [f"Q{n}" for n in range(1, len(batch.category_ids) + 1)]
    league = Table(title="League table and heat map (G green, A amber, R red, I insufficient "
                         "evidence, ? inconclusive; the score, and below it the share "
                         "evidenced)",
                   title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                   collapse_padding=True)
    league.add_column("#", justify="right")
    league.add_column("Organisation", no_wrap=True, overflow="ellipsis", max_width=26)
    league.add_column("Sector", no_wrap=True, overflow="ellipsis", max_width=11)
    league.add_column("Model", no_wrap=True, overflow="ellipsis", max_width=12)
    league.add_column("All", no_wrap=True, min_width=5)
    for name in short:
        league.add_column(name, no_wrap=True, min_width=5)
    for rank, row in _rank_cells(batch):
        league.add_row(rank, row.organisation or row.file, ", ".join(row.sectors),
                       ", ".join(row.governance_models),
                       _heat_cell(row.overall_rating, row.overall_score, row.overall_coverage),
                       *[_heat_cell(c.rating, c.score, c.coverage) for c in row.categories])
    console.print(league)
    unranked = [row for rank, row in _rank_cells(batch) if rank == "–"]
    if unranked:
        console.print(Text(f"Not ranked ({len(unranked)}): rated insufficient evidence or "
                           "inconclusive, so listed after the ranked submissions, by name:",
                           style="bold"))
        for row in unranked:
            words = row.overall_explanation or rating_upper(row.overall_rating)
            console.print(f"  {row.organisation or row.file}: {words}", markup=False)
    console.print(Text("Heat map columns: " + "; ".join(
        f"{s} {title}" for s, title in zip(short, batch.category_titles, strict=True)),
        style="dim"))
    console.print()
    stats = _dist_table("Sector statistics")
    stats.add_row(*_dist_row("overall", batch.overall))
    for cid in batch.category_ids:
        stats.add_row(*_dist_row(cid, batch.categories[cid]))
    console.print(stats)
    for title, groups in (("By sector (overall)", batch.by_sector),
                          ("By governance model (overall)", batch.by_model)):
        console.print()
        table = _dist_table(title)
        for group in groups:
            table.add_row(*_dist_row(group.name, group.overall))
        console.print(table)
    console.print()
    console.print(Text("Common gaps (criteria most often not met)", style="bold"))
    if not batch.common_gaps:
        console.print("  none")
    for gap in batch.common_gaps:
        who = ", ".join(gap.organisations[:5])
        more = f" and {len(gap.organisations) - 5} more" if len(gap.organisations) > 5 else ""
        console.print(f"  {gap.criterion} {gap.title}: {gap.not_met} trust(s): {who}{more}")
    if batch.duplicates:
        console.print()
        console.print(Text("Possible duplicate submissions", style="bold yellow"))
        for dup in batch.duplicates:
            console.print(f"  same {dup.key} {dup.value!r}: {', '.join(dup.files)}")
    render_collaboratives(console, batch)
    problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
    if problems:
        console.print()
        console.print(Text(f"Could not be evaluated ({len(batch.errors)} file(s))",
                           style="bold red"))
        for problem in problems:
            # Unwrapped, so each stays one greppable file:line:column line.
            console.print(f"  {problem}", markup=False, soft_wrap=True)


# --- batch: the collaborative view (issue 12) ---------------------------------------------

# Collaboratives listed in the terminal; the JSON batch has them all.
COLLABORATIVES_SHOWN = 20


def render_collaboratives(console: Console, batch: BatchResult) -> None:
    """Each collaborative: how its members were matched, who submitted, the members'
    readiness, and each disagreement with every file's position (one greppable line each)."""
    from boardcheck.formats import collaborative_text as words

    views = batch.collaboratives
    if not views:
        return
    console.print()
    console.print(Text(f"{words.TITLE}: {words.summary_line(views)}", style="bold"))
    for view in views[:COLLABORATIVES_SHOWN]:
        console.print(f"  {words.heading(view)}", markup=False, soft_wrap=True)
        console.print(f"    {words.membership(view)}", markup=False, soft_wrap=True)
        console.print(f"    {words.READINESS}: {words.readiness(view)}", markup=False,
                      soft_wrap=True)
        for d in view.disagreements:
            console.print(Text(f"    Disagree on {d.title}:", style="yellow"))
            for s in d.statements:
                console.print(f"      {words.where(s)}: {s.value}", markup=False,
                              soft_wrap=True)
    if len(views) > COLLABORATIVES_SHOWN:
        console.print(f"  … and {len(views) - COLLABORATIVES_SHOWN} more (all are in -f json)")


class RichBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        console, buffer = console_for(options)
        render_batch(console, deep(batch, printable))
        return strip_trailing(buffer.getvalue())


BATCH = RichBatchFormat()
