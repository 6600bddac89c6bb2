"""The calibration set: an independent reviewer's ratings, written before the tool ran.

Every profile in tests/calibration is rated overall and on the five questions exactly as
expected.yaml says, except where disagreements.yaml records the tool's rating and why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire

HERE = Path(__file__).parent / "calibration"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "expected.yaml").read_text())
DISAGREE: dict[str, dict[str, Any]] = yaml.safe_load(
    (HERE / "disagreements.yaml").read_text())
QUESTIONS = ("strategy_alignment", "proportionate_infrastructure", "resourcing",
             "risk_management", "performance_fallback")


def test_every_profile_has_expectations_and_every_disagreement_a_profile() -> None:
    profiles = {p.stem for p in HERE.glob("[0-9][0-9]-*.yaml")}
    assert profiles == set(EXPECTED)
    assert len(profiles) >= 15
    for stem, items in DISAGREE.items():
        assert stem in EXPECTED
        for key, entry in items.items():
            assert key in ("overall", *QUESTIONS)
            assert entry["tool"] != EXPECTED[stem][key]["rating"], (stem, key)
            assert entry["why"].strip()


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_profile_rates_as_the_reviewer_expects(stem: str) -> None:
    trust, source = load(HERE / f"{stem}.yaml", TrustDescription)
    result = evaluate(trust, source, load_questionnaire(),
                      resolve_as_of(None, trust, dt.date(2026, 11, 29)))
    got = {"overall": result.overall.rating, **{c.id: c.rating for c in result.categories}}
    want = {key: DISAGREE.get(stem, {}).get(key, {}).get("tool", value["rating"])
            for key, value in EXPECTED[stem].items()}
    assert got == want
