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
from boardcheck.result import STATUS_LABELS, CategoryResult, CriterionResult, Result

if TYPE_CHECKING:  # the batch types: a one-file report need not import the summary module
    from boardcheck.summary import BatchResult, Distribution

RATING_STYLES = {"green": "bold green", "amber": "bold yellow", "red": "bold red",
                 "inconclusive": "bold magenta"}
STATUS_MARKS = {"met": ("✓", "green"), "partly_met": ("◐", "yellow"), "not_met": ("✗", "red"),
                "not_applicable": ("–", "dim"), "waived": ("w", "cyan")}


def rating_text(rating: str) -> Text:
    return Text(rating.upper(), style=RATING_STYLES.get(rating, ""))


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
    for status in ("met", "partly_met", "not_met", "waived", "not_applicable"):
        n = sum(1 for c in cat.criteria if c.status == status)
        if n:
            parts.append(f"{n} {STATUS_LABELS[status]}")
    return ", ".join(parts)


def _gap(c: CriterionResult) -> Group:
    mark, style = STATUS_MARKS[c.status]
    label = STATUS_LABELS[c.status]
    if c.status in ("not_met", "partly_met") and not c.evidenced:
        label += ", not evidenced"
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
                            rating_text(result.overall.rating))
    if movement is not None:
        overall.append(f"  {arrow(movement.overall.change)} since {movement.old_as_of}")
    console.print(overall)
    if result.overall.capped_by:
        console.print(f"(capped because {result.overall.capped_by} is rated red)")
    console.print()
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column("Board question")
    table.add_column("Score", justify="right")
    table.add_column("Rating")
    table.add_column("Criteria")
    moves = {m.id: m for m in movement.categories} if movement else {}
    if movement is not None:
        table.add_column("Change", justify="right")
    for cat in result.categories:
        rating = rating_text(cat.rating)
        if cat.capped_by:
            rating.append(f" (capped: {cat.capped_by})", style="dim")
        cells: list[Text | str] = [Text.assemble((cat.title, "bold"), "\n", cat.board_question),
                 score_text(cat.score), rating, _counts(cat)]
        if movement is not None:
            move = moves.get(cat.id)
            cells.append(arrow(move.change) if move else "")
        table.add_row(*cells)
    console.print(table)
    for cat in result.categories:
        gaps = [c for c in cat.criteria if c.status in ("not_met", "partly_met", "waived")]
        console.print()
        console.print(Text.assemble((cat.title, "bold underline"), "  ",
                                    f"{score_text(cat.score)}  ", rating_text(cat.rating)))
        if not gaps:
            console.print(Padding("No gaps found.", (0, 0, 0, 2)))
        for c in gaps:
            console.print(Padding(_gap(c), (0, 0, 0, 2)))
        na = [c for c in cat.criteria if c.status == "not_applicable"]
        if na:
            console.print(Padding(Text("Not applicable: " + "; ".join(
                f"{c.id} ({c.message})" for c in na), style="dim"), (0, 0, 0, 2)))
    if result.waivers:
        console.print()
        console.print(Text("Waivers (soonest review first)", style="bold underline"))
        for w in result.waivers:
            state = Text("EXPIRED, no longer applies", style="bold yellow") if w.expired \
                else Text("in force")
            console.print(Padding(Text.assemble(
                (w.criterion, "bold"), f" review by {w.review_by.isoformat()} · ", state,
                f" · {w.reason} (owner {w.owner}, approved by {w.approved_by})"), (0, 0, 0, 2)))


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

HEAT_LABELS = {"green": "G", "amber": "A", "red": "R", "inconclusive": "?"}


def _heat_cell(rating: str | None, score: float | None) -> Text:
    rating = rating or "inconclusive"
    # Whole points keep the heat map narrow; the exact scores are in the JSON and CSV.
    label = f"{HEAT_LABELS[rating]} {'—' if score is None else format(score, '.0f'):>3}"
    style = {"green": "black on green", "amber": "black on yellow", "red": "white on red",
             "inconclusive": "black on magenta"}[rating]
    return Text(label, style=style)


def _dist_row(label: str, d: Distribution) -> list[str]:
    r = d.ratings
    return [label, str(d.n), score_text(d.mean), score_text(d.q1), score_text(d.median),
            score_text(d.q3), str(r["green"]), str(r["amber"]), str(r["red"]),
            str(r["inconclusive"])]


def _dist_table(title: str) -> Table:
    table = Table(title=title, title_justify="left", pad_edge=False)
    for col in ("", "n", "mean", "Q1", "median", "Q3", "green", "amber", "red", "incon."):
        table.add_column(col, justify="left" if col == "" else "right")
    return table


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
    league = Table(title="League table and heat map (G green, A amber, R red, ? inconclusive)",
                   title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                   collapse_padding=True)
    league.add_column("#", justify="right")
    league.add_column("Organisation", no_wrap=True, overflow="ellipsis", max_width=26)
    league.add_column("Sector", no_wrap=True, overflow="ellipsis", max_width=11)
    league.add_column("Model", no_wrap=True, overflow="ellipsis", max_width=12)
    league.add_column("All", no_wrap=True, min_width=5)
    for name in short:
        league.add_column(name, no_wrap=True, min_width=5)
    for n, row in enumerate(batch.rows, 1):
        league.add_row(str(n), row.organisation or row.file, ", ".join(row.sectors),
                       ", ".join(row.governance_models),
                       _heat_cell(row.overall_rating, row.overall_score),
                       *[_heat_cell(c.rating, c.score) for c in row.categories])
    console.print(league)
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
    problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
    if problems:
        console.print()
        console.print(Text(f"Could not be evaluated ({len(batch.errors)} file(s))",
                           style="bold red"))
        for problem in problems:
            # Unwrapped, so each stays one greppable file:line:column line.
            console.print(f"  {problem}", markup=False, soft_wrap=True)


class RichBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        console, buffer = console_for(options)
        render_batch(console, deep(batch, printable))
        return strip_trailing(buffer.getvalue())


BATCH = RichBatchFormat()
