"""Shared helpers: run the CLI in-process and locate the repository's files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from boardcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run `boardcheck ARGS` in-process; stdout and stderr kept apart."""
    result = CliRunner(env={"NO_COLOR": None, "FORCE_COLOR": None, **(env or {})}).invoke(
        app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)
