"""Text from outside (file names, ids, names) is shown, never obeyed, in every medium."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

STRONG = EXAMPLES / "strong-acute-ft.yaml"
TEXT_FORMATS = ("rich", "json", "csv", "html", "markdown", "sarif", "junit", "github")


@pytest.fixture
def non_utf8_name(tmp_path: Path) -> Path:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff.yaml"))
    path.write_bytes(STRONG.read_bytes())
    return path


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(
        tmp_path: Path, non_utf8_name: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    run = run_cli("check", str(non_utf8_name), "-f", fmt, "-o", str(out))
    assert (run.exit_code, run.stderr) == (0, "")
    text = out.read_bytes().decode("utf-8")  # valid UTF-8, whatever the name
    assert "\udcff" not in text
    # SARIF turns backslashes into slashes (Windows paths): its URI is checked elsewhere.
    shown = {"json": "bad\\\\xff.yaml", "markdown": "bad\\\\xff.yaml",
             "sarif": "xff.yaml"}.get(fmt, "bad\\xff.yaml")
    assert shown in text


def test_a_broken_file_with_a_non_utf8_name_is_located_on_stderr(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/b\xfe.yaml"))
    path.write_text("a: [", encoding="utf-8")
    run = run_cli("validate", str(path))
    assert (run.exit_code, run.stderr) == (
        2, f"{tmp_path}/b\\xfe.yaml:2:1: YAML syntax error: did not find expected node content "
        "(while parsing a flow node started at line 2, column 1)\n")


def test_control_characters_in_a_file_name_cannot_forge_lines_or_drive_the_terminal(
        tmp_path: Path) -> None:
    path = tmp_path / "y\n\x1b]0;pwn\x07.yaml"
    path.write_text("a: [", encoding="utf-8")
    for run in (run_cli("validate", str(path)), run_cli("check", str(path), "-f", "json"),
                run_cli("check", str(path), str(STRONG), "-f", "json")):
        assert run.exit_code == 2
        assert f"{tmp_path}/y\\x0a\\x1b]0;pwn\\x07.yaml:2:1: YAML syntax error" in run.stderr
        assert "\x1b" not in run.stderr and run.stderr.count("\n") == 1
    batch = json.loads(run_cli("check", str(path), str(STRONG), "-f", "json").stdout)
    assert batch["errors"][0]["file"] == f"{tmp_path}/y\\x0a\\x1b]0;pwn\\x07.yaml"
