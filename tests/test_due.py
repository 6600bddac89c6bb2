"""`due`: the forward look for the board's plan."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from tests.conftest import EXAMPLES, run_cli

MIDDLING = str(EXAMPLES / "middling-community-mh.yaml")


def test_overdue_terms_of_reference_review_comes_first() -> None:
    run = run_cli("due", MIDDLING, "--meeting", "2026-11-15", "-f", "json")
    assert run.exit_code == 0
    data = json.loads(run.stdout)
    first = data["items"][0]
    assert (first["date"], first["group"], first["kind"]) == ("2025-04-01", "overdue",
                                                             "terms of reference")
    assert first["basis"] == "given"
    groups = [i["group"] for i in data["items"]]
    assert groups == sorted(groups, key=["overdue", "before_meeting", "later"].index)
    dates = [i["date"] for i in data["items"]]
    assert dates == sorted(dates)


def test_intervals_come_from_the_questionnaire() -> None:
    data = json.loads(run_cli("due", MIDDLING, "--meeting", "2026-11-15", "-f", "json").stdout)
    baf = [i for i in data["items"] if i["kind"] == "BAF risk"]
    assert baf[0]["basis"] == "reviewed 2026-06-12 + 3 months (RM04)"
    assert baf[0]["date"] == "2026-09-12" and baf[0]["group"] == "overdue"


def test_within_and_meeting_bound_the_look() -> None:
    short = json.loads(run_cli("due", MIDDLING, "--within", "0", "-f", "json").stdout)
    assert {i["group"] for i in short["items"]} == {"overdue"}
    long = json.loads(run_cli("due", MIDDLING, "--within", "400", "--meeting", "2026-11-15",
                              "-f", "json").stdout)
    assert "later" in {i["group"] for i in long["items"]}
    assert len(long["items"]) > len(short["items"])


def test_csv_and_markdown_for_the_forward_plan() -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("due", MIDDLING, "-f", "csv").stdout)))
    assert rows[0]["date"] == "2025-04-01" and rows[0]["line"] == "161"
    markdown = run_cli("due", MIDDLING, "-f", "markdown").stdout
    assert "### Overdue (2)" in markdown
    rich = run_cli("due", MIDDLING, "--meeting", "2026-11-15").stdout
    assert rich.index("Overdue (2)") < rich.index("Due before the meeting")


def test_bad_meeting_date_is_a_usage_error() -> None:
    run = run_cli("due", MIDDLING, "--meeting", "soon")
    assert run.exit_code == 2
    assert run.stderr == ("boardcheck: --meeting: 'soon' is not a date: write it as 15/09/2026 "
                          "(day/month/year) or 2026-09-15\n")


def test_unknown_format_and_colour_are_usage_errors() -> None:
    run = run_cli("due", MIDDLING, "-f", "sarif")
    assert (run.exit_code, run.stdout) == (2, "")
    # The choices come from the format registry, in its order.
    assert run.stderr == ("boardcheck: --format: 'sarif' is not one of rich, json, csv, "
                          "markdown, html, docx, markdown-paper\n")
    run = run_cli("due", MIDDLING, "--color", "sometimes")
    assert run.exit_code == 2
    assert run.stderr == "boardcheck: --color: 'sometimes' is not one of auto, always, never\n"


STRONG = EXAMPLES / "strong-acute-ft.yaml"


def test_the_ends_of_the_calendar_saturate_instead_of_crashing() -> None:
    ancient = run_cli("due", MIDDLING, "--as-of", "0001-01-05", "-f", "json")
    assert ancient.exit_code == 0
    data = json.loads(ancient.stdout)
    assert (data["meeting"], data["until"]) == ("0001-04-05", "0001-04-05")
    future = json.loads(run_cli("due", MIDDLING, "--as-of", "9999-12-01", "-f", "json").stdout)
    assert (future["meeting"], future["until"]) == ("9999-12-31", "9999-12-31")
    huge = json.loads(run_cli("due", MIDDLING, "--within", "99999999999999999999",
                              "-f", "json").stdout)
    assert huge["until"] == "9999-12-31"
    assert run_cli("check", MIDDLING, "--as-of", "0001-01-05", "-q").exit_code == 0
    assert run_cli("check", MIDDLING, "--as-of", "9999-12-30", "-q").exit_code == 0


def test_a_huge_notice_period_gives_a_notice_date_at_the_start_of_the_calendar(
        tmp_path: Path) -> None:
    text = STRONG.read_text(encoding="utf-8").replace("notice_months: 12",
                                                      "notice_months: 99999999")
    trust = tmp_path / "trust.yaml"
    trust.write_text(text, encoding="utf-8")
    run = run_cli("due", str(trust), "--within", "5000", "-f", "json")
    assert run.exit_code == 0
    notices = [i for i in json.loads(run.stdout)["items"] if i["kind"] == "exit notice"]
    assert [(i["date"], i["group"]) for i in notices[:1]] == [("0001-01-01", "overdue")]


def test_dates_at_both_ends_of_the_calendar_check_in_every_format(tmp_path: Path) -> None:
    for day in ("0001-01-01", "9999-12-31"):
        text = re.sub(r"\d{4}-\d{2}-\d{2}", day, STRONG.read_text(encoding="utf-8"))
        trust = tmp_path / f"{day}.yaml"
        trust.write_text(text, encoding="utf-8")
        for fmt in ("rich", "json", "html", "markdown", "sarif", "junit", "github", "csv"):
            assert run_cli("check", str(trust), "-f", fmt).exit_code in (0, 1), (day, fmt)
        assert run_cli("due", str(trust), "-f", "json").exit_code == 0


def test_uk_dates_are_accepted_as_the_interview_accepts_them() -> None:
    # 15/09/2026 is day/month/year, the same day as 2026-09-15, for --meeting and --as-of.
    for command in (["due", MIDDLING, "-f", "json"], ["check", MIDDLING, "-f", "json"]):
        iso = run_cli(*command, "--meeting", "2026-09-15", "--as-of", "2026-08-01")
        uk = run_cli(*command, "--meeting", "15/09/2026", "--as-of", "1/8/2026")
        assert (uk.exit_code, uk.stderr) == (iso.exit_code, iso.stderr)
        assert uk.stdout == iso.stdout and '"2026-08-01"' in uk.stdout
    paper = run_cli("check", MIDDLING, "-f", "markdown-paper", "--meeting", "15/09/2026")
    assert paper.exit_code == 0 and "15 September 2026" in paper.stdout
