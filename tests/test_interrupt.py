"""Ctrl-C in a batch with worker processes: a real SIGINT, sent to a real `boardcheck`
process while its workers are busy, many times over.

The pool used to be stopped with Pool.terminate(), which kills workers that may be holding
the result queue's lock mid-send and then waits for the pool's thread blocked on that lock:
a CI run hung there. Each run here must end, with exit 130 and the interrupted message; a
hang fails the test at the timeout instead of hanging the suite.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from boardcheck.batch import Job, run_batch
from boardcheck.gates import Gates
from boardcheck.questionnaire import load_questionnaire
from boardcheck.summary import Row
from tests.conftest import EXAMPLES, run_cli

COPIES = 150  # 450 files: seconds of work for two workers, so the signal finds them busy


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for example in sorted(EXAMPLES.glob("*.yaml")):
        for copy in range(COPIES):
            shutil.copyfile(example, folder / f"{example.stem}-{copy:03}.yaml")
    return folder


def workers_of(pid: int) -> list[str]:
    """The pids of a process's children: the batch's workers, once the pool has started."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.read_text().split() if children.exists() else []


def interrupted(process: subprocess.Popen[str], *pauses: float) -> tuple[str, str]:
    """Once the run's two workers are running, Ctrl-C after each pause in turn; then its
    stdout and stderr, read to the end (the workers share stderr, so what they print is
    there too). A run that does not end fails at the timeout instead of hanging."""
    try:
        while len(workers_of(process.pid)) < 2:
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        for pause in pauses:
            time.sleep(pause)
            process.send_signal(signal.SIGINT)
        return process.communicate(timeout=120)
    finally:
        process.kill()
        process.wait()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("attempt", range(6))
def test_ctrl_c_while_workers_are_busy_ends_the_run(many: Path, attempt: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "boardcheck", "check", str(many), "-f", "csv", "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Ctrl-C once the workers are running: a little later on each attempt, so that the
    # signal lands at different points of the pool's work.
    stdout, stderr = interrupted(process, 0.15 * attempt)
    assert (process.returncode, stderr.splitlines()) == (130, [
        "boardcheck: interrupted: the output holds only the files checked so far"])
    # The header, then whole rows for the files checked before the signal, and not all.
    table = list(csv.reader(stdout.splitlines()))
    assert table[0][:2] == ["file", "organisation"]
    assert 1 <= len(table) < 1 + 3 * COPIES
    assert {len(row) for row in table} == {len(table[0])}


def test_ctrl_c_while_the_report_is_written_says_so(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # After the last file is checked, Ctrl-C lands in writing the report: Typer alone would
    # end the run at 130 without a word, and the -o file must not be written.
    from boardcheck.formats import csv_format

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(csv_format.CsvBatchWriter, "finish", interrupted)
    out = tmp_path / "batch.csv"
    run = run_cli("check", str(EXAMPLES), "-f", "csv", "-o", str(out))
    assert (run.exit_code, run.stderr) == (130, (
        "boardcheck: interrupted before the run finished: the report is incomplete, and a "
        "report file (-o) was not written\n"))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="the workers see the slowed check only when forked")
def test_after_ctrl_c_workers_pass_over_the_files_they_still_hold(
        many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Up to 64 files are handed out ahead of the caller. After Ctrl-C each worker finishes
    # the file it is checking and passes over the rest: checking them all kept a user who
    # pressed Ctrl-C on Word papers waiting over a minute.
    import boardcheck.batch

    checked = tmp_path / "checked"
    real = boardcheck.batch.check_file

    def slow(index: int, path: Path, *args: Any) -> Row:
        with checked.open("a", encoding="utf-8") as log:  # appends from both workers
            log.write(f"{index}\n")
        time.sleep(0.05)  # a slow file (a Word paper is seconds)
        return real(index, path, *args)

    monkeypatch.setattr(boardcheck.batch, "check_file", slow)
    q = load_questionnaire()
    job = Job(questionnaire=q, as_of=None, today=dt.date(2026, 11, 30), gates=Gates())
    rows = run_batch(sorted(many.glob("*.yaml")), job, jobs=2, questionnaire=q)
    taken = [next(rows).index, next(rows).index]
    rows.close()  # what feed does on Ctrl-C
    assert taken == [0, 1]
    # Files go out in chunks of 8 and come back a chunk at a time: the first two rows came
    # with the first two chunks (16 files), and each worker may have begun a file or two
    # more before it saw the signal. Without the pass-over, all 64 handed out are checked.
    assert len(checked.read_text(encoding="utf-8").split()) <= 20


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_second_ctrl_c_ends_the_run_without_the_workers_tracebacks(
        many: Path, tmp_path: Path) -> None:
    # The first Ctrl-C lets each worker finish the file it is on (a Word paper takes a
    # second or so); a second stops the wait, and the run exits at once. The workers then
    # found the pipe back to it gone, and each printed two tracebacks under its message.
    pytest.importorskip("docx")
    process = subprocess.Popen(
        [sys.executable, "-m", "boardcheck", "check", str(many), "-f", "docx", "--papers",
         str(tmp_path / "papers"), "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Both workers are writing papers by the first; the second follows at once.
    _, stderr = interrupted(process, 0.5, 0.05)
    assert (process.returncode, stderr.splitlines()) == (130, [
        "boardcheck: interrupted: the output holds only the files checked so far"])
