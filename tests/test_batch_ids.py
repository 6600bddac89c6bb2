"""The batch outputs' ids and lists, from a new user's second trial of the sector view (issue 12):

- (D) an ICB whose name holds ";" stays one ICB in the CSV's and the workbook's joined cells;
- (F) the group of files recording nothing has one id in every section: null in JSON, an empty
  id cell in the CSV and the workbook, never a word a real ICB could be called;
- (G) possible duplicate submissions are in markdown and the workbook too;
- (S) every breakdown table lists that group last.

Four fictional trusts in tests/fixtures/batch-ids/: Fenmarsh (three ICBs, one named with a ";",
one beginning with a double quote), Lea Vale twice (an ICB really called "ICB not recorded", a
name that is a formula and markup), and Bare Hill (recording no region, ICB, sector, legal form
or arrangement).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "batch-ids"
FENMARSH_ICBS = ["NHS Fen; Marsh ICB", "NHS Lea ICB", '"North" ICB']


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The four files in `in/` under the working directory, so every path is the same."""
    shutil.copytree(FIXTURES, tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    return "in"


def _trusts_csv(text: str) -> dict[str, dict[str, str]]:
    return {r["file"]: r for r in csv.DictReader(io.StringIO(text))}


# --- (D) a name holding the separator ------------------------------------------------------

def test_csv_writes_an_icb_holding_the_separator_as_one_quoted_name(batch: str) -> None:
    run = run_cli("check", batch, "-f", "csv")
    assert run.exit_code == 0, run.stderr
    rows = _trusts_csv(run.stdout)
    cell = rows["in/a-fenmarsh.yaml"]["icbs"]
    assert cell == '"NHS Fen; Marsh ICB";NHS Lea ICB;"""North"" ICB"'
    # Any CSV reader told ";" has the three names back, exactly.
    assert next(csv.reader([cell], delimiter=";")) == FENMARSH_ICBS
    # Names without the separator are written as before, byte for byte.
    assert rows["in/b-leavale.yaml"]["icbs"] == "ICB not recorded"
    assert rows["in/d-bare.yaml"]["icbs"] == ""
    assert rows["in/a-fenmarsh.yaml"]["sectors"] == "acute"


def test_workbook_writes_an_icb_holding_the_separator_as_one_quoted_name(batch: str) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    assert run_cli("check", batch, "-o", "out.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook("out.xlsx")["Trusts"]
    rows = list(sheet.iter_rows(values_only=True))
    at = rows[0].index("ICBs")
    icbs = {r[1]: r[at] for r in rows[1:]}
    cell = icbs["Fenmarsh Acute NHS Trust"]
    # "; " for a reader; a name with a comma ("NHS Bath and North East Somerset, Swindon and
    # Wiltshire ICB") was two names when the cell joined them with ", ".
    assert cell == '"NHS Fen; Marsh ICB"; NHS Lea ICB; """North"" ICB"'
    assert next(csv.reader([cell], delimiter=";", skipinitialspace=True)) == FENMARSH_ICBS
    assert icbs["Bare Hill NHS Trust"] is None  # an empty cell


# --- (F) one id for the group recording nothing; (S) last ----------------------------------

NOT_RECORDED_GROUPS = {
    "region": [("east_of_england", "East of England", 1), ("london", "London", 2),
               (None, "Region not recorded", 1)],
    # The ICB really called "ICB not recorded" is a group of its own: the group of files
    # recording no ICB is null, so the two never merge.
    "icb": [('"North" ICB', '"North" ICB', 1), ("ICB not recorded", "ICB not recorded", 2),
            ("NHS Fen; Marsh ICB", "NHS Fen; Marsh ICB", 1),
            ("NHS Lea ICB", "NHS Lea ICB", 1), (None, "ICB not recorded", 1)],
    "sector": [("acute", "acute", 1), ("community", "community", 2),
               (None, "Sector not recorded", 1)],
    "legal_form": [("nhs_foundation_trust", "NHS foundation trust", 2),
                   ("nhs_trust", "NHS trust", 1), (None, "Legal form not recorded", 1)],
    "governance_model": [("advisory_forum", "advisory forum", 2),
                         ("joint_committee", "joint committee", 1),
                         (None, "Governance model not recorded", 1)],
}


def test_json_names_the_group_recording_nothing_null_in_every_section(batch: str) -> None:
    run = run_cli("check", batch, "-f", "json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    # A change of a key's type: a new schema version (docs/result-schema.md, "Stability").
    assert data["schema_version"] == 3
    assert {r["schema_version"] for r in data["results"]} == {3}
    summary = data["summary"]
    assert [(g["name"], g["overall"]["files"]) for g in summary["by_sector"]] == [
        ("acute", 1), ("community", 2), (None, 1)]
    assert [(g["name"], g["overall"]["files"]) for g in summary["by_governance_model"]] == [
        ("advisory_forum", 2), ("joint_committee", 1), (None, 1)]
    assert {b["key"]: [(g["name"], g["label"], g["overall"]["files"]) for g in b["groups"]]
            for b in summary["breakdowns"]} == NOT_RECORDED_GROUPS
    assert [(s["sector"], s["checked"]) for s in summary["common_gaps_by_sector"]] == [
        ("acute", 1), ("community", 2), (None, 1)]


def test_csv_breakdowns_leave_the_id_empty_for_the_group_recording_nothing(batch: str) -> None:
    run = run_cli("check", batch, "-o", "trusts.csv", "--breakdowns", "groups.csv")
    assert run.exit_code == 0, run.stderr
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for r in csv.DictReader(io.StringIO(Path("groups.csv").read_text("utf-8"))):
        if r["question_id"] == "overall" and r["breakdown_id"] != "all":
            groups.setdefault(r["breakdown_id"], []).append(
                (r["group_id"], r["group"], r["trusts"]))
    # The CSV has no null: the id is empty, as the table of trusts' cell for a trust that
    # records none, and the group comes last.
    assert groups == {key: [("" if name is None else name, label, str(files))
                            for name, label, files in expected]
                      for key, expected in NOT_RECORDED_GROUPS.items()}
    trusts = _trusts_csv(Path("trusts.csv").read_text("utf-8"))
    assert (trusts["in/d-bare.yaml"]["region"], trusts["in/d-bare.yaml"]["legal_form"]) == \
        ("", "")


def test_workbook_breakdown_sheets_leave_the_id_empty_and_list_it_last(batch: str) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    assert run_cli("check", batch, "-o", "out.xlsx").exit_code == 0
    book = openpyxl.load_workbook("out.xlsx")
    sheets = {"region": "By region", "icb": "By ICB", "sector": "By sector",
              "legal_form": "By legal form", "governance_model": "By governance model"}
    # The workbook names groups in sentence case (group_label), as the other human reports.
    labels = {"acute": "Acute", "community": "Community", "advisory forum": "Advisory forum",
              "joint committee": "Joint committee"}
    for key, sheet in sheets.items():
        rows = [(r[-1], r[0], r[2]) for r in book[sheet].iter_rows(min_row=2, values_only=True)
                if r[1] == "Overall"]
        assert rows == [(name, labels.get(label, label), files)
                        for name, label, files in NOT_RECORDED_GROUPS[key]], sheet


def test_a_saved_result_of_version_2_or_3_is_still_read(batch: str, tmp_path: Path) -> None:
    run = run_cli("check", "in/d-bare.yaml", "-f", "json")
    saved = json.loads(run.stdout)
    assert saved["schema_version"] == 3
    old = tmp_path / "old.json"
    for version in (2, 3):
        saved["schema_version"] = version
        old.write_text(json.dumps(saved), encoding="utf-8")
        moved = run_cli("diff", str(old), "in/d-bare.yaml", "-f", "json")
        assert moved.exit_code == 0, moved.stderr
        assert json.loads(moved.stdout)["newly_met"] == []


def _terminal_groups(out: str, title: str) -> list[str]:
    """The groups of one "By ..." table in the terminal, in order: the rows at the first
    indent (the questions under each are indented further)."""
    table = out[out.index(f"\n{title}\n"):].split("\n\n")[1].splitlines()[2:]
    return [re.split(r"\s{2,}", line.strip())[0] for line in table
            if line.startswith(" ") and not line.startswith("  ")]


EXPECTED_LABELS = {
    "By NHS England region": ["East of England", "London", "Region not recorded"],
    "By ICB": ['"North" ICB', "ICB not recorded", "NHS Fen; Marsh ICB", "NHS Lea ICB",
               "ICB not recorded"],
    "By sector": ["Acute", "Community", "Sector not recorded"],
    "By legal form": ["NHS foundation trust", "NHS trust", "Legal form not recorded"],
    "By governance model": ["Advisory forum", "Joint committee",
                            "Governance model not recorded"],
}


def test_every_breakdown_table_lists_the_group_recording_nothing_last(batch: str) -> None:
    terminal = run_cli("check", batch, env={"COLUMNS": "120"}).stdout
    assert {t: _terminal_groups(terminal, t) for t in EXPECTED_LABELS} == EXPECTED_LABELS
    md = run_cli("check", batch, "-f", "markdown").stdout
    found: dict[str, list[str]] = {}
    for section in md.split("\n### ")[1:]:
        title, _, body = section.partition("\n")
        if title in EXPECTED_LABELS:
            # Each group's Overall row; its first cell is the label, markdown-escaped.
            found[title] = [re.sub(r"\\(.)", r"\1", line.split(" | ")[0][2:])
                            for line in body.splitlines() if " | Overall | " in line]
    assert found == EXPECTED_LABELS
    page = run_cli("check", batch, "-f", "html").stdout
    html_found = {}
    for title in EXPECTED_LABELS:
        part = page[page.index(f">{title}</h3>"):]
        part = part[:part.index("</table>")]
        html_found[title] = [label.replace("&quot;", '"') for label in re.findall(
            r'scope="rowgroup" class="group" rowspan="\d+">([^<]*)<', part)]
    assert html_found == EXPECTED_LABELS


# --- (G) possible duplicates in markdown and the workbook ----------------------------------

def test_markdown_lists_possible_duplicate_submissions(batch: str) -> None:
    md = run_cli("check", batch, "-f", "markdown").stdout
    section = md[md.index("### Possible duplicate submissions"):]
    section = section[:section.index("\n### ", 1)]
    # The name is text, not emphasis or a table's column break; files are code.
    assert section.splitlines() == [
        "### Possible duplicate submissions",
        "",
        "Files that share an ODS code or an organisation name: the same trust submitted "
        "twice, or a file with another trust's code or name.",
        "",
        "| Same | Value | Files |",
        "|---|---|---|",
        "| ODS code | RL1 | `in/b-leavale.yaml`, `in/c-leavale-again.yaml` |",
        "| Organisation name | =Lea \\| \\*Vale\\* NHS Trust | `in/b-leavale.yaml`, "
        "`in/c-leavale-again.yaml` |"]


def test_workbook_has_a_sheet_of_possible_duplicates(batch: str) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    assert run_cli("check", batch, "-o", "out.xlsx").exit_code == 0
    book = openpyxl.load_workbook("out.xlsx")
    assert book.sheetnames[-3:] == ["Trusts", "Possible duplicates", "Data dictionary"]
    sheet = book["Possible duplicates"]
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [
        ("Same", "Value", "File"),
        ("ODS code", "RL1", "in/b-leavale.yaml"),
        ("ODS code", "RL1", "in/c-leavale-again.yaml"),
        ("Organisation name", "=Lea | *Vale* NHS Trust", "in/b-leavale.yaml"),
        ("Organisation name", "=Lea | *Vale* NHS Trust", "in/c-leavale-again.yaml")]
    # As the other sheets: header frozen with the identifying columns, a filter on the table;
    # the name starting "=" is text, never a formula.
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("C2", "A1:C5")
    assert sheet["B4"].data_type == "s"
    dictionary = [r[:2] for r in book["Data dictionary"].iter_rows(values_only=True)
                  if r[0] == "Possible duplicates"]
    assert dictionary == [("Possible duplicates", "Same"), ("Possible duplicates", "Value"),
                          ("Possible duplicates", "File")]


def test_without_duplicates_markdown_says_nothing_and_the_sheet_says_none(
        batch: str) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    two = ["in/a-fenmarsh.yaml", "in/d-bare.yaml"]
    md = run_cli("check", *two, "-f", "markdown").stdout
    assert "Possible duplicate" not in md  # as the terminal: only when there are some
    assert run_cli("check", *two, "-o", "out.xlsx").exit_code == 0
    rows: list[tuple[Any, ...]] = list(
        openpyxl.load_workbook("out.xlsx")["Possible duplicates"].iter_rows(values_only=True))
    assert rows == [("Same", "Value", "File"),
                    ("None found: no two files share an ODS code or an organisation name.",
                     None, None)]
