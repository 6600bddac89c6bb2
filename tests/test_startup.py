"""What start-up saves must change nothing: a run that names its command behaves as the whole
application does (issue 14)."""

from __future__ import annotations

import sys

import pytest

from boardcheck.cli import app, run
from tests.conftest import EXAMPLES

ONE = str(EXAMPLES / "strong-acute-ft.yaml")


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["check"], ["check", ONE, "--jobs", "0"], ["check", ONE, "-f", "nope"],
    ["check", ONE, "-f", "json"], ["check", ONE, "--bogus"], ["due", "--help"], ["config"],
    ["explain", "XX99"],
])
def test_a_run_that_names_its_command_is_the_whole_application_s(
        argv: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["boardcheck", *argv])
    outcomes = []
    for entry in (lambda: app(prog_name="boardcheck"), run):
        with pytest.raises(SystemExit) as exited:
            entry()
        out = capsys.readouterr()
        outcomes.append((exited.value.code, out.out, out.err))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][1] or outcomes[0][2]  # each says something
