"""Scoring through the engine's API, on a small questionnaire of generic checks."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.errors import InputError
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire
from boardcheck.result import Result
from tests.conftest import FIXTURES

MINI = str(FIXTURES / "questionnaires" / "mini.yaml")


def evaluate_file(path: Path, as_of: dt.date | None = None) -> Result:
    trust, source = load(path, TrustDescription)
    return evaluate(trust, source, load_questionnaire(MINI),
                    resolve_as_of(as_of, trust, dt.date(2000, 1, 1)))


def by_id(result: Result) -> dict[str, tuple[str, float | None, str]]:
    return {c.id: (c.rating, c.score, c.capped_by or "") for c in result.categories}


def test_scores_ratings_caps_and_inconclusive() -> None:
    result = evaluate_file(FIXTURES / "trusts" / "mini-two.yaml")
    assert by_id(result) == {
        "strategy_alignment": ("amber", 75.0, ""),          # 3 of 4 weight met
        # 9 of 10 weight would be green; the critical PI01 partly met caps it at amber.
        "proportionate_infrastructure": ("amber", 90.0, "PI01"),
        "resourcing": ("inconclusive", None, ""),           # no arrangement the trust leads
        "risk_management": ("amber", 50.0, ""),
        "performance_fallback": ("green", 100.0, ""),
    }
    # Mean of the four conclusive categories: (75 + 90 + 50 + 100) / 4.
    assert (result.overall.score, result.overall.rating) == (78.8, "amber")
    statuses = {c.id: c.status for c in result.criteria}
    assert statuses == {"SA01": "met", "SA02": "not_met", "PI01": "partly_met",
                        "PI02": "met", "RS01": "not_applicable", "RM01": "partly_met",
                        "PF01": "met"}


def test_not_applicable_reason_and_evidence_lines() -> None:
    result = evaluate_file(FIXTURES / "trusts" / "mini-two.yaml")
    crit = {c.id: c for c in result.criteria}
    assert crit["RS01"].message == "no arrangements listed that this criterion applies to"
    assert crit["PI01"].message == ("1 of 2 arrangements: beta: decision_making.forum is not "
                                    "recorded")
    assert not crit["PI01"].evidenced
    # The gap first; the absent field is not recorded and lies at its nearest present line.
    assert [(e.path, e.line, e.recorded, e.gap) for e in crit["PI01"].evidence] == [
        ("collaboratives[1].decision_making.forum", 22, False, True),
        ("collaboratives[0].decision_making.forum", 21, True, False),
    ]
    assert crit["SA02"].evidenced
    assert crit["SA02"].message == "strategy.joint_forward_plan_referenced is false, expected " \
                                   "true"


def test_as_of_flag_beats_the_file() -> None:
    path = FIXTURES / "trusts" / "mini-two.yaml"
    later = evaluate_file(path, dt.date(2026, 7, 2))
    assert later.as_of == dt.date(2026, 7, 2)
    sa01 = next(c for c in later.criteria if c.id == "SA01")
    assert sa01.status == "not_met"
    assert sa01.message == ("strategy.alignment_last_reviewed is 2025-07-01, more than 12 "
                            "months before 2026-07-02")


def test_points_available_rank_gaps() -> None:
    result = evaluate_file(FIXTURES / "trusts" / "mini-two.yaml")
    ranked = [(c.id, c.points_available) for c in result.gaps_by_points()]
    # RM01 partly met loses half of its category's only weight: 50 category points, and a
    # quarter of that overall (four conclusive categories of equal weight).
    assert ranked == [("RM01", 12.5), ("SA02", 6.2), ("PI01", 2.5)]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "trust.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_silence_is_not_evidenced_never_not_applicable(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        schema_version: 1
        as_of: 2026-01-01
        organisation: {name: Empty NHS Trust}
        strategy: {alignment_last_reviewed: 2025-12-01, joint_forward_plan_referenced: true}
        """)
    result = evaluate_file(path)
    statuses = {c.id: (c.status, c.message) for c in result.criteria}
    # No arrangements listed is silence, not "nothing applies": the per-arrangement criteria
    # are not evidenced, and so are the BAF and the segment.
    assert statuses == {
        "SA01": ("met", "strategy.alignment_last_reviewed is 2025-12-01"),
        "SA02": ("met", "strategy.joint_forward_plan_referenced is true"),
        "PI01": ("not_evidenced", "no collaborative arrangements are recorded"),
        "PI02": ("met", "organisation.name is given"),
        "RS01": ("not_evidenced", "no collaborative arrangements are recorded"),
        "RM01": ("not_evidenced", "no BAF risks are recorded"),
        "PF01": ("not_evidenced", "organisation.oversight is not recorded"),
    }
    assert [(c.id, c.score, c.evidence_coverage, c.rating) for c in result.categories] == [
        ("strategy_alignment", 100.0, 100.0, "green"),
        ("proportionate_infrastructure", 80.0, 80.0, "red"),
        ("resourcing", 0.0, 0.0, "red"),
        ("risk_management", 0.0, 0.0, "red"),
        ("performance_fallback", 0.0, 0.0, "red"),
    ]
    # The mini questionnaire sets no coverage minimum and no rule for silence on a critical
    # criterion, so silence keeps the meaning it had there: not met, capping at red.
    pi = result.categories[1]
    assert pi.explanation == ("red: capped by PI01 (Every arrangement names its forum), not "
                              "evidenced")
    assert (result.overall.score, result.overall.evidence_coverage) == (36.0, 36.0)


def test_critical_not_met_caps_category_at_red(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        schema_version: 1
        as_of: 2026-01-01
        organisation: {name: Capped NHS Trust}
        collaboratives:
          - {id: a, name: A, type: joint_committee}
        """)
    result = evaluate_file(path)
    infra = next(c for c in result.categories if c.id == "proportionate_infrastructure")
    # 8 of 10 weight met would be green; the critical PI01 not met caps it at red.
    assert (infra.score, infra.rating, infra.capped_by) == (80.0, "red", "PI01")
    assert result.overall.rating == "red"


def test_waiver_leaves_denominator_and_expires(tmp_path: Path) -> None:
    body = """\
        schema_version: 1
        as_of: 2026-06-30
        organisation: {name: Waiving NHS Trust}
        strategy: {alignment_last_reviewed: 2026-01-01, joint_forward_plan_referenced: false}
        waivers:
          - criterion: SA02
            reason: The joint forward plan is being rewritten
            owner: Director of Strategy
            approved_by: Audit Committee
            review_by: REVIEW
        """
    live = evaluate_file(_write(tmp_path, body.replace("REVIEW", "2026-09-30")))
    strategy = live.categories[0]
    assert [c.status for c in strategy.criteria] == ["met", "waived"]
    assert strategy.score == 100.0
    assert live.waivers[0].expired is False
    expired = evaluate_file(_write(tmp_path, body.replace("REVIEW", "2026-06-29")))
    assert [c.status for c in expired.categories[0].criteria] == ["met", "not_met"]
    assert expired.categories[0].score == 75.0
    assert expired.waivers[0].expired is True


def test_waiver_for_unknown_criterion_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        schema_version: 1
        organisation: {name: Waiving NHS Trust}
        waivers:
          - {criterion: ZZ99, reason: r, owner: o, approved_by: a, review_by: 2027-01-01}
        """)
    with pytest.raises(InputError) as info:
        evaluate_file(path)
    assert str(info.value) == (f"{path}:4:17: waivers[0].criterion: 'ZZ99' is not a criterion "
                               "of questionnaire mini")


def test_same_input_same_result() -> None:
    path = FIXTURES / "trusts" / "mini-two.yaml"
    assert evaluate_file(path) == evaluate_file(path)


def test_objects_built_quickly_are_the_classes_own() -> None:
    """`quick_new` builds evidence and criterion results by a faster route: what it returns
    must be indistinguishable from the class's own constructor: type, fields, defaults,
    equality, hash, pickling, and still frozen."""
    import dataclasses
    import pickle

    from boardcheck.checks import Context
    from boardcheck.result import CriterionResult, Evidence, quick_new

    quick = quick_new(Evidence)("collaboratives[0].name", 3, 7, "named")
    plain = Evidence("collaboratives[0].name", 3, 7, "named")
    assert type(quick) is Evidence
    assert quick == plain and hash(quick) == hash(plain) and repr(quick) == repr(plain)
    assert (quick.gap, quick.recorded) == (False, True)
    assert pickle.loads(pickle.dumps(quick)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.line = 4  # type: ignore[misc]
    values = ("SA01", "strategy_alignment", "Title", "not_met", 2.0, "major", "why",
              (plain,), True, "challenge", "remedy", 1.5)
    result = quick_new(CriterionResult)(*values, owners=("Chief Officer",))
    assert result == CriterionResult(*values, owners=("Chief Officer",))
    assert type(result) is CriterionResult and result.action == "" and result.waiver is None
    # A default factory gives each instance its own value, as the constructor does.
    first = quick_new(Context)(None, None, dt.date(2026, 1, 1))  # type: ignore[arg-type]
    second = quick_new(Context)(None, None, dt.date(2026, 1, 1))  # type: ignore[arg-type]
    assert first.known == {} and first.known is not second.known
