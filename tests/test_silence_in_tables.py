"""A file's silence stays silence in the batch's tables (a new user's trial, issue 12).

Two fictional trusts in tests/fixtures/silence-in-tables/: the strong example with a third
arrangement, a network it says nothing about beyond its type, so PI12, RS08 and PF08 are met
for the joint committee and unknown for the network; and a trust whose two arrangements state
no governance model. The criterion columns must not read "partly met" (a stated failure) for
what is only silence, and an arrangement's type must not be reported as its governance model.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "silence-in-tables"
STRONG = "strong-with-silent-network.yaml"
NO_MODELS = "no-models.yaml"


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    return Path("in")


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO(text))}


def test_csv_criterion_cells_keep_silence_apart_from_stated_failure(batch: Path) -> None:
    run = run_cli("check", str(batch), "-f", "csv")
    assert run.exit_code == 0, run.stderr
    rows = _rows(run.stdout)
    strong = rows[STRONG]
    assert [strong[c] for c in ("PI12", "RS08", "PF08")] == ["partly_met_not_evidenced"] * 3
    # A criterion partly met with a failure the file states keeps the plain status; none of
    # the three here has one, and the JSON agrees: partly met, not evidenced.
    result = json.loads(run_cli("check", str(batch / STRONG), "-f", "json").stdout)
    judged = {c["id"]: (c["status"], c["evidenced"])
              for cat in result["categories"] for c in cat["criteria"]}
    assert [judged[c] for c in ("PI12", "RS08", "PF08")] == [("partly_met", False)] * 3
    assert not any(v == "partly_met" and not judged[k][1] for k, v in strong.items()
                   if k in judged)


def test_csv_governance_models_are_only_those_stated(batch: Path) -> None:
    rows = _rows(run_cli("check", str(batch), "-f", "csv").stdout)
    assert rows[STRONG]["governance_models"] == "advisory_forum;joint_committee"
    assert rows[NO_MODELS]["governance_models"] == ""


def test_breakdown_groups_a_trust_stating_no_model_as_not_recorded(batch: Path) -> None:
    run = run_cli("check", str(batch), "-f", "json")
    summary = json.loads(run.stdout)["summary"]
    # One id for the group stating none in every section (null), and last (issue 12, F, S).
    assert [g["name"] for g in summary["by_governance_model"]] == \
        ["advisory_forum", "joint_committee", None]
    groups = {b["key"]: [(g["name"], g["label"]) for g in b["groups"]]
              for b in summary["breakdowns"]}
    assert groups["governance_model"] == [
        ("advisory_forum", "advisory forum"), ("joint_committee", "joint committee"),
        (None, "Governance model not recorded")]
    terminal = run_cli("check", str(batch), env={"COLUMNS": "120"}).stdout
    assert " Governance model not recorded " in terminal
    for type_word in ("network or alliance", "joint venture"):
        assert type_word not in terminal.lower()


def test_workbook_writes_silence_in_words(batch: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="needs the xlsx extra")
    run = run_cli("check", str(batch), "-f", "xlsx", "-o", "out.xlsx")
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook("out.xlsx", read_only=True)
    sheet = next(s for s in book.worksheets if any(
        isinstance(v, str) and v.startswith("PI12") for v in next(s.iter_rows(values_only=True))))
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    at = {h.split(" ")[0]: i for i, h in enumerate(header) if isinstance(h, str)}
    strong = next(r for r in rows[1:] if any(isinstance(v, str) and STRONG in v for v in r))
    assert [strong[at[c]] for c in ("PI12", "RS08", "PF08")] == \
        ["partly met, not evidenced"] * 3


def test_breakdowns_csv_gives_the_not_recorded_group_the_empty_id_the_trusts_table_has(
        batch: Path) -> None:
    run = run_cli("check", str(batch), "-f", "csv", "-o", "trusts.csv",
                  "--breakdowns", "groups.csv")
    assert run.exit_code == 0, run.stderr
    trusts = _rows(Path("trusts.csv").read_text(encoding="utf-8"))
    groups = [(r["group"], r["group_id"]) for r in csv.DictReader(
        io.StringIO(Path("groups.csv").read_text(encoding="utf-8")))
        if r["breakdown_id"] == "governance_model" and r["question_id"] == "overall"]
    assert groups == [("advisory forum", "advisory_forum"),
                      ("joint committee", "joint_committee"),
                      ("Governance model not recorded", "")]
    # Each id found in the trusts' column, the empty one included.
    ids = {m for r in trusts.values() for m in (r["governance_models"].split(";")
                                                if r["governance_models"] else [""])}
    assert ids == {"", "advisory_forum", "joint_committee"}
