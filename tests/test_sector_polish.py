"""What a new user's trial of the batch's sector view found (issue 12), through the CLI:
per-question shares in the HTML breakdowns; capped ratings explained in HTML, markdown and
the workbook; one meaning of rank in every format; words, not identifiers, where a person
reads; the group visible under --sort region; the terminal's smaller faults; and the
members' papers linked from the workbook.

The batch is five trusts (three strong acute trusts in the Midlands, the middling community
and mental health trust in the North West, the weak acute trust in the South West): the
strong ones have a question capped amber, the middling one its overall rating capped and
the weak one its overall rating set red by a rule. Exact expected output in
tests/golden/sector-polish/ (regenerate with BOARDCHECK_UPDATE_GOLDEN=1 and review the diff
when a change is intended)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.htmlcheck import check_html
from tests.test_sector_views import sector as five  # noqa: F401 (a fixture)
from tests.test_spreadsheets import _golden


def golden(name: str, actual: str) -> str:
    return _golden(f"sector-polish/{name}", actual)


@pytest.fixture
def sector(five: Path, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """The five trusts in `sector/` under the working directory (so every path a report
    prints is the same on every machine), and an `out/` folder to write to."""
    monkeypatch.chdir(five.parent)
    (five.parent / "out").mkdir()
    return five.name


def html_page(sector: str, *args: str) -> str:
    run = run_cli("check", sector, "-o", "out/sector.html", *args)
    assert run.exit_code == 0, run.stderr
    page = Path("out/sector.html").read_text(encoding="utf-8")
    check_html(page)
    return page


def between(text: str, start: str, end: str) -> str:
    part = text[text.index(start):]
    return part[:part.index(end) + len(end)]


# --- 1. the HTML breakdowns give every question's shares -----------------------------------


def test_html_breakdowns_give_each_question_its_shares_in_words(sector: str) -> None:
    """Per group a row for the overall rating and one per board question, each with the
    count and share of green, amber, red, insufficient evidence and inconclusive, and the
    median (quartiles): what the terminal, markdown, JSON and workbook give."""
    section = between(html_page(sector), '<section id="breakdowns"', "</section>")
    section = section.replace("</tr>", "</tr>\n").replace("<tbody>", "\n<tbody>")
    assert section == golden("breakdowns.html", section)
