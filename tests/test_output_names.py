"""`-o FILE` picks the format from the file's name, refuses a --format that disagrees,
and every write says what it wrote where. Cases in tests/fixtures/output-names.yaml."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from boardcheck.formats.base import REFUSED_ENDINGS, REGISTRY
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
CASES: dict[str, Any] = yaml.safe_load(
    (ROOT / "tests" / "fixtures" / "output-names.yaml").read_text("utf-8"))
STRONG = ROOT / "examples" / "strong-acute-ft.yaml"
WEAK = ROOT / "examples" / "weak-acute.yaml"
EXAMPLES = ROOT / "examples"
ARGUMENTS = {"check": [str(STRONG)], "batch": [str(EXAMPLES)], "diff": [str(WEAK), str(STRONG)],
             "due": [str(WEAK)]}


def read_back(kind: str, data: bytes) -> None:
    """Fails unless `data` is a document of `kind`, read as its consumer would read it."""
    text = data.decode("utf-8") if kind not in ("docx", "xlsx") else ""
    if kind == "html":
        assert text.startswith("<!DOCTYPE html>")
    elif kind == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            assert "word/document.xml" in docx.namelist()
    elif kind == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            assert "xl/workbook.xml" in workbook.namelist()
    elif kind in ("json", "sarif"):
        document = json.loads(text)
        assert ("runs" in document) == (kind == "sarif")
    elif kind == "csv":
        header = next(csv.reader(io.StringIO(text)))
        assert "file" in header
    elif kind == "junit":
        assert ElementTree.fromstring(text).tag in ("testsuites", "testsuite")
    elif kind == "markdown":
        assert text.startswith("#")
    else:  # plain text: no markup of any format above
        assert not text.startswith(("<", "{", "#"))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: f"{c['command']}-{c['name']}")
def test_the_file_name_picks_the_format(tmp_path: Path, case: dict[str, str]) -> None:
    out = tmp_path / case["name"]
    command = "check" if case["command"] == "batch" else case["command"]
    run = run_cli(command, *ARGUMENTS[case["command"]], "-o", str(out))
    assert (run.exit_code, run.stdout, run.stderr) == (
        0, "", case["says"].format(out=out) + "\n")
    read_back(case["kind"], out.read_bytes())


def arguments(command: list[str], out: Path) -> list[str]:
    return [a.format(strong=STRONG, weak=WEAK, examples=EXAMPLES, out=out) for a in command]


@pytest.mark.parametrize("case", CASES["conflicts"], ids=lambda c: f"{c['command'][0]}-{c['name']}")
def test_a_conflicting_format_is_refused(tmp_path: Path, case: dict[str, Any]) -> None:
    out = tmp_path / case["name"]
    run = run_cli(*arguments(case["command"], out))
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", case["says"].format(out=out) + "\n")
    assert not out.exists()


@pytest.mark.parametrize("case", CASES["refused"], ids=lambda c: f"{c['command'][0]}-{c['name']}")
def test_an_ending_boardcheck_cannot_write_is_refused(tmp_path: Path,
                                                      case: dict[str, Any]) -> None:
    out = tmp_path / case["name"]
    run = run_cli(*arguments(case["command"], out))
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", case["says"].format(out=out) + "\n")
    assert not out.exists()


def test_a_refused_ending_picks_no_format() -> None:
    picked = {e for info in REGISTRY.values() for e in (*info.extensions, *info.also_writes)}
    assert set(REFUSED_ENDINGS) and not picked & set(REFUSED_ENDINGS)


@pytest.mark.parametrize("case", CASES["allowed"], ids=lambda c: c["name"])
def test_a_format_may_use_an_ending_of_its_own_type(tmp_path: Path, case: dict[str, Any]) -> None:
    out = tmp_path / case["name"]
    run = run_cli(*arguments(case["command"], out))
    assert (run.exit_code, run.stderr) == (0, case["says"].format(out=out) + "\n")


def test_quiet_writes_without_saying_so(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run = run_cli("check", str(STRONG), "-o", str(out), "--quiet")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", "")
    assert json.loads(out.read_text("utf-8"))["overall"]["rating"] == "green"


def test_stdout_gets_no_message() -> None:
    run = run_cli("check", str(STRONG), "-f", "json")
    assert (run.exit_code, run.stderr) == (0, "")


def test_each_ending_picks_one_format_only() -> None:
    endings = [e for info in REGISTRY.values() for e in info.extensions]
    assert len(endings) == len(set(endings))
    assert all(e.startswith(".") and e == e.lower() for e in endings)
    assert all(info.label for info in REGISTRY.values())
