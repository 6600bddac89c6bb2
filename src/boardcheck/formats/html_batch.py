"""A batch as one self-contained, accessible HTML page for sector staff (issue 12).

Outliers first, then charts, then one compact row per trust (filter, search and sort with a
small inline script; without it the page is complete and prints), the breakdowns by region,
ICB, sector, legal form and governance model, common gaps, duplicates and the files that
failed. Usable at 2,000 rows, and printed to A4 it fits the page's width.

The page is produced in pieces (`page_pieces`) and written piece by piece (`WRITER`), so a
batch of any size never holds the page text whole: memory stays flat in the number of files
(issue 14); the summary keeps its compact rows anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from boardcheck import __version__
from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.html_collaboratives import collaboratives_pieces, error_anchor
from boardcheck.formats.sanitise import html_text, printable
from boardcheck.formats.stream import summary_writer
from boardcheck.formats.wording import group_label, group_labels
from boardcheck.summary import (
    BREAKDOWNS,
    NOT_RECORDED,
    OUTLIER_FENCE_IQRS,
    OUTLIER_MIN_GROUP,
    RATINGS,
    WORST,
    BatchResult,
    Breakdown,
    Distribution,
    GroupSummary,
    Outlier,
    Row,
    breakdown_keys,
)

RATING_LABELS = {"green": "Green", "amber": "Amber", "red": "Red",
                 "insufficient_evidence": "Insufficient evidence", "inconclusive": "Inconclusive"}
HEAT_LABELS = {"green": "G", "amber": "A", "red": "R", "insufficient_evidence": "I",
               "inconclusive": "?"}
# Sort keys for rating columns: higher is better; insufficient evidence and inconclusive are
# not ratings to rank, so they have none and sort last.
RATING_ORDER = {"green": "3", "amber": "2", "red": "1", "insufficient_evidence": "",
                "inconclusive": ""}
# After a verdict's score: the rating is capped or set by a rule, not what the score gives.
CAP_MARK = "*"
DUPLICATE_KEYS = {"ods_code": "ODS code", "organisation": "Organisation name"}
# Organisations listed in full in a common gap; the rest fold into a <details>.
GAP_NAMES_SHOWN = 10
# Outliers shown as table rows; the rest are named in a <details> (the table's filter
# shows them all as rows).
OUTLIERS_SHOWN = 25
# The breakdowns the filter offers, as (breakdown key, the row's data attribute, label).
FILTERS = (("region", "region", "Region"), ("icb", "icb", "ICB"),
           ("sector", "sector", "Sector"))

STYLE = """
:root { --blue: #005eb8; --dark-blue: #003087; --text: #212b32; --muted: #4c6272;
  --border: #d8dde0; --bg: #f0f4f5; --green: #c7e6cf; --amber: #ffdf99; --red: #f6c1bb;
  --grey: #e3e6e8; --ins: #dde8f3; --focus: #ffeb3b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 1rem;
  line-height: 1.45; color: var(--text); background: var(--bg); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--focus); color: var(--text); padding: .5rem;
  z-index: 10; }
header.page { background: #fff; border-bottom: 4px solid var(--blue); padding: 1rem 1.5rem; }
main { padding: 0 1.5rem 2rem; }
section { background: #fff; margin: 1.5rem 0; padding: 1rem 1.5rem;
  border: 1px solid var(--border); }
h1, h2, h3 { color: var(--blue); line-height: 1.25; margin: 0 0 .75rem; }
h1 { font-size: 2rem; }
h2 { font-size: 1.5rem; }
h3 { font-size: 1.2rem; margin-top: 1.5rem; }
p { margin: 0 0 .75rem; max-width: 60rem; }
a { color: var(--blue); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid var(--focus);
  outline-offset: 0; box-shadow: 0 4px 0 #000; }
code { font-family: Consolas, "Liberation Mono", Menlo, monospace; font-size: .9rem;
  overflow-wrap: anywhere; }
.meta { color: var(--muted); }
.facts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .75rem 0 0; padding: 0; }
.facts div { display: flex; gap: .4rem; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
.banner { margin: 1rem 0 0; padding: .75rem 1rem; border-left: 8px solid #d5281b;
  background: #fde8e6; font-weight: bold; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; margin: .75rem 0 0;
  padding: 0; }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
.scroll:focus { outline: 3px solid var(--focus); }
table { border-collapse: collapse; margin: 0 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: bold; font-size: 1.05rem; padding: 0 0 .5rem;
  color: var(--text); }
th, td { border: 1px solid var(--border); padding: .2rem .45rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--bg); vertical-align: bottom; }
tbody th { font-weight: normal; }
tbody th.group { font-weight: bold; background: #fafbfb; }
tbody + tbody { border-top: 3px solid var(--muted); }
table.breakdown tbody th.group { vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sub { font-weight: normal; font-size: .85em; color: var(--muted); }
thead .sub, .block { display: block; }
td .sub { overflow-wrap: anywhere; }
.rating-green { background: var(--green); }
.rating-amber { background: var(--amber); }
.rating-red { background: var(--red); }
.rating-inconclusive { background: repeating-linear-gradient(135deg, var(--grey),
  var(--grey) 6px, #f4f5f6 6px, #f4f5f6 12px); }
.rating-insufficient_evidence { background: repeating-linear-gradient(45deg, var(--ins),
  var(--ins) 6px, #f4f8fc 6px, #f4f8fc 12px); outline: 2px dashed var(--blue);
  outline-offset: -2px; }
.rating-green, .rating-amber, .rating-red, .rating-inconclusive,
.rating-insufficient_evidence { color: #0b0c0c;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.unranked { font-style: italic; }
[class*="rating-"] .sub { color: #0b0c0c; }
#trust-table { width: 100%; font-size: .85rem; }
#trust-table td, #trust-table th { white-space: nowrap; }
#trust-table thead th { white-space: normal; }
#trust-table tbody th { white-space: normal; min-width: 16rem; }
#trust-table .sub { white-space: nowrap; }
#trust-table td.cell { text-align: center; font-weight: bold; font-variant-numeric: tabular-nums; }
.flag { color: #d5281b; font-weight: bold; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; list-style: none; padding: 0;
  margin: 0 0 1rem; }
.legend li { display: flex; align-items: center; gap: .5rem; }
.swatch { display: inline-block; min-width: 2.5rem; padding: .1rem .4rem; text-align: center;
  font-weight: bold; border: 1px solid var(--muted); }
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
form.filter { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-end;
  margin: 0 0 1rem; padding: .75rem; background: var(--bg); }
form.filter[hidden] { display: none; }
form.filter label { display: block; font-weight: bold; font-size: .9rem; }
form.filter input[type=search], form.filter select { font: inherit; padding: .25rem;
  border: 2px solid var(--text); max-width: 18rem; }
form.filter .check label { display: inline; }
form.filter button { font: inherit; padding: .3rem .8rem; }
th button.sort { font: inherit; color: var(--dark-blue); background: none; border: 0; padding: 0;
  margin: 0; text-align: inherit; cursor: pointer; font-weight: bold; }
th button.sort::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; color: var(--text); }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; color: var(--text); }
th button.sort .sub { color: var(--muted); }
figure { margin: 0 0 1.25rem; }
figure svg { display: block; width: 100%; max-width: 52rem; height: auto; }
figcaption { font-weight: bold; margin: 0 0 .4rem; }
ul.problems { margin: 0 0 1rem; padding-left: 1.25rem; }
ul.problems li { margin: .25rem 0; }
ul.capped { font-size: .9rem; }
details summary { cursor: pointer; color: var(--blue); }
footer { color: var(--muted); padding: 0 1.5rem 2rem; font-size: .9rem; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  html { font-size: 8pt; }
  body { background: #fff; line-height: 1.3; }
  header.page { padding: 0 0 .5rem; }
  main { padding: 0; }
  h1 { font-size: 1.8rem; }
  section { border: 0; padding: 0; margin: 1rem 0; }
  nav, .skip, form.filter, #trust-hint { display: none; }
  .scroll { overflow: visible; }
  table { width: 100%; font-size: 1rem; }
  thead { display: table-header-group; }
  tr, table.breakdown tbody { break-inside: avoid; }
  th, td { padding: .1rem .3rem; }
  #trust-table { table-layout: fixed; }
  #trust-table tbody th { min-width: 0; overflow-wrap: anywhere; }
  /* At full size (nothing overflows the page now, so Chromium no longer shrinks it) a
     verdict wraps after its score rather than losing the share evidenced to an ellipsis. */
  #trust-table td { white-space: normal; overflow-wrap: anywhere; }
  #trust-table thead th { font-size: .9em; }
  #trust-table thead .sub { white-space: normal; }
  /* Wide enough for "ranked" and "region" whole: a word is never broken inside. */
  col.c-rank { width: 6%; } col.c-trust { width: 19%; } col.c-region { width: 11%; }
  #trust-table td.unranked { overflow-wrap: normal; }
  col.c-sector { width: 11%; } col.c-overall { width: 10%; }
  th button.sort::after, th[aria-sort] button.sort::after { content: none; }
  /* Chromium leaves a button blank in a table header repeated on the next page. */
  th button.sort { display: contents; }
  figure { break-inside: avoid; }
  /* A line or two per trust: two columns keep a large batch's reasons to a few pages. */
  ul.capped { columns: 2; column-gap: 1.5rem; }
  ul.capped li { break-inside: avoid; margin: 0 0 .15rem; }
  a { color: inherit; text-decoration: none; }
  /* On paper nothing can be opened: a closed <details> (the rest of a long list of names)
     prints its content, not a bare summary. */
  details:not([open])::details-content { content-visibility: visible; display: block; }
}
"""

# Vanilla, no dependencies. Shows the filter form and makes the table's headings sort
# buttons. Without it the page is complete: every row, in the order the batch gave.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("trust-table");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var status = document.getElementById("trust-status");
  var form = document.getElementById("trust-filter");
  var hint = document.getElementById("trust-hint");
  var counted = status.textContent;

  // An option's value is JSON: a group's name as a string, or null for the trusts that
  // record none (whose list is empty); no name a file writes can be taken for null.
  function within(list, value) {
    if (!value) { return true; }
    var want = JSON.parse(value);
    var groups = list ? JSON.parse(list) : [];
    return want === null ? groups.length === 0 : groups.indexOf(want) >= 0;
  }
  function filter() {
    var f = form.elements;
    var q = f.q.value.trim().toLocaleLowerCase("en-GB");
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var keep = (!q || d.name.indexOf(q) >= 0) && within(d.region, f.region.value) &&
        within(d.icb, f.icb.value) && within(d.sector, f.sector.value) &&
        (!f.rating.value || d.rating === f.rating.value) &&
        (!f.outliers.checked || d.outlier === "1");
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    counted = "Showing " + shown + " of " + rows.length + " trusts.";
    status.textContent = counted;
  }
  if (form) {
    form.hidden = false;
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
    form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
  }

  heads.forEach(function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th, col); });
  });
  if (hint) { hint.hidden = false; }

  function key(row, col, type) {
    var cell = row.cells[col];
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (type === "text") { return raw.toLocaleLowerCase("en-GB"); }
    return raw === "" ? null : Number(raw);
  }

  function sortBy(th, col) {
    var type = th.getAttribute("data-type") || "text";
    var now = th.getAttribute("aria-sort");
    var dir = now === "ascending" ? "descending" : now === "descending" ? "ascending"
      : (th.getAttribute("data-first") || "ascending");
    var sign = dir === "ascending" ? 1 : -1;
    var items = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: key(row, col, type), i: i };
    });
    items.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) { return a.i - b.i; }
        return a.key === null ? 1 : -1;
      }
      var c = type === "text" ? a.key.localeCompare(b.key, "en-GB") : a.key - b.key;
      return c !== 0 ? sign * c : a.i - b.i;
    });
    items.forEach(function (item) { body.appendChild(item.row); });
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    status.textContent = counted + " Sorted by " + th.textContent.trim() + ", " + dir + ".";
  }
}());
"""


# Under a --sort by a breakdown (region, ICB, sector...): each group a <tbody> under a heading
# row, as the terminal and markdown group them. Added only to a grouped page, so every
# other page is byte for byte as before.
GROUP_STYLE = """
#trust-table tr.group-head th { background: var(--bg); font-weight: bold; white-space: normal;
  border-top: 3px solid var(--muted); }
#trust-table tr.group-head .sub { white-space: normal; }
@media print {
  #trust-table tr.group-head { break-after: avoid; page-break-after: avoid; }
}
"""

# The script for a grouped page: the same, but its rows are those of every group's body
# (not the heading rows); a group whose rows the filter hides all is hidden with its heading,
# and a heading says how many of its rows show; a column sorts within each group.
_GROUPED_EDITS = (
    ("""  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
""", """  var bodies = Array.prototype.slice.call(table.tBodies);
  function members(group) {
    return Array.prototype.slice.call(group.rows).filter(function (row) {
      return !row.classList.contains("group-head");
    });
  }
  var rows = [].concat.apply([], bodies.map(members));
"""),
    # A trust in several groups is a row in each: the count is of trusts.
    ("""      if (keep) { shown += 1; }
    });
    counted = "Showing " + shown + " of " + rows.length + " trusts.";
""", """      if (keep) { seen[d.t] = true; }
    });
    shown = Object.keys(seen).length;
    counted = "Showing " + shown + " of " + trusts + " trusts.";
"""),
    ("""    var shown = 0;
""", """    var shown = 0;
    var seen = {};
"""),
    ("""  var counted = status.textContent;
""", """  var counted = status.textContent;
  var trusts = Object.keys(rows.reduce(function (all, row) {
    all[row.dataset.t] = true; return all; }, {})).length;
"""),
    ("""    status.textContent = counted;
""", """    status.textContent = counted;
    bodies.forEach(function (group) {
      var all = members(group);
      var left = all.filter(function (row) { return !row.hidden; }).length;
      group.hidden = left === 0;
      var note = group.querySelector(".group-shown");
      if (note) { note.textContent = left === all.length ? "" : " (" + left + " shown)"; }
    });
"""),
    # Each group's rows sorted within it (the lines between keep their indent).
    ("""    var items = Array.prototype.slice.call(body.rows).map(function (row, i) {
""", """    bodies.forEach(function (body) {
    var items = members(body).map(function (row, i) {
"""),
    ("""    items.forEach(function (item) { body.appendChild(item.row); });
""", """    items.forEach(function (item) { body.appendChild(item.row); });
    });
"""),
    ("""th.textContent.trim() + ", " + dir + ".";""",
     """th.textContent.trim() + ", " + dir + ", within each group.";"""),
)


def _grouped_script() -> str:
    script = SCRIPT
    for old, new in _GROUPED_EDITS:
        assert script.count(old) == 1, old  # SCRIPT changed: edit the grouped version too
        script = script.replace(old, new)
    return script


GROUPED_SCRIPT = _grouped_script()


e = html_text  # the one HTML escaping, in sanitise


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def listing(values: Sequence[str]) -> str:
    return group_labels("sector", values) if values else "—"


def sort_label(batch: BatchResult) -> str:
    """What the rows are sorted by, in words: a category's title rather than its id."""
    return wording.sort_words(batch.sort, batch.category_ids, batch.category_titles)


def org_name(row: Row) -> str:
    return row.organisation or row.file


def percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.0f}%"


def _rated_spans(rating: str, score: float | None, coverage: float | None,
                 shown: str, capped: str | None = None) -> str:
    """The letter, `shown` score (and CAP_MARK where capped) and share evidenced for the
    eye; the words, and why where capped, for a reader."""
    covered = "" if coverage is None else f" · {coverage:.0f}%"
    mark = CAP_MARK if capped else ""
    words = _rated_words(rating, score, coverage) + (f" ({capped})" if capped else "")
    return (f'<span aria-hidden="true">{HEAT_LABELS[rating]} {shown}{mark}{covered}</span>'
            f'<span class="vh">{e(words)}</span>')


def _rated_words(rating: str, score: float | None, coverage: float | None) -> str:
    spoken = "no score" if score is None else f"score {score_text(score)}"
    evidenced = "" if coverage is None else f", {wording.coverage_words(coverage)}"
    return f"{RATING_LABELS[rating]}, {spoken}{evidenced}"


def compact_cell(rating: str | None, score: float | None, coverage: float | None,
                 explanation: str = "", whole: bool = False) -> str:
    """One verdict for one trust: rating letter, score, share evidenced, and the rating's
    word (and why) as the cell's title. Sorts by score among the rated; insufficient
    evidence and inconclusive sort last."""
    rating = rating or "inconclusive"
    key = "" if score is None or rating not in wording.RANKED_RATINGS else f"{score:g}"
    shown = score_text(score) if score is None or not whole else format(score, ".0f")
    title = _rated_words(rating, score, coverage)
    reason = wording.rating_reason(rating, explanation)
    if reason:
        title += f" ({reason})"
    return (f'<td class="cell rating-{rating}" data-sort="{key}" title="{e(title)}">'
            f"{_rated_spans(rating, score, coverage, shown, capped_reason(rating, explanation))}"
            "</td>")


def capped_reason(rating: str | None, explanation: str) -> str | None:
    """Why a green, amber or red rating is not the one the score alone gives (a cap, a
    rule): what CAP_MARK marks. None when the score gives it; insufficient evidence and
    inconclusive are explained by their own letter and the share evidenced."""
    if rating not in wording.RANKED_RATINGS:
        return None
    return wording.rating_reason(rating, explanation)


def scrolling(table: Iterable[str], name: str) -> Iterator[str]:
    """Wide tables scroll sideways in their own keyboard-reachable region."""
    yield f'<div class="scroll" role="region" aria-label="{e(name)}" tabindex="0">'
    yield from table
    yield "</div>"


# --- outliers ------------------------------------------------------------------------------


def _outliers(batch: BatchResult, found: Sequence[Outlier]) -> Iterator[str]:
    yield '<section id="outliers" aria-labelledby="outliers-h">'
    yield '<h2 id="outliers-h">Outliers</h2>'
    if not found:
        yield ("<p>None: no trust states a critical criterion failing, none is too thin to "
               "rate, and none scores far below its sector.</p></section>")
        return
    yield (f"<p>{len(found)} of {len(batch.rows)} trusts to look at first: a critical "
           "criterion the file states is not met or only partly met; a thin submission, "
           "evidencing less than the questionnaire needs for a rating; or an overall score "
           f"more than {OUTLIER_FENCE_IQRS:g} interquartile ranges below its sector's lower "
           f"quartile (sectors with at least {OUTLIER_MIN_GROUP} rated trusts). Worst first: "
           "the most critical criteria stated failing, then thin submissions, then the "
           "furthest below their sector's median. They are marked "
           '<span class="flag">!</span> in the table of trusts.</p>')
    table = ['<table class="outliers">',
             f"<caption>Outliers, worst first ({min(len(found), OUTLIERS_SHOWN)} of "
             f"{len(found)} shown)</caption>",
             '<thead><tr><th scope="col">Trust</th><th scope="col">Overall</th>'
             '<th scope="col">Why</th></tr></thead>', "<tbody>"]
    yield from scrolling(_outlier_rows(table, found[:OUTLIERS_SHOWN]), "Outliers")
    rest = found[OUTLIERS_SHOWN:]
    if rest:
        # Said so that it holds on paper too: the filter is for the screen, the mark in print.
        yield (f"<details><summary>and {len(rest)} more, named here; each is marked ! in the "
               "table of trusts (on screen, <em>Outliers only</em> there shows them alone)"
               "</summary><p>")
        for start in range(0, len(rest), OUTLIERS_SHOWN):  # in pieces, as the rows are
            more = "," if start + OUTLIERS_SHOWN < len(rest) else ""  # the line break: a space
            yield e(", ".join(o.organisation for o in rest[start:start + OUTLIERS_SHOWN])) + more
        yield "</p></details>"
    yield "</section>"


def _outlier_rows(head: list[str], found: Sequence[Outlier]) -> Iterator[str]:
    yield from head
    for o in found:
        yield (f'<tr><th scope="row"><a href="#t{o.index}">{e(o.organisation)}</a></th>'
               f"{compact_cell(o.overall_rating, o.overall_score, o.overall_coverage)}"
               f"<td>{e('; '.join(r.text for r in o.reasons))}</td></tr>")
    yield "</tbody></table>"


# --- charts --------------------------------------------------------------------------------

CHART_WIDTH, LABEL_WIDTH, BAR_WIDTH, BAR_HEIGHT, GAP = 800, 180, 360, 20, 8
FILLS = {"green": "#c7e6cf", "amber": "#ffdf99", "red": "#f6c1bb",
         "insufficient_evidence": "#dde8f3", "inconclusive": "#e3e6e8"}


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    counts: Mapping[str, int]
    note: str


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def bar_chart(ident: str, caption: str, bars: Sequence[Bar]) -> Iterator[str]:
    """Stacked bars of the share of each rating, every segment's letter and share written
    in it when it is wide enough, and the numbers beside the bar: readable in grey print."""
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    yield f'<figure id="{ident}"><figcaption id="{ident}-c">{e(caption)}</figcaption>'
    yield (f'<svg viewBox="0 0 {CHART_WIDTH} {height}" '
           f'role="img" aria-labelledby="{ident}-c" font-family="Arial, sans-serif" '
           'font-size="12">')
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        mid = y + BAR_HEIGHT / 2 + 4
        total = sum(bar.counts.get(r, 0) for r in RATINGS)
        yield (f'<g><title>{e(bar.label)}: {e(_shares_words(bar.counts, total))}</title>'
               f'<text x="{LABEL_WIDTH - 6}" y="{mid:g}" text-anchor="end">'
               f"{e(_clip(bar.label, 28))}</text>")
        x = float(LABEL_WIDTH)
        for rating in RATINGS:
            n = bar.counts.get(rating, 0)
            if not n:
                continue
            w = BAR_WIDTH * n / total
            yield (f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                   f'fill="{FILLS[rating]}" stroke="#4c6272" stroke-width="0.5"></rect>')
            text = f"{HEAT_LABELS[rating]} {percent(n, total)}"
            if w >= 7 * len(text):
                yield (f'<text x="{x + w / 2:.1f}" y="{mid:g}" text-anchor="middle">'
                       f"{e(text)}</text>")
            x += w
        if not total:
            yield (f'<text x="{LABEL_WIDTH}" y="{mid:g}" fill="#4c6272">no trusts</text>')
        yield (f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{mid:g}" fill="#212b32">'
               f"{e(bar.note)}</text></g>")
    yield "</svg></figure>"


def _shares_words(counts: Mapping[str, int], total: int) -> str:
    return ", ".join(f"{RATING_LABELS[r].lower()} {counts.get(r, 0)} "
                     f"({percent(counts.get(r, 0), total)})" for r in RATINGS)


def _spread(d: Distribution) -> str:
    if d.median is None:
        return "no scores"
    return f"median {d.median:.0f} (Q1 {d.q1:.0f}, Q3 {d.q3:.0f})"


def _charts(batch: BatchResult) -> Iterator[str]:
    yield '<section id="charts" aria-labelledby="charts-h">'
    yield '<h2 id="charts-h">Charts</h2>'
    if not batch.rows:
        yield "<p>No submission could be evaluated.</p></section>"
        return
    yield ("<p>Each bar is the share of trusts at each rating (G green, A amber, R red, "
           "I insufficient evidence, ? inconclusive); beside it the median score and the "
           "lower and upper quartiles (Q1, Q3) of the trusts rated green, amber or red.</p>")
    yield from _legend()
    questions = [Bar("Overall", batch.overall.ratings, _spread(batch.overall))]
    questions += [Bar(title, batch.categories[cid].ratings, _spread(batch.categories[cid]))
                  for cid, title in zip(batch.category_ids, batch.category_titles, strict=True)
                  if cid in batch.categories]
    yield from bar_chart("chart-questions", "Ratings by board question", questions)
    regions = _breakdown(batch, "region")
    if regions is not None and regions.groups:
        yield from bar_chart(
            "chart-regions", "Overall ratings by NHS England region",
            [Bar(group_label("region", g.name), g.overall.ratings,
                 f"{_members(g.overall)} trusts · {_spread(g.overall)}")
             for g in regions.groups])
    yield "</section>"


def _members(d: Distribution) -> int:
    return sum(d.ratings.get(r, 0) for r in RATINGS)


def _breakdown(batch: BatchResult, key: str) -> Breakdown | None:
    return next((b for b in batch.breakdowns if b.key == key), None)


# --- the page ------------------------------------------------------------------------------


SECTIONS = (("outliers", "Outliers"), ("charts", "Charts"), ("trusts", "Trusts"),
            ("collaboratives", "Collaboratives"), ("breakdowns", "Breakdowns"),
            ("gaps", "Common gaps"), ("duplicates", "Possible duplicates"),
            ("errors", "Files that could not be evaluated"))


def _head(batch: BatchResult, found: Sequence[Outlier]) -> Iterator[str]:
    files = len(batch.rows) + len(batch.errors)
    facts = [("Files", files), ("Checked", len(batch.rows)),
             ("Could not be evaluated", len(batch.errors)), ("Outliers", len(found))]
    if batch.search_problems:
        facts.append(("Paths not searched", len(batch.search_problems)))
    yield '<header class="page">'
    yield "<h1>Collaborative governance readiness: batch report</h1>"
    yield (f'<p class="meta">Questionnaire <strong>{e(batch.questionnaire_id)}</strong> version '
           f"<strong>{e(batch.questionnaire_version)}</strong> · sorted by "
           f"{e(sort_label(batch))}</p>")
    yield '<dl class="facts">'
    yield "".join(f"<div><dt>{name}:</dt><dd>{n}</dd></div>" for name, n in facts)
    yield "</dl>"
    if not batch.complete:
        yield ('<p class="banner" role="status">INCOMPLETE: the run was interrupted; '
               "only the files below were checked.</p>")
    yield '<nav aria-label="Contents"><ul>'
    yield "".join(f'<li><a href="#{ident}">{title}</a></li>' for ident, title in SECTIONS)
    yield "</ul></nav></header>"


def _initial_sort(batch: BatchResult) -> tuple[int, str]:
    """The column and direction the rows arrive in, so aria-sort tells the truth at load."""
    if batch.sort == "name":
        return 1, "ascending"
    if batch.sort in batch.category_ids:
        return 5 + batch.category_ids.index(batch.sort), "descending"
    if batch.sort == "score":
        return 4, "descending"
    if batch.sort == WORST:  # the league's last first
        return 0, "descending"
    if batch.sort in (key for key, _, _ in BREAKDOWNS):
        return -1, ""  # grouped: no one column is in order
    return 0, "ascending"


def _attribute_list(values: Iterable[str]) -> str:
    """Values a filter matches, as a JSON array in an attribute: any text survives (the
    option values hold the same printable text, as JSON strings)."""
    return e(json.dumps([printable(v) for v in values], ensure_ascii=False))


def _option_value(name: str) -> str:
    """A filter option's value: the group's name as a JSON string, or JSON null for the group
    recording none (NOT_RECORDED), as the JSON report writes it. A string is never null, so
    an ICB a file calls "ICB not recorded" stays its own group; "" stays "All"."""
    if name == NOT_RECORDED:
        return "null"
    return e(json.dumps(printable(name), ensure_ascii=False))


def _filter_form(batch: BatchResult) -> Iterator[str]:
    """Hidden until the script shows it: without the script it could not act."""
    yield '<form id="trust-filter" class="filter" hidden role="search" aria-label="Filter">'
    yield ('<div><label for="f-q">Name or ODS code</label>'
           '<input type="search" id="f-q" name="q" autocomplete="off"></div>')
    for key, name, title in FILTERS:
        found = _breakdown(batch, key)
        # The breakdown's groups in its order: the one recording none, when there is one,
        # last and in its words ("ICB not recorded"), as the breakdown tables show it.
        groups = [g.name for g in found.groups] if found is not None else []
        yield (f'<div><label for="f-{name}">{title}</label><select id="f-{name}" '
               f'name="{name}"><option value="">All</option>')
        yield "".join(f'<option value="{_option_value(g)}">{e(group_label(key, g))}</option>'
                      for g in groups)
        yield "</select></div>"
    yield ('<div><label for="f-rating">Overall rating</label><select id="f-rating" '
           'name="rating"><option value="">All</option>')
    yield "".join(f'<option value="{r}">{RATING_LABELS[r]}</option>' for r in RATINGS)
    yield "</select></div>"
    yield ('<div class="check"><input type="checkbox" id="f-outliers" name="outliers">'
           ' <label for="f-outliers">Outliers only</label></div>')
    yield '<div><button type="reset">Clear</button></div></form>'


def _trusts(batch: BatchResult, flagged: set[int]) -> Iterator[str]:
    yield '<section id="trusts" aria-labelledby="trusts-h">'
    yield '<h2 id="trusts-h">Trusts</h2>'
    if not batch.rows:
        yield "<p>No submission could be evaluated.</p></section>"
        return
    yield ("<p>One row per trust. Each verdict shows the rating letter (G green, A amber, "
           "R red, I insufficient evidence, ? inconclusive), the score and the share of its "
           "weight the file evidences; hover or focus for the words. Trusts rated "
           "insufficient evidence or inconclusive are not ranked: they follow the ranked "
           "trusts, marked <em>Not ranked</em>. <strong>*</strong> after a score: the "
           "rating is capped or set by a rule, not the one the score alone gives; why is "
           "in the cell's words and listed under the table. <span class=\"flag\">!</span> "
           "marks an outlier.</p>")
    yield from _filter_form(batch)
    yield ('<p id="trust-hint" hidden>Select a column heading to sort by it; select it '
           "again to reverse the order. Trusts without a score, or not ranked, stay at the "
           "bottom. Printing prints the rows shown.</p>")
    heads: list[tuple[str, str, str]] = [
        (e(wording.rank_heading(batch.sort)), "number", ""), ("Trust", "text", ""),
        ("Region", "text", ""), ("Sector", "text", ""),
        ('Overall <span class="sub">rating, score, evidenced</span>', "number", "descending")]
    heads += [(e(title), "number", "descending") for title in batch.category_titles]
    sorted_col, direction = _initial_sort(batch)
    cells = []
    for i, (text, kind, first) in enumerate(heads):
        attrs = f' data-type="{kind}"' + (f' data-first="{first}"' if first else "")
        if i == sorted_col:
            attrs += f' aria-sort="{direction}"'
        cells.append(f'<th scope="col"{attrs}>{text}</th>')
    table = _trust_rows(batch, flagged, [
        '<table id="trust-table">',
        f"<caption>{len(batch.rows)} trust(s), in the order of the report "
        f"({e(sort_label(batch))}){_placing_note(batch)} "
        '<span id="trust-status" class="sub" role="status">'
        f"Showing all {len(batch.rows)} trusts.</span></caption>",
        '<colgroup><col class="c-rank"><col class="c-trust"><col class="c-region">'
        '<col class="c-sector"><col class="c-overall">'
        + "<col>" * len(batch.category_ids) + "</colgroup>",
        "<thead><tr>" + "".join(cells) + "</tr></thead>",
        *([] if _grouped(batch) else ["<tbody>"])])
    yield from scrolling(table, "Trusts")
    yield from _cap_notes(batch)
    yield "</section>"


def _cap_notes(batch: BatchResult) -> Iterator[str]:
    """Why each rating marked CAP_MARK is capped or set by a rule, a trust a line: on paper
    a title cannot be hovered. A second pass over the rows, read back one at a time."""
    titles = dict(zip(batch.category_ids, batch.category_titles, strict=True))
    started = False
    for row in batch.rows:
        why = [f"Overall {wording.rating_label(row.overall_rating)}: {reason}"
               for reason in [capped_reason(row.overall_rating, row.overall_explanation)]
               if reason]
        why += [f"{titles.get(c.id, c.id)} {wording.rating_label(c.rating)}: {reason}"
                for c in row.categories if (reason := capped_reason(c.rating, c.explanation))]
        if not why:
            continue
        if not started:
            started = True
            yield (f'<h3 id="capped">{CAP_MARK} Ratings capped or set by a rule</h3>'
                   '<ul class="problems capped">')
        yield (f'<li><a href="#t{row.index}">{e(org_name(row))}</a>: '
               f"{e('; '.join(why))}</li>")
    if started:
        yield "</ul>"


def _placing_note(batch: BatchResult) -> str:
    """Under ICB, sector or governance-model groups: a trust in several appears in each."""
    what = {"icb": "ICB", "sector": "sector", "governance_model": "governance model"}.get(
        batch.sort or "")
    if what is None or not _grouped(batch):
        return ""
    return (f". A trust in more than one {what} appears under each, as the breakdowns count "
            f"it, so each heading's count and median are its breakdown's")


def _grouped(batch: BatchResult) -> bool:
    """Whether the rows are sorted by a breakdown, each group under a heading."""
    return bool(batch.rows) and batch.sort in (key for key, _, _ in BREAKDOWNS)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A run of rows under one heading: its words, how many rows and their overall scores."""

    heading: str
    rows: int
    overall: Distribution


def _placed(batch: BatchResult) -> list[_Placed]:
    """Under a --sort by a breakdown, each group's heading: every trust in it (a trust in
    several ICBs or sectors under each, as the breakdown counts it), with the breakdown's
    own count and median."""
    titles = {key: title for key, title, _ in BREAKDOWNS}
    return [_Placed(f"{titles[g.key]}: {group_label(g.key, g.name)}", len(g.positions),
                    g.overall) for g in batch.league_groups]


def _group_head(n: int, group: _Placed, columns: int) -> str:
    """A group's heading row, spanning the table: its name, how many trusts, their median."""
    d = group.overall
    median = ("none rated green, amber or red" if d.median is None
              else f"overall median {d.median:.1f} of the {d.n} rated green, amber or red")
    trusts = f"{group.rows} trust{'' if group.rows == 1 else 's'}"
    return (f'<tr class="group-head"><th scope="rowgroup" colspan="{columns}" id="g{n}">'
            f'{e(group.heading)} <span class="sub">{trusts}<span class="group-shown">'
            f"</span> · {median}</span></th></tr>")


def _trust_rows(batch: BatchResult, flagged: set[int], head: list[str]) -> Iterator[str]:
    yield from head
    groups = iter(_placed(batch) if _grouped(batch) else ())
    columns = 5 + len(batch.category_ids)
    left = 0  # rows still to come in the group under way
    n = 0
    # Each trust's place in the league (worst first too), or grouped by region, ICB...
    # its place within its group, as the column's heading says: the rank the terminal,
    # markdown and workbook give it. Grouped, a trust is listed under each of its groups;
    # the first holds its anchor (id), and every copy says which trust it is (data-t), so
    # the filter counts trusts, not rows.
    for _, place, row, first in wording.listed_rows(batch):
        if not left and (group := next(groups, None)) is not None:
            n += 1
            yield ("</tbody>" if n > 1 else "") + '<tbody class="group">' + _group_head(
                n, group, columns)
            left = group.rows
        left -= 1
        if place is not None:
            rank = f'<td class="num">{place}</td>'
        else:
            rank = '<td class="num unranked" data-sort="">Not ranked</td>'
        name = e(org_name(row))
        if row.paper:
            name = f'<a href="{e(quote(row.paper))}">{name}</a>'
        code = f' <span class="sub">{e(row.ods_code)}</span>' if row.ods_code else ""
        outlier = row.index in flagged
        flag = (' <span class="flag" aria-hidden="true">!</span><span class="vh">outlier'
                "</span>") if outlier else ""
        search = " ".join(filter(None, (org_name(row), row.ods_code, row.file))).lower()
        region = group_label("region", row.region) if row.region else "—"
        anchor = f'id="t{row.index}" ' if first else ""
        copy = f'data-t="{row.index}" ' if batch.league_groups else ""
        yield (f'<tr {anchor}{copy}data-name="{e(search)}" '
               f'data-region="{_attribute_list(breakdown_keys(row, "region"))}" '
               f'data-icb="{_attribute_list(breakdown_keys(row, "icb"))}" '
               f'data-sector="{_attribute_list(breakdown_keys(row, "sector"))}" '
               f'data-rating="{row.overall_rating or "inconclusive"}" '
               f'data-outlier="{int(outlier)}">{rank}'
               f'<th scope="row" data-sort="{e(org_name(row))}">{name}{code}{flag}</th>'
               f"<td>{e(region)}</td><td>{e(listing(row.sectors))}</td>"
               + compact_cell(row.overall_rating, row.overall_score, row.overall_coverage,
                              row.overall_explanation)
               + "".join(compact_cell(c.rating, c.score, c.coverage, c.explanation,
                                      whole=True) for c in row.categories)
               + "</tr>")
    yield "</tbody></table>"


def _legend() -> Iterator[str]:
    yield ('<ul class="legend" aria-label="Key">'
           + "".join(f'<li><span class="swatch rating-{r}">{HEAT_LABELS[r]}</span> '
                     f"{RATING_LABELS[r]}</li>" for r in RATINGS)
           + "</ul>")


STAT_COLUMNS = ("Trusts", "Scored", "Mean", "Q1", "Median", "Q3", "Green", "Amber", "Red",
                "Insufficient evidence", "Inconclusive")


def _dist_cells(d: Distribution) -> str:
    values = [str(_members(d)), str(d.n), score_text(d.mean), score_text(d.q1),
              score_text(d.median), score_text(d.q3)]
    return "".join(f'<td class="num">{v}</td>' for v in values) + _share_cells(d)


def _all_stats(batch: BatchResult) -> Iterator[str]:
    measures = [("Overall", batch.overall),
                *[(title, batch.categories[cid]) for cid, title in
                  zip(batch.category_ids, batch.category_titles, strict=True)
                  if cid in batch.categories]]
    table = ["<table>", "<caption>All trusts</caption>",
             '<thead><tr><th scope="col">Measure</th>'
             + "".join(f'<th scope="col" class="num">{h}</th>' for h in STAT_COLUMNS)
             + "</tr></thead><tbody>",
             *[f'<tr><th scope="row">{e(name)}</th>{_dist_cells(d)}</tr>'
               for name, d in measures], "</tbody></table>"]
    return scrolling(table, "Statistics for all trusts")


def _share_cells(d: Distribution) -> str:
    """Each rating's count and whole share (largest remainder, adding to 100 as in the
    terminal and markdown): words and numbers, never colour alone."""
    members = _members(d)
    shares = d.whole_shares() if members else {}
    return "".join(
        f'<td class="num">{d.ratings.get(r, 0)} <span class="sub">'
        f'{"—" if shares.get(r) is None else f"{shares[r]}%"}</span></td>' for r in RATINGS)


def _spread_cell(d: Distribution) -> str:
    # Quartiles to the median's one decimal: "1.3 (1–1)" read as a spread that was not there.
    spread = "—" if d.median is None else f"{d.median:.1f} ({d.q1:.1f}–{d.q3:.1f})"
    return f'<td class="num">{spread}</td>'


def _group_rows(batch: BatchResult, key: str, group: GroupSummary) -> str:
    """A group's rows, one body: the group overall, then each board question, each with
    its count and share of every rating and its median (quartiles)."""
    questions = [(title, group.categories[cid]) for cid, title in
                 zip(batch.category_ids, batch.category_titles, strict=True)
                 if cid in group.categories]
    name = e(group_label(key, group.name))
    rows = [f'<tr><th scope="rowgroup" class="group" rowspan="{1 + len(questions)}">'
            f'{name}</th><th scope="row" class="group">Overall</th>'
            f'<td class="num">{_members(group.overall)}</td>{_spread_cell(group.overall)}'
            f"{_share_cells(group.overall)}</tr>"]
    rows += [f'<tr><th scope="row">{e(title)}</th><td class="num">{_members(d)}</td>'
             f"{_spread_cell(d)}{_share_cells(d)}</tr>" for title, d in questions]
    return "<tbody>" + "".join(rows) + "</tbody>"


def _breakdown_table(batch: BatchResult, b: Breakdown) -> Iterator[str]:
    first, _, rest = b.title.partition(" ")
    # "By sector", "By legal form"; an initialism keeps its capitals ("By NHS England region").
    caption = " ".join(filter(None, ("By", first if first.isupper() else first.lower(), rest)))
    yield f'<h3 id="by-{b.key}">{e(caption)}</h3>'
    if not b.groups:
        yield "<p>None.</p>"
        return
    head = ('<thead><tr><th scope="col">' + e(b.title) + "</th>"
            '<th scope="col">Question</th><th scope="col" class="num">Trusts</th>'
            '<th scope="col" class="num">Median <span class="sub">(Q1–Q3)</span></th>'
            + "".join(f'<th scope="col" class="num">{RATING_LABELS[r]}</th>' for r in RATINGS)
            + "</tr></thead>")
    # The table's caption says what it holds, not the heading over it again.
    holds = (f"Trusts, median score and ratings {caption[:1].lower()}{caption[1:]}: overall, "
             "then each board question")
    table = [f'<table class="breakdown"><caption>{e(holds)}</caption>', head,
             *(_group_rows(batch, b.key, g) for g in b.groups), "</table>"]
    yield from scrolling(table, caption)


def _breakdowns(batch: BatchResult) -> Iterator[str]:
    yield '<section id="breakdowns" aria-labelledby="breakdowns-h">'
    yield '<h2 id="breakdowns-h">Breakdowns</h2>'
    yield ("<p>Each group has a row for its overall rating and one per board question. "
           "Trusts counts every trust in the group and Scored those rated green, amber or "
           "red on that row; the mean, median and quartiles are of their scores (quartiles "
           "inclusive, to one decimal as the median is); each "
           "rating column gives the number of trusts so rated and their share of the group "
           "(whole percentages adding to 100). A trust in several ICBs, sectors or "
           "governance models counts in each of them.</p>")
    yield from _all_stats(batch)
    for b in batch.breakdowns:
        yield from _breakdown_table(batch, b)
    yield "</section>"


def _names(names: Sequence[str]) -> str:
    shown = e(", ".join(names[:GAP_NAMES_SHOWN]))
    rest = names[GAP_NAMES_SHOWN:]
    if not rest:
        return shown
    return (f"{shown}<details><summary>and {len(rest)} more</summary>"
            f"{e(', '.join(rest))}</details>")


def _gaps(batch: BatchResult) -> Iterator[str]:
    yield '<section id="gaps" aria-labelledby="gaps-h"><h2 id="gaps-h">Common gaps</h2>'
    if not batch.common_gaps:
        yield "<p>No criterion was found not met in any submission.</p></section>"
        return
    table = ["<table>", "<caption>Criteria most often not met</caption>",
             '<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th>'
             '<th scope="col" class="num">Not met</th><th scope="col">Organisations</th>'
             "</tr></thead>", "<tbody>",
             *(f'<tr><th scope="row">{e(gap.criterion)}</th><td>{e(gap.title)}</td>'
               f'<td class="num">{gap.not_met} <span class="sub">'
               f"{percent(gap.not_met, len(batch.rows))}</span></td>"
               f"<td>{_names(gap.organisations)}</td></tr>" for gap in batch.common_gaps),
             "</tbody>", "</table>"]
    yield from scrolling(table, "Common gaps")
    yield "</section>"


def _duplicates(batch: BatchResult) -> Iterator[str]:
    yield ('<section id="duplicates" aria-labelledby="duplicates-h">'
           '<h2 id="duplicates-h">Possible duplicate submissions</h2>')
    if not batch.duplicates:
        yield ("<p>None found: no two files share an ODS code or an organisation name.</p>"
               "</section>")
        return
    table = ["<table>", "<caption>Files sharing an ODS code or an organisation name</caption>",
             '<thead><tr><th scope="col">Same</th><th scope="col">Value</th>'
             '<th scope="col">Files</th></tr></thead>', "<tbody>"]
    for dup in batch.duplicates:
        files = "".join(f"<li><code>{e(f)}</code></li>" for f in dup.files)
        table.append(f'<tr><th scope="row">{e(DUPLICATE_KEYS.get(dup.key, dup.key))}</th>'
                     f"<td>{e(wording.duplicate_value(dup))}</td>"
                     f'<td><ul class="problems">{files}</ul></td></tr>')
    table += ["</tbody>", "</table>"]
    yield from scrolling(table, "Possible duplicate submissions")
    yield "</section>"


def _errors(batch: BatchResult) -> Iterator[str]:
    yield ('<section id="errors" aria-labelledby="errors-h">'
           '<h2 id="errors-h">Files that could not be evaluated</h2>')
    if not batch.errors and not batch.search_problems:
        yield "<p>None: every file found was evaluated.</p></section>"
        return
    if batch.errors:
        yield (f"<p>{len(batch.errors)} file(s) could not be evaluated and are in none of "
               "the tables above. Each problem reads <code>file:line:column: message</code>."
               "</p>")
        for row in batch.errors:
            yield (f'<h3 id="{error_anchor(row.index)}"><code>{e(row.file)}</code></h3>'
                   '<ul class="problems">'
                   + "".join(f"<li><code>{e(p)}</code></li>" for p in row.problems) + "</ul>")
    if batch.search_problems:
        yield ('<h3>Paths that could not be searched</h3><ul class="problems">'
               + "".join(f"<li><code>{e(p)}</code></li>" for p in batch.search_problems)
               + "</ul>")
    yield "</section>"


def page_pieces(batch: BatchResult) -> Iterator[str]:
    """The page, a piece at a time (a row of a table at most): never held whole."""
    title = (f"boardcheck batch report: {batch.questionnaire_id} "
             f"{batch.questionnaire_version}")
    if not batch.complete:
        title = f"INCOMPLETE {title}"
    found = batch.outliers
    grouped = _grouped(batch)
    group_style = GROUP_STYLE if grouped else ""
    yield ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{e(title)}</title>\n<style>{STYLE}{group_style}</style>\n</head>\n"
           "<body>\n"
           '<a class="skip" href="#main">Skip to the report</a>\n')
    sections: list[Iterable[str]] = [
        _head(batch, found), ['<main id="main">'],
        _outliers(batch, found), _charts(batch), _trusts(batch, {o.index for o in found})]
    sections += [collaboratives_pieces(batch), _breakdowns(batch), _gaps(batch),
                 _duplicates(batch), _errors(batch), ["</main>"]]
    for section in sections:
        for piece in section:
            yield piece + "\n"
    yield (f"<footer><p>Produced by boardcheck {e(__version__)}. Scores, ratings and order "
           "are as the batch computed them; this page only presents them.</p></footer>\n"
           f"<script>{GROUPED_SCRIPT if grouped else SCRIPT}</script>\n</body>\n</html>\n")


def render_page(batch: BatchResult) -> str:
    return "".join(page_pieces(batch))


class HtmlBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_page(batch)


BATCH = HtmlBatchFormat()
# Rows are ranked, so nothing is written before the batch is summarised; then the page
# is written a piece at a time, never held whole.
WRITER = summary_writer(page_pieces)
