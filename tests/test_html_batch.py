"""The HTML batch page: well-formed, self-contained, accessible and escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path

import pytest

from boardcheck.batch import Job, catalogue, run_batch
from boardcheck.errors import Problem
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.html_batch import BATCH
from boardcheck.gates import Gates
from boardcheck.questionnaire import load_questionnaire
from boardcheck.summary import BatchResult, Summariser
from tests.htmlcheck import check_html

FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUESTIONNAIRE = FIXTURES / "questionnaires" / "mini.yaml"
MINI_TWO = FIXTURES / "trusts" / "mini-two.yaml"
EVIL = "Evil <script>alert(1)</script> <b>& Co NHS Trust"


def trust_named(name: str) -> str:
    """mini-two.yaml with another organisation name (quoted as a YAML string)."""
    text = MINI_TWO.read_text(encoding="utf-8")
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text.replace("name: Testshire NHS Trust", f"name: {quoted}", 1)


@pytest.fixture
def batch(tmp_path: Path) -> BatchResult:
    (tmp_path / "evil.yaml").write_text(trust_named(EVIL), encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(MINI_TWO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("organisation: [one,\n  name: <x>\n",
                                          encoding="utf-8")
    files = [MINI_TWO, tmp_path / "evil.yaml", tmp_path / "copy.yaml", tmp_path / "broken.yaml"]
    q = load_questionnaire(str(QUESTIONNAIRE))
    job = Job(questionnaire=str(QUESTIONNAIRE), as_of=None, today=dt.date(2026, 1, 1),
              gates=Gates())
    summariser = Summariser(catalogue(q))
    for row in run_batch(files, job, jobs=1, questionnaire=q):
        summariser.add(row)
    lost = Problem(str(tmp_path / "missing" / "*.yaml"), 1, 1, "no files match this pattern")
    return summariser.finish(sort="score", search_problems=[lost])


def render(batch: BatchResult) -> str:
    return BATCH.render(batch, RenderOptions())


def test_page_is_well_formed_and_every_table_has_a_caption(batch: BatchResult) -> None:
    page = render(batch)
    checker = check_html(page)
    assert checker.tables == page.count("<caption>") >= 5
    assert '<html lang="en-GB">' in page
    assert page.count("<h1>") == 1


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


def test_user_text_is_escaped(batch: BatchResult) -> None:
    page = render(batch)
    assert html.escape(EVIL) in page
    assert "<b>" not in page
    assert "alert(1)</script>" not in page
    assert page.count("<script") == 1  # only the page's own sorting script


def test_organisations_ratings_and_labels_appear(batch: BatchResult) -> None:
    page = render(batch)
    assert "Testshire NHS Trust" in page
    for row in batch.rows:
        assert html.escape(row.organisation or "") in page
        for cat in row.categories:
            letter = {"green": "G", "amber": "A", "red": "R", "insufficient_evidence": "I",
                      "inconclusive": "?"}[cat.rating]
            shown = "—" if cat.score is None else format(cat.score, ".0f")
            covered = "" if cat.coverage is None else f" · {cat.coverage:.0f}%"
            assert f"{letter} {shown}{covered}</span>" in page
    assert '<span aria-hidden="true">A 50 · 50%</span><span class="vh">Amber, score 50.0, ' \
           "50.0% evidenced</span>" in page
    for word in ("Green", "Amber", "Red", "Insufficient evidence", "Inconclusive"):
        assert f"</span> {word}</li>" in page  # the legend
    assert '<td class="rating-amber" data-sort="2">Amber</td>' in page
    assert '<td class="num" data-sort="85">85.0%</td>' in page  # overall coverage
    for title in batch.category_titles:
        assert html.escape(title) in page


def test_league_table_is_sortable_and_starts_with_the_batch_order(batch: BatchResult) -> None:
    page = render(batch)
    league = page[page.index('<table id="league-table">'):]
    league = league[:league.index("</table>")]
    assert league.count('aria-sort="descending"') == 1
    assert 'data-type="number" data-first="descending" aria-sort="descending">Overall' in league
    names = re.findall(r'<th scope="row" data-sort="([^"]*)"', league)
    assert names == [html.escape(row.organisation or row.file) for row in batch.rows]
    by_name = render(dataclasses.replace(batch, sort="name"))
    assert 'data-type="text" aria-sort="ascending">Organisation' in by_name
    assert "getElementById(\"league-table\")" in page


def test_statistics_gaps_and_duplicates(batch: BatchResult) -> None:
    page = render(batch)
    assert "Statistics by sector" in page and "Statistics by governance model" in page
    for group in (*batch.by_sector, *batch.by_model):
        assert f">{html.escape(group.name.replace('_', ' '))}</th>" in page
    assert batch.common_gaps
    for gap in batch.common_gaps:
        assert f'<th scope="row">{gap.criterion}</th>' in page
        assert html.escape(gap.title) in page
    assert batch.duplicates  # mini-two.yaml and its copy share a name
    for dup in batch.duplicates:
        for file in dup.files:
            assert f"<code>{html.escape(file)}</code>" in page


def test_empty_batch_still_renders(batch: BatchResult) -> None:
    empty = dataclasses.replace(batch, rows=(), errors=(), search_problems=(), common_gaps=(),
                                duplicates=(), by_sector=(), by_model=())
    page = render(empty)
    check_html(page)
    assert "No submission could be evaluated." in page
    assert "None: every file found was evaluated." in page


def test_insufficient_evidence_is_not_ranked_and_sorts_last(batch: BatchResult) -> None:
    thin = dataclasses.replace(
        batch.rows[0], file="thin.yaml", organisation="Aardvark Thin NHS Trust",
        overall_score=99.0, overall_rating="insufficient_evidence", overall_coverage=12.5,
        overall_explanation="insufficient evidence: 12.5% of the questionnaire evidenced "
                            "(minimum 60%)")
    page = render(dataclasses.replace(batch, rows=(*batch.rows, thin)))
    check_html(page)
    league = page[page.index('<table id="league-table">'):]
    league = league[:league.index("</table>")]
    ranks = re.findall(r'<tr>\n<td class="num[^"]*"(?: data-sort="")?>([^<]+)</td>', league)
    assert ranks == ["1", "2", "3", "Not ranked"]
    assert ('<td class="num" data-sort="">99.0</td>\n<td class="rating-insufficient_evidence" '
            'data-sort="">Insufficient evidence<span class="sub">12.5% of the questionnaire '
            "evidenced (minimum 60%)</span></td>") in league
    assert ".rating-insufficient_evidence { background: repeating-linear-gradient(" in page
