"""Recording an adverse fact never raises the score of the question it belongs to.

Each property takes a real description (a shipped example or a calibration profile), turns
one fact from its benign form to its adverse form — a partner put into segment 4 or 5, an
internal-audit opinion made limited or no assurance, a review date made older or a due date
made past — and holds the engine to: the question's score does not rise and its rating does
not improve.

The comparison is with the benign fact, not with silence. Against silence an adverse fact
can rightly raise a question: a partner in segment 4 that the trust covers with a BAF risk
and a contingency plan is assurance, where a partner whose segment is not recorded is none
(a critical criterion not evidenced, capped red). Hypothesis found exactly that case when a
silence-based property was tried; the tool was right and the property was dropped.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.result import Result
from tests.conftest import EXAMPLES

ROOT = Path(__file__).parent
SOURCES = sorted([*EXAMPLES.glob("*.yaml"), *(ROOT / "calibration").glob("[0-9][0-9]-*.yaml")])
DOCUMENTS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SOURCES}
QUESTIONNAIRE = load_questionnaire()
ORDER = {"green": 0, "amber": 1, "red": 2}
TODAY = dt.date(2026, 11, 29)
# A quarter of the profile's examples: each one writes, loads and judges a whole file twice.
FEWER = settings(max_examples=max(10, settings().max_examples // 4))


def judge(tmp: Path, doc: dict[str, Any]) -> Result:
    path = tmp / "trust.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    trust, source = load(path, TrustDescription)
    return evaluate(trust, source, QUESTIONNAIRE, resolve_as_of(None, trust, TODAY))


def question(result: Result, cid: str) -> tuple[float | None, str]:
    cat = next(c for c in result.categories if c.id == cid)
    return cat.score, cat.rating


def assert_no_better(before: Result, after: Result, cid: str) -> None:
    (old_score, old_rating), (new_score, new_rating) = (question(before, cid),
                                                        question(after, cid))
    note(f"{cid}: {old_score} {old_rating} -> {new_score} {new_rating}")
    if old_score is not None and new_score is not None:
        assert new_score <= old_score
    if old_rating in ORDER and new_rating in ORDER:
        assert ORDER[new_rating] >= ORDER[old_rating]


def _partners(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for c in doc.get("collaboratives") or [] for p in c.get("partners") or []
            if p.get("kind") in (None, "nhs_trust", "nhs_foundation_trust")]


@FEWER
@given(name=st.sampled_from(sorted(DOCUMENTS)), pick=st.integers(0, 50),
       segment=st.sampled_from([4, 5]))
def test_a_partner_put_into_a_serious_segment(tmp_path_factory: Any, name: str, pick: int,
                                              segment: int) -> None:
    doc = copy.deepcopy(DOCUMENTS[name])
    benign = [p for p in _partners(doc) if (p.get("oversight") or {}).get("segment", 9) < 4]
    assume(benign)
    tmp = tmp_path_factory.mktemp("seg")
    before = judge(tmp, doc)
    partner = benign[pick % len(benign)]
    partner["oversight"] = {**partner["oversight"], "segment": segment, "framework": "nof_2025"}
    assert_no_better(before, judge(tmp, doc), "performance_fallback")


@FEWER
@given(name=st.sampled_from(sorted(DOCUMENTS)), opinion=st.sampled_from(
    ["limited", "no_assurance", "partial", "unsatisfactory"]))
def test_an_audit_opinion_made_adverse(tmp_path_factory: Any, name: str, opinion: str) -> None:
    doc = copy.deepcopy(DOCUMENTS[name])
    audits = (doc.get("board_oversight") or {}).get("internal_audits") or []
    assume(audits)
    tmp = tmp_path_factory.mktemp("audit")
    before = judge(tmp, doc)
    for audit in audits:  # every opinion, so the latest is adverse whichever it is
        audit["assurance"] = opinion
    assert_no_better(before, judge(tmp, doc), "risk_management")


# Review dates (made older) and due dates (made past), with the question each belongs to.
def _dated(doc: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    out: list[tuple[dict[str, Any], str, str]] = []
    strategy = doc.get("strategy") or {}
    if "alignment_last_reviewed" in strategy:
        out.append((strategy, "alignment_last_reviewed", "strategy_alignment"))
    baf = doc.get("board_assurance_framework") or {}
    if "last_reviewed" in baf:
        out.append((baf, "last_reviewed", "risk_management"))
    out += [(r, "last_reviewed", "risk_management") for r in baf.get("risks") or []
            if "last_reviewed" in r]
    for c in doc.get("collaboratives") or []:
        tor = c.get("terms_of_reference") or {}
        out += [(tor, key, "proportionate_infrastructure")
                for key in ("last_reviewed", "review_due") if key in tor]
        for m in (c.get("resourcing") or {}).get("milestones") or []:
            if "due" in m and m.get("status") != "complete":
                out.append((m, "due", "resourcing"))
        register = c.get("risk_register") or {}
        if "last_reviewed" in register:
            out.append((register, "last_reviewed", "risk_management"))
    return out


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        parts = value.split("-")
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            return None
    return None


@FEWER
@given(name=st.sampled_from(sorted(DOCUMENTS)), pick=st.integers(0, 200),
       months=st.integers(1, 60))
def test_a_date_made_older_or_overdue(tmp_path_factory: Any, name: str, pick: int,
                                      months: int) -> None:
    doc = copy.deepcopy(DOCUMENTS[name])
    dated = _dated(doc)
    assume(dated)
    holder, key, cid = dated[pick % len(dated)]
    day = _as_date(holder[key])
    assume(day is not None)
    assert day is not None
    tmp = tmp_path_factory.mktemp("date")
    before = judge(tmp, doc)
    holder[key] = (day - dt.timedelta(days=31 * months)).isoformat()
    assert_no_better(before, judge(tmp, doc), cid)
