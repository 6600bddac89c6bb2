"""Two trusts share a name (a new user's second trial, issue 12): one names the host by its
own name, the other by the same name while listing the first as a partner with its code.
The second file's host cannot be told apart, so it is not resolved to the trust itself,
and the two identical statements are not reported as a disagreement about the host; the
second's host is reported as ambiguous all the same.
Fictional files in tests/fixtures/own-name-shared/."""

from __future__ import annotations

import json

from tests.conftest import run_cli

FOLDER = "tests/fixtures/own-name-shared"


def test_a_shared_name_is_not_resolved_to_the_trust_itself_nor_a_disagreement(
        at_root: None) -> None:
    run = run_cli("check", FOLDER, "-f", "json")
    assert run.exit_code == 0, run.stderr
    (view,) = json.loads(run.stdout)["collaboratives"]
    assert (view["code"], view["disagreements"]) == ("ZE1-PATH", [])
    assert [(m["ods_code"], m["describes"]) for m in view["members"]] == [
        ("ZE1", True), ("ZE2", True)]
    assert [(u["fact"], [(s["file"], s["ods_code"], s["ambiguous"]) for s in u["statements"]])
            for u in view["unresolved"]] == [("host", [
                (f"{FOLDER}/elmmoor-east.yaml", "ZE1", []),
                (f"{FOLDER}/elmmoor-west.yaml", None, ["ZE1", "ZE2"])])]
    terminal = run_cli("check", FOLDER, env={"COLUMNS": "120"}).stdout
    assert "Disagree on host" not in terminal
    assert terminal[terminal.index("    Ambiguous host"):].splitlines() == [
        "    Ambiguous host organisation (not a disagreement): which organisation the name "
        "means cannot be told; its ODS code",
        "    would tell:",
        f"      {FOLDER}/elmmoor-east.yaml:12:13: Elmmoor Hospitals NHS Foundation Trust (ZE1)",
        f"      {FOLDER}/elmmoor-west.yaml:14:13: Elmmoor Hospitals NHS Foundation Trust "
        "(ambiguous:",
        "        organisations with different ODS codes have this name, ZE1 and ZE2; the file "
        "gives no code)"]
