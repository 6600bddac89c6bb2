"""Batch benchmark: boardcheck end to end against parsing alone, stage by stage, memory,
output size and start-up, all in one run.

    python benchmarks/run.py [--count 10000] [--rss-counts 1000,10000,40000] [--jobs N]

Reports, from one run (so the ratios share the machine's load, printed beside them):

1. end to end against bare parsing: the CPU time (user + sys, all processes) of
   `boardcheck check DIR -f csv|json -o FILE` over `--count` files, against parsing the
   same files with PyYAML's C loader in this one process, measured before and after each
   check (the machine's speed drifts) and compared as their mean; and the wall-clock
   throughput ratio (parse alone / end to end), which means something only on an idle
   machine;
1b. the same comparison interleaved: the files in `--slices` slices, each parsed and then
   checked (order swapped on every other slice), so that each pair shares the machine's
   speed of the moment (this shared host drifts by a third over minutes);
2. CPU per file by stage, in this one process over `--sample` files: compose (libyaml),
   build values with positions, validate (pydantic), evaluate, render (a batch's CSV row
   and JSON line, the single-file JSON), and the size of what a worker sends back;
3. peak RSS of the largest boardcheck process at each of `--rss-counts` files, in each of
   `--rss-formats`, beside that of boardcheck's own process and of its largest worker, and
   the output's bytes per trust; then the MB each 10,000 files more adds (outside GitHub
   Actions, or, with `--step-summary FILE`, as in one: the step summary written too);
4. start-up CPU against `python -c pass`.

Sets of files are made with benchmarks/generate.py under `--dir` and kept for the next run.
Run by hand; figures go in the README and the issue note, never into tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# Runs a command and reports its own children's CPU and peak RSS (the largest process).
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, wall, u.ru_utime + u.ru_stime, u.ru_maxrss)
"""

# As _WRAPPER, and also the peak RSS (VmHWM) of the boardcheck process itself and of its
# largest worker, read from /proc every 0.1 s while it runs: which of them grows with the
# number of files. The largest-process figure stays the kernel's exact one.
_TREE_WRAPPER = """
import os, resource, subprocess, sys, time

def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found

start = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
parent = workers = 0
while p.poll() is None:
    parent = max(parent, hwm(p.pid))
    for child in children(p.pid):
        workers = max(workers, hwm(child))
    time.sleep(0.1)
p.stderr.read()
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(p.returncode, wall, u.ru_utime + u.ru_stime, u.ru_maxrss, parent, workers)
"""


# As a user runs it: with bytecode caches (some environments set PYTHONDONTWRITEBYTECODE,
# which makes every start-up compile boardcheck's modules afresh).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(cmd: list[str]) -> tuple[int, float, float, float]:
    """Exit code, wall seconds, CPU seconds (all processes), peak RSS in MB (largest)."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True,
                         text=True, check=True, env=_ENV).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), int(out[3]) / 1024


def measure_tree(cmd: list[str], env: dict[str, str] | None = None
                 ) -> tuple[float, float, float]:
    """Peak RSS in MB: of the largest process (exact), of the command's own process and of
    its largest worker (each sampled every 0.1 s, so a peak held for less may be missed)."""
    out = subprocess.run([sys.executable, "-c", _TREE_WRAPPER, *cmd], capture_output=True,
                         text=True, check=True, env=_ENV if env is None else env
                         ).stdout.split()
    return int(out[3]) / 1024, int(out[4]) / 1024, int(out[5]) / 1024


def files_for(base: Path, count: int) -> tuple[Path, list[Path]]:
    directory = base / f"n{count}"
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if len(files) != count:
        shutil.rmtree(directory, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(directory), "--count",
                        str(count)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(directory.glob("*.yaml"))
    return directory, files


def boardcheck() -> str:
    return shutil.which("boardcheck") or str(Path(sys.executable).with_name("boardcheck"))


def check_cmd(directory: Path, fmt: str, out: str, jobs: int | None) -> list[str]:
    cmd = [boardcheck(), "check", str(directory), "-f", fmt, "-o", out, "--force", "--quiet"]
    return [*cmd, "--jobs", str(jobs)] if jobs else cmd


def parse_alone(files: list[Path]) -> tuple[float, float]:
    """CPU and wall seconds to parse every file with the C loader, in this process."""
    cpu, wall = time.process_time(), time.perf_counter()
    for path in files:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.process_time() - cpu, time.perf_counter() - wall


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def end_to_end(directory: Path, files: list[Path], jobs: int | None) -> None:
    print(f"\n== 1. end to end against bare parsing: {len(files)} files, "
          f"{sum(p.stat().st_size for p in files) / 1e6:.0f} MB, {os.cpu_count()} CPUs, "
          f"{load()}")
    for path in files:  # warm the page cache so neither side pays for the disk
        path.read_bytes()
    # The machine's speed drifts over minutes (a shared host): parsing is measured before
    # and after each check, and the check compared with the mean of the two either side.
    before = parse_alone(files)
    print(f"parse alone, C loader, 1 process: CPU {before[0]:6.1f} s, wall {before[1]:6.1f} s")
    for fmt in ("csv", "json"):
        out = f"/tmp/boardcheck-bench-out.{fmt}"
        code, wall, cpu, peak = measure(check_cmd(directory, fmt, out, jobs))
        Path(out).unlink(missing_ok=True)
        after = parse_alone(files)
        parse_cpu, parse_wall = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
        print(f"check -f {fmt:4}: CPU {cpu:6.1f} s = {cpu / parse_cpu:.2f}x parsing's CPU; "
              f"throughput ratio (parse wall / check wall) {parse_wall / wall:.2f}; "
              f"peak {peak:.0f} MB (exit {code})")
        print(f"  parsing again after it: CPU {after[0]:6.1f} s, wall {after[1]:6.1f} s "
              f"(the ratios use the mean of the runs either side)")
        before = after
    print(load())


def slices_of(directory: Path, files: list[Path], count: int) -> list[tuple[Path, list[Path]]]:
    """`files` in `count` folders of hard links (made once, beside `directory`): a check
    is given a folder, as a user gives one."""
    base = directory.with_name(f"{directory.name}-in-{count}")
    size = -(-len(files) // count)
    parts = [files[i:i + size] for i in range(0, len(files), size)]
    made = []
    for n, part in enumerate(parts):
        folder = base / f"{n:02d}"
        if not folder.is_dir() or len(list(folder.glob("*.yaml"))) != len(part):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for path in part:
                os.link(path, folder / path.name)
        made.append((folder, sorted(folder.glob("*.yaml"))))
    return made


def interleaved(directory: Path, files: list[Path], jobs: int | None, count: int) -> None:
    """Section 1 again, robust to the machine's drift: this shared host's speed moves by a
    third over minutes (parsing the same 10,000 files took 63.6 s, then 74.1 s, then 92.3 s,
    one after another, with nothing else running), which swamps a whole-run comparison. Here
    the same files are taken in `count` slices, each parsed and then checked (the order
    swapped on every other slice), so each pair shares the machine's speed of that moment.
    Every slice's check pays boardcheck's start-up and its pool's, which a single run of all
    the files pays once: the ratios are a little against boardcheck."""
    parts = slices_of(directory, files, count)
    print(f"\n== 1b. end to end against bare parsing, interleaved: {len(files)} files in "
          f"{len(parts)} slices, each parsed and checked in turn, {load()}")
    for fmt in ("csv", "json"):
        parse_cpu = parse_wall = check_cpu = check_wall = 0.0
        pairs = []
        out = f"/tmp/boardcheck-bench-out.{fmt}"
        for n, (folder, part) in enumerate(parts):
            for path in part:
                path.read_bytes()
            first_parse = n % 2 == 0
            if first_parse:
                cpu, wall = parse_alone(part)
            code, c_wall, c_cpu, _ = measure(check_cmd(folder, fmt, out, jobs))
            if code != 0:
                raise SystemExit(f"check -f {fmt} {folder}: exit {code}")
            if not first_parse:
                cpu, wall = parse_alone(part)
            parse_cpu, parse_wall = parse_cpu + cpu, parse_wall + wall
            check_cpu, check_wall = check_cpu + c_cpu, check_wall + c_wall
            pairs.append(wall / c_wall)
        Path(out).unlink(missing_ok=True)
        print(f"check -f {fmt:4}: CPU {check_cpu / parse_cpu:.2f}x parsing's CPU; throughput "
              f"ratio (parse wall / check wall) {parse_wall / check_wall:.2f} (slices: median "
              f"{statistics.median(pairs):.2f}, {min(pairs):.2f} to {max(pairs):.2f}); "
              f"parsing {parse_wall:.1f} s, "
              f"checking {check_wall:.1f} s")
    print(load())


def stages(files: list[Path]) -> None:
    from boardcheck.batch import catalogue, row_from_result
    from boardcheck.engine import evaluate, resolve_as_of
    from boardcheck.errors import InputError
    from boardcheck.formats import json_format
    from boardcheck.formats.base import RenderOptions
    from boardcheck.formats.csv_format import row_cells
    from boardcheck.formats.stream import pack
    from boardcheck.gates import Gates
    from boardcheck.loading import (
        DEFAULT_LIMITS,
        Document,
        SourceMap,
        _Builder,
        _decode,
        _Loader,
        validate,
    )
    from boardcheck.model import TrustDescription
    from boardcheck.questionnaire import load_questionnaire
    from boardcheck.summary import Summariser

    q = load_questionnaire(None)
    batch = Summariser(catalogue(q)).finish(sort="score")
    today = dt.date.today()
    totals: dict[str, float] = {}
    sizes: list[int] = []

    @contextmanager
    def timed(name: str) -> Iterator[None]:
        start = time.process_time()
        yield
        totals[name] = totals.get(name, 0.0) + time.process_time() - start

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)  # as the batch workers run
    for path in files:
        raw = path.read_bytes()
        with timed("parse alone (CSafeLoader)"):
            yaml.load(raw, Loader=yaml.CSafeLoader)
        text = _decode(raw, str(path), InputError)
        with timed("compose (libyaml)"):
            loader = _Loader(text)
            node = loader.get_single_node()
            loader.dispose()
            assert node is not None  # no generated file is empty
        builder = _Builder(str(path), DEFAULT_LIMITS, InputError)
        with timed("build values with positions"):
            data = builder.build(node, ())
        document = Document(data, SourceMap(str(path), builder.values, builder.keys,
                                            builder.raw))
        with timed("validate"):
            trust = validate(TrustDescription, document)
        with timed("evaluate"):
            result = evaluate(trust, document.source, q, resolve_as_of(None, trust, today))
        with timed("render: compact row"):
            row = row_from_result(0, result, Gates(), False)
        with timed("render: CSV row"):
            row_cells(batch, row)
        with timed("render: batch JSON line"):
            line = json_format.fragment(result)
        with timed("render: single-file JSON"):
            json_format.FORMAT.render(result, RenderOptions())
        with timed("pack the JSON line (zstd)"):
            row = replace(row, fragment=pack(line))
        sizes.append(len(pickle.dumps(row)))
    gc.unfreeze()
    n = len(files)
    parse = totals["parse alone (CSafeLoader)"]
    print(f"\n== 2. CPU per file by stage, one process, {n} files, {load()}")
    for name, seconds in totals.items():
        print(f"{name:32} {seconds / n * 1000:6.2f} ms  {seconds / parse:5.2f}x parsing")
    pipeline = sum(v for k, v in totals.items() if not k.startswith(("parse alone",
                                                                     "render: single")))
    print(f"{'a JSON batch file, all stages':32} {pipeline / n * 1000:6.2f} ms  "
          f"{pipeline / parse:5.2f}x parsing")
    print(f"pickled row with its JSON line: median {statistics.median(sizes) / 1024:.1f} KB, "
          f"max {max(sizes) / 1024:.1f} KB")


def memory(base: Path, counts: list[int], formats: list[str], jobs: int | None,
           step_summary: Path | None = None) -> None:
    # As in a GitHub Actions step ($GITHUB_STEP_SUMMARY names `step_summary`, emptied before
    # each run), or as outside one: the variable unset, whatever this shell has.
    env = {k: v for k, v in _ENV.items() if k != "GITHUB_STEP_SUMMARY"}
    if step_summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(step_summary)
    where = (f"GITHUB_STEP_SUMMARY={step_summary}" if step_summary is not None
             else "GITHUB_STEP_SUMMARY unset")
    print(f"\n== 3. peak RSS and output bytes per trust ({where}), {load()}")
    print("each cell: largest process MB (boardcheck's own process / its largest worker), "
          "output KB per trust")
    print("files   " + "".join(f"{fmt:>26}" for fmt in formats), flush=True)
    peaks: dict[str, list[tuple[int, float, float, float]]] = {fmt: [] for fmt in formats}
    for count in counts:
        directory, files = files_for(base, count)
        print(f"{count:<8}", end="", flush=True)
        for fmt in formats:  # each figure as it comes: a 40,000-file run takes a while
            out = Path(f"/tmp/boardcheck-bench-out.{fmt}")
            if step_summary is not None:
                step_summary.write_bytes(b"")
            largest, own, worker = measure_tree(check_cmd(directory, fmt, str(out), jobs),
                                                env)
            per = out.stat().st_size / len(files) if out.exists() else 0
            out.unlink(missing_ok=True)
            peaks[fmt].append((count, largest, own, worker))
            cell = f"{largest:.0f} ({own:.0f}/{worker:.0f}) {per / 1024:.1f} KB"
            if step_summary is not None and step_summary.stat().st_size:
                # The step summary's bytes per trust, beside the document's.
                cell += f" +{step_summary.stat().st_size / len(files) / 1024:.1f}"
            print(f"{cell:>26}", end="", flush=True)
        print()
    if len(counts) > 1:
        # How much each 10,000 files more adds: memory flat in the number of files is ~0.
        print("MB per 10,000 files more, from the fewest to the most files: largest "
              "(own/worker)")
        for fmt, found in peaks.items():
            (n0, l0, o0, w0), (n1, l1, o1, w1) = found[0], found[-1]
            scale = 10_000 / (n1 - n0)
            print(f"  {fmt:10} {(l1 - l0) * scale:+6.1f} ({(o1 - o0) * scale:+.1f}/"
                  f"{(w1 - w0) * scale:+.1f})")
    print(load())


def startup(one: Path, repeat: int) -> None:
    # Builds kept between runs (build_cache.py) in a folder of this benchmark's own: other
    # checkouts of boardcheck on the machine keep theirs under the same names in the user's
    # cache, and a run served another's would build afresh (~+20 % instructions).
    os.environ["XDG_CACHE_HOME"] = _ENV["XDG_CACHE_HOME"] = tempfile.mkdtemp(
        prefix="boardcheck-bench-cache-")
    try:
        _startup(one, repeat)
    finally:
        shutil.rmtree(_ENV.pop("XDG_CACHE_HOME"), ignore_errors=True)
        del os.environ["XDG_CACHE_HOME"]


def _startup(one: Path, repeat: int) -> None:
    exe = boardcheck()

    def cpu(cmd: list[str]) -> float:
        return statistics.median(measure(cmd)[2] for _ in range(repeat)) * 1000

    for fmt in ("json", "csv", "rich"):  # writes the caches: each path's code and patterns
        measure([exe, "check", str(one), "-f", fmt, "-o", os.devnull, "--force"])
    base = cpu([sys.executable, "-c", "pass"])
    print(f"\n== 4. start-up CPU, median of {repeat}, {load()}")
    print(f"python -c pass: {base:.0f} ms")
    for label, cmd in (("--version", [exe, "--version"]), ("--help", [exe, "--help"]),
                       ("check FILE -f json", [exe, "check", str(one), "-f", "json", "-o",
                                               os.devnull]),
                       ("check FILE -f csv", [exe, "check", str(one), "-f", "csv", "-o",
                                              os.devnull]),
                       ("check FILE (rich)", [exe, "check", str(one), "-o", os.devnull])):
        ms = cpu(cmd)
        print(f"{label:20} {ms:5.0f} ms = {ms / base:4.1f}x python -c pass")
    if shutil.which("valgrind"):
        # Instructions do not vary with the machine's load, as CPU time does: the ratio
        # the target is judged by, on a shared machine.
        bare = instructions([sys.executable, "-c", "pass"])
        print(f"instructions (cachegrind): python -c pass {bare / 1e6:.1f} M")
        for label, cmd in (("--version", [exe, "--version"]),
                           ("check FILE -f json", [exe, "check", str(one), "-f", "json"]),
                           ("check FILE -f csv", [exe, "check", str(one), "-f", "csv"]),
                           ("check FILE (rich)", [exe, "check", str(one)])):
            count = instructions(cmd)
            print(f"{label:20} {count / 1e6:7.1f} M = {count / bare:4.1f}x python -c pass")
    imports(one, max(3, repeat // 4))


def instructions(cmd: list[str]) -> int:
    """Instructions a command executes, counted by valgrind's cachegrind."""
    err = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                          "--cachegrind-out-file=/dev/null", *cmd], capture_output=True,
                         text=True, env=_ENV, check=False).stderr
    refs = next(line for line in err.splitlines() if "I refs:" in line or "I   refs:" in line)
    return int(refs.split(":")[1].replace(",", "").strip())


def imports(one: Path, repeat: int) -> None:
    """Where a one-file `check -f json` spends its start-up: each module's own import time
    (`python -X importtime`, the least of `repeat` runs), summed by package (boardcheck's
    modules one by one: their time is mostly defining pydantic models and dataclasses)."""
    least: dict[str, int] = {}
    for _ in range(repeat):
        err = subprocess.run([sys.executable, "-X", "importtime", "-m", "boardcheck", "check",
                              str(one), "-f", "json", "-o", os.devnull, "--force"],
                             capture_output=True, text=True, env=_ENV).stderr
        for line in err.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            name = parts[2].strip()
            least[name] = min(least.get(name, 1 << 62), int(parts[0]))
    groups: dict[str, int] = {}
    for name, us in least.items():
        key = name if name.startswith("boardcheck") else name.split(".")[0]
        groups[key] = groups.get(key, 0) + us
    total = sum(groups.values())
    print(f"imports of check FILE -f json (least of {repeat}, {load()}): {total / 1000:.0f} ms")
    for key, us in sorted(groups.items(), key=lambda kv: -kv[1])[:16]:
        print(f"  {key:32} {us / 1000:6.1f} ms  {100 * us / total:4.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/boardcheck-bench"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--slices", type=int, default=10,
                        help="slices for the interleaved end-to-end comparison")
    parser.add_argument("--sample", type=int, default=500, help="files for the stages")
    parser.add_argument("--rss-counts", default="1000,10000,40000")
    parser.add_argument("--rss-formats", default="csv,json,sarif,junit,github,markdown,html,"
                        "rich,xlsx")
    parser.add_argument("--step-summary", type=Path, default=None, metavar="FILE",
                        help="peak RSS as in a GitHub Actions step: GITHUB_STEP_SUMMARY=FILE "
                        "(emptied before each run; its KB per trust after a +); without it "
                        "the variable is unset for those runs")
    parser.add_argument("--startup-repeat", type=int, default=21)
    parser.add_argument("--skip", default="", help="comma-separated sections to skip: "
                        "e2e,interleaved,stages,memory,startup")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    directory, files = files_for(args.dir, args.count)
    print(f"boardcheck benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, "
          f"{load()}")
    if "e2e" not in skip:
        end_to_end(directory, files, args.jobs)
    if "interleaved" not in skip:
        interleaved(directory, files, args.jobs, args.slices)
    if "stages" not in skip:
        stages(files[:args.sample])
    if "memory" not in skip:
        memory(args.dir, [int(c) for c in args.rss_counts.split(",") if c],
               [f for f in args.rss_formats.split(",") if f], args.jobs, args.step_summary)
    if "startup" not in skip:
        startup(files[0], args.startup_repeat)


if __name__ == "__main__":
    main()
