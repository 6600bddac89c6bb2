"""`diff` and `check --baseline`: movement since the last board."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, run_cli

MIDDLING = EXAMPLES / "middling-community-mh.yaml"


@pytest.fixture
def improved(tmp_path: Path) -> Path:
    """The middling trust after its board acted: exit terms, KPI triggers, ToR reviewed;
    and its place forum left."""
    data = yaml.safe_load(MIDDLING.read_text(encoding="utf-8"))
    for collab in data["collaboratives"]:
        collab["exit"] = {"notice_months": 12, "staff": True, "assets": True, "data": True}
        for kpi in collab["performance"]["kpis"]:
            kpi["trigger"] = "Two months below target"
        collab["terms_of_reference"]["last_reviewed"] = dt.date(2026, 9, 1)
        collab["terms_of_reference"]["review_due"] = dt.date(2027, 9, 1)
    left = data["collaboratives"].pop()["id"]
    for risk in data["board_assurance_framework"]["risks"]:  # nothing may name what was left
        if left in risk.get("collaboratives", []):
            risk["collaboratives"].remove(left)
    path = tmp_path / "improved.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "last-board.json"
    assert run_cli("check", str(MIDDLING), "-f", "json", "-o", str(path)).exit_code == 0
    return path


def test_diff_json_shows_the_right_movements(saved: Path, improved: Path) -> None:
    run = run_cli("diff", str(saved), str(improved), "-f", "json")
    assert run.exit_code == 0
    data = json.loads(run.stdout)
    assert data["kind"] == "diff"
    moves = {m["id"]: m for m in data["categories"]}
    assert moves["performance_fallback"]["old_rating"] == "red"
    assert moves["performance_fallback"]["new_rating"] == "green"
    assert moves["strategy_alignment"]["change"] == 0.0
    assert data["overall"]["change"] > 0
    assert [c["id"] for c in data["newly_met"]] == ["PI04", "PI05", "RM06", "PF01", "PF02",
                                                    "PF03"]
    assert data["newly_not_met"] == []
    assert data["arrangements_removed"] == ["mdplace (Marrowdene Place Forum)"]


def test_diff_of_two_trust_files_in_rich_and_markdown(improved: Path) -> None:
    rich = run_cli("diff", str(MIDDLING), str(improved))
    assert rich.exit_code == 0
    # The middling file is silent on exit terms: not evidenced, never "not met".
    assert "PF01 Exit provisions (was not evidenced)" in rich.stdout
    assert "Performance fallback" in rich.stdout and "↑ 43.7" in rich.stdout
    markdown = run_cli("diff", str(MIDDLING), str(improved), "-f", "markdown")
    assert "| Performance fallback | 43.8 RED | 87.5 GREEN | ↑ 43.7 |" in markdown.stdout
    backwards = run_cli("diff", str(improved), str(MIDDLING), "-f", "json")
    moved = json.loads(backwards.stdout)
    changes = {c["id"]: (c["old_status"], c["new_status"])
               for key in ("newly_not_met", "other_changes") for c in moved[key]}
    assert changes["PF01"] == ("met", "not_evidenced")


def test_a_fall_has_one_sign_the_arrow(improved: Path) -> None:
    # "↓ -43.7" would say the fall twice: the arrow carries the direction in every format.
    for fmt in ("rich", "markdown"):
        run = run_cli("diff", str(improved), str(MIDDLING), "-f", fmt)
        assert run.exit_code == 0 and "↓ 43.7" in run.stdout and "↓ -" not in run.stdout
    paper = run_cli("check", str(MIDDLING), "--baseline", str(improved), "-f", "markdown-paper")
    assert paper.exit_code == 0 and "↓ 43.7" in paper.stdout and "↓ -" not in paper.stdout


def test_check_with_baseline_shows_arrows(saved: Path, improved: Path) -> None:
    run = run_cli("check", str(improved), "--baseline", str(saved))
    assert run.exit_code == 0
    assert "↑ 43.7" in run.stdout
    data = json.loads(run_cli("check", str(improved), "--baseline", str(saved),
                              "-f", "json").stdout)
    assert data["movement"]["overall"]["old_rating"] == "amber"


def test_a_file_that_is_not_a_saved_result_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "other.json"
    bogus.write_text('{"hello": 1}', encoding="utf-8")
    run = run_cli("diff", str(bogus), str(MIDDLING))
    assert run.exit_code == 2
    assert run.stderr == (f"{bogus}:1:1: not a saved boardcheck result for one trust (from "
                          "check --format json)\n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"a": ', encoding="utf-8")
    assert run_cli("diff", str(broken), str(MIDDLING)).stderr.startswith(
        f"{broken}:1:7: not valid JSON")


def test_baseline_movement_in_markdown_paper_and_word(saved: Path, improved: Path,
                                                      tmp_path: Path) -> None:
    markdown = run_cli("check", str(improved), "--baseline", str(saved), "-f", "markdown")
    assert "| Performance fallback: What options will a trust have if serious performance " \
           "challenges occur? | 87.5 | 93.8% | **GREEN** | ↑ 43.7 |" in markdown.stdout
    html = run_cli("check", str(improved), "--baseline", str(saved), "-f", "html",
                   "--meeting", "2026-11-26")
    assert '<td class="num">↑ 43.7<span class="sub">was 43.8 Red</span></td>' in html.stdout
    assert "Board meeting, 26 November 2026" in html.stdout
    # The last board by the name its result was saved under (it records no meeting).
    assert f"(change since {saved.stem})" in html.stdout
    docx = pytest.importorskip("docx")
    target = tmp_path / "paper.docx"
    assert run_cli("check", str(improved), "--baseline", str(saved), "-f", "docx", "-o",
                   str(target)).exit_code == 0
    document = docx.Document(str(target))
    lines = [p.text for p in document.paragraphs if p.text.startswith("Since ")]
    assert len(lines) == 1
    assert lines[0].startswith(f"Since {saved.stem}, overall: 75.5 Amber then, now 87.0 ")
    assert lines[0].endswith(" (↑ 11.5).")
