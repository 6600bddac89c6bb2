"""What changed between two results: scores and ratings moved, criteria met and lost.

Both sides are results in the JSON contract read back into typed values (`saved`), so a
saved `--format json` from the last board compares with a fresh check. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boardcheck.saved import SavedArrangement, SavedResult

# A gap in either of its states: stated and failing, or not evidenced (silence).
GAP = ("not_met", "partly_met", "not_evidenced")


@dataclass(frozen=True, slots=True)
class Movement:
    """One score's change: a board question, or the whole."""

    id: str
    title: str
    old_score: float | None
    new_score: float | None
    old_rating: str
    new_rating: str

    @property
    def change(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 1)


@dataclass(frozen=True, slots=True)
class CriterionChange:
    id: str
    title: str
    category: str
    old_status: str | None
    new_status: str | None


@dataclass(frozen=True, slots=True)
class Diff:
    """Everything that moved between the old and the new result."""

    old_label: str
    new_label: str
    old_as_of: str
    new_as_of: str
    overall: Movement
    categories: tuple[Movement, ...]
    newly_met: tuple[CriterionChange, ...]
    newly_not_met: tuple[CriterionChange, ...]
    other_changes: tuple[CriterionChange, ...]
    waivers_added: tuple[str, ...]
    waivers_removed: tuple[str, ...]
    waivers_expired: tuple[str, ...]
    arrangements_added: tuple[str, ...]
    arrangements_removed: tuple[str, ...]
    questionnaire_changed: bool
    # False where that side's file and run stated no as-of date: its date is the day it
    # was checked, and reports say so rather than call it an as-of date.
    old_as_of_stated: bool = True
    new_as_of_stated: bool = True


def since_words(diff: Diff) -> str:
    """The baseline for "since ...": its as-of date, or, where its file and run stated none,
    the day it was checked, named as that."""
    return diff.old_as_of if diff.old_as_of_stated else f"the check of {diff.old_as_of}"


def _criteria(result: SavedResult) -> dict[str, tuple[str, str, str]]:
    return {c.id: (c.status, c.title, cat.id) for cat in result.categories
            for c in cat.criteria}


def _labels(items: list[SavedArrangement]) -> dict[str, str]:
    return {a.id: f"{a.id} ({a.name})" for a in items}


def compare(old: SavedResult, new: SavedResult, *, old_label: str = "old",
            new_label: str = "new") -> Diff:
    """The movement from `old` to `new`, in questionnaire order."""
    old_cats = {c.id: c for c in old.categories}
    movements = []
    for cat in new.categories:
        before = old_cats.get(cat.id)
        movements.append(Movement(cat.id, cat.title, before.score if before else None,
                                  cat.score, before.rating if before else "inconclusive",
                                  cat.rating))
    overall = Movement("overall", "Overall", old.overall.score, new.overall.score,
                       old.overall.rating, new.overall.rating)
    before_c, after_c = _criteria(old), _criteria(new)
    met, lost, other = [], [], []
    for cid, (status, title, category) in after_c.items():
        was = before_c.get(cid, (None, title, category))[0]
        if was == status:
            continue
        change = CriterionChange(cid, title, category, was, status)
        if status == "met":
            met.append(change)
        elif status in GAP and was not in GAP:
            lost.append(change)
        else:
            other.append(change)
    for cid, (status, title, category) in before_c.items():
        if cid not in after_c:
            other.append(CriterionChange(cid, title, category, status, None))
    old_w = {w.criterion: w.expired for w in old.waivers}
    new_w = {w.criterion: w.expired for w in new.waivers}
    old_a, new_a = _labels(old.arrangements), _labels(new.arrangements)
    return Diff(
        old_label=old_label, new_label=new_label, old_as_of=old.as_of.isoformat(),
        new_as_of=new.as_of.isoformat(), overall=overall, categories=tuple(movements),
        newly_met=tuple(met), newly_not_met=tuple(lost), other_changes=tuple(other),
        waivers_added=tuple(sorted(set(new_w) - set(old_w))),
        waivers_removed=tuple(sorted(set(old_w) - set(new_w))),
        waivers_expired=tuple(sorted(k for k, expired in new_w.items()
                                     if expired and not old_w.get(k, False))),
        arrangements_added=tuple(new_a[k] for k in new_a if k not in old_a),
        arrangements_removed=tuple(old_a[k] for k in old_a if k not in new_a),
        questionnaire_changed=(old.questionnaire != new.questionnaire),
        old_as_of_stated=old.as_of_stated, new_as_of_stated=new.as_of_stated,
    )


def arrow(change: float | None) -> str:
    """An arrow and the size of the change: '↑ 4.2', '↓ 3.0', '→ 0.0', or '' when not
    comparable. The arrow carries the direction, so the number carries no sign ("↓ -3.0"
    would say it twice)."""
    if change is None:
        return ""
    if change > 0:
        return f"↑ {change:.1f}"
    if change < 0:
        return f"↓ {-change:.1f}"
    return "→ 0.0"
