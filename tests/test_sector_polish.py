"""What a new user's trial of the batch's sector view found (issue 12), through the CLI:
per-question shares in the HTML breakdowns; capped ratings explained in HTML, markdown and
the workbook; one meaning of rank in every format; words, not identifiers, where a person
reads; the group visible under --sort region; the terminal's smaller faults; and the
members' papers linked from the workbook.

The batch is five trusts (three strong acute trusts in the Midlands, the middling community
and mental health trust in the North West, the weak acute trust in the South West): the
strong ones have a question capped amber, the middling one its overall rating capped and
the weak one its overall rating set red by a rule. Exact expected output in
tests/golden/sector-polish/ (regenerate with BOARDCHECK_UPDATE_GOLDEN=1 and review the diff
when a change is intended)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import check_html
from tests.test_sector_views import sector as five  # noqa: F401 (a fixture)
from tests.test_spreadsheets import _golden


def golden(name: str, actual: str) -> str:
    return _golden(f"sector-polish/{name}", actual)


@pytest.fixture
def sector(five: Path, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """The five trusts in `sector/` under the working directory (so every path a report
    prints is the same on every machine), and an `out/` folder to write to."""
    monkeypatch.chdir(five.parent)
    (five.parent / "out").mkdir()
    return five.name


def html_page(sector: str, *args: str) -> str:
    run = run_cli("check", sector, "-o", "out/sector.html", *args)
    assert run.exit_code == 0, run.stderr
    page = Path("out/sector.html").read_text(encoding="utf-8")
    check_html(page)
    return page


def between(text: str, start: str, end: str) -> str:
    part = text[text.index(start):]
    return part[:part.index(end) + len(end)]


# --- 1. the HTML breakdowns give every question's shares -----------------------------------


def test_html_breakdowns_give_each_question_its_shares_in_words(sector: str) -> None:
    """Per group a row for the overall rating and one per board question, each with the
    count and share of green, amber, red, insufficient evidence and inconclusive, and the
    median (quartiles): what the terminal, markdown, JSON and workbook give."""
    section = between(html_page(sector), '<section id="breakdowns"', "</section>")
    section = section.replace("</tr>", "</tr>\n").replace("<tbody>", "\n<tbody>")
    assert section == golden("breakdowns.html", section)


# --- 2. a capped rating says why outside the terminal --------------------------------------


def test_html_marks_a_capped_question_and_says_why_in_the_cell_and_under_the_table(
        sector: str) -> None:
    page = html_page(sector)
    row = between(page, '<tr id="t1" ', "</tr>")
    assert ('<td class="cell rating-amber" data-sort="85.5" title="Amber, score 85.5, 96.8% '
            "evidenced (capped by PI03 (Terms of reference approved by every member board), "
            'not met)"><span aria-hidden="true">A 86* · 97%</span><span class="vh">Amber, '
            "score 85.5, 96.8% evidenced (capped by PI03 (Terms of reference approved by "
            "every member board), not met)</span></td>") in row
    assert ("<strong>*</strong> after a score: the rating is capped or set by a rule, not the "
            "one the score alone gives") in page
    notes = between(page, '<h3 id="capped">', "</ul>")
    assert notes == golden("capped.html", notes)


def test_markdown_marks_a_capped_question_and_lists_why_under_the_table(sector: str) -> None:
    run = run_cli("check", sector, "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == golden("sector.md", run.stdout)


def test_workbook_says_why_each_question_is_rated_as_it_is(sector: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", sector, "-o", "out/sector.xlsx").exit_code == 0
    trusts = openpyxl.load_workbook("out/sector.xlsx")["Trusts"]
    header = [c.value for c in trusts[1]]
    explained = [h for h in header if h.endswith("explained")]
    assert explained == ["Overall rating explained",
                         "Strategy alignment: rating explained",
                         "Proportionate infrastructure: rating explained",
                         "Resourcing: rating explained", "Risk management: rating explained",
                         "Performance fallback: rating explained"]
    at = header.index("Proportionate infrastructure: rating explained")
    assert [(r[1], r[at]) for r in trusts.iter_rows(min_row=2, values_only=True)] == [
        ("Strong 1 NHS FT", "amber: capped by PI03 (Terms of reference approved by every "
                            "member board), not met"),
        ("Strong 2 NHS FT", "amber: capped by PI03 (Terms of reference approved by every "
                            "member board), not met"),
        ("Strong 3 NHS FT", "amber: capped by PI03 (Terms of reference approved by every "
                            "member board), not met"),
        ("Marrowdene Community and Mental Health NHS Trust",
         "amber: capped by PI04 (Terms of reference reviewed within 12 months), not met"),
        ("Sallowmere General Hospitals NHS Trust", "red")]


# --- 3. a rank means a trust's place in the league, in every format ------------------------


def _html_ranks(page: str) -> list[tuple[str, str]]:
    table = between(page, '<table id="trust-table">', "</table>")
    return re.findall(r'<td class="num[^"]*"(?: data-sort="")?>([^<]+)</td><th scope="row" '
                      r'data-sort="([^"]+)"', table)


def _terminal_ranks(*args: str) -> list[tuple[str, str]]:
    out = run_cli("check", *args, env={"COLUMNS": "200"}).stdout
    league = out[out.index("League table"):out.index("Questions: ")]
    return [(line.split()[0], " ".join(line.split()[1:4])) for line in league.splitlines()
            if line[:1].isdigit()]


@pytest.mark.parametrize(("sort", "expected", "sorted_column"), [
    ("worst", ["5", "4", "1", "2", "3"], '<th scope="col" data-type="number" '
                                         'aria-sort="descending">Rank</th>'),
    ("region", ["1", "2", "3", "4", "5"], '<th scope="col" data-type="number">Rank</th>'),
])
def test_html_ranks_are_league_places_as_in_the_terminal(
        sector: str, sort: str, expected: list[str], sorted_column: str) -> None:
    """Worst first, the worst trust is still fifth in the league; grouped by region, no
    column claims to be in order."""
    page = html_page(sector, "--sort", sort)
    shown = _html_ranks(page)
    assert [rank for rank, _ in shown] == expected
    assert [(rank, " ".join(name.split()[:3])) for rank, name in shown] == \
        _terminal_ranks(sector, "--sort", sort)
    assert sorted_column in page
    head = between(page, '<table id="trust-table">', "</thead>")
    assert head.count("aria-sort=") == (1 if sort == "worst" else 0)
