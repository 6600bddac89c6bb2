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

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import BROWSER_MISSING, HAVE_BROWSER, check_html, chromium
from tests.test_sector_views import STRONG, sheets_as_csv
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
    return [(line.split()[0], " ".join(line.split()[1:3])) for line in league.splitlines()
            if line[:1].isdigit()]


@pytest.mark.parametrize(("sort", "expected", "sorted_column"), [
    ("worst", ["5", "4", "1", "2", "3"], '<th scope="col" data-type="number" '
                                         'aria-sort="descending">Rank</th>'),
    # Midlands 1-3, North West 1, South West 1: a rank within the region, and headed so.
    ("region", ["1", "2", "3", "1", "1"], '<th scope="col" data-type="number">Rank in '
                                          "region</th>"),
])
def test_html_ranks_are_league_places_as_in_the_terminal(
        sector: str, sort: str, expected: list[str], sorted_column: str) -> None:
    """Worst first, the worst trust is still fifth in the league; grouped by region, each
    trust's rank within its region, as the column's heading says, and no column claims to
    be in order."""
    page = html_page(sector, "--sort", sort)
    shown = _html_ranks(page)
    assert [rank for rank, _ in shown] == expected
    assert [(rank, " ".join(name.split()[:2])) for rank, name in shown] == \
        _terminal_ranks(sector, "--sort", sort)
    assert sorted_column in page
    head = between(page, '<table id="trust-table">', "</thead>")
    assert head.count("aria-sort=") == (1 if sort == "worst" else 0)


# --- 4 and 5. words, not identifiers; the group shown under --sort region -------------------


def test_terminal_gives_sector_region_and_model_in_words_and_each_region_a_heading(
        sector: str) -> None:
    """At 200 columns the league shows Sector, Region and Model in the breakdowns' words
    (wrapped, never cut: "North East and Yorkshire" is not "north_east_a…"); under --sort
    region each region's trusts stand under a line naming it."""
    run = run_cli("check", sector, "--sort", "region", env={"COLUMNS": "200"})
    assert run.exit_code == 0, run.stderr
    league = run.stdout[:run.stdout.index("\nQuestions: ")]
    assert league == golden("sector-region.rich.txt", league)
    assert "_" not in league


def test_markdown_names_the_group_of_each_row_under_sort_by_a_breakdown(sector: str) -> None:
    run = run_cli("check", sector, "--sort", "icb", "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    table = run.stdout[run.stdout.index("| # in ICB |"):run.stdout.index("\n\n", run.stdout.index(
        "| # in ICB |"))]
    assert table == golden("sector-icb.md", table)


def test_workbook_gives_groups_and_the_sort_in_words_and_keeps_ids_in_the_breakdowns(
        sector: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", sector, "-o", "out/sector.xlsx", "--sort", "region").exit_code == 0
    book = openpyxl.load_workbook("out/sector.xlsx")
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(max_row=6, values_only=True)}
    assert summary["Sorted by"] == "NHS England region, then overall score"
    trusts = book["Trusts"]
    header = [c.value for c in trusts[1]]
    wanted = ["Organisation", "Sectors", "Governance models", "NHS England region",
              "Legal form"]
    assert [[r[header.index(h)] for h in wanted]
            for r in trusts.iter_rows(min_row=2, values_only=True)] == [
        ["Strong 1 NHS FT", "Acute", "Advisory forum, Joint committee", "Midlands",
         "NHS foundation trust"],
        ["Strong 2 NHS FT", "Acute", "Advisory forum, Joint committee", "Midlands",
         "NHS foundation trust"],
        ["Strong 3 NHS FT", "Acute", "Advisory forum, Joint committee", "Midlands",
         "NHS foundation trust"],
        ["Marrowdene Community and Mental Health NHS Trust", "Community, Mental health",
         "Advisory forum, Lead provider", "North West", "NHS trust"],
        ["Sallowmere General Hospitals NHS Trust", "Acute", "Committees in common",
         "South West", "NHS trust"]]
    region = [[c.value for c in r] for r in book["By region"].iter_rows(max_row=2)]
    assert (region[0][-1], region[1][0], region[1][-1]) == ("NHS England region id",
                                                            "Midlands", "midlands")


def test_disagreements_give_a_governance_model_in_words_where_a_person_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Terminal and markdown say "advisory forum"; the JSON keeps "advisory_forum"."""
    fixtures = Path(__file__).resolve().parent / "fixtures" / "collaboratives"
    monkeypatch.chdir(fixtures.parent)
    args = ("check", "collaboratives", "--as-of", "2026-10-01")
    markdown = run_cli(*args, "-f", "markdown").stdout
    assert ("- Disagree on governance model:\n"
            "  - `collaboratives/brookley.yaml:16:23`: advisory forum\n"
            "  - `collaboratives/thornwick.yaml:31:23`: provider leadership board\n"
            ) in markdown
    terminal = run_cli(*args, env={"COLUMNS": "200"}).stdout
    assert ("    Disagree on governance model:\n"
            "      collaboratives/brookley.yaml:16:23: advisory forum\n"
            "      collaboratives/thornwick.yaml:31:23: provider leadership board\n"
            ) in terminal
    document = run_cli(*args, "-f", "json").stdout
    assert '"value": "advisory_forum"' in document


# --- 6. the terminal's smaller faults --------------------------------------------------------


@pytest.fixture
def untidy(sector: str) -> str:
    """The five trusts, a second copy of one (a possible duplicate), a file recording no
    region, ICB, sector, legal form or arrangement, and a file indented with a tab (a long
    message)."""
    folder = Path(sector)
    shutil.copy(folder / "strong-1.yaml", folder / "strong-1-again.yaml")
    (folder / "bare.yaml").write_text(
        "schema_version: 1\norganisation:\n  name: Bare Community NHS Trust\n",
        encoding="utf-8")
    bad = Path(__file__).resolve().parent / "bad" / "tab-indentation.yaml"
    shutil.copy(bad, folder / "zz-tab-indentation.yaml")
    return sector


def test_terminal_at_80_columns_wraps_every_line_with_a_hanging_indent(untidy: str) -> None:
    """Duplicates and problems wrap under their own indent (a line at the first indent is
    always a new one, beginning with its file); nothing passes column 80; every label of a
    group that records nothing is in sentence case."""
    run = run_cli("check", untidy, env={"COLUMNS": "80"})
    assert run.exit_code == 2, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    out = run.stdout
    duplicates = out[out.index("Possible duplicate"):out.index("\n\n", out.index(
        "Possible duplicate"))]
    problems = out[out.index("Could not be evaluated ("):]
    assert f"{duplicates}\n...\n{problems}" == golden("untidy-80.rich.txt",
                                                      f"{duplicates}\n...\n{problems}")
    labels = sorted({line.split("  ")[0].strip() for line in run.stdout.splitlines()
                     if "recorded " in line})
    assert labels == ["Governance model not recorded", "ICB not recorded",
                      "Legal form not recorded", "Region not recorded", "Sector not recorded"]


def test_a_batch_of_one_has_no_empty_heading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(STRONG, tmp_path / "one.yaml")
    run = run_cli("check", "one.yaml", "--papers", "papers", env={"COLUMNS": "100"})
    assert run.exit_code == 0, run.stderr
    assert run.stdout.endswith(
        "Common gaps (criteria most often stated not met, as a share of the trusts checked)\n"
        "  none\n")
    assert "By sector (the 5 most common in each)" not in run.stdout


# --- 7. the workbook links each member's paper -----------------------------------------------


def test_workbook_links_each_trust_to_its_paper_only_with_papers(sector: str,
                                                                 tmp_path: Path) -> None:
    """With --papers, the Trusts sheet's Board paper column after File: the relative path
    the CSV's `paper` column gives, as text and as a hyperlink. Without, no such column and
    no link; and LibreOffice opens the linked workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", sector, "-o", "out/linked.xlsx", "--papers", "out/papers"
                   ).exit_code == 0
    trusts = openpyxl.load_workbook("out/linked.xlsx")["Trusts"]
    header = [c.value for c in trusts[1]]
    assert header[3:6] == ["File", "Board paper", "Sectors"]
    links = [(r[1].value, r[4].value, r[4].hyperlink.target if r[4].hyperlink else None)
             for r in trusts.iter_rows(min_row=2)]
    assert links == [("Strong 1 NHS FT", "papers/ZS1.html", "papers/ZS1.html"),
                     ("Strong 2 NHS FT", "papers/ZS2.html", "papers/ZS2.html"),
                     ("Strong 3 NHS FT", "papers/ZS3.html", "papers/ZS3.html"),
                     ("Marrowdene Community and Mental Health NHS Trust", "papers/ZZB.html",
                      "papers/ZZB.html"),
                     ("Sallowmere General Hospitals NHS Trust", "papers/ZZC.html",
                      "papers/ZZC.html")]
    assert all(Path("out", path).is_file() for _, path, _ in links)
    assert run_cli("check", sector, "-o", "out/plain.xlsx").exit_code == 0
    plain = openpyxl.load_workbook("out/plain.xlsx")["Trusts"]
    assert "Board paper" not in [c.value for c in plain[1]]
    assert not any(c.hyperlink for r in plain.iter_rows() for c in r)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: apt-get install --no-install-recommends "
                    "libreoffice-calc")
    out = sheets_as_csv(soffice, Path("out/linked.xlsx").resolve(), tmp_path / "lo")
    rows = list(csv.reader((out / "linked-Trusts.csv").open(encoding="utf-8")))
    assert [r[4] for r in rows] == ["Board paper", *(path for _, path, _ in links)]


# --- printing: at full size, nothing cut ----------------------------------------------------


@pytest.mark.skipif(not HAVE_BROWSER, reason=BROWSER_MISSING)
def test_the_page_prints_at_full_size_with_every_verdict_whole(sector: str,
                                                               tmp_path: Path) -> None:
    """No table is wider than A4, so Chromium prints the page at its own 8pt rather than
    shrinking it to fit (as it did while each breakdown had a column per question); and a
    verdict wraps after its score rather than losing its share evidenced to an ellipsis."""
    page = Path("out/sector.html")
    html_page(sector)
    pdf = tmp_path / "sector.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
             page.resolve().as_uri())
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    heights = sorted(float(b) - float(a) for a, b in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes))
    assert heights[len(heights) // 2] >= 7.0  # 8pt text, not 70% of it
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    trusts = text[text.index("Rank"):text.index("Ratings capped or set by a rule")]
    assert "…" not in trusts
    assert " ".join(trusts.split()).count("%") == 5 * 6  # every verdict's share evidenced
