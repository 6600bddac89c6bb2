"""What a new user's trial of the batch outputs still found (issue 12), through the CLI:
names cut at 80 columns; only the header row frozen in the workbook; league ranks shown
inside groups; headings said twice; sector labels in the data's lower case; thin files'
papers long with one "not recorded" sentence after another.

The batch is seven trusts: the three examples, two more strong acute trusts in the
Midlands (one with a long name, one with a name too long for any terminal) and a second
weak acute trust in the South West. Regions: Midlands 3, North West 1, South West 2, East of
England 1 (the thin mental health trust). Exact expected output in tests/golden/reader-nits/
(regenerate with BOARDCHECK_UPDATE_GOLDEN=1 and review the diff when a change is intended).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli
from tests.htmlcheck import BROWSER_MISSING, HAVE_BROWSER, check_html, chromium
from tests.test_sector_views import MIDDLING, STRONG, THIN, WEAK, _variant
from tests.test_spreadsheets import _golden

LONG = "Harrowfield and Wendmoor Hospitals NHS Foundation Trust"
LONGEST = ("Royal Eastwick, Fennick Vale and Sallowmere Teaching Hospitals and Community "
           "Services NHS Foundation Trust")


def golden(name: str, actual: str) -> str:
    return _golden(f"reader-nits/{name}", actual)


@pytest.fixture
def seven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The batch in `seven/` under the working directory, so every path printed is the
    same on every machine."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "seven"
    folder.mkdir()
    _variant(STRONG, folder, "long.yaml", organisation=LONG, ods="ZL1")
    _variant(STRONG, folder, "longest.yaml", organisation=LONGEST, ods="ZL2")
    _variant(STRONG, folder, "strong.yaml", organisation="Stanby Hospitals NHS Trust",
             ods="ZS1")
    shutil.copy(MIDDLING, folder / "middling.yaml")
    shutil.copy(WEAK, folder / "weak.yaml")
    _variant(WEAK, folder, "weak-2.yaml", organisation="Moorwick Hospitals NHS Trust",
             ods="ZW2")
    shutil.copy(THIN, folder / "thin.yaml")
    (tmp_path / "out").mkdir()
    return folder.name


def terminal(*args: str, columns: int) -> str:
    run = run_cli("check", *args, env={"COLUMNS": str(columns)})
    assert run.exit_code == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= columns
    return run.stdout


def league(out: str) -> str:
    return out[out.index("League table"):out.index("Questions: ")]


# --- 1. names fit the terminal, shortened with a key, never silently -------------------


@pytest.mark.parametrize("columns", [80, 120])
def test_terminal_shortens_long_names_keeps_every_question_and_rank_and_says_where_in_full(
        seven: str, columns: int) -> None:
    """At 80 columns all five questions show; a long name loses its generic words first
    ("NHS Foundation Trust" -> "NHS FT", "and" -> "&", "Hospitals" -> "Hosps"), keeping the
    words that tell it from the others; one too long for any terminal is cut with "…". A key
    under the table lists each short form and says where every name is in full."""
    out = terminal(seven, columns=columns)
    assert league(out) == golden(f"league-{columns}.rich.txt", league(out))
    # The full names are in the reports that have room for them.
    assert LONGEST in run_cli("check", seven, "-f", "markdown").stdout
    assert LONG in run_cli("check", seven, "-f", "markdown").stdout


def test_terminal_key_names_a_width_only_where_one_shows_the_names_in_full(seven: str
                                                                           ) -> None:
    """Reports are laid out at most 140 columns wide: a name no width shows whole sends the
    reader to the other formats only."""
    assert "(COLUMNS=" not in terminal(seven, columns=140)
    fits = run_cli("check", seven, "--sort", "name", env={"COLUMNS": "80"}).stdout
    key = " ".join(fits[fits.index("Names shortened"):fits.index("Questions: ")].split())
    assert key == ("Names shortened to fit (NHS FT for NHS Foundation Trust; & for and; Hosps "
                   "for Hospitals; MH for Mental Health; Comm for Community; Servs for "
                   "Services; … cut short): all are in full in -f markdown, -f html and -f "
                   "xlsx")


def test_terminal_shortens_icb_names_in_the_statistics_and_says_so(seven: str) -> None:
    out = terminal(seven, columns=80)
    icb = out[out.index("By ICB"):out.index("By sector")]
    assert icb == golden("icb-80.rich.txt", icb)


# --- 2. the workbook keeps each row's identity in view ---------------------------------


EXPECTED_PANES = {"Summary": "C9", "By region": "C2", "By ICB": "C2", "By sector": "C2",
                  "By legal form": "C2", "By governance model": "C2", "Common gaps": "E2",
                  "Outliers": "C2", "Collaboratives": "E2", "Trusts": "D2",
                  "Possible duplicates": "C2", "Data dictionary": "C2"}


def test_workbook_freezes_the_header_and_the_identifying_columns(seven: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", seven, "-o", "out/seven.xlsx").exit_code == 0
    book = openpyxl.load_workbook("out/seven.xlsx")
    assert {ws.title: ws.freeze_panes for ws in book} == EXPECTED_PANES
    trusts = book["Trusts"]
    assert [c.value for c in trusts[1]][:3] == ["Rank", "Organisation", "ODS code"]


def test_each_sheet_says_its_frozen_split_as_a_spreadsheet_reads_it(seven: str) -> None:
    """The pane as Excel and LibreOffice read it from the sheet's XML: split after the
    identifying columns and the header row, frozen. (LibreOffice's headless conversion
    drops every view setting, so it cannot show a pane back.)"""
    import zipfile

    assert run_cli("check", seven, "-o", "out/seven.xlsx").exit_code == 0
    with zipfile.ZipFile("out/seven.xlsx") as book:
        trusts = book.read("xl/worksheets/sheet10.xml").decode()
        region = book.read("xl/worksheets/sheet2.xml").decode()
    assert ('<pane xSplit="3" ySplit="1" topLeftCell="D2" activePane="bottomRight" '
            'state="frozen"/>') in trusts
    assert ('<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" '
            'state="frozen"/>') in region


# --- 3. grouped, a rank is the place within the group, and says so ----------------------

# --sort region: East of England (the thin trust, not ranked), Midlands (three strong acute
# trusts), North West (the middling one), South West (the two weak ones).
BY_REGION = [None, "1", "2", "3", "1", "1", "2"]


def test_every_format_ranks_within_the_region_and_says_so(seven: str) -> None:
    out = terminal(seven, "--sort", "region", columns=120)
    ranks = [line.split()[0] for line in league(out).splitlines()
             if line[:1].isdigit() or line.startswith("– ")]
    assert ranks == [r or "–" for r in BY_REGION]
    assert ("# is each trust's rank within its region (by overall score)." in
            " ".join(league(out).split()))

    md = run_cli("check", seven, "--sort", "region", "-f", "markdown").stdout
    table = md[md.index("| # in region |"):]
    table = table[:table.index("\n\n")]
    rows = [line.split(" | ")[0].removeprefix("| ") for line in table.splitlines()[2:]]
    assert rows == [r or "not ranked" for r in BY_REGION]

    assert run_cli("check", seven, "--sort", "region", "-o", "out/seven.html").exit_code == 0
    page = Path("out/seven.html").read_text(encoding="utf-8")
    check_html(page)
    assert '<th scope="col" data-type="number">Rank in region</th>' in page
    table = page[page.index('<table id="trust-table">'):]
    table = table[:table.index("</table>")]
    shown = re.findall(r'<td class="num[^"]*"(?: data-sort="")?>([^<]+)</td><th scope="row"',
                       table)
    assert shown == [r or "Not ranked" for r in BY_REGION]

    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", seven, "--sort", "region", "-o", "out/seven.xlsx").exit_code == 0
    trusts = openpyxl.load_workbook("out/seven.xlsx")["Trusts"]
    # Grouped, the first column names the group each row is listed under.
    assert [trusts["A1"].value, trusts["B1"].value] == ["Listed under (NHS England region)",
                                                        "Rank in region"]
    assert [r[1] for r in trusts.iter_rows(min_row=2, values_only=True)] == [
        None if r is None else int(r) for r in BY_REGION]


def test_in_league_order_a_rank_is_still_the_place_in_the_league(seven: str) -> None:
    md = run_cli("check", seven, "--sort", "worst", "-f", "markdown").stdout
    assert "| # | Organisation |" in md
    assert "rank within" not in terminal(seven, "--sort", "worst", columns=80)


# --- 4. each heading once ------------------------------------------------------------


def test_readiness_is_headed_once_per_collaborative_in_every_batch_format(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)
    folder = "tests/fixtures/collaboratives"
    heading = "Readiness across submitting members"
    out = run_cli("check", folder, "--as-of", "2026-10-01", env={"COLUMNS": "80"}).stdout
    # The terminal says what readiness means once, then "Readiness: ..." per collaborative.
    assert heading not in out
    assert out.count("\nReadiness: the overall ratings of the members whose files describe "
                     "it") == 1
    assert [line.strip() for line in out.splitlines() if line.startswith("    Readiness")] \
        == ["Readiness: no rated score; 3 insufficient evidence",
            "Readiness: no rated score; 2 insufficient evidence"]
    page_file = tmp_path / "c.html"
    assert run_cli("check", folder, "--as-of", "2026-10-01", "-o", str(page_file)
                   ).exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    # Once per collaborative, as its sub-heading; the table under it has its own caption.
    assert page.count(heading) == 2
    assert page.count(f"<h4>{heading}</h4>") == 2
    assert page.count("<caption>Each submitting member&#x27;s ratings</caption>") == 2
    assert "<p>No rated score; 3 insufficient evidence.</p>" in page
    md = run_cli("check", folder, "--as-of", "2026-10-01", "-f", "markdown").stdout
    assert md.count(heading) == 1  # the collaboratives table's column


@pytest.mark.parametrize("fmt", ["html", "markdown-paper"])
def test_the_five_questions_at_a_glance_is_said_once_in_a_paper(fmt: str) -> None:
    run = run_cli("check", str(STRONG), "-f", fmt)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.count("The five questions at a glance") == 1


def test_the_five_questions_at_a_glance_is_said_once_in_a_word_paper(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "strong.docx"
    assert run_cli("check", str(STRONG), "-o", str(out)).exit_code == 0
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert sum("The five questions at a glance" in t for t in text) == 1


# --- 5. labels as a reader writes them; identifiers in the machine formats ----------------


def test_sector_and_model_labels_in_sentence_case_for_people_and_ids_for_programs(
        seven: str) -> None:
    out = terminal(seven, columns=120)
    assert "  Acute (5 trust(s))" in out.splitlines()
    stats = out[out.index("By sector"):out.index("By legal form")]
    assert [line.split()[0] for line in stats.splitlines()
            if line[:2] == " " + line.strip()[:1] and line.strip()[:1].isupper()
            and not line.strip().startswith(("SA", "PI", "RS", "RM", "PF", "Sector"))] == [
        "Acute", "Community", "Mental"]
    md = run_cli("check", seven, "-f", "markdown").stdout
    assert "| Acute | Overall |" in md and "| Mental health | Overall |" in md
    assert "| Advisory forum | Overall |" in md and "| All trusts | " in md
    assert not re.search(r"\| (acute|community|mental health|advisory forum|all trusts) \|", md)
    assert run_cli("check", seven, "-o", "out/seven.html").exit_code == 0
    page = Path("out/seven.html").read_text(encoding="utf-8")
    assert '<option value="&quot;mental_health&quot;">Mental health</option>' in page
    assert '<th scope="rowgroup" class="group" rowspan="6">Acute</th>' in page
    # JSON and CSV keep the data's values.
    summary = json.loads(run_cli("check", seven, "-f", "json").stdout)["summary"]
    sector = next(b for b in summary["breakdowns"] if b["key"] == "sector")
    assert [(g["name"], g["label"]) for g in sector["groups"]] == [
        ("acute", "acute"), ("community", "community"), ("mental_health", "mental health")]
    rows = list(csv.DictReader(io.StringIO(run_cli("check", seven, "-f", "csv").stdout)))
    assert {r["sectors"] for r in rows} == {"acute", "community;mental_health",
                                            "mental_health"}


def test_workbook_labels_in_sentence_case_ids_in_the_last_column(seven: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", seven, "-o", "out/seven.xlsx").exit_code == 0
    book = openpyxl.load_workbook("out/seven.xlsx")
    assert [(r[0], r[-1]) for r in book["By sector"].iter_rows(min_row=2, values_only=True)
            if r[1] == "Overall"] == [("Acute", "acute"), ("Community", "community"),
                                      ("Mental health", "mental_health")]
    assert {r[4] for r in book["Trusts"].iter_rows(min_row=2, values_only=True)} == {
        "Acute", "Community, Mental health", "Mental health"}


def test_a_duplicate_name_is_shown_as_its_file_writes_it(seven: str) -> None:
    """Names are matched in lower case; a reader sees the name as the file spells it."""
    shutil.copy(Path(seven) / "long.yaml", Path(seven) / "long-again.yaml")
    out = terminal(seven, columns=80)
    section = out[out.index("Possible duplicate submissions"):]
    assert section.splitlines()[1:5] == [
        "  same ODS code 'ZL1': seven/long-again.yaml, seven/long.yaml",
        "  same organisation name 'Harrowfield and Wendmoor Hospitals NHS Foundation",
        "    Trust': seven/long-again.yaml, seven/long.yaml", ""]
    assert run_cli("check", seven, "-o", "out/seven.html").exit_code == 0
    page = Path("out/seven.html").read_text(encoding="utf-8")
    assert f'<th scope="row">Organisation name</th><td>{LONG}</td>' in page
    assert f"<td>{LONG.lower()}</td>" not in page


# --- 6. a thin file's paper: what is not recorded, one list per question -----------------


def test_a_thin_files_paper_lists_what_is_not_recorded_once_per_question() -> None:
    run = run_cli("check", str(THIN), "-f", "markdown-paper")
    assert run.exit_code == 0, run.stderr
    paper = run.stdout
    appendix = paper[paper.index("## Appendix A"):paper.index("## Appendix B")]
    assert appendix == golden("thin-appendix-a.md", appendix)
    # Every criterion the file is silent on is listed, by title, once.
    result = json.loads(run_cli("check", str(THIN), "-f", "json").stdout)
    silent = [c["title"] for q in result["categories"] for c in q["criteria"]
              if c["status"] == "not_evidenced"]
    assert len(silent) == 57
    for title in silent:
        assert appendix.count(f"- **{title}** (") == 1
    # No finding, ask and action repeated for each: one owner line per question.
    assert "- Ask:" not in appendix and "- Finding:" not in appendix
    assert appendix.count("Owner: Not named in the file: the board to assign an owner.") == 5
    # A board paper speaks no field path, identifier or line number.
    assert not re.search(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b|\bline \d|\beacs\b",
                         appendix)
    assert len(paper.splitlines()) < 400  # 791 lines when each was a finding


def test_a_file_that_records_enough_keeps_a_finding_for_each_gap() -> None:
    paper = run_cli("check", str(MIDDLING), "-f", "markdown-paper").stdout
    assert "Not recorded in the file" not in paper
    # A question with no gap says so on one line, under no heading of its own.
    assert (paper.count("#### Not met, partly met or not evidenced") + paper.count(
        "**Not met, partly met or not evidenced:** none; every applicable criterion")) == 5


@pytest.mark.skipif(not HAVE_BROWSER, reason=BROWSER_MISSING)
def test_a_thin_files_paper_prints_short(tmp_path: Path) -> None:
    """Printed by Chromium to A4: the thin file's paper was 23 pages, most of them the same
    sentence in one finding after another; then 13; now 10 (each item's severity and points
    without the words said once over the list, an empty part one line, the later appendices
    following on), and every silent criterion is on paper."""
    page = tmp_path / "thin.html"
    assert run_cli("check", str(THIN), "-o", str(page)).exit_code == 0
    pdf = tmp_path / "thin.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
    assert pages <= 10
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert text.count("Not recorded in the file (") == 5
    assert "Each arrangement states its objectives (Critical, +3.3): The file does not " \
           "record objectives for East Anglian Coast Adult Secure Provider Collaborative." \
        in text
