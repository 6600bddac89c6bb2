"""The collaborative view as a new user's trial found it wanting (issue 12): a member whose
file does not describe a collaborative said not to have submitted; a resubmission counted as
another member; probable matches not named; a host named by a name two submitting trusts
share resolved silently; facts recorded by some members only hidden from the terminal,
markdown and print. Through the CLI, on tests/fixtures/collaborative-trial/ (fictional):
Wyvern & Harrow Place Partnership (RA1-WYVERN), described by Alderby, by Harrow Vale twice
(a resubmission) and, without the code, by St Anne's NHS Trust (RS1); Northshire (RN1) is
named a partner but its file describes only its stroke network; Corbridge (RC3) does not
submit; a second St Anne's NHS Trust (RS9) submits and is in no partnership.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.htmlcheck import BROWSER_MISSING, HAVE_BROWSER, check_html, chromium

FOLDER = "tests/fixtures/collaborative-trial"
AS_OF = "2026-10-01"


def trial(name: str) -> str:
    return f"{FOLDER}/{name}.yaml"


def wyvern() -> dict[str, object]:
    run = run_cli("check", FOLDER, "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    views = json.loads(run.stdout)["collaboratives"]
    assert [v["code"] for v in views] == ["RA1-WYVERN", "RN1-STROKE"]
    return views[0]  # type: ignore[no-any-return]


def test_json_tells_a_member_whose_file_does_not_describe_it_from_one_that_did_not_submit(
        at_root: None) -> None:
    view = wyvern()
    assert [(m["name"], m["ods_code"], m["submitted"], m["describes"], m["files"],
             m["ambiguous"]) for m in view["members"]] == [  # type: ignore[attr-defined]
        ("Alderby Community NHS Trust", "RA1", True, True, [trial("alderby")], []),
        ("Harrow Vale NHS Trust", "RH2", True, True,
         [trial("harrow-vale-resubmitted"), trial("harrow-vale")], []),
        ("St Anne's NHS Trust", "RS1", True, True, [trial("st-annes-north")], []),
        # Submitted, truthfully; its file does not describe the partnership.
        ("Northshire Hospitals NHS Foundation Trust", "RN1", True, False,
         [trial("northshire")], []),
        ("Corbridge Mental Health NHS Trust", "RC3", False, False, [], []),
        # Alderby lists "St Anne's NHS Trust" without a code: RS1 or RS9, not told.
        ("St Anne's NHS Trust", None, False, False, [], ["RS1", "RS9"])]


def test_json_counts_a_member_with_two_files_once_and_marks_its_second_file(
        at_root: None) -> None:
    view = wyvern()
    assert [(s["file"], s["matched_by"], s["counted"])
            for s in view["submissions"]] == [  # type: ignore[index]
        (trial("alderby"), "code", True), (trial("harrow-vale-resubmitted"), "code", True),
        (trial("harrow-vale"), "code", False), (trial("st-annes-north"), "name_and_partners",
                                                True)]
    # Three members, three readings: not four files.
    assert view["readiness"]["overall"]["ratings"] == {  # type: ignore[index]
        "green": 0, "amber": 0, "red": 0, "insufficient_evidence": 3, "inconclusive": 0}
    lead = next(d for d in view["disagreements"] if d["fact"] == "lead")  # type: ignore[attr-defined]
    assert [(s["file"], s["ods_code"], s["repeat"]) for s in lead["statements"]] == [
        (trial("alderby"), "RA1", False), (trial("harrow-vale-resubmitted"), "RH2", False),
        (trial("harrow-vale"), "RH2", True)]


def test_a_host_named_by_a_name_two_submitting_trusts_share_is_ambiguous_not_resolved(
        at_root: None) -> None:
    host = next(d for d in wyvern()["disagreements"]  # type: ignore[attr-defined]
                if d["fact"] == "host")
    assert [(s["file"], s["value"], s["ods_code"], s["ambiguous"])
            for s in host["statements"]] == [
        (trial("alderby"), "St Anne's NHS Trust", None, ["RS1", "RS9"]),
        (trial("harrow-vale-resubmitted"), "RS9", "RS9", []),
        (trial("harrow-vale"), "RS9", "RS9", []),
        # Its own name: the trust itself, whatever others are called.
        (trial("st-annes-north"), "St Anne's NHS Trust", "RS1", [])]


def test_terminal_names_the_probable_matches_members_in_other_files_and_facts_some_record(
        at_root: None) -> None:
    run = run_cli("check", FOLDER, "--as-of", AS_OF, env={"COLUMNS": "140"})
    assert run.exit_code == 0, run.stderr
    section = run.stdout[run.stdout.index("Collaboratives across their members"):]
    assert section.replace(f"{FOLDER}/", "{F}").splitlines() == [
        # The summary counts what the headings say: one has a member matched on name only,
        # and the heading says how many files, listed with their positions below; one names
        # a host ambiguously.
        "Collaboratives across their members: 2 collaborative(s) found, 1 with disagreements, "
        "1 with members matched only on name and partners (0",
        "with no shared code), 1 with an ambiguous host or lead",
        "Readiness: the overall ratings of the members whose files describe it, each member "
        "once, and their median score.",
        "  RA1-WYVERN Wyvern and Harrow Place Partnership (1 of 4 files matched only on name "
        "and partners, a probable match)",
        # Two files from one member, said as such; a member whose file does not describe it,
        # apart from the one that did not submit.
        "    3 of 5 members describe it in their files: Alderby Community NHS Trust (RA1), "
        "Harrow Vale NHS Trust (RH2) (describes it in 2 files",
        "    ({F}harrow-vale-resubmitted.yaml, {F}harrow-vale.yaml); readiness counts",
        "    it once, by the first, {F}harrow-vale-resubmitted.yaml), St Anne's NHS Trust "
        "(RS1); submitted a file",
        "    that does not describe it: Northshire Hospitals NHS Foundation Trust (RN1), in "
        "{F}northshire.yaml; not",
        "    submitted: Corbridge Mental Health NHS Trust (RC3); ambiguous: St Anne's NHS "
        "Trust, named without an ODS code by",
        "    {F}alderby.yaml; submitting trusts with different codes have this name (RS1 and "
        "RS9), so which is meant",
        "    cannot be told",
        "    Readiness: no rated score; 3 insufficient evidence",
        "    Matched only on name and partners, not quoting RA1-WYVERN:",
        "      {F}st-annes-north.yaml:13:5: St Anne's NHS Trust (RS1), as Wyvern and Harrow "
        "place partnership",
        "    Disagree on host organisation:",
        "      {F}alderby.yaml:25:13: St Anne's NHS Trust (ambiguous: organisations with "
        "different ODS codes have",
        "        this name, RS1 and RS9; the file gives no code)",
        "      {F}harrow-vale-resubmitted.yaml:23:13: RS9",
        "      {F}harrow-vale.yaml:23:13 (Harrow Vale NHS Trust's other file): RS9",
        "      {F}st-annes-north.yaml:17:17: St Anne's NHS Trust (RS1)",
        "    Disagree on lead organisation:",
        "      {F}alderby.yaml:18:17: Alderby Community NHS Trust (RA1)",
        "      {F}harrow-vale-resubmitted.yaml:18:17: Harrow Vale NHS Trust (RH2)",
        "      {F}harrow-vale.yaml:18:17 (Harrow Vale NHS Trust's other file): Harrow Vale NHS "
        "Trust (RH2)",
        "    Recorded by some members only (2; not disagreements): exit notice period (months) "
        "(3 of 4 files); lead organisation (3 of 4 files)",
        "    (which files: -f json, -f html, -f markdown, -f xlsx)",
        "  RN1-STROKE Northshire Stroke Network",
        "    1 of 1 members describe it in their files: Northshire Hospitals NHS Foundation "
        "Trust (RN1)",
        "    Readiness: no rated score; 1 insufficient evidence"]


def test_markdown_lists_the_facts_some_members_record_with_their_files(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "markdown", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    at = lines.index("- Recorded by some members only (2; not disagreements):")
    a, h1, h2, s = (trial(x) for x in ("alderby", "harrow-vale-resubmitted", "harrow-vale",
                                       "st-annes-north"))
    assert lines[at + 1:at + 3] == [
        f"  - exit notice period (months): recorded by `{a}`, `{h1}`, `{h2}`; not by `{s}`",
        f"  - lead organisation: recorded by `{a}`, `{h1}`, `{h2}`; not by `{s}`"]
    assert (f"  - `{h2}:18:17` (Harrow Vale NHS Trust's other file): Harrow Vale NHS Trust "
            "(RH2)") in lines


def test_html_says_which_members_files_do_not_describe_it_and_prints_details_open(
        at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "html", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    page = run.stdout
    check_html(page)
    assert ("<li>Northshire Hospitals NHS Foundation Trust (RN1): submitted "
            f"{trial('northshire')}, which does not describe it: its partners&#x27; files say "
            "it is a member</li>") in page
    assert "<li>Corbridge Mental Health NHS Trust (RC3): not submitted</li>" in page
    assert ("<th scope=\"row\">Harrow Vale NHS Trust (another file from this member, "
            f"{trial('harrow-vale')}: not counted again)</th>") in page
    assert "<details open><summary>Recorded by some members only (2)</summary>" in page
    # Any other <details> (a long list of names) prints open too.
    assert "details:not([open])::details-content" in page


@pytest.mark.skipif(not HAVE_BROWSER, reason=BROWSER_MISSING)
def test_a_closed_details_prints_its_content_in_chromium(tmp_path: Path) -> None:
    """The page's own style: a list of names folded into a closed <details> ("and 30 more")
    is printed in full, as there is nothing to open on paper."""
    from boardcheck.formats.html_batch import STYLE

    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>t</title>"
                    f"<style>{STYLE}</style></head><body><p>Shown.</p><details><summary>and 2 "
                    "more</summary>Hiddenbyfolding Alsofolded</details></body></html>",
                    encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    run = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists(), run.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.split() == ["Shown.", "and", "2", "more", "Hiddenbyfolding", "Alsofolded"]


def test_xlsx_member_rows_say_whose_file_does_not_describe_it(tmp_path: Path,
                                                              at_root: None) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "c.xlsx"
    run = run_cli("check", FOLDER, "--as-of", AS_OF, "-o", str(book))
    assert run.exit_code == 0, run.stderr
    rows = [list(r) for r in openpyxl.load_workbook(book)["Collaboratives"].iter_rows(
        values_only=True)]
    members = [(r[2], r[4]) for r in rows if r[1] == "Member" and str(r[0]).startswith("RA1")]
    assert members == [("Alderby Community NHS Trust", "yes"), ("Harrow Vale NHS Trust", "yes"),
                       ("St Anne's NHS Trust", "yes"),
                       ("Northshire Hospitals NHS Foundation Trust",
                        "file does not describe it"),
                       ("Corbridge Mental Health NHS Trust", "no"),
                       ("St Anne's NHS Trust", "not known")]
    readiness = [r[2] for r in rows if r[1] == "Readiness" and str(r[0]).startswith("RA1")]
    assert readiness == ["Alderby Community NHS Trust", "Harrow Vale NHS Trust",
                         "Harrow Vale NHS Trust", "St Anne's NHS Trust"]
    assert [r[6] for r in rows if r[1] == "Readiness" and r[2] == "Harrow Vale NHS Trust"][1] \
        == ("Wyvern and Harrow Place Partnership (another file from this member: not counted "
            "again)")


# --- grouped views: a trust under every group it belongs to -----------------------------


def test_terminal_lists_a_trust_in_two_icbs_under_both_with_the_breakdowns_counts(
        at_root: None) -> None:
    run = run_cli("check", FOLDER, "--as-of", AS_OF, "--sort", "icb",
                  env={"COLUMNS": "100"})
    assert run.exit_code == 0, run.stderr
    league = run.stdout[:run.stdout.index("Questions: ")].splitlines()
    heads = [n for n, line in enumerate(league) if line.startswith("ICB: ")]
    # Names in order, the group recording none last; each heading with its count and median.
    assert [league[n] for n in heads] == [
        "ICB: NHS Harrow ICB (1 trust; none rated green, amber or red)",
        "ICB: NHS Northshire ICB (1 trust; none rated green, amber or red)",
        "ICB: NHS Wyvern ICB (4 trusts; none rated green, amber or red)",
        "ICB: ICB not recorded (1 trust; none rated green, amber or red)"]
    # St Anne's (RS1) records two ICBs: it is under both.
    harrow = league[heads[0] + 1:heads[1]]
    wyvern = league[heads[2] + 1:heads[3]]
    assert [line.split("  ")[1] for line in harrow if line.startswith("–")] == [
        "St Anne's NHS Trust"]
    assert [line.split("  ")[1] for line in wyvern if line.startswith("–")] == [
        "Alderby Community NHS Trust", "Harrow Vale NHS Trust", "Harrow Vale NHS Trust",
        "St Anne's NHS Trust"]
    # The By ICB table counts the same.
    by_icb = run.stdout[run.stdout.index("By ICB"):].split("\n\n")[1].splitlines()
    assert [(line[:20].strip(), line.split()[-8]) for line in by_icb
            if line.startswith((" NHS ", " ICB not"))] == [
        ("NHS Harrow ICB", "1"), ("NHS Northshire ICB", "1"), ("NHS Wyvern ICB", "4"),
        ("ICB not recorded", "1")]


def test_markdown_and_html_list_a_trust_under_each_of_its_icbs(at_root: None) -> None:
    md = run_cli("check", FOLDER, "--as-of", AS_OF, "--sort", "icb", "-f", "markdown").stdout
    rows = [line.split(" | ")[1:3] for line in md.splitlines()
            if line.startswith("| not ranked | ")]
    assert rows == [["St Anne's NHS Trust", "NHS Harrow ICB"],
                    ["Northshire Hospitals NHS Foundation Trust", "NHS Northshire ICB"],
                    ["Alderby Community NHS Trust", "NHS Wyvern ICB"],
                    ["Harrow Vale NHS Trust", "NHS Wyvern ICB"],
                    ["Harrow Vale NHS Trust", "NHS Wyvern ICB"],
                    ["St Anne's NHS Trust", "NHS Wyvern ICB"],
                    ["St Anne's NHS Trust", "ICB not recorded"]]
    page = run_cli("check", FOLDER, "--as-of", AS_OF, "--sort", "icb", "-f", "html").stdout
    check_html(page)
    assert "A trust in more than one ICB appears under each, as the breakdowns count it" in page
    assert ('ICB: NHS Wyvern ICB <span class="sub">4 trusts<span class="group-shown">'
            in page)
    # 7 rows for 6 trusts: each trust's anchor once.
    assert page.count("<tr id=\"t") == 6 and page.count(" data-t=") == 7


def test_xlsx_trusts_sheet_grouped_by_icb_has_a_row_under_each_icb(tmp_path: Path,
                                                                   at_root: None) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "icb.xlsx"
    run = run_cli("check", FOLDER, "--as-of", AS_OF, "--sort", "icb", "-o", str(book))
    assert run.exit_code == 0, run.stderr
    wb = openpyxl.load_workbook(book)
    trusts = [r[:4] for r in wb["Trusts"].iter_rows(values_only=True)]
    assert trusts == [
        ("Listed under (ICB)", "Rank in ICB", "Organisation", "ODS code"),
        ("NHS Harrow ICB", None, "St Anne's NHS Trust", "RS1"),
        ("NHS Northshire ICB", None, "Northshire Hospitals NHS Foundation Trust", "RN1"),
        ("NHS Wyvern ICB", None, "Alderby Community NHS Trust", "RA1"),
        ("NHS Wyvern ICB", None, "Harrow Vale NHS Trust", "RH2"),
        ("NHS Wyvern ICB", None, "Harrow Vale NHS Trust", "RH2"),
        ("NHS Wyvern ICB", None, "St Anne's NHS Trust", "RS1"),
        ("ICB not recorded", None, "St Anne's NHS Trust", "RS9")]
    # A filter on a group lists as many trusts as the By ICB sheet counts.
    by_icb = {r[0]: r[2] for r in wb["By ICB"].iter_rows(min_row=2, values_only=True)
              if r[1] == "Overall"}
    listed = [r[0] for r in trusts[1:]]
    assert {g: listed.count(g) for g in listed} == by_icb


def test_the_paper_of_a_member_whose_file_leaves_a_collaborative_out_says_so(
        tmp_path: Path, at_root: None) -> None:
    from tests.test_collaboratives import partner_rows

    papers = tmp_path / "papers"
    # Harrow Vale's two files would share a paper's name: only the trial's other members.
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("alderby", "harrow-vale", "northshire", "st-annes-north"):
        (folder / f"{name}.yaml").write_bytes((ROOT / trial(name)).read_bytes())
    run = run_cli("check", str(folder), "-f", "csv", "-o", str(tmp_path / "s.csv"),
                  "--papers", str(papers), "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    assert partner_rows((papers / "RN1.html").read_text(encoding="utf-8")) == [
        ["Wyvern & Harrow Place Partnership", "Membership",
         "not described in this trust's file",
         "Alderby Community NHS Trust: lists this trust as a partner / Harrow Vale NHS Trust: "
         "lists this trust as a partner"]]


def test_a_members_own_resubmission_under_another_name_is_not_listed_as_a_partner(
        tmp_path: Path, at_root: None) -> None:
    """The second trial: a trust's second file, with its ODS code but another name, was
    listed in its own paper among the other members' files."""
    from tests.test_collaboratives import partner_rows

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("alderby", "harrow-vale", "st-annes-north"):
        (folder / f"{name}.yaml").write_bytes((ROOT / trial(name)).read_bytes())
    again = (ROOT / trial("harrow-vale-resubmitted")).read_text(encoding="utf-8")
    assert "  name: Harrow Vale NHS Trust\n" in again
    (folder / "zz-harrow-vale-again.yaml").write_text(again.replace(
        "  name: Harrow Vale NHS Trust\n", "  name: Harrow Vale NHS Trust (resubmission)\n"),
        encoding="utf-8")
    papers = tmp_path / "papers"
    run = run_cli("check", str(folder), "-f", "csv", "-o", str(tmp_path / "s.csv"),
                  "--papers", str(papers), "--as-of", AS_OF)
    # The two files share a paper's name (RH2): the second is refused, the run exits 2.
    assert run.exit_code == 2
    rows = partner_rows((papers / "RH2.html").read_text(encoding="utf-8"))
    assert rows and all("resubmission" not in cell for row in rows for cell in row)
    assert any("Alderby Community NHS Trust" in row[3] for row in rows)
