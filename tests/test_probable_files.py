"""Probable matches name their files (issue 12, a new user's trial): a submission matched to
a collaborative on name and partners, not on its shared code, was named with its file only
in JSON and xlsx; the terminal, markdown and HTML said there was a probable match but not
which files. Each now lists them, as `file:line:column`, as the disagreements do.
Fictional files in tests/fixtures/probable-files/: the Fenford Diagnostics Network
(ZP1-DIAG), quoted by Ashcombe (ZP1) and Brackley (ZP2), described without the code by
Corfe (ZP3); the Fenford Place Partnership, described without a code by Brackley and Corfe.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import check_html

FOLDER = "tests/fixtures/probable-files"
BRACKLEY, CORFE = f"{FOLDER}/brackley.yaml", f"{FOLDER}/corfe.yaml"


def terminal_view(folder: str) -> list[str]:
    """The terminal's collaborative view of the folder's batch at 120 columns, by line."""
    run = run_cli("check", folder, env={"COLUMNS": "120"})
    assert run.exit_code == 0, run.stderr
    return run.stdout[run.stdout.index("Collaboratives across their members"):].splitlines()


def test_terminal_lists_each_probable_match_at_its_file_line_and_column(at_root: None) -> None:
    assert terminal_view(FOLDER) == [
        # The summary counts the two the headings call probable, one without a code.
        "Collaboratives across their members: 2 collaborative(s) found, 0 with disagreements, 2 "
        "with members matched only on name",
        "and partners (1 with no shared code), 0 with an ambiguous host or lead",
        "Readiness: the overall ratings of the members whose files describe it, each member "
        "once, and their median score.",
        "  ZP1-DIAG Fenford Diagnostics Network (1 of 3 files matched only on name and "
        "partners, a probable match)",
        "    3 of 3 members describe it in their files: Ashcombe Hospitals NHS Trust (ZP1), "
        "Brackley Community NHS Trust (ZP2),",
        "    Corfe Healthcare NHS Trust (ZP3)",
        "    Readiness: no rated score; 3 insufficient evidence",
        "    Matched only on name and partners, not quoting ZP1-DIAG:",
        f"      {CORFE}:7:5: Corfe Healthcare NHS Trust (ZP3), as Fenford diagnostics network",
        "  Fenford Place Partnership (probable match on name and partners; no shared code)",
        "    2 of 2 members describe it in their files: Brackley Community NHS Trust (ZP2), "
        "Corfe Healthcare NHS Trust (ZP3)",
        "    Readiness: no rated score; 2 insufficient evidence",
        "    Matched only on name and partners, as no file quotes a shared code:",
        f"      {BRACKLEY}:13:5: Brackley Community NHS Trust (ZP2), as Fenford Place "
        "Partnership",
        f"      {CORFE}:12:5: Corfe Healthcare NHS Trust (ZP3), as Fenford Place "
        "Partnership"]


def test_markdown_lists_each_probable_match_with_its_position_as_code(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    at = lines.index("#### ZP1-DIAG Fenford Diagnostics Network (1 of 3 files matched only on "
                     "name and partners, a probable match)")
    assert lines[at:] == [
        "#### ZP1-DIAG Fenford Diagnostics Network (1 of 3 files matched only on name and "
        "partners, a probable match)",
        "",
        "- Matched only on name and partners, not quoting ZP1-DIAG:",
        f"  - `{CORFE}:7:5`: Corfe Healthcare NHS Trust (ZP3), as Fenford diagnostics network",
        "",
        "#### Fenford Place Partnership (probable match on name and partners; no shared code)",
        "",
        "- Matched only on name and partners, as no file quotes a shared code:",
        f"  - `{BRACKLEY}:13:5`: Brackley Community NHS Trust (ZP2), as Fenford Place "
        "Partnership",
        f"  - `{CORFE}:12:5`: Corfe Healthcare NHS Trust (ZP3), as Fenford Place Partnership"]


def test_html_lists_each_probable_match_under_its_collaboratives_members(at_root: None
                                                                          ) -> None:
    run = run_cli("check", FOLDER, "-f", "html")
    assert run.exit_code == 0, run.stderr
    page = run.stdout
    check_html(page)
    diagnostics = page[page.index('<article class="collaborative" aria-labelledby='
                                  '"collaborative-1">'):page.index("<h4>Readiness")]
    assert diagnostics.splitlines() == [
        '<article class="collaborative" aria-labelledby="collaborative-1">',
        '<h3 id="collaborative-1">ZP1-DIAG Fenford Diagnostics Network (1 of 3 files matched '
        "only on name and partners, a probable match)</h3>",
        "<p>3 of 3 members describe it in their files:</p>",
        '<ul class="members">',
        "<li>Ashcombe Hospitals NHS Trust (ZP1): describes it</li>",
        "<li>Brackley Community NHS Trust (ZP2): describes it</li>",
        "<li>Corfe Healthcare NHS Trust (ZP3): describes it</li>",
        "</ul>",
        '<p>Matched only on name and partners, not quoting ZP1-DIAG:</p><ul class="probable">',
        "<li>Corfe Healthcare NHS Trust (ZP3), as Fenford diagnostics network "
        f"<code>{CORFE}:7:5</code></li>",
        "</ul>"]
    assert ('<p>Matched only on name and partners, as no file quotes a shared code:</p>'
            '<ul class="probable">\n'
            "<li>Brackley Community NHS Trust (ZP2), as Fenford Place Partnership "
            f"<code>{BRACKLEY}:13:5</code></li>\n"
            "<li>Corfe Healthcare NHS Trust (ZP3), as Fenford Place Partnership "
            f"<code>{CORFE}:12:5</code></li>\n</ul>") in page


def test_json_and_xlsx_give_the_same_files_and_positions(tmp_path: Path, at_root: None
                                                         ) -> None:
    views = json.loads(run_cli("check", FOLDER, "-f", "json").stdout)["collaboratives"]
    assert [(v["code"], [(s["file"], s["line"], s["column"]) for s in v["submissions"]
                         if s["matched_by"] == "name_and_partners"]) for v in views] == [
        ("ZP1-DIAG", [(CORFE, 7, 5)]), (None, [(BRACKLEY, 13, 5), (CORFE, 12, 5)])]
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "p.xlsx"
    assert run_cli("check", FOLDER, "-o", str(book)).exit_code == 0
    rows = openpyxl.load_workbook(book)["Collaboratives"].iter_rows(values_only=True)
    assert [(r[0], r[6], r[7]) for r in rows if r[1] == "Readiness"
            and "probable" in str(r[6])] == [
        ("ZP1-DIAG Fenford Diagnostics Network (1 of 3 files matched only on name and "
         "partners, a probable match)", "Fenford diagnostics network (probable match)",
         f"{CORFE}:7:5"),
        ("Fenford Place Partnership (probable match on name and partners; no shared code)",
         "Fenford Place Partnership (probable match)", f"{BRACKLEY}:13:5"),
        ("Fenford Place Partnership (probable match on name and partners; no shared code)",
         "Fenford Place Partnership (probable match)", f"{CORFE}:12:5")]
