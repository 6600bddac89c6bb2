"""The GitHub step summary (issue 14): built only where a run has somewhere to put it, a
batch's written a piece at a time, its bytes as before, appended, and a destination that
cannot be written said on stderr with exit 2."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from boardcheck.formats import github, markdown
from boardcheck.summary import BatchResult
from tests import test_batch_stream
from tests.conftest import EXAMPLES, run_cli
from tests.test_batch_stream import GOLDEN_MARKDOWN, many, summarised

AS_OF = "2026-10-01"
MIDDLING = EXAMPLES / "middling-community-mh.yaml"
THRESHOLD = "overall score 75.5 is below --fail-under 80"
# The fixture `trusts`: the examples and a file that cannot be evaluated, in a folder (the
# markdown golden's batch).
trusts = test_batch_stream.folder


@pytest.fixture
def outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


class Built(Exception):
    """A step summary was built."""


class Refusing:
    """A step summary that fails the test the moment anything asks for it."""

    def one(self, result: object, thresholds_failed: tuple[str, ...]) -> Iterable[str]:
        raise Built

    def batch(self, batch: BatchResult) -> Iterable[str]:
        raise Built


@pytest.fixture
def refusing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building a step summary by any road (the registry's, or the markdown it is made
    of) raises."""
    def refuse(*args: object, **kwargs: object) -> str:
        raise Built

    monkeypatch.setattr(github, "STEP_SUMMARY", Refusing())
    monkeypatch.setattr(markdown, "render_markdown", refuse)
    monkeypatch.setattr(markdown, "batch_pieces", refuse)


def runs(trusts: Path) -> dict[str, tuple[list[str], int]]:
    """A single file, a file that cannot be evaluated (a batch of one, in the document),
    and a batch: each with its exit code."""
    return {"one": ([str(MIDDLING), "--fail-under", "80"], 1),
            "unreadable": ([str(trusts / "zz-broken.yaml")], 2),
            "batch": ([str(trusts), "--fail-under", "80", "--jobs", "1"], 2)}


@pytest.mark.parametrize("run", ["one", "unreadable", "batch"])
def test_outside_actions_no_step_summary_is_built(trusts: Path, outside_actions: None,
                                                  refusing: None, run: str) -> None:
    args, code = runs(trusts)[run]
    done = run_cli("check", *args, "-f", "github", "--as-of", AS_OF)
    assert done.exit_code == code, done.stderr
    assert done.stdout.startswith("::")
    # Empty is unset, as the runner's own steps see it.
    empty = run_cli("check", *args, "-f", "github", "--as-of", AS_OF,
                    env={"GITHUB_STEP_SUMMARY": ""})
    assert (empty.exit_code, empty.stdout) == (code, done.stdout)


@pytest.mark.parametrize("run", ["one", "unreadable", "batch"])
def test_under_actions_the_step_summary_is_built(trusts: Path, tmp_path: Path,
                                                 refusing: None, run: str) -> None:
    """The other side of the test above: the builder it refuses is the one used."""
    args, _ = runs(trusts)[run]
    with pytest.raises(Built):
        run_cli("check", *args, "-f", "github", "--as-of", AS_OF,
                env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})


def test_a_format_without_a_step_summary_leaves_the_file_alone(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = run_cli("check", str(MIDDLING), "-f", "json", "-o", str(tmp_path / "out.json"),
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.exit_code == 0
    assert not summary.exists()


def thresholds_section(*failed: tuple[Path, str]) -> str:
    lines = "".join(f"- {str(file).replace('_', chr(92) + '_')}: {sentence}\n"
                    for file, sentence in failed)
    return f"\n### Thresholds failed\n\n{lines}"


def test_one_file_appends_its_markdown_report_and_failed_thresholds(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("an earlier step's summary\n", encoding="utf-8")
    report = run_cli("check", str(MIDDLING), "-f", "markdown", "--as-of", AS_OF).stdout
    expected = report + thresholds_section((MIDDLING, THRESHOLD))
    for _ in range(2):  # each step appends its own
        done = run_cli("check", str(MIDDLING), "-f", "github", "--as-of", AS_OF,
                       "--fail-under", "80", env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert (done.exit_code, done.stderr) == (
            1, f"boardcheck: threshold failed: {THRESHOLD}\n")
    assert summary.read_text(encoding="utf-8") == ("an earlier step's summary\n"
                                                    + expected + expected)


def test_a_batch_appends_the_markdown_batch_report_as_before(trusts: Path,
                                                             tmp_path: Path) -> None:
    """The golden is the markdown batch report as it was built whole, before issue 14: the
    step summary, now written in pieces, is the same bytes."""
    summary = tmp_path / "summary.md"
    summary.write_text("earlier\n", encoding="utf-8")
    done = run_cli("check", str(trusts), "-f", "github", "--as-of", AS_OF, "--jobs", "2",
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.exit_code == 2  # the broken file
    golden = GOLDEN_MARKDOWN.read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8").replace(f"{trusts}/", "IN/") == (
        "earlier\n" + golden)
    # With thresholds failed: the markdown batch report, then each, in input order.
    summary.unlink()
    failed = run_cli("check", str(trusts), "-f", "github", "--as-of", AS_OF,
                     "--fail-under", "80", env={"GITHUB_STEP_SUMMARY": str(summary)})
    report = run_cli("check", str(trusts), "-f", "markdown", "--as-of", AS_OF,
                     "--fail-under", "80")
    assert failed.exit_code == report.exit_code == 2
    ours = [trusts / "middling-community-mh.yaml", trusts / "weak-acute.yaml"]
    expected = report.stdout + thresholds_section(
        (ours[0], THRESHOLD), (ours[1], "overall score 8.9 is below --fail-under 80"))
    assert summary.read_text(encoding="utf-8") == expected


def test_a_batch_step_summary_is_made_in_pieces(trusts: Path) -> None:
    """No piece holds more than a row or two of the table: the summary is never whole."""
    batch = many(summarised(trusts), 300)
    pieces = list(github.STEP_SUMMARY.batch(batch))
    document = "".join(pieces)
    assert document == markdown.render_batch_markdown(batch)  # no threshold failed
    assert document.count("| Trust ") == 300
    assert max(len(p) for p in pieces) < 2_000 < len(document) // 20


@pytest.mark.parametrize("where", ["folder", "missing folder", "input", "unwritable",
                                   "link loop"])
def test_a_step_summary_that_cannot_be_written_is_refused_before_any_file_is_checked(
        trusts: Path, tmp_path: Path, where: str) -> None:
    # Found after the run, it cost a whole batch's wait; a trust's own file named there had
    # the step summary added to its end, and the run said nothing.
    copied = tmp_path / "trust.yaml"
    copied.write_bytes(MIDDLING.read_bytes())
    target, reason = {
        "folder": (tmp_path, "Is a directory"),
        "missing folder": (tmp_path / "missing" / "summary.md", "No such file or directory"),
        "input": (copied, "it is one of the input files"),
        "unwritable": (tmp_path / "locked" / "summary.md", "Permission denied"),
        "link loop": (tmp_path / "loop.md", "Too many levels of symbolic links"),
    }[where]
    if where == "link loop":
        target.symlink_to(target)
    if where == "unwritable":
        if os.geteuid() == 0:
            pytest.skip("root may write anywhere")
        target.parent.mkdir()
        target.parent.chmod(0o500)
    said = (f"boardcheck: GITHUB_STEP_SUMMARY: {target}: cannot write the step summary: "
            f"{reason}\n")
    out = tmp_path / "annotations.txt"
    one = run_cli("check", str(copied), "-f", "github", "-o", str(out), "--as-of", AS_OF,
                  "--fail-under", "80", env={"GITHUB_STEP_SUMMARY": str(target)})
    assert (one.exit_code, one.stdout, one.stderr) == (2, "", said)
    assert not out.exists()
    assert copied.read_bytes() == MIDDLING.read_bytes()
    batch = run_cli("check", str(trusts), str(copied), "-f", "github", "--as-of", AS_OF,
                    env={"GITHUB_STEP_SUMMARY": str(target)})
    assert (batch.exit_code, batch.stdout, batch.stderr) == (2, "", said)
    assert copied.read_bytes() == MIDDLING.read_bytes()
    assert not (tmp_path / "missing").exists()


def test_a_step_summary_that_fails_while_written_is_said_after_the_report(
        tmp_path: Path) -> None:
    # What cannot be known before (a file that takes no writes) is said after the report,
    # which is still written, with exit 2.
    target = Path("/proc/version")
    if not target.exists() or not os.access(target, os.W_OK):
        pytest.skip("needs a file that can be opened for writing but takes no writes")
    out = tmp_path / "annotations.txt"
    one = run_cli("check", str(MIDDLING), "-f", "github", "-o", str(out), "--as-of", AS_OF,
                  env={"GITHUB_STEP_SUMMARY": str(target)})
    assert (one.exit_code, one.stdout, one.stderr) == (
        2, "", f"wrote annotations (GitHub annotations) to {out}\n"
        f"boardcheck: GITHUB_STEP_SUMMARY: {target}: cannot write the step summary: "
        "Invalid argument\n")
    assert out.read_text(encoding="utf-8").startswith("::")


@pytest.mark.parametrize(("summary", "built"), [(False, 0), (True, 1)])
def test_github_builds_the_collaborative_view_only_for_its_step_summary(
        trusts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outside_actions: None,
        summary: bool, built: int) -> None:
    """The annotations never show the collaborative view; the step summary (the markdown
    batch report) does, so a run outside Actions never pays for it."""
    import boardcheck.collaboratives

    calls = []
    real = boardcheck.collaboratives.spilled_collaboratives

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(boardcheck.collaboratives, "spilled_collaboratives", counted)
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")} if summary else {}
    run = run_cli("check", str(trusts), "-f", "github", "--as-of", AS_OF, "--jobs", "1",
                  env=env)
    assert run.exit_code == 2, run.stderr  # the broken file
    assert len(calls) == built


@pytest.mark.parametrize("option", ["-o", "--breakdowns"])
def test_a_step_summary_named_as_another_output_of_the_run_is_refused(
        trusts: Path, tmp_path: Path, option: str) -> None:
    # The summary was appended to the end of the report the run had just written there.
    target = tmp_path / ("report.txt" if option == "-o" else "breakdowns.csv")
    run = run_cli("check", str(trusts), "-f", "github", option, str(target), "--as-of",
                  AS_OF, env={"GITHUB_STEP_SUMMARY": str(target)})
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"boardcheck: GITHUB_STEP_SUMMARY: {target}: cannot write the step summary: "
        f"it is the {option} file\n")
    assert not target.exists()
