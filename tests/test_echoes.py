"""The bound on echoes of input text: a huge value in a file gives a report of ordinary
size in every command and format, with the usual exit code and unchanged scores.

The hostile files are generated here (4 MB each, under the 5 MB limit): the middling
example with one arrangement's id made 4,000,000 characters long, and with the
organisation's and an arrangement's names made 2,000,000 each. Without the bound the id
alone made 132 MB of JSON and 640 MB of memory for HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boardcheck.echoes import ECHO_LIMIT, HEAD, TAIL, shortened
from boardcheck.formats.base import ReportKind, choices
from tests.conftest import EXAMPLES, run_cli

MIDDLING = (EXAMPLES / "middling-community-mh.yaml").read_text(encoding="utf-8")
# The documented bound: every text at most ECHO_LIMIT characters, so one report on a file
# with a value of megabytes is the size of an ordinary report, far below this.
BOUND = 256 * 1024


def _with_id(arrangement_id: str) -> str:
    # The Northmarch arrangement gets the id; the BAF risk that names it names Marrowdene
    # Place instead, so the id appears in the file once.
    return (MIDDLING.replace("  - id: northmarch\n", "  - id: THE-ID\n")
            .replace("northmarch", "mdplace").replace("THE-ID", arrangement_id))


def _with_names(name: str) -> str:
    return (MIDDLING
            .replace("  name: Marrowdene Community and Mental Health NHS Trust\n",
                     f"  name: {name}\n")
            .replace("    name: Northmarch Adult Secure and CAMHS Inpatient Provider "
                     "Collaborative\n", f"    name: {name}\n"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each hostile file beside its twin with short values, which scores alike."""
    where = tmp_path_factory.mktemp("echoes")
    files = {"long-id": _with_id("A" * 4_000_000), "short-id": _with_id("bigid"),
             "long-names": _with_names("N" * 2_000_000), "short-names": _with_names("Short")}
    paths = {}
    for name, text in files.items():
        paths[name] = where / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    assert 4_000_000 < paths["long-id"].stat().st_size < 5 * 1024 * 1024
    assert 4_000_000 < paths["long-names"].stat().st_size < 5 * 1024 * 1024
    return paths


def _commands(trust: Path, other: Path, out: Path) -> list[list[str]]:
    text_check = [f for f in choices(ReportKind.CHECK) if f != "docx"]
    return [*[["check", str(trust), "-f", f] for f in text_check],
            ["check", str(trust), "-f", "docx", "-o", str(out), "--force"],
            *[["check", str(trust), str(other), "-f", f] for f in choices(ReportKind.BATCH)
              if f != "docx"],
            *[["due", str(trust), "-f", f] for f in choices(ReportKind.DUE)],
            *[["diff", str(other), str(trust), "-f", f] for f in choices(ReportKind.DIFF)]]


@pytest.mark.parametrize("long, short", [("long-id", "short-id"),
                                         ("long-names", "short-names")])
def test_every_command_and_format_gives_an_ordinary_size_and_the_usual_exit_code(
        hostile: dict[str, Path], tmp_path: Path, long: str, short: str) -> None:
    out = tmp_path / "paper.docx"
    other = EXAMPLES / "weak-acute.yaml"
    for argv, usual in zip(_commands(hostile[long], other, out),
                           _commands(hostile[short], other, out), strict=True):
        expected = run_cli(*usual).exit_code
        run = run_cli(*argv)
        assert run.exit_code == expected, (argv, run.stderr[:500])
        size = len(run.stdout.encode()) + len(run.stderr.encode())
        if "-o" in argv:
            size += out.stat().st_size
        assert size < BOUND, (argv[:1] + argv[2:], size)


def test_the_long_value_is_shown_by_its_ends_and_scores_are_unchanged(
        hostile: dict[str, Path]) -> None:
    long = json.loads(run_cli("check", str(hostile["long-id"]), "-f", "json").stdout)
    short = json.loads(run_cli("check", str(hostile["short-id"]), "-f", "json").stdout)
    assert long["overall"] == short["overall"]
    verdicts = [[(c["id"], c["score"], c["rating"], c["evidence_coverage"],
                  [(k["id"], k["status"]) for k in c["criteria"]])
                 for c in side["categories"]] for side in (long, short)]
    assert verdicts[0] == verdicts[1]
    ids = [a["id"] for a in long["arrangements"]]
    assert ids[0] == "A" * HEAD + " … [3,999,100 characters not shown] … " + "A" * TAIL
    assert ids[1] == "mdplace"
    texts: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(long)
    assert max(map(len, texts)) <= ECHO_LIMIT


def test_a_saved_result_with_a_huge_text_is_bounded_too(hostile: dict[str, Path],
                                                        tmp_path: Path) -> None:
    weak = EXAMPLES / "weak-acute.yaml"
    saved = json.loads(run_cli("check", str(weak), "-f", "json").stdout)
    saved["organisation"]["name"] = "Z" * 4_000_000
    baseline = tmp_path / "last-board.json"
    baseline.write_text(json.dumps(saved), encoding="utf-8")
    for fmt in choices(ReportKind.DIFF):
        run = run_cli("diff", str(baseline), str(weak), "-f", fmt)
        assert run.exit_code == 0 and len(run.stdout) < BOUND, fmt
    run = run_cli("check", str(weak), "--baseline", str(baseline), "-f", "json")
    assert run.exit_code == 0 and len(run.stdout) < BOUND


def test_text_within_the_limit_is_untouched_and_longer_text_keeps_its_ends() -> None:
    assert shortened("x" * ECHO_LIMIT) == "x" * ECHO_LIMIT
    text = "".join(chr(ord("a") + n % 26) for n in range(ECHO_LIMIT + 1))
    assert shortened(text) == (text[:HEAD] + f" … [{ECHO_LIMIT + 1 - HEAD - TAIL} characters "
                               "not shown] … " + text[-TAIL:])
    assert len(shortened("y" * 10**7)) <= ECHO_LIMIT
