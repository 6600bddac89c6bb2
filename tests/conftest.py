"""Shared helpers: run the CLI in-process and locate the repository's files."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from boardcheck.cli import app

# Builds kept between runs (build_cache.py) go to a folder of this session's, not the user's
# cache: every test process and the CLI runs it starts share it, so both a cold and a warm
# cache are exercised, and nothing is left behind in ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="boardcheck-tests-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Hypothesis profiles (tests/test_fuzz.py). "ci", the default, is small and derandomized so
# every CI run tries the same examples; "long" is for hunting: `pytest tests/test_fuzz.py
# --hypothesis-profile=long` (or HYPOTHESIS_PROFILE=long). Hypothesis's pytest plugin loads
# the profile given with --hypothesis-profile after this file is imported, so it wins.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run `boardcheck ARGS` in-process; stdout and stderr kept apart."""
    # COLUMNS sets the width of a report off a terminal: a test gives it, or it is unset.
    result = CliRunner(env={"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": None,
                            **(env or {})}).invoke(app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository's root: file names in the output as a user running there
    sees them."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def interrupt_after_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches see Ctrl-C after their first two files."""
    import boardcheck.batch

    real = boardcheck.batch.run_batch

    def interrupted(*args: object, **kwargs: object) -> object:
        rows = real(*args, **kwargs)  # type: ignore[arg-type]
        yield next(rows)
        yield next(rows)
        raise KeyboardInterrupt

    monkeypatch.setattr(boardcheck.batch, "run_batch", interrupted)
