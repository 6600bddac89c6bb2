"""Matching a batch's arrangements into collaboratives, through the pure reduction: shared
codes, names and partners, and the order the collaboratives come in. The grouping keeps only
hashes and places in arrays (issue 14); these cases pin what it matches, exactly."""

from __future__ import annotations

from boardcheck.collaboratives import ArrangementFacts, collaboratives, pack_facts
from boardcheck.summary import Row, repeated

Partner = tuple[str, str | None]


def row(index: int, organisation: str, *arrangements: tuple[str, str | None, tuple[Partner, ...]]
        ) -> Row:
    """A checked file: its organisation and its arrangements as (name, code, partners)."""
    facts = tuple(ArrangementFacts(f"a{n}", name, code, 10 + n, 3, partners)
                  for n, (name, code, partners) in enumerate(arrangements))
    return Row(index, f"{index}.yaml", organisation, arrangement_facts=pack_facts(facts))


def matched(rows: list[Row]) -> list[tuple[str | None, bool, list[tuple[str, str]]]]:
    return [(v.code, v.probable, [(s.file, s.matched_by) for s in v.submissions])
            for v in collaboratives(rows)]


def test_a_file_without_the_code_joins_under_a_second_name_the_coded_members_use() -> None:
    rows = [row(0, "Alpha", ("Cancer Alliance", "RX1-CA", (("Beta", None),))),
            row(1, "Beta", ("The Cancer Alliance East", "RX1-CA", (("Alpha", None),))),
            # Quotes no code, names the second spelling and shares Alpha with the members.
            row(2, "Gamma", ("the cancer alliance  EAST", None, (("Alpha", None),)))]
    assert matched(rows) == [("RX1-CA", True, [("0.yaml", "code"), ("1.yaml", "code"),
                                               ("2.yaml", "name_and_partners")])]


def test_a_name_two_coded_collaboratives_share_joins_neither() -> None:
    rows = [row(0, "Alpha", ("Shared Care", "RX1-ONE", (("Delta", None),))),
            row(1, "Beta", ("Shared Care", "RX2-TWO", (("Delta", None),))),
            # Shares Delta with both: no one collaborative to join; and alone it is no match.
            row(2, "Delta", ("Shared Care", None, ())),
            # Two files without a code, naming each other: a probable match of their own.
            row(3, "Epsilon", ("Shared Care", None, (("Zeta", None),))),
            row(4, "Zeta", ("Shared Care", None, (("Epsilon", None),)))]
    assert matched(rows) == [
        (None, True, [("3.yaml", "name_and_partners"), ("4.yaml", "name_and_partners")]),
        ("RX1-ONE", False, [("0.yaml", "code")]),
        ("RX2-TWO", False, [("1.yaml", "code")])]


def test_names_alike_but_organisations_apart_make_two_probable_matches_in_file_order() -> None:
    rows = [row(0, "A", ("Network", None, (("B", None),)), ("Only Here", None, ())),
            row(1, "C", ("Network", None, (("D", "RD1"),))),
            row(2, "B", ("network", None, ())),
            row(3, "D", ("NETWORK", None, (("Other", "RD1"),))),
            row(4, "E", ("Elsewhere", None, ()))]
    assert matched(rows) == [
        (None, True, [("0.yaml", "name_and_partners"), ("2.yaml", "name_and_partners")]),
        (None, True, [("1.yaml", "name_and_partners"), ("3.yaml", "name_and_partners")])]


def test_the_values_repeated_are_found_across_runs_of_any_length() -> None:
    values = [*range(10_000), 7, 9_999, 4_096, 4_096, -5, -5]
    assert repeated(values) == {7, 9_999, 4_096, -5}
    assert repeated([]) == set() and repeated([3]) == set() and repeated([2, 2]) == {2}
