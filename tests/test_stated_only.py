"""Reports say only what a file states: a file that states no as-of date is never given the
day of the check as its position date; a challenge never presumes a fact the file does not
record; and a thin file's paper lists everything it does not record, compactly.

The cases are files: tests/fixtures/position-date/undated.yaml (a thin file with no
`as_of`) and the shipped examples (each states one)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from boardcheck.formats import paper
from tests.conftest import EXAMPLES, FIXTURES, run_cli
from tests.htmlcheck import check_html
from tests.test_paper_layout import HAVE_CHROMIUM, NO_CHROMIUM, chromium_pdf, pdf_pages

UNDATED = FIXTURES / "position-date" / "undated.yaml"
DATED = EXAMPLES / "strong-acute-ft.yaml"  # states as_of: 2026-10-01


def _today() -> set[dt.date]:
    """The day of the check: today, or yesterday for a test run across midnight."""
    today = dt.date.today()
    return {today, today - dt.timedelta(days=1)}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _cover(html: str) -> dict[str, str]:
    """The cover sheet's rows, label to value."""
    header = html.split("</header>")[0]
    return {_text(k): _text(v) for k, v in
            re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', header)}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder: no configuration file gives an as-of date."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOARDCHECK_AS_OF", raising=False)
    return tmp_path


# --- (H) the position date -------------------------------------------------------------------


def test_html_paper_of_an_undated_file_says_its_position_date_is_not_recorded(
        in_tmp: Path) -> None:
    run = run_cli("check", str(UNDATED), "-f", "html")
    assert run.exit_code == 0, run.stderr
    check_html(run.stdout)
    cover = _cover(run.stdout)
    assert cover["Position as at"] == "Not recorded in the file"
    checked = cover["Date checked"]
    assert checked in {f"{paper.long_date(d)} (the file records no position date, so its "
                       "dates are judged as at the day of the check)" for d in _today()}
    text = _text(run.stdout)
    # The day of the check is never called the position's date.
    for day in _today():
        assert f"Position as at {paper.long_date(day)}" not in text
        assert f"as at {paper.long_date(day)}" not in text.replace(
            f"judged as at {paper.long_date(day)}", "")
    assert any(f"Position date not recorded in the file; checked on {paper.long_date(d)}"
               in text for d in _today())


def test_a_stated_or_given_date_is_the_position_date(in_tmp: Path) -> None:
    dated = _cover(run_cli("check", str(DATED), "-f", "html").stdout)
    assert dated["Position as at"] == "1 October 2026"
    assert "Date checked" not in dated
    # An as-of date given to the run is stated by whoever ran it: the position's date.
    given = run_cli("check", str(UNDATED), "-f", "html", "--as-of", "2026-09-30").stdout
    assert _cover(given)["Position as at"] == "30 September 2026"
    assert "Date checked" not in _cover(given)
    assert "not recorded in the file" not in _text(given).lower().split("appendix a")[0]


def test_word_and_markdown_papers_of_an_undated_file(in_tmp: Path) -> None:
    markdown = run_cli("check", str(UNDATED), "-f", "markdown-paper").stdout
    assert "| Position as at | Not recorded in the file |" in markdown
    assert re.search(r"\| Date checked \| \d{1,2} \w+ \d{4} \(the file records no position "
                     r"date", markdown)
    docx = pytest.importorskip("docx")
    out = in_tmp / "paper.docx"
    assert run_cli("check", str(UNDATED), "-f", "docx", "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["Position as at"] == "Not recorded in the file"
    assert rows["Date checked"].startswith(tuple(paper.long_date(d) for d in _today()))
    assert any(p.text.startswith("Position date not recorded in the file; checked on ")
               for p in document.paragraphs)


def test_terminal_markdown_and_json_name_the_day_of_the_check_as_such(in_tmp: Path) -> None:
    days = {d.isoformat() for d in _today()}
    terminal = " ".join(run_cli("check", str(UNDATED)).stdout.split())
    assert any(f"as of: not recorded in the file (checked {d})" in terminal for d in days)
    markdown = run_cli("check", str(UNDATED), "-f", "markdown").stdout
    assert any(f"as of: not recorded in the file (checked {d})" in markdown for d in days)
    undated = json.loads(run_cli("check", str(UNDATED), "-f", "json").stdout)
    assert undated["as_of"] in days and undated["as_of_stated"] is False
    dated = json.loads(run_cli("check", str(DATED), "-f", "json").stdout)
    assert dated["as_of"] == "2026-10-01" and "as_of_stated" not in dated
    assert "as of 2026-10-01 ·" in run_cli("check", str(DATED)).stdout


def test_ratings_do_not_depend_on_how_the_date_is_shown(in_tmp: Path) -> None:
    undated = json.loads(run_cli("check", str(UNDATED), "-f", "json").stdout)
    given = json.loads(run_cli("check", str(UNDATED), "-f", "json", "--as-of",
                               undated["as_of"]).stdout)
    assert "as_of_stated" not in given
    assert undated["overall"] == given["overall"]
    assert undated["categories"] == given["categories"]


def test_due_of_an_undated_file_judges_from_the_day_of_the_check(in_tmp: Path) -> None:
    look = json.loads(run_cli("due", str(UNDATED), "-f", "json").stdout)
    assert look["as_of"] in {d.isoformat() for d in _today()}
    assert look["as_of_stated"] is False
    lead = run_cli("due", str(UNDATED), "-f", "markdown-paper").stdout
    assert "Position date not recorded in the file; looking ahead from " in lead
    assert "Position as at" not in lead
    assert "Position as at 1 October 2026;" in run_cli("due", str(DATED), "-f",
                                                       "markdown-paper").stdout


def test_batch_csv_workbook_and_member_papers_leave_an_unstated_date_empty(
        in_tmp: Path) -> None:
    folder = in_tmp / "in"
    folder.mkdir()
    shutil.copy(UNDATED, folder / "undated.yaml")
    shutil.copy(DATED, folder / "dated.yaml")
    papers = in_tmp / "papers"
    run = run_cli("check", str(folder), "-f", "csv", "-o", "trusts.csv", "--papers",
                  str(papers), "--jobs", "2")
    assert run.exit_code == 0, run.stderr
    rows = {r["ods_code"]: r for r in csv.DictReader(io.StringIO(
        Path("trusts.csv").read_text(encoding="utf-8-sig")))}
    assert (rows["ZQF"]["as_of"], rows["ZZA"]["as_of"]) == ("", "2026-10-01")
    member = _cover((papers / "ZQF.html").read_text(encoding="utf-8"))
    assert member["Position as at"] == "Not recorded in the file"
    assert "Date checked" in member
    assert _cover((papers / "ZZA.html").read_text(encoding="utf-8"))["Position as at"] == \
        "1 October 2026"
    openpyxl = pytest.importorskip("openpyxl")
    assert run_cli("check", str(folder), "-f", "xlsx", "-o", "trusts.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook("trusts.xlsx").worksheets[0]
    found = {}
    for workbook_sheet in openpyxl.load_workbook("trusts.xlsx").worksheets:
        cells = list(workbook_sheet.iter_rows(values_only=True))
        heads = next((r for r in cells if r and "As of" in r and "ODS code" in r), None)
        if heads is None:
            continue
        at, code = heads.index("As of"), heads.index("ODS code")
        found = {r[code]: r[at] for r in cells if r and r[code] in ("ZQF", "ZZA")}
        break
    assert sheet is not None and found, "no sheet with an As of column"
    # Empty, as the workbook writes every other value a file does not record.
    assert found["ZQF"] in (None, "")
    assert found["ZZA"] == "2026-10-01"


def test_diff_and_baseline_name_an_undated_sides_day_as_its_check(in_tmp: Path) -> None:
    saved = in_tmp / "undated.json"
    assert run_cli("check", str(UNDATED), "-f", "json", "-o", str(saved)).exit_code == 0
    day = json.loads(saved.read_text(encoding="utf-8"))["as_of"]
    dated = FIXTURES / "trusts" / "thin.yaml"  # the same file, stating as_of: 2026-09-30
    header = " ".join(run_cli("diff", str(saved), str(dated)).stdout.split())
    assert header.startswith(f"Changes from {saved} (as of: not recorded in the file, "
                             f"checked {day}) to {dated} (as of 2026-09-30)")
    markdown = run_cli("diff", str(saved), str(dated), "-f", "markdown").stdout
    assert markdown.startswith(f"## Changes since the check of {day}\n")
    movement = json.loads(run_cli("diff", str(saved), str(dated), "-f", "json").stdout)
    assert (movement["old_as_of_stated"], movement["new_as_of_stated"]) == (False, True)
    report = run_cli("check", str(dated), "-f", "markdown", "--baseline", str(saved)).stdout
    assert f"Overall → 0.0 since the check of {day}." in report


# --- (P) challenges presume nothing the file does not record -----------------------------------

# Openings the questionnaire once used that take a fact as given (a partner in a serious
# segment, an audit done, a function delegated, a register kept, ...). A file that records
# none of these facts is asked them in its paper.
PRESUMING = (FIXTURES / "position-date" / "presuming-challenges.txt").read_text(
    encoding="utf-8").splitlines()


def test_no_challenge_presumes_a_fact(in_tmp: Path) -> None:
    data = json.loads(run_cli("check", str(UNDATED), "-f", "json").stdout)
    challenges = {c["id"]: c["challenge"] for cat in data["categories"]
                  for c in cat["criteria"]}
    for line in PRESUMING:
        if line.strip() and not line.startswith("#"):
            assert not any(text.startswith(line) for text in challenges.values()), line
    assert challenges["PF05"].startswith("Which of our partner trusts, if any, is in a "
                                         "serious oversight segment")


def test_a_file_without_partners_is_not_asked_about_a_struggling_partner(in_tmp: Path) -> None:
    page = _text(run_cli("check", str(UNDATED), "-f", "html").stdout)
    start = page.index(paper.QUESTIONS_HEADING)
    questions = page[start:page.index("Recommendation", start)]
    assert "Which of our partner trusts, if any, is in a serious oversight segment" in questions
    assert "If a partner trust in a serious oversight segment" not in page


# --- (T) a thin file's paper --------------------------------------------------------------------


def test_thin_paper_lists_every_silent_criterion_once_with_its_severity_and_points(
        in_tmp: Path) -> None:
    data = json.loads(run_cli("check", str(UNDATED), "-f", "json").stdout)
    silent = [c for cat in data["categories"] for c in cat["criteria"]
              if c["status"] == "not_evidenced"]
    html = run_cli("check", str(UNDATED), "-f", "html").stdout
    items = re.findall(r'<li id="c-(\w+)"><strong>([^<]*)</strong> <span class="tags">'
                       r'\(([^)]*)\)</span>', html)
    assert [i[0] for i in items] == [c["id"] for c in silent]
    for (_, title, tags), c in zip(items, silent, strict=True):
        assert unescape(title) == c["title"]
        severity = c["severity"].capitalize()
        assert tags == (f"{severity}, +{c['points_available']:.1f}"
                        if c["points_available"] else severity)
    # Said once a question, not once an item.
    assert "points if closed" not in html
    assert html.count("Beside each, its severity and the points closing it would add") == 5


@pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
def test_thin_paper_prints_on_ten_pages(in_tmp: Path) -> None:
    html = in_tmp / "thin.html"
    assert run_cli("check", str(UNDATED), "-f", "html", "-o", str(html),
                   "--as-of", "2026-09-30").exit_code == 0
    pages = pdf_pages(chromium_pdf(html, in_tmp / "thin.pdf"))
    # 13 before the not-recorded lists lost their per-item words, empty parts their
    # headings, and the later appendices their page of their own.
    assert len(pages) <= 10, len(pages)
    assert "".join(pages).count("Not recorded in the file (") == 5
