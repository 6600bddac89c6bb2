"""The board paper, as HTML and as Word: structure, content, escaping and print output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from boardcheck.engine import evaluate
from boardcheck.formats import paper, paper_model
from boardcheck.formats.base import MissingExtra, RenderOptions
from boardcheck.formats.docx_paper import DocxPaper
from boardcheck.formats.html_paper import FORMAT, HtmlPaper
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.result import AppliedWaiver, Result
from tests.conftest import run_cli
from tests.htmlcheck import HAVE_BROWSER, chromium
from tests.htmlcheck import check_html as check

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NAMES = [p.stem for p in EXAMPLES]
MIDDLING = "middling-community-mh"
EVIL = "Evil <script>alert(1)</script> <b>& Co NHS Trust"


def evaluate_example(path: Path) -> Result:
    trust, source = load(path, TrustDescription, display=f"examples/{path.name}")
    assert trust.as_of is not None
    return evaluate(trust, source, load_questionnaire(), trust.as_of)


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return {path.stem: evaluate_example(path) for path in EXAMPLES}


def render(result: Result) -> str:
    return FORMAT.render(result, RenderOptions())


def section(page: str, ident: str) -> str:
    start = page.index(f'id="{ident}"')
    return page[start:page.index("</section>", start)]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_there_are_three_examples() -> None:
    assert set(NAMES) == {"middling-community-mh", "strong-acute-ft", "weak-acute"}


@pytest.mark.parametrize("name", NAMES)
def test_html_is_well_formed_with_one_h1_and_the_sections_in_order(
        results: dict[str, Result], name: str) -> None:
    result = results[name]
    checker = check(render(result))
    assert checker.lang == "en-GB"
    assert [text for tag, text in checker.headings if tag == "h1"] == [paper.TITLE]
    h2 = [text for tag, text in checker.headings if tag == "h2"]
    assert len(result.categories) == 5
    # The cover paper, then the appendices: findings, arrangements, method.
    assert h2 == [paper.SUMMARY, paper_model.FINDINGS_APPENDIX,
                  paper_model.ARRANGEMENTS_APPENDIX, paper_model.METHOD_APPENDIX]
    h3 = [text for tag, text in checker.headings if tag == "h3"]
    questions = [f"{n}. {cat.title}: {cat.board_question}"
                 for n, cat in enumerate(result.categories, 1)]
    start = h3.index(questions[0])
    assert h3[start:start + 5] == questions
    assert h3[0] == paper_model.GLANCE_HEADING
    assert h3[start - 1] == paper_model.RECOMMENDATION_HEADING
    # Heading levels never skip: h1, then h2s, h3s below them, h4s below h3s.
    levels = [int(tag[1]) for tag, _ in checker.headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


@pytest.mark.parametrize("name", NAMES)
def test_every_table_has_a_caption_and_scoped_headers(
        results: dict[str, Result], name: str) -> None:
    page = render(results[name])
    checker = check(page)
    assert checker.tables == checker.captions >= 8  # cover, ratings, gaps, arrangements, 5


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("needle", ["http", "<link", "src=", "<script", "url(", "@import"])
def test_html_uses_no_external_assets_or_scripts(
        results: dict[str, Result], name: str, needle: str) -> None:
    assert needle not in render(results[name]).lower()


@pytest.mark.parametrize("name", NAMES)
def test_cover_block(results: dict[str, Result], name: str) -> None:
    result = results[name]
    cover = text_of(render(result).split("</header>")[0])
    org = result.organisation
    assert org.name in cover
    assert org.ods_code and f"ODS code {org.ods_code}" in cover
    day = paper.long_date(result.as_of)
    # No meeting given: the as-of date is the position's date, never printed as a meeting.
    assert "Meeting" not in cover and "Board meeting" not in cover
    assert '<p class="meeting">Position as at ' + day + "</p>" in render(result)
    assert "Purpose For assurance" in cover
    assert "Cover sheet" in cover
    q = result.questionnaire
    assert f"{q.title} ({q.id}, version {q.version})" in cover
    assert f"Position as at {day}" in cover
    # The file's name, not the path it was typed as (a board pack is public).
    assert f"Source file {name}.yaml Prepared" in cover
    assert "examples/" not in render(result)


@pytest.mark.parametrize("name", NAMES)
def test_summary_lists_the_top_gaps_in_points_order(
        results: dict[str, Result], name: str) -> None:
    result = results[name]
    summary = section(render(result), "summary")
    expected = result.gaps_by_points()[:5]
    assert len(expected) == min(5, len(result.gaps_by_points()))
    table = summary[summary.index('<table class="top-gaps">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<tr data-criterion="([^"]+)">', table) == [c.id for c in expected]
    for c in expected:
        assert f"+{c.points_available:.1f}" in table
    heading = paper.top_gaps_heading(len(expected))
    assert f">{heading}</h3>" in summary
    questions = summary[summary.index('<ol class="questions">'):]
    questions = questions[:questions.index("</ol>")]
    assert re.findall(r'<li data-criterion="([^"]+)">', questions) == [c.id for c in expected]
    for c in expected:
        assert html.escape(c.challenge) in questions


@pytest.mark.parametrize("name", NAMES)
def test_ratings_appear_as_words_beside_their_colours(
        results: dict[str, Result], name: str) -> None:
    result = results[name]
    page = render(result)
    summary = section(page, "summary")
    word = paper.rating_label(result.overall.rating)
    assert f'<div class="overall rating-{result.overall.rating}">' in summary
    assert (f"Overall readiness: {word}, score {result.overall.score:.1f} out of 100; "
            f"{result.overall.evidence_coverage:.1f}% of the weight evidenced") in summary
    table = summary[summary.index('<table class="ratings">'):]
    for cat in result.categories:
        label = paper.rating_label(cat.rating)
        reason = paper.rating_reason(cat.rating, cat.explanation)
        why = f'<span class="reason">{html.escape(reason)}</span>' if reason else ""
        assert f'<td class="rating rating-{cat.rating}">{label}{why}</td>' in table
        # Coverage stands beside the score.
        assert re.search(f'<td class="num">{cat.score:.1f}</td>\\s*'
                         f'<td class="num">{cat.evidence_coverage:.1f}%</td>', table)
        body = section(page, f"q-{cat.id}")
        assert f'<span class="rating rating-{cat.rating}">{label}</span>' in body
    # Every element that carries a rating colour also carries the rating's word.
    for match in re.finditer(r'class="rating rating-(\w+)">([^<]*)<', page):
        assert match.group(2) == paper.rating_label(match.group(1))


def test_expected_ratings_of_the_examples(results: dict[str, Result]) -> None:
    assert {n: r.overall.rating for n, r in results.items()} == {
        "strong-acute-ft": "green", "middling-community-mh": "amber", "weak-acute": "red"}


@pytest.mark.parametrize("name", NAMES)
def test_each_board_question_lists_gaps_then_waived_then_met(
        results: dict[str, Result], name: str) -> None:
    result = results[name]
    page = render(result)
    for cat in result.categories:
        body = section(page, f"q-{cat.id}")
        gaps = [c for c in cat.criteria
                if c.status in ("not_met", "partly_met", "not_evidenced") or c.challenged]
        # A thin file (the weak example evidences 53%): what it is silent on is one list,
        # each criterion an item naming every arrangement; the rest a finding each.
        silent = [c for c in gaps if paper.is_thin(result) and paper.is_silent(c)]
        assert re.findall(r'<li id="c-(\w+)">', body) == [c.id for c in silent]
        for c in silent:
            assert html.escape(paper.silent_text(c, result)) in body
        gaps = [c for c in gaps if c not in silent]
        blocks = re.findall(r'<div class="criterion status-(\w+)" id="c-(\w+)">', body)
        assert [ident for _, ident in blocks] == [c.id for c in gaps]
        for c in gaps:
            block = body[body.index(f'id="c-{c.id}"'):]
            block = block[:block.index('<div class="criterion') if '<div class="criterion'
                          in block else len(block)]
            for sentence in paper.finding_sentences(c, result):
                assert html.escape(sentence) in block
            assert html.escape(c.challenge) in block
            assert (f"<strong>Action:</strong> <span>{html.escape(c.action)}</span>"
                    in block)
            assert not re.search(r"\bline \d", text_of(block))
            assert ("Not evidenced" in block) == (not c.evidenced)
            if c.status == "not_evidenced":
                assert '<span class="status status-not_evidenced">Not evidenced</span>' in block
                assert "Not met" not in block
            owner = paper.owner_line(c)
            assert owner
            assert f"<strong>Owner:</strong> <span>{html.escape(owner)}</span>" in block
        # A part with nothing in it is one line, its heading and "none", not a heading.
        met_at = (body.index(f">{paper.MET_HEADING}</h4>")
                  if any(c.status in ("met", "not_applicable") for c in cat.criteria)
                  else body.index(f"<strong>{paper.MET_HEADING}:</strong> none"))
        for c in cat.criteria:
            if c.status == "met":
                assert body.index(html.escape(paper.met_line(c, result)), met_at) > met_at
            if c.status == "not_applicable":
                assert html.escape(paper.not_applicable_line(c, result)) in body[met_at:]


def test_owners_and_not_evidenced_appear_in_the_middling_paper(
        results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    page = render(result)
    owned = [c for c in result.criteria if len(c.owners) > 1]
    assert owned, "the middling example should name several owners for some gap"
    # Each lead for their own arrangement's part.
    assert ("<strong>Owner:</strong> <span>Sunita Varghese-Lowe for Northmarch Adult Secure "
            "and CAMHS Inpatient Provider Collaborative; Joanne Kettleby for Marrowdene Place "
            "Forum</span>") in page
    silent = [c for c in result.criteria if c.status == "not_evidenced"]
    partly = [c for c in result.criteria if paper.partly_not_evidenced(c)]
    assert silent and partly
    # A criterion the file is silent on says "Not evidenced" as its status; a gap partly
    # evidenced carries a flag. Each in its section, and again if among the top five.
    top = result.gaps_by_points()[:5]
    assert page.count('<span class="status status-not_evidenced">Not evidenced</span>') == (
        len(silent) + len([c for c in top if c in silent]))
    assert page.count('<span class="flag">Not evidenced</span>') == (
        len(partly) + len([c for c in top if c in partly]))
    capped = [cat for cat in result.categories if cat.capped_by and cat.capped_by[:2].isupper()]
    assert capped, "the middling example should have a board question capped by a criterion"
    for cat in capped:
        assert cat.capped_by is not None
        crit = paper.criterion_by_id(result, cat.capped_by)
        assert crit is not None
        reason = cat.explanation.split(": ", 1)[1].replace(
            f"{crit.id} ({crit.title})", f"\u201c{crit.title}\u201d")
        assert f"Rated {paper.rating_label(cat.rating)}: {reason}." in text_of(
            section(page, f"q-{cat.id}"))
    # The overall cap is stated in words, not as an identifier.
    assert ("Rated Amber: capped by the red rating of performance fallback."
            in text_of(section(page, "summary")))


@pytest.mark.parametrize("name", NAMES)
def test_appendix_states_the_method_and_lists_every_criterion(
        results: dict[str, Result], name: str) -> None:
    result = results[name]
    appendix = section(render(result), "appendix")
    words = text_of(appendix)
    for phrase in ("full weight", "half its weight", "not applicable", "waived",
                   "Green at 75 or more, Amber at 50 or more", "set by the questionnaire",
                   "caps its board question at Red", "caps it at Amber", "Inconclusive",
                   "capped at Amber"):
        assert phrase in words, phrase
    rows = re.findall(r'<tr><th scope="row">(\w+)</th>', appendix)
    assert rows == [c.id for c in result.criteria]
    for c in result.criteria:
        assert html.escape(paper.criterion_row(c)[4]) in appendix


def test_appendix_states_the_weight_of_each_board_question(
        results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    assert "weight for it (all equal, so a plain mean)" in text_of(
        section(render(result), "appendix"))
    heavier = tuple(dataclasses.replace(c, weight=3.0 if c.id == "risk_management" else 1.0)
                    for c in result.categories)
    words = text_of(section(render(dataclasses.replace(result, categories=heavier)),
                            "appendix"))
    assert ("weight for it (Strategy alignment 1; Proportionate infrastructure 1; "
            "Resourcing 1; Risk management 3; Performance fallback 1)") in words


def test_html_prints_to_a4_with_breaks_and_colours(results: dict[str, Result]) -> None:
    page = render(results[MIDDLING])
    style = page[page.index("<style>"):page.index("</style>")]
    assert "@page { size: A4; margin:" in style
    assert ".appendix { break-before: page; page-break-before: always; }" in style
    assert "break-inside: avoid" in style
    assert "h2, h3, h4, h5, caption, .plain-list { break-after: avoid;" in style
    assert "thead th { background: var(--pale); white-space: nowrap; }" in style
    assert "print-color-adjust: exact" in style
    assert page.count('<section class="question-section"') == 5


def test_html_is_deterministic_and_takes_a_meeting_date(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    assert render(result) == render(result)
    later = HtmlPaper(meeting=dt.date(2026, 10, 15)).render(result, RenderOptions())
    cover = text_of(later.split("</header>")[0])
    assert "Meeting 15 October 2026" in cover
    assert f"Position as at {paper.long_date(result.as_of)}" in cover


def test_user_text_is_escaped(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    first = result.categories[3]
    crit = dataclasses.replace(first.criteria[0], message=EVIL, owners=(EVIL,))
    cat = dataclasses.replace(first, criteria=(crit, *first.criteria[1:]))
    evil = dataclasses.replace(
        result, organisation=dataclasses.replace(result.organisation, name=EVIL), file=EVIL,
        categories=(*result.categories[:3], cat, *result.categories[4:]))
    page = render(evil)
    check(page)
    assert html.escape(EVIL) in page
    assert "<b>" not in page and "<script" not in page


def test_waived_and_inconclusive(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    cat = result.categories[4]
    waiver = AppliedWaiver("PF01", "Exit terms under negotiation", "Company Secretary",
                           "Audit Committee", dt.date(2027, 3, 31), False, 12)
    expired = AppliedWaiver("PF03", "KPIs agreed next quarter", "Chief Operating Officer",
                            "Board", dt.date(2026, 6, 30), True, 20)
    criteria = tuple(
        dataclasses.replace(c, status="waived", waiver=waiver) if c.id == "PF01" else
        dataclasses.replace(c, waiver=expired) if c.id == "PF03" else c
        for c in cat.criteria)
    resourcing = result.categories[2]
    na = tuple(dataclasses.replace(c, status="not_applicable") for c in resourcing.criteria)
    changed = dataclasses.replace(result, categories=(
        *result.categories[:2],
        dataclasses.replace(resourcing, criteria=na, score=None, rating="inconclusive",
                            evidence_coverage=None,
                            explanation="inconclusive: no criterion applies"),
        result.categories[3], dataclasses.replace(cat, criteria=criteria)))
    page = render(changed)
    check(page)
    body = section(page, "q-performance_fallback")
    assert body.index(f">{paper.GAPS_HEADING}</h4>") < body.index(">Waived</h4>") \
        < body.index(f">{paper.MET_HEADING}</h4>")
    waived = body[body.index(">Waived</h4>"):body.index(f">{paper.MET_HEADING}</h4>")]
    assert 'id="c-PF01"' in waived
    assert "Exit terms under negotiation" in waived and "31 March 2027" in waived
    assert "expired on 30 June 2026 and no longer applies" in body
    summary = section(page, "summary")
    assert ('<td class="rating rating-inconclusive">Inconclusive<span class="reason">no '
            "criterion applies</span></td>") in summary
    assert re.search('<td class="num">no score</td>\\s*<td class="num">—</td>', summary)
    assert "has no score and is left out of the overall score" in text_of(
        section(page, "q-resourcing"))


def test_fewer_than_five_gaps_and_none(results: dict[str, Result]) -> None:
    result = results["strong-acute-ft"]
    keep = {c.id for c in result.gaps_by_points()[:2]}
    cats = tuple(dataclasses.replace(cat, criteria=tuple(
        c if c.id in keep or not c.points_available else
        dataclasses.replace(c, status="met", points_available=0.0) for c in cat.criteria))
        for cat in result.categories)
    two = dataclasses.replace(result, categories=cats)
    page = render(two)
    assert ">The two gaps that would add most to the score</h3>" in page
    assert len(re.findall(r'<tr data-criterion="', page)) == 2
    cats = tuple(dataclasses.replace(cat, criteria=tuple(
        dataclasses.replace(c, status="met", points_available=0.0)
        if c.points_available else c for c in cat.criteria)) for cat in result.categories)
    page = render(dataclasses.replace(result, categories=cats))
    check(page)
    assert "No gaps: every applicable criterion is met." in page


# --- Word --------------------------------------------------------------------------------


def word_headings(data: bytes) -> list[tuple[str, str]]:
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


@pytest.mark.parametrize("name", NAMES)
def test_word_paper_has_real_headings_in_the_html_order(
        results: dict[str, Result], name: str) -> None:
    pytest.importorskip("docx")
    result = results[name]
    headings = word_headings(DocxPaper().render_bytes(result, RenderOptions()))
    assert headings[0] == ("Title", paper.TITLE)
    top = [text for style, text in headings if style == "Heading 1"]
    assert top == [paper.SUMMARY, paper_model.FINDINGS_APPENDIX,
                   paper_model.ARRANGEMENTS_APPENDIX, paper_model.METHOD_APPENDIX]
    questions = [text for style, text in headings if style == "Heading 2"
                 and text[:1].isdigit()]
    assert questions == [f"{n}. {cat.title}\n{cat.board_question}"
                         for n, cat in enumerate(result.categories, 1)]
    # The same headings, in the same order, as the HTML paper's h1 to h5.
    level = {"Title": "h1", "Heading 1": "h2", "Heading 2": "h3", "Heading 3": "h4",
             "Heading 4": "h5"}
    page_headings = check(render(result)).headings
    assert [level[style] for style, _ in headings] == [tag for tag, _ in page_headings]
    assert [text.replace("\n", ": ") for _, text in headings] == [
        text for _, text in page_headings]


def test_word_paper_content_and_properties(results: dict[str, Result]) -> None:
    docx = pytest.importorskip("docx")
    result = results[MIDDLING]
    document = docx.Document(io.BytesIO(DocxPaper().render_bytes(result, RenderOptions())))
    props = document.core_properties
    day = result.as_of
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    assert props.author == "boardcheck"
    assert props.revision == 1
    assert props.created == props.modified == props.last_printed == midnight
    section_ = document.sections[0]
    assert (round(section_.page_width.mm), round(section_.page_height.mm)) == (210, 297)
    starts = [p.text.split("\n")[0] for p in document.paragraphs
              if p.paragraph_format.page_break_before]
    # The appendices start a page after the cover paper; the later ones follow on (a page
    # each left most of it blank).
    assert starts == [paper_model.FINDINGS_APPENDIX]
    gaps = document.tables[3]
    titles = [row.cells[1].text.split("\n")[0] for row in gaps.rows[1:]]
    assert titles == [c.title for c in result.gaps_by_points()[:5]]
    ratings = document.tables[2]
    assert [row.cells[3].text.split("\n")[0] for row in ratings.rows[1:]] == [
        paper.rating_label(cat.rating) for cat in result.categories]
    assert [row.cells[2].text for row in ratings.rows[1:]] == [
        f"{cat.evidence_coverage:.1f}%" for cat in result.categories]
    capped = next(row.cells[3].text for row, cat in zip(ratings.rows[1:], result.categories,
                                                        strict=True) if cat.capped_by)
    assert capped.startswith("Amber\ncapped by \u201cTerms of reference reviewed")
    text = "\n".join(p.text for p in document.paragraphs)
    for c in result.criteria:
        if c.owners and c.status in ("not_met", "partly_met"):
            assert f"Owner: {paper.owner_line(c)}" in text
            assert f"Action: {c.action}" in text
    assert paper.overall_headline(result) in text
    assert f"{paper.rating_label(result.overall.rating)}, score " in text


def test_word_paper_is_deterministic(results: dict[str, Result]) -> None:
    pytest.importorskip("docx")
    result = results["weak-acute"]
    assert DocxPaper().render_bytes(result, RenderOptions()) == \
        DocxPaper().render_bytes(result, RenderOptions())


def test_word_paper_refuses_text_and_names_the_missing_extra(
        results: dict[str, Result], monkeypatch: pytest.MonkeyPatch) -> None:
    from boardcheck.formats import docx_paper

    with pytest.raises(TypeError, match="render_bytes"):
        docx_paper.FORMAT.render(results[MIDDLING], RenderOptions())
    monkeypatch.setattr(docx_paper, "HAVE_DOCX", False)
    with pytest.raises(MissingExtra, match=r"pip install 'boardcheck\[docx\]'"):
        docx_paper.FORMAT.render_bytes(results[MIDDLING], RenderOptions())


# --- a real browser ------------------------------------------------------------------------

@pytest.mark.skipif(not HAVE_BROWSER, reason="install Debian packages chromium and poppler-utils")
def test_paper_prints_to_a4_pdf_in_chromium(results: dict[str, Result], tmp_path: Path) -> None:
    result = results[MIDDLING]
    page = tmp_path / "paper.html"
    page.write_text(render(result), encoding="utf-8")
    pdf = tmp_path / "paper.pdf"
    run = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists() and pdf.stat().st_size > 0, run.stderr
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert result.organisation.name in " ".join(first.split())
    assert "Executive summary" in first
    assert paper.rating_label(result.overall.rating) in first
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert pages is not None and int(pages.group(1)) >= 3
    assert "(A4)" in info


def console_lines(tmp_path: Path, document: str) -> tuple[str, list[str]]:
    """The DOM Chromium built from `document`, and the console lines that name the page.

    Chromium logs console messages (console.error and uncaught exceptions included) as
    `INFO:CONSOLE...` lines with the page as their source; the paper has no script, so any
    such line means something failed."""
    page = tmp_path / "paper.html"
    page.write_text(document, encoding="utf-8")
    run = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    return run.stdout, [line for line in run.stderr.splitlines()
                        if ("Uncaught" in line or "CONSOLE" in line) and "paper.html" in line]


@pytest.mark.skipif(not HAVE_BROWSER, reason="install Debian packages chromium and poppler-utils")
def test_paper_loads_in_chromium_without_console_errors(
        results: dict[str, Result], tmp_path: Path) -> None:
    dom, noisy = console_lines(tmp_path, render(results[MIDDLING]))
    assert "Executive summary" in dom
    assert not noisy, noisy
    # The check itself can see an error: a page that throws is caught.
    _, noisy = console_lines(tmp_path, "<!DOCTYPE html><title>t</title><script>nope();</script>")
    assert any("Uncaught ReferenceError" in line for line in noisy)


# --- the verdict: insufficient evidence, placeholders, declarations ------------------------


def evaluate_fixture(name: str) -> Result:
    path = ROOT / "tests" / "fixtures" / "trusts" / name
    trust, source = load(path, TrustDescription, display=f"tests/fixtures/trusts/{name}")
    assert trust.as_of is not None
    return evaluate(trust, source, load_questionnaire(), trust.as_of)


def test_insufficient_evidence_is_its_own_word_and_colour() -> None:
    result = evaluate_fixture("thin.yaml")
    assert result.overall.rating == "insufficient_evidence"
    page = render(result)
    check(page)
    summary = section(page, "summary")
    assert '<div class="overall rating-insufficient_evidence">' in summary
    assert (f"Overall readiness: Insufficient evidence, score {result.overall.score:.1f} out "
            f"of 100; {result.overall.evidence_coverage:.1f}% of the weight evidenced"
            ) in summary
    reason = result.overall.explanation.removeprefix("insufficient evidence: ")
    assert (f"Rated Insufficient evidence: {reason}. This is not a Red, Amber or Green rating: "
            "the file records too little to rate, and silence is not taken as failure or "
            "success.") in text_of(summary)
    assert '<td class="rating rating-insufficient_evidence">Insufficient evidence<span' in summary
    style = page[page.index("<style>"):page.index("</style>")]
    assert ".rating-insufficient_evidence { background: repeating-linear-gradient(" in style
    assert "insufficient_evidence</" not in page  # never the identifier as text


def test_placeholders_in_plain_words_with_lines_only_in_the_appendix() -> None:
    result = evaluate_fixture("declared.yaml")
    page = render(result)
    check(page)
    summary = section(page, "summary")
    assert text_of(summary).count(
        "The file still holds one example value from the template rather than the trust's "
        "own details (“Non-executive director name”). They are not counted as evidence; the "
        "appendix lists where they are.") == 1
    assert "ned_lead_for_collaboration" not in summary
    appendix = section(page, "appendix")
    assert ('<tr><th scope="row"><code>board_oversight.ned_lead_for_collaboration</code></th>'
            '<td class="num">43</td><td>Non-executive director name</td></tr>') in appendix


def test_declarations_and_challenges_are_shown() -> None:
    result = evaluate_fixture("declared.yaml")
    page = render(result)
    words = text_of(section(page, "q-proportionate_infrastructure"))
    assert ("Terms of reference approved by every member board (declared not applicable "
            "for Harrowfield Place Partnership: It meets under the council's terms of "
            "reference, which partner boards do not approve)") in words
    block = section(page, "q-performance_fallback")
    block = block[block.index('id="c-PF06"'):]
    assert '<span class="flag">Declaration challenged</span>' in block
    assert ("Challenged: The file declares this not applicable, but its own facts say "
            "otherwise, so it was judged all the same: Kestrel Vale Acute Joint Committee: "
            "declared not applicable (Partners cover for each other informally)") in text_of(
                block)


def test_word_paper_shows_coverage_insufficient_evidence_and_placeholders() -> None:
    docx = pytest.importorskip("docx")
    thin = evaluate_fixture("thin.yaml")
    document = docx.Document(io.BytesIO(DocxPaper().render_bytes(thin, RenderOptions())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert paper.overall_headline(thin) in text
    assert "Insufficient evidence, score" in text
    assert f"{thin.categories[0].evidence_coverage:.1f}% of the weight evidenced; rated " \
           "Insufficient evidence" in text
    declared = evaluate_fixture("declared.yaml")
    document = docx.Document(io.BytesIO(DocxPaper().render_bytes(declared, RenderOptions())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "“Non-executive director name”" in text
    rows = [[cell.text for cell in row.cells] for table in document.tables
            for row in table.rows]
    assert ["board_oversight.ned_lead_for_collaboration", "43",
            "Non-executive director name"] in rows


# --- board language: the paper speaks the board's words, not the file's -------------------

# A field path as the checks write one ("delegation.reserved_matters", "objectives[0]"), a
# snake_case key, a line number, a criterion id: none belongs in the paper's body.
FIELD_PATH = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
LINE = re.compile(r"\bline \d+")
CRITERION_ID = re.compile(r"\b[A-Z]{2}[0-9]{2}\b")


METHOD = '<section class="appendix" id="appendix"'


def html_body(page: str) -> str:
    """The paper's body as text: the cover paper and the findings and arrangements
    appendices (only the method appendix keeps ids and lines, for traceability)."""
    return text_of(page[page.index("<body>"):page.index(METHOD)])


def html_findings(page: str) -> list[str]:
    """The text of every finding, action and owner field in the body."""
    body = page[page.index("<body>"):page.index(METHOD)]
    return [text_of(m) for m in re.findall(
        r'<(?:p|div) class="field (?:finding|action|owner)">(.*?)</(?:p|div)>', body, re.S)]


def word_body(data: bytes) -> str:
    """The Word paper's text in document order, paragraphs and tables, up to the appendix."""
    docx = pytest.importorskip("docx")
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = Paragraph(child, document).text
            if text == paper_model.METHOD_APPENDIX:
                break
            out.append(text)
        elif child.tag.endswith("}tbl"):
            out += [cell.text for row in Table(child, document).rows for cell in row.cells]
    return "\n".join(out)


def assert_board_language(text: str, result: Result) -> None:
    # The cover names the source file ("weak-acute.yaml"): a name, and the one dotted word.
    assert text.count(paper.file_name(result)) == 1
    text = text.replace(paper.file_name(result), "")
    assert "collaboratives[" not in text
    assert "`" not in text
    assert not FIELD_PATH.findall(text), FIELD_PATH.findall(text)
    assert not SNAKE.findall(text), SNAKE.findall(text)
    assert not LINE.findall(text), LINE.findall(text)
    for a in result.arrangements:
        assert not re.search(rf"(?<![\w-]){re.escape(a.id)}(?![\w-])", text), a.id


@pytest.mark.parametrize("name", NAMES)
def test_html_body_has_no_paths_ids_or_line_numbers(results: dict[str, Result],
                                                    name: str) -> None:
    result = results[name]
    page = render(result)
    body = html_body(page)
    assert_board_language(body, result)
    # Criterion ids stay in the appendix, for traceability, and out of the body.
    main = body[body.index(paper.SUMMARY):]
    assert not CRITERION_ID.findall(main), CRITERION_ID.findall(main)
    assert CRITERION_ID.findall(text_of(section(page, "appendix")))
    findings = html_findings(page)
    assert findings
    for text in findings:
        assert not FIELD_PATH.search(text), text
    # Findings name the arrangements by name.
    joined = " ".join(findings)
    gapped = {p.arrangement for c in result.criteria for p in c.part_owners
              if c.status in ("not_met", "partly_met", "not_evidenced")
              and p.arrangement is not None}
    assert gapped
    for index in gapped:
        assert result.arrangements[index].name in joined


@pytest.mark.parametrize("name", NAMES)
def test_word_body_has_no_paths_ids_or_line_numbers(results: dict[str, Result],
                                                    name: str) -> None:
    pytest.importorskip("docx")
    result = results[name]
    text = word_body(DocxPaper().render_bytes(result, RenderOptions()))
    assert_board_language(text, result)
    main = text[text.index(paper.SUMMARY):]
    assert not CRITERION_ID.findall(main), CRITERION_ID.findall(main)
    for a in {a.name for c in result.criteria for p in c.part_owners
              if p.arrangement is not None for a in [result.arrangements[p.arrangement]]}:
        assert a in main
    # The cover: the position's date, no meeting, and the file's name only.
    cover = text[:text.index(paper.SUMMARY)]
    assert "Meeting" not in cover
    assert f"Position as at {paper.long_date(result.as_of)}" in cover
    assert f"{name}.yaml" in cover and "examples/" not in cover


def test_the_meeting_is_on_the_cover_only_when_given(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    meeting = dt.date(2026, 11, 26)
    page = HtmlPaper(meeting=meeting).render(result, RenderOptions())
    assert '<p class="meeting">Board meeting, 26 November 2026</p>' in page
    assert "<title>Governance of collaborative arrangements: assurance report: Marrowdene " \
           "Community and Mental Health NHS Trust, 26 November 2026</title>" in page
    assert "position as at" in render(result).split("</title>")[0]
    pytest.importorskip("docx")
    text = word_body(DocxPaper(meeting=meeting).render_bytes(result, RenderOptions()))
    assert "Board meeting, 26 November 2026" in text
    assert "Meeting\n26 November 2026" in text


def test_source_file_is_its_name_whatever_was_typed(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    for typed in ("/home/jo.bloggs/Documents/board/trust.yaml", r"C:\Users\jo\trust.yaml",
                  "trust.yaml"):
        page = render(dataclasses.replace(result, file=typed))
        assert "Source file trust.yaml Prepared" in text_of(page.split("</header>")[0])
        assert "bloggs" not in page and "Users" not in page and "Documents" not in page


@pytest.mark.parametrize(("kind", "model", "role", "words"), [
    ("place_based_partnership", "advisory_forum", "member",
     "Place-based partnership as an advisory forum; the trust is a member"),
    ("lead_provider_contract", "lead_provider", "lead",
     "Lead provider contract through a lead provider; the trust leads"),
    ("joint_committee", "joint_committee", "host", "Joint committee; the trust hosts"),
    ("specialised_mhlda_collaborative", None, None,
     "Specialised mental health, learning disability and autism provider collaborative"),
])
def test_arrangement_types_in_words(kind: str, model: str | None, role: str | None,
                                    words: str) -> None:
    assert paper.arrangement_line(kind, model, role) == words


@pytest.mark.parametrize("name", NAMES)
def test_arrangements_table_gives_types_in_words(results: dict[str, Result], name: str) -> None:
    result = results[name]
    table = section(render(result), "appendix-arrangements")
    table = text_of(table[table.index('<table class="arrangements">'):])
    for a in result.arrangements:
        words = paper.ARRANGEMENT_TYPES[a.type]
        assert a.type not in table
        assert words.lower() in table.lower()
        if words != a.type.replace("_", " "):  # "place based partnership", "mhlda"
            assert a.type.replace("_", " ") not in table.lower()


def test_middling_findings_read_as_a_board_would(results: dict[str, Result]) -> None:
    result = results[MIDDLING]
    by_id = {c.id: c for c in result.criteria}
    assert paper.finding_sentences(by_id["PI05"], result) == [
        "The file does not record reserved matters for Marrowdene Place Forum."]
    assert paper.finding_sentences(by_id["PI14"], result) == [
        "The file records the number of collaboration reports the board receives a year as 2, "
        "below the minimum of 4."]
    assert paper.finding_sentences(by_id["PI04"], result) == [
        "Northmarch Adult Secure and CAMHS Inpatient Provider Collaborative: review was due "
        "1 April 2025, 18 months overdue."]
    assert paper.finding_sentences(by_id["RM04"], result) == [
        "BAF-03: the file records the last review on 12 June 2026, more than 3 months before "
        "1 October 2026."]
    # A not-evidenced finding says the file does not record it; never that it is absent.
    for c in result.criteria:
        if c.status == "not_evidenced":
            for sentence in paper.finding_sentences(c, result):
                assert "not record" in sentence or "is not recorded" in sentence \
                    or "is recorded" in sentence, sentence


def test_each_arrangement_part_has_its_own_owner(results: dict[str, Result]) -> None:
    path = ROOT / "examples" / f"{MIDDLING}.yaml"
    trust, source = load(path, TrustDescription, display=path.name)
    first, second = trust.collaboratives
    assert second.resourcing is not None and second.resourcing.executive_lead is not None
    leaderless = second.model_copy(update={
        "resourcing": second.resourcing.model_copy(update={"executive_lead": None})})
    trust = trust.model_copy(update={"collaboratives": [first, leaderless]})
    assert trust.as_of is not None and trust.board_oversight is not None
    ned = trust.board_oversight.ned_lead_for_collaboration
    result = evaluate(trust, source, load_questionnaire(), trust.as_of)
    pf01 = paper.criterion_by_id(result, "PF01")
    assert pf01 is not None
    assert [(p.part, p.owner, p.arrangement) for p in pf01.part_owners] == [
        (first.name, "Sunita Varghese-Lowe", 0), (second.name, ned, 1)]
    # One arrangement's lead is never given the other's part.
    assert paper.owner_line(pf01) == (f"Sunita Varghese-Lowe for {first.name}; {ned} for "
                                      f"{second.name}")
    assert f"{ned} for {second.name}" in render(result)
    # Trust-wide and BAF risk parts: the NED lead, and the risk's owner.
    sa09 = results[MIDDLING].criteria[8]
    assert sa09.id == "SA09"
    assert [(p.part, p.owner) for p in sa09.part_owners] == [("", ned)]
    rm04 = paper.criterion_by_id(results[MIDDLING], "RM04")
    assert rm04 is not None
    assert [(p.part, p.owner) for p in rm04.part_owners] == [
        ("BAF risk BAF-03", "Director of Strategy and Partnerships")]
    # No one named: said so as an action for the board, never left blank or invented.
    nobody = dataclasses.replace(pf01, part_owners=tuple(
        dataclasses.replace(p, owner=None) for p in pf01.part_owners))
    assert paper.owner_line(nobody) == "Not named in the file: the board to assign an owner."
    assert paper.owners_text(nobody) == "Not named: the board to assign"
    # One part named, the other not: the named lead for theirs, the board for the rest.
    half = dataclasses.replace(pf01, part_owners=(
        pf01.part_owners[0], dataclasses.replace(pf01.part_owners[1], owner=None)))
    assert paper.owner_line(half) == (f"Sunita Varghese-Lowe for {first.name}; the board to "
                                      f"assign an owner for {second.name}")
    assert paper.owners_text(half) == ("Sunita Varghese-Lowe; the board to assign an owner "
                                       "for the rest")


def test_a_file_naming_no_lead_asks_the_board_to_assign_owners(tmp_path: Path) -> None:
    # weak-acute names no executive or NED lead (only its BAF risks' owners): every other
    # gap's owner is for the board to assign, in the cover's table and in appendix A, in
    # every rendering.
    weak = ROOT / "examples" / "weak-acute.yaml"
    markdown = run_cli("check", str(weak), "-f", "markdown-paper")
    assert markdown.exit_code == 0
    rows = [line for line in markdown.stdout.splitlines() if re.match(r"\| \d+ \|", line)]
    assert rows and all(" | Not named: the board to assign | " in row for row in rows)
    owners = [line for line in markdown.stdout.splitlines() if line.startswith("- Owner:")]
    assert set(owners) == {
        "- Owner: Not named in the file: the board to assign an owner.",
        "- Owner: Chief Finance Officer for BAF risk BAF-3; Chief Nurse for BAF risk BAF-4"}
    html_paper = run_cli("check", str(weak), "-f", "html").stdout
    assert "<td>\u2014</td>" not in html_paper and "No owner" not in html_paper
    assert "<td>Not named: the board to assign</td>" in html_paper
    out = tmp_path / "weak.docx"
    assert run_cli("check", str(weak), "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Not named: the board to assign" in body and "No owner" not in body


def test_every_built_in_criterion_has_a_governance_action() -> None:
    questionnaire = load_questionnaire()
    for criterion in questionnaire.criteria:
        action = criterion.spec.action
        assert action, criterion.spec.id
        assert "`" not in action and not FIELD_PATH.search(action), criterion.spec.id
        assert not SNAKE.search(action), criterion.spec.id
        assert not re.search(r"\brecord\b", action, re.I), criterion.spec.id
    result = evaluate_example(EXAMPLES[0])
    by_id = {c.spec.id: c.spec.action for c in questionnaire.criteria}
    assert all(c.action == by_id[c.id] for c in result.criteria)


@pytest.mark.parametrize(("remediation", "action"), [
    ("Agree with partners which matters stay with each member board, then record them in "
     "`delegation.reserved_matters`.",
     "Agree with partners which matters stay with each member board."),
    ("Put a report on the board's forward plan and record how many in "
     "`board_oversight.collaboration_reports_per_year`.",
     "Put a report on the board's forward plan."),
    ("Record the forum in `decision_making.forum`.", "Record the forum in forum."),
    ("No fields here.", "No fields here."),
])
def test_a_questionnaire_without_actions_falls_back_to_the_remediation(
        results: dict[str, Result], remediation: str, action: str) -> None:
    c = dataclasses.replace(results[MIDDLING].criteria[0], action="", remediation=remediation)
    assert paper.action_text(c) == action


def test_word_paper_of_a_long_organisation_name_is_written(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from tests.conftest import run_cli

    name = "A" * 200
    text = (ROOT / "examples" / "middling-community-mh.yaml").read_text(encoding="utf-8")
    trust = tmp_path / "long.yaml"
    trust.write_text(re.sub(r"(?m)^  name: .*$", f"  name: {name}", text, count=1),
                     encoding="utf-8")
    out = tmp_path / "long.docx"
    run = run_cli("check", str(trust), "-f", "docx", "-o", str(out))
    assert (run.exit_code, run.stderr) == (0, f"wrote board paper (Word) to {out}\n")
    document = docx.Document(str(out))
    title = document.core_properties.title
    assert (len(title), title[-2:]) == (255, "A…")
    assert name in "\n".join(p.text for p in document.paragraphs)


def test_word_paper_declares_british_english(results: dict[str, Result]) -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    data = DocxPaper().render_bytes(results[MIDDLING], RenderOptions())
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.language == "en-GB"
    langs = {el.get(qn("w:val")) for el in document.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}


def test_partners_differences_are_text_in_every_paper(results: dict[str, Result]) -> None:
    """What other members' files state reaches a member's paper as text: escaped in HTML,
    in markdown a table cell that cannot break the table, in Word the characters as given."""
    from boardcheck.formats.base import PaperSettings, PartnerDifference
    from boardcheck.formats.markdown_paper import FORMAT as MARKDOWN

    difference = PartnerDifference(EVIL, True, "exit notice period (months)", "notice_months",
                                   "12", ((f"{EVIL} | x", "6"),))
    options = RenderOptions(paper=PaperSettings(partners=(difference,)))
    page = FORMAT.render(results[MIDDLING], options)
    check(page)
    assert html.escape(EVIL) in page and "<script" not in page
    text = MARKDOWN.render(results[MIDDLING], options)
    row = next(line for line in text.splitlines() if "Exit notice period" in line)
    assert row.count(" | ") == 3 and row.startswith("| ") and row.endswith(" |")
    assert "<script>" not in text and "\\<script\\>" in text
    pytest.importorskip("docx")
    import docx

    document = docx.Document(io.BytesIO(DocxPaper().render_bytes(results[MIDDLING], options)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Arrangement")
    assert [c.text for c in table.rows[1].cells] == [
        f"{EVIL}\n{paper.PROBABLE_MATCH}", "Exit notice period (months)", "12",
        f"{EVIL} | x: 6"]
