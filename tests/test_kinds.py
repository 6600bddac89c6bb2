"""Each check kind's own cases, one file per kind in tests/kinds/ (modelled on sqlfluff's
rule fixtures, test/fixtures/rules/std_rule_cases/*.yml).

A case file `tests/kinds/<kind>.yaml` holds:

- `cases`: named cases, each with
  - `params`: the kind's parameters as a questionnaire gives them;
  - `trust`: a minimal trust description (schema_version, as_of, organisation and only what
    the case needs); the kind is judged at its `as_of`;
  - `included` (optional): indices of the arrangements the criterion applies to, as the
    engine passes them after its `applies_to` rules and the trust's declarations (absent:
    all of them);
  - `expect`: the exact `status` and `message`, and optionally `evidence`, a list of
    `[path, recorded]` pairs in the order the kind gives them;
  - `xfail` (optional): why the tool is believed wrong here. The case states what the kind
    should do; it is expected to fail (strictly) until the tool is fixed. Its message is a
    suggestion: whoever fixes the kind settles the wording and drops the `xfail`.
- `impossible`: each evidence state the kind cannot produce, with one line saying why.

Cases run the kind's function directly, not through the engine, so a case shows what the
kind itself decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import boardcheck.domain_checks  # noqa: F401  (registers the domain kinds)
from boardcheck.checks import REGISTRY, Context
from boardcheck.loading import parse_yaml, validate
from boardcheck.model import TrustDescription
from boardcheck.result import Outcome

KINDS_DIR = Path(__file__).resolve().parent / "kinds"
STATES = ("met", "partly_met", "not_met", "not_evidenced", "not_applicable")
CASE_KEYS = {"params", "trust", "included", "expect", "xfail"}
EXPECT_KEYS = {"status", "message", "evidence"}


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    params: dict[str, Any]
    trust: dict[str, Any]
    included: frozenset[int] | None
    expect: dict[str, Any]
    xfail: str | None


@dataclass(frozen=True)
class CaseFile:
    kind: str
    cases: tuple[Case, ...]
    impossible: dict[str, str]


def _read(path: Path) -> CaseFile:
    """A case file, its shape checked: a typo in a key must not silently skip a check."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kind = path.stem
    assert isinstance(data, dict), f"{path.name}: expected a mapping"
    assert set(data) <= {"cases", "impossible"}, f"{path.name}: unknown keys {set(data)}"
    impossible = data.get("impossible") or {}
    assert isinstance(impossible, dict), f"{path.name}: impossible must be a mapping"
    cases = []
    for name, raw in (data.get("cases") or {}).items():
        where = f"{path.name}: case {name}"
        assert isinstance(raw, dict) and set(raw) <= CASE_KEYS, f"{where}: unknown keys"
        expect = raw["expect"]
        assert set(expect) <= EXPECT_KEYS and {"status", "message"} <= set(expect), \
            f"{where}: expect needs status and message (and may give evidence)"
        assert expect["status"] in STATES, f"{where}: unknown status {expect['status']!r}"
        included = raw.get("included")
        cases.append(Case(kind, str(name), raw.get("params") or {}, raw["trust"],
                          None if included is None else frozenset(included), expect,
                          raw.get("xfail")))
    return CaseFile(kind, tuple(cases), {str(k): str(v) for k, v in impossible.items()})


CASE_FILES = {f.kind: f for f in map(_read, sorted(KINDS_DIR.glob("*.yaml")))}
ALL_CASES = [case for f in CASE_FILES.values() for case in f.cases]


def test_every_kind_has_a_case_file() -> None:
    assert sorted(REGISTRY) == sorted(CASE_FILES), (
        f"kinds without a case file: {sorted(set(REGISTRY) - set(CASE_FILES))}; "
        f"case files naming no kind: {sorted(set(CASE_FILES) - set(REGISTRY))}")
    assert not list(KINDS_DIR.glob("*.yml")), "case files end in .yaml"


@pytest.mark.parametrize("kind", sorted(CASE_FILES))
def test_every_state_is_covered_or_impossible(kind: str) -> None:
    f = CASE_FILES[kind]
    assert f.cases, f"{kind}: no cases"
    covered = {case.expect["status"] for case in f.cases}
    assert set(f.impossible) <= set(STATES), f"{kind}: unknown states in impossible"
    assert not covered & set(f.impossible), \
        f"{kind}: states both covered and listed as impossible: {covered & set(f.impossible)}"
    assert all(reason.strip() for reason in f.impossible.values()), f"{kind}: give a reason"
    missing = [s for s in STATES if s not in covered and s not in f.impossible]
    assert not missing, f"{kind}: no case and no reason for {missing}"


def run_case(case: Case) -> Outcome:
    kind = REGISTRY[case.kind]
    text = yaml.safe_dump(case.trust, sort_keys=False, allow_unicode=True)
    document = parse_yaml(text.encode("utf-8"), f"{case.kind}/{case.name}.yaml")
    trust = validate(TrustDescription, document)
    assert trust.as_of is not None, "a case's trust gives its as_of"
    params = kind.params.model_validate(case.params)
    return kind.run(Context(trust, document.source, trust.as_of, case.included), params)


def _param(case: Case) -> Any:
    marks = () if case.xfail is None else (
        pytest.mark.xfail(reason=case.xfail, strict=True, raises=AssertionError),)
    return pytest.param(case, id=f"{case.kind}:{case.name}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_case(case: Case) -> None:
    outcome = run_case(case)
    got: dict[str, Any] = {"status": outcome.status, "message": outcome.message}
    if "evidence" in case.expect:
        got["evidence"] = [[e.path, e.recorded] for e in outcome.evidence]
    assert got == case.expect
