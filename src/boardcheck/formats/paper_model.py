"""The board paper built once from a result: every section, finding, owner and action in the
board's words, in running order. The HTML (Jinja templates), Word and markdown renderings
only lay it out, so wording and order live here and in `paper`.

The paper has two parts. The cover paper (cover sheet, summary, the five questions at a
glance, top gaps, questions for the board, the recommendation; movement and the forward look
when given) is what a board reads; the appendices hold the detail, and `--summary` leaves
them out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from boardcheck import __version__
from boardcheck.diff import Diff, arrow
from boardcheck.formats import paper, wording
from boardcheck.formats.base import PaperSettings, RenderOptions
from boardcheck.result import CategoryResult, CriterionResult, Result

PURPOSES = {"approval": "For approval", "assurance": "For assurance",
            "discussion": "For discussion", "information": "For information"}
GLANCE_HEADING = "The five questions at a glance"
GLANCE_CAPTION = "Score, evidence coverage and rating of each board question"
AAA_HEADING = "Alert, advise, assure"
RECOMMENDATION_HEADING = "Recommendation"
MOVEMENT_HEADING = "Movement since the last board"
TREND_HEADING = "Trend across boards"
DUE_HEADING = "Falling due"
FINDINGS_APPENDIX = "Appendix A: findings by board question"
ARRANGEMENTS_APPENDIX = "Appendix B: the collaborative arrangements covered"
METHOD_APPENDIX = "Appendix C: method and criteria"
SUMMARY_ONLY_NOTE = ("This is the cover paper only: the findings by board question, the "
                     "arrangements covered and the method are in the full paper's appendices.")
MOST = 4  # names listed in an alert/advise/assure line before "and N more"


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Glance:
    """One board question at a glance: the summary table's row and the chart's bar."""

    number: int
    anchor: str
    title: str
    question: str
    score: float | None
    score_text: str
    coverage: float | None
    coverage_text: str
    rating: str
    rating_label: str
    reason: str | None
    move: str  # "↑ 4.2", or "" without a baseline
    was: str  # "was 70.0 Amber", or ""


@dataclass(frozen=True, slots=True)
class GapRow:
    number: int
    id: str
    title: str
    question: str
    status: str
    status_label: str
    not_evidenced: bool
    severity: str
    owner: str
    points: str
    ask: str
    action: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One criterion under a board question, as the appendix presents it."""

    id: str
    title: str
    status: str
    status_label: str
    tags: tuple[str, ...]  # after the status: flags, severity, points
    sentences: tuple[str, ...]
    challenged: str | None
    excluded: str | None
    waived: bool
    waiver_lines: tuple[str, ...]
    ask: str
    action: str
    owner: str | None


FLAGS = ("Not evidenced", "Declaration challenged")


@dataclass(frozen=True, slots=True)
class SilentItem:
    """A criterion a thin file says nothing on, as one line of its question's list: its
    title, severity and points, and what the file does not record, every arrangement
    named; its owner only where the items' owners differ (else once, over the list)."""

    id: str
    title: str
    tags: tuple[str, ...]
    text: str
    owner: str | None


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    anchor: str
    id: str
    title: str
    question: str
    status_line: str
    rating: str
    rating_label: str
    cap: str | None
    counts: str
    gaps: tuple[Finding, ...]
    waived: tuple[Finding, ...]
    met: tuple[str, ...]
    not_applicable: tuple[str, ...]
    # A thin file's paper (paper.is_thin): what the file is silent on, as one list, then
    # `stated` under `gaps_heading`: only what the file states failing (or challenges).
    # Otherwise `silent` is empty and `stated` is every gap, under paper.GAPS_HEADING.
    # `gaps` keeps every gap as a finding, for a --template written before the list.
    stated: tuple[Finding, ...] = ()
    silent: tuple[SilentItem, ...] = ()
    silent_lead: str | None = None
    silent_owner: str | None = None  # the owner of every item, when they share one
    gaps_heading: str = paper.GAPS_HEADING
    no_gaps: str = paper.NO_GAPS


@dataclass(frozen=True, slots=True)
class Trend:
    """Each board question's score at each board, earliest first: the trend chart."""

    labels: tuple[str, ...]
    # (question title, scores by board, ratings by board)
    series: tuple[tuple[str, tuple[float | None, ...], tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class DueRow:
    date: str
    group: str
    what: str


@dataclass(frozen=True, slots=True)
class Arrangement:
    name: str
    form: str


@dataclass(frozen=True, slots=True)
class CriterionLine:
    id: str
    title: str
    severity: str
    weight: str
    status: str


@dataclass(frozen=True, slots=True)
class CriteriaTable:
    caption: str
    rows: tuple[CriterionLine, ...]


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """One fact other members state differently: the arrangement, the fact, this file's
    value and each other member's ("Marrowdene Community NHS Trust: 6")."""

    arrangement: str
    matched: str | None  # how the files were matched, when not by a shared code
    fact: str
    ours: str
    theirs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlaceholderLine:
    path: str
    line: str
    value: str


@dataclass(frozen=True, slots=True)
class Paper:
    """The whole paper, in order; a rendering lays it out and adds nothing of its own."""

    title: str
    document_title: str
    organisation: str
    meeting_line: str
    marking: str | None
    cover: tuple[Row, ...]
    overall_rating: str
    overall_headline: str
    overall_note: str | None
    overall_move: str
    alert: tuple[str, ...]
    advise: tuple[str, ...]
    assure: tuple[str, ...]
    glance: tuple[Glance, ...]
    # The questionnaire's thresholds for a board question (None: the result has none).
    amber_from: float | None
    green_from: float | None
    since: str | None  # the last board, in a sentence ("the board of 30 July 2026")
    gaps_heading: str
    gaps: tuple[GapRow, ...]
    placeholders: str | None
    recommendation: str
    movement: tuple[str, ...]
    trend: Trend | None
    due: tuple[DueRow, ...]
    due_note: str | None
    summary_only: bool
    sections: tuple[Section, ...]
    arrangements: tuple[Arrangement, ...]
    method: tuple[str, ...]
    criteria: tuple[CriteriaTable, ...]
    placeholder_lines: tuple[PlaceholderLine, ...]
    placeholder_lead: str
    footer: str
    logo: bytes | None = field(default=None, repr=False)
    logo_type: str = "image/png"
    # Facts other members of a batch state differently, and what the board should do.
    partners: tuple[PartnerRow, ...] = ()
    partners_note: str | None = None


def _more(names: list[str]) -> str:
    shown = [f"\u201c{n}\u201d" for n in names[:MOST]]
    rest = len(names) - MOST
    if rest > 0:
        return paper.and_list([*shown, f"{rest} more"])
    return paper.and_list(shown)


def alert_advise_assure(result: Result) -> tuple[tuple[str, ...], tuple[str, ...],
                                                 tuple[str, ...]]:
    """Alert: what the file states is failing on critical criteria, and red questions;
    advise: what the file does not evidence; assure: the questions rated green and what is
    met. Each line states only what the file states."""
    alert: list[str] = []
    red = [cat for cat in result.categories if cat.rating == "red"]
    if len(red) == 1:  # one: why, too
        reason = paper.rating_reason(red[0].rating, red[0].explanation)
        alert.append(f"{red[0].title} is rated Red" + (f": {reason}." if reason else "."))
    elif red:
        alert.append(f"Rated Red: {paper.and_list([cat.title for cat in red])}.")
    failing = [c.title for c in result.criteria
               if c.severity == "critical" and c.status == "not_met" and c.evidenced]
    if failing:
        alert.append(f"The file states a failing value for {len(failing)} critical "
                     f"criteri{'on' if len(failing) == 1 else 'a'}: {_more(failing)}.")
    advise: list[str] = []
    for cat in result.categories:
        if cat.rating == "insufficient_evidence":
            advise.append(f"{cat.title} cannot be rated: the file evidences "
                          f"{wording.coverage_number(cat.evidence_coverage)} of its weight.")
    silent = [c.title for c in result.criteria if c.status == "not_evidenced"]
    if silent:
        advise.append(f"The file does not record evidence for {len(silent)} "
                      f"criteri{'on' if len(silent) == 1 else 'a'}, including "
                      f"{_more(silent)}; silence is counted as a gap, not as a failure "
                      "shown.")
    if result.placeholders:
        advise.append("The file still holds example values from the template; they are not "
                      "counted as evidence.")
    assure: list[str] = []
    green = [cat.title for cat in result.categories if cat.rating == "green"]
    if green:
        assure.append(f"Rated Green: {paper.and_list(green)}.")
    applicable = [c for c in result.criteria if c.status not in ("not_applicable", "waived")]
    met = [c for c in applicable if c.status == "met"]
    if applicable:
        assure.append(f"{len(met)} of the {len(applicable)} applicable criteria are met.")
    return tuple(alert), tuple(advise), tuple(assure)


def _move_text(movement: Diff | None, ident: str) -> tuple[str, str]:
    """The change of one board question's score, and what it was."""
    if movement is None:
        return "", ""
    move = next((m for m in movement.categories if m.id == ident), None)
    if move is None:
        return "", ""
    return arrow(move.change), (f"was {paper.score_text(move.old_score)} "
                                f"{paper.rating_label(move.old_rating)}")


def _finding(c: CriterionResult, result: Result) -> Finding:
    return Finding(
        id=c.id, title=c.title, status=c.status, status_label=paper.status_label(c),
        tags=tuple(paper.criterion_tags(c)[1:]),
        sentences=tuple(paper.finding_sentences(c, result)),
        challenged=paper.challenged_line(c, result), excluded=paper.exclusions_line(c, result),
        waived=c.status == "waived", waiver_lines=tuple(paper.waiver_lines(c)),
        ask=c.challenge, action=paper.action_text(c), owner=paper.owner_line(c))


def _silent(result: Result, criteria: tuple[CriterionResult, ...]
            ) -> tuple[tuple[SilentItem, ...], str | None]:
    """A thin file's silent criteria as one list, and their owner when they share one."""
    owners = {paper.owner_line(c) for c in criteria}
    shared = owners.pop() if len(owners) == 1 else None
    return tuple(SilentItem(c.id, c.title, paper.silent_tags(c),
                            paper.silent_text(c, result),
                            None if shared is not None else paper.owner_line(c))
                 for c in criteria), shared


def _section(result: Result, n: int, cat: CategoryResult, *, thin: bool = False
             ) -> Section:
    grouped = paper.groups(cat)
    gaps = tuple(_finding(c, result) for c in grouped.gaps)
    stated = gaps
    silent: tuple[SilentItem, ...] = ()
    owner = None
    if thin:
        # A file that records little: a finding, ask and action for each thing it is
        # silent on would repeat one sentence a page at a time. One list of them, then
        # what the file states failing, each in full.
        silent, owner = _silent(result, tuple(c for c in grouped.gaps if paper.is_silent(c)))
        stated = tuple(f for f, c in zip(gaps, grouped.gaps, strict=True)
                       if not paper.is_silent(c))
    return Section(
        number=n, anchor=section_anchor(cat), id=cat.id, title=cat.title,
        question=cat.board_question,
        status_line=(f"Score {paper.score_out_of(cat.score)}; "
                     f"{paper.coverage_text(cat.evidence_coverage)}; rated"),
        rating=cat.rating, rating_label=paper.rating_label(cat.rating),
        cap=paper.cap_sentence(result, cat), counts=paper.status_counts(cat),
        gaps=gaps,
        waived=tuple(_finding(c, result) for c in grouped.waived),
        met=tuple(paper.met_line(c, result) for c in grouped.met),
        not_applicable=tuple(paper.not_applicable_line(c, result)
                             for c in grouped.not_applicable),
        stated=stated, silent=silent, silent_owner=owner,
        silent_lead=paper.silent_lead(len(silent)) if silent else None,
        gaps_heading=paper.STATED_HEADING if thin else paper.GAPS_HEADING,
        no_gaps=paper.NONE_STATED if thin else paper.NO_GAPS)


def section_anchor(cat: CategoryResult) -> str:
    return "q-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in cat.id)


def board_label(meeting: dt.date | None, fallback: str) -> str:
    """A board by its meeting where known ("Board, 26 November 2026"), else by the name its
    saved result was given."""
    return f"Board, {paper.long_date(meeting)}" if meeting is not None else fallback


def _cover_rows(result: Result, meeting: dt.date | None, s: PaperSettings) -> tuple[Row, ...]:
    rows: list[Row] = []

    def add(label: str, value: str | None) -> None:
        if value:
            rows.append(Row(label, value))

    add("Agenda item", s.agenda_item)
    add("Organisation", paper.organisation_line(result))
    add("Meeting", paper.long_date(meeting) if meeting is not None else None)
    add("Report title", paper.TITLE)
    add("Purpose", PURPOSES.get(s.purpose or "assurance", paper.PURPOSE))
    add("Author", s.author)
    add("Executive sponsor", s.sponsor)
    add("Previously considered by", s.previous)
    add("Board assurance framework risks", ", ".join(s.baf_risks) or None)
    add("Recommendation", s.recommendation or paper.RECOMMENDATION_SHORT)
    add("Questionnaire", paper.questionnaire_line(result))
    add("Position as at", paper.position_date(result))
    add(paper.CHECKED_ON, paper.checked_on(result))
    add("Source file", paper.file_name(result))
    add("Prepared with", f"boardcheck {__version__}")
    return tuple(rows)


def _day(movement: Diff) -> dt.date:
    try:
        return dt.date.fromisoformat(movement.old_as_of)
    except ValueError:  # a label, not a date: never in practice
        return dt.date.min


def _movement_lines(movement: Diff, since: str) -> tuple[str, ...]:
    out = [f"Since {since_lower(since)}, overall: "
           f"{paper.score_text(movement.overall.old_score)} "
           f"{paper.rating_label(movement.overall.old_rating)} then, "
           f"now {paper.score_text(movement.overall.new_score)} "
           f"{paper.rating_label(movement.overall.new_rating)}"
           + (f" ({arrow(movement.overall.change)})." if movement.overall.change is not None
              else ".")]
    if movement.newly_met:
        n = len(movement.newly_met)
        out.append(f"Met since then ({n}): {_more([c.title for c in movement.newly_met])}.")
    if movement.newly_not_met:
        n = len(movement.newly_not_met)
        out.append(f"A gap since then ({n}): "
                   f"{_more([c.title for c in movement.newly_not_met])}.")
    if not movement.newly_met and not movement.newly_not_met:
        out.append("No criterion has moved between met and a gap since then.")
    if movement.questionnaire_changed:
        out.append("The questionnaire has changed since then, so some movement may come from "
                   "the questions, not the trust.")
    return tuple(out)


def since_lower(label: str) -> str:
    """A board's label inside a sentence: "Board, 30 July 2026" -> "the board of 30 July
    2026"; a saved result's name as it is."""
    return "the board of " + label.removeprefix("Board, ") if label.startswith("Board, ") \
        else label


def _due_rows(s: PaperSettings, result: Result) -> tuple[tuple[DueRow, ...], str | None]:
    look = s.due
    if look is None:
        return (), None
    from boardcheck.due import GROUP_TITLES

    rows = tuple(DueRow(paper.long_date(i.date), GROUP_TITLES[i.group],
                        paper.plain(i.what, result)) for i in look.items)
    note = (f"Reviews, renewals and expiries the file records as overdue or falling due by "
            f"{paper.long_date(look.until)}.")
    if not rows:
        note = f"Nothing the file records falls due by {paper.long_date(look.until)}."
    return rows, note


def _partner_rows(s: PaperSettings) -> tuple[tuple[PartnerRow, ...], str | None]:
    if not s.partners:
        return (), None
    rows = tuple(
        PartnerRow(d.arrangement, paper.PROBABLE_MATCH if d.probable else None,
                   d.fact[:1].upper() + d.fact[1:], paper.partner_value(d.key, d.ours),
                   tuple(f"{who}: {paper.partner_value(d.key, value)}"
                         for who, value in d.theirs))
        for d in s.partners)
    arrangements = len({d.arrangement for d in s.partners})
    return rows, paper.partners_note(arrangements, any(d.probable for d in s.partners))


def build(result: Result, options: RenderOptions) -> Paper:
    """The paper for `result`, from the render options (meeting, movement, cover sheet)."""
    s = options.paper or PaperSettings()
    meeting = options.meeting
    movement = options.movement
    since = None
    if movement is not None:
        baseline = (f"the position as at {paper.long_date(_day(movement))}"
                    if movement.old_as_of_stated else
                    f"the check of {paper.long_date(_day(movement))}")
        since = since_lower(s.baseline_label or baseline)
    alert, advise, assure = alert_advise_assure(result)
    gaps = paper.top_gaps(result)
    titles = {cat.id: cat.title for cat in result.categories}
    gap_rows = tuple(
        GapRow(number=n, id=c.id, title=c.title, question=titles.get(c.category, c.category),
               status=c.status, status_label=paper.status_label(c),
               not_evidenced=paper.partly_not_evidenced(c),
               severity=paper.SEVERITY_LABELS[c.severity],
               owner=paper.owners_text(c),
               points=paper.points_text(c.points_available), ask=c.challenge,
               action=paper.action_text(c))
        for n, c in enumerate(gaps, 1))
    glance = tuple(
        Glance(number=n, anchor=section_anchor(cat), title=cat.title,
               question=cat.board_question, score=cat.score,
               score_text=paper.score_text(cat.score), coverage=cat.evidence_coverage,
               coverage_text=wording.coverage_number(cat.evidence_coverage),
               rating=cat.rating, rating_label=paper.rating_label(cat.rating),
               reason=paper.rating_reason(cat.rating, cat.explanation),
               move=_move_text(movement, cat.id)[0], was=_move_text(movement, cat.id)[1])
        for n, cat in enumerate(result.categories, 1))
    due, due_note = _due_rows(s, result)
    partners, partners_note = _partner_rows(s)
    trend = None
    if s.history:
        now = board_label(meeting, f"Now ({paper.long_date(result.as_of)})" if
                          result.as_of_stated else
                          f"Now (checked {paper.long_date(result.as_of)})")
        labels = (*(label for label, _ in s.history), now)
        series = []
        for cat in result.categories:
            scores: list[float | None] = []
            ratings: list[str] = []
            for _, saved in s.history:
                old = next((c for c in saved.categories if c.id == cat.id), None)
                scores.append(old.score if old else None)
                ratings.append(old.rating if old else "inconclusive")
            series.append((cat.title, (*scores, cat.score), (*ratings, cat.rating)))
        trend = Trend(labels, tuple(series))
    rules = result.questionnaire.scoring
    placeholders = tuple(PlaceholderLine(*paper.placeholder_row(p))
                         for p in result.placeholders)
    return Paper(
        title=paper.TITLE, document_title=paper.document_title(result, meeting),
        organisation=result.organisation.name,
        meeting_line=paper.meeting_line(result, meeting), marking=s.marking,
        cover=_cover_rows(result, meeting, s),
        overall_rating=result.overall.rating,
        overall_headline=paper.overall_headline(result),
        overall_note=paper.overall_note(result),
        overall_move=(f"{arrow(movement.overall.change)} since {since_lower(since or '')}"
                      if movement is not None and movement.overall.change is not None else ""),
        alert=alert, advise=advise, assure=assure, glance=glance, since=since,
        amber_from=rules.category_amber if rules is not None else None,
        green_from=rules.category_green if rules is not None else None,
        gaps_heading=paper.top_gaps_heading(len(gap_rows)) if gap_rows else "Gaps",
        gaps=gap_rows, placeholders=paper.placeholders_paragraph(result),
        recommendation=s.recommendation or paper.RECOMMENDATION,
        movement=_movement_lines(movement, since or "") if movement is not None else (),
        trend=trend, due=due, due_note=due_note, summary_only=s.summary_only,
        sections=tuple(_section(result, n, cat, thin=paper.is_thin(result))
                       for n, cat in enumerate(result.categories, 1)),
        arrangements=tuple(Arrangement(a.name, paper.arrangement_line(
            a.type, a.governance_model, a.trust_role, a.status)) for a in result.arrangements),
        method=tuple(paper.method_paragraphs(result)),
        criteria=tuple(CriteriaTable(cat.title, tuple(
            CriterionLine(*paper.criterion_row(c)) for c in cat.criteria))
            for cat in result.categories),
        placeholder_lines=placeholders,
        placeholder_lead=f"{wording.PLACEHOLDER_LEAD.capitalize()}.",
        footer=paper.footer_note(), logo=s.logo, logo_type=s.logo_type,
        partners=partners, partners_note=partners_note)


def plain_lines(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", line).strip() for line in lines)
