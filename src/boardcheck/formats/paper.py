"""The board paper's wording and running order, shared by its HTML and Word renderings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from boardcheck import __version__
from boardcheck.formats import wording
from boardcheck.result import (
    STATUS_LABELS,
    ArrangementSummary,
    CategoryResult,
    CriterionResult,
    PartOwner,
    Placeholder,
    Result,
    ScoringRules,
)

TITLE = "Governance of collaborative arrangements: assurance report"
PURPOSE = "For assurance"
SUMMARY = "Executive summary"
RATING_LABELS = {"green": "Green", "amber": "Amber", "red": "Red",
                 "insufficient_evidence": "Insufficient evidence", "inconclusive": "Inconclusive"}
SEVERITY_LABELS = {"critical": "Critical", "major": "Major", "minor": "Minor"}
GAP_STATUSES = wording.GAP_STATUSES
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
TOP_GAPS = 5
_CODE = re.compile(r"`([^`]+)`")


def long_date(day: dt.date) -> str:
    """1 October 2026: month names fixed here, so the locale cannot change the paper."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def score_text(score: float | None) -> str:
    return "no score" if score is None else f"{score:.1f}"


def score_out_of(score: float | None) -> str:
    return "no score" if score is None else f"{score:.1f} out of 100"


def points_text(points: float) -> str:
    return f"+{points:.1f}"


def rating_label(rating: str) -> str:
    return RATING_LABELS.get(rating, rating.capitalize())


def status_label(c: CriterionResult) -> str:
    return STATUS_LABELS[c.status].capitalize()


def not_evidenced(c: CriterionResult) -> bool:
    """A gap from missing information, which boards treat apart from a gap shown."""
    return c.status in GAP_STATUSES and not c.evidenced


def partly_not_evidenced(c: CriterionResult) -> bool:
    """Not met or partly met where what is missing is unrecorded: flagged beside the status
    (a criterion whose status is itself "not evidenced" needs no second flag)."""
    return c.status in ("not_met", "partly_met") and not c.evidenced


def coverage_text(coverage: float | None) -> str:
    """Coverage in words for the paper: "84.4% of the weight evidenced"."""
    if coverage is None:
        return "nothing to evidence"
    return f"{wording.coverage_number(coverage)} of the weight evidenced"


# The engine names a capping criterion "PI04 (Terms of reference ...), not met": the paper's
# body names it by its title only (the appendix keeps the ids).
_CAPPED_BY = re.compile(r"\b[A-Z]{2}[0-9]{2} \((.*)\), (not met|partly met|not evidenced)$")


def rating_reason(rating: str, explanation: str) -> str | None:
    """Why a rating is what it is, naming a capping criterion by its title, not its id."""
    reason = wording.rating_reason(rating, explanation)
    if reason is None:
        return None
    return _CAPPED_BY.sub(lambda m: f"\u201c{m.group(1)}\u201d, {m.group(2)}", reason)


def verdict_sentence(rating: str, explanation: str) -> str | None:
    """Why a rating is what it is, as a sentence: "Rated Red: capped by PI12 (...)."."""
    reason = rating_reason(rating, explanation)
    if not reason:
        return None
    sentence = f"Rated {rating_label(rating)}: {reason}."
    if rating == "insufficient_evidence":
        sentence += (" This is not a Red, Amber or Green rating: the file records too little "
                     "to rate, and silence is not taken as failure or success.")
    return sentence


# Where the file names nobody answerable, the paper says so as an action for the board: a
# board pack needs an owner for every action, and the report may not invent one.
NOT_NAMED = "Not named: the board to assign"  # a table cell: short
NOT_NAMED_LINE = "Not named in the file: the board to assign an owner."
BOARD_TO_ASSIGN = "the board to assign an owner"


def owners_text(c: CriterionResult) -> str:
    """Everyone answerable for some part of the gap, once each: for a summary table. Where
    the file names nobody for a part (or at all), that is an action for the board."""
    if not c.part_owners:
        return ", ".join(c.owners) or NOT_NAMED
    named = ", ".join(dict.fromkeys(p.owner for p in c.part_owners if p.owner))
    if not named:
        return NOT_NAMED
    unnamed = any(p.owner is None for p in c.part_owners)
    return f"{named}; {BOARD_TO_ASSIGN} for the rest" if unnamed else named


def _part_name(part: PartOwner) -> str:
    return part.part or "the trust as a whole"


def owner_line(c: CriterionResult) -> str:
    """Who owns the action, part by part: each arrangement's own executive lead (or the NED
    lead for collaboration where it has none), never one arrangement's lead for another's;
    where the file names nobody, the board is to assign an owner."""
    parts = c.part_owners
    owners = {p.owner for p in parts}
    if not parts or owners == {None}:
        text = owners_text(c)
        return NOT_NAMED_LINE if text == NOT_NAMED else text
    if len(owners) == 1:
        return parts[0].owner or NOT_NAMED_LINE
    by_owner: dict[str | None, list[str]] = {}
    for p in parts:
        by_owner.setdefault(p.owner, []).append(_part_name(p))
    return "; ".join(f"{owner} for {and_list(names)}" if owner
                     else f"{BOARD_TO_ASSIGN} for {and_list(names)}"
                     for owner, names in by_owner.items())


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def action_text(c: CriterionResult) -> str:
    """The governance action in the board's words: the questionnaire's `action`, or else its
    remediation without the data-entry step (the clause naming `backticked` fields)."""
    if c.action:
        return c.action
    return plain_remediation(c.remediation)


# Where a remediation's data-entry step may start: the clause before it is the action.
_CLAUSE = re.compile(r",\s*then\s|;\s|,\s*and\s|\sand\s|\sthen\s|,\s")


def plain_remediation(text: str) -> str:
    """A remediation without its `backticked` field names: cut before the first clause that
    names one; where the very first clause does, the field names in words."""
    tick = text.find("`")
    if tick < 0:
        return text
    cuts = [m.start() for m in _CLAUSE.finditer(text, 0, tick)]
    if cuts and cuts[-1] >= 20:
        return text[:cuts[-1]].rstrip(" ,;") + "."
    return _CODE.sub(lambda m: field_words(m.group(1)), text)


def code_spans(text: str) -> list[tuple[str, bool]]:
    """Text split at `backticks` (the questionnaire marks file keys so): (piece, is_code)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _CODE.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(1), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


# --- board language: the file's paths, ids and dates in the words a board reads -----------

# The trust file's fields as a board would name them. Lists are bare plurals (so "the file
# records no objectives" reads); single values carry their article.
FIELD_WORDS = {
    "objectives": "objectives",
    "delegation.reserved_matters": "reserved matters",
    "board_assurance_framework.risks": "risks on the board assurance framework",
    "board_assurance_framework.last_reviewed": "the last review of the board assurance framework",
    "conflicts_of_interest.last_reviewed": "the last review of the conflicts-of-interest register",
    "conflicts_of_interest.register_kept": "whether a conflicts-of-interest register is kept",
    "contingency.last_tested": "the last test of the contingency arrangements",
    "last_reviewed": "the last review",
    "risk_register.last_reviewed": "the last review of the risk register",
    "risk_register.escalation_threshold": "the score at which its risks are escalated",
    "strategy.alignment_last_reviewed": "the board's last review of strategic alignment",
    "strategy.joint_forward_plan_referenced":
        "whether the trust strategy refers to the joint forward plan",
    "board_oversight.collaboration_reports_per_year":
        "the number of collaboration reports the board receives a year",
    "board_oversight.ned_lead_for_collaboration": "a non-executive lead for collaboration",
    "appetite": "a risk appetite",
    "resourcing.executive_lead": "an executive lead",
    "resourcing.host": "a host organisation",
    "nof_2021": "NHS oversight framework 2021",
    "nof_2025": "NHS oversight framework 2025",
}
ARRANGEMENT_TYPES = {
    "provider_collaborative": "provider collaborative",
    "specialised_mhlda_collaborative":
        "specialised mental health, learning disability and autism provider collaborative",
    "place_based_partnership": "place-based partnership",
    "joint_committee": "joint committee",
    "committees_in_common": "committees in common",
    "lead_provider_contract": "lead provider contract",
    "delegated_icb_function": "function delegated by an ICB",
    "joint_venture": "joint venture",
    "group_model": "group model",
    "network_or_alliance": "network or alliance",
}
GOVERNANCE_MODELS = {
    "lead_provider": "through a lead provider",
    "shared_leadership": "through shared leadership",
    "provider_leadership_board": "through a provider leadership board",
    "joint_committee": "through a joint committee",
    "committees_in_common": "through committees in common",
    "advisory_forum": "as an advisory forum",
}
TRUST_ROLES = {"lead": "the trust leads", "host": "the trust hosts",
               "member": "the trust is a member"}

_PATH = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*"
# A field path as the checks write it: dotted, or with an underscore.
_PATH_TOKEN = re.compile(r"(?<![\w.\[/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
                         r"(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*(?![\w\]-])")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NOT_RECORDED = re.compile(rf"^(?P<p>{_PATH}) is not recorded$")
_EMPTY = re.compile(rf"^(?P<p>{_PATH}) is empty$")
_STALE = re.compile(rf"^(?P<p>{_PATH}) is (?P<v>[^,]+), (?P<rest>more than .*)$")
_EXPECTED = re.compile(rf"^(?P<p>{_PATH}) is (?P<v>.+), expected (?P<w>.+)$")
_BELOW = re.compile(rf"^(?P<p>{_PATH}) is (?P<v>[^,]+), below (?P<w>.+)$")
_NOT_A = re.compile(rf"^(?P<p>{_PATH}) is not a (?P<w>date|number)$")
# "1 of 2 arrangements: ", "none of 3 BAF risks: ": how many failed, ahead of the items.
_LEAD = re.compile(r"^(?:\d+|none) of \d+ [A-Za-z][A-Za-z ]*?: ")
_YES_NO = {"true": "yes", "false": "no"}
DOES_NOT_RECORD = "the file does not record "


def is_field(token: str) -> bool:
    return "." in token or "_" in token or token in FIELD_WORDS


def field_words(path: str) -> str:
    """A field path as words: "delegation.reserved_matters" -> "reserved matters"."""
    bare = re.sub(r"\[\d*\]", "", path)
    if bare in FIELD_WORDS:
        return FIELD_WORDS[bare]
    last = bare.split(".")[-1]
    return FIELD_WORDS.get(last, last.replace("_", " "))


def _date_words(match: re.Match[str]) -> str:
    try:
        return long_date(dt.date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        return match[0]


def _value(value: str) -> str:
    return _YES_NO.get(value, _ISO_DATE.sub(_date_words, value))


def _noun(path: str) -> str:
    """A field as a noun phrase: the glossary's, or its key in words after "the"."""
    bare = re.sub(r"\[\d*\]", "", path)
    known = bare in FIELD_WORDS or bare.split(".")[-1] in FIELD_WORDS
    return field_words(path) if known else "the " + field_words(path)


def plain_note(note: str) -> str:
    """A check's note in the board's words: field paths named, dates written out. The
    generic checks' notes ("X is not recorded", "X is 2, below 4") are rephrased whole."""
    if m := _NOT_RECORDED.match(note):
        return DOES_NOT_RECORD + _noun(m["p"])
    if m := _EMPTY.match(note):
        return f"the file records no {field_words(m['p'])}"
    if m := _STALE.match(note):
        return (f"the file records {_noun(m['p'])} on {_value(m['v'])}, "
                f"{_ISO_DATE.sub(_date_words, m['rest'])}")
    if m := _BELOW.match(note):
        return (f"the file records {_noun(m['p'])} as {m['v']}, below the minimum "
                f"of {m['w']}")
    if m := _EXPECTED.match(note):
        return (f"the file records \u201c{_value(m['v'])}\u201d for {_noun(m['p'])}, "
                f"where \u201c{_value(m['w'])}\u201d is expected")
    if m := _NOT_A.match(note):
        return f"the file does not record {_noun(m['p'])} as a {m['w']}"
    return words(note)


def words(text: str) -> str:
    """Any remaining field paths named in words, and ISO dates written out."""
    text = _ISO_DATE.sub(_date_words, text)
    return _PATH_TOKEN.sub(lambda m: field_words(m[0]) if is_field(m[0]) else m[0], text)


def with_names(text: str, arrangements: tuple[ArrangementSummary, ...]) -> str:
    """Arrangement ids replaced by the arrangements' names, in one pass (so a name is never
    searched for another arrangement's id)."""
    names = {a.id: a.name for a in arrangements if a.id}
    if not names:
        return text
    ids = "|".join(re.escape(i) for i in sorted(names, key=len, reverse=True))

    def name(match: re.Match[str]) -> str:
        return names[match[0]]

    return re.sub(rf"(?<![\w.-])(?:{ids})(?![\w-])", name, text)


def plain(text: str, result: Result) -> str:
    """Text for the paper's body: arrangement names, not ids; fields and dates in words."""
    return words(with_names(text, result.arrangements))


def _items(message: str, result: Result) -> list[tuple[str | None, str]]:
    """A check's message cut into its items: (who it is about, the note), in order."""
    body = _LEAD.sub("", message, count=1)
    ids = "|".join(re.escape(a.id) for a in sorted(result.arrangements, key=lambda a: -len(a.id)))
    label = (rf"(?:(?:{ids})(?:/[^:;]+)?|[A-Za-z0-9][\w-]*)" if ids
             else r"[A-Za-z0-9][\w-]*")
    start = re.compile(rf"^(?P<label>{label}): ")
    pieces = re.split(rf"; (?={label}: )", body)
    names = {a.id: a.name for a in result.arrangements}
    items: list[tuple[str | None, str]] = []
    for piece in pieces:
        m = start.match(piece)
        who = m["label"] if m else None
        # A bare word ahead of a colon is text, not an item, unless it names an arrangement
        # or looks like an identifier (BAF-03, R1).
        if who is not None and "/" not in who and who not in names and not re.search(
                r"[0-9A-Z]", who):
            who = None
        if who is None:
            if items:  # a "; " inside one item's note
                items[-1] = (items[-1][0], f"{items[-1][1]}; {piece}")
            else:
                items.append((None, piece))
            continue
        assert m is not None
        arrangement, _, sub = who.partition("/")
        name = names.get(arrangement)
        subject = who if name is None else f"{name} \u2013 {words(sub)}" if sub else name
        items.append((subject, piece[m.end():]))
    return items


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def finding_sentences(c: CriterionResult, result: Result) -> list[str]:
    """What the file says on a criterion, in plain sentences naming each arrangement: what
    the file states where it states a failing value, that it does not record something where
    it is silent; no field paths, ids or line numbers."""
    out = []
    for subject, note in _items(c.message, result):
        text = plain_note(with_names(note, result.arrangements))
        if subject is None:
            out.append(_sentence(text))
        elif text.startswith(DOES_NOT_RECORD):
            out.append(_sentence(f"{text} for {subject}"))
        else:
            out.append(_sentence(f"{subject}: {text}"))
    return out


def organisation_line(result: Result) -> str:
    org = result.organisation
    return f"{org.name} (ODS code {org.ods_code})" if org.ods_code else org.name


def questionnaire_line(result: Result) -> str:
    q = result.questionnaire
    return f"{q.title} ({q.id}, version {q.version})"


def file_name(result: Result) -> str:
    """The trust file's name without the folders it was typed with: a board pack is public,
    and a path can name a person's home folder."""
    # A Windows path splits at its backslashes too, but not at "\\xNN": that is the escape
    # boardcheck writes for a byte of a file name that is not UTF-8 ("bad\\xff.yaml").
    return re.split(r"/|\\(?!x[0-9a-f]{2})", result.file)[-1] or result.file


# Where neither the file nor the run states an as-of date: the position's date is not
# recorded, and the day of the check (which the file's dates were judged against) is given
# under its own name, never as the position's date.
POSITION_NOT_RECORDED = "Not recorded in the file"
CHECKED_ON = "Date checked"


def position_date(result: Result) -> str:
    """The date the file states its position at, or that it records none."""
    return long_date(result.as_of) if result.as_of_stated else POSITION_NOT_RECORDED


def checked_on(result: Result) -> str | None:
    """The day of the check, where it stands in for a position date the file does not
    record: the date its dates were judged against."""
    if result.as_of_stated:
        return None
    return (f"{long_date(result.as_of)} (the file records no position date, so its dates are "
            "judged as at the day of the check)")


def meeting_line(result: Result, meeting: dt.date | None) -> str:
    """Under the organisation's name: the meeting, or, with none given, the position's date
    (the as-of date is not a meeting date)."""
    if meeting is None:
        if not result.as_of_stated:
            return (f"Position date not recorded in the file; checked on "
                    f"{long_date(result.as_of)}")
        return f"Position as at {long_date(result.as_of)}"
    return f"Board meeting, {long_date(meeting)}"


def cover_facts(result: Result, meeting: dt.date | None) -> list[tuple[str, str]]:
    """The rows of the cover block, in order; the meeting only when one is given."""
    return [
        ("Organisation", organisation_line(result)),
        *([("Meeting", long_date(meeting))] if meeting is not None else []),
        ("Purpose", PURPOSE),
        ("Questionnaire", questionnaire_line(result)),
        ("Position as at", position_date(result)),
        *([(CHECKED_ON, checked)] if (checked := checked_on(result)) else []),
        ("Source file", file_name(result)),
        ("Prepared with", f"boardcheck {__version__}"),
    ]


def document_title(result: Result, meeting: dt.date | None) -> str:
    return f"{TITLE}: {result.organisation.name}, " + (
        long_date(meeting) if meeting is not None else
        (f"position as at {long_date(result.as_of)}" if result.as_of_stated else
         f"checked on {long_date(result.as_of)}"))


def category_by_id(result: Result, ident: str) -> CategoryResult | None:
    return next((cat for cat in result.categories if cat.id == ident), None)


def criterion_by_id(result: Result, ident: str) -> CriterionResult | None:
    return next((c for c in result.criteria if c.id == ident), None)


def overall_headline(result: Result) -> str:
    overall = result.overall
    return (f"Overall readiness: {rating_label(overall.rating)}, "
            f"score {score_out_of(overall.score)}; "
            f"{coverage_text(overall.evidence_coverage)}")


def overall_note(result: Result) -> str | None:
    """Why the overall rating is not what the score alone gives, if it is not."""
    overall = result.overall
    if overall.rating == "inconclusive":
        return "No board question had a criterion that applied, so there is no overall score."
    return verdict_sentence(overall.rating, overall.explanation)


def cap_sentence(result: Result, cat: CategoryResult) -> str | None:
    """Why a board question's rating is lower than its score alone would give."""
    if cat.rating == "inconclusive":
        return ("Inconclusive: no criterion under this question applied to the trust, so it "
                "has no score and is left out of the overall score.")
    return verdict_sentence(cat.rating, cat.explanation)


def status_counts(cat: CategoryResult) -> str:
    parts = []
    for status in ("met", "partly_met", "not_met", "not_evidenced", "waived",
                   "not_applicable"):
        n = sum(1 for c in cat.criteria if c.status == status)
        if n:
            parts.append(f"{n} {STATUS_LABELS[status]}")
    return f"{len(cat.criteria)} criteria: " + ", ".join(parts) + "."


def top_gaps(result: Result) -> tuple[CriterionResult, ...]:
    return result.gaps_by_points()[:TOP_GAPS]


def top_gaps_heading(n: int) -> str:
    if n == 1:
        return "The gap that would add most to the score"
    return f"The {COUNT_WORDS.get(n, str(n))} gaps that would add most to the score"


QUESTIONS_HEADING = "Questions the board should ask"
RATINGS_CAPTION = "Ratings by board question"
ARRANGEMENTS_CAPTION = "Collaborative arrangements covered"
RECOMMENDATION = ("The board is asked to note the assessment, to consider the questions for the "
                  "board above, and to agree owners and dates for the actions on the top gaps; "
                  "every action is set out, by board question, in appendix A.")
RECOMMENDATION_SHORT = ("To note the assessment, consider the questions for the board and agree "
                        "owners and dates for the actions.")


def category_heading(cat: CategoryResult) -> tuple[str, str]:
    """A board question's section heading: its title, then the question itself."""
    return cat.title, cat.board_question


@dataclass(frozen=True, slots=True)
class Groups:
    """One board question's criteria, in the order the section presents them."""

    gaps: tuple[CriterionResult, ...]
    waived: tuple[CriterionResult, ...]
    met: tuple[CriterionResult, ...]
    not_applicable: tuple[CriterionResult, ...]


def groups(cat: CategoryResult) -> Groups:
    def having(*statuses: str) -> tuple[CriterionResult, ...]:
        return tuple(c for c in cat.criteria if c.status in statuses)

    gaps = tuple(c for c in cat.criteria
                 if c.status in GAP_STATUSES or (c.challenged and c.status != "waived"))
    return Groups(gaps, having("waived"),
                  tuple(c for c in having("met") if c not in gaps), having("not_applicable"))


GAPS_HEADING = "Not met, partly met or not evidenced"
# A thin file's paper (`is_thin`): what the file is silent on, one list per board question,
# then what it states failing, each in full.
SILENT_HEADING = "Not recorded in the file"
STATED_HEADING = "Not met or partly met"
NONE_STATED = "None: the file states no failing value under this question."
NO_GAPS = "None: every applicable criterion under this question is met or waived."
# A part of a question with nothing in it: its heading and this, as one line, not a heading
# over a sentence ("Met, and not applicable: none; no criterion ... is met.").
NONE_MET = "none; no criterion under this question is met."


def none_line(text: str) -> str:
    """`NONE_STATED` or `NO_GAPS` after its heading on one line: "none; the file ..."."""
    return text.replace("None: ", "none; ", 1)


def is_thin(result: Result) -> bool:
    """A file that records too little to rate: the whole is rated insufficient evidence,
    or evidences less of the questionnaire than the share a rating needs. Its paper lists
    what is not recorded, a question at a time, rather than a finding for each."""
    rules = result.questionnaire.scoring
    coverage = result.overall.evidence_coverage
    return result.overall.rating == "insufficient_evidence" or (
        rules is not None and coverage is not None
        and coverage < rules.overall_coverage_minimum)


def is_silent(c: CriterionResult) -> bool:
    """A gap only because the file says nothing: not evidenced, with no declaration
    challenged and no part excluded to explain."""
    return c.status == "not_evidenced" and not c.challenged and not c.exclusions


def silent_lead(count: int) -> str:
    which = "this criterion needs" if count == 1 else f"these {count} criteria need"
    # The severity and points are said once here, so that each item carries only its
    # values ("Critical, +3.3"): a thin file lists dozens of them.
    return (f"The file does not record what {which}: each counts as a gap, not as a failure "
            "shown, until it is recorded. Beside each, its severity and the points closing "
            "it would add to the overall score.")


def silent_tags(c: CriterionResult) -> tuple[str, ...]:
    """A silent criterion's severity and points, without the words `silent_lead` says once
    for the list ("Critical", "+3.3")."""
    return (SEVERITY_LABELS[c.severity],
            *((points_text(c.points_available),) if c.points_available else ()))


def silent_text(c: CriterionResult, result: Result) -> str:
    """What the file does not record on a criterion, as `finding_sentences` words it but
    once for every arrangement it is true of: "The file does not record objectives for East
    Midlands Cancer Alliance and Vale Place Partnership." Every arrangement is named."""
    notes: dict[str, list[str | None]] = {}
    for subject, note in _items(c.message, result):
        notes.setdefault(plain_note(with_names(note, result.arrangements)), []).append(subject)
    out = []
    for text, subjects in notes.items():
        named = [s for s in subjects if s is not None]
        if None in subjects:
            out.append(_sentence(text))
        if not named:
            continue
        if text.startswith(DOES_NOT_RECORD):
            out.append(_sentence(f"{text} for {and_list(named)}"))
        else:
            out.append(_sentence(f"{and_list(named)}: {text}"))
    return " ".join(out)
WAIVED_HEADING = "Waived"
MET_HEADING = "Met, and not applicable"


def criterion_tags(c: CriterionResult) -> list[str]:
    """Status, evidence marker, severity and points, as short labels (the weight is in the
    appendix)."""
    tags = [status_label(c)]
    if partly_not_evidenced(c):
        tags.append("Not evidenced")
    if c.challenged:
        tags.append("Declaration challenged")
    tags.append(f"{SEVERITY_LABELS[c.severity]} severity")
    if c.points_available:
        tags.append(f"{points_text(c.points_available)} points if closed")
    return tags


def waiver_lines(c: CriterionResult) -> list[str]:
    w = c.waiver
    if w is None:
        return []
    if w.expired:
        return [f"A waiver expired on {long_date(w.review_by)} and no longer applies "
                f"(reason given: {w.reason}; owner {w.owner}; approved by {w.approved_by})."]
    return [f"Reason: {w.reason}", f"Waiver owner: {w.owner}; approved by {w.approved_by}; "
            f"review by {long_date(w.review_by)}."]


def met_line(c: CriterionResult, result: Result) -> str:
    declared = wording.declared_text(c)
    return c.title + (f" ({plain(declared, result)})" if declared else "")


def not_applicable_line(c: CriterionResult, result: Result) -> str:
    if c.exclusions:
        return f"{c.title}: {plain(wording.exclusions_text(c), result)}"
    return f"{c.title}: not applicable because {plain(c.message, result)}"


def exclusions_line(c: CriterionResult, result: Result) -> str | None:
    """Arrangements a judged criterion was not applied to, and why."""
    return plain(wording.exclusions_text(c), result) if c.exclusions else None


def challenged_line(c: CriterionResult, result: Result) -> str | None:
    """A "not applicable" declaration the file's own facts contradict, in plain words."""
    if not c.challenged:
        return None
    return ("The file declares this not applicable, but its own facts say otherwise, so it "
            f"was judged all the same: {plain(c.challenged, result)}.")


def arrangement_line(kind: str, model: str | None, role: str | None,
                     status: str = "formal") -> str:
    """An arrangement's form in words: "Place-based partnership, run as an advisory forum;
    the trust is a member"."""
    head = ARRANGEMENT_TYPES.get(kind, kind.replace("_", " "))
    if model and model != kind:  # a joint committee "through a joint committee" says nothing
        head += " " + GOVERNANCE_MODELS.get(model, "through " + model.replace("_", " "))
    parts = [head[0].upper() + head[1:]]
    if role:
        parts.append(TRUST_ROLES.get(role, f"the trust's role: {role.replace('_', ' ')}"))
    if status != "formal":
        parts.append(f"in {status} form")
    return "; ".join(parts)


PLACEHOLDERS_HEADING = "Template examples left in the file"
PLACEHOLDERS_APPENDIX = "Template placeholders"
PLACEHOLDER_COLUMNS = ("Field", "Line", "Example value")
PLACEHOLDERS_CAPTION = "Example values from the template, by field"


def placeholders_paragraph(result: Result) -> str | None:
    """The placeholders in plain words for the paper's body: no paths, no line numbers."""
    found = result.placeholders
    if not found:
        return None
    values = sorted({p.value for p in found})
    shown = ", ".join(f"\u201c{v}\u201d" for v in values[:TOP_GAPS])
    more = f" and {len(values) - TOP_GAPS} more" if len(values) > TOP_GAPS else ""
    n = len(found)
    count = f"{COUNT_WORDS.get(n, str(n))} example value{'s' if n != 1 else ''}"
    return (f"The file still holds {count} from the template rather than the trust's own "
            f"details ({shown}{more}). They are not counted as evidence; the appendix lists "
            "where they are.")


def placeholder_row(p: Placeholder) -> tuple[str, str, str]:
    return p.path, str(p.line), p.value


METHOD_HEADING = "How scores and ratings are computed"
CRITERIA_HEADING = "All criteria"


def _share(credit: float) -> str:
    return {1.0: "its full weight", 0.5: "half its weight", 0.0: "nothing"}.get(
        credit, f"{credit:.0%} of its weight")


def _category_weights(result: Result) -> str:
    weights = {c.weight for c in result.categories}
    if len(weights) <= 1:
        return "all equal, so a plain mean"
    return "; ".join(f"{c.title} {c.weight:g}" for c in result.categories)


def _as_at(result: Result) -> str:
    if result.as_of_stated:
        return f"as at {long_date(result.as_of)}"
    return (f"which records no position date: its dates are judged as at "
            f"{long_date(result.as_of)}, the day it was checked")


def method_paragraphs(result: Result) -> list[str]:
    """The method, in the order the appendix states it, with the questionnaire's figures."""
    q = result.questionnaire
    rules = q.scoring
    if rules is None:  # a result from before scoring settings were recorded
        rules = ScoringRules(0.5, 75, 50, 75, 50, "red", "amber", "amber")
    same = (rules.overall_green, rules.overall_amber) == (rules.category_green,
                                                          rules.category_amber)
    overall_scale = ("on the same thresholds" if same else
                     f"Green at {rules.overall_green:g} or more, Amber at "
                     f"{rules.overall_amber:g} or more, Red below")
    return [
        f"This paper applies the questionnaire {q.title} ({q.id}, version {q.version}, "
        f"digest {q.digest}) to the trust's own description of its arrangements "
        f"({file_name(result)}), {_as_at(result)}. It reports what that file "
        "records; it does not audit whether the records are true.",
        "Each criterion is found met, partly met, not met (the file records a failing value), "
        "not evidenced (the file is silent), not applicable, or waived. A "
        f"criterion that is met earns its full weight; partly met earns "
        f"{_share(rules.partly_met_credit)}; not met and not evidenced earn nothing. Criteria "
        "that are not applicable, and criteria waived by the board, leave the calculation "
        "altogether: they count neither for nor against. A criterion is not applicable where "
        "a questionnaire rule excludes the arrangement (by what it does, or its form), or "
        "where the trust declares it so with a reason; a declaration the file's own facts "
        "contradict is challenged, and the criterion judged all the same.",
        "A board question's score is the weight earned as a percentage of the weight of its "
        f"applicable criteria. The score gives the rating: Green at {rules.category_green:g} or "
        f"more, Amber at {rules.category_amber:g} or more, Red below {rules.category_amber:g}. "
        "These thresholds, the credit for partly met and the caps below are set by the "
        "questionnaire, not by boardcheck.",
        "A critical criterion that is not met caps its board question at "
        f"{rules.critical_not_met_cap.title()}, however high the score; a critical criterion "
        f"that is partly met caps it at {rules.critical_partly_met_cap.title()}.",
        "A board question with no applicable criteria has no score and is rated Inconclusive. "
        "The overall score is the mean of the scores of the conclusive board questions, each "
        f"weighted by the questionnaire's weight for it ({_category_weights(result)}), and is "
        f"rated {overall_scale}"
        f"{'' if same else ' ' + format(rules.overall_amber, 'g')}. If any board question is "
        f"rated Red, the overall rating is capped at {rules.red_category_cap.title()}.",
        *_coverage_paragraphs(rules),
        "The points shown against a gap are how much the overall score would rise if that "
        "criterion alone were met, with everything else as it is.",
        "Not evidenced marks a gap where the file is silent, as distinct from a gap the file "
        "records. Owners are the people the file names as answerable where the gap lies: the "
        "executive lead of the arrangement, the owner of the BAF risk, or else the board's "
        "non-executive lead for collaboration. Where the file names none of them, the paper "
        "says so and leaves the owner for the board to assign.",
    ]


def _coverage_paragraphs(rules: ScoringRules) -> list[str]:
    """The coverage measure and the questionnaire's further rules, where it sets them."""
    out = ["Beside each score is the share of the applicable weight the file evidences, met or "
           "not: a criterion the file is silent on counts against the score and against this "
           "share."]
    minimums = []
    if rules.category_coverage_minimum:
        minimums.append(f"a board question whose file evidences less than "
                        f"{rules.category_coverage_minimum:g}% of its weight")
    if rules.overall_coverage_minimum:
        minimums.append(f"the whole, below {rules.overall_coverage_minimum:g}%")
    if minimums:
        out.append(f"{' and '.join(minimums).capitalize()}, is rated Insufficient evidence "
                   "rather than Red, Amber or Green: silence is neither failure nor success. "
                   "Such a rating is not ranked against rated trusts.")
    rules_text = []
    if rules.critical_not_evidenced_cap:
        rules_text.append("a critical criterion that is not evidenced caps its board question "
                          f"at {rules.critical_not_evidenced_cap.title()}")
    if rules.critical_remit_unknown_cap:
        rules_text.append("one the file is silent on only because it does not say whether an "
                          "arrangement does what the criterion guards caps it at "
                          f"{rules.critical_remit_unknown_cap.title()}")
    if rules.red_categories_for_red_overall:
        rules_text.append(f"{rules.red_categories_for_red_overall} or more board questions "
                          "rated Red make the overall rating Red")
    if rules.critical_categories_for_red_overall:
        rules_text.append("critical failures in "
                          f"{rules.critical_categories_for_red_overall} or more board questions "
                          "make the overall rating Red")
    if rules_text:
        out.append("The questionnaire also sets how gaps add up: " + "; ".join(rules_text)
                   + ". Wherever a rating is capped, the paper says by what.")
    return out


CRITERIA_COLUMNS = ("Criterion", "Title", "Severity", "Weight", "Status")


def criterion_row(c: CriterionResult) -> tuple[str, str, str, str, str]:
    status = status_label(c)
    if partly_not_evidenced(c):
        status += " (not evidenced)"
    if c.challenged:
        status += " (declaration challenged)"
    return c.id, c.title, SEVERITY_LABELS[c.severity], f"{c.weight:g}", status


def footer_note() -> str:
    return (f"Prepared with boardcheck {__version__}. Scores, ratings and the order of gaps are "
            "as the evaluation computed them; this paper only presents them.")


# --- where partners describe an arrangement differently (a batch's member papers) --------

PARTNERS_HEADING = "Where partners describe our arrangements differently"
PARTNERS_COLUMNS = ("Arrangement", "What differs", "This trust's file",
                    "Members' files stating otherwise")
PARTNERS_CAPTION = "Facts that should be the same in every member's description"
PROBABLE_MATCH = ("matched by its name and partners, as this trust's file quotes no "
                  "collaborative code")


def partners_note(arrangements: int, probable: bool) -> str:
    """What the table means, and the action: the board sees only that its partners differ,
    not which description is right, so the action is to agree the fact and correct it."""
    count = COUNT_WORDS.get(arrangements, str(arrangements))
    which = ("one of the trust's collaborative arrangements" if arrangements == 1
             else f"{count} of the trust's collaborative arrangements")
    note = (f"Other members' submissions to the same review describe {which} differently "
            "from this trust's file. Each fact below should be the same for every member. "
            "Action for the company secretary: agree each fact with the partners named, and "
            "correct whichever description is wrong before the next submission.")
    if probable:
        note += (" Where this trust's file quotes no collaborative code, agree one with the "
                 "partners (or quote the one they use), so that the next review matches the "
                 "submissions for certain.")
    return note


def partner_value(key: str, value: str) -> str:
    """A compared fact as a board reads it: types and models in words, dates written out,
    yes or no, pounds. Anything else is the file's own text."""
    if key == "type":
        return ARRANGEMENT_TYPES.get(value, value.replace("_", " "))
    if key == "governance_model":
        return value.replace("_", " ")
    if value in ("True", "False"):  # a yes-or-no fact, as the batch writes it
        return "yes" if value == "True" else "no"
    if key.endswith("_gbp"):
        return f"£{value}"
    if _ISO_DATE.fullmatch(value):
        try:
            return long_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value
