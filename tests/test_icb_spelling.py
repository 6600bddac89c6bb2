"""ICBs are free text: files that write one ICB differently only in case or spacing are one
group in every batch report (a new user's trial, issue 12), named as the first file to name
it writes it. Two fictional trusts in tests/fixtures/icb-spelling/."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "icb-spelling"


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    shutil.copytree(FIXTURES, tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    return "in"


def test_json_breakdown_has_one_group_per_icb(batch: str) -> None:
    run = run_cli("check", batch, "-f", "json")
    assert run.exit_code == 0, run.stderr
    summary = json.loads(run.stdout)["summary"]
    (icb,) = [b for b in summary["breakdowns"] if b["key"] == "icb"]
    assert [(g["name"], g["overall"]["files"]) for g in icb["groups"]] == [
        ("NHS Fen ICB", 2), ("NHS Wash ICB", 1)]


def test_csv_trusts_and_breakdowns_name_it_alike(batch: str) -> None:
    run = run_cli("check", batch, "-o", "trusts.csv", "--breakdowns", "groups.csv")
    assert run.exit_code == 0, run.stderr
    trusts = list(csv.DictReader(io.StringIO(Path("trusts.csv").read_text("utf-8"))))
    assert sorted(r["icbs"] for r in trusts) == ["NHS Fen ICB", "NHS Fen ICB;NHS Wash ICB"]
    groups = [(r["group_id"], r["trusts"]) for r in csv.DictReader(
        io.StringIO(Path("groups.csv").read_text("utf-8")))
        if r["breakdown_id"] == "icb" and r["question_id"] == "overall"]
    assert groups == [("NHS Fen ICB", "2"), ("NHS Wash ICB", "1")]


def test_terminal_lists_the_icb_once(batch: str) -> None:
    out = run_cli("check", batch, env={"COLUMNS": "120"}).stdout
    assert out.lower().count("fen icb") == out.count("NHS Fen ICB")
