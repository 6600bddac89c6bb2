"""The collaborative view as an HTML section, for the batch page (formats/html_batch.py).

Every text from a file goes through `html_text`: a name is text, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from boardcheck.formats import collaborative_text as words
from boardcheck.formats.sanitise import html_text
from boardcheck.formats.wording import coverage_number, rating_label

if TYPE_CHECKING:
    from boardcheck.collaboratives import CollaborativeView, Submission
    from boardcheck.summary import BatchResult

NONE_FOUND = ("No collaborative is described by more than one submission, and no submission "
              "quotes a shared collaborative code.")


def collaboratives_html(batch: BatchResult) -> str:
    """A `<section>` listing each collaborative: members, readiness, disagreements."""
    views = batch.collaboratives
    parts = ['<section class="collaboratives" aria-labelledby="collaboratives-heading">',
             f'<h2 id="collaboratives-heading">{html_text(words.TITLE)}</h2>',
             f"<p>{html_text(words.INTRO)}</p>"]
    if not views:
        parts.append(f"<p>{html_text(NONE_FOUND)}</p>")
    else:
        parts.append(f"<p>{html_text(words.summary_line(views))}.</p>")
        titles = dict(zip(batch.category_ids, batch.category_titles, strict=True))
        for n, view in enumerate(views, 1):
            parts.append(_collaborative(view, n, titles))
    parts.append("</section>")
    return "\n".join(parts) + "\n"


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
    return (f"<tr><th scope=\"row\">{html_text(s.organisation)}{html_text(probable)}</th>"
            f"<td>{_verdict(s.overall_score, s.overall_rating, s.overall_coverage)}</td>"
            f"{cells}</tr>")


def _collaborative(view: CollaborativeView, n: int, titles: dict[str, str]) -> str:
    ids = list(titles)
    head = "".join(f'<th scope="col">{html_text(titles[cid])}</th>' for cid in ids)
    members = "".join(
        f"<li>{html_text(words.member_text(m))}: "
        f"{'submitted' if m.submitted else 'not submitted'}</li>" for m in view.members)
    parts = [
        f'<article class="collaborative" aria-labelledby="collaborative-{n}">',
        f'<h3 id="collaborative-{n}">{html_text(words.heading(view))}</h3>',
        f"<p>{html_text(words.membership(view))}.</p>",
        f"<ul class=\"members\">{members}</ul>",
        f"<p>{html_text(words.READINESS)}: {html_text(words.readiness(view))}.</p>",
        '<div class="scroll"><table class="readiness">'
        f"<caption>{html_text(words.READINESS)}</caption>"
        f'<thead><tr><th scope="col">Member</th><th scope="col">Overall</th>{head}</tr></thead>'
        "<tbody>" + "".join(_submission_row(s, ids) for s in view.submissions)
        + "</tbody></table></div>",
    ]
    if view.disagreements:
        parts.append(f"<h4>Disagreements ({len(view.disagreements)})</h4>"
                     '<dl class="disagreements">')
        for d in view.disagreements:
            statements = "".join(
                f"<li>{html_text(s.organisation)}: <strong>{html_text(s.value)}</strong> "
                f"<code>{html_text(words.where(s))}</code></li>" for s in d.statements)
            parts.append(f"<dt>{html_text(d.title)}</dt><dd><ul>{statements}</ul></dd>")
        parts.append("</dl>")
    else:
        parts.append("<p>No disagreements: where members state the same facts, they agree.</p>")
    if view.partly_recorded:
        items = "".join(
            f"<li>{html_text(p.title)}: recorded by {html_text(', '.join(p.recorded_by))}; "
            f"not by {html_text(', '.join(p.not_recorded_by))}</li>"
            for p in view.partly_recorded)
        parts.append(f"<details><summary>Recorded by some members only "
                     f"({len(view.partly_recorded)})</summary><ul>{items}</ul></details>")
    parts.append("</article>")
    return "\n".join(parts)
