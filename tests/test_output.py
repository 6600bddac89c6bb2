"""Writing -o: never over a file the run reads, never over another run's file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, FIXTURES, run_cli

STRONG = str(EXAMPLES / "strong-acute-ft.yaml")
MINI_QUESTIONNAIRE = FIXTURES / "questionnaires" / "mini.yaml"


@pytest.mark.parametrize("command", ["check", "due", "diff"])
def test_the_configuration_in_use_is_never_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / ".boardcheck.toml"
    config.write_text("fail_on = \"red\"\n", encoding="utf-8")
    args = {"check": [STRONG], "due": [STRONG], "diff": [STRONG, STRONG]}[command]
    run = run_cli(command, *args, "-f", "json", "-o", str(config), "--force")
    assert (run.exit_code, run.stderr) == (
        2, f"boardcheck: {config}: refusing to write the output over an input file\n")
    assert config.read_text(encoding="utf-8") == "fail_on = \"red\"\n"
    named = run_cli(command, *args, "--config", str(config), "-f", "json", "-o",
                    ".boardcheck.toml", "--force")
    assert named.exit_code == 2
    assert config.read_text(encoding="utf-8") == "fail_on = \"red\"\n"


def test_the_questionnaire_in_use_is_never_overwritten(tmp_path: Path) -> None:
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_bytes(MINI_QUESTIONNAIRE.read_bytes())
    trust = str(FIXTURES / "trusts" / "mini-two.yaml")
    for fmt in ("json", "docx"):
        run = run_cli("check", trust, "--questionnaire", str(questionnaire), "-f", fmt,
                      "-o", str(questionnaire), "--force")
        assert (run.exit_code, run.stderr) == (
            2, f"boardcheck: {questionnaire}: refusing to write the output over an input "
            "file\n")
    assert questionnaire.read_bytes() == MINI_QUESTIONNAIRE.read_bytes()


def test_a_file_another_run_creates_meanwhile_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    real_mkstemp = tempfile.mkstemp

    def other_run_finishes_first(*args: Any, **kwargs: Any) -> Any:
        # The other run's file appears after this run checked the name was free.
        target.write_text("the other run's report", encoding="utf-8")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", other_run_finishes_first)
    run = run_cli("check", STRONG, "-f", "json", "-o", str(target))
    assert (run.exit_code, run.stderr) == (
        2, f"boardcheck: {target}: already exists; use --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "the other run's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


@pytest.mark.parametrize("where", [
    ["-o", "{loop}"], ["-o", "{loop}/report.csv"], ["--breakdowns", "{loop}"],
    ["--papers", "{papers}", "-o", "{loop}/batch.csv"]])
def test_an_output_path_that_is_a_link_loop_is_refused_before_anything_is_written(
        tmp_path: Path, where: list[str]) -> None:
    # Resolving it raised RuntimeError (Python 3.11): a traceback and exit 1.
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    args = [a.format(loop=loop, papers=tmp_path / "papers") for a in where]
    target = args[args.index("-o") + 1] if "-o" in args else args[1]
    for files in ([STRONG], [str(EXAMPLES)]):
        if args[0] == "--breakdowns" and files == [STRONG]:
            continue  # breakdowns are a batch's
        run = run_cli("check", *files, "-f", "csv", *args)
        assert (run.exit_code, run.stdout, run.stderr) == (
            2, "", f"boardcheck: {target}: cannot write: Too many levels of symbolic links\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]
