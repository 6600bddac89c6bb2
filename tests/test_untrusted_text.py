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
    assert run.exit_code == 0
    assert run.stderr.startswith("wrote ") and run.stderr.endswith(f" to {out}\n")
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


MARKUP_NAME = "Trust [link=https://evil.example]click[/link] [bold]X[/] :smile: & <i>"
# The organisation name as written in the file: markup, then an escape sequence.
RAW_NAME = MARKUP_NAME + "\x1b[2J"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The strong example with markup and escape sequences in its names and an id."""
    import yaml

    data = yaml.safe_load(STRONG.read_text(encoding="utf-8"))
    data["organisation"]["name"] = RAW_NAME
    old = data["collaboratives"][0]["id"]
    data["collaboratives"][0]["name"] = "=HYPERLINK(\"http://x\")\x1b[2J | *c*"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).replace(
        f" {old}\n", f" {old}[/]\n")
    path = tmp_path / "t[bold]x[red].yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rich_markup_in_names_ids_and_file_names_is_shown_as_written(hostile: Path) -> None:
    one = run_cli("check", str(hostile))
    assert (one.exit_code, one.stderr) == (0, "")
    assert one.stdout.startswith(f"{MARKUP_NAME}\\x1b[2J (ZZA)\n")
    assert f"{hostile.name}" in one.stdout.replace("\n", "")
    batch = run_cli("check", str(hostile), str(STRONG))
    assert batch.exit_code == 0
    assert "[link=https://evil.example]" in batch.stdout and "[/link]" in batch.stdout
    due = run_cli("due", str(hostile))
    assert due.exit_code == 0 and due.stdout.startswith(f"Forward look for {MARKUP_NAME}\\x1b")
    assert "\\x1b[2J" in due.stdout and "\x1b" not in due.stdout
    diff = run_cli("diff", str(STRONG), str(hostile))
    assert diff.exit_code == 0 and "[/]" in diff.stdout


def test_due_csv_neutralises_formulas_and_shows_control_characters(hostile: Path) -> None:
    run = run_cli("due", str(hostile), "--within", "3650", "-f", "csv")
    assert run.exit_code == 0
    rows = [line for line in run.stdout.splitlines() if "HYPERLINK" in line]
    assert rows
    for line in rows:
        assert ",\"'=HYPERLINK(\"\"http://x\"\")\\x1b[2J | *c*: " in line


def test_due_and_diff_markdown_escape_names(hostile: Path) -> None:
    due = run_cli("due", str(hostile), "--within", "3650", "-f", "markdown").stdout
    assert due.startswith("## Forward look for Trust \\[link=https://evil.example\\]click"
                          "\\[/link\\] \\[bold\\]X\\[/\\] :smile: \\& \\<i\\>\\\\x1b\\[2J: as of ")
    assert "| =HYPERLINK(\"http://x\")\\\\x1b\\[2J \\| \\*c\\*: " in due
    diff = run_cli("diff", str(STRONG), str(hostile), "-f", "markdown").stdout
    assert f"From `{STRONG}` to `{hostile}` (as of 2026-10-01)." in diff
    assert "[/]" not in diff.replace("\\[/\\]", "")


@pytest.mark.parametrize(("fmt", "shown"), [
    ("markdown", "\\<i\\>\\\\x1b\\[2J: 96.2 / 100"),
    ("html", "&lt;i&gt;\\x1b[2J"),
    ("github", "& <i>\\x1b[2J: 1 not met"),
    ("rich", "& <i>\\x1b[2J (ZZA)"),
    ("csv", "& <i>\\x1b[2J,ZZA"),
])
def test_control_characters_never_reach_a_text_format(hostile: Path, fmt: str,
                                                      shown: str) -> None:
    run = run_cli("check", str(hostile), "-f", fmt)
    assert run.exit_code == 0
    assert "\x1b" not in run.stdout
    assert shown in run.stdout


def test_a_code_span_shows_a_problem_exactly(tmp_path: Path) -> None:
    bad = tmp_path / "a&amp;b`c.yaml"
    bad.write_text("a: [", encoding="utf-8")
    run = run_cli("check", str(bad), str(STRONG), "-f", "markdown")
    assert run.exit_code == 2
    assert f"- ``{tmp_path}/a&amp;b`c.yaml:2:1: YAML syntax error: did not find expected " \
           "node content (while parsing a flow node started at line 2, column 1)``" in run.stdout


# U+202E (right-to-left override) and the other bidirectional controls display the text
# after them reordered without being seen ("Trojan Source"); each is shown as \uNNNN.
BIDI_NAME = "Northfield \u202egnp.exe\u202c NHS Trust \u2066x\u2069 \u200f"
BIDI_SHOWN = "Northfield \\u202egnp.exe\\u202c NHS Trust \\u2066x\\u2069 \\u200f"
BIDI = ("\u202e", "\u202c", "\u2066", "\u2069", "\u200f")


@pytest.fixture
def bidi(tmp_path: Path) -> Path:
    import yaml

    data = yaml.safe_load(STRONG.read_text(encoding="utf-8"))
    data["organisation"]["name"] = BIDI_NAME
    path = tmp_path / "bidi.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("fmt", "shown"), [
    ("rich", BIDI_SHOWN),
    ("html", BIDI_SHOWN),
    ("markdown", BIDI_SHOWN.replace("\\", "\\\\")),
    ("csv", BIDI_SHOWN),
    ("github", BIDI_SHOWN),
    ("junit", BIDI_SHOWN),
])
def test_bidirectional_controls_are_shown_not_obeyed(bidi: Path, fmt: str, shown: str) -> None:
    for args in ((str(bidi),), (str(bidi), str(STRONG))):  # one file, and a batch
        run = run_cli("check", *args, "-f", fmt, env={"COLUMNS": "200"})
        assert run.exit_code == 0, run.stderr
        assert not any(c in run.stdout for c in BIDI)
        assert shown in run.stdout.replace("\n", "") or shown in run.stdout


def test_bidirectional_controls_are_shown_in_the_workbook(bidi: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    out = tmp_path / "out.xlsx"
    assert run_cli("check", str(bidi), str(STRONG), "-f", "xlsx", "-o", str(out)).exit_code == 0
    cells = [str(v) for sheet in openpyxl.load_workbook(out, read_only=True).worksheets
             for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(c in cell for cell in cells for c in BIDI)
    assert BIDI_SHOWN in cells
