"""The collaborative view as an HTML section, for the batch page (formats/html_batch.py).

Every text from a file goes through `html_text`: a name is text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from boardcheck.formats import collaborative_text as words
from boardcheck.formats.sanitise import html_text
from boardcheck.formats.wording import coverage_number, rating_label

if TYPE_CHECKING:
    from boardcheck.collaboratives import (
        CollaborativeView,
        Disagreement,
        Submission,
        Unresolved,
    )
    from boardcheck.summary import BatchResult

NONE_FOUND = ("No collaborative is described by more than one submission, and no submission "
              "quotes a shared collaborative code.")


def collaboratives_html(batch: BatchResult) -> str:
    """A `<section>` listing each collaborative: members, readiness, disagreements."""
    return "\n".join(collaboratives_pieces(batch)) + "\n"


def collaboratives_pieces(batch: BatchResult) -> Iterator[str]:
    """The same section a piece at a time (at most one member's row or one disagreement), for
    a page written in pieces: a collaborative of fifty members is one long string."""
    views = batch.collaboratives
    yield ('<section id="collaboratives" class="collaboratives" '
           'aria-labelledby="collaboratives-heading">')
    yield f'<h2 id="collaboratives-heading">{html_text(words.TITLE)}</h2>'
    yield f"<p>{html_text(words.INTRO)}</p>"
    if not views:
        yield f"<p>{html_text(NONE_FOUND)}</p>"
    else:
        yield f"<p>{html_text(words.summary_line(views))}.</p>"
        titles = dict(zip(batch.category_ids, batch.category_titles, strict=True))
        # Each file that could not be evaluated has its own place in the list of errors.
        anchors = {row.file: error_anchor(row.index) for row in batch.errors}
        for n, view in enumerate(views, 1):
            yield from _collaborative(view, n, titles, anchors)
    yield "</section>"


def _verdict(score: float | None, rating: str | None, coverage: float | None) -> str:
    shown = "—" if score is None else f"{score:.1f}"
    return (f'<span class="rating-{html_text(rating or "inconclusive")}">{shown} '
            f"{html_text(rating_label(rating))}</span> "
            f'<span class="coverage">({html_text(coverage_number(coverage))} evidenced)</span>')


def _submission_row(s: Submission, ids: list[str]) -> str:
    by_id = {c.id: c for c in s.categories}
    cells = "".join(
        f"<td>{_verdict(c.score, c.rating, c.coverage)}</td>" if (c := by_id.get(cid))
        else "<td>—</td>" for cid in ids)
    probable = " (probable match)" if s.matched_by != "code" else ""
    if not s.counted:
        probable += f" (another file from this member, {s.file}: not counted again)"
    return (f"<tr><th scope=\"row\">{html_text(s.organisation)}{html_text(probable)}</th>"
            f"<td>{_verdict(s.overall_score, s.overall_rating, s.overall_coverage)}</td>"
            f"{cells}</tr>")


def error_anchor(index: int) -> str:
    """The id of a file's entry in the page's list of files that could not be evaluated."""
    return f"e{index}"


def _collaborative(view: CollaborativeView, n: int, titles: dict[str, str],
                   anchors: dict[str, str]) -> Iterator[str]:
    ids = list(titles)
    head = "".join(f'<th scope="col">{html_text(titles[cid])}</th>' for cid in ids)
    yield f'<article class="collaborative" aria-labelledby="collaborative-{n}">'
    yield f'<h3 id="collaborative-{n}">{html_text(words.heading(view))}</h3>'
    yield f"<p>{html_text(words.submitted_count(view))}:</p>"
    yield '<ul class="members">'
    for m in view.members:
        # A file that could not be checked: its problems are in the page's list of errors.
        # A member not found may be behind a file that could not be read that far.
        if m.failed:  # each of its files, at its own entry
            errors = " (" + ", ".join(
                f'<a href="#{anchors.get(p.file, "errors")}">the problems with '
                f"<code>{html_text(p.file)}</code></a>" for p in m.failed) + ")"
        elif view.unidentified and not m.submitted and not m.ambiguous:
            errors = ' (<a href="#errors">the files that could not be evaluated</a>)'
        else:
            errors = ""
        yield (f"<li>{html_text(words.member_text(m))}: "
               f"{html_text(words.member_status(m, view))}{errors}</li>")
    yield "</ul>"
    if view.probable:
        # Which files were matched only on name and partners, with their positions: the
        # members to ask to quote the shared code.
        yield f'<p>{html_text(words.probable_title(view))}</p><ul class="probable">'
        for sub in view.probable_submissions:
            yield (f"<li>{html_text(words.probable_value(sub))} "
                   f"<code>{html_text(words.where(sub))}</code></li>")
        yield "</ul>"
    # One heading for the readiness; the table under it has a caption of its own.
    yield f"<h4>{html_text(words.READINESS)}</h4>"
    yield f"<p>{html_text(words.readiness(view, sentence=True))}.</p>"
    yield ('<div class="scroll"><table class="readiness">'
           f"<caption>{html_text(words.MEMBER_RATINGS)}</caption>"
           f'<thead><tr><th scope="col">Member</th><th scope="col">Overall</th>{head}</tr>'
           "</thead><tbody>")
    for submission in view.submissions:
        yield _submission_row(submission, ids)
    yield "</tbody></table></div>"
    if view.disagreements:
        yield (f"<h4>Disagreements ({len(view.disagreements)})</h4>"
               '<dl class="disagreements">')
        for d in view.disagreements:
            note = f' <span class="sub">({html_text(words.NAMES_ONLY)})</span>' \
                if d.names_only else ""
            yield f"<dt>{html_text(d.title)}{note}</dt><dd><ul>"
            yield from _statements(d)
            yield "</ul></dd>"
        yield "</dl>"
    else:
        yield "<p>No disagreements: where members state the same facts, they agree.</p>"
    for u in view.unresolved:
        yield f'<p class="ambiguous">{html_text(words.unresolved(u))}</p><ul>'
        yield from _statements(u)
        yield "</ul>"
    if view.partly_recorded:
        # Open: a closed <details> prints as a bare heading.
        yield (f"<details open><summary>{html_text(words.PARTLY_RECORDED)} "
               f"({len(view.partly_recorded)})</summary><ul>")
        for p in view.partly_recorded:
            yield (f"<li>{html_text(p.title)}: recorded by "
                   f"{html_text(', '.join(p.recorded_by))}; "
                   f"not by {html_text(', '.join(p.not_recorded_by))}</li>")
        yield "</ul></details>"
    yield "</article>"


def _statements(fact: Disagreement | Unresolved) -> Iterator[str]:
    """Each file's statement of a fact: by name, as a reader says them (the ODS codes only
    where two names read alike but the codes say they are different organisations), and
    its position."""
    for s in fact.statements:
        yield (f"<li>{html_text(words.who(s))}: "
               f"<strong>{html_text(words.value(fact, s))}</strong> "
               f"<code>{html_text(words.where(s))}</code></li>")
