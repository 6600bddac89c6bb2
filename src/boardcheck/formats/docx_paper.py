"""One trust's result as a Word board paper (python-docx, the optional `docx` extra)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

from boardcheck.diff import Diff, arrow
from boardcheck.formats import paper, wording
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import deep, xml_safe
from boardcheck.result import CategoryResult, CriterionResult, Result

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
BLUE = (0x00, 0x5E, 0xB8)
TEXT = (0x21, 0x2B, 0x32)
MUTED = (0x4C, 0x62, 0x72)
FONT = "Arial"
CODE_FONT = "Consolas"
# Every part of the package gets this timestamp, so two renders give the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class MissingExtra(Exception):
    """The optional dependency a format needs is not installed."""


def fixed_time(result: Result) -> dt.datetime:
    """The document's created, modified and printed time: midnight UTC on the as-of date."""
    return dt.datetime(result.as_of.year, result.as_of.month, result.as_of.day,
                       tzinfo=dt.UTC)


def _fixed_zip(data: bytes) -> bytes:
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


class _Writer:
    """Builds the document in the paper's order; one writer per render."""

    def __init__(self, result: Result, meeting: dt.date | None,
                 movement: Diff | None = None) -> None:
        self.result = result
        self.meeting = meeting
        self.moves = {m.id: m for m in movement.categories} if movement else {}
        self.movement = movement
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
        self._font("Normal", 10.5, TEXT)
        self._font("Title", 22, BLUE, True)
        self._font("Heading 1", 16, BLUE, True)
        self._font("Heading 2", 13, BLUE, True)
        self._font("Heading 3", 11, TEXT, True)
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
              right: frozenset[int] = frozenset()) -> Table:
        """A captioned grid table; the header row repeats on each page, no row splits.

        A cell's text after its first line break is set plain and muted, like the HTML's
        `.sub` line; columns in `right` are right-aligned (numbers)."""
        self.caption(caption)
        table: Table = self.doc.add_table(rows=1 + len(rows), cols=len(heads))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        # Word reads the cell widths, LibreOffice the grid's: set both.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        head_row = table.rows[0]
        for cell, text in zip(head_row.cells, heads, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
            self.shade_cell(cell, HEAD_FILL)
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        head_row._tr.get_or_add_trPr().append(marker)
        for row, values in zip(table.rows[1:], rows, strict=True):
            for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                first, _, rest = text.partition("\n")
                p = cell.paragraphs[0]
                p.add_run(first).bold = (first_column_heads and i == 0) or None
                if rest:
                    p.add_run().add_break()
                    sub = p.add_run(rest)
                    sub.font.color.rgb = RGBColor(*MUTED)
        for row in table.rows:
            for i, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
                cell.width = Mm(width)
                if i in right:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)
        return table

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        p: Paragraph = self.doc.add_heading(text, level)
        p.paragraph_format.page_break_before = new_page or None
        p.paragraph_format.keep_with_next = True
        return p

    # --- the paper ------------------------------------------------------------------------

    def cover(self) -> None:
        result = self.result
        self.para(result.organisation.name, bold=True, size=13)
        self.para(paper.meeting_line(result, self.meeting), colour=MUTED)
        self.heading(paper.TITLE, 0)
        facts = paper.cover_facts(result, self.meeting)
        table = self.table("About this paper", ["Item", "Detail"],
                           [[name, value] for name, value in facts], widths=[40, 134])
        for row in table.rows[1:]:
            self.shade_cell(row.cells[0], HEAD_FILL)

    def summary(self) -> None:
        result = self.result
        self.heading(paper.SUMMARY, 1)
        p = self.para(paper.overall_headline(result), bold=True, size=14)
        self.outline(p._p, result.overall.rating, "get_or_add_pPr")
        self._shade(p._p, FILLS.get(result.overall.rating, FILLS["inconclusive"]),
                    "get_or_add_pPr")
        note = paper.overall_note(result)
        if note:
            self.para(note)
        self.para(paper.RECOMMENDATION)
        if self.movement is not None:
            self.para(f"Since {self.movement.old_as_of}: overall "
                      f"{arrow(self.movement.overall.change)}.")
        table = self.table(
            paper.RATINGS_CAPTION, ["Board question", "Score", "Evidenced", "Rating"],
            [[f"{cat.title}\n{cat.board_question}", self._score(cat),
              wording.coverage_number(cat.evidence_coverage),
              paper.rating_label(cat.rating)
              + (f"\n{reason}" if (reason := paper.rating_reason(cat.rating, cat.explanation))
                 else "")] for cat in result.categories],
            widths=[84, 20, 22, 48], right=frozenset({1, 2}))
        for row, cat in zip(table.rows[1:], result.categories, strict=True):
            self.rating_cell(row.cells[3], cat.rating)
            row.cells[3].paragraphs[0].runs[0].bold = True
        self._top_gaps()
        self._placeholders()
        self._arrangements()

    def _placeholders(self) -> None:
        text = paper.placeholders_paragraph(self.result)
        if text is None:
            return
        self.heading(paper.PLACEHOLDERS_HEADING, 2)
        self.para(text)

    def _score(self, cat: CategoryResult) -> str:
        move = self.moves.get(cat.id)
        change = f" ({arrow(move.change)})" if move is not None and move.change is not None else ""
        return paper.score_text(cat.score) + change

    def _top_gaps(self) -> None:
        result = self.result
        gaps = paper.top_gaps(result)
        if not gaps:
            self.heading("Gaps", 2)
            self.para("No gaps: every applicable criterion is met.")
            return
        titles = {cat.id: cat.title for cat in result.categories}
        self.heading(paper.top_gaps_heading(len(gaps)), 2)
        rows = []
        for n, c in enumerate(gaps, 1):
            finding = paper.status_label(c)
            if paper.partly_not_evidenced(c):
                finding += ", not evidenced"
            rows.append([str(n), f"{c.title}\n{titles.get(c.category, c.category)}",
                         f"{finding}\n{paper.SEVERITY_LABELS[c.severity]}",
                         paper.owners_text(c) or "—", paper.points_text(c.points_available)])
        table = self.table("Largest gaps first, with the points each would add to the overall "
                           "score", ["#", "Criterion", "Finding", "Owner", "Points"], rows,
                           widths=[8, 70, 34, 44, 18], first_column_heads=False,
                           right=frozenset({0, 4}))
        for row, c in zip(table.rows[1:], gaps, strict=True):
            self.shade_cell(row.cells[2], STATUS_FILLS.get(c.status, FILLS["inconclusive"]))
            row.cells[1].paragraphs[0].runs[0].bold = True
        self.heading(paper.QUESTIONS_HEADING, 2)
        for c in gaps:
            self.para(c.challenge, "List Number")

    def _arrangements(self) -> None:
        arrangements = self.result.arrangements
        if not arrangements:
            self.para("The file records no collaborative arrangements.")
            return
        self.table(paper.ARRANGEMENTS_CAPTION, ["Arrangement", "Form"],
                   [[a.name, paper.arrangement_line(a.type, a.governance_model, a.trust_role,
                                                    a.status)]
                    for a in arrangements], widths=[70, 104])

    def _criterion(self, c: CriterionResult) -> None:
        self.heading(c.title, 3)
        p = self.doc.add_paragraph()
        status = p.add_run(paper.status_label(c))
        status.bold = True
        self._shade(status._r, STATUS_FILLS.get(c.status, FILLS["inconclusive"]),
                    "get_or_add_rPr")
        for tag in paper.criterion_tags(c)[1:]:
            p.add_run(" · ")
            run = p.add_run(tag)
            run.bold = tag in FLAGS or None
        self._tight(p)
        findings = paper.finding_sentences(c, self.result)
        if len(findings) == 1:
            self.field("Finding", findings[0])
        elif findings:
            self._tight(self.para("Finding:", bold=True))
            for line in findings:
                self._tight(self.para(line, "List Bullet"))
        challenged = paper.challenged_line(c, self.result)
        if challenged:
            self.field("Challenged", challenged)
        excluded = paper.exclusions_line(c, self.result)
        if excluded:
            self.field("Not applied", excluded)
        fields: list[tuple[str, str, bool]] = []
        if c.status == "waived":
            fields += [("Waiver", line, False) for line in paper.waiver_lines(c)]
        else:
            fields += [("Ask", c.challenge, True), ("Action", paper.action_text(c), False)]
            fields += [("Note", line, False) for line in paper.waiver_lines(c)]
        owner = paper.owner_line(c)
        if owner:
            fields.append(("Owner", owner, False))
        for i, (label, text, italic) in enumerate(fields):
            self.field(label, text, italic=italic, keep=i < len(fields) - 1)

    def category(self, n: int, cat: CategoryResult) -> None:
        title, question = paper.category_heading(cat)
        h = self.heading(f"{n}. {title}", 1, new_page=True)
        h.add_run().add_break()
        q = h.add_run(question)
        q.bold = False
        q.font.size = Pt(11)
        q.font.color.rgb = RGBColor(*TEXT)
        p = self.para(f"Score {paper.score_out_of(cat.score)}; "
                      f"{paper.coverage_text(cat.evidence_coverage)}; rated ", size=11.5)
        run = p.add_run(paper.rating_label(cat.rating))
        run.bold = True
        run.font.size = Pt(11.5)
        self.outline(run._r, cat.rating, "get_or_add_rPr")
        self._shade(run._r, FILLS.get(cat.rating, FILLS["inconclusive"]), "get_or_add_rPr")
        cap = paper.cap_sentence(self.result, cat)
        if cap:
            self.para(cap)
        self.para(paper.status_counts(cat), colour=MUTED)
        grouped = paper.groups(cat)
        self.heading(paper.GAPS_HEADING, 2)
        if not grouped.gaps:
            self.para("None: every applicable criterion under this question is met or waived.")
        for c in grouped.gaps:
            self._criterion(c)
        if grouped.waived:
            self.heading(paper.WAIVED_HEADING, 2)
            for c in grouped.waived:
                self._criterion(c)
        self.heading(paper.MET_HEADING, 2)
        if grouped.met:
            self.para("Met", bold=True).paragraph_format.keep_with_next = True
            for c in grouped.met:
                self.para(paper.met_line(c, self.result), "List Bullet")
        else:
            self.para("No criterion under this question is met.")
        if grouped.not_applicable:
            self.para("Not applicable", bold=True).paragraph_format.keep_with_next = True
            for c in grouped.not_applicable:
                self.para(paper.not_applicable_line(c, self.result), "List Bullet")

    def appendix(self) -> None:
        self.heading(paper.APPENDIX, 1, new_page=True)
        self.heading(paper.METHOD_HEADING, 2)
        for text in paper.method_paragraphs(self.result):
            self.para(text)
        self.heading(paper.CRITERIA_HEADING, 2)
        for cat in self.result.categories:
            self.table(cat.title, list(paper.CRITERIA_COLUMNS),
                       [list(paper.criterion_row(c)) for c in cat.criteria],
                       widths=[20, 84, 22, 16, 32], right=frozenset({3}))
        if self.result.placeholders:
            self.heading(paper.PLACEHOLDERS_APPENDIX, 2)
            self.para(f"{wording.PLACEHOLDER_LEAD.capitalize()}.")
            self.table(paper.PLACEHOLDERS_CAPTION, list(paper.PLACEHOLDER_COLUMNS),
                       [list(paper.placeholder_row(p)) for p in self.result.placeholders],
                       widths=[84, 16, 74], right=frozenset({1}))

    def footer(self) -> None:
        self.para(paper.footer_note(), size=9, colour=MUTED)
        foot = self.doc.sections[0].footer.paragraphs[0]
        foot.add_run(f"{self.result.organisation.name} · {paper.TITLE} · Page ")
        foot._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE">'
                                 "<w:r><w:rPr><w:color w:val='4C6272'/><w:sz w:val='16'/></w:rPr>"
                                 "<w:t>1</w:t></w:r></w:fldSimple>"))
        for run in foot.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(*MUTED)

    def properties(self) -> None:
        props = self.doc.core_properties
        when = fixed_time(self.result)
        props.author = props.last_modified_by = "boardcheck"
        # Word's core properties hold at most 255 characters; the cover shows the full name.
        title = f"{paper.TITLE}: {self.result.organisation.name}"
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

    def build(self) -> bytes:
        self.cover()
        self.summary()
        for n, cat in enumerate(self.result.categories, 1):
            self.category(n, cat)
        self.appendix()
        self.footer()
        self.properties()
        self.british_english()
        out = io.BytesIO()
        self.doc.save(out)
        return _fixed_zip(out.getvalue())


def render_docx(result: Result, meeting: dt.date | None = None,
                movement: Diff | None = None) -> bytes:
    """The paper as a .docx file's bytes; the same result gives the same bytes."""
    if not HAVE_DOCX:
        raise MissingExtra(MISSING)
    # Word refuses characters XML cannot hold; YAML escapes can put them in any text.
    return _Writer(deep(result, xml_safe), meeting, movement).build()


class DocxPaper:
    """The Word board paper. Binary: call `render_bytes`; `render` (text) refuses."""

    binary = True

    def __init__(self, meeting: dt.date | None = None) -> None:
        self.meeting = meeting

    def render_bytes(self, result: Result, options: RenderOptions) -> bytes:
        return render_docx(result, self.meeting or options.meeting, options.movement)

    def render(self, result: Result, options: RenderOptions) -> str:
        raise TypeError("the Word paper is binary: call render_bytes() and write the bytes to "
                        "a file, not to a text stream")


FORMAT = DocxPaper()
