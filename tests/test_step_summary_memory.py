"""The GitHub step summary (issue 14): built only where a run has somewhere to put it, a
batch's written a piece at a time, its bytes as before, appended, and a destination that
cannot be written said on stderr with exit 2."""

from __future__ import annotations

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


@pytest.mark.parametrize("where", ["folder", "missing folder"])
def test_a_step_summary_that_cannot_be_written_is_said_with_exit_2(
        trusts: Path, tmp_path: Path, where: str) -> None:
    target = tmp_path if where == "folder" else tmp_path / "missing" / "summary.md"
    reason = "Is a directory" if where == "folder" else "No such file or directory"
    said = (f"boardcheck: GITHUB_STEP_SUMMARY: {target}: cannot write the step summary: "
            f"{reason}\n")
    out = tmp_path / "annotations.txt"
    one = run_cli("check", str(MIDDLING), "-f", "github", "-o", str(out), "--as-of", AS_OF,
                  "--fail-under", "80", env={"GITHUB_STEP_SUMMARY": str(target)})
    # The annotations are still written, and the threshold still said.
    assert (one.exit_code, one.stdout, one.stderr) == (
        2, "", f"wrote annotations (GitHub annotations) to {out}\n{said}"
        f"boardcheck: threshold failed: {THRESHOLD}\n")
    assert out.read_text(encoding="utf-8").startswith("::error file=")
    batch = run_cli("check", str(trusts), "-f", "github", "--as-of", AS_OF,
                    env={"GITHUB_STEP_SUMMARY": str(target)})
    assert batch.exit_code == 2
    assert batch.stdout.startswith("::error file=")
    assert batch.stderr.startswith(said)
    assert not (tmp_path / "missing").exists()


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
