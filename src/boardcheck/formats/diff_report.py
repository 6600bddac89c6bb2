"""The `diff` report: what moved since the last board, as rich text, markdown or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.table import Table
from rich.text import Text

from boardcheck.diff import Diff, Movement, arrow, since_words
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.rich_text import console_for, rating_text, score_text, strip_trailing
from boardcheck.formats.sanitise import deep, markdown_code, markdown_text, printable
from boardcheck.formats.wording import rating_upper
from boardcheck.result import RESULT_SCHEMA_VERSION


def _status(status: str | None) -> str:
    return "absent" if status is None else status.replace("_", " ")


def _lists(diff: Diff) -> list[tuple[str, list[str]]]:
    return [
        ("Newly met", [f"{c.id} {c.title} (was {_status(c.old_status)})"
                       for c in diff.newly_met]),
        ("Newly not met", [f"{c.id} {c.title} (now {_status(c.new_status)}, was "
                           f"{_status(c.old_status)})" for c in diff.newly_not_met]),
        ("Other changes", [f"{c.id} {c.title}: {_status(c.old_status)} → "
                           f"{_status(c.new_status)}" for c in diff.other_changes]),
        ("Waivers added", list(diff.waivers_added)),
        ("Waivers removed", list(diff.waivers_removed)),
        ("Waivers expired", list(diff.waivers_expired)),
        ("Arrangements added", list(diff.arrangements_added)),
        ("Arrangements removed", list(diff.arrangements_removed)),
    ]


def _as_of(day: str, stated: bool) -> str:
    """A side's as-of date, or, where its file stated none, the day it was checked as that."""
    return f"as of {day}" if stated else f"as of: not recorded in the file, checked {day}"


def render_rich(diff: Diff, options: RenderOptions) -> str:
    diff = deep(diff, printable)
    console, buffer = console_for(options)
    old = _as_of(diff.old_as_of, diff.old_as_of_stated)
    new = _as_of(diff.new_as_of, diff.new_as_of_stated)
    console.print(Text(f"Changes from {diff.old_label} ({old}) to {diff.new_label} ({new})",
                       style="bold"))
    if diff.questionnaire_changed:
        console.print(Text("Note: the two results used different questionnaires or versions.",
                           style="yellow"))
    table = Table(pad_edge=False)
    for col in ("", "Before", "After", "Change"):
        table.add_column(col, justify="left" if not col else "right")
    for m in (diff.overall, *diff.categories):
        before = Text(f"{score_text(m.old_score)} ").append_text(rating_text(m.old_rating))
        after = Text(f"{score_text(m.new_score)} ").append_text(rating_text(m.new_rating))
        table.add_row(m.title, before, after, arrow(m.change))
    console.print(table)
    for title, items in _lists(diff):
        if items:
            console.print()
            console.print(Text(title, style="bold"))
            for item in items:
                console.print(f"  {item}", markup=False)
    return strip_trailing(buffer.getvalue())


def _md_row(m: Movement) -> str:
    return (f"| {markdown_text(m.title)} | {score_text(m.old_score)} "
            f"{rating_upper(m.old_rating)} | "
            f"{score_text(m.new_score)} {rating_upper(m.new_rating)} | {arrow(m.change)} |")


def render_markdown(diff: Diff) -> str:
    lines = [f"## Changes since {since_words(diff)}", "",
             f"From {markdown_code(diff.old_label)} to {markdown_code(diff.new_label)} "
             f"({_as_of(diff.new_as_of, diff.new_as_of_stated)}).", "",
             "| | Before | After | Change |", "|---|---:|---:|---:|"]
    lines += [_md_row(m) for m in (diff.overall, *diff.categories)]
    for title, items in _lists(diff):
        if items:
            lines += ["", f"### {title}", ""] + [f"- {markdown_text(item)}" for item in items]
    return "\n".join(lines) + "\n"


def diff_dict(diff: Diff) -> dict[str, Any]:
    data = asdict(diff)
    for m, key in ((diff.overall, "overall"),):
        data[key]["change"] = m.change
    for m, item in zip(diff.categories, data["categories"], strict=True):
        item["change"] = m.change
    return {"schema_version": RESULT_SCHEMA_VERSION, "kind": "diff", **data}


class RichDiff:
    def render(self, diff: Diff, options: RenderOptions) -> str:
        return render_rich(diff, options)


class MarkdownDiff:
    def render(self, diff: Diff, options: RenderOptions) -> str:
        return render_markdown(diff)


class JsonDiff:
    def render(self, diff: Diff, options: RenderOptions) -> str:
        return json.dumps(diff_dict(diff), indent=2, ensure_ascii=False) + "\n"


# The diff renderers the format registry (formats.base.REGISTRY) names.
RICH, MARKDOWN, JSON = RichDiff(), MarkdownDiff(), JsonDiff()
