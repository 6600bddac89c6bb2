"""Batch benchmark: boardcheck end to end against parsing alone, on the same files.

    python benchmarks/run.py [--count 10000] [--dir /tmp/boardcheck-bench] [--jobs N]

(a) parses every file with PyYAML's C loader in this one process (the baseline a user would
    write themselves); (b) runs `boardcheck check DIR --format csv -o /dev/null` end to end
    (start-up, discovery, parsing, validation, evaluation, summary, CSV). Prints both times,
    files per second, the throughput ratio (a)/(b) (target: at least 1.0) and the peak RSS
    of boardcheck's processes. Also times start-up beside `python -c pass`.
Run by hand; figures go in the issue note, never into tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def parse_alone(files: list[Path]) -> float:
    loader = yaml.CSafeLoader
    start = time.perf_counter()
    for path in files:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=loader)  # CSafeLoader: the safe loader
    return time.perf_counter() - start


def end_to_end(directory: Path, jobs: int | None,
               questionnaire: str | None) -> tuple[float, int, int]:
    exe = shutil.which("boardcheck") or sys.exit("boardcheck is not on PATH")
    cmd = [exe, "check", str(directory), "--format", "csv", "-o", os.devnull, "--quiet"]
    if questionnaire:
        cmd += ["--questionnaire", questionnaire]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(done.stderr[-2000:], file=sys.stderr)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, done.returncode, peak_kb


def startup(args: list[str], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/boardcheck-bench"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--questionnaire", default=None)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    files = sorted(args.dir.glob("*.yaml")) if args.dir.is_dir() else []
    if len(files) != args.count:
        shutil.rmtree(args.dir, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.dir), "--count",
                        str(args.count)], check=True)
        files = sorted(args.dir.glob("*.yaml"))
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {os.cpu_count()} CPUs")
    for path in files:  # warm the page cache so neither side pays for the disk
        path.read_bytes()
    a = parse_alone(files)
    b, code, peak_kb = end_to_end(args.dir, args.jobs, args.questionnaire)
    print(f"(a) parse alone, C loader, 1 process: {a:7.2f} s  {len(files) / a:7.0f} files/s")
    print(f"(b) boardcheck check --format csv:     {b:7.2f} s  {len(files) / b:7.0f} files/s "
          f"(exit {code})")
    print(f"throughput ratio (a)/(b): {a / b:.2f}  (target >= 1.0)")
    print(f"peak RSS of a boardcheck process: {peak_kb / 1024:.0f} MB")
    if not args.skip_startup:
        exe = shutil.which("boardcheck") or "boardcheck"
        one = str(files[0])
        print(f"start-up (median of 15): python -c pass "
              f"{startup([sys.executable, '-c', 'pass']):.0f} ms; "
              f"--version {startup([exe, '--version']):.0f} ms; "
              f"--help {startup([exe, '--help']):.0f} ms; "
              f"check one file {startup([exe, 'check', one, '-o', os.devnull, '--force']):.0f} ms")


if __name__ == "__main__":
    main()
