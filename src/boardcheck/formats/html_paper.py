"""One trust's result as a self-contained HTML5 board paper that prints cleanly to A4."""

from __future__ import annotations

import datetime as dt

from boardcheck.diff import Diff, arrow
from boardcheck.formats import paper, wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import html_text
from boardcheck.result import CategoryResult, CriterionResult, Result

# Print first: A4 pages, each board question and the appendix on a new page, criteria kept
# whole, rating tints printed. Text is dark on light tints throughout (WCAG AA or better);
# every colour repeats a word that is printed beside or inside it.
STYLE = """
:root { --blue: #005eb8; --text: #212b32; --muted: #4c6272; --border: #d8dde0;
  --pale: #f0f4f5; --green: #cce6d4; --green-edge: #007f3b; --amber: #ffe9b3;
  --amber-edge: #b36b00; --red: #f9d5d1; --red-edge: #d5281b; --grey: #e8edee;
  --grey-edge: #4c6272; --insufficient: #dde8f3; --insufficient-alt: #f4f8fc;
  --insufficient-edge: #005eb8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem; color: var(--text); background: #fff;
  font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 1rem;
  line-height: 1.45; }
h1, h2, h3, h4 { color: var(--blue); line-height: 1.25; margin: 1.25rem 0 .6rem; }
h1 { font-size: 1.9rem; margin-top: .25rem; }
h2 { font-size: 1.5rem; border-bottom: 2px solid var(--blue); padding-bottom: .25rem; }
h2 .question { display: block; font-size: 1.05rem; font-weight: normal; color: var(--text);
  margin-top: .3rem; }
h3 { font-size: 1.2rem; }
h4 { font-size: 1.05rem; color: var(--text); margin: 0 0 .35rem; }
a { color: var(--blue); }
p, ul, ol { margin: 0 0 .6rem; }
ul, ol { padding-left: 1.4rem; }
li { margin: .15rem 0; }
code { font-family: Consolas, "Liberation Mono", Menlo, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
  border: 0; }
.cover { border-top: 6px solid var(--blue); padding-top: .75rem; }
.cover .org { font-size: 1.15rem; font-weight: bold; margin: 0; }
.cover .meeting { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: bold; padding: 0 0 .35rem; color: var(--text); }
th, td { border: 1px solid var(--border); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--pale); }
tbody th { font-weight: bold; }
th .sub, td .sub { display: block; font-weight: normal; font-size: .9rem; color: var(--muted); }
.facts th { width: 11rem; background: var(--pale); }
.criteria { table-layout: fixed; }
.criteria th:nth-child(1) { width: 14%; }
.criteria th:nth-child(2) { width: 46%; }
.criteria th:nth-child(3), .criteria th:nth-child(4) { width: 12%; }
.criteria th:nth-child(5) { width: 16%; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rating, .status { font-weight: bold; color: #0b0c0c; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.rating { display: inline-block; padding: .05rem .5rem; border-left: 6px solid; }
td.rating { display: table-cell; }
.rating-green { background: var(--green); border-color: var(--green-edge); }
.rating-amber { background: var(--amber); border-color: var(--amber-edge); }
.rating-red { background: var(--red); border-color: var(--red-edge); }
.rating-inconclusive { background: var(--grey); border-color: var(--grey-edge); }
.rating-insufficient_evidence { background: repeating-linear-gradient(135deg,
  var(--insufficient), var(--insufficient) 6px, var(--insufficient-alt) 6px,
  var(--insufficient-alt) 12px); border-color: var(--insufficient-edge);
  border-left-style: double; outline: 1px dashed var(--insufficient-edge);
  outline-offset: -1px; }
.reason { display: block; font-weight: normal; font-size: .9rem; }
.overall { border-left-width: 10px; border-left-style: solid; padding: .6rem .9rem;
  margin: 0 0 1rem;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.overall p { margin: 0; }
.overall .big { font-size: 1.3rem; font-weight: bold; }
.status { display: inline-block; padding: 0 .4rem; border: 1px solid var(--grey-edge); }
.status-not_met { background: var(--red); }
.status-partly_met { background: var(--amber); }
.status-waived { background: var(--grey); }
.status-not_evidenced { background: var(--insufficient); border-style: dashed;
  border-color: var(--insufficient-edge); }
.flag { display: inline-block; padding: 0 .4rem; border: 1px dashed var(--text);
  font-weight: bold; }
.criterion { border: 1px solid var(--border); border-left: 5px solid var(--grey-edge);
  padding: .6rem .8rem; margin: 0 0 .8rem; break-inside: avoid; page-break-inside: avoid; }
.criterion.status-not_met { border-left-color: var(--red-edge); background: #fff; }
.criterion.status-partly_met { border-left-color: var(--amber-edge); background: #fff; }
.criterion.status-waived { border-left-color: var(--grey-edge); background: #fff; }
.criterion.status-not_evidenced { border-left-color: var(--insufficient-edge);
  border-left-style: double; background: #fff; }
.tags { margin: 0 0 .4rem; color: var(--muted); font-size: .92rem; }
.tags .status, .tags .flag { color: #0b0c0c; }
.field { margin: .2rem 0; display: grid; grid-template-columns: 5.5rem 1fr; gap: 0 .5rem; }
.field ul { margin: 0; padding-left: 1.1rem; }
.plain-list { margin: .5rem 0 .2rem; font-weight: bold; }
.ask { font-style: italic; }
.status-line { font-size: 1.05rem; }
.compact li { margin: .05rem 0; }
.note { color: var(--muted); font-size: .9rem; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--border);
  margin-top: 1.5rem; padding-top: .5rem; }
@page { size: A4; margin: 16mm 15mm 18mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font-family: Arial, Helvetica, sans-serif; font-size: 8pt; color: #4c6272; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 20pt; }
  h2 { font-size: 15pt; margin-top: 0; }
  h2 .question { font-size: 11pt; }
  h3 { font-size: 12pt; }
  h4 { font-size: 10.5pt; }
  table { font-size: 9.5pt; }
  .question-section, .appendix { break-before: page; page-break-before: always; }
  h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  tr, li, .ratings, .top-gaps, .facts { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


NUM = ' class="num"'


e = html_text  # the one HTML escaping, in sanitise


def rating_span(rating: str) -> str:
    return f'<span class="rating rating-{e(rating)}">{e(paper.rating_label(rating))}</span>'


def reason_span(rating: str, explanation: str) -> str:
    """Why a rating was capped or not rated, shown under the rating word."""
    reason = paper.rating_reason(rating, explanation)
    return f'<span class="reason">{e(reason)}</span>' if reason else ""


def status_span(c: CriterionResult) -> str:
    return f'<span class="status status-{e(c.status)}">{e(paper.status_label(c))}</span>'


def section_id(cat: CategoryResult) -> str:
    return "q-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in cat.id)


def _cover(result: Result, meeting: dt.date | None) -> list[str]:
    org = result.organisation
    rows = [f'<tr><th scope="row">{e(name)}</th><td>{e(value)}</td></tr>'
            for name, value in paper.cover_facts(result, meeting)]
    return ['<header class="cover">',
            f'<p class="org">{e(org.name)}</p>',
            f'<p class="meeting">{e(paper.meeting_line(result, meeting))}</p>',
            f"<h1>{e(paper.TITLE)}</h1>",
            '<table class="facts">', "<caption>About this paper</caption>", "<tbody>", *rows,
            "</tbody>", "</table>", "</header>"]


def _ratings_table(result: Result, movement: Diff | None) -> list[str]:
    moves = {m.id: m for m in movement.categories} if movement else {}
    rows = []
    for cat in result.categories:
        title, question = paper.category_heading(cat)
        change = ""
        if movement is not None:
            move = moves.get(cat.id)
            was = (f" (was {paper.score_text(move.old_score)} "
                   f"{paper.rating_label(move.old_rating)})") if move else ""
            change = f'<td class="num">{e(arrow(move.change) if move else "")}{e(was)}</td>'
        rows += ["<tr>",
                 f'<th scope="row"><a href="#{section_id(cat)}">{e(title)}</a>'
                 f'<span class="sub">{e(question)}</span></th>',
                 f'<td class="num">{e(paper.score_text(cat.score))}</td>', change,
                 f'<td class="num">{e(wording.coverage_number(cat.evidence_coverage))}</td>',
                 f'<td class="rating rating-{e(cat.rating)}">{e(paper.rating_label(cat.rating))}'
                 f"{reason_span(cat.rating, cat.explanation)}</td>", "</tr>"]
    since = ""
    if movement is not None:
        since = f'<th scope="col" class="num">Since {e(movement.old_as_of)}</th>'
    return ['<table class="ratings">', f"<caption>{e(paper.RATINGS_CAPTION)}</caption>",
            '<thead><tr><th scope="col">Board question</th>'
            f'<th scope="col" class="num">Score</th>{since}'
            '<th scope="col" class="num">Evidenced</th><th scope="col">Rating</th></tr>'
            "</thead>", "<tbody>", *rows, "</tbody>", "</table>"]


def _arrangements(result: Result) -> list[str]:
    if not result.arrangements:
        return ["<p>The file records no collaborative arrangements.</p>"]
    rows = [f'<tr><th scope="row">{e(a.name)}</th><td>'
            f"{e(paper.arrangement_line(a.type, a.governance_model, a.trust_role, a.status))}"
            "</td></tr>"
            for a in result.arrangements]
    return ['<table class="arrangements">', f"<caption>{e(paper.ARRANGEMENTS_CAPTION)}</caption>",
            '<thead><tr><th scope="col">Arrangement</th><th scope="col">Form</th></tr></thead>',
            "<tbody>", *rows, "</tbody>", "</table>"]


def _top_gaps(result: Result) -> list[str]:
    gaps = paper.top_gaps(result)
    if not gaps:
        return ['<h3 id="top-gaps">Gaps</h3>',
                "<p>No gaps: every applicable criterion is met.</p>"]
    titles = {cat.id: cat.title for cat in result.categories}
    rows = []
    for n, c in enumerate(gaps, 1):
        marker = (' <span class="flag">Not evidenced</span>' if paper.partly_not_evidenced(c)
                  else "")
        owners = e(paper.owners_text(c)) or "—"
        rows += [f'<tr data-criterion="{e(c.id)}">', f'<td class="num">{n}</td>',
                 f'<th scope="row">{e(c.title)}'
                 f'<span class="sub">{e(titles.get(c.category, c.category))}</span></th>',
                 f"<td>{status_span(c)}{marker}"
                 f'<span class="sub">{e(paper.SEVERITY_LABELS[c.severity])}</span></td>',
                 f"<td>{owners}</td>",
                 f'<td class="num">{e(paper.points_text(c.points_available))}</td>', "</tr>"]
    heading = paper.top_gaps_heading(len(gaps))
    return [f'<h3 id="top-gaps">{e(heading)}</h3>',
            '<table class="top-gaps">',
            "<caption>Largest gaps first, with the points each would add to the overall "
            "score</caption>",
            '<thead><tr><th scope="col" class="num">#</th><th scope="col">Criterion</th>'
            '<th scope="col">Finding</th><th scope="col">Owner</th>'
            '<th scope="col" class="num">Points</th></tr></thead>',
            "<tbody>", *rows, "</tbody>", "</table>",
            f'<h3 id="questions">{e(paper.QUESTIONS_HEADING)}</h3>',
            '<ol class="questions">',
            *[f'<li data-criterion="{e(c.id)}">{e(c.challenge)}</li>' for c in gaps],
            "</ol>"]


def _placeholders(result: Result) -> list[str]:
    text = paper.placeholders_paragraph(result)
    if text is None:
        return []
    return [f'<h3 id="placeholders">{e(paper.PLACEHOLDERS_HEADING)}</h3>', f"<p>{e(text)}</p>"]


def _summary(result: Result, movement: Diff | None) -> list[str]:
    note = paper.overall_note(result)
    return ['<section class="summary" id="summary" aria-labelledby="summary-h">',
            f'<h2 id="summary-h">{e(paper.SUMMARY)}</h2>',
            f'<div class="overall rating-{e(result.overall.rating)}">',
            f'<p class="big">{e(paper.overall_headline(result))}'
            + (f" ({e(arrow(movement.overall.change))} since {e(movement.old_as_of)})"
               if movement is not None else "") + "</p>",
            *([f"<p>{e(note)}</p>"] if note else []), "</div>",
            f"<p>{e(paper.RECOMMENDATION)}</p>",
            *_ratings_table(result, movement), *_top_gaps(result), *_placeholders(result),
            *_arrangements(result), "</section>"]


def _field(label: str, body: str, css: str = "") -> str:
    cls = f"field {css}".strip()
    return f'<p class="{cls}"><strong>{e(label)}:</strong> <span>{body}</span></p>'


FLAGS = ("Not evidenced", "Declaration challenged")


def _gap(result: Result, c: CriterionResult) -> list[str]:
    tags = [status_span(c)]
    tags += [f'<span class="flag">{e(t)}</span>' if t in FLAGS else e(t)
             for t in paper.criterion_tags(c)[1:]]
    out = [f'<div class="criterion status-{e(c.status)}" id="c-{e(c.id)}">',
           f"<h4>{e(c.title)}</h4>",
           f'<p class="tags">{" · ".join(tags)}</p>']
    findings = paper.finding_sentences(c, result)
    if len(findings) == 1:
        out.append(_field("Finding", e(findings[0]), "finding"))
    elif findings:
        out += ['<div class="field finding"><strong>Finding:</strong>', "<ul>",
                *[f"<li>{e(line)}</li>" for line in findings], "</ul>", "</div>"]
    challenged = paper.challenged_line(c, result)
    if challenged:
        out.append(_field("Challenged", e(challenged)))
    excluded = paper.exclusions_line(c, result)
    if excluded:
        out.append(_field("Not applied", e(excluded)))
    if c.status == "waived":
        out += [_field("Waiver", e(line)) for line in paper.waiver_lines(c)]
    else:
        out.append(_field("Ask", e(c.challenge), "ask"))
        out.append(_field("Action", e(paper.action_text(c)), "action"))
        out += [_field("Note", e(line)) for line in paper.waiver_lines(c)]
    owner = paper.owner_line(c)
    if owner:
        out.append(_field("Owner", e(owner), "owner"))
    out.append("</div>")
    return out


def _category(result: Result, n: int, cat: CategoryResult) -> list[str]:
    title, question = paper.category_heading(cat)
    ident = section_id(cat)
    grouped = paper.groups(cat)
    out = [f'<section class="question-section" id="{ident}" aria-labelledby="{ident}-h">',
           f'<h2 id="{ident}-h">{n}. {e(title)}<span class="vh">: </span>'
           f'<span class="question">{e(question)}</span></h2>',
           f'<p class="status-line">Score {e(paper.score_out_of(cat.score))}; '
           f"{e(paper.coverage_text(cat.evidence_coverage))}; rated "
           f"{rating_span(cat.rating)}</p>"]
    cap = paper.cap_sentence(result, cat)
    if cap:
        out.append(f"<p>{e(cap)}</p>")
    out.append(f'<p class="note">{e(paper.status_counts(cat))}</p>')
    out.append(f"<h3>{e(paper.GAPS_HEADING)}</h3>")
    if grouped.gaps:
        for c in grouped.gaps:
            out += _gap(result, c)
    else:
        out.append("<p>None: every applicable criterion under this question is met or waived."
                   "</p>")
    if grouped.waived:
        out.append(f"<h3>{e(paper.WAIVED_HEADING)}</h3>")
        for c in grouped.waived:
            out += _gap(result, c)
    out.append(f"<h3>{e(paper.MET_HEADING)}</h3>")
    if grouped.met:
        out += ['<p class="plain-list">Met</p>', '<ul class="compact">',
                *[f"<li>{e(paper.met_line(c, result))}</li>" for c in grouped.met], "</ul>"]
    else:
        out.append("<p>No criterion under this question is met.</p>")
    if grouped.not_applicable:
        out += ['<p class="plain-list">Not applicable</p>', '<ul class="compact">',
                *[f"<li>{e(paper.not_applicable_line(c, result))}</li>"
                  for c in grouped.not_applicable],
                "</ul>"]
    return [*out, "</section>"]


def _appendix(result: Result) -> list[str]:
    out = ['<section class="appendix" id="appendix" aria-labelledby="appendix-h">',
           f'<h2 id="appendix-h">{e(paper.APPENDIX)}</h2>',
           f"<h3>{e(paper.METHOD_HEADING)}</h3>",
           *[f"<p>{e(text)}</p>" for text in paper.method_paragraphs(result)],
           f"<h3>{e(paper.CRITERIA_HEADING)}</h3>"]
    for cat in result.categories:
        rows = []
        for c in cat.criteria:
            ident, title, severity, weight, status = paper.criterion_row(c)
            rows.append(f'<tr><th scope="row">{e(ident)}</th><td>{e(title)}</td>'
                        f"<td>{e(severity)}</td>"
                        f'<td class="num">{e(weight)}</td><td>{e(status)}</td></tr>')
        heads = "".join(f'<th scope="col"{NUM if h == "Weight" else ""}>{e(h)}</th>'
                        for h in paper.CRITERIA_COLUMNS)
        out += ['<table class="criteria">', f"<caption>{e(cat.title)}</caption>",
                f"<thead><tr>{heads}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]
    if result.placeholders:
        heads = "".join(f'<th scope="col"{NUM if h == "Line" else ""}>{e(h)}</th>'
                        for h in paper.PLACEHOLDER_COLUMNS)
        rows = [f'<tr><th scope="row"><code>{e(path)}</code></th><td class="num">{e(line)}</td>'
                f"<td>{e(value)}</td></tr>"
                for path, line, value in map(paper.placeholder_row, result.placeholders)]
        out += [f'<h3 id="placeholder-list">{e(paper.PLACEHOLDERS_APPENDIX)}</h3>',
                f"<p>{e(wording.PLACEHOLDER_LEAD.capitalize())}.</p>",
                '<table class="placeholders">',
                f"<caption>{e(paper.PLACEHOLDERS_CAPTION)}</caption>",
                f"<thead><tr>{heads}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]
    return [*out, "</section>"]


def render_paper(result: Result, meeting: dt.date | None = None,
                 movement: Diff | None = None) -> str:
    """The whole paper as one HTML document; the same result gives the same bytes."""
    title = paper.document_title(result, meeting)
    parts = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             *_cover(result, meeting), "<main>", *_summary(result, movement)]
    for n, cat in enumerate(result.categories, 1):
        parts += _category(result, n, cat)
    parts += [*_appendix(result), "</main>", f"<footer><p>{e(paper.footer_note())}</p></footer>",
              "</body>", "</html>"]
    return "\n".join(parts) + "\n"


class HtmlPaper:
    """The board paper; `meeting` is the date of the board meeting it goes to (none: the
    cover gives the position's date and no meeting, as the result does not know it)."""

    def __init__(self, meeting: dt.date | None = None) -> None:
        self.meeting = meeting

    def render(self, result: Result, options: RenderOptions) -> str:
        return render_paper(result, self.meeting or options.meeting, options.movement)


FORMAT = HtmlPaper()
