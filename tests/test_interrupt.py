"""Ctrl-C in a batch with worker processes: a real SIGINT, sent to a real `boardcheck`
process while its workers are busy, many times over.

The pool used to be stopped with Pool.terminate(), which kills workers that may be holding
the result queue's lock mid-send and then waits for the pool's thread blocked on that lock:
a CI run hung there. Each run here must end, with exit 130 and the interrupted message; a
hang fails the test at the timeout instead of hanging the suite.
"""

from __future__ import annotations

import csv
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("attempt", range(6))
def test_ctrl_c_while_workers_are_busy_ends_the_run(many: Path, attempt: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "boardcheck", "check", str(many), "-f", "csv", "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Wait until the workers are running, then press Ctrl-C: a little later on each
        # attempt, so that the signal lands at different points of the pool's work.
        while len(workers_of(process.pid)) < 2:
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        time.sleep(0.15 * attempt)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
        process.wait()
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
