"""Output that stays safe whatever the input holds; limits that keep refusals fast."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.conftest import run_cli


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_terminal_escapes_in_a_name_are_shown_not_obeyed(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", 'schema_version: 1\norganisation:\n'
                 '  name: "Evil \\e[2J\\e]0;pwned\\a NHS Trust"\n')
    run = run_cli("check", str(path), "--color", "always")
    assert run.exit_code == 0
    first = run.stdout.splitlines()[0]
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in first
    assert "\x1b[2J" not in run.stdout and "\x07" not in run.stdout


def test_csv_neutralises_formulas_and_quotes_carriage_returns(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", 'schema_version: 1\norganisation:\n  name: "=HYPERLINK(1)"\n')
    write(tmp_path, "b.yaml", 'schema_version: 1\norganisation:\n  name: "Two\\rLines"\n')
    run = run_cli("check", str(tmp_path), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert sorted(r["organisation"] for r in rows) == ["'=HYPERLINK(1)", "Two\rLines"]


def test_only_the_first_hundred_problems_are_listed(tmp_path: Path) -> None:
    keys = "".join(f"  unknown_{n}: x\n" for n in range(300))
    path = write(tmp_path, "many.yaml", f"schema_version: 1\norganisation:\n  name: X\n{keys}")
    run = run_cli("validate", str(path))
    lines = run.stderr.splitlines()
    assert run.exit_code == 2
    assert len(lines) == 101
    assert lines[0] == f"{path}:4:3: organisation.unknown_0: unknown key 'unknown_0'; " \
                       "expected one of: name, ods_code, legal_form, sectors, " \
                       "belongs_to_provider_collaborative, icbs, region, oversight, cqc_rating, " \
                       "council_of_governors, shared_leadership"
    assert lines[-1] == f"{path}:103:3: ... and 200 more problems not shown; fix these first"


def test_an_anchor_without_an_alias_is_refused_too(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "schema_version: 1\norganisation:\n  name: &a X\n")
    run = run_cli("validate", str(path))
    assert (run.exit_code, run.stderr) == (
        2, f"{path}:3:9: YAML anchors and aliases (&name, *name) are not allowed; write the "
           "value out in full\n")


def test_word_paper_survives_characters_xml_cannot_hold(tmp_path: Path) -> None:
    import pytest

    pytest.importorskip("docx")
    path = write(tmp_path, "t.yaml", 'schema_version: 1\norganisation:\n  name: "Odd \\x01 NHS"\n')
    target = tmp_path / "p.docx"
    run = run_cli("check", str(path), "-f", "docx", "-o", str(target))
    assert run.exit_code == 0
    assert target.stat().st_size > 1000


def test_a_file_of_very_many_values_is_refused_early(tmp_path: Path) -> None:
    keys = "".join(f"    k{n}: v\n" for n in range(300))
    body = "schema_version: 1\norganisation:\n  name: X\ncollaboratives:\n" + "".join(
        f"  - id: c{i}\n    name: C\n    type: joint_committee\n{keys}" for i in range(400))
    path = write(tmp_path, "many-values.yaml", body)
    run = run_cli("validate", str(path))
    assert run.exit_code == 2
    assert len(run.stderr.splitlines()) == 1
    assert run.stderr.endswith(": the file holds more than 100,000 values, the limit for one "
                               "trust description\n")
