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


# --- what the standard library compiles, kept between runs (keep_compiled_code) ----------

def test_kept_code_changes_nothing_even_when_damaged(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for args in (("check", ONE, "-f", "json", "--as-of", "2026-06-01"),
                 ("check", ONE, "--as-of", "2026-06-01"), ("check", str(BAD))):
        cold = _boardcheck(cache, *args)
        (kept,) = (cache / "boardcheck" / "code").glob("*.marshal")
        assert _boardcheck(cache, *args) == cold
        whole = kept.read_bytes()
        header = whole[:whole.index(b"\n0\n") + 3]  # magic, Python's version, -O level
        for damage in (b"", whole[:40], b"boardcheck-code-2\nnot this Python\n" + whole[60:],
                       header + b"not marshal data", header + b"N",  # None, not the tables
                       whole[:-200]):
            kept.write_bytes(damage)
            assert _boardcheck(cache, *args) == cold, damage[:60]
        assert _boardcheck(cache, *args) == cold  # kept again, and served


def test_kept_code_is_what_the_standard_library_would_compile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What is served is what would be compiled, and a second run compiles nothing."""
    import dataclasses
    import re
    import typing

    from boardcheck import build_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    patterns = [("(?P<year>\\d{4})-(?P<month>\\d\\d)", 0), ("^[a-z_]+$", re.IGNORECASE),
                (b"\\x00|\\xff+", 0), ("(?x) a  b # spaced", re.MULTILINE)]
    expected = [re._compiler.compile(p, f) for p, f in patterns]  # type: ignore[attr-defined]
    compile_pattern = re._compiler.compile  # type: ignore[attr-defined]

    def made() -> list[object]:
        re.purge()
        finish = build_cache.keep_compiled_code()
        try:
            point = dataclasses.make_dataclass("Point", [("x", int), ("y", int, 0)],
                                               frozen=True)
            ref = typing.ForwardRef("list[Point]")
            return [point(1), point(1) == point(1), repr(point(2, 3)), hash(point(1)),
                    ref.__forward_code__.co_code, eval(ref.__forward_code__, {"Point": point}),
                    *(re.compile(p, f) for p, f in patterns)]
        finally:
            finish()

    cold = made()
    assert [p for p in cold if isinstance(p, re.Pattern)] == expected
    assert [(p.groupindex, p.groups, p.flags) for p in cold[6:]] == [  # type: ignore[attr-defined]
        (p.groupindex, p.groups, p.flags) for p in expected]
    # Served: nothing is compiled, no pattern is parsed.
    monkeypatch.setattr(build_cache, "compile", _never, raising=False)
    monkeypatch.setattr(re._parser, "parse", _never)  # type: ignore[attr-defined]
    warm = made()
    assert repr(warm[0]) == repr(cold[0]) == "Point(x=1, y=0)"
    assert warm[1:4] == cold[1:4] and warm[4] == cold[4] and warm[6:] == expected
    assert str(warm[5]) == "list[types.Point]"
    # Nothing of it is left in the process once the run is over.
    assert not hasattr(dataclasses, "exec") and not hasattr(typing, "compile")
    assert re._compiler.compile is compile_pattern  # type: ignore[attr-defined]


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"compiled afresh: {args[:1]!r}")


# --- what a one-file check imports --------------------------------------------------------

def _imported(*args: str) -> set[str]:
    """The modules `boardcheck ARGS` imports, as `python -X importtime` lists them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "boardcheck", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2}


@pytest.mark.parametrize(("args", "not_imported"), [
    # Neither Rich nor any other format's machinery: the JSON report is written directly.
    (("-f", "json"), {"rich", "docx", "lxml", "openpyxl", "multiprocessing",
                      "boardcheck.interview", "boardcheck.diff", "boardcheck.saved",
                      "boardcheck.batch", "boardcheck.summary"}),
    # A batch of one: no worker pool, no paper (python-docx), no workbook, no Rich.
    (("-f", "csv"), {"rich", "docx", "lxml", "openpyxl", "multiprocessing",
                     "boardcheck.interview", "boardcheck.formats.docx_paper"}),
    ((), {"docx", "lxml", "openpyxl", "multiprocessing", "boardcheck.interview"}),
])
def test_a_one_file_check_imports_only_what_its_format_uses(
        args: tuple[str, ...], not_imported: set[str]) -> None:
    imported = _imported("check", ONE, *args, "--as-of", "2026-06-01")
    assert "boardcheck.engine" in imported  # the run was a check, listed
    assert {name for name in imported if name.split(".")[0] in not_imported
            or name in not_imported} == set()
