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
    # The domain profile: green overall, "perhaps amber on proportionality".
    assert ratings(data) == {"strategy_alignment": "green",
                             "proportionate_infrastructure": "amber", "resourcing": "green",
                             "risk_management": "green", "performance_fallback": "green"}
    infra = data["categories"][1]
    assert infra["explanation"] == ("amber: capped by PI07 (Collaboration agreement covers the "
                                    "essentials), not met")
    found = statuses(data)
    assert found["PI02"] == "partly_met"  # nine subgroups for two objectives
    assert found["PI07"] == "partly_met"  # the place agreement's topics leave out staff
    assert found["PI01"] == "met"
    assert found["RM08"] == "met"


def test_middling_example_is_amber_and_green_on_strategy_and_resourcing() -> None:
    data = check_json("middling-community-mh.yaml")
    assert data["overall"]["rating"] == "amber"
    assert data["overall"]["explanation"] == ("amber: capped by the red rating of performance "
                                              "fallback")
    cats = ratings(data)
    assert cats["strategy_alignment"] == "green"
    assert cats["resourcing"] == "green"
    assert cats["performance_fallback"] == "red"
    found = statuses(data)
    assert found["PF01"] == "not_evidenced"  # no exit provisions recorded: silence, not a fact
    assert found["PF03"] == "not_met"  # KPIs without triggers, one reported yearly
    assert found["PI04"] == "partly_met"  # ToR 18 months past review in one arrangement
    assert found["RM01"] == "met"  # the generic BAF risk names both arrangements ...
    assert found["RM11"] == "not_met"  # ... but is specific to neither


def test_weak_example_is_red_with_resourcing_not_evidenced() -> None:
    data = check_json("weak-acute.yaml")
    assert data["overall"]["rating"] == "red"
    # The file says nothing about resourcing: no assurance, which is not the same as red.
    assert ratings(data) == {"strategy_alignment": "red", "proportionate_infrastructure": "red",
                             "resourcing": "insufficient_evidence", "risk_management": "red",
                             "performance_fallback": "red"}
    found = statuses(data)
    for criterion in ("SA02", "PI01", "RM01", "RM08"):
        assert found[criterion] == "not_met", criterion
    for criterion in ("PI12", "RS01", "RS03"):
        assert found[criterion] == "not_evidenced", criterion
    assert found["PF05"] == "partly_met"  # the segment-5 partner has no risk or plan


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_json_contract_keys(name: str) -> None:
    data = check_json(name)
    assert data["schema_version"] == 3
    assert data["organisation"]["name"]
    assert set(data["questionnaire"]) >= {"id", "version"}
    assert data["as_of"] == "2026-10-01"
    assert 0 <= data["overall"]["score"] <= 100
    assert data["overall"]["rating"] in {"green", "amber", "red"}
    assert 0 <= data["overall"]["evidence_coverage"] <= 100
    assert data["overall"]["explanation"].startswith(data["overall"]["rating"])
    assert [c["id"] for c in data["categories"]] == [
        "strategy_alignment", "proportionate_infrastructure", "resourcing",
        "risk_management", "performance_fallback"]
    for cat in data["categories"]:
        assert set(cat) >= {"id", "score", "rating", "criteria", "evidence_coverage",
                            "explanation"}
        for crit in cat["criteria"]:
            assert set(crit) >= {"id", "status", "weight", "severity", "message", "evidence"}
            assert crit["status"] in {"met", "partly_met", "not_met", "not_evidenced",
                                      "not_applicable"}
            for ev in crit["evidence"]:
                assert ev["line"] >= 1 and ev["path"]
            # evidenced: met, or some gap evidence the file states.
            gaps = [ev for ev in crit["evidence"] if ev["gap"]]
            if crit["status"] in {"partly_met", "not_met", "not_evidenced"}:
                assert crit["evidenced"] == any(ev["recorded"] for ev in gaps)
            if crit["status"] == "not_evidenced":
                assert not crit["evidenced"]
