"""The board paper's wording and running order, shared by its HTML and Word renderings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from boardcheck import __version__
from boardcheck.formats import wording
from boardcheck.result import (
    STATUS_LABELS,
    CategoryResult,
    CriterionResult,
    Placeholder,
    Result,
    ScoringRules,
)

TITLE = "Governance of collaborative arrangements: assurance report"
PURPOSE = "For assurance"
SUMMARY = "Executive summary"
APPENDIX = "Appendix: method and criteria"
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


def rating_reason(rating: str, explanation: str) -> str | None:
    return wording.rating_reason(rating, explanation)


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


def owners_text(c: CriterionResult) -> str:
    return ", ".join(c.owners)


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


def organisation_line(result: Result) -> str:
    org = result.organisation
    return f"{org.name} (ODS code {org.ods_code})" if org.ods_code else org.name


def questionnaire_line(result: Result) -> str:
    q = result.questionnaire
    return f"{q.title} ({q.id}, version {q.version})"


def cover_facts(result: Result, meeting: dt.date) -> list[tuple[str, str]]:
    """The rows of the cover block, in order."""
    return [
        ("Organisation", organisation_line(result)),
        ("Meeting", long_date(meeting)),
        ("Purpose", PURPOSE),
        ("Questionnaire", questionnaire_line(result)),
        ("Position as at", long_date(result.as_of)),
        ("Source file", result.file),
        ("Prepared with", f"boardcheck {__version__}"),
    ]


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
RECOMMENDATION = ("The board is asked to note the assessment, to consider the questions below, "
                  "and to agree owners and dates for the actions set out under each board "
                  "question.")


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
WAIVED_HEADING = "Waived"
MET_HEADING = "Met, and not applicable"


def criterion_tags(c: CriterionResult) -> list[str]:
    """Status, evidence marker, severity, weight and points, as short labels."""
    tags = [status_label(c)]
    if partly_not_evidenced(c):
        tags.append("Not evidenced")
    if c.challenged:
        tags.append("Declaration challenged")
    tags += [f"{SEVERITY_LABELS[c.severity]} severity", f"weight {c.weight:g}"]
    if c.points_available:
        tags.append(f"{points_text(c.points_available)} points if closed")
    return tags


def evidence_lines(c: CriterionResult) -> list[str]:
    """Where the finding rests in the trust's file, the places that show the gap first."""
    ordered = [e for e in c.evidence if e.gap] + [e for e in c.evidence if not e.gap]
    lines = []
    for e in ordered:
        where = f"line {e.line}" if e.recorded else f"near line {e.line}"
        if e.gap and c.status in GAP_STATUSES:
            where += " (the gap)" if e.recorded else " (the gap: not recorded)"
        elif not e.recorded:
            where += " (not recorded)"
        lines.append(f"{where}: {e.note}" if e.note else where)
    return lines


def waiver_lines(c: CriterionResult) -> list[str]:
    w = c.waiver
    if w is None:
        return []
    if w.expired:
        return [f"A waiver expired on {long_date(w.review_by)} and no longer applies "
                f"(reason given: {w.reason}; owner {w.owner}; approved by {w.approved_by})."]
    return [f"Reason: {w.reason}", f"Waiver owner: {w.owner}; approved by {w.approved_by}; "
            f"review by {long_date(w.review_by)}."]


def met_line(c: CriterionResult) -> str:
    declared = wording.declared_text(c)
    return f"{c.id} {c.title}" + (f" ({declared})" if declared else "")


def not_applicable_line(c: CriterionResult) -> str:
    if c.exclusions:
        return f"{c.id} {c.title}: {wording.exclusions_text(c)}"
    return f"{c.id} {c.title}: not applicable because {c.message}"


def exclusions_line(c: CriterionResult) -> str | None:
    """Arrangements a judged criterion was not applied to, and why."""
    return wording.exclusions_text(c) if c.exclusions else None


def challenged_line(c: CriterionResult) -> str | None:
    """A "not applicable" declaration the file's own facts contradict, in plain words."""
    if not c.challenged:
        return None
    return ("The file declares this not applicable, but its own facts say otherwise, so it "
            f"was judged all the same: {c.challenged}.")


def arrangement_line(kind: str, model: str | None, role: str | None,
                     status: str = "formal") -> str:
    parts = [kind.replace("_", " ")]
    if model:
        parts.append(f"governance model {model.replace('_', ' ')}")
    if role:
        parts.append(f"trust role {role.replace('_', ' ')}")
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
        f"({result.file}), as at {long_date(result.as_of)}. It reports what that file records; "
        "it does not audit whether the records are true.",
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
        "non-executive lead for collaboration.",
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
