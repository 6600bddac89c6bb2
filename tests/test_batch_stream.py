"""Batch documents streamed as files are checked: memory flat, content as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import pickle
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from boardcheck.batch import Job, catalogue, check_file
from boardcheck.formats.stream import render_batch
from boardcheck.gates import Gates
from boardcheck.questionnaire import load_questionnaire
from boardcheck.summary import BatchResult, Summariser
from tests.conftest import EXAMPLES, run_cli

# The built-in questionnaire's criteria: every trust has one JUnit case per criterion.
CRITERIA = len(load_questionnaire().criteria)

AS_OF = "2026-10-01"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "in"
    target.mkdir()
    for example in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(example, target / example.name)
    (target / "zz-broken.yaml").write_text("schema_version: 1\norganisation:\n  name: no\n",
                                           encoding="utf-8")
    return target


def merged(result: dict[str, Any], questionnaire: dict[str, Any]) -> dict[str, Any]:
    """A batch result with the questionnaire's texts put back: a single-file result."""
    cats = {c["id"]: c for c in questionnaire["categories"]}
    crits = {c["id"]: c for c in questionnaire["criteria"]}
    for cat in result["categories"]:
        cat["title"] = cats[cat["id"]]["title"]
        cat["board_question"] = cats[cat["id"]]["board_question"]
        for crit in cat["criteria"]:
            for key in ("title", "challenge", "remediation"):
                crit[key] = crits[crit["id"]][key]
    return result


def test_batch_json_is_the_single_file_results_with_the_texts_given_once(folder: Path
                                                                          ) -> None:
    run = run_cli("check", str(folder), "-f", "json", "--as-of", AS_OF, "--jobs", "2")
    assert run.exit_code == 2
    data = json.loads(run.stdout)
    assert list(data) == ["schema_version", "kind", "questionnaire", "sort", "results",
                          "summary", "collaboratives", "errors", "complete"]
    assert data["complete"] is True
    files = sorted(folder.glob("*.yaml"))[:3]
    assert [r["file"] for r in data["results"]] == [str(f) for f in files]  # input order
    for result, file in zip(data["results"], files, strict=True):
        single = json.loads(run_cli("check", str(file), "-f", "json", "--as-of", AS_OF).stdout)
        assert merged(result, data["questionnaire"]) == single
    # Each trust is one line: a document of many trusts stays greppable and compact.
    lines = run.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith('    {"schema_version":3,')) == 3
    # The league-table order is kept in summary.order.
    csv_run = run_cli("check", str(folder), "-f", "csv", "--as-of", AS_OF)
    csv_files = [line.split(",")[0] for line in csv_run.stdout.splitlines()[1:4]]
    assert [data["results"][i]["file"] for i in data["summary"]["order"]] == csv_files
    q = data["questionnaire"]
    assert len(q["criteria"]) == CRITERIA and all(c["rationale"] for c in q["criteria"])


@pytest.mark.usefixtures("interrupt_after_two")
def test_an_interrupted_json_batch_to_a_file_is_valid_and_marked_incomplete(
        folder: Path, tmp_path: Path) -> None:
    for fmt in ("json", "sarif", "junit", "github"):
        target = tmp_path / f"partial.{fmt}"
        run = run_cli("check", str(folder), "-f", fmt, "-o", str(target))
        assert run.exit_code == 130, fmt
        text = target.read_text(encoding="utf-8")
        if fmt == "json":
            data = json.loads(text)
            assert data["complete"] is False
            assert len(data["results"]) == 2 and data["summary"]["checked"] == 2
        elif fmt == "sarif":
            json.loads(text)
        elif fmt == "junit":
            assert ET.fromstring(text.encode()).get("tests") == str(2 * CRITERIA)


def test_sarif_junit_and_github_batches_hold_what_the_single_files_hold(folder: Path
                                                                         ) -> None:
    files = sorted(folder.glob("*.yaml"))[:3]
    sarif = json.loads(run_cli("check", str(folder), "-f", "sarif").stdout)["runs"][0]
    github = run_cli("check", str(folder), "-f", "github").stdout
    junit = ET.fromstring(run_cli("check", str(folder), "-f", "junit").stdout.encode())
    expected_sarif: list[Any] = []
    expected_github = ""
    for file in files:
        one = json.loads(run_cli("check", str(file), "-f", "sarif").stdout)["runs"][0]
        assert one["tool"] == sarif["tool"]
        expected_sarif += one["results"]
        # Its overall rating: the batch orders lines by importance and keeps 10 a level.
        expected_github += run_cli("check", str(file), "-f", "github").stdout.splitlines()[0]
        expected_github += "\n"
    assert sarif["results"] == expected_sarif  # input order
    assert sarif["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
    assert github.startswith("::error file=")  # the file that cannot be evaluated, first
    assert expected_github in github  # the ratings in input order
    assert [s.get("name") for s in junit][:2] == [f"{files[0]}: strategy_alignment",
                                                 f"{files[0]}: proportionate_infrastructure"]
    assert junit.get("tests") == str(3 * CRITERIA + 1) and junit.get("errors") == "1"
    assert len(junit) == 3 * 5 + 1


def test_workers_send_a_compact_row_and_the_summary_keeps_no_document() -> None:
    q = load_questionnaire(None)
    for module in ("boardcheck.formats.json_format", "boardcheck.formats.sarif",
                   "boardcheck.formats.junit", "boardcheck.formats.github"):
        job = Job(questionnaire=q, as_of=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1),
                  gates=Gates(), stream=module)
        row = check_file(0, EXAMPLES / "strong-acute-ft.yaml", job, q)
        assert row.result is None and row.fragment is not None
        assert len(pickle.dumps(row)) <= 10_000, module
        summariser = Summariser(catalogue(q))
        summariser.add(row)
        assert summariser.rows[0].fragment is None


def test_an_existing_output_is_refused_before_any_file_is_checked(folder: Path,
                                                                   tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    run = run_cli("check", str(folder), "-f", "json", "-o", str(target))
    assert run.exit_code == 2 and "already exists" in run.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run_cli("check", str(folder), "-f", "json", "-o", str(target), "--force"
                   ).exit_code == 2  # the broken file
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["files"] == 4


GOLDEN_MARKDOWN = Path(__file__).resolve().parent / "golden" / "batch-examples.md"


def test_a_markdown_batch_is_written_as_before_to_a_file_and_to_the_terminal(
        folder: Path, tmp_path: Path) -> None:
    # The golden file is the batch summary as it was when built whole (before issue 14), with
    # the folder's path as IN: writing it in pieces changes no byte.
    expected = GOLDEN_MARKDOWN.read_text(encoding="utf-8")
    shown = run_cli("check", str(folder), "-f", "markdown", "--as-of", AS_OF)
    assert shown.exit_code == 2
    assert shown.stdout.replace(f"{folder}/", "IN/") == expected
    target = tmp_path / "batch.md"
    written = run_cli("check", str(folder), "-o", str(target), "--as-of", AS_OF)
    assert written.exit_code == 2 and f"wrote batch report (Markdown) to {target}" in (
        written.stderr)
    assert target.read_text(encoding="utf-8").replace(f"{folder}/", "IN/") == expected


def summarised(folder: Path) -> BatchResult:
    from boardcheck.batch import run_batch

    q = load_questionnaire(None)
    job = Job(questionnaire=q, as_of=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1),
              gates=Gates())
    summariser = Summariser(catalogue(q))
    for row in run_batch(sorted(folder.glob("*.yaml")), job, jobs=1, questionnaire=q):
        summariser.add(row)
    return summariser.finish(sort="score")


def many(small: BatchResult, n: int) -> BatchResult:
    """`n` trusts made from the three examples, their names of many lengths (one far longer
    than the rest, in the middle), as a batch held in memory."""
    rows = [dataclasses.replace(row, index=i, organisation=f"Trust {i:04} " + "x" * (i % 23)
                                + ("of a very long name indeed" * 3 if i == n // 2 else ""))
            for i in range(n) for row in small.rows[i % 3:i % 3 + 1]]
    return dataclasses.replace(small, rows=tuple(rows))


def test_a_markdown_batch_is_written_in_pieces_a_row_at_a_time(folder: Path) -> None:
    from boardcheck.formats.markdown import WRITER, batch_pieces, render_batch_markdown

    small = summarised(folder)
    batch = many(small, 300)
    pieces = list(batch_pieces(batch))
    document = "".join(pieces)
    assert document.count("| Trust ") == 300
    assert max(len(p) for p in pieces) < 2_000 < len(document) // 20  # no piece holds many rows
    # As the CLI writes it: rows added in input order, then the summary.
    assert render_batch(WRITER, batch) == document == render_batch_markdown(batch)
    assert render_batch_markdown(small).replace(f"{folder}/", "IN/") == GOLDEN_MARKDOWN.read_text(
        encoding="utf-8")


@pytest.mark.parametrize("width", [30, 60, 80, 120])
def test_the_terminal_league_drawn_in_chunks_is_the_league_drawn_whole(
        folder: Path, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from boardcheck.formats import rich_text
    from boardcheck.formats.base import RenderOptions

    batch = many(summarised(folder), 40)
    for color in (False, True):
        options = RenderOptions(color=color, width=width)
        whole = rich_text.BATCH.render(batch, options)  # one table: 40 rows < LEAGUE_CHUNK
        monkeypatch.setattr(rich_text, "LEAGUE_CHUNK", 7)
        out = io.StringIO()
        writer = rich_text.WRITER(out, batch.catalogue, sort="score",  # type: ignore[arg-type]
                                  options=options)
        writer.finish(batch)
        monkeypatch.undo()
        assert out.getvalue() == whole
        if width >= 60:  # at 30 the name gives way: the organisations are cut short
            assert "Trust 0039" in whole and whole.count("Organisation") == 1  # one header
        assert all(line == line.rstrip() for line in whole.splitlines())


# GitHub annotations show it only in the step summary, built under Actions alone
# (tests/test_step_summary_memory.py).
@pytest.mark.parametrize(("fmt", "built"), [("csv", 0), ("sarif", 0), ("junit", 0),
                                            ("github", 0), ("json", 1), ("markdown", 1)])
def test_the_collaborative_view_is_built_only_for_a_format_that_shows_it(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
        built: int) -> None:
    """Issue 14: the view is the longest reduction after the workers stop; CSV, SARIF and
    JUnit never show it, so a batch in them never builds it."""
    import boardcheck.collaboratives

    calls = []
    real = boardcheck.collaboratives.spilled_collaboratives

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(fmt)
        return real(*args, **kwargs)

    monkeypatch.setattr(boardcheck.collaboratives, "spilled_collaboratives", counted)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    run = run_cli("check", str(folder), "-f", fmt, "-o", str(tmp_path / f"out.{fmt}"),
                  "--as-of", AS_OF, "--jobs", "1")
    assert run.exit_code == 2, run.stderr  # the broken file
    assert len(calls) == built
