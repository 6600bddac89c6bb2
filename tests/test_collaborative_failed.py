"""The collaborative view of a member whose own file could not be evaluated (issue 12): a
new user's trial found it reported as "not submitted", which is false. It submitted; its
file could not be checked. Through the CLI, on tests/fixtures/collaborative-failed/
(fictional): Aldernet Community Partnership (RA1-ALDERNET), described by Alder (RA1), whose
file names three partners: Birch (RB7), whose file fails validation (the code in the wrong
case) but states its organisation; Cedar (RC4), whose file is not valid YAML, so nothing
in it can be read; Damson (RD2), which submits no file. Cedar and Damson are "not
submitted as far as the batch can tell": one file could not be read far enough to say whose
it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import check_html

FOLDER = "tests/fixtures/collaborative-failed"
AS_OF = "2026-10-01"
BIRCH_AT = f"{FOLDER}/birch.yaml:15:25"
BIRCH_INDEX = 1  # alder.yaml, birch.yaml, cedar.yaml: the second file found
BIRCH_ERROR = ("collaboratives[0].collaborative_code: 'ra1-aldernet' is not a collaborative "
               "code: expected the host or lead organisation's ODS code (3 to 6 capital "
               "letters or digits), a hyphen and a short name in capitals, digits and "
               "hyphens, at most 40 characters in all, for example RX1-EMCANCER; did you "
               "mean 'RA1-ALDERNET'?")
NOT_KNOWN = ("not submitted as far as the batch can tell (1 file(s) could not be read far "
             "enough to say whose they are)")
BIRCH_STATUS = ("submitted a file that could not be checked, so whether it describes it is "
                f"not known: first error at {BIRCH_AT}")


def aldernet(*jobs: str) -> dict[str, object]:
    # Two files could not be evaluated: exit 2, the reports written all the same.
    run = run_cli("check", FOLDER, "-f", "json", "--as-of", AS_OF, *jobs)
    assert run.exit_code == 2, run.stderr
    views = json.loads(run.stdout)["collaboratives"]
    assert [v["code"] for v in views] == ["RA1-ALDERNET"]
    return views[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("jobs", [("-j", "1"), ("-j", "2")])
def test_json_says_a_member_whose_file_failed_submitted_with_where_it_first_fails(
        jobs: tuple[str, str], at_root: None) -> None:
    view = aldernet(*jobs)
    alder = [f"{FOLDER}/alder.yaml"]
    assert view["members"] == [
        {"name": "Alder Community NHS Trust", "ods_code": "RA1", "submitted": True,
         "describes": True, "files": alder, "ambiguous": [], "named_by": alder,
         "failed_files": []},
        # Submitted, truthfully; whether its file describes the partnership is not known.
        {"name": "Birch Community NHS Trust", "ods_code": "RB7", "submitted": True,
         "describes": False, "files": [], "ambiguous": [], "named_by": alder,
         "failed_files": [{"file": f"{FOLDER}/birch.yaml", "line": 15, "column": 25,
                           "message": BIRCH_ERROR}]},
        # Its file is not valid YAML: nothing says whose it is, so not known to have
        # submitted (failed_files_unidentified says why that is all that can be said).
        {"name": "Cedar Mental Health NHS Trust", "ods_code": "RC4", "submitted": False,
         "describes": False, "files": [], "ambiguous": [], "named_by": alder,
         "failed_files": []},
        {"name": "Damson Hospitals NHS Foundation Trust", "ods_code": "RD2",
         "submitted": False, "describes": False, "files": [], "ambiguous": [],
         "named_by": alder, "failed_files": []}]
    assert view["failed_files_unidentified"] == 1
    # Readiness counts the one member whose file was checked.
    assert view["readiness"]["overall"]["ratings"] == {  # type: ignore[index]
        "green": 0, "amber": 0, "red": 0, "insufficient_evidence": 1, "inconclusive": 0}


def test_terminal_says_who_submitted_a_file_that_could_not_be_checked(at_root: None) -> None:
    run = run_cli("check", FOLDER, "--as-of", AS_OF, env={"COLUMNS": "100"})
    assert run.exit_code == 2, run.stderr
    section = run.stdout[run.stdout.index("  RA1-ALDERNET"):run.stdout.index("Could not be")]
    assert section.splitlines() == [
        "  RA1-ALDERNET Aldernet Community Partnership",
        "    1 of 4 members describe it in their files: Alder Community NHS Trust (RA1); "
        "submitted a file",
        "    that could not be checked: Birch Community NHS Trust (RB7), first error at",
        f"    {BIRCH_AT}; not submitted as far as the batch can tell",
        "    (1 file(s) could not be read far enough to say whose they are): Cedar Mental "
        "Health NHS Trust",
        "    (RC4), Damson Hospitals NHS Foundation Trust (RD2)",
        "    Readiness: no rated score; 1 insufficient evidence",
        ""]
    # The location given is the first error the Errors section lists for the file.
    assert f"  {BIRCH_AT}: collaboratives[0].collaborative_code:" in run.stdout


def test_markdown_members_cell_says_so(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "markdown", "--as-of", AS_OF)
    assert run.exit_code == 2, run.stderr
    row = next(line for line in run.stdout.splitlines()
               if line.startswith("| RA1-ALDERNET"))
    assert row == (
        "| RA1-ALDERNET Aldernet Community Partnership | 1 of 4 members describe it in their "
        "files: Alder Community NHS Trust (RA1); submitted a file that could not be checked: "
        f"Birch Community NHS Trust (RB7), first error at {BIRCH_AT}; {NOT_KNOWN}: Cedar "
        "Mental Health NHS Trust (RC4), Damson Hospitals NHS Foundation Trust (RD2) | no "
        "rated score; 1 insufficient evidence | 0 |")


def test_html_member_list_says_so_and_links_to_the_errors(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "html", "--as-of", AS_OF)
    assert run.exit_code == 2, run.stderr
    page = run.stdout
    check_html(page)
    errors = ' (<a href="#errors">the files that could not be evaluated</a>)'
    # Birch's own file has its own entry in the list of errors, and the link goes to it.
    birch = (f' (<a href="#e{BIRCH_INDEX}">the problems with <code>{FOLDER}/birch.yaml</code>'
             "</a>)")
    start = page.index('<ul class="members">')
    assert page[start:page.index("</ul>", start)].splitlines() == [
        '<ul class="members">',
        "<li>Alder Community NHS Trust (RA1): describes it</li>",
        f"<li>Birch Community NHS Trust (RB7): {BIRCH_STATUS}{birch}</li>",
        f"<li>Cedar Mental Health NHS Trust (RC4): {NOT_KNOWN}{errors}</li>",
        f"<li>Damson Hospitals NHS Foundation Trust (RD2): {NOT_KNOWN}{errors}</li>"]
    assert '<section id="errors"' in page
    assert (f'<h3 id="e{BIRCH_INDEX}"><code>{FOLDER}/birch.yaml</code></h3>') in page
    assert "<p>1 of 4 members describe it in their files; 1 more submitted a file that " \
           "could not be checked:</p>" in page


def test_xlsx_member_rows_say_so(tmp_path: Path, at_root: None) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "c.xlsx"
    run = run_cli("check", FOLDER, "--as-of", AS_OF, "-o", str(book))
    assert run.exit_code == 2, run.stderr
    rows = [list(r)[:7] for r in openpyxl.load_workbook(book)["Collaboratives"].iter_rows(
        values_only=True)]
    named = f"named in {FOLDER}/alder.yaml"
    name = "RA1-ALDERNET Aldernet Community Partnership"
    assert [r for r in rows if r[1] in ("Collaborative", "Member")] == [
        [name, "Collaborative", None, None, "1 of 4 members describe it in their files; 1 "
         "more submitted a file that could not be checked", None,
         "Readiness across submitting members: no rated score; 1 insufficient evidence"],
        [name, "Member", "Alder Community NHS Trust", "RA1", "yes", None, named],
        [name, "Member", "Birch Community NHS Trust", "RB7", "file could not be checked",
         None, f"{BIRCH_STATUS}; {named}"],
        [name, "Member", "Cedar Mental Health NHS Trust", "RC4",
         "no, as far as the batch can tell", None, f"{NOT_KNOWN}; {named}"],
        [name, "Member", "Damson Hospitals NHS Foundation Trust", "RD2",
         "no, as far as the batch can tell", None, f"{NOT_KNOWN}; {named}"]]


def test_a_member_is_not_submitted_plainly_when_every_failed_file_says_whose_it_is(
        tmp_path: Path, at_root: None) -> None:
    """Without the unreadable file, nothing qualifies "not submitted"; and the count in
    the heading says one member submitted a file that could not be checked."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("alder", "birch"):
        (folder / f"{name}.yaml").write_bytes(Path(FOLDER, f"{name}.yaml").read_bytes())
    run = run_cli("check", str(folder), "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 2, run.stderr
    view = json.loads(run.stdout)["collaboratives"][0]
    assert [(m["name"], m["submitted"], len(m["failed_files"])) for m in view["members"]] == [
        ("Alder Community NHS Trust", True, 0), ("Birch Community NHS Trust", True, 1),
        ("Cedar Mental Health NHS Trust", False, 0),
        ("Damson Hospitals NHS Foundation Trust", False, 0)]
    assert view["failed_files_unidentified"] == 0
    md = run_cli("check", str(folder), "-f", "markdown", "--as-of", AS_OF).stdout
    assert ("; not submitted: Cedar Mental Health NHS Trust (RC4), Damson Hospitals NHS "
            "Foundation Trust (RD2) |") in md


def test_a_failed_file_stating_only_the_name_is_matched_by_name(tmp_path: Path,
                                                                at_root: None) -> None:
    """Birch's failed file gives no ODS code: its name matches the partner Alder lists with
    RB7, as a checked file's name would."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "alder.yaml").write_bytes(Path(FOLDER, "alder.yaml").read_bytes())
    birch = Path(FOLDER, "birch.yaml").read_text(encoding="utf-8")
    assert '  ods_code: "RB7"\n' in birch
    (folder / "birch.yaml").write_text(birch.replace('  ods_code: "RB7"\n', ""),
                                       encoding="utf-8")
    run = run_cli("check", str(folder), "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 2, run.stderr
    view = json.loads(run.stdout)["collaboratives"][0]
    assert [(m["name"], m["ods_code"], m["submitted"],
             [(f["line"], f["column"]) for f in m["failed_files"]])
            for m in view["members"]] == [
        ("Alder Community NHS Trust", "RA1", True, []),
        ("Birch Community NHS Trust", "RB7", True, [(14, 25)]),
        ("Cedar Mental Health NHS Trust", "RC4", False, []),
        ("Damson Hospitals NHS Foundation Trust", "RD2", False, [])]
