"""A host or lead named without an ODS code by a name two trusts share is reported as
ambiguous whatever the members agree on (issue 12, a new user's trial): it was reported only
inside a disagreement, so when every member wrote the same ambiguous name, or one wrote it
and another the code of one of the trusts it may be, nothing was said. Through the CLI, on
tests/fixtures/ambiguous-host/ (fictional): two trusts are called Elmwood NHS Trust (ZE1,
ZE2); Alderwick (ZA1) and Birchley (ZA2) both name the Vale Stroke Network's host "Elmwood
NHS Trust"; for the Vale Renal Network, Alderwick writes the name and Birchley "ZE2"; the
second Elmwood leads the Elmwood Heart Network, by its own name, and lists the first as a
partner with its code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import check_html
from tests.test_probable_files import terminal_view

FOLDER = "tests/fixtures/ambiguous-host"
ALDERWICK, BIRCHLEY, SOUTH = (f"{FOLDER}/{n}.yaml"
                              for n in ("alderwick", "birchley", "elmwood-south"))
WHY = ("ambiguous: organisations with different ODS codes have this name, ZE1 and ZE2; the "
       "file gives no code")
HOST = ("Ambiguous host organisation (not a disagreement): which organisation the name means "
        "cannot be told; its ODS code would tell:")
LEAD = HOST.replace("host", "lead")


def test_json_lists_each_ambiguous_host_and_lead_with_every_statement(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "json")
    assert run.exit_code == 0, run.stderr
    views = json.loads(run.stdout)["collaboratives"]
    assert [(v["code"], v["disagreements"], [
        (u["fact"], [(s["file"], s["line"], s["value"], s["ods_code"], s["ambiguous"])
                     for s in u["statements"]]) for u in v["unresolved"]])
            for v in views] == [
        ("ZE2-HEART", [], [("lead", [(SOUTH, 12, "Elmwood NHS Trust", None, ["ZE1", "ZE2"])])]),
        # A name and a code it may be: no disagreement, but the name still cannot be told.
        ("ZA1-RENAL", [], [("host", [
            (ALDERWICK, 22, "Elmwood NHS Trust", None, ["ZE1", "ZE2"]),
            (BIRCHLEY, 23, "ZE2", "ZE2", [])])]),
        # Both members write the same ambiguous name.
        ("ZA1-STROKE", [], [("host", [
            (ALDERWICK, 14, "Elmwood NHS Trust", None, ["ZE1", "ZE2"]),
            (BIRCHLEY, 15, "Elmwood NHS Trust", None, ["ZE1", "ZE2"])])])]


def test_terminal_says_which_host_or_lead_is_ambiguous_with_every_files_position(
        at_root: None) -> None:
    # At 120 columns: the line over each fact, and an ambiguous name's statement, wrapped.
    over = ["    " + HOST[:HOST.index(" would")], "    would tell:"]
    why = "ODS codes have this name, ZE1 and ZE2; the file gives no code)"
    name = "Elmwood NHS Trust (ambiguous: organisations with different"
    assert terminal_view(FOLDER) == [
        "Collaboratives across their members: 3 collaborative(s) found, 0 with disagreements, 0 "
        "with members matched only on name",
        "and partners (0 with no shared code), 3 with an ambiguous host or lead",
        "Readiness: the overall ratings of the members whose files describe it, each member "
        "once, and their median score.",
        "  ZE2-HEART Elmwood Heart Network",
        "    1 of 2 members describe it in their files: Elmwood NHS Trust (ZE2); submitted a "
        "file that does not describe it:",
        f"    Elmwood NHS Trust (ZE1), in {FOLDER}/elmwood-north.yaml",
        "    Readiness: no rated score; 1 insufficient evidence",
        "    " + LEAD[:LEAD.index(" would")], "    would tell:",
        f"      {SOUTH}:12:17: {name}", f"        {why}",
        "  ZA1-RENAL Vale Renal Network",
        "    2 of 2 members describe it in their files: Alderwick Community NHS Trust (ZA1), "
        "Birchley Hospitals NHS Trust (ZA2)",
        "    Readiness: no rated score; 2 insufficient evidence",
        *over,
        f"      {ALDERWICK}:22:13: {name} ODS", f"        {why[4:]}",
        f"      {BIRCHLEY}:23:13: ZE2",
        "  ZA1-STROKE Vale Stroke Network",
        "    2 of 2 members describe it in their files: Alderwick Community NHS Trust (ZA1), "
        "Birchley Hospitals NHS Trust (ZA2)",
        "    Readiness: no rated score; 2 insufficient evidence",
        *over,
        f"      {ALDERWICK}:14:13: {name} ODS", f"        {why[4:]}",
        f"      {BIRCHLEY}:15:13: {name} ODS", f"        {why[4:]}"]


def test_a_long_terminal_list_never_cuts_a_collaborative_with_an_ambiguous_host(
        monkeypatch: pytest.MonkeyPatch, at_root: None) -> None:
    import boardcheck.formats.rich_text

    # With room for none, only collaboratives whose members agree on every fact are cut.
    monkeypatch.setattr(boardcheck.formats.rich_text, "COLLABORATIVES_SHOWN", 0)
    run = run_cli("check", FOLDER, env={"COLUMNS": "120"})
    section = run.stdout[run.stdout.index("Collaboratives across their members"):]
    assert [line for line in section.splitlines() if line.startswith("  ")
            and not line.startswith("   ")] == [
        "  ZE2-HEART Elmwood Heart Network", "  ZA1-RENAL Vale Renal Network",
        "  ZA1-STROKE Vale Stroke Network"]


def test_markdown_and_html_say_which_host_or_lead_is_ambiguous(at_root: None) -> None:
    markdown = run_cli("check", FOLDER, "-f", "markdown").stdout.splitlines()
    at = markdown.index("#### ZE2-HEART Elmwood Heart Network")
    assert markdown[at:] == [
        "#### ZE2-HEART Elmwood Heart Network", "",
        f"- {LEAD}", f"  - `{SOUTH}:12:17`: Elmwood NHS Trust ({WHY})", "",
        "#### ZA1-RENAL Vale Renal Network", "",
        f"- {HOST}", f"  - `{ALDERWICK}:22:13`: Elmwood NHS Trust ({WHY})",
        f"  - `{BIRCHLEY}:23:13`: ZE2", "",
        "#### ZA1-STROKE Vale Stroke Network", "",
        f"- {HOST}", f"  - `{ALDERWICK}:14:13`: Elmwood NHS Trust ({WHY})",
        f"  - `{BIRCHLEY}:15:13`: Elmwood NHS Trust ({WHY})"]
    assert ("3 collaborative(s) found, 0 with disagreements, 0 with members matched only on "
            "name and partners (0 with no shared code), 3 with an ambiguous host or lead."
            ) in markdown
    page = run_cli("check", FOLDER, "-f", "html").stdout
    check_html(page)
    assert (f'<p class="ambiguous">{HOST}</p><ul>\n'
            "<li>Alderwick Community NHS Trust: <strong>Elmwood NHS Trust "
            f"({WHY})</strong> <code>{ALDERWICK}:22:13</code></li>\n"
            "<li>Birchley Hospitals NHS Trust: <strong>ZE2</strong> "
            f"<code>{BIRCHLEY}:23:13</code></li>\n</ul>") in page
    assert page.count('<p class="ambiguous">') == 3


def test_xlsx_has_a_row_for_each_statement_of_an_ambiguous_host_or_lead(
        tmp_path: Path, at_root: None) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "a.xlsx"
    assert run_cli("check", FOLDER, "-o", str(book)).exit_code == 0
    rows = openpyxl.load_workbook(book)["Collaboratives"].iter_rows(values_only=True)
    assert [r[:8] for r in rows if r[1] == "Ambiguous"] == [
        ("ZE2-HEART Elmwood Heart Network", "Ambiguous", "Elmwood NHS Trust", "ZE2", None,
         "lead organisation", f"Elmwood NHS Trust ({WHY})", f"{SOUTH}:12:17"),
        ("ZA1-RENAL Vale Renal Network", "Ambiguous", "Alderwick Community NHS Trust", "ZA1",
         None, "host organisation", f"Elmwood NHS Trust ({WHY})", f"{ALDERWICK}:22:13"),
        ("ZA1-RENAL Vale Renal Network", "Ambiguous", "Birchley Hospitals NHS Trust", "ZA2",
         None, "host organisation", "ZE2", f"{BIRCHLEY}:23:13"),
        ("ZA1-STROKE Vale Stroke Network", "Ambiguous", "Alderwick Community NHS Trust", "ZA1",
         None, "host organisation", f"Elmwood NHS Trust ({WHY})", f"{ALDERWICK}:14:13"),
        ("ZA1-STROKE Vale Stroke Network", "Ambiguous", "Birchley Hospitals NHS Trust", "ZA2",
         None, "host organisation", f"Elmwood NHS Trust ({WHY})", f"{BIRCHLEY}:15:13")]
