"""The forward look: every review, renewal and expiry that falls due, for the board's plan.

Dates come from the file: explicit ones (review_due, expires, review_by, milestone due
dates) and ones that follow from a last review plus the interval the questionnaire sets
(a criterion's `months`), so the intervals stay in the questionnaire, not in code. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from boardcheck.checks import add_months
from boardcheck.loading import SourceMap, YamlPath, format_path
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import Questionnaire

Group = Literal["overdue", "before_meeting", "later"]
GROUP_TITLES: dict[Group, str] = {
    "overdue": "Overdue", "before_meeting": "Due before the meeting", "later": "Later",
}


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing falling due."""

    date: dt.date
    group: Group
    kind: str
    what: str
    path: str
    line: int
    basis: str  # how the date was found: "given" or "last ... + N months (criterion)"


@dataclass(frozen=True, slots=True)
class ForwardLook:
    organisation: str
    file: str
    as_of: dt.date
    meeting: dt.date
    until: dt.date
    items: tuple[DueItem, ...]
    # False when neither the file nor the run states the as-of date: `as_of` is the day of
    # the check, which the look is judged from but which is not the file's position date.
    as_of_stated: bool = True


def add_days(day: dt.date, days: int) -> dt.date:
    """`day` plus `days`, saturating at the last day of the calendar (9999-12-31)."""
    return day + dt.timedelta(days=min(days, (dt.date.max - day).days))


def _interval(q: Questionnaire, kind: str, path: str | None = None) -> tuple[int, str] | None:
    """The `months` a criterion of `kind` (on `path`) sets, with the criterion's id."""
    for c in q.criteria:
        params: Any = c.params
        inner = getattr(params, "check", None)
        if c.kind.name == kind and (path is None or getattr(params, "path", None) == path):
            return int(params.months), c.spec.id
        if (kind == "baf_review" and c.kind.name == "for_each"
                and getattr(params, "over", None) == "baf_risks" and inner is not None
                and inner.kind == "date_within" and inner.path == "last_reviewed"):
            return int(inner.months), c.spec.id
    return None


def forward_look(trust: TrustDescription, source: SourceMap, questionnaire: Questionnaire,
                 as_of: dt.date, *, meeting: dt.date | None, within_days: int) -> ForwardLook:
    """Everything due up to the later of the meeting and as-of + `within_days`, and all that
    is already overdue; sorted by date, then by what."""
    meeting = meeting or add_days(as_of, within_days)
    until = max(meeting, add_days(as_of, within_days))
    found: list[tuple[dt.date, str, str, YamlPath, str]] = []

    def add(date: dt.date | None, kind: str, what: str, path: YamlPath, basis: str) -> None:
        if date is not None:
            found.append((date, kind, what, path, basis))

    def derived(last: dt.date | None, rule: tuple[int, str] | None, label: str
                ) -> tuple[dt.date | None, str]:
        if last is None or rule is None:
            return None, ""
        months, cid = rule
        return add_months(last, months), f"{label} {last.isoformat()} + {months} months ({cid})"

    strategy = trust.strategy
    if strategy is not None:
        date, basis = derived(strategy.alignment_last_reviewed,
                              _interval(questionnaire, "date_within",
                                        "strategy.alignment_last_reviewed"), "reviewed")
        add(date, "strategy", "Board review of strategic alignment with collaboratives",
            ("strategy", "alignment_last_reviewed"), basis)
    oversight = trust.board_oversight
    if oversight is not None and oversight.internal_audits:
        i, latest = max(enumerate(oversight.internal_audits), key=lambda p: p[1].date)
        date, basis = derived(latest.date, _interval(questionnaire, "internal_audit"), "audited")
        add(date, "internal audit", f"Internal audit of partnership governance (last: "
            f"{latest.title})", ("board_oversight", "internal_audits", i), basis)
    if oversight is not None and oversight.maturity_assessment is not None:
        date, basis = derived(oversight.maturity_assessment.assessed,
                              _interval(questionnaire, "maturity_assessed"), "assessed")
        add(date, "maturity", "Risk maturity self-assessment",
            ("board_oversight", "maturity_assessment"), basis)
    governors = trust.organisation.council_of_governors
    if trust.organisation.legal_form == "nhs_foundation_trust" and governors is not None:
        date, basis = derived(governors.briefed_on_collaboration,
                              _interval(questionnaire, "governors_involved"), "briefed")
        add(date, "governors", "Briefing of the council of governors on collaboration",
            ("organisation", "council_of_governors"), basis)
    baf = trust.board_assurance_framework
    baf_rule = _interval(questionnaire, "baf_review")
    for i, risk in enumerate(baf.risks if baf else []):
        date, basis = derived(risk.last_reviewed, baf_rule, "reviewed")
        add(date, "BAF risk", f"Review of BAF risk {risk.id}: {risk.title}",
            ("board_assurance_framework", "risks", i), basis)
    tor_rule = _interval(questionnaire, "tor_current")
    for i, c in enumerate(trust.collaboratives):
        here: YamlPath = ("collaboratives", i)
        tor = c.terms_of_reference
        if tor is not None:
            if tor.review_due is not None:
                add(tor.review_due, "terms of reference", f"{c.name}: terms of reference review",
                    (*here, "terms_of_reference", "review_due"), "given")
            else:
                date, basis = derived(tor.last_reviewed or tor.approved, tor_rule, "reviewed")
                add(date, "terms of reference", f"{c.name}: terms of reference review",
                    (*here, "terms_of_reference"), basis)
        agreement = c.collaboration_agreement
        if agreement is not None and agreement.expires is not None:
            add(agreement.expires, "agreement", f"{c.name}: collaboration agreement ends",
                (*here, "collaboration_agreement", "expires"), "given")
            notice = c.exit.notice_months if c.exit else None
            if notice:
                add(add_months(agreement.expires, -notice), "exit notice",
                    f"{c.name}: last day to give {notice} months' exit notice before the "
                    "agreement ends", (*here, "exit", "notice_months"),
                    f"agreement ends {agreement.expires.isoformat()} - {notice} months")
        for k, fn in enumerate(c.delegated_functions):
            if fn.agreement is not None and fn.agreement.review_due is not None:
                add(fn.agreement.review_due, "delegation", f"{c.name}: review of the delegation "
                    f"agreement for {fn.function}",
                    (*here, "delegated_functions", k, "agreement", "review_due"), "given")
        for k, ms in enumerate(c.resourcing.milestones if c.resourcing else []):
            if ms.status != "complete":
                add(ms.due, "milestone", f"{c.name}: {ms.title}"
                    + (f" (owner {ms.owner})" if ms.owner else ""),
                    (*here, "resourcing", "milestones", k), "given")
    for i, w in enumerate(trust.waivers):
        add(w.review_by, "waiver", f"Waiver of {w.criterion} to be reviewed ({w.reason})",
            ("waivers", i, "review_by"), "given")

    items = []
    for date, kind, what, path, basis in found:
        if date > until:
            continue
        group: Group = ("overdue" if date < as_of else
                        "before_meeting" if date <= meeting else "later")
        items.append(DueItem(date, group, kind, what, format_path(path),
                             source.locate(path)[0], basis))
    items.sort(key=lambda d: (d.date, d.what))
    return ForwardLook(trust.organisation.name, source.file, as_of, meeting, until,
                       tuple(items))
