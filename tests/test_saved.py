"""Saved results read back for `diff` and `--baseline`: every bad file is located, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

MIDDLING = EXAMPLES / "middling-community-mh.yaml"
NOT_A_RESULT = "not a saved boardcheck result for one trust (from check --format json)"


@pytest.fixture
def saved(tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "saved.json"
    assert run_cli("check", str(MIDDLING), "-f", "json", "-o", str(out)).exit_code == 0
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


def _mutated(saved: dict[str, object], path: str, value: object) -> dict[str, object]:
    data = json.loads(json.dumps(saved))
    *parents, last = path.split(".")
    here = data
    for part in parents:
        here = here[int(part)] if part.isdigit() else here[part]
    here[int(last) if last.isdigit() else last] = value
    return data  # type: ignore[no-any-return]


CASES = [
    ("categories.0", 1, f"{NOT_A_RESULT}: categories[0]: input should be a valid dictionary "
     "or instance of SavedCategory"),
    ("categories.0.criteria.0.status", "great",
     f"{NOT_A_RESULT}: categories[0].criteria[0].status: input should be 'met', 'partly_met', "
     "'not_met', 'not_evidenced', 'not_applicable' or 'waived'"),
    ("overall.score", "abc", f"{NOT_A_RESULT}: overall.score: input should be a valid number"),
    ("overall.score", 500,
     f"{NOT_A_RESULT}: overall.score: input should be less than or equal to 100"),
    ("overall", [], f"{NOT_A_RESULT}: overall: input should be a valid dictionary or "
     "instance of SavedOverall"),
    ("as_of", "0000-00-00", f"{NOT_A_RESULT}: as_of: input should be a valid date or "
     "datetime, month value is outside expected range of 1-12"),
    ("questionnaire", 1, f"{NOT_A_RESULT}: questionnaire: input should be a valid dictionary "
     "or instance of SavedQuestionnaire"),
    ("schema_version", 99, "a saved result of schema_version 99, which this boardcheck does "
     "not read (it reads 1, 2, 3)"),
    ("schema_version", "2", "a saved result of schema_version '2', which this boardcheck "
     "does not read (it reads 1, 2, 3)"),
    ("waivers", [{"criterion": 5}], f"{NOT_A_RESULT}: waivers[0].criterion: input should be "
     "a valid string"),
]


@pytest.mark.parametrize(("path", "value", "message"), CASES)
@pytest.mark.parametrize("command", ["diff", "baseline"])
def test_a_foreign_or_damaged_result_is_one_located_line_and_exit_2(
        tmp_path: Path, saved: dict[str, object], path: str, value: object, message: str,
        command: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_mutated(saved, path, value)), encoding="utf-8")
    run = (run_cli("diff", str(bad), str(MIDDLING)) if command == "diff"
           else run_cli("check", str(MIDDLING), "--baseline", str(bad)))
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"{bad}:1:1: {message}\n")


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 100_000 + "]" * 100_000, "not valid JSON for boardcheck: nested too deeply"),
    ('{"overall": NaN}', "not valid JSON: NaN is not a number JSON allows"),
    ("[1, 2]", NOT_A_RESULT),
    ('{"kind": "batch", "schema_version": 1, "as_of": "2026-01-01", "overall": {}, '
     '"categories": [], "questionnaire": {}}', NOT_A_RESULT),
])
def test_hostile_json_is_refused_with_exit_2(tmp_path: Path, content: str,
                                             message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for run in (run_cli("diff", str(bad), str(MIDDLING)),
                run_cli("check", str(MIDDLING), "--baseline", str(bad), "-f", "json")):
        assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"{bad}:1:1: {message}\n")


def test_non_utf8_json_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"a": "\xff"}')
    run = run_cli("diff", str(bad), str(MIDDLING))
    assert (run.exit_code, run.stderr) == (2, f"{bad}:1:1: not valid JSON: not UTF-8 text "
                                              "(byte 0xff)\n")


def test_a_saved_result_compares_with_itself_as_no_change(tmp_path: Path,
                                                          saved: dict[str, object]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(saved), encoding="utf-8")
    run = run_cli("diff", str(good), str(MIDDLING), "-f", "json")
    assert run.exit_code == 0
    data = json.loads(run.stdout)
    assert (data["overall"]["change"], data["newly_met"], data["questionnaire_changed"]) == (
        0.0, [], False)
