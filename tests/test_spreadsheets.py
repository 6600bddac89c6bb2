"""The spreadsheet outputs' sector views through the CLI (issue 12): the breakdowns as a CSV
table beside the table of trusts (`--breakdowns FILE`), and the workbook's Collaboratives
sheet. Exact expected content: tests/golden/breakdowns.csv and
tests/golden/collaboratives-sheet.json (regenerate with BOARDCHECK_UPDATE_GOLDEN=1 and review
the diff when a change is intended)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.test_sector_views import MIDDLING, STRONG, WEAK, _variant, sheets_as_csv

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("BOARDCHECK_UPDATE_GOLDEN") == "1"
COLLABORATIVES = "tests/fixtures/collaboratives"


def _golden(name: str, actual: str) -> str:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    return path.read_bytes().decode("utf-8")


@pytest.fixture
def four(tmp_path: Path) -> Path:
    """The three examples (one each in the Midlands, the North West and the South West, each
    in its own ICB) and a second strong acute trust in the North West whose ICB is written
    as a spreadsheet formula."""
    folder = tmp_path / "four"
    folder.mkdir()
    for source in (STRONG, MIDDLING, WEAK):
        shutil.copy(source, folder / source.name)
    _variant(STRONG, folder, "strong-2.yaml", organisation="Strong 2 NHS FT", ods="ZS2",
             region="north_west", icb="=SUM(A1:A9)")
    return folder


# --- the breakdowns CSV ------------------------------------------------------------------


def test_breakdowns_are_written_beside_the_table_of_trusts(four: Path, tmp_path: Path) -> None:
    table, breakdowns = tmp_path / "sector.csv", tmp_path / "sector-breakdowns.csv"
    run = run_cli("check", str(four), "-o", str(table), "--breakdowns", str(breakdowns))
    assert run.exit_code == 0, run.stderr
    assert run.stderr == (f"wrote table of results (CSV) to {table}\n"
                          f"wrote table of breakdowns (CSV) to {breakdowns}\n")
    text = breakdowns.read_bytes().decode("utf-8")
    assert text == _golden("breakdowns.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    # One row per breakdown, group and question (the whole and each of the five): the
    # whole batch, 3 regions, 4 ICBs, 3 sectors, 2 legal forms, 4 governance models.
    assert len(rows) == 6 * (1 + 3 + 4 + 3 + 2 + 4)
    overall = [(r["breakdown"], r["group"], r["group_id"], r["trusts"], r["green_share"],
                r["amber_share"], r["red_share"], r["insufficient_evidence_share"],
                r["lower_quartile"], r["median"], r["upper_quartile"])
               for r in rows if r["question_id"] == "overall"
               and r["breakdown_id"] in ("all", "region", "icb")]
    assert overall == [
        ("All trusts", "All trusts", "", "4", "50.0", "25.0", "25.0", "0.0", "58.9", "84.7",
         "94.8"),
        ("NHS England region", "Midlands", "midlands", "1", "100.0", "0.0", "0.0", "0.0",
         "97.5", "97.5", "97.5"),
        ("NHS England region", "North West", "north_west", "2", "50.0", "50.0", "0.0", "0.0",
         "80.1", "84.7", "89.3"),
        ("NHS England region", "South West", "south_west", "1", "0.0", "0.0", "100.0", "0.0",
         "8.9", "8.9", "8.9"),
        # A formula from a file is text in the spreadsheet: a leading apostrophe.
        ("ICB", "'=SUM(A1:A9)", "'=SUM(A1:A9)", "1", "100.0", "0.0", "0.0", "0.0", "93.9",
         "93.9", "93.9"),
        ("ICB", "NHS Harrowfield and Wendmoor ICB", "NHS Harrowfield and Wendmoor ICB", "1",
         "100.0", "0.0", "0.0", "0.0", "97.5", "97.5", "97.5"),
        ("ICB", "NHS Marrowdene and Fellbridge ICB", "NHS Marrowdene and Fellbridge ICB", "1",
         "0.0", "100.0", "0.0", "0.0", "75.5", "75.5", "75.5"),
        ("ICB", "NHS Sallowmere and Blackwick ICB", "NHS Sallowmere and Blackwick ICB", "1",
         "0.0", "0.0", "100.0", "0.0", "8.9", "8.9", "8.9")]
    # Per question too: the South West on resourcing is rated insufficient evidence, so it
    # has no score in the quartiles (blank, not 0).
    assert [[r[k] for k in ("trusts", "green", "insufficient_evidence",
                            "insufficient_evidence_share", "scored", "median")]
            for r in rows if (r["group_id"], r["question_id"]) == ("south_west", "resourcing")
            ] == [["1", "0", "1", "100.0", "0", ""]]
    # The JSON's breakdowns, the same groups and shares.
    summary = json.loads(run_cli("check", str(four), "-f", "json").stdout)["summary"]
    region = next(b for b in summary["breakdowns"] if b["key"] == "region")
    assert [(g["label"], g["overall"]["shares"]["green"]) for g in region["groups"]] == [
        ("Midlands", 100.0), ("North West", 50.0), ("South West", 0.0)]


def test_the_table_of_trusts_is_the_same_bytes_with_or_without_breakdowns(
        four: Path, tmp_path: Path) -> None:
    plain, beside = tmp_path / "plain.csv", tmp_path / "beside.csv"
    assert run_cli("check", str(four), "-o", str(plain)).exit_code == 0
    assert run_cli("check", str(four), "-o", str(beside), "--breakdowns",
                   str(tmp_path / "b.csv"), "--jobs", "2").exit_code == 0
    assert plain.read_bytes() == beside.read_bytes()
    # The same breakdowns whatever the job count, the sort and the batch document's format.
    again = tmp_path / "again.csv"
    run = run_cli("check", str(four), "-f", "json", "-o", str(tmp_path / "b.json"),
                  "--breakdowns", str(again), "--jobs", "1", "--sort", "worst")
    assert run.exit_code == 0, run.stderr
    assert again.read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_breakdowns_for_excel_have_a_bom_and_a_row_of_titles(four: Path, tmp_path: Path
                                                              ) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run_cli("check", str(four), "--breakdowns", str(plain)).exit_code == 0
    run = run_cli("check", str(four), "--excel", "--breakdowns", str(excel))
    assert run.exit_code == 0, run.stderr
    text = excel.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffbreakdown,breakdown_id,group,group_id,question,")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == [
        "Breakdown", "Breakdown id (as --sort takes it)", "Group",
        "Group id (as the table of trusts writes it)", "Board question", "Board question id",
        "Trusts in the group", "Trusts rated green", "Trusts rated amber", "Trusts rated red",
        "Trusts rated insufficient evidence", "Trusts rated inconclusive",
        "Share rated green (%)", "Share rated amber (%)", "Share rated red (%)",
        "Share rated insufficient evidence (%)", "Share rated inconclusive (%)",
        "Trusts scored (rated green, amber or red)", "Lower quartile of the scores (P25)",
        "Median score (P50)", "Upper quartile of the scores (P75)", "Mean score"]
    assert [rows[0], *rows[2:]] == list(csv.reader(io.StringIO(
        plain.read_text(encoding="utf-8"))))


def test_one_file_with_breakdowns_is_a_batch_of_one(tmp_path: Path) -> None:
    out = tmp_path / "one.csv"
    run = run_cli("check", str(STRONG), "-f", "json", "--breakdowns", str(out))
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["summary"]["files"] == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [(r["breakdown"], r["group"], r["trusts"], r["green"]) for r in rows
            if r["question_id"] == "overall"] == [
        ("All trusts", "All trusts", "1", "1"), ("NHS England region", "Midlands", "1", "1"),
        ("ICB", "NHS Harrowfield and Wendmoor ICB", "1", "1"), ("Sector", "acute", "1", "1"),
        ("Legal form", "NHS foundation trust", "1", "1"),
        ("Governance model", "advisory forum", "1", "1"),
        ("Governance model", "joint committee", "1", "1")]


@pytest.mark.parametrize(("name", "message"), [
    ("b.json", "--breakdowns {d}/b.json: a name ending .json means JSON, which has no table "
               "of breakdowns; name the file .csv"),
    ("b.xls", "--breakdowns {d}/b.xls: boardcheck does not write the old Excel format (.xls): "
              "write a workbook as .xlsx (-o results.xlsx), or CSV (-o results.csv)"),
    ("sector.csv", "--breakdowns {d}/sector.csv: is the batch document's own file (-o): give "
                   "the breakdowns a name of their own"),
    ("-", "--breakdowns -: give a file name ending .csv; the batch document itself goes to "
          "stdout or -o"),
])
def test_a_breakdowns_file_that_cannot_be_is_refused_before_anything_is_written(
        four: Path, tmp_path: Path, name: str, message: str) -> None:
    table = tmp_path / "sector.csv"
    target = name if name == "-" else str(tmp_path / name)
    run = run_cli("check", str(four), "-o", str(table), "--breakdowns", target)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"boardcheck: {message.format(d=tmp_path)}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["four"]


def test_breakdowns_need_a_batch_format(tmp_path: Path) -> None:
    run = run_cli("check", str(STRONG), "-o", str(tmp_path / "p.docx"), "--breakdowns",
                  str(tmp_path / "b.csv"))
    assert (run.exit_code, run.stderr) == (2, f"boardcheck: -o {tmp_path}/p.docx: Word "
                                           "describes one file; --breakdowns needs a batch "
                                           "format (or --papers)\n")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_breakdowns_file_is_kept_without_force(four: Path, tmp_path: Path) -> None:
    table, breakdowns = tmp_path / "sector.csv", tmp_path / "b.csv"
    breakdowns.write_text("keep me\n", encoding="utf-8")
    run = run_cli("check", str(four), "-o", str(table), "--breakdowns", str(breakdowns))
    assert run.exit_code == 2
    assert run.stderr == (f"boardcheck: {breakdowns}: already exists; use --force to replace "
                          "it\n")
    assert breakdowns.read_text(encoding="utf-8") == "keep me\n"
    assert not table.exists()
    # Nor is an input file written over, even with --force.
    yaml = four / "weak-acute.yaml"
    before = yaml.read_bytes()
    run = run_cli("check", str(four), "--force", "--breakdowns", str(yaml))
    assert run.exit_code == 2
    assert yaml.read_bytes() == before
    assert run_cli("check", str(four), "-o", str(table), "--breakdowns", str(breakdowns),
                   "--force").exit_code == 0
    assert breakdowns.read_text(encoding="utf-8").startswith("breakdown,")


def test_help_says_how_to_get_the_breakdowns() -> None:
    run = run_cli("check", "--help", env={"COLUMNS": "200"})
    assert "--breakdowns FILE" in run.stdout
    assert "as a CSV table for a spreadsheet" in " ".join(run.stdout.split())


# --- the workbook's Collaboratives sheet ---------------------------------------------------


def _collaboratives_sheet(book: Path) -> list[list[object]]:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(book)["Collaboratives"]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_xlsx_lists_each_collaborative_its_members_readiness_and_disagreements(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(ROOT)  # file names as a user running from the repository sees them
    book = tmp_path / "c.xlsx"
    run = run_cli("check", COLLABORATIVES, "--as-of", "2026-10-01", "-o", str(book))
    assert run.exit_code == 0, run.stderr
    rows = _collaboratives_sheet(book)
    as_json = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    assert as_json == _golden("collaboratives-sheet.json", as_json)
    header = rows[0]
    assert header[:11] == ["Collaborative", "Part", "Organisation", "ODS code", "Submitted",
                           "Fact", "Value", "Where", "Overall score", "Overall rating",
                           "Overall evidenced %"]
    assert header[11:13] == ["Strategy alignment: score", "Strategy alignment: rating"]
    cancer = "RX1-EMCANCER East Midlands Cancer Alliance"
    vale = "Vale place partnership (probable match on name and partners; no shared code)"
    assert [r[:8] for r in rows if r[1] in ("Collaborative", "Member")] == [
        [cancer, "Collaborative", None, None, "3 of 4 members submitted", None,
         "Readiness across submitting members: no rated score; 3 insufficient evidence",
         None],
        [cancer, "Member", "Kestrelford Hospitals NHS Foundation Trust", "RX1", "yes", None,
         f"named in {COLLABORATIVES}/kestrelford.yaml, {COLLABORATIVES}/marrowdene.yaml, "
         f"{COLLABORATIVES}/thornwick.yaml", None],
        [cancer, "Member", "Marrowdene Community NHS Trust", "RY2", "yes", None,
         f"named in {COLLABORATIVES}/marrowdene.yaml, {COLLABORATIVES}/kestrelford.yaml, "
         f"{COLLABORATIVES}/thornwick.yaml", None],
        [cancer, "Member", "Thornwick Healthcare NHS Trust", "RZ3", "yes", None,
         f"named in {COLLABORATIVES}/thornwick.yaml, {COLLABORATIVES}/kestrelford.yaml, "
         f"{COLLABORATIVES}/marrowdene.yaml", None],
        [cancer, "Member", "Fenmoor NHS Trust", "RW4", "no", None,
         f"named in {COLLABORATIVES}/kestrelford.yaml", None],
        [vale, "Collaborative", None, None, "2 of 3 members submitted", None,
         "Readiness across submitting members: no rated score; 2 insufficient evidence",
         None],
        [vale, "Member", "Brookley Mental Health NHS Trust", "RB5", "yes", None,
         f"named in {COLLABORATIVES}/brookley.yaml, {COLLABORATIVES}/thornwick.yaml", None],
        [vale, "Member", "Thornwick Healthcare NHS Trust", "RZ3", "yes", None,
         f"named in {COLLABORATIVES}/thornwick.yaml, {COLLABORATIVES}/brookley.yaml", None],
        [vale, "Member", "Vale District Council", None, "no", None,
         f"named in {COLLABORATIVES}/brookley.yaml, {COLLABORATIVES}/thornwick.yaml", None]]
    assert [r[:11] for r in rows if r[1] == "Readiness" and r[0] == vale] == [
        [vale, "Readiness", "Brookley Mental Health NHS Trust", "RB5", None, None,
         "Vale place partnership (probable match)", f"{COLLABORATIVES}/brookley.yaml:13:5",
         1, "INSUFFICIENT EVIDENCE", 1],
        [vale, "Readiness", "Thornwick Healthcare NHS Trust", "RZ3", None, None,
         "Vale Place Partnership (probable match)", f"{COLLABORATIVES}/thornwick.yaml:28:5",
         3.6, "INSUFFICIENT EVIDENCE", 3.6]]
    # Every disagreement, each file's statement on a row of its own with its position: the
    # same statements, in the same order, as the JSON's collaboratives.
    disagreements = [(r[0], r[2], r[3], r[5], r[6], r[7]) for r in rows
                     if r[1] == "Disagreement"]
    assert disagreements[:3] == [
        (cancer, "Kestrelford Hospitals NHS Foundation Trust", "RX1",
         "terms of reference approved", "2026-03-01",
         f"{COLLABORATIVES}/kestrelford.yaml:23:17"),
        (cancer, "Marrowdene Community NHS Trust", "RY2", "terms of reference approved",
         "2026-04-01", f"{COLLABORATIVES}/marrowdene.yaml:22:17"),
        (cancer, "Kestrelford Hospitals NHS Foundation Trust", "RX1",
         "boards that approved the terms of reference",
         "Kestrelford Hospitals NHS Foundation Trust; Marrowdene Community NHS Trust; "
         "Thornwick Healthcare NHS Trust; Fenmoor NHS Trust",
         f"{COLLABORATIVES}/kestrelford.yaml:24:20")]
    views = json.loads(run_cli("check", COLLABORATIVES, "--as-of", "2026-10-01", "-f",
                               "json").stdout)["collaboratives"]
    # The JSON keeps a governance model's identifier; the sheet gives it in words.
    worded = {"advisory_forum": "advisory forum",
              "provider_leadership_board": "provider leadership board"}
    assert [(d[1], d[3], d[4], d[5]) for d in disagreements] == [
        (s["organisation"], x["title"], worded.get(s["value"], s["value"]),
         f"{s['file']}:{s['line']}:{s['column']}")
        for v in views for x in v["disagreements"] for s in x["statements"]]
    assert len(disagreements) == 18
    assert disagreements[-2:] == [
        (vale, "Brookley Mental Health NHS Trust", "RB5", "governance model",
         "advisory forum", f"{COLLABORATIVES}/brookley.yaml:16:23"),
        (vale, "Thornwick Healthcare NHS Trust", "RZ3", "governance model",
         "provider leadership board", f"{COLLABORATIVES}/thornwick.yaml:31:23")]
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(book)["Collaboratives"]
    # The header row, and the collaborative, part, member and ODS code beside every column.
    assert sheet.freeze_panes == "E2"
    assert sheet.auto_filter.ref == f"A1:U{len(rows)}"
    dictionary = [r[:2] for r in openpyxl.load_workbook(book)["Data dictionary"].iter_rows(
        values_only=True) if r[0] == "Collaboratives"]
    assert [c for _, c in dictionary] == header


def test_xlsx_without_collaboratives_says_none_were_found(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    book = tmp_path / "none.xlsx"
    assert run_cli("check", str(STRONG), str(WEAK), "-o", str(book)).exit_code == 0
    rows = _collaboratives_sheet(book)
    assert [r[0] for r in rows] == [
        "Collaborative", "No collaborative is described by more than one submission, and no "
        "submission quotes a shared collaborative code."]


def test_the_collaboratives_sheet_opens_in_libreoffice(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: apt-get install --no-install-recommends "
                    "libreoffice-calc")
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(ROOT)
    book = tmp_path / "c.xlsx"
    assert run_cli("check", COLLABORATIVES, "--as-of", "2026-10-01", "-o",
                   str(book)).exit_code == 0
    out = sheets_as_csv(soffice, book, tmp_path)
    converted = list(csv.reader((out / "c-Collaboratives.csv").open(encoding="utf-8")))
    expected = _collaboratives_sheet(book)
    assert len(converted) == len(expected)

    def shown(value: object) -> str:
        return "" if value is None else str(value)

    # LibreOffice reads every cell as written: the words, and the scores as numbers.
    assert converted == [[shown(v) for v in row] for row in expected]
