"""The HTML batch page: well-formed, self-contained, accessible and escaped; outliers first,
charts with words, a compact filterable row per trust, breakdowns by region and ICB; printed
by Chromium to A4 within the page's width; written in pieces. And `check --papers DIR`:
each member's paper in the same run, linked from the page."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from boardcheck.batch import Job, catalogue, run_batch
from boardcheck.errors import Problem
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.html_batch import BATCH, WRITER, page_pieces
from boardcheck.gates import Gates
from boardcheck.questionnaire import load_questionnaire
from boardcheck.summary import BatchResult, Summariser
from tests.conftest import EXAMPLES, run_cli
from tests.htmlcheck import BROWSER_MISSING, HAVE_BROWSER, check_html, chromium

FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUESTIONNAIRE = FIXTURES / "questionnaires" / "mini.yaml"
MINI_TWO = FIXTURES / "trusts" / "mini-two.yaml"
THIN = FIXTURES / "trusts" / "thin.yaml"
EVIL = "Evil <script>alert(1)</script> <b>& Co NHS Trust"
REGIONS = ("north_east_and_yorkshire", "north_west", "midlands", "east_of_england", "london",
           "south_east", "south_west")


def trust_named(name: str) -> str:
    """mini-two.yaml with another organisation name (quoted as a YAML string)."""
    text = MINI_TWO.read_text(encoding="utf-8")
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text.replace("name: Testshire NHS Trust", f"name: {quoted}", 1)


def summarise(files: list[Path], questionnaire: str | None = None, sort: str = "score",
              search_problems: tuple[Problem, ...] = ()) -> BatchResult:
    q = load_questionnaire(questionnaire)
    job = Job(questionnaire=q, as_of=None, today=dt.date(2026, 1, 1), gates=Gates())
    summariser = Summariser(catalogue(q))
    for row in run_batch(files, job, jobs=1, questionnaire=q):
        summariser.add(row)
    return summariser.finish(sort=sort, search_problems=search_problems)


@pytest.fixture
def batch(tmp_path: Path) -> BatchResult:
    (tmp_path / "evil.yaml").write_text(trust_named(EVIL), encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(MINI_TWO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("organisation: [one,\n  name: <x>\n",
                                          encoding="utf-8")
    files = [MINI_TWO, tmp_path / "evil.yaml", tmp_path / "copy.yaml", tmp_path / "broken.yaml"]
    lost = Problem(str(tmp_path / "missing" / "*.yaml"), 0, 0, "no files match this pattern")
    return summarise(files, str(QUESTIONNAIRE), search_problems=(lost,))


def sector_of(n: int, sort: str = "score") -> BatchResult:
    """`n` trusts as a sector looks: the examples and the thin fixture under the real
    questionnaire, repeated with their own names, ODS codes, regions, ICBs and scores."""
    base = summarise([*sorted(EXAMPLES.glob("*.yaml")), THIN])
    assert base.catalogue is not None
    summariser = Summariser(base.catalogue)
    for i in range(n):
        row = base.rows[i % len(base.rows)]
        shift = (i * 7) % 23 - 11.0

        def moved(score: float | None, shift: float = shift) -> float | None:
            return None if score is None else max(0.0, min(100.0, round(score + shift, 1)))

        summariser.add(dataclasses.replace(
            row, index=i, file=f"submissions/trust-{i:04d}.yaml",
            organisation=f"{['Harrow', 'Wendmoor and Kestrel Valley', 'Ash'][i % 3]} "
                         f"{'University Hospitals' if i % 2 else 'Community'} NHS Trust {i}",
            ods_code=f"R{i:03d}", region=REGIONS[i % len(REGIONS)],
            # The copies' arrangements would all be one collaborative of 50 trusts claiming
            # the same partners: not what a sector looks like (tests/test_collaboratives.py).
            arrangement_facts=b"",
            icbs=(f"NHS {['Fen', 'Moor', 'Vale', 'Holt', 'Lark', 'Ridge'][i % 6]} Integrated "
                  "Care Board",),
            overall_score=moved(row.overall_score),
            categories=tuple(dataclasses.replace(c, score=moved(c.score))
                             for c in row.categories)))
    return summariser.finish(sort=sort)


def render(batch: BatchResult) -> str:
    return BATCH.render(batch, RenderOptions())


def between(page: str, start: str, end: str) -> str:
    part = page[page.index(start):]
    return part[:part.index(end)]


# --- the page --------------------------------------------------------------------------------


def test_page_is_well_formed_and_every_table_has_a_caption(batch: BatchResult) -> None:
    page = render(batch)
    checker = check_html(page)
    assert checker.tables == page.count("<caption>") >= 8
    assert '<html lang="en-GB">' in page
    assert page.count("<h1>") == 1
    assert [h for h, _ in checker.headings if h == "h2"] == ["h2"] * 8
    assert [text for h, text in checker.headings if h == "h2"] == [
        "Outliers", "Charts", "Trusts", "Collaboratives across their members", "Breakdowns",
        "Common gaps",
        "Possible duplicate submissions", "Files that could not be evaluated"]


@pytest.mark.parametrize("needle", ["http://", "https://", "src=", "<link", "url(", "@import",
                                    "//cdn"])
def test_page_uses_no_external_assets(batch: BatchResult, needle: str) -> None:
    assert needle not in render(batch).lower()


def test_page_is_deterministic(batch: BatchResult) -> None:
    assert render(batch) == render(batch)


def test_header_counts_files(batch: BatchResult) -> None:
    page = render(batch)
    assert "<title>boardcheck batch report: mini 0.1</title>" in page
    assert "<dt>Files:</dt><dd>4</dd>" in page
    assert "<dt>Checked:</dt><dd>3</dd>" in page
    assert "<dt>Could not be evaluated:</dt><dd>1</dd>" in page
    assert "INCOMPLETE" not in page


def test_incomplete_run_is_flagged(batch: BatchResult) -> None:
    page = render(dataclasses.replace(batch, complete=False))
    check_html(page)
    assert "INCOMPLETE: the run was interrupted" in page
    assert "<title>INCOMPLETE " in page


def test_broken_file_and_search_problems_are_listed_escaped(batch: BatchResult) -> None:
    page = render(batch)
    assert len(batch.errors) == 1
    problems = [*batch.errors[0].problems, *batch.search_problems]
    for problem in problems:
        assert html.escape(str(problem)) in page
    assert re.search(r"broken\.yaml:\d+:\d+: the \[ opened here is not closed", page)


def test_user_text_is_escaped_everywhere(batch: BatchResult) -> None:
    hostile = "Fen <img onerror=x> \"ICB\" & \x1b[2J"
    summariser = Summariser(batch.catalogue)  # type: ignore[arg-type]
    for r in (*batch.rows, *batch.errors):
        summariser.add(dataclasses.replace(r, region=hostile, icbs=(hostile,),
                                           sectors=(hostile,), ods_code=hostile))
    page = render(summariser.finish(sort="score"))
    check_html(page)
    assert html.escape(EVIL) in page
    assert "<b>" not in page and "<img" not in page and "\x1b" not in page
    assert "alert(1)</script>" not in page
    assert page.count("<script") == 1  # only the page's own script
    # The filter's value (printable text as a JSON string) is the item of the row's list.
    assert html.escape('["Fen <img onerror=x> \\"ICB\\" & \\\\x1b[2J"]') in page
    assert ('<option value="' + html.escape('"Fen <img onerror=x> \\"ICB\\" & \\\\x1b[2J"')
            + '">') in page


def test_one_compact_row_per_trust_with_letter_score_coverage_and_words(
        batch: BatchResult) -> None:
    page = render(batch)
    table = between(page, '<table id="trust-table">', "</table>")
    rows = re.findall(r"<tr id=\"t(\d+)\"[^\n]*</tr>\n", table)
    assert [int(i) for i in rows] == [row.index for row in batch.rows]
    for row in batch.rows:
        line = re.search(rf'<tr id="t{row.index}"[^\n]*', table)
        assert line is not None
        assert html.escape(row.organisation or "") in line.group()
        for cat in row.categories:
            letter = {"green": "G", "amber": "A", "red": "R", "insufficient_evidence": "I",
                      "inconclusive": "?"}[cat.rating]
            shown = "—" if cat.score is None else format(cat.score, ".0f")
            covered = "" if cat.coverage is None else f" · {cat.coverage:.0f}%"
            # * marks a rating capped or set by a rule: the explanation says more than it.
            capped = cat.rating in ("green", "amber", "red") and cat.explanation not in (
                "", cat.rating)
            mark = "*" if capped else ""
            assert (f'<span aria-hidden="true">{letter} {shown}{mark}{covered}</span>'
                    in line.group())
    assert ('<td class="cell rating-amber" data-sort="50" title="Amber, score 50.0, 50.0% '
            'evidenced"><span aria-hidden="true">A 50 · 50%</span><span class="vh">Amber, '
            "score 50.0, 50.0% evidenced</span></td>") in table
    for word in ("Green", "Amber", "Red", "Insufficient evidence", "Inconclusive"):
        assert f"</span> {word}</li>" in page  # the legend
    for title in batch.category_titles:
        assert f'data-first="descending">{html.escape(title)}</th>' in table


def test_rows_are_sortable_and_start_with_the_batch_order(batch: BatchResult) -> None:
    page = render(batch)
    table = between(page, '<table id="trust-table">', "</table>")
    assert table.count('aria-sort="descending"') == 1
    assert 'data-first="descending" aria-sort="descending">Overall' in table
    names = re.findall(r'<th scope="row" data-sort="([^"]*)"', table)
    assert names == [html.escape(row.organisation or row.file) for row in batch.rows]
    by_name = render(dataclasses.replace(batch, sort="name"))
    assert 'data-type="text" aria-sort="ascending">Trust' in by_name
    assert 'getElementById("trust-table")' in page


def test_filter_is_offered_only_to_the_script_and_rows_carry_what_it_matches() -> None:
    sector = sector_of(14)
    page = render(sector)
    check_html(page)
    form = between(page, '<form id="trust-filter"', "</form>")
    assert 'class="filter" hidden' in form  # without the script it could not act
    assert re.findall(r'<select id="f-(\w+)"', form) == ["region", "icb", "sector", "rating"]
    region = between(form, '<select id="f-region"', "</select>")
    # Values are JSON strings (null is the group recording none: every trust records one).
    assert re.findall(r'<option value="([^"]*)">', region) == [""] + [
        f"&quot;{r}&quot;" for r in ("east_of_england", "london", "midlands",
                                     "north_east_and_yorkshire", "north_west", "south_east",
                                     "south_west")]
    assert ('<option value="&quot;north_east_and_yorkshire&quot;">North East and Yorkshire'
            "</option>") in region
    assert ('<option value="&quot;NHS Fen Integrated Care Board&quot;">NHS Fen Integrated Care '
            "Board</option>") in form
    assert '<input type="checkbox" id="f-outliers" name="outliers">' in form
    row = re.search(r'<tr id="t3" [^>]*>', page)
    assert row is not None
    assert row.group() == (
        '<tr id="t3" data-name="harrow university hospitals nhs trust 3 r003 '
        'submissions/trust-0003.yaml" data-region="[&quot;east_of_england&quot;]" '
        'data-icb="[&quot;NHS Holt Integrated Care Board&quot;]" '
        'data-sector="[&quot;mental_health&quot;]" '
        'data-rating="insufficient_evidence" data-outlier="1">')
    assert "Showing all 14 trusts." in page


def test_outliers_come_first_worst_first_with_the_reason_in_words() -> None:
    sector = sector_of(120)
    found = sector.outliers  # the summary's one definition: the page only shows it
    # 30 weak copies state 5 critical criteria failing and are thin; 30 thin copies state
    # none. The acute scores spread too widely for any to be far below.
    assert len(found) == 60
    assert [(o.critical_gaps, o.thin, o.below_median) for o in found] == \
        [(5, True, 0.0)] * 30 + [(0, True, 0.0)] * 30
    assert [o.overall_score for o in found[:30]] == sorted(o.overall_score or 0.0
                                                          for o in found[:30])
    assert [r.text for r in found[0].reasons] == [
        "states 5 critical criteria not met or partly met",
        "thin submission: evidences 53.3% of the questionnaire, under the 60% needed for a "
        "rating; rated on the failures it states"]
    assert [r.text for r in found[30].reasons] == [
        "thin submission: evidences 2.2% of the questionnaire, under the 60% needed for a "
        "rating"]
    page = render(sector)
    assert page.index('id="outliers"') < page.index('id="charts"') < page.index('id="trusts"')
    table = between(page, '<table class="outliers">', "</table>")
    assert re.findall(r'<a href="#t(\d+)">([^<]+)</a>', table) == [
        (str(o.index), html.escape(o.organisation)) for o in found[:25]]
    assert re.findall(r"<td>([^<]+)</td></tr>", table) == [
        html.escape("; ".join(r.text for r in o.reasons)) for o in found[:25]]
    flagged = {o.index for o in found}
    assert {int(i) for i in re.findall(r'<tr id="t(\d+)" [^>]*data-outlier="1">', page)} == \
        flagged
    # Beyond the first 25, every outlier is named, worst first.
    # The summary says where they are marked: in the table of trusts, which prints.
    head = ("and 35 more, named here; each is marked ! in the table of trusts (on screen, "
            "<em>Outliers only</em> there shows them alone)</summary><p>")
    rest = between(page, head, "</p></details>")[len(head):]
    assert len(found) > 25 + 25  # the names come in more than one piece
    assert " ".join(rest.split()) == ", ".join(html.escape(o.organisation)
                                               for o in found[25:])


# (name, overall score, rating, evidence coverage, critical criteria stated failing), all
# mental health trusts, in input order.
OUTLIER_CASES = (
    ("Usual A", 70.0, "amber", 90.0, 0), ("Usual B", 72.0, "amber", 90.0, 0),
    ("Usual C", 74.0, "amber", 90.0, 0), ("Usual D", 75.0, "amber", 90.0, 0),
    ("Usual E", 76.0, "amber", 90.0, 0), ("Usual F", 78.0, "amber", 90.0, 0),
    ("Less far below", 45.0, "amber", 90.0, 0), ("Far below", 30.0, "amber", 90.0, 0),
    ("Thin B", 20.0, "insufficient_evidence", 20.0, 0),
    ("Thin A", 20.0, "insufficient_evidence", 20.0, 0),
    ("One critical", 76.0, "red", 90.0, 1), ("One critical, lower", 70.0, "red", 90.0, 1),
    ("One critical and thin", 72.0, "red", 20.0, 1), ("Two critical", 74.0, "red", 90.0, 2),
)


def outlier_batch(batch: BatchResult, cases: tuple[tuple[str, float, str, float, int], ...],
                  ) -> BatchResult:
    assert batch.catalogue is not None
    # As the real questionnaire: a file evidencing less than 60% is not rated.
    summariser = Summariser(dataclasses.replace(batch.catalogue, coverage_minimum=60.0))
    for i, (name, score, rating, coverage, critical) in enumerate(cases):
        summariser.add(dataclasses.replace(
            batch.rows[0], index=i, file=f"t{i}.yaml", organisation=name,
            sectors=("mental_health",), overall_score=score, overall_rating=rating,
            overall_coverage=coverage, critical_gaps=critical))
    return summariser.finish(sort="score")


def test_outliers_worst_first_critical_then_thin_then_furthest_below_then_score_then_name(
        batch: BatchResult) -> None:
    found = outlier_batch(batch, OUTLIER_CASES).outliers
    # Rated scores 30, 45, 70, 70, 72, 72, 74, 74, 75, 76, 76, 78 (the thin ones are not
    # rated): lower quartile 70.0, median 73.0, upper quartile 75.2; fence 70 - 1.5 x 5.2.
    far = ("points below the mental health median of 73.0: beyond the sector's usual spread "
           "(under 62.2, its lower quartile less 1.5 times the interquartile range)")
    thin = "thin submission: evidences 20% of the questionnaire, under the 60% needed for a rating"
    assert [(o.index, o.organisation, o.below_median, [r.kind for r in o.reasons],
             [r.text for r in o.reasons]) for o in found] == [
        (13, "Two critical", 0.0, ["critical_gap"],
         ["states 2 critical criteria not met or partly met"]),
        (12, "One critical and thin", 0.0, ["critical_gap", "thin_submission"],
         ["states 1 critical criterion not met or partly met",
          f"{thin}; rated on the failures it states"]),
        (11, "One critical, lower", 0.0, ["critical_gap"],
         ["states 1 critical criterion not met or partly met"]),
        (10, "One critical", 0.0, ["critical_gap"],
         ["states 1 critical criterion not met or partly met"]),
        (9, "Thin A", 0.0, ["thin_submission"], [thin]),
        (8, "Thin B", 0.0, ["thin_submission"], [thin]),
        (7, "Far below", 43.0, ["far_below_sector"], [f"scores 30.0, 43.0 {far}"]),
        (6, "Less far below", 28.0, ["far_below_sector"], [f"scores 45.0, 28.0 {far}"]),
    ]


@pytest.mark.parametrize(("scores", "flagged"), [
    # Three rated scores are too few for quartiles: 20 is not called far below.
    ((70.0, 72.0, 20.0), []),
    # Four are enough (OUTLIER_MIN_GROUP): lower quartile 57.5, upper 72.5, fence 35.0.
    ((70.0, 72.0, 20.0, 74.0), ["Trust 2"]),
    # A usual spread flags nobody.
    ((70.0, 72.0, 74.0, 75.0, 76.0, 78.0), []),
])
def test_far_below_needs_four_rated_scores_in_the_sector(
        batch: BatchResult, scores: tuple[float, ...], flagged: list[str]) -> None:
    sector = outlier_batch(batch, tuple((f"Trust {i}", s, "amber", 90.0, 0)
                                        for i, s in enumerate(scores)))
    assert [o.organisation for o in sector.outliers] == flagged
    assert re.findall(r'<tr id="t\d+" data-name="([^"]+) t\d\.yaml"[^>]*data-outlier="1">',
                      render(sector)) == [name.lower() for name in flagged]


def test_charts_are_inline_svg_with_text_labels() -> None:
    sector = sector_of(21)
    page = render(sector)
    charts = between(page, '<section id="charts"', "</section>")
    assert charts.count("<svg ") == 2
    assert '<figcaption id="chart-questions-c">Ratings by board question</figcaption>' in charts
    assert '<figcaption id="chart-regions-c">Overall ratings by NHS England region</figcaption>' \
        in charts
    assert 'role="img" aria-labelledby="chart-questions-c"' in charts
    for title in ("Overall", *sector.category_titles):
        assert f'text-anchor="end">{html.escape(title)}</text>' in charts
    london = next(g for g in sector.breakdowns[0].groups if g.name == "london")
    members = sum(london.overall.ratings.values())
    assert 'text-anchor="end">London</text>' in charts
    assert f">{members} trusts · median " in charts
    # Every segment is a share in words as well as in colour.
    assert re.search(r'text-anchor="middle">[GARI?] \d+%</text>', charts)
    assert "<title>London: green " in charts


def test_breakdowns_by_region_and_icb_are_one_body_per_group() -> None:
    sector = sector_of(21)
    page = render(sector)
    section = between(page, '<section id="breakdowns"', "</section>")
    for key, caption in (("region", "By NHS England region"), ("icb", "By ICB"),
                         ("sector", "By sector"), ("legal_form", "By legal form"),
                         ("governance_model", "By governance model")):
        assert f'<h3 id="by-{key}">{caption}</h3>' in section
    region = between(section, "<caption>Trusts, median score and ratings by NHS England "
                     "region: overall, then each board question</caption>", "</table>")
    # A body per group: its overall row, then a row per board question.
    assert region.count('<th scope="rowgroup"') == len(REGIONS)
    assert region.count("<tr>") == 1 + len(REGIONS) * (1 + len(sector.category_ids))
    london = next(g for g in sector.breakdowns[0].groups if g.name == "london")
    members = sum(london.overall.ratings.values())
    assert (f'<tbody><tr><th scope="rowgroup" class="group" rowspan="6">London</th>'
            f'<th scope="row" class="group">Overall</th><td class="num">{members}</td>'
            ) in region
    icb = between(section, "<caption>Trusts, median score and ratings by ICB: overall, then "
                  "each board question</caption>", "</table>")
    assert icb.count('<th scope="rowgroup"') == 6


GROUP_HEAD = re.compile(r'<tbody class="group"><tr class="group-head"><th scope="rowgroup" '
                        r'colspan="(\d+)" id="g\d+">([^<]*) <span class="sub">(\d+) trusts?'
                        r'<span class="group-shown"></span> · ([^<]*)</span></th></tr>')


@pytest.mark.parametrize("sort", ["region", "icb", "sector", "legal_form", "governance_model"])
def test_grouped_sorts_put_each_group_under_a_heading_as_the_terminal_does(sort: str) -> None:
    from boardcheck.formats.wording import group_label
    from boardcheck.summary import BREAKDOWNS

    sector = sector_of(30, sort)
    page = render(sector)
    check_html(page)
    table = between(page, '<table id="trust-table">', "</table>")
    heads = GROUP_HEAD.findall(table)
    # One heading per group of the breakdown, with the breakdown's count: a trust in two
    # sectors is under both (the test's trusts each have two sectors, two models).
    (found,) = [b for b in sector.breakdowns if b.key == sort]
    title = next(t for key, t, _ in BREAKDOWNS if key == sort)
    assert sorted((h[1], int(h[2])) for h in heads) == sorted(
        (html.escape(f"{title}: {group_label(sort, g.name)}"), g.overall.rated)
        for g in found.groups)
    # In the order of the grouped views (names, the group recording none last).
    assert [h[1] for h in heads] == [html.escape(f"{title}: {group_label(sort, g.name)}")
                                     for g in sector.league_groups]
    bodies = table.split('<tbody class="group">')[1:]
    assert [int(h[2]) for h in heads] == [body.count("<tr data-t=") + body.count('<tr id="t')
                                          for body in bodies]
    # Each trust's anchor once, under its first group.
    assert table.count('<tr id="t') == len(sector.rows)
    assert table.count("<tbody") == len(heads) and table.count("</tbody>") == len(heads)
    assert "#trust-table tr.group-head th" in page  # the grouped style
    assert "within each group" in page  # the grouped script


def test_a_region_headings_median_is_the_regions_in_the_breakdown() -> None:
    sector = sector_of(30, "region")
    heads = GROUP_HEAD.findall(render(sector))
    (regions,) = [b for b in sector.breakdowns if b.key == "region"]
    expected = [f"overall median {g.overall.median:.1f} of the {g.overall.n} rated green, "
                "amber or red" for g in regions.groups]
    assert [h[3] for h in heads] == expected
    london = next(h for h in heads if h[1] == "NHS England region: London")
    assert int(london[2]) == sum(r.region == "london" for r in sector.rows)


@pytest.mark.parametrize("sort", ["score", "worst", "name", "SA"])
def test_other_sorts_have_no_group_headings_and_the_plain_script(sort: str) -> None:
    from boardcheck.formats.html_batch import GROUPED_SCRIPT, SCRIPT

    sector = sector_of(14, sort)
    page = render(sector)
    assert "group-head" not in page and "tr.group-head" not in page
    assert f"<script>{SCRIPT}</script>" in page and GROUPED_SCRIPT not in page
    table = between(page, '<table id="trust-table">', "</table>")
    assert table.count("<tbody>") == 1


def test_common_gaps_show_counts_and_shares(batch: BatchResult) -> None:
    page = render(batch)
    assert batch.common_gaps
    for gap in batch.common_gaps:
        assert f'<th scope="row">{gap.criterion}</th>' in page
        share = f"{100 * gap.not_met / len(batch.rows):.0f}%"
        assert (f'<td class="num">{gap.not_met} <span class="sub">{share}</span></td>') in page
    assert batch.duplicates  # mini-two.yaml and its copy share a name
    for dup in batch.duplicates:
        for file in dup.files:
            assert f"<code>{html.escape(file)}</code>" in page


def test_empty_batch_still_renders(batch: BatchResult) -> None:
    empty = dataclasses.replace(batch, rows=(), errors=(), search_problems=(), common_gaps=(),
                                duplicates=(), by_sector=(), by_model=(), breakdowns=(),
                                outliers=())
    page = render(empty)
    check_html(page)
    assert "No submission could be evaluated." in page
    assert "None: every file found was evaluated." in page
    assert "<p>None: no trust states a critical criterion failing" in page


def test_insufficient_evidence_is_not_ranked_and_sorts_last(batch: BatchResult) -> None:
    thin = dataclasses.replace(
        batch.rows[0], index=9, file="thin.yaml", organisation="Aardvark Thin NHS Trust",
        overall_score=99.0, overall_rating="insufficient_evidence", overall_coverage=12.5,
        overall_explanation="insufficient evidence: 12.5% of the questionnaire evidenced "
                            "(minimum 60%)")
    page = render(dataclasses.replace(batch, rows=(*batch.rows, thin)))
    check_html(page)
    table = between(page, '<table id="trust-table">', "</table>")
    ranks = re.findall(r'data-outlier="\d">(<td class="num[^"]*"(?: data-sort="")?>[^<]+)</td>',
                       table)
    assert [r.rpartition(">")[2] for r in ranks] == ["1", "2", "3", "Not ranked"]
    assert ('<td class="cell rating-insufficient_evidence" data-sort="" title="Insufficient '
            "evidence, score 99.0, 12.5% evidenced (12.5% of the questionnaire evidenced "
            '(minimum 60%))"><span aria-hidden="true">I 99.0 · 12%</span>') in table
    assert ".rating-insufficient_evidence { background: repeating-linear-gradient(" in page


def test_the_page_is_written_in_pieces_never_whole() -> None:
    sector = sector_of(200)
    pieces = list(page_pieces(sector))
    page = "".join(pieces)
    assert len(page) > 400_000
    assert max(len(p) for p in pieces) < 20_000
    out = io.StringIO()
    writer = WRITER(out, sector.catalogue, sort="score")  # type: ignore[arg-type]
    for row in sector.rows:
        writer.add(row)
    writer.finish(sector)
    assert out.getvalue() == page == render(sector)


def test_collaborative_view_goes_after_the_trusts_and_is_in_the_contents(
        batch: BatchResult) -> None:
    page = render(batch)
    check_html(page)
    assert '<li><a href="#trusts">Trusts</a></li><li><a href="#collaboratives">' in page
    assert page.index('id="trusts"') < page.index('<section id="collaboratives"') < page.index(
        'id="breakdowns"')


# --- a real browser --------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(not HAVE_BROWSER, reason=BROWSER_MISSING)


def printed_to_a4(tmp_path: Path, document: str) -> tuple[Path, str]:
    """The page printed by Chromium, checked to be A4 with every word within the page's
    width (nothing cut off at the right edge); the PDF and its pdfinfo."""
    page = tmp_path / "batch.html"
    page.write_text(document, encoding="utf-8")
    pdf = tmp_path / "batch.pdf"
    run = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists() and pdf.stat().st_size > 0, run.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "(A4)" in info
    width = re.search(r"^Page size:\s+([\d.]+) x", info, re.M)
    assert width is not None
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    right = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"',
                                          boxes)]
    assert right and max(right) <= float(width.group(1))
    return pdf, info


@needs_browser
def test_200_trusts_print_to_a4_within_the_page_width(tmp_path: Path) -> None:
    sector = sector_of(200)
    pdf, info = printed_to_a4(tmp_path, render(sector))
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    # Up to 24: the names folded into a closed <details> ("and 30 more") print in full.
    assert pages is not None and 4 <= int(pages.group(1)) <= 24, info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = " ".join(text.split())
    for row in sector.rows:  # every trust printed
        assert f" R{row.index:03d} " in words, row.organisation
    assert "Outliers" in words and "By NHS England region" in words
    assert "Name or ODS code" not in words  # the filter is for the screen
    # The table's headings repeat on the next page (Chromium once left them blank).
    second = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Rank +Trust +Region +Sector ", second, re.M), second[:400]


@needs_browser
def test_filter_and_search_work_in_chromium(tmp_path: Path) -> None:
    sector = sector_of(21)
    document = render(sector).replace("</body>", """<script>
var f = document.getElementById("trust-filter");
f.elements.region.value = '"london"';
f.dispatchEvent(new Event("change"));
document.body.setAttribute("data-after-region", document.getElementById("trust-status")
  .textContent);
f.elements.q.value = "r011";
f.dispatchEvent(new Event("input"));
document.querySelector("#trust-table thead th:nth-child(2) button").click();
var root = document.documentElement;
document.body.setAttribute("data-sideways", String(root.scrollWidth > root.clientWidth));
</script></body>""")
    page = tmp_path / "batch.html"
    page.write_text(document, encoding="utf-8")
    run = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--window-size=1024,800",
                   "--dump-dom", page.as_uri())
    dom = run.stdout
    # Wide tables scroll in their own region: the page itself never scrolls sideways.
    assert 'data-sideways="false"' in dom
    london = [r for r in sector.rows if r.region == "london"]
    assert f'data-after-region="Showing {len(london)} of 21 trusts."' in dom
    shown = re.findall(r'<tr id="t(\d+)"(?![^>]*hidden)[^>]*>', dom)
    assert shown == ["11"]  # R011 is in London
    assert "Showing 1 of 21 trusts. Sorted by Trust, ascending." in dom
    assert '<th scope="col" data-type="text" aria-sort="ascending"><button type="button" ' \
        'class="sort">Trust</button></th>' in dom
    assert 'id="trust-filter" class="filter" role="search"' in dom  # the script showed it
    noisy = [line for line in run.stderr.splitlines()
             if ("Uncaught" in line or "CONSOLE" in line) and "batch.html" in line]
    assert not noisy, noisy


@needs_browser
def test_grouped_filter_hides_a_group_none_of_whose_rows_show_in_chromium(
        tmp_path: Path) -> None:
    sector = sector_of(21, "region")
    document = render(sector).replace("</body>", """<script>
var f = document.getElementById("trust-filter");
f.elements.region.value = '"london"';
f.dispatchEvent(new Event("change"));
document.body.setAttribute("data-after-region", document.getElementById("trust-status")
  .textContent);
f.elements.region.value = "";
f.elements.q.value = "ash";
f.dispatchEvent(new Event("input"));
document.querySelector("#trust-table thead th:nth-child(2) button").click();
</script></body>""")
    page = tmp_path / "batch.html"
    page.write_text(document, encoding="utf-8")
    run = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--window-size=1024,800",
                   "--dump-dom", page.as_uri())
    dom = run.stdout
    london = [r for r in sector.rows if r.region == "london"]
    assert f'data-after-region="Showing {len(london)} of 21 trusts."' in dom
    # Searched for "ash": each region keeps the Ash trusts, its heading saying how many of
    # its rows show; each group sorted by name within itself.
    ash = [r for r in sector.rows if (r.organisation or "").lower().startswith("ash")]
    bodies = re.findall(r'<tbody class="group"( hidden="")?>(.*?)</tbody>', dom, re.S)
    assert len(bodies) == len(REGIONS)
    for hidden, body in bodies:
        region = re.search(r'id="g\d+">NHS England region: ([^<]*) ', body)
        assert region is not None
        rows = [r for r in sector.rows
                if r.region and r.region.replace("_", " ") == region.group(1).lower()]
        shown = re.findall(r'<tr id="t(\d+)"(?![^>]*hidden)[^>]*>', body)
        expected = sorted((r for r in rows if r in ash), key=lambda r: r.organisation or "")
        assert shown == [str(r.index) for r in expected]
        assert bool(hidden) == (not expected)
        note = re.search(r'<span class="group-shown">([^<]*)</span>', body)
        assert note is not None
        assert note.group(1) == ("" if len(expected) == len(rows) else
                                 f" ({len(expected)} shown)")
    assert f"Showing {len(ash)} of 21 trusts. Sorted by Trust, ascending, within each " \
        "group." in dom
    noisy = [line for line in run.stderr.splitlines()
             if ("Uncaught" in line or "CONSOLE" in line) and "batch.html" in line]
    assert not noisy, noisy


@needs_browser
def test_200_trusts_grouped_by_region_print_to_a4_with_their_headings(tmp_path: Path) -> None:
    sector = sector_of(200, "region")
    pdf, _ = printed_to_a4(tmp_path, render(sector))
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for row in sector.rows:
        assert f" R{row.index:03d} " in text, row.organisation
    for region in ("East of England", "London", "Midlands", "North East and Yorkshire",
                   "North West", "South East", "South West"):
        count = sum(group_words_of(r.region) == region for r in sector.rows)
        assert f"NHS England region: {region} {count} trusts · overall median" in text


def group_words_of(region: str | None) -> str | None:
    from boardcheck.summary import group_words

    return None if region is None else group_words("region", region)


# --- check --papers DIR ---------------------------------------------------------------------

PAPERS = {"strong-acute-ft.yaml": "ZZA", "middling-community-mh.yaml": "ZZB",
          "weak-acute.yaml": "ZZC"}


@pytest.fixture
def members(tmp_path: Path) -> Path:
    folder = tmp_path / "members"
    folder.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    (folder / "broken.yaml").write_text("organisation: [one,\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_papers_one_per_member_named_by_ods_code_and_linked(
        members: Path, tmp_path: Path, jobs: str) -> None:
    out, papers = tmp_path / "out" / "sector.html", tmp_path / "papers"
    out.parent.mkdir()
    run = run_cli("check", str(members), "-f", "html", "-o", str(out), "--papers", str(papers),
                  "--jobs", jobs)
    assert run.exit_code == 2  # the broken file
    assert run.stderr.splitlines()[:3] == [
        f"wrote sector report (HTML) to {out}", f"wrote 3 board papers (HTML) to {papers}",
        f"{members}/broken.yaml:2:1: YAML syntax error: did not find expected node content "
        "(while parsing a flow node started at line 2, column 1)"]
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.html", "ZZB.html", "ZZC.html"]
    page = out.read_text(encoding="utf-8")
    for code in PAPERS.values():
        assert re.search(rf'<th scope="row" data-sort="[^"]*"><a href="\.\./papers/{code}\.html">'
                         "[^<]+</a>", page), code
    # Each paper is the one `check FILE -f html -o PAPER` writes.
    alone = tmp_path / "alone.html"
    assert run_cli("check", str(members / "weak-acute.yaml"), "-f", "html", "-o",
                   str(alone)).exit_code == 0
    assert (papers / "ZZC.html").read_bytes() == alone.read_bytes()


def test_papers_beside_another_format_and_without_an_ods_code(
        members: Path, tmp_path: Path) -> None:
    text = (members / "weak-acute.yaml").read_text(encoding="utf-8")
    (members / "weak-acute.yaml").unlink()
    (members / "no code here.yaml").write_text(text.replace("ods_code: ZZC", "ods_code: "
                                                            '"../../x"', 1), encoding="utf-8")
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "csv", "--papers", str(papers))
    assert run.exit_code == 2
    assert run.stdout.startswith("file,")
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.html", "ZZB.html",
                                                        "no-code-here.html"]
    assert not (tmp_path / "x.html").exists()


@pytest.mark.skipif(os.sep == "\\", reason="a backslash is a separator on Windows")
def test_a_paper_is_named_from_the_whole_file_name_backslash_and_all(
        members: Path, tmp_path: Path) -> None:
    # On Linux and macOS a backslash is part of a file's name, not a folder: the paper of
    # "north\\south.yaml" was named "south.html", as if the file were "south.yaml".
    text = (members / "weak-acute.yaml").read_text(encoding="utf-8")
    (members / "weak-acute.yaml").unlink()
    (members / "north\\south.yaml").write_text(text.replace("ods_code: ZZC", 'ods_code: "n/a"', 1),
                                               encoding="utf-8")
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "csv", "--papers", str(papers))
    assert run.exit_code == 2  # the broken file
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.html", "ZZB.html",
                                                        "north-south.html"]


def test_papers_refuse_a_clash_an_existing_file_and_an_input(members: Path,
                                                           tmp_path: Path) -> None:
    shutil.copy(members / "weak-acute.yaml", members / "weak-again.yaml")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "ZZA.html").write_text("kept", encoding="utf-8")
    run = run_cli("check", str(members), "-f", "json", "--papers", str(papers), "--jobs", "2")
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert (f"boardcheck: {papers}/ZZC.html: not written: the paper for "
            f"{members}/weak-again.yaml would have the same name as the paper for "
            f"{members}/weak-acute.yaml; give each trust its own ODS code") in lines
    assert (f"boardcheck: {papers}/ZZA.html: already exists; use --force to replace it (the "
            f"paper for {members}/strong-acute-ft.yaml)") in lines
    assert (papers / "ZZA.html").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.html", "ZZB.html", "ZZC.html"]
    # An input is never written over, --force or not.
    sneaky = papers / "ZZB.html"
    shutil.copy(members / "middling-community-mh.yaml", sneaky)
    run = run_cli("check", str(sneaky), str(members / "strong-acute-ft.yaml"), "-f", "csv",
                  "--papers", str(papers), "--force")
    assert run.exit_code == 2
    assert (f"boardcheck: {sneaky}: refusing to write the output over an input file (the "
            f"paper for {sneaky})") in run.stderr.splitlines()
    assert sneaky.read_bytes() == (members / "middling-community-mh.yaml").read_bytes()
    assert (papers / "ZZA.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_papers_folder_that_is_a_file_is_refused_before_checking(members: Path,
                                                                 tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    run = run_cli("check", str(members), "-f", "csv", "--papers", str(taken))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"boardcheck: --papers: {taken}: is not a folder\n"


@pytest.mark.parametrize("fmt", ["html", "markdown"])  # written as checked; rendered at the end
def test_a_refused_output_leaves_no_papers_folder_and_no_papers(
        members: Path, tmp_path: Path, fmt: str) -> None:
    papers = tmp_path / "papers"
    out = tmp_path / f"sector.{fmt}"
    out.write_text("kept", encoding="utf-8")
    run = run_cli("check", str(members), "-f", fmt, "-o", str(out), "--papers", str(papers))
    assert run.exit_code == 2
    assert run.stderr == f"boardcheck: {out}: already exists; use --force to replace it\n"
    assert not papers.exists()
    assert out.read_text(encoding="utf-8") == "kept"
    nowhere = tmp_path / "nowhere" / f"sector.{fmt}"
    run = run_cli("check", str(members), "-f", fmt, "-o", str(nowhere), "--papers", str(papers))
    assert run.exit_code == 2
    assert run.stderr == (f"boardcheck: {nowhere}: cannot write here: No such file or "
                          "directory\n")
    assert not papers.exists() and not nowhere.parent.exists()
    # The page may go into the papers' own folder: it is made once everything is checked.
    inside = papers / f"index.{fmt}"
    run = run_cli("check", str(members), "-f", fmt, "-o", str(inside), "--papers", str(papers))
    assert run.exit_code == 2  # broken.yaml
    assert sorted(p.name for p in papers.iterdir()) == [
        "ZZA.html", "ZZB.html", "ZZC.html", f"index.{fmt}"]


def test_a_papers_folder_that_cannot_be_made_is_refused_before_checking(
        members: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    below = tmp_path / "taken" / "papers"
    run = run_cli("check", str(members), "-f", "csv", "--papers", str(below))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"boardcheck: --papers: {below}: cannot create the folder: Not a " \
        "directory\n"


def test_json_and_csv_name_each_members_paper_only_with_papers(
        members: Path, tmp_path: Path) -> None:
    papers, out = tmp_path / "papers", tmp_path / "out"
    out.mkdir()
    run = run_cli("check", str(members), "-f", "json", "-o", str(out / "sector.json"),
                  "--papers", str(papers))
    assert run.exit_code == 2  # broken.yaml
    data = json.loads((out / "sector.json").read_text(encoding="utf-8"))
    # Relative to the document's folder, as the HTML page links them.
    assert {r["organisation"]["ods_code"]: r["paper"] for r in data["results"]} == {
        code: f"../papers/{code}.html" for code in PAPERS.values()}
    assert all(list(r)[-1] == "paper" for r in data["results"])
    plain = json.loads(run_cli("check", str(members), "-f", "json").stdout)
    assert all("paper" not in r for r in plain["results"])
    assert [{k: v for k, v in r.items() if k != "paper"} for r in data["results"]] == \
        plain["results"]

    run = run_cli("check", str(members), "-f", "csv", "-o", str(out / "sector.csv"),
                  "--papers", str(papers), "--force")
    assert run.exit_code == 2
    rows = list(csv.reader(io.StringIO((out / "sector.csv").read_text(encoding="utf-8"))))
    head = rows[0]
    assert head[-3:] == ["paper", "thresholds_failed", "error"]
    column = head.index("paper")
    assert {r[head.index("ods_code")]: r[column] for r in rows[1:]} == {
        **{code: f"../papers/{code}.html" for code in PAPERS.values()}, "": ""}
    # Without --papers the CSV is what it always was: no paper column, the same bytes.
    plain_csv = run_cli("check", str(members), "-f", "csv").stdout
    assert "paper" not in plain_csv.splitlines()[0].split(",")
    assert [r[:column] + r[column + 1:] for r in rows] == \
        list(csv.reader(io.StringIO(plain_csv)))
    excel = run_cli("check", str(members), "-f", "csv", "--excel", "--papers", str(papers),
                    "--force").stdout
    titles = next(r for i, r in enumerate(csv.reader(io.StringIO(excel))) if i == 1)
    assert titles[column] == "Board paper (where it was written)"


def test_word_papers_with_the_docx_extra(members: Path, tmp_path: Path) -> None:
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "docx", "--papers", str(papers))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.docx", "ZZB.docx", "ZZC.docx"]
    assert (papers / "ZZA.docx").read_bytes()[:2] == b"PK"
    run = run_cli("check", str(members), "-f", "docx", "--papers", str(papers), "-o",
                  str(tmp_path / "x.docx"))
    assert run.exit_code == 2
    assert "writes only the papers" in run.stderr


def test_the_page_through_the_cli_is_the_same_whatever_the_job_count(members: Path) -> None:
    one = run_cli("check", str(members), "-f", "html", "--jobs", "1")
    two = run_cli("check", str(members), "-f", "html", "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout
    check_html(one.stdout)
    assert one.stdout.count('<tr id="t') == 3
    assert "broken.yaml:2:1: YAML syntax error" in one.stdout


def test_papers_for_one_file_make_it_a_batch_of_one(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    run = run_cli("check", str(EXAMPLES / "strong-acute-ft.yaml"), "-f", "html", "--papers",
                  str(papers))
    assert run.exit_code == 0
    assert "<h1>Collaborative governance readiness: batch report</h1>" in run.stdout
    assert sorted(p.name for p in papers.iterdir()) == ["ZZA.html"]


@pytest.mark.usefixtures("interrupt_after_two")
def test_papers_written_before_ctrl_c_are_kept(members: Path, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "html", "--papers", str(papers))
    assert run.exit_code == 130
    assert "INCOMPLETE: the run was interrupted" in run.stdout
    assert run.stderr.splitlines()[-2:] == [
        "boardcheck: interrupted: the output holds only the files checked so far",
        "boardcheck: interrupted: the board papers written do not all show where partners "
        "describe a collaborative differently; run again to complete them"]
    # The first two files in input order: broken.yaml (no paper) and the middling trust's.
    assert sorted(p.name for p in papers.iterdir()) == ["ZZB.html"]
    # On stdout the page's links are relative to the current folder.
    link = quote(Path(os.path.relpath(papers / "ZZB.html")).as_posix())
    assert f'<a href="{html.escape(link)}">' in run.stdout


def test_word_papers_without_the_docx_extra_are_refused_before_checking(
        members: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from boardcheck.formats import docx_paper

    monkeypatch.setattr(docx_paper, "HAVE_DOCX", False)
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "docx", "--papers", str(papers))
    assert run.exit_code == 2
    assert run.stderr == ("boardcheck: Word output needs python-docx: pip install "
                          "'boardcheck[docx]'\n")
    assert not papers.exists()


def test_papers_carry_the_cover_sheet_and_marking_from_flags_and_configuration(
        members: Path, tmp_path: Path) -> None:
    # Each member's paper is the paper `check FILE` would write with the same settings: the
    # configuration's [paper] table and the paper flags reach every worker.
    config = tmp_path / ".boardcheck.toml"
    config.write_text('[paper]\nauthor = "Jo Bloggs, Company Secretary"\n', encoding="utf-8")
    (members / "broken.yaml").unlink()
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "json", "--config", str(config),
                  "--marking", "OFFICIAL-SENSITIVE", "--papers", str(papers))
    assert run.exit_code == 0, run.stderr
    alone = tmp_path / "alone.html"
    assert run_cli("check", str(members / "weak-acute.yaml"), "-f", "html", "-o", str(alone),
                   "--config", str(config), "--marking", "OFFICIAL-SENSITIVE").exit_code == 0
    paper = (papers / "ZZC.html").read_text(encoding="utf-8")
    assert paper == alone.read_text(encoding="utf-8")
    assert "Jo Bloggs, Company Secretary" in paper and "OFFICIAL-SENSITIVE" in paper
