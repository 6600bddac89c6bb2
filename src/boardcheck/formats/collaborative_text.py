"""The collaborative view's sentences, shared by the terminal, markdown and HTML batch reports.

Plain text: each format escapes it for its medium (formats/sanitise.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardcheck.formats.wording import rating_label
from boardcheck.summary import RATINGS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from boardcheck.collaboratives import (
        CollaborativeView,
        Disagreement,
        Member,
        Statement,
        Submission,
        Unresolved,
    )

TITLE = "Collaboratives across their members"
READINESS = "Readiness across submitting members"
# The terminal's label for each collaborative's readiness, READINESS said once above them.
READINESS_SHORT = "Readiness"
READINESS_KEY = ("Readiness: the overall ratings of the members whose files describe it, "
                 "each member once, and their median score")
MEMBER_RATINGS = "Each submitting member's ratings"
INTRO = ("Members' descriptions of the same collaborative, matched on the shared code (or, "
         "failing it, on name and partners: a probable match), and where they disagree on "
         "facts that should be one fact. A fact one member leaves out is not a disagreement.")


def heading(view: CollaborativeView) -> str:
    """The collaborative's code and name, and how its members were matched: all on name
    and partners, or how many files only so where the others quote the code (which files,
    with their positions, `probable_lines` lists under the heading)."""
    if view.code is None:
        return f"{view.name} (probable match on name and partners; no shared code)"
    probable = len(view.probable_submissions)
    if not probable:
        return f"{view.code} {view.name}"
    return (f"{view.code} {view.name} ({probable} of {len(view.submissions)} files matched "
            "only on name and partners, a probable match)")


def probable_title(view: CollaborativeView) -> str:
    """The line over the files matched only on name and partners."""
    if view.code is None:
        return "Matched only on name and partners, as no file quotes a shared code:"
    return f"Matched only on name and partners, not quoting {view.code}:"


def probable_value(submission: Submission) -> str:
    """A probable match's member and the name its file gives the collaborative (what the
    match was made on)."""
    ods = f" ({submission.ods_code})" if submission.ods_code else ""
    again = " (its other file)" if not submission.counted else ""
    return f"{submission.organisation}{ods}{again}, as {submission.name}"


def probable_lines(view: CollaborativeView) -> list[str]:
    """Each file matched only on name and partners, as `file:line:column: who, as name`:
    the lines under `probable_title` in the terminal."""
    return [f"{where(s)}: {probable_value(s)}" for s in view.probable_submissions]


def member_text(member: Member) -> str:
    return member.name + (f" ({member.ods_code})" if member.ods_code else "")


def known(view: CollaborativeView) -> int:
    """The members known for certain: not a partner whose name could be either of two."""
    return sum(not m.ambiguous for m in view.members)


def submitted_count(view: CollaborativeView) -> str:
    silent = len(view.not_describing)
    unchecked = len(view.unchecked)
    return (f"{view.submitted} of {known(view)} members describe it in their files"
            + (f"; {silent} more submitted a file that does not" if silent else "")
            + (f"; {unchecked} more submitted a file that could not be checked"
               if unchecked else ""))


def failed_files(member: Member) -> str:
    """Where each of a member's files that could not be evaluated first fails, as the
    batch's list of errors gives it."""
    return ", ".join(f"{p.file}:{p.line}:{p.column}" for p in member.failed)


UNCHECKED = "submitted a file that could not be checked"


def not_submitted(view: CollaborativeView) -> str:
    """"not submitted", and where some files in the batch could not be read far enough to
    say whose they are, that a member may be among them."""
    if not view.unidentified:
        return "not submitted"
    return (f"not submitted as far as the batch can tell ({view.unidentified} file(s) "
            "could not be read far enough to say whose they are)")


def member_status(member: Member, view: CollaborativeView | None = None) -> str:
    """Whether the member describes the collaborative in its file, submitted a file that
    does not describe it, or did not submit; and a member's two files, said as two."""
    if member.describes:
        if len(member.files) > 1:
            return (f"describes it in {len(member.files)} files ({', '.join(member.files)}); "
                    f"readiness counts it once, by the first, {member.files[0]}")
        return "describes it"
    if member.files:
        return (f"submitted {', '.join(member.files)}, which does not describe it: its "
                "partners' files say it is a member"
                + (f"; also {UNCHECKED}, first error at {failed_files(member)}"
                   if member.failed else ""))
    if member.failed:
        return (f"{UNCHECKED}, so whether it describes it is not known: first error at "
                f"{failed_files(member)}")
    if member.ambiguous:
        return (f"named without an ODS code by {', '.join(member.named_by)}; submitting "
                f"trusts with different codes have this name ({' and '.join(member.ambiguous)})"
                ", so which is meant cannot be told")
    return "not submitted" if view is None else not_submitted(view)


def membership(view: CollaborativeView) -> str:
    """Every member by name (and ODS code where a file gives one): those whose files
    describe the collaborative (a member with two files says so), those whose file does
    not, then those that did not submit."""
    described = ", ".join(member_text(m) + (f" ({member_status(m)})" if len(m.files) > 1
                                            else "")
                          for m in view.members if m.describes)
    silent = "; ".join(f"{member_text(m)}, in {', '.join(m.files)}"
                       for m in view.not_describing)
    unchecked = "; ".join(f"{member_text(m)}, first error at {failed_files(m)}"
                          for m in view.unchecked)
    missing = ", ".join(member_text(m) for m in view.members
                        if not m.submitted and not m.ambiguous)
    unsure = "; ".join(f"{m.name}, {member_status(m)}" for m in view.members if m.ambiguous)
    return (f"{view.submitted} of {known(view)} members describe it in their files: "
            f"{described}"
            + (f"; submitted a file that does not describe it: {silent}" if silent else "")
            + (f"; {UNCHECKED}: {unchecked}" if unchecked else "")
            + (f"; {not_submitted(view)}: {missing}" if missing else "")
            + (f"; ambiguous: {unsure}" if unsure else ""))


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


def value(disagreement: Disagreement | Unresolved, statement: Statement, *,
          code: bool | None = None) -> str:
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
    if statement.ambiguous:
        return f"{words} ({ambiguous(statement)})"
    if code is None:
        code = codes_needed(disagreement)
    if code and statement.ods_code and statement.ods_code != words.strip():
        return f"{words} ({statement.ods_code})"
    return words


def ambiguous(statement: Statement) -> str:
    """Why a host or lead named without a code cannot be told: organisations with different
    codes share the name."""
    return ("ambiguous: organisations with different ODS codes have this name, "
            f"{' and '.join(statement.ambiguous)}; the file gives no code")


def who(statement: Statement) -> str:
    """The organisation a statement is from; a member's second file says it is."""
    return statement.organisation + (" (its other file)" if statement.repeat else "")


def codes_needed(disagreement: Disagreement | Unresolved) -> bool:
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


def unresolved(fact: Unresolved) -> str:
    """The line over a host or lead the members do not disagree on but whose name cannot be
    resolved to one organisation."""
    return (f"Ambiguous {fact.title} (not a disagreement): which organisation the name "
            "means cannot be told; its ODS code would tell:")


def where(statement: Statement | Submission) -> str:
    return f"{statement.file}:{statement.line}:{statement.column}"


def where_who(statement: Statement) -> str:
    """A statement's position, and for a member's second file, that it is one: the
    terminal and markdown list statements by position alone."""
    return where(statement) + (f" ({statement.organisation}'s other file)"
                               if statement.repeat else "")


PARTLY_RECORDED = "Recorded by some members only"


def partly_recorded_line(view: CollaborativeView) -> str:
    """The facts only some members record, briefly: which, and how many files record each."""
    return (f"{PARTLY_RECORDED} ({len(view.partly_recorded)}; not disagreements): "
            + "; ".join(f"{p.title} ({len(p.recorded_by)} of "
                        f"{len(p.recorded_by) + len(p.not_recorded_by)} files)"
                        for p in view.partly_recorded))


def cut_line(hidden: int) -> str:
    """What a shortened list leaves out: only collaboratives whose members agree."""
    return (f"… and {hidden} more collaborative(s) whose members quote a shared code and agree "
            "on every fact they state: all are in -f json, -f html, -f markdown and -f xlsx")


def summary_line(views: Sequence[CollaborativeView]) -> str:
    """How many collaboratives, how many with disagreements, how many with members
    matched only on name and partners (counted as the headings name them: those without a
    shared code, and those with one that some members do not quote), and how many name a
    host or lead ambiguously (in a disagreement, or where the members do not disagree:
    each says "ambiguous")."""
    disagreeing = sum(bool(v.disagreements) for v in views)
    probable = sum(v.probable for v in views)
    no_code = sum(v.code is None for v in views)
    ambiguous = sum(v.ambiguous for v in views)
    return (f"{len(views)} collaborative(s) found, {disagreeing} with disagreements, "
            f"{probable} with members matched only on name and partners ({no_code} with no "
            f"shared code), {ambiguous} with an ambiguous host or lead")
