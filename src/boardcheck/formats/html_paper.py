"""One trust's result as a self-contained HTML5 board paper that prints cleanly to A4.

The paper model (`paper_model.build`) is laid out by Jinja templates with autoescaping:
the built-in folder `paper_templates/`, or a trust's own (`--template DIR`), whose files
take the built-in ones' place by name (`paper.html.j2`, `paper.css`)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boardcheck.formats import paper, paper_model
from boardcheck.formats.base import PaperSettings, RenderOptions
from boardcheck.result import Result

if TYPE_CHECKING:
    import jinja2

    from boardcheck.diff import Diff
    from boardcheck.due import ForwardLook

BUILT_IN = Path(__file__).resolve().parent / "paper_templates"

# Print first: A4 pages, each board question and the appendix on a new page, criteria kept
# whole, rating tints printed. Text is dark on light tints throughout (WCAG AA or better);
# every colour repeats a word that is printed beside or inside it.

def environment(folder: Path | None) -> jinja2.Environment:
    """Templates from the trust's folder first, then the built-in ones; every value escaped.
    The built-in environment is made once (a batch's papers share it); a trust's folder is
    read afresh, as its files may change between runs in one process."""
    return _environment(None) if folder is None else _environment.__wrapped__(folder)


@lru_cache(maxsize=1)
def _environment(folder: Path | None) -> jinja2.Environment:
    """Jinja is imported here, not at start-up: `--help` and the other formats never pay
    for it."""
    import jinja2
    from markupsafe import Markup

    from boardcheck.formats.sanitise import html_text

    def escaped(value: object) -> Markup:
        # The project's one HTML escaping (sanitise), not Jinja's own, for every value a
        # template prints; autoescaping stays on for any value that bypasses this.
        return value if isinstance(value, Markup) else Markup(html_text(value))

    from jinja2.sandbox import SandboxedEnvironment

    folders = [str(folder)] if folder is not None else []
    # Sandboxed: a template folder is input, and may reach no further than the paper.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([*folders, str(BUILT_IN)]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, finalize=escaped,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.globals["flags"] = paper_model.FLAGS
    return env


def _words() -> dict[str, Any]:
    """The paper's fixed headings, for the templates (one source: `paper`, `paper_model`)."""
    return {
        "summary_heading": paper.SUMMARY, "aaa_heading": paper_model.AAA_HEADING,
        "glance_heading": paper_model.GLANCE_HEADING,
        "ratings_caption": paper.RATINGS_CAPTION,
        "questions_heading": paper.QUESTIONS_HEADING,
        "placeholders_heading": paper.PLACEHOLDERS_HEADING,
        "partners_heading": paper.PARTNERS_HEADING, "partners_caption": paper.PARTNERS_CAPTION,
        "partners_columns": paper.PARTNERS_COLUMNS,
        "movement_heading": paper_model.MOVEMENT_HEADING,
        "trend_heading": paper_model.TREND_HEADING, "due_heading": paper_model.DUE_HEADING,
        "recommendation_heading": paper_model.RECOMMENDATION_HEADING,
        "summary_only_note": paper_model.SUMMARY_ONLY_NOTE,
        "findings_appendix": paper_model.FINDINGS_APPENDIX,
        "arrangements_appendix": paper_model.ARRANGEMENTS_APPENDIX,
        "arrangements_caption": paper.ARRANGEMENTS_CAPTION,
        "method_appendix": paper_model.METHOD_APPENDIX, "method_heading": paper.METHOD_HEADING,
        "criteria_heading": paper.CRITERIA_HEADING, "criteria_columns": paper.CRITERIA_COLUMNS,
        "gaps_heading": paper.GAPS_HEADING, "silent_heading": paper.SILENT_HEADING,
        "waived_heading": paper.WAIVED_HEADING,
        "met_heading": paper.MET_HEADING, "none_met": paper.NONE_MET,
        "none_line": paper.none_line,
        "placeholders_appendix": paper.PLACEHOLDERS_APPENDIX,
        "placeholders_caption": paper.PLACEHOLDERS_CAPTION,
        "placeholder_columns": paper.PLACEHOLDER_COLUMNS,
    }


def css_string(text: str) -> str:
    """Text as a quoted CSS string: every character but letters, digits and spaces written
    as a hex escape, so no text can end the string, the rule or the style element."""
    return '"' + "".join(ch if (ch.isalnum() and ch.isascii()) or ch == " "
                         else f"\\{ord(ch):06x}" for ch in text) + '"'


def render_model(model: paper_model.Paper, template: Path | None = None) -> str:
    """A built paper as one HTML document."""
    from markupsafe import Markup

    from boardcheck.formats import charts

    glance = charts.glance_chart(model.glance, model.amber_from, model.green_from)
    trend = charts.trend_chart(model.trend) if model.trend is not None else None
    logo = None
    if model.logo is not None:
        logo = f"data:{model.logo_type};base64,{base64.b64encode(model.logo).decode('ascii')}"
    return _rendered(template, "paper.html.j2", dict(
        p=model, **_words(), glance_svg=Markup(charts.svg(glance)),
        glance_chart_title=glance.title,
        trend_svg=Markup(charts.svg(trend)) if trend is not None else None,
        trend_chart_title=trend.title if trend is not None else "", logo=logo,
        marking_css=Markup(css_string(model.marking)) if model.marking else None))


def _rendered(folder: Path | None, name: str, values: dict[str, Any]) -> str:
    """A template rendered; a fault in a trust's own template is a located error (exit 2),
    never a traceback."""
    import jinja2

    from boardcheck.errors import ConfigError, shown

    try:
        return environment(folder).get_template(name).render(**values)
    except jinja2.TemplateSyntaxError as exc:
        where = shown(Path(exc.filename)) if exc.filename else name
        raise ConfigError.single(where, exc.lineno or 1, 1,
                                 f"template syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ConfigError.single(shown(folder / name) if folder else name, 1, 1,
                                 f"the template cannot be rendered: {exc}") from None


def render_paper(result: Result, meeting: dt.date | None = None,
                 movement: Diff | None = None, options: RenderOptions | None = None) -> str:
    """The whole paper as one HTML document; the same result gives the same bytes."""
    options = replace(options or RenderOptions(), meeting=meeting, movement=movement)
    settings = options.paper or PaperSettings()
    return render_model(paper_model.build(result, options), settings.template)


def render(result: Result, options: RenderOptions) -> str:
    """The board paper for `result` (the batch's --papers call this per file)."""
    return render_paper(result, options.meeting, options.movement, options)


class HtmlPaper:
    """The board paper; `meeting` is the date of the board meeting it goes to (none: the
    cover gives the position's date and no meeting, as the result does not know it)."""

    def __init__(self, meeting: dt.date | None = None) -> None:
        self.meeting = meeting

    def render(self, result: Result, options: RenderOptions) -> str:
        return render_paper(result, self.meeting or options.meeting, options.movement, options)


class HtmlDue:
    """`due -f html`: the forward look on its own, as a page for the board pack."""

    def render(self, look: ForwardLook, options: RenderOptions) -> str:
        from boardcheck.formats import due_paper

        settings = options.paper or PaperSettings()
        return _rendered(settings.template, "due.html.j2",
                         {"d": due_paper.build(look, options)})


FORMAT = HtmlPaper()
DUE = HtmlDue()
