"""The board paper as a board receives it: the cover paper's length and layout in Chromium's
PDF of the HTML and LibreOffice's PDF of the Word paper, the cover sheet from flags and the
configuration, the pictures, the markdown paper, `--summary`, `--template` and `due` as a
paper.

Every paper here is made through the CLI with every cover-paper section a trust can ask for
(all cover-sheet fields, two earlier boards for the trend, the forward look): the longest
cover paper each shipped example can give."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from boardcheck.formats import paper, paper_model
from tests.conftest import run_cli
from tests.htmlcheck import check_html

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NAMES = [p.stem for p in EXAMPLES]
MAX_COVER_PAGES = 4

HAVE_CHROMIUM = bool(shutil.which("chromium") and shutil.which("pdftotext"))
HAVE_SOFFICE = bool(shutil.which("soffice") and shutil.which("pdftotext"))
NO_CHROMIUM = "install Debian packages chromium and poppler-utils"
NO_SOFFICE = ("install Debian packages libreoffice-writer (--no-install-recommends) and "
              "poppler-utils")

COVER_FLAGS = ("--agenda-item", "Item 7.2", "--author", "Jo Bloggs, Company Secretary",
               "--sponsor", "Director of Strategy and Partnerships", "--purpose", "assurance",
               "--previous", "Audit and Risk Committee, 12 November 2026", "--baf", "BAF-03",
               "--baf", "BAF-07", "--marking", "OFFICIAL", "--meeting", "2026-11-26",
               "--due-within", "90")


@dataclass(frozen=True)
class Papers:
    folder: Path

    def html(self, name: str) -> Path:
        return self.folder / f"{name}.html"

    def docx(self, name: str) -> Path:
        return self.folder / f"{name}.docx"


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Papers:
    """Each example's fullest paper in HTML and Word, with two earlier boards saved."""
    folder = tmp_path_factory.mktemp("papers")
    for path in EXAMPLES:
        earlier = []
        for as_of in ("2026-03-01", "2026-06-01"):
            saved = folder / f"{path.stem}-{as_of}.json"
            assert run_cli("check", str(path), "-f", "json", "-o", str(saved), "--as-of",
                           as_of).exit_code == 0
            earlier += ["--baseline", str(saved)]
        for fmt in ("html", "docx"):
            out = folder / f"{path.stem}.{fmt}"
            run = run_cli("check", str(path), "-f", fmt, "-o", str(out), *earlier,
                          *COVER_FLAGS)
            assert run.exit_code == 0, run.stderr
    return Papers(folder)


def pdf_pages(pdf: Path) -> list[str]:
    """The PDF's text, page by page (pdftotext separates pages with form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def cover_pages(pages: list[str]) -> int:
    """Pages before the first appendix (the cover paper)."""
    return next(i for i, page in enumerate(pages) if paper_model.FINDINGS_APPENDIX in page)


def chromium_pdf(html: Path, out: Path) -> Path:
    profile = out.parent / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                    "--no-pdf-header-footer", html.as_uri()],
                   capture_output=True, text=True, timeout=180, check=False)
    assert out.exists() and out.stat().st_size > 0
    return out


@pytest.fixture(scope="module")
def chromium_pdfs(papers: Papers) -> dict[str, list[str]]:
    if not HAVE_CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    out = papers.folder / "chromium"
    out.mkdir(exist_ok=True)
    return {name: pdf_pages(chromium_pdf(papers.html(name), out / f"{name}.pdf"))
            for name in NAMES}


@pytest.fixture(scope="module")
def libreoffice_pdfs(papers: Papers) -> dict[str, list[str]]:
    if not HAVE_SOFFICE:
        pytest.skip(NO_SOFFICE)
    out = papers.folder / "libreoffice"
    profile = papers.folder / "lo-profile"
    run = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(out),
                          *[str(papers.docx(name)) for name in NAMES]],
                         capture_output=True, text=True, timeout=600, check=False)
    pages = {}
    for name in NAMES:
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), run.stderr
        pages[name] = pdf_pages(pdf)
    return pages


FOOTER = re.compile(r"^\s*(Page \d+ of \d+|.*· Page \d+)\s*$")


def content_lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines()
            if line.strip() and not FOOTER.match(line)]


HEADINGS = (paper.SUMMARY, paper_model.GLANCE_HEADING, paper.QUESTIONS_HEADING,
            paper_model.MOVEMENT_HEADING, paper_model.TREND_HEADING, paper_model.DUE_HEADING,
            paper_model.RECOMMENDATION_HEADING, paper.GAPS_HEADING, paper.MET_HEADING,
            paper.METHOD_HEADING, paper.CRITERIA_HEADING, paper_model.AAA_HEADING,
            paper.RATINGS_CAPTION)


def assert_laid_out(pages: list[str]) -> None:
    """No heading last on its page, and no page holding only a few lines (a list's tail)
    unless the next page starts an appendix or the document ends there."""
    for n, page in enumerate(pages):
        lines = content_lines(page)
        assert lines, f"page {n + 1} is empty"
        last = lines[-1]
        assert not any(last.startswith(h) and len(last) < len(h) + 4 for h in HEADINGS), (
            f"page {n + 1} ends with the heading {last!r}")
        ends_part = n + 1 == len(pages) or "Appendix " in pages[n + 1][:400]
        assert len(lines) >= 4 or ends_part, f"page {n + 1} holds only {lines!r}"


@pytest.mark.parametrize("name", NAMES)
def test_cover_paper_fits_four_pages_in_chromium(chromium_pdfs: dict[str, list[str]],
                                                 name: str) -> None:
    pages = chromium_pdfs[name]
    assert cover_pages(pages) <= MAX_COVER_PAGES, cover_pages(pages)
    assert_laid_out(pages)
    first = " ".join(pages[0].split())
    assert "OFFICIAL" in first and "Item 7.2" in first and "Executive sponsor" in first
    # The protective marking heads every page, once (not the header and the cover too).
    assert [page.count("OFFICIAL") for page in pages] == [1] * len(pages)
    # The column heads are whole words on one line, never "Weigh/t".
    appendix = "\n".join(pages[cover_pages(pages):])
    assert re.search(r"Criterion\s+Title\s+Severity\s+Weight\s+Status", appendix)


@pytest.mark.parametrize("name", NAMES)
def test_cover_paper_fits_four_pages_in_libreoffice(libreoffice_pdfs: dict[str, list[str]],
                                                    name: str) -> None:
    pages = libreoffice_pdfs[name]
    assert cover_pages(pages) <= MAX_COVER_PAGES, cover_pages(pages)
    assert_laid_out(pages)
    first = " ".join(pages[0].split())
    assert "OFFICIAL" in first and "Item 7.2" in first and "Executive sponsor" in first
    assert [page.count("OFFICIAL") for page in pages] == [1] * len(pages)
    appendix = "\n".join(pages[cover_pages(pages):])
    assert re.search(r"Criterion\s+Title\s+Severity\s+Weight\s+Status", appendix)


# --- pictures -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_charts_in_html_are_inline_svg_with_words(papers: Papers, name: str) -> None:
    page = papers.html(name).read_text(encoding="utf-8")
    check_html(page)
    glance = page[page.index('<figure class="glance-chart">'):]
    glance = glance[:glance.index("</figure>")]
    assert '<svg viewBox="0 0 ' in glance and 'role="img"' in glance
    # Every question's score and rating in words beside its bar: never colour alone.
    words = re.findall(r">([^<>]+)</text>", glance)
    assert sum(1 for w in words if re.fullmatch(
        r"\d+\.\d · (Green|Amber|Red|Insufficient evidence)", w)) == 5
    assert sum(1 for w in words if w.endswith("% evidenced")) == 5
    trend = page[page.index('<figure class="trend-chart">'):]
    trend = trend[:trend.index("</figure>")]
    # Three boards, labelled by the names the earlier results were saved under and by
    # this meeting.
    assert f">{name}-2026-03-01</text>" in trend and f">{name}-2026-06-01</text>" in trend
    assert ">Board, 26 November 2026</text>" in trend
    assert len(re.findall(r"<circle ", trend)) == 15


@pytest.mark.parametrize("name", NAMES)
def test_charts_in_word_are_images(papers: Papers, name: str) -> None:
    docx = pytest.importorskip("docx")
    from PIL import Image

    document = docx.Document(str(papers.docx(name)))
    shapes = list(document.inline_shapes)
    assert len(shapes) == 2  # the five questions at a glance, and the trend
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    # Under the heading "The five questions at a glance", a caption of its own.
    assert "Score and rating of each board question, and the share of its weight evidenced" \
        in captions
    assert not any(c.startswith("The five questions at a glance") for c in captions)
    assert any(c.startswith("Each board question's score at each board") for c in captions)
    images = [part for part in document.part.related_parts.values()
              if part.content_type == "image/png"]
    assert len(images) == 2
    for part in images:
        picture = Image.open(io.BytesIO(part.blob))
        assert picture.format == "PNG" and picture.width > 1000


def test_pictures_are_the_same_bytes_each_time(papers: Papers, tmp_path: Path) -> None:
    pytest.importorskip("docx")
    again = tmp_path / "again.docx"
    name = NAMES[0]
    earlier = [arg for as_of in ("2026-03-01", "2026-06-01")
               for arg in ("--baseline", str(papers.folder / f"{name}-{as_of}.json"))]
    assert run_cli("check", str(ROOT / "examples" / f"{name}.yaml"), "-f", "docx", "-o",
                   str(again), *earlier, *COVER_FLAGS).exit_code == 0
    assert again.read_bytes() == papers.docx(name).read_bytes()


def test_a_saved_result_that_records_its_meeting_is_labelled_by_it(tmp_path: Path) -> None:
    import json

    example = ROOT / "examples" / "middling-community-mh.yaml"
    for n, (as_of, meeting) in enumerate((("2026-03-01", "2026-03-26"),
                                          ("2026-06-01", None))):
        saved = tmp_path / f"saved-{n}.json"
        given = ["--meeting", meeting] if meeting else []
        assert run_cli("check", str(example), "-f", "json", "-o", str(saved), "--as-of",
                       as_of, *given).exit_code == 0
        # The result records the meeting it was made for, and only when given.
        assert json.loads(saved.read_text(encoding="utf-8")).get("meeting") == meeting
    # A folder of past results is read whole, earliest first.
    run = run_cli("check", str(example), "-f", "html", "--baseline", str(tmp_path))
    assert run.exit_code == 0, run.stderr
    trend = run.stdout[run.stdout.index('<figure class="trend-chart">'):]
    assert trend.index(">Board, 26 March 2026</text>") < trend.index(">saved-1</text>")
    assert "(change since saved-1)" in run.stdout


def test_a_folder_of_no_saved_results_is_an_error(tmp_path: Path) -> None:
    run = run_cli("check", str(ROOT / "examples" / "strong-acute-ft.yaml"), "-f", "html",
                  "--baseline", str(tmp_path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (f"{tmp_path}:1:1: no saved results (*.json from check --format "
                          "json) in this folder\n")


# --- the cover sheet --------------------------------------------------------------------------

CONFIG = """\
[paper]
agenda_item = "Item 9"
author = "Priya Shah, Head of Corporate Governance"
sponsor = "Chief Executive"
purpose = "approval"
previous = "Executive Committee, 3 November 2026"
recommendation = "The board is asked to approve the action plan."
baf_risks = ["BAF-01", "BAF-04"]
marking = "OFFICIAL-SENSITIVE"
"""


def test_cover_sheet_fields_come_from_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / ".boardcheck.toml"
    config.write_text(CONFIG, encoding="utf-8")
    example = ROOT / "examples" / "strong-acute-ft.yaml"
    run = run_cli("check", str(example), "-f", "html", "--config", str(config))
    assert run.exit_code == 0, run.stderr
    cover = " ".join(re.sub(r"<[^>]+>", " ", run.stdout.split("</header>")[0]).split())
    for text in ("OFFICIAL-SENSITIVE", "Agenda item Item 9",
                 "Author Priya Shah, Head of Corporate Governance",
                 "Executive sponsor Chief Executive", "Purpose For approval",
                 "Previously considered by Executive Committee, 3 November 2026",
                 "Board assurance framework risks BAF-01, BAF-04",
                 "Recommendation The board is asked to approve the action plan."):
        assert text in cover, text
    # No meeting given: none printed, and the position's date is not called one.
    assert "Meeting" not in cover
    # A flag beats the file.
    run = run_cli("check", str(example), "-f", "markdown-paper", "--config", str(config),
                  "--purpose", "discussion")
    assert "| Purpose | For discussion |" in run.stdout
    assert "| Agenda item | Item 9 |" in run.stdout
    docx = pytest.importorskip("docx")
    out = tmp_path / "paper.docx"
    assert run_cli("check", str(example), "-f", "docx", "-o", str(out), "--config",
                   str(config)).exit_code == 0
    rows = [[c.text for c in row.cells] for row in docx.Document(str(out)).tables[0].rows]
    assert ["Executive sponsor", "Chief Executive"] in rows
    assert ["Purpose", "For approval"] in rows


@pytest.mark.parametrize(("entry", "message"), [
    ('purpose = "noting"', "paper.purpose: 'noting' is not one of approval, assurance, "
     "discussion, information"),
    ('authr = "Jo"', "paper.authr: unknown paper setting; did you mean 'author'?"),
    ("baf_risks = [3]", "paper.baf_risks: 3 is not text"),
    ('template = "no-such-folder"', "paper: template: "),
])
def test_a_bad_paper_setting_is_located(tmp_path: Path, entry: str, message: str) -> None:
    config = tmp_path / ".boardcheck.toml"
    config.write_text(f"[paper]\nauthor = \"Jo\"\n{entry}\n", encoding="utf-8")
    run = run_cli("check", str(ROOT / "examples" / "strong-acute-ft.yaml"), "-f", "html",
                  "--config", str(config))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert re.match(rf"{re.escape(str(config))}:\d+:1: {re.escape(message)}", run.stderr), \
        run.stderr


def test_a_bad_paper_flag_names_the_flag() -> None:
    run = run_cli("check", str(ROOT / "examples" / "strong-acute-ft.yaml"), "-f", "html",
                  "--purpose", "noting")
    assert (run.exit_code, run.stderr) == (
        2, "boardcheck: --purpose: paper.purpose: 'noting' is not one of approval, assurance, "
        "discussion, information\n")


@pytest.mark.parametrize("name", NAMES)
def test_alert_advise_assure_state_only_what_the_file_states(name: str) -> None:
    from tests.test_paper import evaluate_example

    result = evaluate_example(ROOT / "examples" / f"{name}.yaml")
    alert, advise, assure = paper_model.alert_advise_assure(result)
    red = [c.title for c in result.categories if c.rating == "red"]
    named = [line for line in alert if " is rated Red" in line or line.startswith("Rated Red")]
    assert len(named) == (1 if red else 0)
    for title in red:
        assert title in named[0]
    silent = [c for c in result.criteria if c.status == "not_evidenced"]
    # Silence is advised on, never alerted as a failure.
    assert any("does not record evidence" in line for line in advise) == bool(silent)
    assert not any("does not record" in line for line in alert)
    green = [c.title for c in result.categories if c.rating == "green"]
    assert any(line.startswith("Rated Green") for line in assure) == bool(green)
    met = sum(1 for c in result.criteria if c.status == "met")
    assert any(line.startswith(f"{met} of the ") for line in assure)


# --- extent, templates, markdown, due ---------------------------------------------------------


def test_summary_leaves_out_the_appendices(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "weak-acute.yaml")
    page = run_cli("check", example, "-f", "html", "--summary").stdout
    check_html(page)
    assert paper_model.FINDINGS_APPENDIX not in page and 'class="appendix"' not in page
    assert paper_model.SUMMARY_ONLY_NOTE in page.replace("&#x27;", "'")
    markdown = run_cli("check", example, "-f", "markdown-paper", "--summary").stdout
    assert paper_model.METHOD_APPENDIX not in markdown
    docx = pytest.importorskip("docx")
    out = tmp_path / "summary.docx"
    assert run_cli("check", example, "-f", "docx", "-o", str(out), "--summary").exit_code == 0
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paper_model.FINDINGS_APPENDIX not in text
    assert paper_model.RECOMMENDATION_HEADING in text


EVIL = "Evil <script>alert(1)</script> & Co"


def test_a_trusts_own_template_and_logo(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "house-style"
    folder.mkdir()
    (folder / "paper.css").write_text("body { font-family: Frutiger; } /* house style */\n",
                                      encoding="utf-8")
    Image.new("RGB", (4, 2), "navy").save(folder / "logo.png")
    text = (ROOT / "examples" / "middling-community-mh.yaml").read_text(encoding="utf-8")
    trust = tmp_path / "trust.yaml"
    trust.write_text(re.sub(r"(?m)^  name: .*$", f'  name: "{EVIL}"', text, count=1),
                     encoding="utf-8")
    run = run_cli("check", str(trust), "-f", "html", "--template", str(folder))
    assert run.exit_code == 0, run.stderr
    assert "/* house style */" in run.stdout
    assert '<img class="logo" alt="Evil &lt;script&gt;' in run.stdout
    assert 'src="data:image/png;base64,' in run.stdout
    assert "<script>" not in run.stdout
    # A trust's own page template: its values are escaped all the same.
    (folder / "paper.html.j2").write_text(
        "<!DOCTYPE html><title>{{ p.organisation }}</title><p>{{ p.overall_headline }}</p>\n",
        encoding="utf-8")
    run = run_cli("check", str(trust), "-f", "html", "--template", str(folder))
    assert run.stdout.startswith("<!DOCTYPE html><title>Evil &lt;script&gt;alert(1)")
    docx = pytest.importorskip("docx")
    out = tmp_path / "logo.docx"
    assert run_cli("check", str(trust), "-f", "docx", "-o", str(out), "--logo",
                   str(folder / "logo.png")).exit_code == 0
    assert len(docx.Document(str(out)).inline_shapes) == 2  # the logo and the chart


@pytest.mark.parametrize(("template", "message"), [
    ("<p>{{ p.title }</p>\n", ":1:1: template syntax error: unexpected '}'"),
    ("<p>{{ p.no_such_field }}</p>\n", ":1:1: the template cannot be rendered: "),
    ("<p>{{ p.__class__.__mro__ }}</p>\n", ":1:1: the template cannot be rendered: "),
])
def test_a_faulty_template_is_a_located_error(tmp_path: Path, template: str,
                                              message: str) -> None:
    (tmp_path / "paper.html.j2").write_text(template, encoding="utf-8")
    run = run_cli("check", str(ROOT / "examples" / "strong-acute-ft.yaml"), "-f", "html",
                  "--template", str(tmp_path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(f"{tmp_path / 'paper.html.j2'}{message}"), run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("name", NAMES)
def test_markdown_paper_follows_the_same_model(name: str) -> None:
    from tests.test_paper import assert_board_language, evaluate_example

    run = run_cli("check", str(ROOT / "examples" / f"{name}.yaml"), "-f", "markdown-paper")
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Cover sheet", f"## {paper.SUMMARY}",
                        f"## {paper_model.FINDINGS_APPENDIX}",
                        f"## {paper_model.ARRANGEMENTS_APPENDIX}",
                        f"## {paper_model.METHOD_APPENDIX}"]
    result = evaluate_example(ROOT / "examples" / f"{name}.yaml")
    body = text[:text.index(f"## {paper_model.METHOD_APPENDIX}")]
    assert_board_language(body.replace("\\", ""), result)
    for c in result.gaps_by_points()[:5]:
        assert c.challenge.replace("'", "\\'") in text or c.challenge in text


@pytest.mark.parametrize("fmt", ["html", "docx", "markdown-paper"])
def test_due_as_a_paper(tmp_path: Path, fmt: str) -> None:
    example = str(ROOT / "examples" / "middling-community-mh.yaml")
    out = tmp_path / f"due.{fmt}"
    run = run_cli("due", example, "-f", fmt, "-o", str(out), "--within", "120")
    assert run.exit_code == 0, run.stderr
    if fmt == "docx":
        docx = pytest.importorskip("docx")
        document = docx.Document(str(out))
        text = "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])
    else:
        text = out.read_text(encoding="utf-8")
        if fmt == "html":
            check_html(text)
    assert "Forward look" in text
    assert "Overdue" in text
    assert "1 April 2025" in text  # dates written out
    assert not re.search(r"\bline \d", text)
    assert "collaboratives[" not in text and "2025-04-01" not in text


def test_a_marking_cannot_break_out_of_the_style_sheet() -> None:
    from boardcheck.formats.html_paper import css_string

    assert css_string('OFFICIAL </style>"') == (
        '"OFFICIAL \\00003c\\00002fstyle\\00003e\\000022"')
    run = run_cli("check", str(ROOT / "examples" / "strong-acute-ft.yaml"), "-f", "html",
                  "--marking", "</style><script>x()</script>")
    assert run.exit_code == 0
    check_html(run.stdout)
    assert "<script>" not in run.stdout


def test_the_chart_draws_the_questionnaires_own_thresholds() -> None:
    import dataclasses

    from boardcheck.formats.base import RenderOptions
    from boardcheck.formats.html_paper import render
    from tests.test_paper import evaluate_example

    result = evaluate_example(ROOT / "examples" / "strong-acute-ft.yaml")
    rules = result.questionnaire.scoring
    assert rules is not None and (rules.category_amber, rules.category_green) == (50, 75)
    stricter = dataclasses.replace(result, questionnaire=dataclasses.replace(
        result.questionnaire, scoring=dataclasses.replace(rules, category_amber=60,
                                                          category_green=85)))
    for shown, (amber, green) in ((result, (50, 75)), (stricter, (60, 85))):
        page = render(shown, RenderOptions())
        chart = page[page.index('<figure class="glance-chart">'):]
        chart = chart[:chart.index("</figure>")]
        ticks = re.findall(r'text-anchor="middle" fill="#4c6272">(\d+)</text>', chart)
        assert ticks == ["0", str(amber), str(green), "100"]
        assert f"(Amber from {amber}, Green from {green})" in chart
