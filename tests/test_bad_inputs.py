"""Bad trust descriptions: the regression corpus in tests/bad/ and the files that cannot be read.

Every case in tests/bad/expected.yaml runs through both `validate` and `check`, and must give
exit code 2, nothing on stdout, and exactly the expected lines on stderr.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES, FIXTURES, Run, run_cli

BAD = Path(__file__).resolve().parent / "bad"
EXPECTED_FILE = BAD / "expected.yaml"
# `check` loads the questionnaire before the trust file; a fixed small questionnaire keeps
# these cases about the trust file alone, whatever state the built-in questionnaire is in.
MINI = str(FIXTURES / "questionnaires" / "mini.yaml")
STRONG = str(EXAMPLES / "strong-acute-ft.yaml")
TRUSTS = FIXTURES / "trusts"
MAX_BYTES = 5 * 1024 * 1024

# Cases whose expected.yaml entry holds the message boardcheck *should* give; it does not yet.
# Each reason names the defect in src/. Remove the entry once the fix makes the case XPASS.
KNOWN_WRONG: dict[str, str] = {}


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, so expected.yaml cannot lose a case silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_expected() -> dict[str, list[str]]:
    data = yaml.load(EXPECTED_FILE.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    assert isinstance(data, dict)
    for name, lines in data.items():
        assert isinstance(lines, list) and lines, name
        assert all(isinstance(line, str) and line.startswith("{file}:") for line in lines), name
    return data


EXPECTED = load_expected()


def corpus_files() -> set[str]:
    return {p.name for p in BAD.iterdir()
            if p.name != EXPECTED_FILE.name and not p.name.startswith(".")}


def _cases() -> Iterator[Any]:
    for name in sorted(EXPECTED):
        marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[name])]
                 if name in KNOWN_WRONG else [])
        for command in ("validate", "check"):
            yield pytest.param(command, name, id=f"{command}-{name}", marks=marks)


CASES = list(_cases())


def run_command(command: str, file: str) -> Run:
    if command == "check":
        return run_cli("check", file, "--questionnaire", MINI)
    return run_cli("validate", file)


def assert_refused(run: Run, lines: list[str]) -> None:
    """Exit 2, nothing on stdout, exactly `lines` on stderr, and no traceback anywhere."""
    assert "Traceback" not in run.stdout + run.stderr
    assert (run.exit_code, run.stdout, run.stderr.splitlines()) == (2, "", lines)
    assert run.stderr == "".join(f"{line}\n" for line in lines)


# --- the corpus ------------------------------------------------------------------------


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize(("command", "name"), CASES)
def test_bad_file_gives_exactly_its_messages(command: str, name: str) -> None:
    file = f"tests/bad/{name}"
    expected = [line.replace("{file}", file) for line in EXPECTED[name]]
    assert_refused(run_command(command, file), expected)


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    files = corpus_files()
    assert sorted(files - EXPECTED.keys()) == []
    assert sorted(EXPECTED.keys() - files) == []
    assert sorted(KNOWN_WRONG.keys() - EXPECTED.keys()) == []


def test_corpus_covers_each_kind_of_problem_at_least_once() -> None:
    # A guard against the corpus shrinking by accident: these are the cases the corpus is for.
    required = {
        "syntax-error.yaml", "tab-indentation.yaml", "empty.yaml", "only-comments.yaml",
        "top-level-list.yaml", "top-level-scalar.yaml", "two-documents.yaml",
        "duplicate-key-top.yaml", "duplicate-key-collaborative.yaml",
        "unknown-key-did-you-mean.yaml", "unknown-nested-key.yaml", "name-no.yaml",
        "ods-code-date.yaml", "ods-code-number.yaml", "sector-typo.yaml",
        "list-for-mapping.yaml", "text-for-list.yaml", "likelihood-text.yaml",
        "likelihood-out-of-range.yaml", "as-of-month-13.yaml", "as-of-february-30.yaml",
        "as-of-next-week.yaml", "as-of-datetime.yaml", "schema-version-2.yaml",
        "missing-organisation.yaml", "missing-organisation-name.yaml", "anchor-alias.yaml",
        "python-tag.yaml", "include-tag.yaml", "merge-key.yaml", "latin1-byte.yaml",
        "nul-byte.yaml", "utf16-schema-error.yaml", "png-header.yaml", "deep-nesting.yaml",
        "several-problems.yaml",
    }
    assert sorted(required - EXPECTED.keys()) == []


def test_binary_cases_hold_the_bytes_they_are_about() -> None:
    # If an editor or git re-encodes these files, the cases stop testing what they say.
    assert b"Cl\xe9ment" in (BAD / "latin1-byte.yaml").read_bytes()
    assert b"Harrowfield\x00Hospitals" in (BAD / "nul-byte.yaml").read_bytes()
    assert (BAD / "png-header.yaml").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (BAD / "utf16-schema-error.yaml").read_bytes().startswith(b"\xff\xfes\x00")
    assert (BAD / "utf16-no-bom.yaml").read_bytes().startswith(b"s\x00c\x00")
    # Line numbers must count CRLF, CR and LF alike: each case's error is on line 5.
    assert (BAD / "line-endings-crlf.yaml").read_bytes().count(b"\r\n") == 5
    cr_only = (BAD / "line-endings-cr.yaml").read_bytes()
    assert cr_only.count(b"\r") == 5 and b"\n" not in cr_only
    mixed = (BAD / "line-endings-mixed.yaml").read_bytes()
    assert b"\r\n" in mixed and b"\r " in mixed and b"n:\n" in mixed
    truncated = (BAD / "utf16-truncated.yaml").read_bytes()
    assert truncated.startswith(b"\xff\xfe") and len(truncated) % 2 == 1


def test_several_problems_are_all_listed_in_line_order() -> None:
    # The exact lines are held by the corpus; this says what that case is for.
    lines = EXPECTED["several-problems.yaml"]
    assert len(lines) == 7
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)


# --- files that cannot be read ---------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "check"])
def test_missing_file(command: str, tmp_path: Path) -> None:
    file = str(tmp_path / "absent.yaml")
    assert_refused(run_command(command, file), [f"{file}:1:1: no such file"])


def test_validate_refuses_a_directory(tmp_path: Path) -> None:
    # `check` searches a directory for YAML files (a batch); `validate` takes files only.
    folder = tmp_path / "trust.yaml"
    folder.mkdir()
    assert_refused(run_cli("validate", str(folder)),
                   [f"{folder}:1:1: is a directory, not a YAML file"])


def test_check_refuses_a_directory_without_yaml_files(tmp_path: Path) -> None:
    folder = tmp_path / "trusts"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a trust\n", encoding="utf-8")
    run = run_cli("check", str(folder), "--questionnaire", MINI, "--format", "csv")
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code == 2
    assert run.stderr == f"{folder}: no YAML files (*.yaml, *.yml) in this directory\n"


def test_check_glob_matching_nothing(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.yaml")
    run = run_cli("check", pattern, "--questionnaire", MINI, "--format", "csv")
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code == 2
    assert run.stderr == f"{pattern}: no files match this pattern\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions, and root can read any file")
@pytest.mark.parametrize("command", ["validate", "check"])
def test_unreadable_file(command: str, tmp_path: Path) -> None:
    file = tmp_path / "trust.yaml"
    file.write_bytes(Path(STRONG).read_bytes())
    file.chmod(0)
    try:
        run = run_command(command, str(file))
    finally:
        file.chmod(0o600)
    assert_refused(run, [f"{file}:1:1: permission denied: cannot read the file"])


@pytest.mark.parametrize("command", ["validate", "check"])
def test_file_that_cannot_be_opened(command: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The same refusal where the test runs as root (who can read anything): opening this one
    # file fails as it would for anyone else.
    file = tmp_path / "trust.yaml"
    file.write_bytes(Path(STRONG).read_bytes())
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) == file:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert_refused(run_command(command, str(file)),
                   [f"{file}:1:1: permission denied: cannot read the file"])


@pytest.mark.parametrize("command", ["validate", "check"])
def test_file_over_the_size_limit(command: str, tmp_path: Path) -> None:
    file = tmp_path / "huge.yaml"
    text = "schema_version: 1\norganisation:\n  name: X\n# padding\n"
    file.write_text(text + "#" * (MAX_BYTES - len(text) + 1), encoding="utf-8")
    assert_refused(run_command(command, str(file)),
                   [f"{file}:1:1: the file is 5,242,881 bytes, more than the limit of "
                    "5,242,880 (raise it with --max-bytes)"])


@pytest.mark.parametrize("command", [["validate"], ["check"], ["due"], ["diff", STRONG]])
def test_max_bytes_option_sets_the_limit_for_every_command(command: list[str]) -> None:
    refused = run_cli(*command, STRONG, "--max-bytes", "100")
    assert (refused.exit_code, refused.stdout) == (2, "")
    size = Path(STRONG).stat().st_size
    assert refused.stderr == (f"{STRONG}:1:1: the file is {size:,} bytes, more than the limit "
                              "of 100 (raise it with --max-bytes)\n")
    assert run_cli(*command, STRONG, "--max-bytes", str(size)).exit_code == 0


# --- validate with several files -------------------------------------------------------


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("good_first", [True, False], ids=["good-first", "bad-first"])
def test_validate_good_and_bad_file(good_first: bool) -> None:
    bad = "tests/bad/name-no.yaml"
    files = [STRONG, bad] if good_first else [bad, STRONG]
    run = run_cli("validate", *files)
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code == 2
    assert run.stdout == f"{STRONG}: valid\n"
    assert run.stderr == "".join(
        f"{line.replace('{file}', bad)}\n" for line in EXPECTED["name-no.yaml"])


@pytest.mark.usefixtures("at_root")
def test_validate_lists_every_bad_file_in_argument_order() -> None:
    names = ["two-documents.yaml", "several-problems.yaml", "empty.yaml"]
    run = run_cli("validate", *(f"tests/bad/{name}" for name in names))
    expected = [line.replace("{file}", f"tests/bad/{name}")
                for name in names for line in EXPECTED[name]]
    assert_refused(run, expected)


# --- encodings that must be accepted ---------------------------------------------------


@pytest.mark.parametrize("name", ["utf16-bom.yaml", "utf16-be-bom.yaml", "utf8-bom.yaml"])
def test_text_with_a_byte_order_mark_validates(name: str) -> None:
    file = str(TRUSTS / name)
    run = run_cli("validate", file)
    assert (run.exit_code, run.stdout, run.stderr) == (0, f"{file}: valid\n", "")


def test_utf16_file_is_checked_with_its_text_intact() -> None:
    file = str(TRUSTS / "utf16-bom.yaml")
    run = run_cli("check", file, "--questionnaire", MINI, "--format", "json")
    assert (run.exit_code, run.stderr) == (0, "")
    data = json.loads(run.stdout)
    assert data["file"] == file
    assert data["as_of"] == "2026-10-01"
    assert data["organisation"]["name"] == "Harrowfield and Wendmoor Hospitals NHS Trust"


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_endings_score_as_unix_ones(ending: bytes,
                                                             tmp_path: Path) -> None:
    original = EXAMPLES / "middling-community-mh.yaml"
    converted = tmp_path / "converted.yaml"
    converted.write_bytes(original.read_bytes().replace(b"\n", ending))
    before = json.loads(run_cli("check", str(original), "-f", "json").stdout)
    after = json.loads(run_cli("check", str(converted), "-f", "json").stdout)
    assert after["overall"] == before["overall"]
    # Evidence lines too: a gap points at the same line however lines end.
    assert after["categories"] == before["categories"]
    assert after["arrangements"] == before["arrangements"]


@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_fifo_or_device_is_refused_not_waited_on(command: str, tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        assert_refused(run_command(command, path), [
            f"{path}:1:1: not a regular file (a device, FIFO or socket): refusing to read it"])


def test_a_questionnaire_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "q.yaml"
    os.mkfifo(fifo)
    assert_refused(run_cli("check", STRONG, "--questionnaire", str(fifo)), [
        f"{fifo}:1:1: not a regular file (a device, FIFO or socket): refusing to read it"])
