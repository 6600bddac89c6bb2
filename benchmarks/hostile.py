"""Hostile input, measured: each file must get a one-line error and exit 2, fast, in little
memory.

    python benchmarks/hostile.py [--fuzzed 10000] [--dir /tmp/boardcheck-hostile]

Runs `boardcheck validate` on: a "billion laughs" alias bomb, a 100 MB file, a
`!!python/object/apply` file, deep nesting, a 4 MB single line; then N fuzzed files
(mutations of the shipped examples and random bytes) through `boardcheck check DIR` as a
batch, and a sample of them one by one. Prints wall time, peak RSS and the error line for
each. Run by hand; figures go in the issue note.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def exe() -> str:
    return shutil.which("boardcheck") or sys.exit("boardcheck is not on PATH")


def run(args: list[str]) -> tuple[float, int, str, int]:
    """Wall seconds, exit code, stderr, and peak RSS (KB) of one boardcheck process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([exe(), *args], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, done.returncode, done.stderr, max(peak, before)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        choice = rng.randrange(6)
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines.insert(i, lines[i])  # duplicate key (usually)
        elif choice == 2:
            lines[i] = lines[i].replace(":", ": no #", 1)
        elif choice == 3:
            lines[i] = lines[i] + " *alias"
        elif choice == 4:
            lines[i] = "\t" + lines[i]
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fuzzed", type=int, default=10000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/boardcheck-hostile"))
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    cases = {
        "billion-laughs.yaml": billion_laughs().encode(),
        "python-object.yaml": b"schema_version: 1\norganisation: !!python/object/apply:os."
                              b"system [echo pwned]\n",
        "deep-nesting.yaml": b"schema_version: 1\norganisation:\n  name: " + b"[" * 5000
                             + b"]" * 5000 + b"\n",
        "long-line.yaml": b"schema_version: 1\norganisation:\n  name: " + b"x" * 4_000_000
                          + b"\n  nmae: y\n",
    }
    # Free the 4 MB literal before forking children (see the 100 MB file below).
    for name, data in cases.items():
        (args.dir / name).write_bytes(data)
    big = args.dir / "huge-100mb.yaml"
    with big.open("wb") as handle:
        handle.write(b"schema_version: 1\norganisation:\n  name: Big\n")
        line = b"# " + b"x" * 1021 + b"\n"
        for _ in range(100 * 1024):  # line by line: a 100 MB bytes object here would be
            handle.write(line)       # counted in every forked child's peak RSS
    print("single hostile files (boardcheck validate FILE):")
    for path in sorted(args.dir.glob("*.yaml")):
        elapsed, code, err, peak = run(["validate", str(path)])
        first = err.strip().splitlines()[0] if err.strip() else "(no message)"
        lines = len(err.strip().splitlines())
        print(f"  {path.name:22} exit {code}  {elapsed * 1000:6.0f} ms  peak {peak / 1024:5.0f} MB"
              f"  {lines} line(s): {first[:110]}")
    fuzz_dir = args.dir / "fuzzed"
    fuzz_dir.mkdir()
    rng = random.Random(7)
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for n in range(args.fuzzed):
        path = fuzz_dir / f"f{n:05d}.yaml"
        if n % 10 == 0:
            path.write_bytes(rng.randbytes(rng.randint(1, 2000)))
        else:
            path.write_text(mutate(rng.choice(examples), rng), encoding="utf-8")
    elapsed, code, err, peak = run(["check", str(fuzz_dir), "-f", "csv", "-o", "/dev/null",
                                    "--quiet"])
    problems = [line for line in err.splitlines() if line.startswith(str(fuzz_dir))]
    tracebacks = err.count("Traceback")
    print(f"\n{args.fuzzed} fuzzed files as one batch: exit {code}, {elapsed:.1f} s "
          f"({args.fuzzed / elapsed:.0f} files/s), peak {peak / 1024:.0f} MB, "
          f"{len(problems)} error lines, {tracebacks} tracebacks")
    sample = sorted(fuzz_dir.glob("*.yaml"))[:: max(1, args.fuzzed // 100)]
    worst, codes = 0.0, set()
    for path in sample:
        t, c, e, _ = run(["validate", str(path)])
        worst = max(worst, t)
        codes.add(c)
        assert "Traceback" not in e, path
    print(f"{len(sample)} of them one by one: exit codes {sorted(codes)}, slowest "
          f"{worst * 1000:.0f} ms")


if __name__ == "__main__":
    main()
