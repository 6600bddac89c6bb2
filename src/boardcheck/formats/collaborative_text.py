"""The collaborative view's sentences, shared by the terminal, markdown and HTML batch reports.

Plain text: each format escapes it for its medium (formats/sanitise.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardcheck.formats.wording import rating_label
from boardcheck.summary import RATINGS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from boardcheck.collaboratives import CollaborativeView, Disagreement, Member, Statement

TITLE = "Collaboratives across their members"
READINESS = "Readiness across submitting members"
# The terminal's label for each collaborative's readiness, READINESS said once above them.
READINESS_SHORT = "Readiness"
READINESS_KEY = ("Readiness: the overall ratings of the members that submitted, and their "
                 "median score")
MEMBER_RATINGS = "Each submitting member's ratings"
INTRO = ("Members' descriptions of the same collaborative, matched on the shared code (or, "
         "failing it, on name and partners: a probable match), and where they disagree on "
         "facts that should be one fact. A fact one member leaves out is not a disagreement.")


def heading(view: CollaborativeView) -> str:
    """The collaborative's code and name, and how its members were matched."""
    if view.code is None:
        return f"{view.name} (probable match on name and partners; no shared code)"
    probable = "; some members matched only on name and partners" if view.probable else ""
    return f"{view.code} {view.name}{probable}"


def member_text(member: Member) -> str:
    return member.name + (f" ({member.ods_code})" if member.ods_code else "")


def submitted_count(view: CollaborativeView) -> str:
    return f"{view.submitted} of {len(view.members)} members submitted"


def membership(view: CollaborativeView) -> str:
    """Every member by name (and ODS code where a file gives one): those that submitted,
    then those that did not."""
    submitted = ", ".join(member_text(m) for m in view.members if m.submitted)
    missing = ", ".join(member_text(m) for m in view.members if not m.submitted)
    return (f"{submitted_count(view)}: {submitted}"
            + (f"; not submitted: {missing}" if missing else ""))


def readiness(view: CollaborativeView, *, sentence: bool = False) -> str:
    """The submitting members' overall ratings and median score, in words; capitalised
    when it stands as a `sentence` of its own."""
    d = view.overall
    counts = ", ".join(f"{d.ratings[r]} {rating_label(r)}" for r in RATINGS if d.ratings[r])
    median = "no rated score" if d.median is None else f"median {d.median:.1f} (of {d.n} rated)"
    text = f"{median}; {counts or 'none rated'}"
    return text[:1].upper() + text[1:] if sentence else text


# Facts whose values are identifiers a report gives in words.
WORDED = ("type", "governance_model")


def value(disagreement: Disagreement, statement: Statement, *, code: bool | None = None
          ) -> str:
    """What a file states, as a person reads it: a type or governance model in words
    (advisory forum, not advisory_forum) and yes or no, as the members' papers word them; a
    host or lead as the file writes it (a file that gives only an ODS code, with the name the
    other files give it after it), with the ODS code it was compared by where `code` is
    True (terminal, markdown) or, by default, only where two statements' names read alike
    (`codes_needed`). Dates and amounts stay as the file writes them; the JSON keeps every
    value so."""
    from boardcheck.formats.paper import partner_value

    if disagreement.fact in WORDED or statement.value in ("True", "False"):
        return partner_value(disagreement.fact, statement.value)
    if statement.known_as and statement.known_as != statement.value:
        # What the file wrote comes first (a code), then the name the other files give it:
        # a report states only what each file states.
        return f"{statement.value} ({statement.known_as})"
    words = statement.value
    if code is None:
        code = codes_needed(disagreement)
    if code and statement.ods_code and statement.ods_code != words.strip():
        return f"{words} ({statement.ods_code})"
    return words


def codes_needed(disagreement: Disagreement) -> bool:
    """Whether a report that speaks words must give the ODS codes to tell the statements
    apart: two of them read alike but name different organisations."""
    from boardcheck.collaboratives import normalised

    worded: dict[str, str | None] = {}
    for s in disagreement.statements:
        words = normalised(s.known_as or s.value)
        if worded.setdefault(words, s.ods_code) != s.ods_code:
            return True
    return False


NAMES_ONLY = ("compared by name: the files give no ODS code for some of these names, so "
              "they may be one organisation written two ways")


def disagree(disagreement: Disagreement) -> str:
    """The line over a disagreement's statements; a host or lead compared by name only
    says so, as the difference may be only in the writing."""
    if disagreement.names_only:
        return f"Disagree on {disagreement.title} ({NAMES_ONLY}):"
    return f"Disagree on {disagreement.title}:"


def where(statement: Statement) -> str:
    return f"{statement.file}:{statement.line}:{statement.column}"


def cut_line(hidden: int) -> str:
    """What a shortened list leaves out: only collaboratives whose members agree."""
    return (f"… and {hidden} more collaborative(s) whose members quote a shared code and agree "
            "on every fact they state: all are in -f json, -f html, -f markdown and -f xlsx")


def summary_line(views: Sequence[CollaborativeView]) -> str:
    disagreeing = sum(bool(v.disagreements) for v in views)
    probable = sum(v.code is None for v in views)
    return (f"{len(views)} collaborative(s) found, {disagreeing} with disagreements, "
            f"{probable} matched only on name and partners")
