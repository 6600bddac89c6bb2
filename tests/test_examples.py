"""The shipped examples rate as documented, with their planted gaps found."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli


def check_json(name: str) -> dict[str, Any]:
    run = run_cli("check", str(EXAMPLES / name), "--format", "json")
    assert run.exit_code == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for cat in data["categories"] for c in cat["criteria"]}


def ratings(data: dict[str, Any]) -> dict[str, str]:
    return {cat["id"]: cat["rating"] for cat in data["categories"]}


def test_strong_example_is_green_with_a_proportionality_gap() -> None:
    data = check_json("strong-acute-ft.yaml")
    assert data["overall"]["rating"] == "green"
    assert set(ratings(data).values()) == {"green"}
    found = statuses(data)
    assert found["PI02"] == "partly_met"  # nine subgroups for two objectives
    assert found["PI01"] == "met"
    assert found["RM08"] == "met"


def test_middling_example_is_amber_and_green_on_strategy_and_resourcing() -> None:
    data = check_json("middling-community-mh.yaml")
    assert data["overall"]["rating"] == "amber"
    cats = ratings(data)
    assert cats["strategy_alignment"] == "green"
    assert cats["resourcing"] == "green"
    found = statuses(data)
    assert found["PF01"] == "not_met"  # no exit provisions
    assert found["PF03"] == "not_met"  # KPIs without triggers
    assert found["PI04"] == "partly_met"  # ToR 18 months past review in one arrangement
    assert found["RM01"] == "not_met"  # generic BAF risk names no arrangement


def test_weak_example_is_red_throughout() -> None:
    data = check_json("weak-acute.yaml")
    assert data["overall"]["rating"] == "red"
    assert set(ratings(data).values()) == {"red"}
    found = statuses(data)
    for criterion in ("PI01", "PI12", "RS01", "RM01", "RM08", "PF05"):
        assert found[criterion] == "not_met", criterion


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_json_contract_keys(name: str) -> None:
    data = check_json(name)
    assert data["schema_version"] == 1
    assert data["organisation"]["name"]
    assert set(data["questionnaire"]) >= {"id", "version"}
    assert data["as_of"] == "2026-10-01"
    assert 0 <= data["overall"]["score"] <= 100
    assert data["overall"]["rating"] in {"green", "amber", "red"}
    assert [c["id"] for c in data["categories"]] == [
        "strategy_alignment", "proportionate_infrastructure", "resourcing",
        "risk_management", "performance_fallback"]
    for cat in data["categories"]:
        assert set(cat) >= {"id", "score", "rating", "criteria"}
        for crit in cat["criteria"]:
            assert set(crit) >= {"id", "status", "weight", "severity", "message", "evidence"}
            assert crit["status"] in {"met", "partly_met", "not_met", "not_applicable"}
            for ev in crit["evidence"]:
                assert ev["line"] >= 1 and ev["path"]
