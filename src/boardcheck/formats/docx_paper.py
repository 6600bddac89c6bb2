"""One trust's result as a Word board paper (python-docx, the optional `docx` extra)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from typing import TYPE_CHECKING

from boardcheck.formats import charts, paper, paper_model
from boardcheck.formats.base import MissingExtra, RenderOptions
from boardcheck.formats.sanitise import deep, xml_safe
from boardcheck.result import Result

# python-docx is an optional extra and ships its own type hints. Where it is not installed
# mypy cannot find it: each import's ignore (unused where it is installed) keeps --strict
# quiet either way. A mypy override `[[tool.mypy.overrides]] module = ["docx", "docx.*"]
# ignore_missing_imports = true` would let these comments go.
try:
    import docx  # type: ignore[import-not-found,unused-ignore]
    from docx.enum.section import WD_ORIENT  # type: ignore[import-not-found,unused-ignore]
    from docx.enum.text import (  # type: ignore[import-not-found,unused-ignore]
        WD_ALIGN_PARAGRAPH,
    )
    from docx.oxml import OxmlElement, parse_xml  # type: ignore[import-not-found,unused-ignore]
    from docx.oxml.ns import nsdecls, qn  # type: ignore[import-not-found,unused-ignore]
    from docx.shared import Mm, Pt, RGBColor  # type: ignore[import-not-found,unused-ignore]

    HAVE_DOCX = True
except ImportError:  # render_bytes says what to install
    HAVE_DOCX = False

if TYPE_CHECKING:
    from docx.document import Document  # type: ignore[import-not-found,unused-ignore]
    from docx.table import Table, _Cell  # type: ignore[import-not-found,unused-ignore]
    from docx.text.paragraph import Paragraph  # type: ignore[import-not-found,unused-ignore]

    from boardcheck.diff import Diff
    from boardcheck.due import ForwardLook

MISSING = "Word output needs python-docx: pip install 'boardcheck[docx]'"
# Fills behind rating and status words: the light tints of the HTML paper, dark text on top.
FILLS = {"green": "CCE6D4", "amber": "FFE9B3", "red": "F9D5D1", "inconclusive": "E8EDEE",
         "insufficient_evidence": "DDE8F3"}
STATUS_FILLS = {"not_met": FILLS["red"], "partly_met": FILLS["amber"],
                "not_evidenced": FILLS["insufficient_evidence"],
                "waived": FILLS["inconclusive"]}
# Word has no hatching behind text that prints reliably: insufficient evidence gets a light
# blue fill and a dashed blue border instead, beside its words.
DASHED = "005EB8"
FLAGS = ("Not evidenced", "Declaration challenged")
HEAD_FILL = "F0F4F5"
EDGE = "8A9AA5"
BLUE = (0x00, 0x5E, 0xB8)
TEXT = (0x21, 0x2B, 0x32)
MUTED = (0x4C, 0x62, 0x72)
FONT = "Arial"
CODE_FONT = "Consolas"
# Every part of the package gets this timestamp, so two renders give the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_time(as_of: dt.date) -> dt.datetime:
    """The document's created, modified and printed time: midnight UTC on the as-of date."""
    return dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)


def fixed_zip(data: bytes) -> bytes:
    """The same package with every member's timestamp fixed (python-docx stamps 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


class Plain:
    """A Word document in the paper's page setup and styles, with its helpers."""

    def __init__(self, title: str, organisation: str, as_of: dt.date) -> None:
        self.title = title
        self.organisation = organisation
        self.as_of = as_of
        self.doc: Document = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(18)
        section.left_margin = section.right_margin = Mm(18)
        self._styles()

    # --- low-level helpers ----------------------------------------------------------------

    def _font(self, style_name: str, size: float | None = None,
              colour: tuple[int, int, int] | None = None, bold: bool | None = None) -> None:

        style = self.doc.styles[style_name]
        font = style.font
        font.name = FONT
        if size is not None:
            font.size = Pt(size)
        if colour is not None:
            font.color.rgb = RGBColor(*colour)
        if bold is not None:
            font.bold = bold
        # Theme fonts would override the name set above: drop them.
        fonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]
        fonts.set(qn("w:eastAsia"), FONT)

    def _styles(self) -> None:
        self._font("Normal", 10, TEXT)
        self._font("Title", 22, BLUE, True)
        self._font("Heading 1", 16, BLUE, True)
        self._font("Heading 2", 13, BLUE, True)
        self._font("Heading 3", 11, BLUE, True)
        self._font("Heading 4", 10.5, TEXT, True)
        self.doc.styles["Heading 4"].font.italic = False
        self._font("Caption", 10, TEXT, True)
        self.doc.styles["Caption"].font.italic = False
        for name in ("List Bullet", "List Number"):
            self._font(name)

    @staticmethod
    def _shade(element: object, fill: str, container: str) -> None:
        """Fill a cell (tcPr), paragraph (pPr) or run (rPr) with a solid colour."""

        props = getattr(element, container)()
        props.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
                               f'w:fill="{fill}"/>'))

    def shade_cell(self, cell: _Cell, fill: str) -> None:
        self._shade(cell._tc, fill, "get_or_add_tcPr")

    def rating_cell(self, cell: _Cell, rating: str) -> None:
        """A rating's fill; insufficient evidence also gets a dashed outline (borders first:
        OOXML wants tcBorders before shd)."""
        if rating == "insufficient_evidence":
            sides = "".join(f'<w:{side} w:val="dashed" w:sz="8" w:space="0" w:color="{DASHED}"/>'
                            for side in ("top", "left", "bottom", "right"))
            cell._tc.get_or_add_tcPr().append(parse_xml(
                f'<w:tcBorders {nsdecls("w")}>{sides}</w:tcBorders>'))
        self.shade_cell(cell, FILLS.get(rating, FILLS["inconclusive"]))

    def outline(self, element: object, rating: str, container: str) -> None:
        """A run or paragraph's dashed border, for insufficient evidence."""
        if rating != "insufficient_evidence":
            return
        tag = "bdr" if container == "get_or_add_rPr" else "pBdr"
        if tag == "bdr":
            xml = (f'<w:bdr {nsdecls("w")} w:val="dashed" w:sz="8" w:space="0" '
                   f'w:color="{DASHED}"/>')
        else:
            sides = "".join(f'<w:{side} w:val="dashed" w:sz="8" w:space="1" w:color="{DASHED}"/>'
                            for side in ("top", "left", "bottom", "right"))
            xml = f'<w:pBdr {nsdecls("w")}>{sides}</w:pBdr>'
        getattr(element, container)().append(parse_xml(xml))

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False,
             italic: bool = False, size: float | None = None,
             colour: tuple[int, int, int] | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size is not None:
                run.font.size = Pt(size)
            if colour is not None:
                run.font.color.rgb = RGBColor(*colour)
        return p

    def field(self, label: str, text: str, *, italic: bool = False,
              keep: bool = True) -> Paragraph:
        p = self.doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text).italic = italic or None
        self._tight(p, keep)
        return p

    def _tight(self, p: Paragraph, keep: bool = True) -> None:
        fmt = p.paragraph_format
        fmt.space_after = Pt(2)
        fmt.keep_with_next = keep or None
        fmt.keep_together = True

    def caption(self, text: str) -> None:
        p = self.para(text, "Caption")
        p.paragraph_format.keep_with_next = True

    def table(self, caption: str, heads: list[str], rows: list[list[str]],
              widths: list[float], *, first_column_heads: bool = True,
              right: frozenset[int] = frozenset(), compact: bool = False,
              lines: bool = False) -> Table:
        """A captioned grid table; the header row repeats on each page, no row splits.

        A cell's text after its first line break is set plain and muted, like the HTML's
        `.sub` line; columns in `right` are right-aligned (numbers)."""
        self.caption(caption)
        table: Table = self.doc.add_table(rows=1 + len(rows), cols=len(heads))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        # Borders stated on the table itself, dark enough to print, so no page edge or
        # converter drops them.
        sides = "".join(f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="{EDGE}"/>'
                        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        table._tbl.tblPr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{sides}'
                                          "</w:tblBorders>"))
        # Word reads the cell widths, LibreOffice the grid's: set both.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        head_row = table.rows[0]
        for cell, text in zip(head_row.cells, heads, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
            # A column head never wraps ("Weigh/t"): the widths leave it room.
            cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
            self.shade_cell(cell, HEAD_FILL)
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        head_row._tr.get_or_add_trPr().append(marker)
        for row, values in zip(table.rows[1:], rows, strict=True):
            for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                first, _, rest = text.partition("\n")
                p = cell.paragraphs[0]
                p.add_run(first).bold = (first_column_heads and i == 0) or None
                if rest and lines:  # one paragraph a line, all alike
                    for line in rest.split("\n"):
                        cell.add_paragraph(line)
                elif rest:
                    p.add_run().add_break()
                    sub = p.add_run(rest)
                    sub.font.color.rgb = RGBColor(*MUTED)
                for par in cell.paragraphs:
                    par.paragraph_format.space_after = Pt(1 if compact else 2)
        for row in table.rows:
            for i, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
                cell.width = Mm(width)
                if i in right:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        gap = self.doc.add_paragraph()
        gap.paragraph_format.space_after = Pt(0)
        gap.paragraph_format.line_spacing = Pt(6)
        return table

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        p: Paragraph = self.doc.add_heading(text, level)
        p.paragraph_format.page_break_before = new_page or None
        p.paragraph_format.keep_with_next = True
        return p

    def save(self) -> bytes:
        self.properties()
        self.british_english()
        out = io.BytesIO()
        self.doc.save(out)
        return fixed_zip(out.getvalue())

    def properties(self) -> None:
        props = self.doc.core_properties
        when = fixed_time(self.as_of)
        props.author = props.last_modified_by = "boardcheck"
        # Word's core properties hold at most 255 characters; the cover shows the full name.
        title = f"{self.title}: {self.organisation}"
        props.title = title if len(title) <= 255 else title[:254] + "…"
        props.subject = paper.PURPOSE
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        props.comments = ""
        props.keywords = ""

    def british_english(self) -> None:
        """The paper is in British English: say so, or Word spell-checks it as American."""
        self.doc.core_properties.language = "en-GB"
        for lang in self.doc.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-GB")
            lang.set(qn("w:eastAsia"), "en-GB")


class _Writer(Plain):
    """Builds the board paper in the model's order; one writer per render."""

    def __init__(self, model: paper_model.Paper, as_of: dt.date) -> None:
        super().__init__(paper.TITLE, model.organisation, as_of)
        self.model = model

    # --- the paper ------------------------------------------------------------------------

    def bullets(self, lines: tuple[str, ...] | list[str], style: str = "List Bullet") -> None:
        """A short list kept on one page: each item keeps with the next."""
        for i, line in enumerate(lines):
            p = self.para(line, style)
            p.paragraph_format.keep_together = True
            p.paragraph_format.keep_with_next = (i < len(lines) - 1) or None

    def cover(self) -> None:
        m = self.model
        # The marking is in the page header (`footer`), once on every page, not here too.
        if m.logo is not None and m.logo_type in ("image/png", "image/jpeg"):
            self.doc.add_picture(io.BytesIO(m.logo), height=Mm(14))
        self.para(m.organisation, bold=True, size=13)
        self.para(m.meeting_line, colour=MUTED)
        self.heading(m.title, 0)
        table = self.table("Cover sheet", ["Item", "Detail"],
                           [[row.label, row.value] for row in m.cover], widths=[48, 126],
                           compact=True)
        for row in table.rows[1:]:
            self.shade_cell(row.cells[0], HEAD_FILL)

    def summary(self) -> None:
        m = self.model
        self.heading(paper.SUMMARY, 1)
        p = self.para(m.overall_headline + (f" ({m.overall_move})" if m.overall_move else ""),
                      bold=True, size=13)
        self.outline(p._p, m.overall_rating, "get_or_add_pPr")
        self._shade(p._p, FILLS.get(m.overall_rating, FILLS["inconclusive"]), "get_or_add_pPr")
        p.paragraph_format.keep_with_next = True
        if m.overall_note:
            self.para(m.overall_note)
        rows = [["Alert", "\n".join(m.alert) or "Nothing the file states calls for an alert."],
                ["Advise", "\n".join(m.advise) or "The file evidences every applicable "
                 "criterion."],
                ["Assure", "\n".join(m.assure) or "No board question is rated Green."]]
        table = self.table(paper_model.AAA_HEADING, ["", "Summary"], rows, widths=[22, 152],
                           lines=True)
        for row in table.rows[1:]:
            self.shade_cell(row.cells[0], HEAD_FILL)
        self.heading(paper_model.GLANCE_HEADING, 2)
        glance = charts.glance_chart(m.glance, m.amber_from, m.green_from)
        self.picture(glance)
        heads = ["Board question", "Score", "Evidenced", "Rating"]
        widths: list[float] = [80, 18, 24, 52]
        if m.since:
            heads.insert(2, "Change")
            widths = [66, 16, 26, 22, 44]
        body: list[list[str]] = []
        for g in m.glance:
            cells = [f"{g.title}\n{g.question}", g.score_text, g.coverage_text,
                   g.rating_label + (f"\n{g.reason}" if g.reason else "")]
            if m.since:
                cells.insert(2, f"{g.move}\n{g.was}")
            body.append(cells)
        caption = paper.RATINGS_CAPTION + (f" (change since {m.since})" if m.since else "")
        table = self.table(caption, heads, body, widths=widths,
                           right=frozenset({1, 2, 3} if m.since else {1, 2}))
        for row, g in zip(table.rows[1:], m.glance, strict=True):
            cell = row.cells[-1]
            self.rating_cell(cell, g.rating)
            cell.paragraphs[0].runs[0].bold = True
        self._top_gaps()
        if m.placeholders:
            self.heading(paper.PLACEHOLDERS_HEADING, 2)
            self.para(m.placeholders)
        if m.partners:
            self.heading(paper.PARTNERS_HEADING, 2)
            self.para(m.partners_note or "").paragraph_format.keep_with_next = True
            self.table(paper.PARTNERS_CAPTION, list(paper.PARTNERS_COLUMNS),
                       [[d.arrangement + (f"\n{d.matched}" if d.matched else ""), d.fact,
                         d.ours, "\n".join(d.theirs)] for d in m.partners],
                       widths=[46, 38, 36, 54], lines=True)
        if m.movement:
            self.heading(paper_model.MOVEMENT_HEADING, 2)
            self.bullets(m.movement)
        if m.trend is not None:
            self.heading(paper_model.TREND_HEADING, 2)
            self.picture(charts.trend_chart(m.trend))
        if m.due_note:
            self.heading(paper_model.DUE_HEADING, 2)
            self.para(m.due_note).paragraph_format.keep_with_next = bool(m.due) or None
            if m.due:
                self.table("Overdue first, then by date", ["Date", "When", "What"],
                           [[d.date, d.group, d.what] for d in m.due], widths=[36, 38, 100],
                           first_column_heads=False)
        self.heading(paper_model.RECOMMENDATION_HEADING, 2)
        p = self.para(m.recommendation)
        p.paragraph_format.keep_together = True
        if m.summary_only:
            self.para(paper_model.SUMMARY_ONLY_NOTE, colour=MUTED)

    def picture(self, chart: charts.Chart) -> None:
        """A chart as a PNG, its title as the caption above it (kept together)."""
        self.caption(chart.title)
        self.doc.add_picture(io.BytesIO(charts.png(chart)),
                             width=Mm(min(174, chart.width * 0.26)))
        picture = self.doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = False
        picture.paragraph_format.space_after = Pt(6)
        # The picture's alternative text: what it shows, in words.
        for prop in picture._p.iter(qn("wp:docPr")):
            prop.set("descr", chart.title)

    def _top_gaps(self) -> None:
        m = self.model
        if not m.gaps:
            self.heading("Gaps", 2)
            self.para("No gaps: every applicable criterion is met.")
            return
        self.heading(m.gaps_heading, 2)
        rows = []
        for g in m.gaps:
            finding = g.status_label + (", not evidenced" if g.not_evidenced else "")
            rows.append([str(g.number), f"{g.title}\n{g.question}",
                         f"{finding}\n{g.severity}", g.owner, g.points])
        table = self.table("Largest gaps first, with the points each would add to the overall "
                           "score", ["#", "Criterion", "Finding", "Owner", "Points"], rows,
                           widths=[8, 70, 34, 44, 18], first_column_heads=False,
                           right=frozenset({0, 4}))
        for row, g in zip(table.rows[1:], m.gaps, strict=True):
            self.shade_cell(row.cells[2], STATUS_FILLS.get(g.status, FILLS["inconclusive"]))
            row.cells[1].paragraphs[0].runs[0].bold = True
        self.heading(paper.QUESTIONS_HEADING, 2)
        self.bullets([g.ask for g in m.gaps], "List Number")

    def _criterion(self, f: paper_model.Finding) -> None:
        self.heading(f.title, 4)
        p = self.doc.add_paragraph()
        status = p.add_run(f.status_label)
        status.bold = True
        self._shade(status._r, STATUS_FILLS.get(f.status, FILLS["inconclusive"]),
                    "get_or_add_rPr")
        for tag in f.tags:
            p.add_run(" · ")
            run = p.add_run(tag)
            run.bold = tag in FLAGS or None
        self._tight(p)
        if len(f.sentences) == 1:
            self.field("Finding", f.sentences[0])
        elif f.sentences:
            self._tight(self.para("Finding:", bold=True))
            for line in f.sentences:
                self._tight(self.para(line, "List Bullet"))
        if f.challenged:
            self.field("Challenged", f.challenged)
        if f.excluded:
            self.field("Not applied", f.excluded)
        fields: list[tuple[str, str, bool]] = []
        if f.waived:
            fields += [("Waiver", line, False) for line in f.waiver_lines]
        else:
            fields += [("Ask", f.ask, True), ("Action", f.action, False)]
            fields += [("Note", line, False) for line in f.waiver_lines]
        if f.owner:
            fields.append(("Owner", f.owner, False))
        for i, (label, text, italic) in enumerate(fields):
            self.field(label, text, italic=italic, keep=i < len(fields) - 1)

    def category(self, s: paper_model.Section) -> None:
        h = self.heading(f"{s.number}. {s.title}", 2)
        h.add_run().add_break()
        q = h.add_run(s.question)
        q.bold = False
        q.font.size = Pt(10.5)
        q.font.color.rgb = RGBColor(*TEXT)
        p = self.para(f"{s.status_line} ")
        p.paragraph_format.keep_with_next = True
        run = p.add_run(s.rating_label)
        run.bold = True
        self.outline(run._r, s.rating, "get_or_add_rPr")
        self._shade(run._r, FILLS.get(s.rating, FILLS["inconclusive"]), "get_or_add_rPr")
        if s.cap:
            self.para(s.cap).paragraph_format.keep_with_next = True
        self.para(s.counts, colour=MUTED).paragraph_format.keep_with_next = True
        if s.silent:
            self.heading(f"{paper.SILENT_HEADING} ({len(s.silent)})", 3)
            self.para(s.silent_lead or "").paragraph_format.keep_with_next = True
            if s.silent_owner:
                self.field("Owner", s.silent_owner, keep=True)
            for i in s.silent:
                # A list that may run over a page: each item kept whole, not with the next.
                item = self.para(style="List Bullet")
                item.add_run(i.title).bold = True
                item.add_run(f" ({', '.join(i.tags)}): {i.text}"
                             + (f" Owner: {i.owner}" if i.owner else ""))
                self._tight(item, keep=False)
        # A part with nothing in it: its heading and "none" as one line, as in the HTML.
        if s.stated:
            self.heading(s.gaps_heading, 3)
        else:
            self.field(s.gaps_heading, paper.none_line(s.no_gaps), keep=False)
        for f in s.stated:
            self._criterion(f)
        if s.waived:
            self.heading(paper.WAIVED_HEADING, 3)
            for f in s.waived:
                self._criterion(f)
        if not s.met and not s.not_applicable:
            self.field(paper.MET_HEADING, paper.NONE_MET, keep=False)
            return
        self.heading(paper.MET_HEADING, 3)
        if s.met:
            self.para("Met", bold=True).paragraph_format.keep_with_next = True
            self.bullets(s.met)
        else:
            self.para("No criterion under this question is met.")
        if s.not_applicable:
            self.para("Not applicable", bold=True).paragraph_format.keep_with_next = True
            self.bullets(s.not_applicable)

    def appendix(self) -> None:
        m = self.model
        self.heading(paper_model.FINDINGS_APPENDIX, 1, new_page=True)
        for s in m.sections:
            self.category(s)
        # The later appendices follow on, as in the HTML: a page each left most of it blank.
        self.heading(paper_model.ARRANGEMENTS_APPENDIX, 1)
        if m.arrangements:
            self.table(paper.ARRANGEMENTS_CAPTION, ["Arrangement", "Form"],
                       [[a.name, a.form] for a in m.arrangements], widths=[70, 104])
        else:
            self.para("The file records no collaborative arrangements.")
        self.heading(paper_model.METHOD_APPENDIX, 1)
        self.heading(paper.METHOD_HEADING, 2)
        for text in m.method:
            self.para(text)
        self.heading(paper.CRITERIA_HEADING, 2)
        for t in m.criteria:
            self.table(t.caption, list(paper.CRITERIA_COLUMNS),
                       [[r.id, r.title, r.severity, r.weight, r.status] for r in t.rows],
                       widths=[22, 78, 22, 20, 32], right=frozenset({3}))
        if m.placeholder_lines:
            self.heading(paper.PLACEHOLDERS_APPENDIX, 2)
            self.para(m.placeholder_lead)
            self.table(paper.PLACEHOLDERS_CAPTION, list(paper.PLACEHOLDER_COLUMNS),
                       [[r.path, r.line, r.value] for r in m.placeholder_lines],
                       widths=[84, 16, 74], right=frozenset({1}))

    def footer(self) -> None:
        self.para(self.model.footer, size=9, colour=MUTED)
        if self.model.marking:  # the protective marking at the head of every page
            head = self.doc.sections[0].header.paragraphs[0]
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = head.add_run(self.model.marking)
            run.bold = True
            run.font.size = Pt(9)
        foot = self.doc.sections[0].footer.paragraphs[0]
        foot.add_run(f"{self.model.organisation} · {paper.TITLE} · Page ")
        foot._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE">'
                                 "<w:r><w:rPr><w:color w:val='4C6272'/><w:sz w:val='16'/></w:rPr>"
                                 "<w:t>1</w:t></w:r></w:fldSimple>"))
        for run in foot.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(*MUTED)

    def build(self) -> bytes:
        self.cover()
        self.summary()
        if not self.model.summary_only:
            self.appendix()
        self.footer()
        return self.save()


def render_docx(result: Result, meeting: dt.date | None = None,
                movement: Diff | None = None, options: RenderOptions | None = None) -> bytes:
    """The paper as a .docx file's bytes; the same result gives the same bytes."""
    if not HAVE_DOCX:
        raise MissingExtra(MISSING)
    options = replace(options or RenderOptions(), meeting=meeting, movement=movement)
    # Word refuses characters XML cannot hold; YAML escapes can put them in any text.
    model = deep(paper_model.build(result, options), xml_safe)
    return _Writer(model, result.as_of).build()


def render(result: Result, options: RenderOptions) -> bytes:
    """The Word board paper's bytes for `result` (the batch's --papers call this per file)."""
    return render_docx(result, options.meeting, options.movement, options)


class DocxPaper:
    """The Word board paper. Binary: call `render_bytes`; `render` (text) refuses."""

    binary = True

    def __init__(self, meeting: dt.date | None = None) -> None:
        self.meeting = meeting

    def render_bytes(self, result: Result, options: RenderOptions) -> bytes:
        return render_docx(result, self.meeting or options.meeting, options.movement, options)

    def render(self, result: Result, options: RenderOptions) -> str:
        raise TypeError("the Word paper is binary: call render_bytes() and write the bytes to "
                        "a file, not to a text stream")


class DocxDue:
    """`due -f docx`: the forward look on its own, as a Word page for the board pack."""

    binary = True

    def render_bytes(self, look: ForwardLook, options: RenderOptions) -> bytes:
        if not HAVE_DOCX:
            raise MissingExtra(MISSING)
        from boardcheck.formats import due_paper

        return due_paper.docx(deep(due_paper.build(look, options), xml_safe), look.as_of)

    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        raise TypeError("the Word forward look is binary: call render_bytes()")


FORMAT = DocxPaper()
DUE = DocxDue()
