"""An adversarial campaign through every command and format, measured.

    python benchmarks/adversarial.py [--count 10000] [--seed 13] [--dir /tmp/bc-adversarial]

Writes COUNT mutated and hostile trust files (the shipped examples with bytes flipped,
lines dropped or duplicated, and hostile text put in names and ids: Rich markup, escape
sequences, formula prefixes, markdown, dates at the ends of the calendar, huge numbers,
.nan, deep nesting), then runs each in-process through `check` in every format, `due` in
every format, `diff` against an example and `validate`. It fails on any exception, any
exit code outside {0, 1, 2}, or any output over the bound (64 KB per KB of input plus
2 MB); then checks the whole set as one batch with one and two workers, twice, and
requires byte-identical output. Run by hand; figures go in the issue note.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from boardcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HOSTILE = [
    "[/]", "[link=https://evil.example]x[/link]", "[bold]", "\x1b[2J\x1b]0;t\x07", "=1+2",
    "@SUM(A1)", "-2+3", "| *x* _y_ <b>&amp;</b> `z`", "\u202ehidden", "a\r\nb::error::x",
    "%0A::warning::x", "A" * 300, "9999-12-31", "0001-01-01", ".nan", ".inf", "1e308",
    "99999999999999999999", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
]
CHECK_FORMATS = ("rich", "json", "csv", "html", "markdown", "sarif", "junit", "github")
DUE_FORMATS = ("rich", "json", "csv", "markdown")
DIFF_FORMATS = ("rich", "json", "markdown")


def mutate(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        i = rng.randrange(len(lines))
        if kind == 0:  # hostile text in a value
            key, sep, _ = lines[i].partition(": ")
            if sep:
                value = rng.choice(HOSTILE).replace("\\", "\\\\").replace('"', '\\"')
                lines[i] = f'{key}: "{value}"\n'
        elif kind == 1:
            del lines[i]
        elif kind == 2:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 3:  # a date at the ends of the calendar
            lines[i] = lines[i].replace("202", rng.choice(["000", "999"]), 1)
        elif kind == 4:  # a huge number
            lines[i] = "".join(rng.choice("9") if ch.isdigit() else ch for ch in lines[i])
        else:
            lines[i] = lines[i].replace(":", rng.choice([": [", ": {", ":"]), 1)
    raw = bytearray("".join(lines).encode("utf-8"))
    if rng.random() < 0.1 and raw:  # a flipped byte
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bc-adversarial"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    shutil.rmtree(args.dir, ignore_errors=True)
    files = args.dir / "files"
    files.mkdir(parents=True)
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    for n in range(args.count):
        (files / f"t{n:05d}.yaml").write_bytes(mutate(rng.choice(texts), rng))
    runner = CliRunner(env={"NO_COLOR": None, "FORCE_COLOR": None, "GITHUB_ACTIONS": None,
                            "GITHUB_STEP_SUMMARY": None})
    codes: dict[int, int] = {}
    runs = 0
    largest = 0.0
    start = time.perf_counter()
    out = args.dir / "out.docx"
    for path in sorted(files.iterdir()):
        size_kb = max(path.stat().st_size / 1024, 1)
        bound = 64 * 1024 * size_kb + 2 * 1024 * 1024
        commands = [["check", str(path), "-f", f] for f in CHECK_FORMATS]
        commands += [["check", str(path), "-f", "docx", "-o", str(out), "--force"]]
        commands += [["due", str(path), "-f", f] for f in DUE_FORMATS]
        commands += [["diff", str(EXAMPLES[0]), str(path), "-f", f] for f in DIFF_FORMATS]
        commands += [["validate", str(path)]]
        for argv in commands:
            result = runner.invoke(app, argv, catch_exceptions=False)
            runs += 1
            codes[result.exit_code] = codes.get(result.exit_code, 0) + 1
            if result.exit_code not in (0, 1, 2):
                sys.exit(f"exit {result.exit_code}: {argv}\n{result.stderr}")
            size = len(result.stdout_bytes) + len(result.stderr_bytes)
            largest = max(largest, size / bound)
            if size > bound:
                sys.exit(f"{size:,} bytes of output, over {bound:,}: {argv}")
            if "Traceback" in result.stdout + result.stderr:
                sys.exit(f"traceback: {argv}")
    elapsed = time.perf_counter() - start
    print(f"{args.count:,} files, {runs:,} runs in {elapsed:.1f} s; exit codes "
          f"{dict(sorted(codes.items()))}; largest output {largest:.1%} of its bound")
    outputs = set()
    for jobs in ("1", "2", "1", "2"):
        batch = runner.invoke(app, ["check", str(files), "-f", "json", "--jobs", jobs],
                              catch_exceptions=False)
        assert batch.exit_code in (0, 1, 2), batch.exit_code
        outputs.add(batch.stdout)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"batch of {args.count:,}: byte-identical across runs and job counts: "
          f"{len(outputs) == 1}; peak RSS {peak:.0f} MB")
    return 0 if len(outputs) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
