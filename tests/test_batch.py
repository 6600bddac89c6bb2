"""Batch checking through the CLI: directories in, one row per file, errors never fatal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli

BROKEN = "schema_version: 1\norganisation:\n  name: no\n"


@pytest.fixture
def submissions(tmp_path: Path) -> Path:
    """The three examples, a broken file, a non-YAML file, and a nested duplicate."""
    folder = tmp_path / "submissions"
    (folder / "late").mkdir(parents=True)
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    shutil.copy(EXAMPLES / "weak-acute.yaml", folder / "late" / "weak-again.yml")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "notes.txt").write_text("not a submission\n", encoding="utf-8")
    return folder


def test_rich_batch_has_every_section_and_exits_2_for_the_broken_file(submissions: Path
                                                                     ) -> None:
    run = run_cli("check", str(submissions), "--jobs", "2")
    assert run.exit_code == 2
    out = run.stdout
    assert out.startswith("boardcheck batch: 5 file(s), 4 checked, 1 could not be evaluated\n")
    for heading in ("League table and heat map", "All trusts", "By NHS England region",
                    "By ICB", "By sector", "By legal form", "By governance model", "Outliers",
                    "Common gaps",
                    "Possible duplicate submissions", "Could not be evaluated (1 file(s))"):
        assert heading in out, heading
    # Wrapped to the terminal under a hanging indent: the location begins its line.
    assert f"\n  {submissions}/broken.yaml:3:9:" in out
    assert f"{submissions}/broken.yaml:3:9: organisation.name: expected text" in " ".join(
        out.split())
    # The report is not on a terminal here (redirected, piped): the error is said on stderr
    # too, or `check DIR > report.txt` would exit 2 in silence.
    assert run.stderr.startswith(f"{submissions}/broken.yaml:3:9: organisation.name: "
                                 "expected text")
    assert "same ODS code 'ZZC'" in out
    league = out[out.index("League table"):out.index("Questions: ")]
    order = [line.split()[1] for line in league.splitlines() if line[:3].strip().isdigit()]
    assert order == ["Harrowfield", "Marrowdene", "Sallowmere", "Sallowmere"]


def test_csv_has_one_row_per_file_and_an_error_column(submissions: Path) -> None:
    run = run_cli("check", str(submissions), "-f", "csv")
    assert run.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [Path(r["file"]).name for r in rows] == [
        "strong-acute-ft.yaml", "middling-community-mh.yaml", "weak-again.yml",
        "weak-acute.yaml", "broken.yaml"]
    assert [r["overall_rating"] for r in rows] == ["green", "amber", "red", "red", ""]
    assert rows[-1]["error"].endswith("put it in quotes: \"no\"")
    # The middling file is silent on exit terms: not evidenced, not "not met".
    assert rows[0]["PF01"] == "met" and rows[1]["PF01"] == "not_evidenced"
    assert run.stderr.startswith(f"{submissions}/broken.yaml:3:9: ")


def test_output_is_identical_whatever_the_number_of_workers(submissions: Path) -> None:
    outputs = {run_cli("check", str(submissions), "-f", "json", "--jobs", str(jobs)).stdout
               for jobs in (1, 2, 3)}
    assert len(outputs) == 1
    data = json.loads(outputs.pop())
    assert data["summary"]["files"] == 5 and data["summary"]["failed"] == 1
    assert data["summary"]["overall"]["ratings"] == {"green": 1, "amber": 1, "red": 2,
                                                     "insufficient_evidence": 0,
                                                     "inconclusive": 0}
    assert [g["criterion"] for g in data["summary"]["common_gaps"]][:1] == ["PI07"]
    assert data["errors"][0]["problems"][0]["line"] == 3


def test_sort_by_name_and_by_category(submissions: Path) -> None:
    by_name = run_cli("check", str(submissions), "-f", "csv", "--sort", "name")
    names = [r["organisation"] for r in csv.DictReader(io.StringIO(by_name.stdout))][:4]
    assert names == sorted(names, key=str.lower)
    by_risk = run_cli("check", str(submissions), "-f", "csv", "--sort", "risk_management")
    scores = [float(r["risk_management_score"])
              for r in csv.DictReader(io.StringIO(by_risk.stdout)) if r["overall_score"]]
    assert scores == sorted(scores, reverse=True)


def test_thresholds_apply_to_every_trust() -> None:
    run = run_cli("check", str(EXAMPLES), "-f", "csv", "--fail-on", "red")
    assert run.exit_code == 1
    assert "weak-acute.yaml: threshold failed: strategy_alignment is rated red" in run.stderr


def test_batch_sarif_states_a_successful_run_and_its_tool_as_one_file_does() -> None:
    batch = json.loads(run_cli("check", str(EXAMPLES), "-f", "sarif").stdout)["runs"][0]
    one = json.loads(run_cli("check", str(EXAMPLES / "weak-acute.yaml"), "-f",
                             "sarif").stdout)["runs"][0]
    assert batch["invocations"] == one["invocations"] == [{"executionSuccessful": True}]
    assert batch["tool"]["driver"] == one["tool"]["driver"]
    assert batch["language"] == one["language"] == "en-GB"
    schema_path = ROOT.parent / "shared" / "sarif-schema-2.1.0.json"
    if schema_path.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate({"version": "2.1.0", "runs": [batch]},
                            json.loads(schema_path.read_text(encoding="utf-8")))


def test_batch_sarif_junit_github_and_markdown(submissions: Path) -> None:
    sarif = json.loads(run_cli("check", str(submissions), "-f", "sarif").stdout)
    run = sarif["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert len(uris) == 4  # every trust has a gap, the weak one in two copies
    assert run["invocations"][0]["executionSuccessful"] is False
    schema_path = ROOT.parent / "shared" / "sarif-schema-2.1.0.json"
    if schema_path.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(sarif, json.loads(schema_path.read_text(encoding="utf-8")))
    junit = ET.fromstring(run_cli("check", str(submissions), "-f", "junit").stdout)
    assert junit.get("errors") == "1"
    assert len(junit.findall("testsuite")) == 4 * 5 + 1
    github = run_cli("check", str(submissions), "-f", "github").stdout.splitlines()
    assert f"::error file={submissions}/broken.yaml,line=3,col=9,title=boardcheck%3A cannot " \
           "evaluate::organisation.name: expected text, but YAML reads the unquoted 'no' as " \
           "the boolean false; if you meant text, put it in quotes: \"no\"" in github
    markdown = run_cli("check", str(submissions), "-f", "markdown").stdout
    assert markdown.startswith("## boardcheck: 4 trust(s) checked, 1 could not be evaluated")


def test_unreadable_directory_and_missing_path_are_reported_not_fatal(
        submissions: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "*.yaml"
    run = run_cli("check", str(submissions / "strong-acute-ft.yaml"), str(missing), "-f", "csv")
    assert run.exit_code == 2
    assert f"{missing}: no files match this pattern" in run.stderr
    assert run.stdout.count("\n") == 2  # header and the one trust


def test_symlink_loop_is_reported(submissions: Path) -> None:
    (submissions / "late" / "loop").symlink_to(submissions)
    run = run_cli("check", str(submissions), "-f", "csv")
    assert run.exit_code == 2
    assert "symbolic link loop" in run.stderr
    assert len(list(csv.DictReader(io.StringIO(run.stdout)))) == 5


@pytest.mark.usefixtures("interrupt_after_two")
def test_interrupted_batch_keeps_what_was_done(submissions: Path, tmp_path: Path) -> None:
    target = tmp_path / "partial.csv"
    run = run_cli("check", str(submissions), "-f", "csv", "-o", str(target))
    assert run.exit_code == 130
    assert run.stderr.endswith("boardcheck: interrupted: the output holds only the files "
                               "checked so far\n")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    json_run = run_cli("check", str(submissions), "-f", "json")
    assert json_run.exit_code == 130
    assert json.loads(json_run.stdout)["complete"] is False


# --- the verdict in batch views -----------------------------------------------------------

THIN = ROOT / "tests" / "fixtures" / "trusts" / "thin.yaml"


@pytest.fixture
def with_thin(tmp_path: Path) -> Path:
    """The three examples and a mostly blank file rated insufficient evidence."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    shutil.copy(THIN, folder / "thin.yaml")
    return folder


def test_csv_puts_coverage_beside_each_score(with_thin: Path) -> None:
    run = run_cli("check", str(with_thin), "-f", "csv")
    assert run.exit_code == 0
    header = run.stdout.splitlines()[0].split(",")
    assert header[:16] == ["file", "organisation", "ods_code", "sectors", "governance_models",
                           "region", "icbs", "legal_form", "as_of", "arrangements",
                           "critical_gaps", "critical_not_evidenced",
                           "overall_score", "overall_rating", "overall_evidence_coverage",
                           "overall_explanation"]
    assert header[16:19] == ["strategy_alignment_score", "strategy_alignment_rating",
                            "strategy_alignment_evidence_coverage"]
    assert header[-2:] == ["thresholds_failed", "error"]
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    thin = rows[-1]
    assert Path(thin["file"]).name == "thin.yaml"
    assert thin["overall_rating"] == "insufficient_evidence"
    assert thin["overall_explanation"].startswith("insufficient evidence: ")
    assert thin["overall_evidence_coverage"] == f"{float(thin['overall_evidence_coverage']):.1f}"
    strong = rows[0]
    assert strong["overall_explanation"] == "green"
    assert float(strong["strategy_alignment_evidence_coverage"]) <= 100.0


def test_insufficient_evidence_is_listed_after_the_ranked_rows(with_thin: Path) -> None:
    # Its score does not matter: a thin file is never ranked among rated trusts.
    rows = list(csv.DictReader(io.StringIO(run_cli("check", str(with_thin), "-f", "csv").stdout)))
    assert [r["overall_rating"] for r in rows] == ["green", "amber", "red",
                                                   "insufficient_evidence"]
    by_risk = list(csv.DictReader(io.StringIO(run_cli(
        "check", str(with_thin), "-f", "csv", "--sort", "risk_management").stdout)))
    assert by_risk[-1]["risk_management_rating"] == "insufficient_evidence"
    rich = run_cli("check", str(with_thin)).stdout
    league = rich[rich.index("League table"):rich.index("Questions: ")]
    ranks = [line.split()[0] for line in league.splitlines()
             if line[:3].strip().isdigit() or line[:3].strip() == "–"]
    assert ranks == ["1", "2", "3", "–"]
    words = " ".join(rich.split())
    assert "Not ranked (1): rated insufficient evidence or inconclusive, so listed after the " \
           "ranked submissions, by name: Fennick Vale Mental Health NHS Foundation Trust: " \
           "insufficient evidence: " in words
    markdown = run_cli("check", str(with_thin), "-f", "markdown").stdout
    league = markdown[markdown.index("| # |"):].split("\n\n")[0]
    table = league.splitlines()[2:]
    assert [line.split(" | ")[0] for line in table] == ["| 1", "| 2", "| 3", "| not ranked"]
    assert "**INSUFFICIENT EVIDENCE** (" in table[-1]


def test_sort_key_ranks_only_rated_rows() -> None:
    from boardcheck.summary import CategoryScore, Row, sort_key

    def row(name: str, score: float | None, rating: str, cat: str = "green") -> Row:
        return Row(index=0, file=f"{name}.yaml", organisation=name, overall_score=score,
                   overall_rating=rating,  # type: ignore[arg-type]
                   categories=(CategoryScore("q", score, cat, 50.0),))  # type: ignore[arg-type]

    rows = [row("Zed", 99.0, "insufficient_evidence"), row("Amber", 60.0, "amber"),
            row("None", None, "inconclusive"), row("Red", 10.0, "red"),
            row("Alpha", 2.0, "insufficient_evidence"), row("Green", 90.0, "green", "red")]
    by_score = [r.organisation for r in sorted(rows, key=sort_key("score"))]
    assert by_score == ["Green", "Amber", "Red", "Alpha", "Zed", "None"]
    by_q = [r.organisation for r in sorted(rows, key=sort_key("q"))]
    # By a question, its own rating decides: every row here is rated for q but "None".
    assert by_q == ["Zed", "Green", "Amber", "Red", "Alpha", "None"]


def test_a_pattern_that_matches_nothing_prints_the_reason_not_an_empty_report(
        tmp_path: Path) -> None:
    pattern = str(tmp_path / "nothing*.yaml")
    for fmt in ("rich", "json", "csv", "markdown", "html"):
        run = run_cli("check", pattern, "-f", fmt)
        assert (run.exit_code, run.stdout, run.stderr) == (
            2, "", f"{pattern}: no files match this pattern\n"), fmt


# --- the worker pool ------------------------------------------------------------------------

@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="the workers see this test's recording only when forked")
def test_workers_check_only_so_many_files_ahead_of_the_rows_taken(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller that stalls (a document piped to a pager) must not have every file's row pile
    up in memory; one that stops taking rows stops the pool."""
    import boardcheck.batch
    from boardcheck.gates import Gates
    from boardcheck.questionnaire import load_questionnaire

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(200):
        shutil.copy(EXAMPLES / "weak-acute.yaml", folder / f"t{i:03}.yaml")
    started = tmp_path / "started"
    real = boardcheck.batch.check_file

    def recording(index: int, path: Path, job: boardcheck.batch.Job,
                  questionnaire: object) -> boardcheck.batch.Row:
        with started.open("a", encoding="utf-8") as log:
            log.write(f"{index}\n")
        return real(index, path, job, questionnaire)  # type: ignore[arg-type]

    monkeypatch.setattr(boardcheck.batch, "check_file", recording)
    q = load_questionnaire(None)
    job = boardcheck.batch.Job(questionnaire=q, as_of=None, today=dt.date(2026, 10, 1),
                               gates=Gates())
    rows = boardcheck.batch.run_batch(sorted(folder.iterdir()), job, jobs=2, questionnaire=q)
    assert next(rows).index == 0
    seen = -1
    while True:  # until the workers have stopped: they wait for the caller
        time.sleep(0.5)
        now = len(started.read_text(encoding="utf-8").split())
        if now == seen:
            break
        seen = now
    chunk = 8  # 200 files, 2 workers
    assert 1 < seen <= 2 * chunk * 4
    closing = threading.Thread(target=rows.close)
    closing.start()
    closing.join(timeout=60)
    assert not closing.is_alive()


def test_compact_rows_and_views_cross_processes_whole_and_stay_frozen() -> None:
    """Rows, outliers and collaborative views are pickled as plain tuples of their fields
    (to the parent, to and from the spill): every field comes back, and they stay frozen."""
    import dataclasses
    import pickle

    from boardcheck.collaboratives import Statement
    from boardcheck.summary import CategoryScore, Outlier, OutlierReason, Row

    row = Row(index=7, file="t.yaml", organisation="Trust", ods_code="R1", sectors=("acute",),
              region="london", icbs=("NHS North ICB",), overall_score=71.5,
              overall_rating="amber", categories=(CategoryScore("sa", 80.0, "green", 90.0,
                                                                "green"),),
              status_codes=b"\x01\x02", failing_criteria=frozenset({"PI01"}),
              arrangement_facts=b"facts", fragment=b"line")
    outlier = Outlier(3, "t.yaml", "Trust", "R1", ("acute",), 71.5, "amber", 40.0,
                      (OutlierReason("thin_submission", "thin"),), 1, True, 12.5)
    for value in (row, outlier, Statement("t.yaml", 3, 5, "Trust", "12")):
        back = pickle.loads(pickle.dumps(value))
        assert back == value
        assert [getattr(back, f.name) for f in dataclasses.fields(back)] == [
            getattr(value, f.name) for f in dataclasses.fields(value)]
        with pytest.raises(dataclasses.FrozenInstanceError):
            back.file = "other"  # type: ignore[misc]
