"""A batch as one self-contained, accessible HTML page: league table, heat map, statistics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from boardcheck import __version__
from boardcheck.formats import wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import html_text
from boardcheck.summary import RATINGS, BatchResult, Distribution, GroupSummary, Row, is_ranked

RATING_LABELS = {"green": "Green", "amber": "Amber", "red": "Red",
                 "insufficient_evidence": "Insufficient evidence", "inconclusive": "Inconclusive"}
HEAT_LABELS = {"green": "G", "amber": "A", "red": "R", "insufficient_evidence": "I",
               "inconclusive": "?"}
# Sort keys for rating columns: higher is better; insufficient evidence and inconclusive are
# not ratings to rank, so they have none and sort last.
RATING_ORDER = {"green": "3", "amber": "2", "red": "1", "insufficient_evidence": "",
                "inconclusive": ""}
DUPLICATE_KEYS = {"ods_code": "ODS code", "organisation": "Organisation name"}
# Organisations listed in full in a common gap; the rest fold into a <details>.
GAP_NAMES_SHOWN = 10

STYLE = """
:root { --blue: #005eb8; --dark-blue: #003087; --text: #212b32; --muted: #4c6272;
  --border: #d8dde0; --bg: #f0f4f5; --green: #c7e6cf; --amber: #ffdf99; --red: #f6c1bb;
  --grey: #e3e6e8; --focus: #ffeb3b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 1rem;
  line-height: 1.5; color: var(--text); background: var(--bg); }
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
a:focus, button:focus { outline: 3px solid var(--focus); outline-offset: 0;
  box-shadow: 0 4px 0 #000; }
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
.scroll { overflow-x: auto; max-width: 100%; }
.scroll:focus { outline: 3px solid var(--focus); }
table { border-collapse: collapse; margin: 0 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: bold; font-size: 1.05rem; padding: 0 0 .5rem;
  color: var(--text); }
th, td { border: 1px solid var(--border); padding: .35rem .55rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--bg); vertical-align: bottom; }
tbody th { font-weight: normal; }
tbody th.group { font-weight: bold; background: #fafbfb; }
tbody + tbody { border-top: 3px solid var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sub { display: block; font-weight: normal; font-size: .85rem; color: var(--muted); }
td .sub { overflow-wrap: anywhere; }
.rating-green { background: var(--green); }
.rating-amber { background: var(--amber); }
.rating-red { background: var(--red); }
.rating-inconclusive { background: repeating-linear-gradient(135deg, var(--grey),
  var(--grey) 6px, #f4f5f6 6px, #f4f5f6 12px); }
.rating-insufficient_evidence { background: repeating-linear-gradient(45deg, #dde8f3,
  #dde8f3 6px, #f4f8fc 6px, #f4f8fc 12px); outline: 2px dashed var(--blue);
  outline-offset: -2px; }
.rating-green, .rating-amber, .rating-red, .rating-inconclusive,
.rating-insufficient_evidence { color: #0b0c0c;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.unranked { font-style: italic; }
[class*="rating-"] .sub { color: #0b0c0c; }
.heat td { text-align: center; font-weight: bold; white-space: nowrap;
  font-variant-numeric: tabular-nums; min-width: 4.5rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; list-style: none; padding: 0;
  margin: 0 0 1rem; }
.legend li { display: flex; align-items: center; gap: .5rem; }
.swatch { display: inline-block; min-width: 2.5rem; padding: .1rem .4rem; text-align: center;
  font-weight: bold; border: 1px solid var(--muted); }
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
th button.sort { font: inherit; color: var(--dark-blue); background: none; border: 0; padding: 0;
  margin: 0; text-align: inherit; cursor: pointer; font-weight: bold; }
th button.sort::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; color: var(--text); }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; color: var(--text); }
th button.sort .sub { color: var(--muted); }
ul.problems { margin: 0 0 1rem; padding-left: 1.25rem; }
ul.problems li { margin: .25rem 0; }
details summary { cursor: pointer; color: var(--blue); }
footer { color: var(--muted); padding: 0 1.5rem 2rem; font-size: .9rem; }
@media print {
  body { background: #fff; }
  section { border: 0; padding: 0; page-break-inside: auto; }
  nav, .skip, #league-hint { display: none; }
  .scroll { overflow: visible; }
  th button.sort::after { content: none; }
}
"""

# Vanilla, no dependencies: turns the league table's headings into sort buttons. Without it
# the table is still complete, in the order the batch gave.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("league-table");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var status = document.getElementById("league-status");
  var hint = document.getElementById("league-hint");
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
    if (status) {
      status.textContent = "Sorted by " + th.textContent.trim() + ", " + dir + ".";
    }
  }
}());
"""


e = html_text  # the one HTML escaping, in sanitise


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def label(value: str) -> str:
    """A sector or governance model id as words: mental_health -> mental health."""
    return value.replace("_", " ")


def listing(values: Sequence[str]) -> str:
    return ", ".join(label(v) for v in values) if values else "—"


def sort_label(batch: BatchResult) -> str:
    """What the rows are sorted by, in words: a category's title rather than its id."""
    titles = dict(zip(batch.category_ids, batch.category_titles, strict=True))
    return {"score": "overall score", "name": "organisation name"}.get(
        batch.sort, f"{titles.get(batch.sort, label(batch.sort))} score")


def org_name(row: Row) -> str:
    return row.organisation or row.file


def rating_cell(rating: str | None, explanation: str = "") -> str:
    rating = rating or "inconclusive"
    reason = wording.rating_reason(rating, explanation)
    why = f'<span class="sub">{e(reason)}</span>' if reason else ""
    return (f'<td class="rating-{rating}" data-sort="{RATING_ORDER[rating]}">'
            f"{RATING_LABELS[rating]}{why}</td>")


def score_cell(score: float | None, ranked: bool = True) -> str:
    # A score that is not ranked (insufficient evidence) sorts with the unscored, last.
    key = "" if score is None or not ranked else f"{score:g}"
    return f'<td class="num" data-sort="{key}">{score_text(score)}</td>'


def coverage_cell(coverage: float | None) -> str:
    key = "" if coverage is None else f"{coverage:g}"
    return f'<td class="num" data-sort="{key}">{wording.coverage_number(coverage)}</td>'


def _rated_spans(rating: str, score: float | None, coverage: float | None,
                 shown: str) -> str:
    """The letter, `shown` score and share evidenced for the eye; the words for a reader."""
    covered = "" if coverage is None else f" · {coverage:.0f}%"
    spoken = "no score" if score is None else f"score {score_text(score)}"
    evidenced = "" if coverage is None else f", {wording.coverage_words(coverage)}"
    return (f'<span aria-hidden="true">{HEAT_LABELS[rating]} {shown}{covered}</span>'
            f'<span class="vh">{RATING_LABELS[rating]}, {spoken}{evidenced}</span>')


def compact_cell(rating: str | None, score: float | None, coverage: float | None) -> str:
    """One board question for one trust: rating letter, score, share evidenced. Sorts by
    score among the rated; insufficient evidence and inconclusive sort last."""
    rating = rating or "inconclusive"
    key = "" if score is None or rating not in wording.RANKED_RATINGS else f"{score:g}"
    return (f'<td class="rating-{rating} num" data-sort="{key}">'
            f"{_rated_spans(rating, score, coverage, score_text(score))}</td>")


def heat_cell(rating: str | None, score: float | None, coverage: float | None = None) -> str:
    rating = rating or "inconclusive"
    # Whole points keep the grid narrow; the league table has the exact scores.
    shown = "—" if score is None else format(score, ".0f")
    return f'<td class="rating-{rating}">{_rated_spans(rating, score, coverage, shown)}</td>'


def scrolling(table: list[str], name: str) -> list[str]:
    """Wide tables scroll sideways in their own keyboard-reachable region."""
    return [f'<div class="scroll" role="region" aria-label="{e(name)}" tabindex="0">',
            *table, "</div>"]


def _head(batch: BatchResult) -> list[str]:
    files = len(batch.rows) + len(batch.errors)
    facts = [("Files", files), ("Checked", len(batch.rows)),
             ("Could not be evaluated", len(batch.errors))]
    if batch.search_problems:
        facts.append(("Paths not searched", len(batch.search_problems)))
    out = ['<header class="page">',
           "<h1>Collaborative governance readiness: batch report</h1>",
           f'<p class="meta">Questionnaire <strong>{e(batch.questionnaire_id)}</strong> version '
           f"<strong>{e(batch.questionnaire_version)}</strong> · sorted by {e(sort_label(batch))}"
           "</p>",
           '<dl class="facts">',
           *[f"<div><dt>{name}:</dt><dd>{n}</dd></div>" for name, n in facts],
           "</dl>"]
    if not batch.complete:
        out.append('<p class="banner" role="status">INCOMPLETE: the run was interrupted; '
                   "only the files below were checked.</p>")
    sections = [("league", "League table"), ("heat", "Heat map"), ("stats", "Sector statistics"),
                ("gaps", "Common gaps"), ("duplicates", "Possible duplicates"),
                ("errors", "Files that could not be evaluated")]
    out += ['<nav aria-label="Contents"><ul>',
            *[f'<li><a href="#{ident}">{title}</a></li>' for ident, title in sections],
            "</ul></nav>", "</header>"]
    return out


def _initial_sort(batch: BatchResult) -> tuple[int, str]:
    """The column and direction the rows arrive in, so aria-sort tells the truth at load."""
    if batch.sort == "name":
        return 1, "ascending"
    if batch.sort in batch.category_ids:
        return 7 + batch.category_ids.index(batch.sort), "descending"
    if batch.sort == "score":
        return 4, "descending"
    return 0, "ascending"


def _league(batch: BatchResult) -> list[str]:
    out = ['<section id="league" aria-labelledby="league-h">',
           '<h2 id="league-h">League table</h2>']
    if not batch.rows:
        return [*out, "<p>No submission could be evaluated.</p>", "</section>"]
    out.append("<p>Submissions rated insufficient evidence (the file evidences too little to "
               "rate) or inconclusive are not ranked: they follow the ranked submissions, "
               "marked <em>Not ranked</em>. Each board question shows the rating letter "
               "(G green, A amber, R red, I insufficient evidence, ? inconclusive), the score "
               "and the share of its weight the file evidences.</p>")
    out.append('<p id="league-hint" hidden>Select a column heading to sort by it; select it '
               "again to reverse the order. Scores sort as numbers; submissions without a "
               "score, or not ranked, stay at the bottom.</p>")
    heads: list[tuple[str, str, str]] = [
        ("Rank", "number", ""), ("Organisation", "text", ""), ("Sector", "text", ""),
        ("Governance model", "text", ""),
        ('Overall <span class="sub">score</span>', "number", "descending"),
        ('Overall <span class="sub">rating</span>', "number", "descending"),
        ('Overall <span class="sub">evidenced</span>', "number", "descending")]
    for title in batch.category_titles:
        heads.append((f'{e(title)} <span class="sub">rating, score, evidenced</span>',
                      "number", "descending"))
    sorted_col, direction = _initial_sort(batch)
    cells = []
    for i, (text, kind, first) in enumerate(heads):
        attrs = f' data-type="{kind}"' + (f' data-first="{first}"' if first else "")
        if i == sorted_col:
            attrs += f' aria-sort="{direction}"'
        cells.append(f'<th scope="col"{attrs}>{text}</th>')
    table = ['<table id="league-table">',
             f"<caption>{len(batch.rows)} submission(s), in the order of the report "
             f'({e(sort_label(batch))}) <span id="league-status" class="sub" '
             'aria-live="polite"></span></caption>',
             "<thead><tr>", *cells, "</tr></thead>", "<tbody>"]
    n = 0
    for row in batch.rows:
        code = f" ({e(row.ods_code)})" if row.ods_code else ""
        file = f'<span class="sub">{e(row.file)}</span>' if row.organisation else ""
        ranked = is_ranked(row, "score")
        if batch.sort == "name" or is_ranked(row, batch.sort):
            n += 1
            rank = f'<td class="num">{n}</td>'
        else:
            rank = '<td class="num unranked" data-sort="">Not ranked</td>'
        table += ["<tr>", rank,
                  f'<th scope="row" data-sort="{e(org_name(row))}">{e(org_name(row))}{code}'
                  f"{file}</th>",
                  f"<td>{e(listing(row.sectors))}</td>",
                  f"<td>{e(listing(row.governance_models))}</td>",
                  score_cell(row.overall_score, ranked),
                  rating_cell(row.overall_rating, row.overall_explanation),
                  coverage_cell(row.overall_coverage)]
        table += [compact_cell(cat.rating, cat.score, cat.coverage) for cat in row.categories]
        table.append("</tr>")
    table += ["</tbody>", "</table>"]
    return [*out, *scrolling(table, "League table"), "</section>"]


def _legend() -> list[str]:
    return ['<ul class="legend" aria-label="Key">',
            *[f'<li><span class="swatch rating-{r}">{HEAT_LABELS[r]}</span> {RATING_LABELS[r]}'
              "</li>" for r in RATINGS],
            "</ul>"]


def _heat_map(batch: BatchResult) -> list[str]:
    out = ['<section id="heat" aria-labelledby="heat-h">', '<h2 id="heat-h">Heat map</h2>']
    if not batch.rows:
        return [*out, "<p>No submission could be evaluated.</p>", "</section>"]
    out += ["<p>Each cell shows the rating as a letter, the score in whole points and the "
            "share of the question's weight the file evidences; the colour repeats the "
            "letter.</p>", *_legend()]
    table = ['<table class="heat">',
             "<caption>Ratings by organisation and board question</caption>",
             '<thead><tr><th scope="col">Organisation</th>',
             *[f'<th scope="col">{e(title)}</th>' for title in batch.category_titles],
             "</tr></thead>", "<tbody>"]
    for row in batch.rows:
        table += ["<tr>", f'<th scope="row">{e(org_name(row))}</th>',
                  *[heat_cell(c.rating, c.score, c.coverage) for c in row.categories], "</tr>"]
    table += ["</tbody>", "</table>"]
    return [*out, *scrolling(table, "Heat map"), "</section>"]


STAT_COLUMNS = ("n", "Mean", "Q1", "Median", "Q3", "Green", "Amber", "Red",
                "Insufficient evidence", "Inconclusive")


def _dist_cells(d: Distribution) -> list[str]:
    values = [str(d.n), score_text(d.mean), score_text(d.q1), score_text(d.median),
              score_text(d.q3), *[str(d.ratings.get(r, 0)) for r in RATINGS]]
    return [f'<td class="num">{v}</td>' for v in values]


def _measures(batch: BatchResult, overall: Distribution,
              categories: dict[str, Distribution]) -> list[tuple[str, Distribution]]:
    return [("Overall", overall), *[(title, categories[cid]) for cid, title in
                                     zip(batch.category_ids, batch.category_titles, strict=True)
                                     if cid in categories]]


def _stat_head(first: Iterable[str]) -> list[str]:
    return ["<thead><tr>", *[f'<th scope="col">{h}</th>' for h in first],
            *[f'<th scope="col" class="num">{h}</th>' for h in STAT_COLUMNS], "</tr></thead>"]


def _all_stats(batch: BatchResult) -> list[str]:
    table = ["<table>", "<caption>All submissions</caption>", *_stat_head(["Measure"]),
             "<tbody>"]
    for name, d in _measures(batch, batch.overall, batch.categories):
        table += ["<tr>", f'<th scope="row">{e(name)}</th>', *_dist_cells(d), "</tr>"]
    table += ["</tbody>", "</table>"]
    return scrolling(table, "Statistics for all submissions")


def _group_stats(batch: BatchResult, groups: Sequence[GroupSummary], kind: str,
                 caption: str) -> list[str]:
    if not groups:
        return ["<p>None.</p>"]
    table = ["<table>", f"<caption>{caption}</caption>", *_stat_head([kind, "Measure"])]
    for group in groups:
        measures = _measures(batch, group.overall, group.categories)
        table.append("<tbody>")
        for i, (name, d) in enumerate(measures):
            lead = (f'<th scope="rowgroup" rowspan="{len(measures)}" class="group">'
                    f"{e(label(group.name))}</th>") if i == 0 else ""
            table += ["<tr>", *([lead] if lead else []), f'<th scope="row">{e(name)}</th>',
                      *_dist_cells(d), "</tr>"]
        table.append("</tbody>")
    table.append("</table>")
    return scrolling(table, caption)


def _stats(batch: BatchResult) -> list[str]:
    return ['<section id="stats" aria-labelledby="stats-h">',
            '<h2 id="stats-h">Sector statistics</h2>',
            "<p>n counts the submissions with a score; an inconclusive rating has no score, so "
            "it is counted under Inconclusive only. Quartiles are inclusive.</p>",
            *_all_stats(batch),
            '<h3 id="by-sector">By sector</h3>',
            "<p>A trust serving several sectors counts in each of them.</p>",
            *_group_stats(batch, batch.by_sector, "Sector", "Statistics by sector"),
            '<h3 id="by-model">By governance model</h3>',
            "<p>A trust in arrangements of several models counts under each of them.</p>",
            *_group_stats(batch, batch.by_model, "Governance model",
                          "Statistics by governance model"),
            "</section>"]


def _names(names: Sequence[str]) -> str:
    shown = e(", ".join(names[:GAP_NAMES_SHOWN]))
    rest = names[GAP_NAMES_SHOWN:]
    if not rest:
        return shown
    return (f"{shown}<details><summary>and {len(rest)} more</summary>"
            f"{e(', '.join(rest))}</details>")


def _gaps(batch: BatchResult) -> list[str]:
    out = ['<section id="gaps" aria-labelledby="gaps-h">', '<h2 id="gaps-h">Common gaps</h2>']
    if not batch.common_gaps:
        return [*out, "<p>No criterion was found not met in any submission.</p>", "</section>"]
    table = ["<table>", "<caption>Criteria most often not met</caption>",
             '<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th>'
             '<th scope="col" class="num">Not met</th><th scope="col">Organisations</th>'
             "</tr></thead>", "<tbody>"]
    for gap in batch.common_gaps:
        table += ["<tr>", f'<th scope="row">{e(gap.criterion)}</th>', f"<td>{e(gap.title)}</td>",
                  f'<td class="num">{gap.not_met}</td>', f"<td>{_names(gap.organisations)}</td>",
                  "</tr>"]
    table += ["</tbody>", "</table>"]
    return [*out, *scrolling(table, "Common gaps"), "</section>"]


def _duplicates(batch: BatchResult) -> list[str]:
    out = ['<section id="duplicates" aria-labelledby="duplicates-h">',
           '<h2 id="duplicates-h">Possible duplicate submissions</h2>']
    if not batch.duplicates:
        return [*out, "<p>None found: no two files share an ODS code or an organisation name."
                "</p>", "</section>"]
    table = ["<table>", "<caption>Files sharing an ODS code or an organisation name</caption>",
             '<thead><tr><th scope="col">Same</th><th scope="col">Value</th>'
             '<th scope="col">Files</th></tr></thead>', "<tbody>"]
    for dup in batch.duplicates:
        files = "".join(f"<li><code>{e(f)}</code></li>" for f in dup.files)
        table += ["<tr>", f'<th scope="row">{e(DUPLICATE_KEYS.get(dup.key, dup.key))}</th>',
                  f"<td>{e(dup.value)}</td>", f'<td><ul class="problems">{files}</ul></td>',
                  "</tr>"]
    table += ["</tbody>", "</table>"]
    return [*out, *scrolling(table, "Possible duplicate submissions"), "</section>"]


def _errors(batch: BatchResult) -> list[str]:
    out = ['<section id="errors" aria-labelledby="errors-h">',
           '<h2 id="errors-h">Files that could not be evaluated</h2>']
    if not batch.errors and not batch.search_problems:
        return [*out, "<p>None: every file found was evaluated.</p>", "</section>"]
    if batch.errors:
        out.append(f"<p>{len(batch.errors)} file(s) could not be evaluated and are in none of "
                   "the tables above. Each problem reads <code>file:line:column: message</code>."
                   "</p>")
        for row in batch.errors:
            out += [f"<h3><code>{e(row.file)}</code></h3>", '<ul class="problems">',
                    *[f"<li><code>{e(p)}</code></li>" for p in row.problems], "</ul>"]
    if batch.search_problems:
        out += ["<h3>Paths that could not be searched</h3>", '<ul class="problems">',
                *[f"<li><code>{e(p)}</code></li>" for p in batch.search_problems], "</ul>"]
    return [*out, "</section>"]


def render_page(batch: BatchResult) -> str:
    title = (f"boardcheck batch report: {batch.questionnaire_id} "
             f"{batch.questionnaire_version}")
    if not batch.complete:
        title = f"INCOMPLETE {title}"
    parts = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             '<a class="skip" href="#main">Skip to the report</a>', *_head(batch),
             '<main id="main">', *_league(batch), *_heat_map(batch), *_stats(batch),
             *_gaps(batch), *_duplicates(batch), *_errors(batch), "</main>",
             f'<footer><p>Produced by boardcheck {e(__version__)}. Scores, ratings and order '
             "are as the batch computed them; this page only presents them.</p></footer>",
             f"<script>{SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


class HtmlBatchFormat:
    def render(self, batch: BatchResult, options: RenderOptions) -> str:
        return render_page(batch)


BATCH = HtmlBatchFormat()
