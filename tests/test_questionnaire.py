"""The built-in questionnaire holds against the code, and a broken one is reported precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardcheck.checks import REGISTRY, InnerCheck
from boardcheck.errors import QuestionnaireError
from boardcheck.questionnaire import (
    BUILT_IN,
    CATEGORY_IDS,
    built_in_names,
    load_questionnaire,
)
from tests.conftest import FIXTURES, run_cli


def test_built_in_questionnaire_shape() -> None:
    q = load_questionnaire(BUILT_IN)
    assert [c.id for c in q.source.categories] == list(CATEGORY_IDS)
    for cat in q.source.categories:
        assert len(cat.criteria) >= 6, cat.id
        assert cat.board_question.endswith("?")
    assert len(q.criteria) >= 30
    ids = [c.spec.id for c in q.criteria]
    assert len(ids) == len(set(ids))
    for c in q.criteria:
        assert c.spec.weight > 0
        assert c.spec.challenge.strip().endswith("?"), c.spec.id
        assert "(" in c.spec.rationale, c.spec.id  # cites its source


def test_every_check_kind_is_used_by_a_built_in_questionnaire() -> None:
    used = set()
    for name in built_in_names():
        for c in load_questionnaire(name).criteria:
            used.add(c.kind.name)
            inner = getattr(c.params, "check", None)
            if isinstance(inner, InnerCheck):
                used.add(inner.kind)
    assert used == set(REGISTRY)


def test_every_generic_kind_is_used_at_the_top_level_too() -> None:
    top = {c.kind.name for c in load_questionnaire(BUILT_IN).criteria}
    generic = {k.name for k in REGISTRY.values() if k.generic}
    assert generic <= top


def test_every_kind_documents_itself() -> None:
    for kind in REGISTRY.values():
        assert kind.doc, kind.name


def test_generic_kinds_are_the_documented_set() -> None:
    generic = {k.name for k in REGISTRY.values() if k.generic}
    assert generic == {"present", "non_empty", "date_within", "value_in", "number_at_least",
                       "for_each"}


def write(tmp_path: Path, criterion: str) -> Path:
    base = (FIXTURES / "questionnaires" / "mini.yaml").read_text(encoding="utf-8")
    marker = "      - id: PF01\n"
    path = tmp_path / "q.yaml"
    path.write_text(base.replace(marker, criterion + marker), encoding="utf-8")
    return path


CRITERION = """\
      - id: PF09
        title: T
        check: CHECK
        weight: 1
        severity: minor
        challenge: Q?
        rationale: R (x).
        remediation: F.
"""

BROKEN = {
    "unknown kind": ("{kind: presnt, path: organisation.name}",
                     "categories[4].criteria[0].check.kind: unknown check kind 'presnt'"),
    "unknown path": ("{kind: present, path: organisation.nmae}",
                     "categories[4].criteria[0].check.path: 'organisation.nmae' is not a field "
                     "of TrustDescription ('nmae' unknown; did you mean 'name'?)"),
    "missing parameter": ("{kind: date_within, path: strategy.alignment_last_reviewed}",
                          "categories[4].criteria[0].check.months: required key 'months' is "
                          "missing"),
    "extra parameter": ("{kind: present, path: organisation.name, mnths: 3}",
                        "categories[4].criteria[0].check.mnths: unknown key 'mnths'; expected "
                        "one of: path"),
    "for_each path": ("{kind: for_each, over: collaboratives, check: {kind: present, path: nme}}",
                      "categories[4].criteria[0].check.check.path: 'nme' is not a field of "
                      "Collaborative ('nme' unknown; did you mean 'name'?)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_questionnaire_is_located(tmp_path: Path, case: str) -> None:
    check, message = BROKEN[case]
    path = write(tmp_path, CRITERION.replace("CHECK", check))
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(str(path))
    problems = info.value.problems
    assert len(problems) == 1
    assert problems[0].file == str(path)
    assert problems[0].line == 88
    assert problems[0].message.startswith(message), problems[0].message


def test_duplicate_criterion_id(tmp_path: Path) -> None:
    path = write(tmp_path, CRITERION.replace("PF09", "SA01").replace(
        "CHECK", "{kind: present, path: organisation.name}"))
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(str(path))
    assert [str(p) for p in info.value.problems] == [
        f"{path}:86:13: categories[4].criteria[0].id: criterion id 'SA01' is used twice "
        "(first at categories[0].criteria[0])"]


def test_broken_questionnaire_through_the_cli_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, CRITERION.replace("CHECK", "{kind: presnt, path: organisation.name}"))
    run = run_cli("check", str(FIXTURES / "trusts" / "mini-two.yaml"), "--questionnaire",
                  str(path))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"{path}:88:23: categories[4].criteria[0].check.kind: unknown "
                                 "check kind 'presnt'; did you mean 'present'? known kinds: ")


def test_unknown_built_in_name() -> None:
    run = run_cli("questions", "--questionnaire", "nhs-providers")
    assert run.exit_code == 2
    assert run.stderr == ("nhs-providers:1:1: no built-in questionnaire called 'nhs-providers' "
                          "and no such file; built-in: nhs-providers-collaboration\n")


MINI_TRUST = str(FIXTURES / "trusts" / "mini-two.yaml")


@pytest.mark.parametrize(("check", "message"), [
    ("{kind: present, path: collaboratives.name}",
     "88:38: categories[4].criteria[0].check.path: 'collaboratives.name' reaches through "
     "'collaboratives', a list; use for_each for each item"),
    ("{kind: for_each, over: collaboratives, check: {kind: present, path: objectives.title}}",
     "88:84: categories[4].criteria[0].check.check.path: 'objectives.title' reaches through "
     "'objectives', a list; use for_each for each item"),
    ("{kind: number_at_least, path: board_oversight.collaboration_reports_per_year, "
     "minimum: .nan}", "88:103: categories[4].criteria[0].check.minimum: nan is not a finite "
     "number"),
])
def test_a_check_that_could_only_crash_is_refused_when_loading(
        tmp_path: Path, check: str, message: str) -> None:
    path = write(tmp_path, CRITERION.replace("CHECK", check))
    run = run_cli("check", MINI_TRUST, "--questionnaire", str(path))
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"{path}:{message}\n")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_non_finite_weights_are_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, CRITERION.replace("CHECK", "{kind: present, path: organisation.name}")
                 .replace("weight: 1", f"weight: {value}"))
    run = run_cli("check", MINI_TRUST, "--questionnaire", str(path), "-f", "json")
    shown = {".inf": "inf", "-.inf": "-inf"}.get(value, "nan")
    assert (run.exit_code, run.stdout, run.stderr) == (
        2, "", f"{path}:89:17: categories[4].criteria[0].weight: {shown} is not a finite "
        "number\n")
