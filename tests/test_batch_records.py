"""A batch keeps its files, inputs, sort keys and listed names compactly (issue 14): the
order files are checked in, the outputs it refuses to write over an input, the reports'
orders and lists are what they were when each was held whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, FIXTURES, run_cli

STRONG = EXAMPLES / "strong-acute-ft.yaml"
COLLABORATIVES = FIXTURES / "collaboratives"

# Names whose order as strings differs from their order as paths: "a-b/..." is before
# "a/..." as a string ("-" is before "/"), after it as a path ("a" is before "a-b"), and a
# file "a.yaml" comes after the folder "a" whose name it starts with.
TREE = ("a.yaml", "a/b.yaml", "a/c/d.yaml", "a-b/c.yaml", "a b/x.yml", "A.yaml", "b/z.yaml",
        "a0.yaml")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for name in TREE:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STRONG, root / name)
    return root


def test_files_are_checked_in_path_order_in_every_folder(tree: Path) -> None:
    from boardcheck.discovery import discover

    run = run_cli("check", str(tree), "-f", "json")
    files = [r["file"] for r in json.loads(run.stdout)["results"]]
    expected = [str(p) for p in sorted(tree / name for name in TREE)]
    assert files == expected
    assert [str(p) for p in discover([str(tree)]).files] == expected
    assert expected[:4] == [str(tree / n) for n in ("A.yaml", "a/b.yaml", "a/c/d.yaml",
                                                     "a b/x.yml")]


def test_a_file_named_twice_is_checked_once_in_its_first_place(tree: Path) -> None:
    from boardcheck.discovery import discover

    found = discover([str(tree / "b" / "z.yaml"), str(tree), f"{tree}/a/*.yaml"]).files
    assert len(found) == len(TREE)
    assert found[0] == tree / "b" / "z.yaml"
    assert found[-1] == tree / "a0.yaml"
    assert list(found[1:3]) == [tree / "A.yaml", tree / "a/b.yaml"]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "markdown"])
def test_a_batch_never_writes_over_one_of_its_files(tree: Path, fmt: str) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    target = tree / "a" / "b.yaml"
    run = run_cli("check", str(tree), "-f", fmt, "-o", str(target), "--force")
    assert (run.exit_code, run.stderr) == (
        2, f"boardcheck: {target}: refusing to write the output over an input file\n")
    assert target.read_bytes() == STRONG.read_bytes()


def test_nor_through_a_link_to_one_of_them(tree: Path, tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tree / "b" / "z.yaml")
    run = run_cli("check", str(tree), "-f", "csv", "-o", str(link), "--force")
    assert (run.exit_code, run.stderr) == (
        2, f"boardcheck: {link}: refusing to write the output over an input file\n")
    assert (tree / "b" / "z.yaml").read_bytes() == STRONG.read_bytes()


def test_nor_a_papers_run_or_its_breakdowns(tree: Path, tmp_path: Path) -> None:
    target = tree / "A.yaml"
    papers = run_cli("check", str(tree), "-f", "html", "-o", str(target), "--force",
                     "--papers", str(tmp_path / "papers"))
    assert (papers.exit_code, papers.stderr) == (
        2, f"boardcheck: {target}: refusing to write the output over an input file\n")
    assert not (tmp_path / "papers").exists()
    breakdowns = run_cli("check", str(tree), "-f", "csv", "--breakdowns", str(target),
                         "--force")
    assert breakdowns.exit_code == 2
    assert target.read_bytes() == STRONG.read_bytes()


def test_a_file_beside_the_inputs_is_written(tree: Path) -> None:
    target = tree / "results.csv"
    assert run_cli("check", str(tree), "-f", "csv", "-o", str(target)).exit_code == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(TREE) + 1


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "rich"])
@pytest.mark.parametrize("sort", ["score", "worst", "name", "region"])
def test_reports_sorted_a_run_at_a_time_are_as_sorted_whole(
        fmt: str, sort: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sort keys are held a run at a time and the runs merged: runs of two give the bytes
    one run gives (rows, ranks, outliers, collaboratives, common gaps, duplicates)."""
    import boardcheck.summary

    args = ("check", str(COLLABORATIVES), str(EXAMPLES), "-f", fmt, "--sort", sort)
    whole = run_cli(*args)
    monkeypatch.setattr(boardcheck.summary, "_RUN", 2)
    in_runs = run_cli(*args)
    assert whole.exit_code in (0, 1, 2)
    assert (in_runs.exit_code, in_runs.stdout) == (whole.exit_code, whole.stdout)


def test_common_gaps_and_duplicates_list_names_alphabetically(tmp_path: Path) -> None:
    """Names and files read back from the summary's compact store, as sorted strings: any
    code point a file holds comes back as it went in."""
    folder = tmp_path / "same"
    folder.mkdir()
    text = (EXAMPLES / "weak-acute.yaml").read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  name:"))
    names = ("Zed Trust", "\u00c5re Trust", "Abel Trust", "Zed Trust", "Emoji \U0001f3e5 Trust")
    for n, given in enumerate(names):
        quoted = json.dumps(given, ensure_ascii=False)
        (folder / f"t{n}.yaml").write_text(text.replace(name, f"  name: {quoted}", 1),
                                           encoding="utf-8")
    run = run_cli("check", str(folder), "-f", "json")
    summary = json.loads(run.stdout)["summary"]
    same = [d["files"] for d in summary["duplicates"] if d["key"] == "organisation"]
    assert same == [[str(folder / "t0.yaml"), str(folder / "t3.yaml")]]
    assert summary["common_gaps"]
    for gap in summary["common_gaps"]:
        assert gap["organisations"] == sorted(["Abel Trust", "Emoji \U0001f3e5 Trust",
                                               "Zed Trust", "Zed Trust", "\u00c5re Trust"])
