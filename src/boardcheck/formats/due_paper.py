"""`due -f html|docx|markdown-paper`: the forward look on its own, for the board pack.

Built once (dates written out, items in the board's words, no field paths or line numbers)
and laid out by the HTML template `due.html.j2`, by python-docx, or as markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boardcheck.due import GROUP_TITLES, ForwardLook
from boardcheck.formats import paper
from boardcheck.formats.base import PaperSettings, RenderOptions

TITLE = "Forward look: reviews, renewals and expiries falling due"


@dataclass(frozen=True, slots=True)
class DueGroup:
    title: str
    rows: tuple[tuple[str, str], ...]  # (date, what)


@dataclass(frozen=True, slots=True)
class DuePaper:
    title: str
    organisation: str
    marking: str | None
    lead: str
    groups: tuple[DueGroup, ...]
    footer: str


def build(look: ForwardLook, options: RenderOptions) -> DuePaper:
    s = options.paper or PaperSettings()
    groups = []
    for group, title in GROUP_TITLES.items():
        rows = tuple((paper.long_date(i.date), paper.words(i.what))
                     for i in look.items if i.group == group)
        if rows:
            groups.append(DueGroup(f"{title} ({len(rows)})", rows))
    position = (f"Position as at {paper.long_date(look.as_of)}" if look.as_of_stated else
                f"Position date not recorded in the file; looking ahead from "
                f"{paper.long_date(look.as_of)}, the day of the check")
    lead = (f"{position}; board meeting "
            f"{paper.long_date(look.meeting)}; looking ahead to {paper.long_date(look.until)}.")
    if not look.items:
        lead += " Nothing the file records falls due in this period."
    return DuePaper(TITLE, look.organisation, s.marking, lead, tuple(groups),
                    paper.footer_note())


def markdown(d: DuePaper) -> str:
    from boardcheck.formats.sanitise import markdown_text as md

    lines = [*([f"**{md(d.marking)}**", ""] if d.marking else []),
             f"# {md(d.title)}", "", f"**{md(d.organisation)}**", "", md(d.lead)]
    for g in d.groups:
        lines += ["", f"## {md(g.title)}", "", "| Date | What |", "|---|---|"]
        lines += [f"| {md(date)} | {md(what)} |" for date, what in g.rows]
    return "\n".join([*lines, "", f"_{md(d.footer)}_"]) + "\n"


def docx(d: DuePaper, as_of: dt.date) -> bytes:
    """The forward look as a Word document (the paper's styles and fixed timestamps)."""
    from boardcheck.formats import docx_paper

    writer = docx_paper.Plain(d.title, d.organisation, as_of)
    if d.marking:
        writer.para(d.marking, bold=True)
    writer.para(d.organisation, bold=True, size=13)
    writer.heading(d.title, 0)
    writer.para(d.lead)
    for g in d.groups:
        writer.heading(g.title, 1)
        writer.table(g.title, ["Date", "What"], [[date, what] for date, what in g.rows],
                     widths=[36, 138], first_column_heads=False)
    writer.para(d.footer, size=9, colour=docx_paper.MUTED)
    return writer.save()
