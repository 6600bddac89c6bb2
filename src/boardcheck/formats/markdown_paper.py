"""The board paper as markdown (`-f markdown-paper`): the same model, order and wording as
the HTML and Word papers, for a wiki, an intranet page or a pull request."""

from __future__ import annotations

from boardcheck.formats import paper, paper_model
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.sanitise import markdown_text
from boardcheck.result import Result

md = markdown_text  # every piece of text is escaped: text from the file is never markup


def _table(heads: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()
           ) -> list[str]:
    rule = ["---:" if i in right else "---" for i in range(len(heads))]
    return ["| " + " | ".join(heads) + " |", "| " + " | ".join(rule) + " |",
            *["| " + " | ".join(md(cell).replace("\n", "<br>") for cell in row) + " |"
              for row in rows]]


def render_model(p: paper_model.Paper) -> str:
    out: list[str] = []
    if p.marking:
        out += [f"**{md(p.marking)}**", ""]
    out += [f"# {md(p.title)}", "", f"**{md(p.organisation)}**  ", md(p.meeting_line), "",
            "## Cover sheet", "", *_table(["Item", "Detail"],
                                          [[r.label, r.value] for r in p.cover]),
            "", f"## {md(paper.SUMMARY)}", "",
            f"**{md(p.overall_headline)}**"
            + (f" ({md(p.overall_move)})" if p.overall_move else "")]
    if p.overall_note:
        out += ["", md(p.overall_note)]
    out += ["", f"### {paper_model.AAA_HEADING}", ""]
    for label, lines in (("Alert", p.alert), ("Advise", p.advise), ("Assure", p.assure)):
        out.append(f"**{label}**")
        out += [f"- {md(line)}" for line in lines] or ["- None."]
        out.append("")
    heads = ["Board question", "Score", *(["Change"] if p.since else []), "Evidenced",
             "Rating"]
    rows = [[f"{g.number}. {g.title}", g.score_text, *([f"{g.move} ({g.was})"] if p.since else []),
             g.coverage_text, g.rating_label + (f": {g.reason}" if g.reason else "")]
            for g in p.glance]
    out += [f"### {paper_model.GLANCE_HEADING}", "",
            *_table(heads, rows, frozenset({1, 2, 3} if p.since else {1, 2})), ""]
    if p.gaps:
        out += [f"### {md(p.gaps_heading)}", "", *_table(
            ["#", "Criterion", "Board question", "Finding", "Owner", "Points"],
            [[str(g.number), g.title, g.question,
              g.status_label + (", not evidenced" if g.not_evidenced else ""), g.owner,
              g.points] for g in p.gaps], frozenset({0, 5})),
            "", f"### {paper.QUESTIONS_HEADING}", "",
            *[f"{g.number}. {md(g.ask)}" for g in p.gaps], ""]
    else:
        out += ["### Gaps", "", "No gaps: every applicable criterion is met.", ""]
    if p.placeholders:
        out += [f"### {paper.PLACEHOLDERS_HEADING}", "", md(p.placeholders), ""]
    if p.partners:
        out += [f"### {paper.PARTNERS_HEADING}", "", md(p.partners_note or ""), "",
                *_table(list(paper.PARTNERS_COLUMNS), [
                    [d.arrangement + (f" ({d.matched})" if d.matched else ""), d.fact, d.ours,
                     "; ".join(d.theirs)] for d in p.partners]), ""]
    if p.movement:
        out += [f"### {paper_model.MOVEMENT_HEADING}", "",
                *[f"- {md(line)}" for line in p.movement], ""]
    if p.trend is not None:
        out += [f"### {paper_model.TREND_HEADING}", "", *_table(
            ["Board question", *p.trend.labels],
            [[title, *[paper.score_text(s) + " " + paper.rating_label(r)
                       for s, r in zip(scores, ratings, strict=True)]]
             for title, scores, ratings in p.trend.series]), ""]
    if p.due_note:
        out += [f"### {paper_model.DUE_HEADING}", "", md(p.due_note), ""]
        if p.due:
            out += [*_table(["Date", "When", "What"], [[d.date, d.group, d.what]
                                                       for d in p.due]), ""]
    out += [f"### {paper_model.RECOMMENDATION_HEADING}", "", md(p.recommendation), ""]
    if p.summary_only:
        out += [f"_{md(paper_model.SUMMARY_ONLY_NOTE)}_", ""]
    else:
        out += _appendices(p)
    out += ["---", "", f"_{md(p.footer)}_"]
    return "\n".join(out) + "\n"


def _finding(f: paper_model.Finding) -> list[str]:
    out = [f"##### {md(f.title)}", "", " · ".join([f"**{md(f.status_label)}**",
                                                   *map(md, f.tags)]), ""]
    out += [f"- Finding: {md(line)}" for line in f.sentences]
    if f.challenged:
        out.append(f"- Challenged: {md(f.challenged)}")
    if f.excluded:
        out.append(f"- Not applied: {md(f.excluded)}")
    if f.waived:
        out += [f"- Waiver: {md(line)}" for line in f.waiver_lines]
    else:
        out += [f"- Ask: _{md(f.ask)}_", f"- Action: {md(f.action)}"]
        out += [f"- Note: {md(line)}" for line in f.waiver_lines]
    if f.owner:
        out.append(f"- Owner: {md(f.owner)}")
    return [*out, ""]


def _silent_item(item: paper_model.SilentItem) -> str:
    owner = f" Owner: {md(item.owner)}" if item.owner else ""
    return (f"- **{md(item.title)}** ({md(', '.join(item.tags))}): {md(item.text)}{owner}")


def _appendices(p: paper_model.Paper) -> list[str]:
    out = [f"## {paper_model.FINDINGS_APPENDIX}", ""]
    for s in p.sections:
        out += [f"### {s.number}. {md(s.title)}", "", f"_{md(s.question)}_", "",
                f"{md(s.status_line)} **{md(s.rating_label)}**", ""]
        if s.cap:
            out += [md(s.cap), ""]
        out += [md(s.counts), ""]
        if s.silent:
            out += [f"#### {paper.SILENT_HEADING} ({len(s.silent)})", "", md(s.silent_lead or ""),
                    ""]
            if s.silent_owner:
                out += [f"Owner: {md(s.silent_owner)}", ""]
            out += [_silent_item(i) for i in s.silent]
            out.append("")
        # A part with nothing in it: its heading and "none" as one line, as in the HTML.
        out += ([f"#### {md(s.gaps_heading)}", ""] if s.stated else
                [f"**{md(s.gaps_heading)}:** {md(paper.none_line(s.no_gaps))}", ""])
        for f in s.stated:
            out += _finding(f)
        if s.waived:
            out += [f"#### {paper.WAIVED_HEADING}", ""]
            for f in s.waived:
                out += _finding(f)
        if not s.met and not s.not_applicable:  # as the HTML and Word papers say
            out += [f"**{paper.MET_HEADING}:** {paper.NONE_MET}", ""]
            continue
        out += [f"#### {paper.MET_HEADING}", ""]
        out += [f"- Met: {md(line)}" for line in s.met]
        out += [f"- Not applicable: {md(line)}" for line in s.not_applicable]
        out.append("")
    out += [f"## {paper_model.ARRANGEMENTS_APPENDIX}", ""]
    out += ([*_table(["Arrangement", "Form"], [[a.name, a.form] for a in p.arrangements]),
             ""] if p.arrangements else ["The file records no collaborative arrangements.",
                                         ""])
    out += [f"## {paper_model.METHOD_APPENDIX}", "", f"### {paper.METHOD_HEADING}", ""]
    for text in p.method:
        out += [md(text), ""]
    out += [f"### {paper.CRITERIA_HEADING}", ""]
    for t in p.criteria:
        out += [f"**{md(t.caption)}**", "", *_table(
            list(paper.CRITERIA_COLUMNS),
            [[r.id, r.title, r.severity, r.weight, r.status] for r in t.rows],
            frozenset({3})), ""]
    if p.placeholder_lines:
        out += [f"### {paper.PLACEHOLDERS_APPENDIX}", "", md(p.placeholder_lead), "",
                *_table(list(paper.PLACEHOLDER_COLUMNS),
                        [[r.path, r.line, r.value] for r in p.placeholder_lines],
                        frozenset({1})), ""]
    return out


def render(result: Result, options: RenderOptions) -> str:
    """The markdown board paper for `result`."""
    return render_model(paper_model.build(result, options))


class MarkdownPaper:
    def render(self, result: Result, options: RenderOptions) -> str:
        return render(result, options)


class MarkdownDue:
    """`due -f markdown-paper`: the forward look in the paper's words."""

    def render(self, look: object, options: RenderOptions) -> str:
        from boardcheck.due import ForwardLook
        from boardcheck.formats import due_paper

        assert isinstance(look, ForwardLook)
        return due_paper.markdown(due_paper.build(look, options))


FORMAT = MarkdownPaper()
DUE = MarkdownDue()
