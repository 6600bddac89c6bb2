"""The `due` report: a forward look for the board's plan, as rich text, markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from rich.table import Table
from rich.text import Text

from boardcheck.due import GROUP_TITLES, DueItem, ForwardLook, Group
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.rich_text import console_for, strip_trailing
from boardcheck.formats.sanitise import csv_cell, deep, markdown_text, printable
from boardcheck.result import RESULT_SCHEMA_VERSION

GROUP_STYLES = {"overdue": "bold red", "before_meeting": "bold yellow", "later": "bold"}


def _grouped(look: ForwardLook) -> list[tuple[Group, list[DueItem]]]:
    return [(group, [i for i in look.items if i.group == group]) for group in GROUP_TITLES]


def _heading(look: ForwardLook) -> str:
    as_of = (f"as of {look.as_of.isoformat()}" if look.as_of_stated else
             f"as of: not recorded in the file (checked {look.as_of.isoformat()})")
    return (f"Forward look for {look.organisation}: {as_of}, meeting "
            f"{look.meeting.isoformat()}, up to {look.until.isoformat()}")


def render_rich(look: ForwardLook, options: RenderOptions) -> str:
    look = deep(look, printable)
    console, buffer = console_for(options)
    console.print(Text(_heading(look), style="bold"))
    if not look.items:
        console.print("Nothing falls due in this period.")
    for group, items in _grouped(look):
        if not items:
            continue
        console.print()
        table = Table(title=f"{GROUP_TITLES[group]} ({len(items)})", title_justify="left",
                      title_style=GROUP_STYLES[group], pad_edge=False)
        for col in ("Date", "What", "Line", "Basis"):
            table.add_column(col, no_wrap=col in ("Date", "Line"))
        for item in items:
            table.add_row(item.date.isoformat(), item.what, str(item.line), item.basis)
        console.print(table)
    return strip_trailing(buffer.getvalue())


def render_markdown(look: ForwardLook) -> str:
    lines = [f"## {markdown_text(_heading(look))}"]
    for group, items in _grouped(look):
        if items:
            lines += ["", f"### {GROUP_TITLES[group]} ({len(items)})", "",
                      "| Date | What | Line | Basis |", "|---|---|---:|---|"]
            lines += [f"| {i.date.isoformat()} | {markdown_text(i.what)} | {i.line} | "
                      f"{markdown_text(i.basis)} |" for i in items]
    if not look.items:
        lines += ["", "Nothing falls due in this period."]
    return "\n".join(lines) + "\n"


def render_csv(look: ForwardLook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "group", "kind", "what", "file", "line", "path", "basis"])
    for i in look.items:
        writer.writerow([csv_cell(str(cell)) for cell in (
            i.date.isoformat(), i.group, i.kind, i.what, look.file, i.line, i.path, i.basis)])
    return buffer.getvalue()


def render_json(look: ForwardLook) -> str:
    data = {
        "schema_version": RESULT_SCHEMA_VERSION, "kind": "due", "organisation": look.organisation,
        "file": look.file, "as_of": look.as_of.isoformat(),
        # Only where neither the file nor the run states it: `as_of` is the day of the run.
        **({} if look.as_of_stated else {"as_of_stated": False}),
        "meeting": look.meeting.isoformat(),
        "until": look.until.isoformat(),
        "items": [{"date": i.date.isoformat(), "group": i.group, "kind": i.kind, "what": i.what,
                   "line": i.line, "path": i.path, "basis": i.basis} for i in look.items],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class RichDue:
    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        return render_rich(look, options)


class MarkdownDue:
    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        return render_markdown(look)


class CsvDue:
    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        return render_csv(look)


class JsonDue:
    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        return render_json(look)


# The forward-look renderers the format registry (formats.base.REGISTRY) names.
RICH, MARKDOWN, CSV, JSON = RichDue(), MarkdownDue(), CsvDue(), JsonDue()
