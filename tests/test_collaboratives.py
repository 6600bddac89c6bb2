"""The collaborative view: members' submissions matched on a shared code (or, as a probable
match, on name and partners), their disagreements with every file's position, and their
readiness; through the CLI and through the batch API.

The fixture set (tests/fixtures/collaboratives/) holds two collaboratives: the East
Midlands Cancer Alliance (code RX1-EMCANCER), described by three members who disagree on
one fact of each comparison (dates, approving boards, notice period, dispute stages in
order, host, lead, liability text), with a fourth member named but not submitted; and Vale
Place Partnership, quoted without a code by two members who name each other (a probable
match) and disagree on the governance model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from boardcheck.batch import Job, catalogue, run_batch
from boardcheck.collaboratives import (
    ArrangementFacts,
    Fact,
    arrangement_facts,
    collaboratives,
    pack_facts,
    packed_facts,
    unpack_facts,
)
from boardcheck.formats.html_collaboratives import (
    NONE_FOUND,
    collaboratives_html,
    collaboratives_pieces,
)
from boardcheck.formats.markdown import collaboratives_markdown
from boardcheck.gates import Gates
from boardcheck.questionnaire import load_questionnaire
from boardcheck.summary import BatchResult, Row, Summariser, distribution
from tests.conftest import EXAMPLES, FIXTURES, ROOT, run_cli
from tests.htmlcheck import check_html

FOLDER = "tests/fixtures/collaboratives"
GOLDEN = Path(__file__).resolve().parent / "golden" / "collaboratives.json"
UPDATE = os.environ.get("BOARDCHECK_UPDATE_GOLDEN") == "1"
AS_OF = "2026-10-01"


def kestrel(name: str) -> str:
    return f"{FOLDER}/{name}.yaml"


def batch_of(files: list[Path], *, jobs: int = 1) -> BatchResult:
    q = load_questionnaire(None)
    job = Job(questionnaire=q, as_of=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1),
              gates=Gates())
    summariser = Summariser(catalogue(q))
    for row in run_batch(files, job, jobs=jobs, questionnaire=q):
        summariser.add(row)
    return summariser.finish(sort="score")


# --- through the CLI -----------------------------------------------------------------------

def test_json_batch_lists_each_collaborative_its_members_and_disagreements(at_root: None
                                                                            ) -> None:
    run = run_cli("check", FOLDER, "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    views = json.loads(run.stdout)["collaboratives"]
    assert [(v["code"], v["name"], v["probable"]) for v in views] == [
        ("RX1-EMCANCER", "East Midlands Cancer Alliance", False),
        (None, "Vale place partnership", True)]
    cancer, vale = views
    assert [(m["name"], m["ods_code"], m["submitted"]) for m in cancer["members"]] == [
        ("Kestrelford Hospitals NHS Foundation Trust", "RX1", True),
        ("Marrowdene Community NHS Trust", "RY2", True),
        ("Thornwick Healthcare NHS Trust", "RZ3", True),
        ("Fenmoor NHS Trust", "RW4", False)]
    # One of each comparison; the legal basis differs only in case, spacing and a full stop,
    # so it is not a disagreement.
    assert [d["fact"] for d in cancer["disagreements"]] == [
        "tor_approved", "tor_approved_by", "notice_months", "dispute_stages", "host", "lead",
        "liability"]
    notice = cancer["disagreements"][2]
    assert [(s["file"], s["line"], s["column"], s["value"]) for s in notice["statements"]] == [
        (kestrel("kestrelford"), 34, 22, "12"), (kestrel("marrowdene"), 31, 22, "6"),
        (kestrel("thornwick"), 25, 22, "12")]
    lead = cancer["disagreements"][5]
    assert [(s["file"], s["line"], s["value"]) for s in lead["statements"]] == [
        (kestrel("kestrelford"), 17, "Kestrelford Hospitals NHS Foundation Trust"),
        (kestrel("thornwick"), 18, "Thornwick Healthcare NHS Trust")]
    # Recorded by one member only: listed apart, never as a disagreement.
    budget = next(p for p in cancer["recorded_by_some"] if p["fact"] == "budget_gbp")
    assert budget == {"fact": "budget_gbp", "title": "budget (£)",
                      "recorded_by": [kestrel("kestrelford")],
                      "not_recorded_by": [kestrel("marrowdene"), kestrel("thornwick")]}
    assert "budget_gbp" not in {d["fact"] for d in cancer["disagreements"]}
    assert [(s["file"], s["matched_by"]) for s in vale["submissions"]] == [
        (kestrel("brookley"), "name_and_partners"), (kestrel("thornwick"), "name_and_partners")]
    assert [(m["name"], m["submitted"]) for m in vale["members"]] == [
        ("Brookley Mental Health NHS Trust", True), ("Thornwick Healthcare NHS Trust", True),
        ("Vale District Council", False)]
    assert [d["fact"] for d in vale["disagreements"]] == ["governance_model"]
    # Brookley's network has a name no other submission gives: it is no collaborative here.
    assert "Brookley Talking Therapies Network" not in run.stdout.split('"collaboratives"')[1]
    text = json.dumps(views, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the collaboratives section differs from tests/golden/collaboratives.json; if the "
        "change is intended, regenerate with BOARDCHECK_UPDATE_GOLDEN=1 and review the diff")


def test_the_view_is_the_same_whatever_the_number_of_workers(at_root: None) -> None:
    outputs = {run_cli("check", FOLDER, "-f", "json", "--as-of", AS_OF, "--jobs", jobs).stdout
               for jobs in ("1", "2", "3")}
    assert len(outputs) == 1


def test_terminal_names_every_member_and_lists_each_disagreement_with_every_files_position(
        at_root: None) -> None:
    run = run_cli("check", FOLDER, "--as-of", AS_OF, env={"COLUMNS": "80"})
    assert run.exit_code == 0
    section = run.stdout[run.stdout.index("Collaboratives across their members"):]
    k, m, t, b = (kestrel(n) for n in ("kestrelford", "marrowdene", "thornwick", "brookley"))
    # The most disagreements first. Every member named, with its ODS code; each statement
    # begins its line with file:line:column, its value wrapping two columns further in; a
    # host or lead with the ODS code it was compared by.
    assert section.splitlines() == [
        "Collaboratives across their members: 2 collaborative(s) found, 2 with",
        "disagreements, 1 with members matched only on name and partners (1 with no",
        "shared code), 0 with an ambiguous host or lead",
        # What readiness means, once: each collaborative's line is then "Readiness: ...".
        "Readiness: the overall ratings of the members whose files describe it, each",
        "member once, and their median score.",
        "  RX1-EMCANCER East Midlands Cancer Alliance",
        "    3 of 4 members describe it in their files: Kestrelford Hospitals NHS",
        "    Foundation Trust (RX1), Marrowdene Community NHS Trust (RY2), Thornwick",
        "    Healthcare NHS Trust (RZ3); not submitted: Fenmoor NHS Trust (RW4)",
        "    Readiness: no rated score; 3 insufficient evidence",
        "    Disagree on terms of reference approved:",
        f"      {k}:23:17: 2026-03-01",
        f"      {m}:22:17: 2026-04-01",
        "    Disagree on boards that approved the terms of reference:",
        f"      {k}:24:20: Kestrelford",
        "        Hospitals NHS Foundation Trust; Marrowdene Community NHS Trust;",
        "        Thornwick Healthcare NHS Trust; Fenmoor NHS Trust",
        f"      {m}:23:20: Kestrelford Hospitals",
        "        NHS Foundation Trust; Marrowdene Community NHS Trust",
        "    Disagree on exit notice period (months):",
        f"      {k}:34:22: 12",
        f"      {m}:31:22: 6",
        f"      {t}:25:22: 12",
        "    Disagree on dispute resolution stages:",
        f"      {k}:36:15: Chief executives;",
        "        Chairs; Independent mediation",
        f"      {m}:33:15: Chief executives;",
        "        Chairs; Independent mediation",
        f"      {t}:27:15: Chairs; Chief",
        "        executives; Independent mediation",
        "    Disagree on host organisation:",
        f"      {k}:29:13: Kestrelford",
        "        Hospitals NHS Foundation Trust (RX1)",
        f"      {m}:27:13: Marrowdene Community",
        "        NHS Trust (RY2)",
        "    Disagree on lead organisation:",
        f"      {k}:17:17: Kestrelford",
        "        Hospitals NHS Foundation Trust (RX1)",
        f"      {t}:18:17: Thornwick Healthcare",
        "        NHS Trust (RZ3)",
        "    Disagree on liability position:",
        f"      {k}:32:17: Each member carries",
        "        liability for its own decisions",
        f"      {m}:29:17: The host carries",
        "        liability for the alliance's decisions",
        # Facts only some members record: not disagreements, but said, with a count.
        "    Recorded by some members only (7; not disagreements): terms of reference",
        "    approved (2 of 3 files); boards that approved the terms of reference (2 of 3",
        "    files); host organisation (2 of 3 files); lead organisation (2 of 3 files);",
        "    budget (£) (1 of 3 files); budget year (1 of 3 files); liability position (2",
        "    of 3 files) (which files: -f json, -f html, -f markdown, -f xlsx)",
        "  Vale place partnership (probable match on name and partners; no shared code)",
        "    2 of 3 members describe it in their files: Brookley Mental Health NHS Trust",
        "    (RB5), Thornwick Healthcare NHS Trust (RZ3); not submitted: Vale District",
        "    Council",
        "    Readiness: no rated score; 2 insufficient evidence",
        # The files matched only on name and partners, each with its position.
        "    Matched only on name and partners, as no file quotes a shared code:",
        f"      {b}:13:5: Brookley Mental Health",
        "        NHS Trust (RB5), as Vale place partnership",
        f"      {t}:28:5: Thornwick Healthcare",
        "        NHS Trust (RZ3), as Vale Place Partnership",
        "    Disagree on governance model:",
        f"      {b}:16:23: advisory forum",
        f"      {t}:31:23: provider leadership",
        "        board",
    ]


def test_a_long_list_is_cut_only_among_collaboratives_whose_members_agree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import boardcheck.formats.rich_text

    # Two members-agree collaboratives (one submitter each, quoting a code) join the fixtures'
    # two with disagreements; with room for one, only the agreeing ones are cut.
    monkeypatch.setattr(boardcheck.formats.rich_text, "COLLABORATIVES_SHOWN", 1)
    shared = with_code("strong-acute-ft.yaml", "Shared Care Collaborative", "ZZA-SHARED",
                       tmp_path)
    alpha = with_code("weak-acute.yaml", "Alpha Network", "ZZB-ALPHA", tmp_path)
    paths = [str(p) for p in sorted((FIXTURES / "collaboratives").glob("*.yaml"))]
    args = ("check", *paths, str(shared), str(alpha), "--as-of", AS_OF)
    run = run_cli(*args, env={"COLUMNS": "100"})
    assert run.exit_code == 0
    section = run.stdout[run.stdout.index("Collaboratives across their members"):]
    assert [line for line in section.splitlines() if line.startswith("  ")
            and not line.startswith("   ")] == [
        "  RX1-EMCANCER East Midlands Cancer Alliance",
        "  Vale place partnership (probable match on name and partners; no shared code)",
        "  … and 2 more collaborative(s) whose members quote a shared code and agree on every "
        "fact they",
        "  state: all are in -f json, -f html, -f markdown and -f xlsx"]
    assert "Alpha Network" not in section and "Shared Care" not in section
    # The other formats list every collaborative, in the same order: the agreeing ones by
    # name, whatever their codes.
    views = json.loads(run_cli(*args, "-f", "json").stdout)["collaboratives"]
    assert [(v["code"], len(v["disagreements"])) for v in views] == [
        ("RX1-EMCANCER", 7), (None, 1), ("ZZB-ALPHA", 0), ("ZZA-SHARED", 0)]
    markdown = run_cli(*args, "-f", "markdown").stdout
    rows = [line.split(" | ")[0] for line in markdown.splitlines()
            if line.startswith(("| RX1-", "| ZZ", "| Vale"))]
    assert rows == ["| RX1-EMCANCER East Midlands Cancer Alliance",
                    "| Vale place partnership (probable match on name and partners; no shared "
                    "code)", "| ZZB-ALPHA Alpha Network", "| ZZA-SHARED Shared Care Collaborative"]
    page = run_cli(*args, "-f", "html").stdout
    headings = [page.index(f">{h}") for h in (
        "RX1-EMCANCER East Midlands", "Vale place partnership", "ZZB-ALPHA Alpha Network",
        "ZZA-SHARED Shared Care")]
    assert headings == sorted(headings)


def test_a_bad_code_is_refused_at_its_line_with_the_corrected_code(tmp_path: Path) -> None:
    text = (FIXTURES / "collaboratives" / "kestrelford.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("collaborative_code: RX1-EMCANCER",
                                "collaborative_code: rx1 emcancer"), encoding="utf-8")
    run = run_cli("validate", str(bad))
    assert run.exit_code == 2
    assert run.stderr.strip() == (
        f"{bad}:14:25: collaboratives[0].collaborative_code: 'rx1 emcancer' is not a "
        "collaborative code: expected the host or lead organisation's ODS code (3 to 6 capital "
        "letters or digits), a hyphen and a short name in capitals, digits and hyphens, at most "
        "40 characters in all, for example RX1-EMCANCER; did you mean 'RX1-EMCANCER'?")
    twice = tmp_path / "twice.yaml"
    twice.write_text(text + "  - id: again\n    name: Again\n    collaborative_code: "
                     "RX1-EMCANCER\n    type: joint_committee\n", encoding="utf-8")
    run = run_cli("check", str(twice))
    assert run.exit_code == 2
    assert run.stderr.strip() == (
        f"{twice}:39:25: collaboratives[1].collaborative_code: collaborative code RX1-EMCANCER "
        "is already given to collaboratives[0]; each arrangement has its own")


def test_the_schema_describes_the_code_with_its_pattern() -> None:
    run = run_cli("schema")
    assert run.exit_code == 0
    code = json.loads(run.stdout)["$defs"]["Collaborative"]["properties"]["collaborative_code"]
    assert code["anyOf"][0] == {"maxLength": 40, "type": "string",
                                "pattern": "^[A-Z0-9]{3,6}-[A-Z0-9]+(-[A-Z0-9]+)*$"}
    assert code["examples"] == ["RX1-EMCANCER"]


# --- each member's paper (check --papers) --------------------------------------------------

class _PartnersTable(HTMLParser):
    """The rows of a paper's "where partners differ" table, each cell's text with a `<br>`
    or a `.sub` line written as " / "."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.inside = ("class", "partners") in attrs
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.rows[-1].append("")
        elif self.in_body and (tag == "br" or (tag == "span" and ("class", "sub") in attrs)):
            self.rows[-1][-1] += " / "

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.in_body and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def partner_rows(page: str) -> list[list[str]]:
    table = _PartnersTable()
    table.feed(page)
    return [[cell.strip() for cell in row] for row in table.rows]


KESTRELFORD_DIFFERENCES = [
    ["East Midlands Cancer Alliance", "Terms of reference approved", "1 March 2026",
     "Marrowdene Community NHS Trust: 1 April 2026"],
    ["East Midlands Cancer Alliance", "Boards that approved the terms of reference",
     "Kestrelford Hospitals NHS Foundation Trust; Marrowdene Community NHS Trust; Thornwick "
     "Healthcare NHS Trust; Fenmoor NHS Trust",
     "Marrowdene Community NHS Trust: Kestrelford Hospitals NHS Foundation Trust; Marrowdene "
     "Community NHS Trust"],
    # Only the members stating otherwise: Thornwick's 12 months and Marrowdene's stages in
    # Kestrelford's order are what Kestrelford states.
    ["East Midlands Cancer Alliance", "Exit notice period (months)", "12",
     "Marrowdene Community NHS Trust: 6"],
    ["East Midlands Cancer Alliance", "Dispute resolution stages",
     "Chief executives; Chairs; Independent mediation",
     "Thornwick Healthcare NHS Trust: Chairs; Chief executives; Independent mediation"],
    ["East Midlands Cancer Alliance", "Host organisation",
     "Kestrelford Hospitals NHS Foundation Trust",
     "Marrowdene Community NHS Trust: Marrowdene Community NHS Trust"],
    ["East Midlands Cancer Alliance", "Lead organisation",
     "Kestrelford Hospitals NHS Foundation Trust",
     "Thornwick Healthcare NHS Trust: Thornwick Healthcare NHS Trust"],
    ["East Midlands Cancer Alliance", "Liability position",
     "Each member carries liability for its own decisions",
     "Marrowdene Community NHS Trust: The host carries liability for the alliance's "
     "decisions"]]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_members_paper_lists_the_facts_its_partners_state_differently(
        at_root: None, tmp_path: Path, jobs: str) -> None:
    papers = tmp_path / "papers"
    run = run_cli("check", FOLDER, "-f", "csv", "-o", str(tmp_path / "sector.csv"),
                  "--papers", str(papers), "--as-of", AS_OF, "--jobs", jobs)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines()[1] == (f"wrote 4 board papers (HTML) to {papers}; 4 show "
                                          "facts other members state differently")
    assert sorted(p.name for p in papers.iterdir()) == ["RB5.html", "RX1.html", "RY2.html",
                                                        "RZ3.html"]
    kestrelford = (papers / "RX1.html").read_text(encoding="utf-8")
    check_html(kestrelford)
    assert partner_rows(kestrelford) == KESTRELFORD_DIFFERENCES
    assert ("Other members' submissions to the same review describe one of the trust's "
            "collaborative arrangements differently from this trust's file.") in unescape(
        kestrelford)
    # Thornwick is in both collaboratives; Vale is matched on name and partners, and says so.
    thornwick = partner_rows((papers / "RZ3.html").read_text(encoding="utf-8"))
    assert [row[:2] for row in thornwick] == [
        ["East Midlands Cancer Alliance", "Exit notice period (months)"],
        ["East Midlands Cancer Alliance", "Dispute resolution stages"],
        ["East Midlands Cancer Alliance", "Lead organisation"],
        ["Vale Place Partnership / matched by its name and partners, as this trust's file "
         "quotes no collaborative code", "Governance model"]]
    assert thornwick[-1][2:] == ["provider leadership board",
                                 "Brookley Mental Health NHS Trust: advisory forum"]
    assert "agree one with the partners (or quote the one they use), so that the next review " \
        "matches" in (papers / "RZ3.html").read_text(
        encoding="utf-8")


def test_a_paper_differs_from_the_one_file_paper_only_by_its_partners_section(
        at_root: None, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    assert run_cli("check", FOLDER, "-f", "json", "-o", str(tmp_path / "s.json"), "--papers",
                   str(papers), "--as-of", AS_OF).exit_code == 0
    alone = tmp_path / "alone.html"
    assert run_cli("check", kestrel("kestrelford"), "-f", "html", "-o", str(alone),
                   "--as-of", AS_OF).exit_code == 0
    batch, one = (papers / "RX1.html").read_text(encoding="utf-8"), alone.read_text("utf-8")
    start = batch.index('<h3 id="partners">')
    end = batch.index("</table>", start) + len("</table>\n")
    assert batch[:start] + batch[end:] == one
    assert 'id="partners"' not in one


def test_ctrl_c_while_papers_are_written_again_says_they_are_incomplete(
        at_root: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import boardcheck.batch

    real = boardcheck.batch.run_batch
    calls = []

    def second_pass_interrupted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        rows = real(*args, **kwargs)  # type: ignore[arg-type]
        yield next(rows)
        if len(calls) == 2:
            raise KeyboardInterrupt
        yield from rows

    monkeypatch.setattr(boardcheck.batch, "run_batch", second_pass_interrupted)
    papers = tmp_path / "papers"
    run = run_cli("check", FOLDER, "-f", "csv", "-o", str(tmp_path / "s.csv"), "--papers",
                  str(papers), "--as-of", AS_OF, "--jobs", "1")
    assert run.exit_code == 130
    assert len(calls) == 2
    assert run.stderr.splitlines() == [
        f"wrote table of results (CSV) to {tmp_path / 's.csv'}",
        f"wrote 4 board papers (HTML) to {papers}; 1 shows facts other members state "
        "differently",
        "boardcheck: interrupted: the board papers written do not all show where partners "
        "describe a collaborative differently; run again to complete them"]
    # The whole batch is in the table: only the papers are incomplete.
    assert len((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()) == 5


def test_a_second_file_from_the_same_trust_is_not_listed_as_a_partner(tmp_path: Path) -> None:
    members = tmp_path / "members"
    shutil.copytree(ROOT / FOLDER, members)
    shutil.copy(members / "thornwick.yaml", members / "thornwick-again.yaml")
    papers = tmp_path / "papers"
    run = run_cli("check", str(members), "-f", "csv", "-o", str(tmp_path / "s.csv"),
                  "--papers", str(papers), "--as-of", AS_OF)
    assert run.exit_code == 2  # the two Thornwick papers would share a name: one is refused
    thornwick = partner_rows((papers / "RZ3.html").read_text(encoding="utf-8"))
    assert thornwick[0] == ["East Midlands Cancer Alliance", "Exit notice period (months)",
                            "12", "Marrowdene Community NHS Trust: 6"]
    assert not any("Thornwick" in row[3] for row in thornwick)


def test_word_papers_carry_the_same_differences(at_root: None, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    papers = tmp_path / "papers"
    run = run_cli("check", FOLDER, "-f", "docx", "--papers", str(papers), "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    document = docx.Document(str(papers / "RX1.docx"))
    table = next(t for t in document.tables
                 if [c.text for c in t.rows[0].cells] == ["Arrangement", "What differs",
                                                           "This trust's file",
                                                           "Members' files stating "
                                                           "otherwise"])
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [*row[:3], row[3].replace(" / ", "\n")] for row in KESTRELFORD_DIFFERENCES]


def test_a_paper_the_run_did_not_write_is_not_written_with_differences_either(
        at_root: None, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "RX1.html").write_text("kept", encoding="utf-8")
    run = run_cli("check", FOLDER, "-f", "csv", "--papers", str(papers), "--as-of", AS_OF)
    assert run.exit_code == 2
    assert (papers / "RX1.html").read_text(encoding="utf-8") == "kept"
    assert (f"wrote 3 board papers (HTML) to {papers}; 3 show facts other members state "
            "differently") in run.stderr.splitlines()


# --- through the API -----------------------------------------------------------------------

def with_code(example: str, name: str, code: str | None, tmp_path: Path,
              partners: str = "") -> Path:
    """An example file whose first arrangement is renamed, given a code and extra partners."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    first = text.index("\n  - id: ")
    head, rest = text[:first], text[first:]
    name_line = rest.index("\n    name: ")
    end = rest.index("\n", name_line + 1)
    block = f"\n    name: {name}" + (f"\n    collaborative_code: {code}" if code else "")
    rest = rest[:name_line] + block + rest[end:]
    if partners:
        at = rest.index("\n    partners:\n") + len("\n    partners:\n")
        rest = rest[:at] + partners + rest[at:]
    out = tmp_path / example
    out.write_text(head + rest, encoding="utf-8")
    return out


def test_readiness_is_the_members_ratings_and_scores(tmp_path: Path) -> None:
    files = [with_code("strong-acute-ft.yaml", "Shared Care Collaborative", "ZZA-SHARED",
                       tmp_path),
             with_code("weak-acute.yaml", "Shared Care Collaborative", "ZZA-SHARED", tmp_path)]
    batch = batch_of(files)
    (view,) = batch.collaboratives
    rows = sorted(batch.rows, key=lambda r: r.index)
    assert [s.overall_rating for s in view.submissions] == [r.overall_rating for r in rows]
    assert [r.overall_rating for r in rows] == ["green", "red"]
    assert view.overall == distribution([r.overall_score or 0.0 for r in rows],
                                        ["green", "red"])
    assert view.overall.ratings["green"] == 1 and view.overall.ratings["red"] == 1
    assert set(view.categories) == set(batch.category_ids)


def test_a_submission_without_the_code_joins_the_coded_collaborative_as_probable(
        tmp_path: Path) -> None:
    strong = with_code("strong-acute-ft.yaml", "Shared Care Collaborative", "ZZA-SHARED",
                       tmp_path)
    # The weak example names the strong one's trust as a partner, so they overlap.
    weak = with_code("weak-acute.yaml", "shared care  collaborative", None, tmp_path,
                     partners="      - {name: Harrowfield and Wendmoor Hospitals NHS Foundation "
                              "Trust}\n")
    (view,) = batch_of([strong, weak]).collaboratives
    assert view.code == "ZZA-SHARED" and view.probable is True
    assert [(s.file, s.matched_by) for s in view.submissions] == [
        (str(strong), "code"), (str(weak), "name_and_partners")]


def test_the_same_name_without_an_organisation_in_common_is_no_match(tmp_path: Path) -> None:
    files = [with_code("strong-acute-ft.yaml", "Shared Care Collaborative", None, tmp_path),
             with_code("weak-acute.yaml", "Shared Care Collaborative", None, tmp_path)]
    assert batch_of(files).collaboratives == ()


def member(index: int, organisation: str, *facts: Fact, code: str = "RX1-ONE") -> Row:
    arrangement = ArrangementFacts("one", "One", code, 5, 5, (), facts)
    return Row(index, f"{index}.yaml", organisation, arrangement_facts=pack_facts((arrangement,)))


def test_the_pure_reduction_compares_what_is_stated_and_only_that() -> None:
    rows = [
        member(0, "A", Fact("tor_approved_by", ("A", "B & C"), 7, 3),
               Fact("legal_basis", ("S65Z5",), 8, 3), Fact("host", ("The A Trust",), 9, 3)),
        member(1, "B", Fact("tor_approved_by", ("b and c", "a"), 7, 3),
               Fact("host", ("a trust",), 9, 3), Fact("notice_months", ("6",), 10, 3)),
        member(2, "C", Fact("host", ("C",), 4, 9)),
    ]
    (view,) = collaboratives(reversed(rows))  # input order is the rows' index, not arrival
    # The boards in any order, '&' for 'and', a leading 'The' and case: all the same.
    assert [(d.fact, [(s.file, s.line, s.column, s.value) for s in d.statements])
            for d in view.disagreements] == [
        ("host", [("0.yaml", 9, 3, "The A Trust"), ("1.yaml", 9, 3, "a trust"),
                  ("2.yaml", 4, 9, "C")])]
    assert [(p.fact, p.recorded_by, p.not_recorded_by) for p in view.partly_recorded] == [
        ("legal_basis", ("0.yaml",), ("1.yaml", "2.yaml")),
        ("tor_approved_by", ("0.yaml", "1.yaml"), ("2.yaml",)),
        ("notice_months", ("1.yaml",), ("0.yaml", "2.yaml"))]
    assert [m.name for m in view.members] == ["A", "B", "C"]
    assert view.submitted == 3


def test_facts_survive_packing_and_unpacking_exactly() -> None:
    facts = (ArrangementFacts("a", "Ærø <b>&", "RX1-A", 3, 5, (("P", None), ("Q", "RQ1"))),
             ArrangementFacts("b", "B", None, 9, 5, (), (
                 Fact("notice_months", ("12",), 10, 7), Fact("dispute_stages", ("x", "y"), 11, 7),
                 Fact("financial_limit_gbp", ("1,200,000.50",), 12, 9))))
    assert unpack_facts(pack_facts(facts)) == facts
    assert pack_facts(()) == b"" and unpack_facts(b"") == ()


def test_a_worker_packs_the_facts_it_would_extract() -> None:
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    compared = 0
    for path in [*sorted((FIXTURES / "collaboratives").glob("*.yaml")),
                 *sorted(EXAMPLES.glob("*.yaml"))]:
        trust, source = load(path, TrustDescription)
        facts = arrangement_facts(trust, source)
        assert unpack_facts(packed_facts(trust, source)) == facts, path
        assert (packed_facts(trust, source) == b"") == (facts == ()), path
        compared += sum(len(a.facts) for a in facts)
    assert compared == 103  # facts stated across these files: none went missing


def test_the_batch_api_fills_the_view_identically_with_two_workers() -> None:
    files = sorted((FIXTURES / "collaboratives").glob("*.yaml"))
    assert batch_of(files).collaboratives == batch_of(files, jobs=2).collaboratives


# --- the HTML section ------------------------------------------------------------------------

def test_html_section_is_well_formed_and_escapes_what_files_say(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & Co'
    files = sorted((FIXTURES / "collaboratives").glob("*.yaml"))
    batch = batch_of(files)
    section = collaboratives_html(batch)
    checker = check_html(f'<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head>'
                         f"<body><main>{section}</main></body></html>")
    assert checker.tables == section.count("<caption>") == 2
    assert section.startswith('<section id="collaboratives" class="collaboratives"')
    assert "RX1-EMCANCER East Midlands Cancer Alliance" in section
    assert "tests/fixtures/collaboratives/marrowdene.yaml:31:22" in section or \
        f"{FIXTURES}/collaboratives/marrowdene.yaml:31:22" in section
    assert "Fenmoor NHS Trust (RW4): not submitted" in section
    view = batch.collaboratives[0]
    evil = dataclasses.replace(view, name=hostile, members=tuple(
        dataclasses.replace(m, name=hostile) for m in view.members))
    shown = collaboratives_html(dataclasses.replace(batch, collaboratives=(evil,)))
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in shown
    empty = collaboratives_html(dataclasses.replace(batch, collaboratives=()))
    assert NONE_FOUND in empty and collaboratives_markdown(
        dataclasses.replace(batch, collaboratives=())) == []


def test_the_html_batch_page_carries_the_view_after_the_trusts(at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "html", "--as-of", AS_OF)
    assert run.exit_code == 0
    page = run.stdout
    check_html(page)  # one page: the section's ids do not clash with the page's
    assert '<li><a href="#collaboratives">' in page
    assert page.index('id="trusts"') < page.index('<section id="collaboratives"') < page.index(
        'id="breakdowns"')
    assert "<code>tests/fixtures/collaboratives/marrowdene.yaml:31:22</code>" in page


def test_a_collaborative_of_many_members_is_written_in_small_pieces(tmp_path: Path) -> None:
    text = (FIXTURES / "collaboratives" / "marrowdene.yaml").read_text(encoding="utf-8")
    files = []
    for i in range(60):
        path = tmp_path / f"member-{i:02d}.yaml"
        path.write_text(text.replace("Marrowdene Community NHS Trust\n",
                                     f"Member {i} NHS Trust\n", 1)
                        .replace('"RY2"\n', f'"R{i:02d}"\n', 1), encoding="utf-8")
        files.append(path)
    batch = batch_of(files)
    (view,) = batch.collaboratives
    assert view.submitted == 60
    pieces = list(collaboratives_pieces(batch))
    assert max(len(p) for p in pieces) < 2_000
    assert collaboratives_html(batch) == "\n".join(pieces) + "\n"


def test_the_report_order_is_disagreements_most_first_then_probable_then_agreeing() -> None:
    def arrangement(name: str, code: str | None, partner: str, *facts: Fact
                    ) -> ArrangementFacts:
        return ArrangementFacts(name.lower(), name, code, 5, 5, ((partner, None),), facts)

    def host(value: str) -> Fact:
        return Fact("host", (value,), 9, 3)

    def notice(months: str) -> Fact:
        return Fact("notice_months", (months,), 10, 3)

    rows = [Row(i, f"{own}.yaml", own, arrangement_facts=pack_facts((
        arrangement("Zeta", "RX1-ZETA", other, host(own)),
        arrangement("Epsilon", "RX2-EPSILON", other, host("A")),
        arrangement("Beta", "RX3-BETA", other, host(own), notice(months)),
        arrangement("Gamma", None, other, host("A")),
        arrangement("Alpha", "RX9-ALPHA", other, host(own)),
        arrangement("Delta", "RX0-DELTA", other))))
        for i, (own, other, months) in enumerate((("A", "B", "6"), ("B", "A", "12")))]
    assert [(v.name, v.code, v.probable, len(v.disagreements))
            for v in collaboratives(rows)] == [
        ("Beta", "RX3-BETA", False, 2),
        ("Alpha", "RX9-ALPHA", False, 1), ("Zeta", "RX1-ZETA", False, 1),
        ("Gamma", None, True, 0),
        ("Delta", "RX0-DELTA", False, 0), ("Epsilon", "RX2-EPSILON", False, 0)]


# --- the host and lead compared as organisations -------------------------------------------
# tests/fixtures/collaborative-hosts/: Northshire Stroke Network, whose host three members
# write three ways (its role, an abbreviation listed with its ODS code, the code alone);
# Riverside Pathology Partnership, whose two hosts' names read alike but whose ODS codes
# differ, and whose third member names no host; Westfield Therapies Alliance, whose host no
# file gives a code for, compared by name as before.

HOSTS = "tests/fixtures/collaborative-hosts"


def hosts(name: str) -> str:
    return f"{HOSTS}/{name}.yaml"


def test_hosts_are_compared_by_ods_code_wherever_one_resolves(at_root: None) -> None:
    run = run_cli("check", HOSTS, "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    views = {v["code"]: v for v in json.loads(run.stdout)["collaboratives"]}
    assert list(views) == ["RE3-PATH", "RS2-THERAPIES", "RN1-STROKE"]
    # The same host written three ways, each resolving to RN1: no disagreement.
    assert views["RN1-STROKE"]["disagreements"] == []
    assert views["RN1-STROKE"]["recorded_by_some"] == []
    # Names that read alike, different codes: a disagreement, and a certain one.
    assert views["RE3-PATH"]["disagreements"] == [
        {"fact": "host", "title": "host organisation", "names_only": False, "statements": [
            {"file": hosts("eastwick"), "line": 26, "column": 13,
             "organisation": "Eastwick NHS Trust", "value": "St. Mary's Hospital NHS Trust",
             "ods_code": "RB8", "ambiguous": [],
             "repeat": False},
            {"file": hosts("southmoor"), "line": 29, "column": 13,
             "organisation": "Southmoor Community NHS Trust",
             "value": "St Mary's Hospital NHS Trust", "ods_code": "RA7", "ambiguous": [],
             "repeat": False}]}]
    # Northshire names no pathology host: not recorded, never a disagreement.
    assert [(p["fact"], p["recorded_by"], p["not_recorded_by"])
            for p in views["RE3-PATH"]["recorded_by_some"]] == [
        ("host", [hosts("eastwick"), hosts("southmoor")], [hosts("northshire")]),
        ("lead", [hosts("eastwick")], [hosts("northshire"), hosts("southmoor")])]
    # No code anywhere: compared by name as before, and said to be by name.
    assert views["RS2-THERAPIES"]["disagreements"] == [
        {"fact": "host", "title": "host organisation", "names_only": True, "statements": [
            {"file": hosts("eastwick"), "line": 32, "column": 13,
             "organisation": "Eastwick NHS Trust", "value": "Westfield CIC", "ods_code": None,
             "ambiguous": [], "repeat": False},
            {"file": hosts("northshire"), "line": 33, "column": 13,
             "organisation": "Northshire Hospitals NHS Foundation Trust",
             "value": "westfield community interest company", "ods_code": None, "ambiguous": [],
             "repeat": False},
            {"file": hosts("southmoor"), "line": 37, "column": 13,
             "organisation": "Southmoor Community NHS Trust",
             "value": "Westfield Community Interest Company", "ods_code": None, "ambiguous": [],
             "repeat": False}]}]


def test_terminal_gives_each_host_its_code_and_says_when_only_names_were_compared(
        at_root: None) -> None:
    run = run_cli("check", HOSTS, "--as-of", AS_OF, env={"COLUMNS": "100"})
    assert run.exit_code == 0
    section = run.stdout[run.stdout.index("Collaboratives across their members"):]
    lines = [line for line in section.splitlines()
             if line.startswith(("    Disagree", "      "))]
    e, n, s = (hosts(name) for name in ("eastwick", "northshire", "southmoor"))
    assert lines == [
        "    Disagree on host organisation:",
        f"      {e}:26:13: St. Mary's Hospital NHS Trust (RB8)",
        f"      {s}:29:13: St Mary's Hospital NHS Trust (RA7)",
        "    Disagree on host organisation (compared by name: the files give no ODS code for "
        "some of these",
        f"      {e}:32:13: Westfield CIC",
        f"      {n}:33:13: westfield community interest company",
        f"      {s}:37:13: Westfield Community Interest Company"]
    assert "    names, so they may be one organisation written two ways):" in section


def test_html_gives_codes_only_where_names_read_alike(at_root: None) -> None:
    page = run_cli("check", HOSTS, "-f", "html", "--as-of", AS_OF).stdout
    check_html(page)
    assert ("<li>Eastwick NHS Trust: <strong>St. Mary&#x27;s Hospital NHS Trust (RB8)</strong>"
            in page)
    assert "<li>Eastwick NHS Trust: <strong>Westfield CIC</strong>" in page
    assert ('<dt>host organisation <span class="sub">(compared by name: the files give no ODS '
            "code for some of these names, so they may be one organisation written two "
            "ways)</span></dt>") in page


def test_a_host_given_as_a_code_is_shown_by_the_name_the_files_give_it() -> None:
    def row(index: int, organisation: str, ods: str, *facts: Fact,
            partners: tuple[tuple[str, str | None], ...] = ()) -> Row:
        arrangement = ArrangementFacts("one", "One", "RA1-ONE", 5, 5, partners, facts)
        return Row(index, f"{index}.yaml", organisation, ods,
                   arrangement_facts=pack_facts((arrangement,)))

    rows = [row(0, "Alpha Trust", "RA1", Fact("host", ("Alpha Trust",), 9, 3),
                Fact("lead", ("Alpha Trust",), 8, 3)),
            row(1, "Beta Trust", "RB2", Fact("host", ("RC3",), 9, 3),
                Fact("lead", ("Alpha Trust",), 8, 3),
                partners=(("Gamma Trust", "RC3"), ("Alpha Trust", "RA1"))),
            row(2, "Delta Trust", "RD4", Fact("host", ("ra1",), 9, 3))]
    from boardcheck.formats import collaborative_text as words

    (view,) = collaboratives(rows)
    (host,) = view.disagreements  # the lead, RA1 both times, agrees
    # "ra1" is not in capitals: a name that resolves to nothing, so the difference rests on
    # two codes (certain) and a name.
    assert [(s.value, s.ods_code, s.known_as) for s in host.statements] == [
        ("Alpha Trust", "RA1", None), ("RC3", "RC3", "Gamma Trust"), ("ra1", None, None)]
    assert host.names_only is False
    # The file that wrote a code is quoted as it wrote it, the name the others give after it.
    assert [words.value(host, s, code=True) for s in host.statements] == [
        "Alpha Trust (RA1)", "RC3 (Gamma Trust)", "ra1"]
    # Where no two names read alike, the words alone (HTML, the workbook).
    assert [words.value(host, s) for s in host.statements] == [
        "Alpha Trust", "RC3 (Gamma Trust)", "ra1"]


def test_papers_tell_apart_hosts_of_one_name_by_code_and_speak_words_otherwise(
        at_root: None, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    run = run_cli("check", HOSTS, "-f", "csv", "-o", str(tmp_path / "s.csv"), "--papers",
                  str(papers), "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    assert partner_rows((papers / "RE3.html").read_text(encoding="utf-8")) == [
        ["Riverside Pathology Partnership", "Host organisation",
         "St. Mary's Hospital NHS Trust (ODS code RB8)",
         "Southmoor Community NHS Trust: St Mary's Hospital NHS Trust (ODS code RA7)"],
        ["Westfield Therapies Alliance", "Host organisation", "Westfield CIC",
         "Northshire Hospitals NHS Foundation Trust: westfield community interest company / "
         "Southmoor Community NHS Trust: Westfield Community Interest Company"]]
    # Northshire's stroke network host agrees with Eastwick's "RN1": no row for it.
    assert [row[:2] for row in partner_rows((papers / "RN1.html").read_text("utf-8"))] == [
        ["Westfield Therapies Alliance", "Host organisation"]]


def test_a_list_item_holding_a_semicolon_is_shown_as_one_item_in_a_disagreement(
        tmp_path: Path) -> None:
    """Issue 12 (D's class): list facts are shown joined by "; ", so a stage written
    "Chief executives; Chairs" read exactly as two stages and the disagreement showed two
    equal values."""
    for name in ("kestrelford", "marrowdene"):
        (tmp_path / f"{name}.yaml").write_bytes((ROOT / kestrel(name)).read_bytes())
    marrowdene = tmp_path / "marrowdene.yaml"
    text = marrowdene.read_text(encoding="utf-8")
    assert "stages: [Chief executives, Chairs, Independent mediation]" in text
    marrowdene.write_text(text.replace(
        "stages: [Chief executives, Chairs, Independent mediation]",
        'stages: ["Chief executives; Chairs", Independent mediation]'), encoding="utf-8")
    run = run_cli("check", str(tmp_path), "-f", "json", "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    (view,) = json.loads(run.stdout)["collaboratives"]
    (stages,) = [d for d in view["disagreements"] if d["fact"] == "dispute_stages"]
    assert [s["value"] for s in stages["statements"]] == [
        "Chief executives; Chairs; Independent mediation",
        '"Chief executives; Chairs"; Independent mediation']


def test_a_members_paper_leaves_out_the_name_each_member_gives_the_collaborative(
        tmp_path: Path) -> None:
    """Members matched on the shared code may name it as each likes (docs/input-format.md):
    the view reports the names, but a board is not asked to settle one."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("kestrelford", "marrowdene"):
        (folder / f"{name}.yaml").write_bytes((ROOT / kestrel(name)).read_bytes())
    marrowdene = folder / "marrowdene.yaml"
    text = marrowdene.read_text(encoding="utf-8")
    assert "    name: East Midlands Cancer Alliance\n" in text
    marrowdene.write_text(text.replace("    name: East Midlands Cancer Alliance\n",
                                       "    name: EM Cancer Alliance\n"), encoding="utf-8")
    papers = tmp_path / "papers"
    run = run_cli("check", str(folder), "-f", "json", "--papers", str(papers),
                  "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    (view,) = json.loads(run.stdout)["collaboratives"]
    assert "name" in [d["fact"] for d in view["disagreements"]]
    for paper in ("RX1.html", "RY2.html"):
        rows = partner_rows((papers / paper).read_text(encoding="utf-8"))
        assert rows, paper
        assert "Name" not in [row[1] for row in rows]


def test_members_stating_the_same_value_are_listed_together_in_a_paper(
        at_root: None, tmp_path: Path) -> None:
    """A new user's trial: a trust differing from eight partners read eight rows of the
    same value. Members stating one value are named together, once."""
    papers = tmp_path / "papers"
    run = run_cli("check", FOLDER, "-f", "csv", "-o", str(tmp_path / "s.csv"),
                  "--papers", str(papers), "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    marrowdene = partner_rows((papers / "RY2.html").read_text(encoding="utf-8"))
    assert ["East Midlands Cancer Alliance", "Exit notice period (months)", "6",
            "Kestrelford Hospitals NHS Foundation Trust, Thornwick Healthcare NHS Trust: 12"
            ] in marrowdene
