"""The sector views (issue 12) through the CLI: breakdowns by region, ICB, sector, legal form
and governance model in every batch format, outliers, common gaps as shares, --sort by
group and worst first, the spreadsheet outputs (CSV columns, --excel, xlsx) and the
terminal batch view at 80 and 120 columns."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

STRONG = EXAMPLES / "strong-acute-ft.yaml"
MIDDLING = EXAMPLES / "middling-community-mh.yaml"
WEAK = EXAMPLES / "weak-acute.yaml"
THIN = Path(__file__).resolve().parent / "fixtures" / "trusts" / "thin.yaml"


def _variant(source: Path, folder: Path, name: str, *, organisation: str | None = None,
             region: str | None = None, ods: str | None = None, icb: str | None = None) -> Path:
    """A copy of an example with its organisation's name, ODS code, region or ICB changed."""
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    org = lines.index("organisation:\n")
    for i in range(org + 1, org + 12):
        key = lines[i].strip().partition(":")[0]
        if key == "name" and organisation is not None:
            lines[i] = f"  name: {json.dumps(organisation)}\n"
        elif key == "ods_code" and ods is not None:
            lines[i] = f"  ods_code: {ods}\n"
        elif key == "region" and region is not None:
            lines[i] = f"  region: {json.dumps(region)}\n"
        elif key == "icbs" and icb is not None:
            lines[i + 1] = f"    - {json.dumps(icb)}\n"
    path = folder / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def sector(tmp_path: Path) -> Path:
    """Four acute trusts (three strong, one weak: far below the others), one community and
    mental health trust: 5 files, regions midlands (3), south_west, north_west."""
    folder = tmp_path / "sector"
    folder.mkdir()
    for n in (1, 2, 3):
        _variant(STRONG, folder, f"strong-{n}.yaml", organisation=f"Strong {n} NHS FT",
                 ods=f"ZS{n}")
    shutil.copy(WEAK, folder / "weak.yaml")
    shutil.copy(MIDDLING, folder / "middling.yaml")
    return folder


def _json(folder: Path, *extra: str) -> dict[str, object]:
    run = run_cli("check", str(folder), "-f", "json", *extra)
    assert run.exit_code == 0, run.stderr
    data: dict[str, object] = json.loads(run.stdout)
    return data


# --- the summary: breakdowns, shares, outliers, common gaps -----------------------------


def test_json_breakdowns_give_shares_and_quartiles_per_question(sector: Path) -> None:
    summary = _json(sector)["summary"]
    assert isinstance(summary, dict)
    keys = [b["key"] for b in summary["breakdowns"]]
    assert keys == ["region", "icb", "sector", "legal_form", "governance_model"]
    region = summary["breakdowns"][0]
    assert [g["name"] for g in region["groups"]] == ["midlands", "north_west", "south_west"]
    midlands = region["groups"][0]["overall"]
    assert midlands["files"] == 3 and midlands["ratings"]["green"] == 3
    assert midlands["shares"] == {"green": 100.0, "amber": 0.0, "red": 0.0,
                                  "insufficient_evidence": 0.0, "inconclusive": 0.0}
    assert (midlands["q1"], midlands["median"], midlands["q3"]) == (96.2, 96.2, 96.2)
    acute = next(g for g in summary["breakdowns"][2]["groups"] if g["name"] == "acute")
    # Three green and one red of four acute trusts.
    assert acute["overall"]["shares"]["green"] == 75.0
    assert acute["overall"]["shares"]["red"] == 25.0
    resourcing = acute["categories"]["resourcing"]
    assert resourcing["ratings"]["insufficient_evidence"] == 1
    assert resourcing["shares"]["insufficient_evidence"] == 25.0


def test_outliers_name_critical_gaps_thin_submissions_and_far_below_the_sector(
        sector: Path) -> None:
    summary = _json(sector)["summary"]
    assert isinstance(summary, dict)
    outliers = summary["outliers"]
    assert [o["organisation"] for o in outliers] == ["Sallowmere General Hospitals NHS Trust"]
    weak = outliers[0]
    assert [r["kind"] for r in weak["reasons"]] == ["critical_gap", "thin_submission",
                                                    "far_below_sector"]
    assert weak["reasons"][0]["text"] == "states 5 critical criteria not met or partly met"
    # Rated red all the same (critical failures stated in two questions), and it says so.
    assert weak["reasons"][1]["text"] == ("thin submission: evidences 53.3% of the "
                                          "questionnaire, under the 60% needed for a rating; "
                                          "rated on the failures it states")
    # Acute scores 8.9, 96.2 x3: lower quartile 74.4, interquartile range 21.8.
    assert weak["reasons"][2]["text"] == (
        "scores 8.9, 87.3 points below the acute median of 96.2: beyond the sector's usual "
        "spread (under 41.7, its lower quartile less 1.5 times the interquartile range)")


def test_every_format_lists_the_same_outliers_worst_first_with_the_same_reasons(
        sector: Path, tmp_path: Path) -> None:
    """One definition (the summary's): the weak acute trust (critical criteria stated
    failing, thin, far below) comes before the thin mental health one although the thin one
    scores lower; the sector in words, never its identifier."""
    shutil.copy(THIN, sector / "thin.yaml")
    outliers = _json(sector)["summary"]["outliers"]  # type: ignore[index]
    weak, thin = "Sallowmere General Hospitals NHS Trust", \
        "Fennick Vale Mental Health NHS Foundation Trust"
    assert [(o["organisation"], o["overall_score"], [r["kind"] for r in o["reasons"]])
            for o in outliers] == [
        (weak, 8.9, ["critical_gap", "thin_submission", "far_below_sector"]),
        (thin, 2.2, ["thin_submission"])]
    assert outliers[1]["reasons"][0]["text"] == (
        "thin submission: evidences 2.2% of the questionnaire, under the 60% needed for a "
        "rating")
    why = {o["organisation"]: "; ".join(r["text"] for r in o["reasons"]) for o in outliers}
    markdown = run_cli("check", str(sector), "-f", "markdown").stdout
    listed = markdown[markdown.index("### Outliers"):markdown.index("### Common gaps")]
    assert [line for line in listed.splitlines() if line.startswith("- **")] == [
        f"- **{weak}** (8.9 RED): {why[weak]}",
        f"- **{thin}** (2.2 INSUFFICIENT EVIDENCE): {why[thin]}"]
    terminal = " ".join(run_cli("check", str(sector), env={"COLUMNS": "200"}).stdout.split())
    assert (f"Outliers (2): stated critical gaps, thin submissions, far below the sector's "
            f"median; worst first {weak} (8.9 red): {why[weak]} {thin} (2.2 insufficient "
            f"evidence): {why[thin]}") in terminal
    page = run_cli("check", str(sector), "-f", "html").stdout
    table = page[page.index('<table class="outliers">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<a href="#t\d+">([^<]+)</a>', table) == [weak, thin]
    assert re.findall(r"<td>([^<]+)</td></tr>", table) == [html.escape(why[weak]),
                                                           html.escape(why[thin])]
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "sector.xlsx"
    assert run_cli("check", str(sector), "-f", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Outliers"]
    assert [(r[0], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        (weak, why[weak]), (thin, why[thin])]


def test_common_gaps_are_shares_most_frequent_first_and_split_by_sector(sector: Path) -> None:
    summary = _json(sector)["summary"]
    assert isinstance(summary, dict)
    gaps = summary["common_gaps"]
    assert [g["not_met"] for g in gaps] == sorted((g["not_met"] for g in gaps), reverse=True)
    assert gaps[0]["share"] == round(100 * gaps[0]["not_met"] / 5, 1)
    by_sector = {s["sector"]: s for s in summary["common_gaps_by_sector"]}
    assert sorted(by_sector) == ["acute", "community", "mental_health"]
    assert by_sector["acute"]["checked"] == 4
    # PI03 by all four acute trusts (the copies name other ODS codes than the approvals);
    # the rest by the weak trust alone.
    acute = [(g["criterion"], g["share"]) for g in by_sector["acute"]["gaps"]]
    assert acute[0] == ("PI03", 100.0)
    assert {share for _, share in acute[1:]} == {25.0}
    assert by_sector["community"]["gaps"][0]["share"] == 100.0


# --- --sort ------------------------------------------------------------------------------


def _csv(folder: Path, *extra: str) -> list[dict[str, str]]:
    run = run_cli("check", str(folder), "-f", "csv", *extra)
    assert run.exit_code == 0, run.stderr
    return list(csv.DictReader(io.StringIO(run.stdout)))


def test_sort_by_region_groups_then_ranks_by_score(sector: Path) -> None:
    rows = _csv(sector, "--sort", "region")
    assert [(r["region"], r["overall_score"]) for r in rows] == [
        ("midlands", "96.2"), ("midlands", "96.2"), ("midlands", "96.2"),
        ("north_west", "75.5"), ("south_west", "8.9")]


def test_sort_worst_first(sector: Path) -> None:
    rows = _csv(sector, "--sort", "worst")
    assert [r["overall_score"] for r in rows] == ["8.9", "75.5", "96.2", "96.2", "96.2"]
    # Ranks keep their meaning: the worst is still last in the league.
    out = run_cli("check", str(sector), "--sort", "worst").stdout
    assert "sorted by overall score, worst first" in out
    league = out[out.index("League table"):out.index("Questions: ")]
    first = next(line for line in league.splitlines() if line[:1].isdigit())
    assert first.split()[:2] == ["5", "Sallowmere"]


@pytest.mark.parametrize(("args", "env", "where"), [
    (("--sort", "bogus"), {}, "boardcheck: --sort: 'bogus' is not one of score, worst, "
                              "name, region, icb, sector, legal_form, governance_model, "),
    ((), {"BOARDCHECK_SORT": "ics"}, "boardcheck: BOARDCHECK_SORT: sort: 'ics' is not one of "),
])
def test_a_bad_sort_is_refused_once_with_its_source(sector: Path, args: tuple[str, ...],
                                                     env: dict[str, str], where: str) -> None:
    run = run_cli("check", str(sector), *args, env=env)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(where), run.stderr


def test_excel_without_csv_is_refused_unless_it_comes_from_the_configuration(
        sector: Path, tmp_path: Path) -> None:
    """--excel asks for CSV shaped for Excel: a run writing no CSV cannot honour it, so it is
    refused before any file is checked; `excel = true` in a configuration is a default for
    CSV runs, and other runs go ahead without it."""
    run = run_cli("check", str(sector), "-f", "json", "--excel")
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", "boardcheck: --excel: shapes CSV for Excel, and this run writes no CSV "
               "(--format json); use it with -f csv or --breakdowns FILE.csv\n")
    both = run_cli("check", str(sector), "-f", "json", "--excel", "--breakdowns",
                   str(tmp_path / "b.csv"))
    assert both.exit_code == 0, both.stderr
    assert (tmp_path / "b.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    config = tmp_path / "bc.toml"
    config.write_text("excel = true\n", encoding="utf-8")
    configured = run_cli("check", str(sector), "-f", "json", "--config", str(config))
    assert configured.exit_code == 0, configured.stderr
    assert json.loads(configured.stdout)["summary"]["files"] == 5


def test_sort_from_the_configuration_file(sector: Path, tmp_path: Path) -> None:
    config = tmp_path / "bc.toml"
    config.write_text('sort = "worst"\n', encoding="utf-8")
    rows = _csv(sector, "--config", str(config))
    assert rows[0]["overall_score"] == "8.9"
    config.write_text('sort = "Worst"\n', encoding="utf-8")
    run = run_cli("check", str(sector), "--config", str(config), "-f", "csv")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"{config}:1:1: sort: 'Worst' is not one of score, worst")


# --- CSV --------------------------------------------------------------------------------


def test_csv_rows_carry_region_icb_legal_form_as_of_and_gaps(sector: Path) -> None:
    rows = {r["organisation"]: r for r in _csv(sector)}
    strong = rows["Strong 1 NHS FT"]
    assert {k: strong[k] for k in ("region", "icbs", "legal_form", "as_of", "arrangements",
                                   "critical_gaps", "critical_not_evidenced")} == {
        "region": "midlands", "icbs": "NHS Harrowfield and Wendmoor ICB",
        "legal_form": "nhs_foundation_trust", "as_of": "2026-10-01", "arrangements": "2",
        "critical_gaps": "0", "critical_not_evidenced": "0"}
    weak = rows["Sallowmere General Hospitals NHS Trust"]
    assert (weak["critical_gaps"], weak["overall_evidence_coverage"]) == ("5", "53.3")


def test_csv_default_is_machine_friendly_and_excel_adds_a_bom_and_titles(sector: Path) -> None:
    plain = run_cli("check", str(sector), "-f", "csv").stdout
    assert plain == run_cli("check", str(sector), "-f", "csv").stdout  # byte-identical
    assert plain.startswith("file,organisation,ods_code,")
    excel = run_cli("check", str(sector), "-f", "csv", "--excel")
    assert excel.exit_code == 0
    assert excel.stdout.startswith("\ufefffile,organisation,ods_code,")
    rows = list(csv.reader(io.StringIO(excel.stdout.removeprefix("\ufeff"))))
    header, titles = rows[0], rows[1]
    assert len(header) == len(titles)
    assert titles[:3] == ["File", "Organisation", "ODS code"]
    assert titles[header.index("PF01")] == "PF01 Exit provisions"
    assert titles[header.index("resourcing_score")] == "Resourcing: score"
    # Under --excel the data rows are the plain CSV's, one row further down.
    assert rows[2:] == list(csv.reader(io.StringIO(plain)))[1:]
    env = run_cli("check", str(sector), "-f", "csv", env={"BOARDCHECK_EXCEL": "yes"})
    assert env.stdout == excel.stdout


def test_csv_and_xlsx_never_carry_a_formula_from_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    _variant(STRONG, folder, "a.yaml", organisation="=HYPERLINK(\"http://x\",\"y\")",
             icb="+cmd|' /C calc'!A0")
    run = run_cli("check", str(folder), str(WEAK), "-f", "csv")
    assert run.exit_code == 0, run.stderr
    row = next(csv.DictReader(io.StringIO(run.stdout)))
    assert row["organisation"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert row["icbs"] == "'+cmd|' /C calc'!A0"
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "hostile.xlsx"
    assert run_cli("check", str(folder), str(WEAK), "-f", "xlsx", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r
             if isinstance(c.value, str) and c.value.startswith(("=", "+"))]
    assert {c.value for c in cells} >= {"=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0"}
    assert {c.data_type for c in cells} == {"s"}


# --- xlsx -------------------------------------------------------------------------------


SHEETS = ["Summary", "By region", "By ICB", "By sector", "By legal form", "By governance model",
          "Common gaps", "Outliers", "Collaboratives", "Trusts", "Possible duplicates",
          "Data dictionary"]


def test_xlsx_has_its_sheets_frozen_filtered_headers_and_rating_words(sector: Path,
                                                                      tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "sector.xlsx"
    run = run_cli("check", str(sector), "-f", "xlsx", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    trusts = book["Trusts"]
    # The header row and the rank, name and ODS code stay in view.
    assert trusts.freeze_panes == "D2" and trusts.auto_filter.ref.startswith("A1:")
    header = [c.value for c in trusts[1]]
    assert header[:2] == ["Rank", "Organisation"]
    assert "PF01 Exit provisions" in header
    first = [c.value for c in trusts[2]]
    assert first[header.index("Overall rating")] == "GREEN"
    rating = trusts.cell(row=2, column=header.index("Overall rating") + 1)
    assert rating.fill.fgColor.rgb.endswith("CCE6D4")
    assert first[header.index("PF01 Exit provisions")] == "met"
    region = book["By region"]
    assert [c.value for c in region[1]][:4] == ["NHS England region", "Question", "Files",
                                               "Green %"]
    # The group in words first, its identifier (as the Trusts sheet has it) last.
    assert [c.value for c in region[2]][:4] == ["Midlands", "Overall", 3, 100.0]
    assert [c.value for c in region[1]][-1] == "NHS England region id"
    assert [[c.value for c in r][-1] for r in region.iter_rows(min_row=2)] == (
        ["midlands"] * 6 + ["north_west"] * 6 + ["south_west"] * 6)
    assert region.freeze_panes == "C2" and region.auto_filter.ref == "A1:N19"
    outliers = book["Outliers"]
    assert outliers["A2"].value == "Sallowmere General Hospitals NHS Trust"
    dictionary = [[c.value for c in r] for r in book["Data dictionary"].iter_rows(min_row=2)]
    assert ["Trusts", "Critical gaps", "Critical criteria it states not met or partly met.",
            None, None, None] in dictionary
    assert any(r[0] == "Criteria" and r[1] == "PF01 Exit provisions"
               for r in dictionary)


def test_xlsx_bytes_are_the_same_every_run(sector: Path, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    assert run_cli("check", str(sector), "-f", "xlsx", "-o", str(first)).exit_code == 0
    assert run_cli("check", str(sector), "-f", "xlsx", "-o", str(second), "--jobs",
                   "2").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_xlsx_without_openpyxl_says_what_to_install(sector: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import boardcheck.formats.xlsx_format as xlsx

    monkeypatch.setattr(xlsx, "HAVE_OPENPYXL", False)
    out = tmp_path / "x.xlsx"
    run = run_cli("check", str(sector), "-f", "xlsx", "-o", str(out))
    assert run.exit_code == 2
    assert run.stderr == ("boardcheck: xlsx output needs openpyxl: pip install "
                          "'boardcheck[xlsx]'\n")
    assert not out.exists()


def sheets_as_csv(soffice: str, book: Path, tmp_path: Path) -> Path:
    """Every sheet of the workbook converted by LibreOffice to its own CSV (the last filter
    option, -1), BOOK-SHEET NAME.csv in the folder returned."""
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
                    "false,-1", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    return out


def test_xlsx_opens_in_libreoffice_with_its_sheets_and_headers(sector: Path,
                                                               tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: apt-get install --no-install-recommends "
                    "libreoffice-calc")
    pytest.importorskip("openpyxl")
    book = tmp_path / "sector.xlsx"
    assert run_cli("check", str(sector), "-f", "xlsx", "-o", str(book)).exit_code == 0
    out = sheets_as_csv(soffice, book, tmp_path)
    made = sorted(p.name for p in out.iterdir())
    assert made == sorted(f"sector-{name}.csv" for name in SHEETS)
    trusts = list(csv.reader((out / "sector-Trusts.csv").open(encoding="utf-8")))
    assert trusts[0][:3] == ["Rank", "Organisation", "ODS code"]
    assert "PF01 Exit provisions" in trusts[0]
    assert len(trusts) == 6
    assert trusts[1][trusts[0].index("Overall rating")] == "GREEN"
    summary = list(csv.reader((out / "sector-Summary.csv").open(encoding="utf-8")))
    assert summary[1][:2] == ["Files", "5"]


# --- the terminal -----------------------------------------------------------------------


@pytest.fixture
def twelve(tmp_path: Path) -> Path:
    """Twelve ranked trusts: ranks run to two digits."""
    folder = tmp_path / "twelve"
    folder.mkdir()
    for n in range(12):
        source = (STRONG, MIDDLING, WEAK)[n % 3]
        _variant(source, folder, f"t{n:02}.yaml", organisation=f"Trust {n:02} of a long name "
                 "that will not fit", ods=f"Z{n:02}")
    return folder


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_terminal_batch_fits_and_shows_every_question_and_whole_ranks(twelve: Path,
                                                                      columns: int) -> None:
    run = run_cli("check", str(twelve), env={"COLUMNS": str(columns)})
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    head = next(line for line in lines if line.split()[:2] == ["#", "Organisation"])
    assert head.split()[-6:] == ["All", "SA", "PI", "RS", "RM", "PF"]
    assert ("Sector" in head) is (columns == 120)
    ranks = [line.split()[0] for line in lines if line[:2].strip().isdigit()
             and "Trust" in line]
    assert ranks == [str(n) for n in range(1, 13)]
    assert "Questions: SA Strategy alignment; PI Proportionate infrastructure;" in " ".join(
        run.stdout.split())
    # Quartiles are never named like questions.
    stats = lines[lines.index("All trusts") + 2]
    assert stats.split() == ["Question", "Files", "G%", "A%", "R%", "I%", "P25", "P50", "P75"]


def test_terminal_marks_a_capped_rating_and_says_why(sector: Path) -> None:
    out = run_cli("check", str(sector), env={"COLUMNS": "80"}).stdout
    strong = next(line for line in out.splitlines() if line.startswith("1 Strong"))
    assert strong.split()[-8:-6] == ["A", "86*"]  # proportionate infrastructure, capped
    words = " ".join(out.split())
    assert ("* Ratings capped or set by a rule (5 trust(s)) Strong 1 NHS FT: PI amber: capped "
            "by PI03 (Terms of reference approved by every member board), not met") in words
    assert ("Outliers (1): stated critical gaps, thin submissions, far below the sector's "
            "median; worst first Sallowmere General Hospitals NHS Trust (8.9 red): "
            "states 5 critical criteria not met or partly met;") in words


def test_a_pattern_matching_nothing_is_a_located_error_not_an_empty_report(
        tmp_path: Path) -> None:
    pattern = str(tmp_path / "nowhere" / "*.yaml")
    for fmt in ("rich", "csv", "xlsx"):
        run = run_cli("check", pattern, "-f", fmt)
        assert run.exit_code == 2
        assert run.stdout == ""
        assert run.stderr == f"{pattern}: no files match this pattern\n"


# --- group labels and whole-percent shares (the new-user trial of issue 12) --------------


def test_whole_shares_add_to_100_by_largest_remainder() -> None:
    from boardcheck.summary import Distribution, group_words

    def whole(green: int, amber: int, red: int, insufficient: int) -> dict[str, int | None]:
        return Distribution(0, None, None, None, None, {
            "green": green, "amber": amber, "red": red, "insufficient_evidence": insufficient,
            "inconclusive": 0}).whole_shares()

    # The trial's Overall row: 0.5 / 90.5 / 9 rounded alone showed 0 / 90 / 9 (99%). The
    # tied remainders go to the rating first in order: amber.
    assert whole(0, 1, 181, 18) == {"green": 0, "amber": 1, "red": 90,
                                    "insufficient_evidence": 9, "inconclusive": 0}
    assert whole(1, 1, 1, 0) == {"green": 34, "amber": 33, "red": 33,
                                 "insufficient_evidence": 0, "inconclusive": 0}
    # 1/3 and 2/3: the larger remainder (66.67) gains the point, not the first rating.
    assert whole(1, 0, 2, 0) == {"green": 33, "amber": 0, "red": 67,
                                 "insufficient_evidence": 0, "inconclusive": 0}
    # 1/7 each of seven: 14.29 x4 ... floors 98, two points to the two largest remainders.
    assert whole(2, 2, 2, 1) == {"green": 29, "amber": 29, "red": 28,
                                 "insufficient_evidence": 14, "inconclusive": 0}
    assert set(whole(0, 0, 0, 0).values()) == {None}
    assert group_words("governance_model", "specialised_mhlda_collaborative") == (
        "specialised MHLDA collaborative")
    assert group_words("governance_model", "delegated_icb_function") == (
        "delegated ICB function")


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """One green, one amber, one red trust, all moved to the East of England: thirds, which
    rounded alone add to 99."""
    folder = tmp_path / "three"
    folder.mkdir()
    for source in (STRONG, MIDDLING, WEAK):
        _variant(source, folder, source.name, region="east_of_england")
    return folder


def _table_rows(text: str, title: str) -> list[list[str]]:
    """The rows under a terminal statistics table's title, to the next blank line, each
    split into its name (several words) and its eight numbers."""
    lines = text.splitlines()
    start = lines.index(title) + 4
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        words = line.split()
        rows.append([" ".join(words[:-8]), *words[-8:]])
    return rows


def test_terminal_names_groups_in_words_and_shares_add_to_100(three: Path) -> None:
    run = run_cli("check", str(three), env={"COLUMNS": "120"})
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert _table_rows(out, "All trusts") == [
        ["Overall", "3", "34", "33", "33", "0", "42.2", "75.5", "86.5"],
        ["SA", "3", "67", "0", "33", "0", "51.1", "88.9", "94.5"],
        ["PI", "3", "0", "67", "33", "0", "39.1", "78.3", "85.1"],
        ["RS", "3", "67", "0", "0", "33", "100.0", "100.0", "100.0"],
        ["RM", "3", "34", "33", "33", "0", "42.0", "66.7", "81.2"],
        ["PF", "3", "33", "0", "67", "0", "28.8", "43.8", "71.9"]]
    names = {title: [r[0] for r in _table_rows(out, title) if r[0][:2] not in
                     ("SA", "PI", "RS", "RM", "PF")]
             for title in ("By NHS England region", "By sector", "By legal form",
                           "By governance model")}
    assert names == {
        "By NHS England region": ["East of England"],
        "By sector": ["Acute", "Community", "Mental health"],
        "By legal form": ["NHS foundation trust", "NHS trust"],
        "By governance model": ["Advisory forum", "Committees in common", "Joint committee",
                                "Lead provider"]}
    for title in ("All trusts", "By NHS England region", "By sector"):
        for row in _table_rows(out, title):
            assert sum(int(x) for x in row[2:6]) == 100, (title, row)
    assert "  Mental health (1 trust(s))" in out.splitlines()
    assert "east_of_england" not in out and "nhs_foundation_trust" not in out


def test_markdown_names_groups_in_words_and_shares_add_to_100(three: Path) -> None:
    run = run_cli("check", str(three), "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line for line in lines if "| Overall | " in line
            and not line.startswith("| # |")] == [
        "| East of England | Overall | 3 | 34% | 33% | 33% | 0% | 42.2 | 75.5 | 86.5 |",
        "| NHS Harrowfield and Wendmoor ICB | Overall | 1 | 100% | 0% | 0% | 0% | 97.5 | 97.5 "
        "| 97.5 |",
        "| NHS Marrowdene and Fellbridge ICB | Overall | 1 | 0% | 100% | 0% | 0% | 75.5 | "
        "75.5 | 75.5 |",
        "| NHS Sallowmere and Blackwick ICB | Overall | 1 | 0% | 0% | 100% | 0% | 8.9 | 8.9 "
        "| 8.9 |",
        "| Acute | Overall | 2 | 50% | 0% | 50% | 0% | 31.1 | 53.2 | 75.3 |",
        "| Community | Overall | 1 | 0% | 100% | 0% | 0% | 75.5 | 75.5 | 75.5 |",
        "| Mental health | Overall | 1 | 0% | 100% | 0% | 0% | 75.5 | 75.5 | 75.5 |",
        "| NHS foundation trust | Overall | 1 | 100% | 0% | 0% | 0% | 97.5 | 97.5 | 97.5 |",
        "| NHS trust | Overall | 2 | 0% | 50% | 50% | 0% | 25.6 | 42.2 | 58.9 |",
        "| Advisory forum | Overall | 2 | 50% | 50% | 0% | 0% | 81.0 | 86.5 | 92.0 |",
        "| Committees in common | Overall | 1 | 0% | 0% | 100% | 0% | 8.9 | 8.9 | 8.9 |",
        "| Joint committee | Overall | 1 | 100% | 0% | 0% | 0% | 97.5 | 97.5 | 97.5 |",
        "| Lead provider | Overall | 1 | 0% | 100% | 0% | 0% | 75.5 | 75.5 | 75.5 |"]
    assert [line for line in lines if line.startswith("| East of England | ")][1:] == [
        "| East of England | Strategy alignment | 3 | 67% | 0% | 33% | 0% | 51.1 | 88.9 | "
        "94.5 |",
        "| East of England | Proportionate infrastructure | 3 | 0% | 67% | 33% | 0% | 39.1 | "
        "78.3 | 85.1 |",
        "| East of England | Resourcing | 3 | 67% | 0% | 0% | 33% | 100.0 | 100.0 | 100.0 |",
        "| East of England | Risk management | 3 | 34% | 33% | 33% | 0% | 42.0 | 66.7 | "
        "81.2 |",
        "| East of England | Performance fallback | 3 | 33% | 0% | 67% | 0% | 28.8 | 43.8 | "
        "71.9 |"]
    assert any(line.startswith("| Mental health | ") for line in lines
               if line.count("|") == 5)  # the common gaps by sector, in words


def test_json_keeps_group_ids_and_adds_their_label(three: Path, tmp_path: Path) -> None:
    summary = _json(three)["summary"]
    assert isinstance(summary, dict)
    assert {b["key"]: [(g["name"], g["label"]) for g in b["groups"]]
            for b in summary["breakdowns"]
            if b["key"] in ("region", "legal_form")} == {
        "region": [("east_of_england", "East of England")],
        "legal_form": [("nhs_foundation_trust", "NHS foundation trust"),
                       ("nhs_trust", "NHS trust")]}
    # JSON keeps the shares to one decimal: thirds do not add to 100 there.
    assert summary["breakdowns"][0]["groups"][0]["overall"]["shares"] == {
        "green": 33.3, "amber": 33.3, "red": 33.3, "insufficient_evidence": 0.0,
        "inconclusive": 0.0}
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "three.xlsx"
    assert run_cli("check", str(three), "-f", "xlsx", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert [(r[0], r[-1]) for r in book["By legal form"].iter_rows(min_row=2, values_only=True)
            if r[1] == "Overall"] == [("NHS foundation trust", "nhs_foundation_trust"),
                                      ("NHS trust", "nhs_trust")]
    assert {r[0] for r in book["Common gaps"].iter_rows(min_row=2, values_only=True)} == {
        "All trusts", "Acute", "Community", "Mental health"}
    assert [r[3] for r in book["Outliers"].iter_rows(min_row=2, values_only=True)] == ["Acute"]


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_xlsx_is_written_whatever_the_as_of_year(tmp_path: Path, as_of: str) -> None:
    # A zip member's time holds only the years 1980-2107: a workbook of files judged outside
    # them is still written (found by benchmarks/adversarial.py: a traceback before).
    pytest.importorskip("openpyxl")
    folder = tmp_path / "in"
    folder.mkdir()
    text = WEAK.read_text(encoding="utf-8").replace("as_of: 2026-10-01", f"as_of: {as_of}")
    (folder / "weak.yaml").write_text(text, encoding="utf-8")
    shutil.copy(STRONG, folder / "strong.yaml")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    run = run_cli("check", str(folder), "-f", "xlsx", "-o", str(first))
    assert run.exit_code == 0, run.stderr
    assert run_cli("check", str(folder), "-f", "xlsx", "-o", str(second), "--jobs",
                   "2").exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[:2] == b"PK"
