"""What start-up saves must change nothing: a run that names its command behaves as the whole
application does (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from boardcheck.cli import app, run
from tests.conftest import EXAMPLES, FIXTURES, ROOT

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


# --- builds kept between runs (build_cache.py) ------------------------------------------

MINI = FIXTURES / "questionnaires" / "mini.yaml"
BAD = ROOT / "tests" / "bad" / "bool-tag-not-boolean.yaml"


def _boardcheck(cache: Path, *args: str) -> tuple[int, str, str]:
    """`boardcheck ARGS` in a process of its own (the kept builds are read at its start),
    with its cache folder at `cache`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "boardcheck", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", [
    ("check", ONE, "-f", "json", "--as-of", "2026-06-01"),
    ("check", ONE, "--questionnaire", str(MINI), "-f", "markdown"),
    ("check", str(BAD)),  # the validator's messages, located
])
def test_kept_builds_change_nothing_even_when_damaged(args: tuple[str, ...],
                                                      tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _boardcheck(cache, *args)
    kept = sorted(p for p in cache.rglob("*.pickle"))
    assert len(kept) == 2  # the trust description's validator and the questionnaire
    assert _boardcheck(cache, *args) == cold
    for damage in (b"", b"boardcheck-build-1\n", b"not a pickle at all"):
        for path in kept:
            original = path.read_bytes()
            path.write_bytes(damage + original[len(damage):] if damage else original[:40])
        assert _boardcheck(cache, *args) == cold, damage
    # Built afresh and kept again over the damaged files.
    assert _boardcheck(cache, *args) == cold


def test_a_cache_folder_that_cannot_be_written_is_no_failure(tmp_path: Path) -> None:
    args = ("check", ONE, "-f", "json", "--as-of", "2026-06-01")
    expected = _boardcheck(tmp_path / "cache", *args)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n")
    assert _boardcheck(blocked, *args) == expected
    assert blocked.read_text() == "not a folder\n"


def test_an_edited_questionnaire_is_never_served_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_bytes(MINI.read_bytes())
    args = ("check", ONE, "--questionnaire", str(questionnaire), "-f", "json",
            "--as-of", "2026-06-01")
    before = _boardcheck(cache, *args)
    assert before[0] == 0
    questionnaire.write_text(MINI.read_text().replace("weight: 3", "weight: 30", 1))
    after = _boardcheck(cache, *args)
    assert after == _boardcheck(tmp_path / "cold", *args)
    weights = [[c["weight"] for c in category["criteria"]]
               for category in json.loads(after[1])["categories"]]
    assert weights[0][0] == 30 and after[1] != before[1]
    # A broken edit is reported from the file, whatever was kept before it.
    questionnaire.write_text(MINI.read_text().replace("weight: 3", "weight: three", 1))
    broken = _boardcheck(cache, *args)
    assert broken[0] == 2 and f"{questionnaire}:" in broken[2]
    assert broken == _boardcheck(tmp_path / "cold-again", *args)


def test_a_value_taken_as_given_is_what_typers_coercion_makes_of_it() -> None:
    """The values `check` takes without building Typer's adapter (cli_options) are, in value
    and type, what that adapter returns for them."""
    import typer.main
    from typer._coercion import build_runtime_param

    from boardcheck.cli_options import _coerced_already

    group = typer.main.get_command(app)
    ctx = group.make_context("boardcheck", ["check", ONE])
    samples: tuple[object, ...] = ("json", "", "2026-06-01", ("a.yaml", "b/"), ["x"], 7, 5 * 2**20)
    taken = 0
    for command in group.commands.values():  # type: ignore[attr-defined]
        for param in command.params:
            for value in samples:
                if not _coerced_already(value, param.type_descriptor):
                    continue
                taken += 1
                ours = param._runtime_param._coerce_value(value, param=param, ctx=ctx)
                typers = build_runtime_param(param.type_descriptor)._coerce_value(
                    value, param=param, ctx=ctx)
                assert (ours, type(ours)) == (typers, type(typers)), (command.name, param.name)
    assert taken > 50
