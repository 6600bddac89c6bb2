"""The terminal report: overall rating, one row per board question, then the gaps.

Rendered through Rich into a string; without colour it is plain text with no escape codes.
Ratings and statuses always carry a text label, so nothing depends on colour alone.
"""

from __future__ import annotations

import io
import textwrap
from typing import IO, TYPE_CHECKING, TextIO, cast

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from boardcheck.diff import Diff, arrow, since_words
from boardcheck.formats.base import WIDEST, RenderOptions
from boardcheck.formats.sanitise import deep, printable
from boardcheck.formats.wording import (
    GAP_STATUSES,
    RANKED_RATINGS,
    as_of_words,
    by_title,
    challenged_text,
    coverage_number,
    coverage_words,
    declared_text,
    duplicate_value,
    exclusion_text,
    exclusions_text,
    group_label,
    group_labels,
    listed_rows,
    rank_key,
    ranked_rows,
    rating_label,
    rating_reason,
    rating_upper,
    sort_words,
    status_words,
)
from boardcheck.result import STATUS_LABELS, CategoryResult, CriterionResult, Result, Status

if TYPE_CHECKING:  # the batch types: a one-file report need not import the summary module

    from boardcheck.summary import (
        BatchResult,
        Catalogue,
        CommonGap,
        Distribution,
        LeagueGroup,
        Row,
    )

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
    return console_to(buffer, options), buffer


def console_to(file: IO[str], options: RenderOptions) -> Console:
    return Console(file=file, width=options.width, force_terminal=options.color,
                   color_system="standard" if options.color else None,
                   no_color=not options.color, highlight=False, emoji=False, markup=False,
                   legacy_windows=False, soft_wrap=False)


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
                  f"{as_of_words(result)} · {result.file}")
    console.print()
    overall = Text.assemble(("Overall readiness: ", "bold"),
                            f"{score_text(result.overall.score)} / 100  ",
                            verdict_text(result.overall.rating, result.overall.explanation),
                            f"  · {coverage_words(result.overall.evidence_coverage)}")
    if movement is not None:
        overall.append(f"  {arrow(movement.overall.change)} since {since_words(movement)}")
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
# A heat-map cell: the rating's letter, the whole score, and * when the rating is explained
# below the table (capped, or not rated); under it the share evidenced.
HEAT_WIDTH = 6
NOTE_MARK = "*"
# Columns the league table shows beside the organisation when the terminal has room for
# them, most useful first: (heading, width).
# In words, wrapped: a row is two lines tall already (the share evidenced under the score),
# and "North East and Yorkshire" reads in two lines of 14 where its id was cut at 12.
EXTRA_COLUMNS = (("Sector", 14), ("Region", 14), ("Model", 16))
NAME_MIN = 24
NAME_LEAST = 8
NAME_WANTED = 32
COLUMN_GAP = 2
GAPS_PER_SECTOR = 5
# A name too long for its column is shortened a step at a time, each step only while it is
# still too long: the generic words a reader knows in short (the trust's own name, which
# tells it from the others, comes first and is kept), and only then cut with "…". The key
# under the table lists each short form used and says where the names are in full.
SHORT_FORMS = (("NHS Foundation Trust", "NHS FT"), (" and ", " & "),
               ("Integrated Care Board", "ICB"), ("Mental Health", "MH"),
               ("Hospitals", "Hosps"), ("Hospital", "Hosp"), ("University", "Univ"),
               ("Community", "Comm"), ("Healthcare", "HC"), ("General", "Gen"),
               ("Foundation", "Fdn"), ("Partnership", "Pship"), ("Services", "Servs"))
# What a short form stands for in the key, where it is not the words it replaced.
SHORT_KEY = {"NHS FT": "NHS Foundation Trust", "&": "and"}
# Where every name is in full, whatever the terminal's width.
IN_FULL = "-f markdown, -f html and -f xlsx"


class Shortener:
    """Fits names to a column `width` wide, and remembers what it did for the key."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.used: dict[str, str] = {}  # short form -> the words it stands for
        self.cut = 0
        self.longest = 0

    def fit(self, text: str, *, drop: str = "") -> str:
        """`text` as it fits the column: whole when it does; else shortened, first by
        leaving out a `drop` prefix every name has ("NHS " before an ICB's name), then by
        each short form in turn; last, cut with "…"."""
        self.longest = max(self.longest, cell_len(text))
        if cell_len(text) <= self.width:
            return text
        used: dict[str, str] = {}
        if drop and text.startswith(drop):
            text = text[len(drop):]
            used[f"the leading {drop.strip()} left out"] = ""
        for long, short in SHORT_FORMS:
            if cell_len(text) <= self.width:
                break
            if long in text:
                text = text.replace(long, short)
                used[short.strip()] = SHORT_KEY.get(short.strip(), long.strip())
        self.used.update(used)
        if cell_len(text) > self.width:
            self.cut += 1
            while cell_len(text) > self.width - 1:
                text = text[:-1]
            text = text.rstrip() + "…"
        return text

    def key(self, what: str, wider: int | None) -> str | None:
        """The key to what was shortened, and where the names are in full; None if
        nothing was."""
        if not self.used and not self.cut:
            return None
        forms = [f"{short} for {long}" if long else short
                 for short, long in self.used.items()]
        if self.cut:
            forms.append("… cut short")
        where = (f"at {wider} columns or more (COLUMNS={wider}), and in {IN_FULL}"
                 if wider else f"in {IN_FULL}")
        return f"{what} shortened to fit ({'; '.join(forms)}): all are in full {where}"


# What two submissions share when they may be duplicates, in words.
DUPLICATE_KEYS = {"ods_code": "ODS code", "organisation": "organisation name"}


def question_codes(batch: BatchResult) -> list[str]:
    """A short name per board question for the heat map's headings: the letters its criteria
    ids share (SA for SA01-SA09), else the initials of its title. Never Q1, Q2...: those read
    as quartiles."""
    criteria = batch.catalogue.criteria if batch.catalogue else ()
    codes: list[str] = []
    for cid, title in zip(batch.category_ids, batch.category_titles, strict=True):
        prefixes = {"".join(ch for ch in c.id if ch.isalpha()) for c in criteria
                    if c.category == cid}
        code = prefixes.pop() if len(prefixes) == 1 else ""
        if not code or code in codes:
            code = "".join(word[:1] for word in title.split()).upper()[:3] or cid[:2].upper()
        while code in codes:
            code += "'"
        codes.append(code)
    return codes


def _heat_cell(rating: str | None, score: float | None, coverage: float | None,
               explanation: str = "") -> Text:
    rating = rating or "inconclusive"
    # Whole points keep the heat map narrow; the exact figures are in the JSON and CSV.
    # The share evidenced goes on a second line, so the table keeps its width.
    shown = "—" if score is None else format(score, ".0f")
    mark = NOTE_MARK if _capped(rating, explanation) else ""
    evidenced = "" if coverage is None else f"{coverage:.0f}%"
    return Text(f"{HEAT_LABELS[rating]} {shown:>3}{mark}\n{evidenced:>5}",
                style=HEAT_STYLES[rating])


def _capped(rating: str | None, explanation: str) -> str | None:
    """Why a green, amber or red rating is not the one the score alone gives (a cap, a
    rule); None when the score gives it. Insufficient evidence and inconclusive are
    explained once, in the key: the share evidenced under the score says the rest."""
    if rating not in RANKED_RATINGS:
        return None
    return rating_reason(rating, explanation)


def _share(value: int | None) -> str:
    return "—" if value is None else str(value)


def _dist_cells(label: str, d: Distribution) -> list[str]:
    # Whole percents that add to 100 across a row (largest remainder), as in markdown.
    shares = d.whole_shares()
    return [label, str(d.rated), *[_share(shares[r]) for r in
                                   ("green", "amber", "red", "insufficient_evidence")],
            score_text(d.q1), score_text(d.median), score_text(d.q3)]


# The statistics' number columns and the width each needs ("100.0" for a quartile).
_DIST_COLUMNS = (("Files", 5), ("G%", 3), ("A%", 3), ("R%", 3), ("I%", 3), ("P25", 5),
                 ("P50", 5), ("P75", 5))


# The statistics' number columns, each with its gap: the group's name has what is left.
_DIST_NUMBERS = sum(least + 2 for _, least in _DIST_COLUMNS)
# The widest the group's name column grows (an ICB's name is as long as its file writes it).
_DIST_NAME_MOST = 48


def _dist_name_width(width: int) -> int:
    return max(6, min(_DIST_NAME_MOST, width - _DIST_NUMBERS - 1))


def _dist_table(title: str, first: str, width: int) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    # A number is never cut ("100…"): when the terminal is narrow the group's name gives
    # way (shortened, with a key: `Shortener`), up to the longest label when it is wide.
    table.add_column(first, no_wrap=True, overflow="ellipsis",
                     max_width=_dist_name_width(width))
    for col, least in _DIST_COLUMNS:
        table.add_column(col, justify="right", no_wrap=True, min_width=least)
    return table


def _distributions(console: Console, title: str, first: str, batch: BatchResult,
                   groups: list[tuple[str, Distribution, dict[str, Distribution]]]) -> None:
    """One row per group (its overall distribution), then one per board question under it."""
    codes = question_codes(batch)
    table = _dist_table(title, first, console.width)
    names = Shortener(_dist_name_width(console.width))
    for name, overall, categories in groups:
        # Every ICB is "NHS ... ICB": the first word is the one to leave out first.
        table.add_row(*_dist_cells(names.fit(name, drop="NHS " if first == "ICB" else ""),
                                   overall), style="bold")
        for cid, code in zip(batch.category_ids, codes, strict=True):
            if cid in categories:
                table.add_row(*_dist_cells(f"  {code}", categories[cid]))
    console.print(table)
    wider = next((w for w in range(console.width + 1, WIDEST + 1)
                  if _dist_name_width(w) >= names.longest), None)
    if key := names.key(f"{first} names" if first == "ICB" else "Names", wider):
        console.print(Text(key, style="dim"))


def _league(console: Console, batch: BatchResult, width: int) -> int:
    """The league table and heat map, fitted to `width`: every question always shows (by
    its short name), ranks are never cut, the name takes what is left, and sector, region
    and model show only when there is room. Returns how many rows have notes (`_why`)."""
    from boardcheck.summary import ranks

    codes = question_codes(batch)
    # Wide enough for any place in the league; grouped by region, ICB..., a trust's rank
    # is its place within its group (the key says so: `ranked_rows`), never wider.
    rank_width = max((len(p) for p in ranks(batch.rows, batch.sort) if p), default=1)
    gap, extras, name_width = _league_layout(width, rank_width, len(codes))
    names = Shortener(name_width)

    def table(header: bool) -> Table:
        return Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                     show_edge=False, show_header=header,
                     padding=(0, 1) if gap == COLUMN_GAP else (0, 0))

    def columns(league: Table, widths: list[int | None]) -> Table:
        league.add_column("#", justify="right", no_wrap=True, min_width=rank_width,
                          width=widths[0])
        league.add_column("Organisation", no_wrap=True, overflow="ellipsis",
                          max_width=name_width, width=widths[1])
        for i, (heading, w) in enumerate(extras, start=2):
            league.add_column(heading, overflow="fold", max_width=w, width=widths[i])
        for i, code in enumerate(("All", *codes), start=2 + len(extras)):
            league.add_column(code, no_wrap=True, min_width=HEAT_WIDTH, max_width=HEAT_WIDTH,
                              width=widths[i])
        return league

    def cells(place: str | None, row: Row) -> list[str | Text]:
        values = {"Sector": group_labels("sector", row.sectors),
                  "Region": group_label("region", row.region) if row.region else "",
                  "Model": group_labels("governance_model", row.governance_models)}
        return [place or "–", names.fit(row.organisation or row.file),
                *[values[h] for h, _ in extras],
                _heat_cell(row.overall_rating, row.overall_score, row.overall_coverage,
                           row.overall_explanation),
                *[_heat_cell(c.rating, c.score, c.coverage, c.explanation)
                  for c in row.categories]]

    # No table holds every row (issue 14): a first pass keeps, for each column, the rows
    # whose cells are widest and have the longest word, which are all that Rich's layout of
    # the whole table depends on; the columns' widths laid out from those rows are then
    # fixed for tables of LEAGUE_CHUNK rows each, drawn one under another as one table.
    count = len(columns(table(True), [None] * (2 + len(extras) + 1 + len(codes))).columns)
    widest: list[tuple[int, int]] = [(-1, -1)] * count
    longest: list[tuple[int, int]] = [(-1, -1)] * count
    notes = 0
    for i, (place, row) in enumerate(ranked_rows(batch.rows, batch.sort)):
        notes += bool(_why(codes, row))  # once a trust, however many groups list it
        for col, cell in enumerate(cells(place, row)[:2 + len(extras)]):
            text = cell if isinstance(cell, str) else cell.plain
            # As Rich measures text: the widest line, and the longest word (or the widest
            # line, when there is no word).
            most = max(cell_len(line) for line in text.split("\n"))
            word = max((cell_len(w) for w in text.split()), default=most)
            if most > widest[col][0]:
                widest[col] = (most, i)
            if word > longest[col][0]:
                longest[col] = (word, i)
    chosen = sorted({i for _, i in (*widest, *longest) if i >= 0})
    layout = columns(table(True), [None] * count)
    for i, (place, row) in enumerate(ranked_rows(batch.rows, batch.sort)):
        if chosen and i == chosen[0]:
            layout.add_row(*cells(place, row))
            chosen.pop(0)
    # Rich's own layout (its private methods), as printing the table would lay it out.
    options = console.options
    laid = layout._calculate_column_widths(
        console, options.update_width(options.max_width - layout._extra_width))
    fixed: list[int | None] = [w - layout._get_padding_width(i)
                               for i, w in enumerate(laid)]
    league = columns(table(True), fixed)
    group: str | None = None
    # Grouped by region, ICB...: a trust under each of its groups, as the breakdowns count
    # it, ranked within each.
    for listed, place, row, _ in listed_rows(batch):
        line = None if listed is None else group_line(listed)
        if line is not None and line != group:
            # Sorted by region, ICB, sector...: each group under a line naming it, between
            # tables of the same columns (the first under the column headings).
            group = line
            console.print(league)
            console.print(Text(line, style="bold"))
            league = columns(table(False), fixed)
        elif league.row_count == LEAGUE_CHUNK:
            console.print(league)
            league = columns(table(False), fixed)
        league.add_row(*cells(place, row))
    console.print(league)
    wider = next((w for w in range(width + 1, WIDEST + 1)
                  if _league_layout(w, rank_width, len(codes))[2] >= names.longest), None)
    if key := names.key("Names", wider):
        console.print(Text(key, style="dim"))
    return notes


def _league_layout(width: int, rank_width: int, questions: int
                   ) -> tuple[int, list[tuple[str, int]], int]:
    """The league table's gap between columns, the extra columns shown and the name's
    width, on a terminal `width` wide. Each column is followed by a gap of COLUMN_GAP; on
    a terminal too narrow for the name to keep NAME_WANTED, of one space, so that every
    question still shows beside as much of each name as can be."""
    gap = COLUMN_GAP
    if width - (rank_width + gap) - (HEAT_WIDTH + gap) * (questions + 1) < NAME_WANTED:
        gap = 1
    heat = (HEAT_WIDTH + gap) * (questions + 1)
    room = width - (rank_width + gap) - heat - NAME_MIN
    extras: list[tuple[str, int]] = []
    for heading, w in EXTRA_COLUMNS:
        # The name first: a column beside it only while the name keeps NAME_WANTED.
        if room >= w + gap + (NAME_WANTED - NAME_MIN):
            extras.append((heading, w))
            room -= w + gap
    return gap, extras, max(NAME_LEAST, NAME_MIN + room)


def group_line(group: LeagueGroup) -> str:
    """A group's heading: the breakdown and group, how many trusts and their median, as
    the HTML page's heading and the breakdown's table give them."""
    from boardcheck.summary import BREAKDOWNS

    title = next(t for key, t, _ in BREAKDOWNS if key == group.key)
    d = group.overall
    median = ("none rated green, amber or red" if d.median is None
              else f"overall median {d.median:.1f} of the {d.n} rated green, amber or red")
    trusts = f"{d.rated} trust{'' if d.rated == 1 else 's'}"
    return f"{title}: {group_label(group.key, group.name)} ({trusts}; {median})"


# Rows per table of the league: the league is drawn as tables of this many rows, so that
# memory stays flat in the number of files.
LEAGUE_CHUNK = 500


def _why(codes: list[str], row: Row) -> str:
    """The note a row's marks refer to: its ratings capped or set by a rule; "" if none."""
    why = []
    reason = _capped(row.overall_rating, row.overall_explanation)
    if reason:
        why.append(f"All {rating_label(row.overall_rating)}: {reason}")
    why += [f"{code} {rating_label(c.rating)}: {r}"
            for code, c in zip(codes, row.categories, strict=True)
            if (r := _capped(c.rating, c.explanation))]
    return "; ".join(why)


def render_batch(console: Console, batch: BatchResult) -> None:
    total = len(batch.rows) + len(batch.errors)
    console.print(Text(f"boardcheck batch: {total} file(s), {len(batch.rows)} checked, "
                       f"{len(batch.errors)} could not be evaluated", style="bold"))
    console.print(f"Questionnaire {batch.questionnaire_id} {batch.questionnaire_version} · "
                  "sorted by "
                  f"{sort_words(batch.sort, batch.category_ids, batch.category_titles)}")
    if not batch.complete:
        console.print(Text("INCOMPLETE: the run was interrupted; only the files below were "
                           "checked.", style="bold red"))
    console.print()
    codes = question_codes(batch)
    console.print(Text("League table and heat map", style="bold"))
    console.print(Text("Each cell: G green, A amber, R red; I insufficient evidence (too "
                       "little evidenced to rate), ? inconclusive; then the score, and under "
                       f"it the share evidenced. {NOTE_MARK} the rating is capped or set by a "
                       "rule: why is below the table. – not ranked."
                       + (f" {key}." if (key := rank_key(batch.sort)) else ""), style="dim"))
    notes = _league(console, batch, console.width)
    console.print(Text("Questions: " + "; ".join(
        f"{code} {title}" for code, title in zip(codes, batch.category_titles, strict=True)),
        style="dim"))
    if notes:
        console.print()
        console.print(Text(f"{NOTE_MARK} Ratings capped or set by a rule ({notes} "
                           "trust(s))", style="bold"))
        # A second pass over the rows (read back one at a time): the notes keep no row.
        for row in batch.rows:
            if why := _why(codes, row):
                console.print(Padding(Text(f"{row.organisation or row.file}: {why}"),
                                      (0, 0, 0, 2)))
    from boardcheck.summary import ranks, sorted_positions

    rows, places = batch.rows, ranks(batch.rows, batch.sort)

    def listed(row: Row) -> tuple[str, str, str, str]:
        return ((row.organisation or "").lower(), row.file, row.organisation or row.file,
                row.overall_explanation or rating_upper(row.overall_rating))

    # By name, a run of them at a time: at 40,000 files, thin submissions run to thousands.
    unranked = sorted_positions(zip(rows, places, strict=True),
                                lambda at: listed(at[0]) if at[1] is None else None,
                                lambda n: (rows[n], places[n]))
    if unranked:
        console.print()
        console.print(Text(f"Not ranked ({len(unranked)}): rated insufficient evidence or "
                           "inconclusive, so listed after the ranked submissions, by name:",
                           style="bold"))
        for n in unranked:
            _, _, name, words = listed(rows[n])
            console.print(Padding(Text(f"{name}: {words}"), (0, 0, 0, 2)))
    render_sector_views(console, batch)
    if batch.duplicates:
        console.print()
        console.print(Text("Possible duplicate submissions", style="bold yellow"))
        for dup in batch.duplicates:
            same = DUPLICATE_KEYS.get(dup.key, dup.key)
            _hanging(console, f"same {same} {duplicate_value(dup)!r}: "
                     f"{', '.join(dup.files)}", 2)
    render_collaboratives(console, batch)
    problems = [p for row in batch.errors for p in row.problems] + list(batch.search_problems)
    if problems:
        console.print()
        console.print(Text(f"Could not be evaluated ({len(batch.errors)} file(s))",
                           style="bold red"))
        for problem in problems:
            # Wrapped to the terminal with a hanging indent: each problem's first line still
            # begins with its file:line:column, and a line at this indent is always one.
            _hanging(console, str(problem), 2)


def render_sector_views(console: Console, batch: BatchResult) -> None:
    """The sector views (issue 12): outliers, statistics by question and by each breakdown
    (shares rated and quartiles: P25 lower quartile, P50 median, P75 upper quartile), and
    the common gaps as shares, overall and by sector."""
    if batch.outliers:
        console.print()
        console.print(Text(f"Outliers ({len(batch.outliers)}): stated critical gaps, thin "
                           "submissions, far below the sector's median; worst first",
                           style="bold"))
        for o in batch.outliers:
            console.print(Padding(Text(
                f"{o.organisation} ({score_text(o.overall_score)} "
                f"{rating_label(o.overall_rating)}): " + "; ".join(r.text for r in o.reasons)),
                (0, 0, 0, 2)))
    console.print()
    console.print(Text("Statistics: Files checked; G% A% R% I% the shares rated green, amber, "
                       "red, insufficient evidence; P25 lower quartile, P50 median, P75 upper "
                       "quartile of the rated scores", style="dim"))
    _distributions(console, "All trusts", "Question", batch,
                   [("Overall", batch.overall, batch.categories)])
    for breakdown in batch.breakdowns:
        console.print()
        _distributions(console, f"By {by_title(breakdown.title)}", breakdown.title, batch,
                       [(group_label(breakdown.key, g.name), g.overall, g.categories)
                        for g in breakdown.groups])
    console.print()
    console.print(Text("Common gaps (criteria most often stated not met, as a share of the "
                       "trusts checked)", style="bold"))
    if not batch.common_gaps:
        console.print("  none")
    for gap in batch.common_gaps:
        console.print(_gap_line(gap, 2))
    if any(sector.gaps for sector in batch.gaps_by_sector):  # else nothing goes under it
        console.print(Text(f"By sector (the {GAPS_PER_SECTOR} most common in each)",
                           style="bold"))
    for sector in batch.gaps_by_sector:
        if not sector.gaps:
            continue
        console.print(Text(f"  {group_label('sector', sector.sector)} "
                           f"({sector.checked} trust(s))", style="bold"))
        for gap in sector.gaps[:GAPS_PER_SECTOR]:
            console.print(_gap_line(gap, 4))


def _gap_line(gap: CommonGap, indent: int) -> Padding:
    who = ", ".join(gap.organisations[:3])
    more = f" and {len(gap.organisations) - 3} more" if len(gap.organisations) > 3 else ""
    return Padding(Text(f"{gap.share:.0f}% ({gap.not_met}) {gap.criterion} {gap.title}: "
                        f"{who}{more}"), (0, 0, 0, indent))


# --- batch: the collaborative view (issue 12) ---------------------------------------------

# Collaboratives listed in the terminal at most, unless more need the members to act: every
# collaborative whose members disagree, every probable match, and every one naming a host or
# lead ambiguously is always listed. The JSON, HTML and markdown batches list them all.
COLLABORATIVES_SHOWN = 20


def render_collaboratives(console: Console, batch: BatchResult) -> None:
    """Each collaborative, in report order (disagreements first): its members by name and
    which of them submitted, the members' readiness, and each disagreement with every
    file's position (one greppable line each). A long list is cut only among collaboratives
    whose members agree, and says so."""
    from boardcheck.formats import collaborative_text as words

    views = batch.collaboratives
    if not views:
        return
    to_act = sum(bool(v.disagreements or v.probable or v.unresolved) for v in views)
    shown = views[:max(to_act, COLLABORATIVES_SHOWN)]
    console.print()
    console.print(Text(f"{words.TITLE}: {words.summary_line(views)}", style="bold"))
    console.print(Text(f"{words.READINESS_KEY}.", style="dim"))
    # Wrapped to the terminal, indented; each statement begins a line with its
    # file:line:column, and its value wraps two columns further in, so a line at the
    # statements' indent is always a location.
    for view in shown:
        console.print(Padding(Text(words.heading(view)), (0, 0, 0, 2)))
        console.print(Padding(Text(words.membership(view)), (0, 0, 0, 4)))
        console.print(Padding(Text(f"{words.READINESS_SHORT}: {words.readiness(view)}"),
                              (0, 0, 0, 4)))
        if view.probable:
            console.print(Padding(Text(words.probable_title(view), style="yellow"),
                                  (0, 0, 0, 4)))
            for line in words.probable_lines(view):
                _hanging(console, line, 6)
        for d in view.disagreements:
            console.print(Padding(Text(words.disagree(d), style="yellow"),
                                  (0, 0, 0, 4)))
            for s in d.statements:
                _hanging(console, f"{words.where_who(s)}: {words.value(d, s, code=True)}",
                         6)
        for u in view.unresolved:
            console.print(Padding(Text(words.unresolved(u), style="yellow"), (0, 0, 0, 4)))
            for s in u.statements:
                _hanging(console, f"{words.where_who(s)}: {words.value(u, s, code=True)}",
                         6)
        if view.partly_recorded:
            # Wrapped at the same indent: a line at the statements' is always a location.
            console.print(Padding(Text(words.partly_recorded_line(view) + " (which files: "
                                       "-f json, -f html, -f markdown, -f xlsx)",
                                       style="dim"), (0, 0, 0, 4)))
    if len(views) > len(shown):
        console.print(Padding(Text(words.cut_line(len(views) - len(shown))), (0, 0, 0, 2)))


def _hanging(console: Console, text: str, indent: int) -> None:
    """Text wrapped to the console at `indent`, its further lines two columns further in.
    Words are never broken, so a file:line:column stays whole."""
    for line in textwrap.wrap(text, width=max(console.width - indent, 20),
                              subsequent_indent="  ", break_long_words=False,
                              break_on_hyphens=False):
        console.print(Padding(Text(line), (0, 0, 0, indent)))


class RichBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        out = io.StringIO()
        write_batch(out, batch, options)
        return out.getvalue()


def write_batch(out: TextIO, batch: BatchResult, options: RenderOptions) -> None:
    """The batch report written to `out` as Rich draws it, each line trimmed as it comes
    (as `strip_trailing` trims a whole report): the report is never held whole."""
    trimmed = _Trimmed(out)
    render_batch(console_to(cast("IO[str]", trimmed), options), deep(batch, printable))
    trimmed.finish()


class _Trimmed:
    """Writes each line to `out` without its trailing spaces (Rich pads lines to the
    console's width), ending in a newline: what `strip_trailing` makes of the whole text."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pending = ""  # a line not yet ended (or ended by a \r a \n may follow)
        self.wrote = False

    encoding = "utf-8"  # Rich draws boxes in Unicode only for a Unicode file

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        """Lines are written as they end: nothing is held to flush but a line not ended."""

    def write(self, text: str) -> int:
        lines = (self.pending + text).splitlines(keepends=True)
        self.pending = ""
        if lines and (lines[-1].endswith("\r") or lines[-1] == lines[-1].splitlines()[0]):
            self.pending = lines.pop()
        for line in lines:
            self.out.write(line.splitlines()[0].rstrip() + "\n")
        self.wrote = self.wrote or bool(lines)
        return len(text)

    def finish(self) -> None:
        if self.pending or not self.wrote:
            self.out.write((self.pending.splitlines() or [""])[0].rstrip() + "\n")


class RichBatchWriter:
    """Writes the report when the batch is summarised (its rows are ranked, so none can be
    written earlier), as Rich draws it: the league table a chunk of rows at a time."""

    def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str,
                 options: RenderOptions) -> None:
        self.out = out
        self.options = options

    def add(self, row: Row) -> None:
        """Nothing to write yet: the summary keeps the compact row."""

    def finish(self, batch: BatchResult) -> None:
        write_batch(self.out, batch, self.options)


BATCH = RichBatchFormat()
WRITER = RichBatchWriter
