"""An adversarial campaign through every command and format, measured.

    python benchmarks/adversarial.py [--count 10000] [--runs 2] [--part 0/1]
                                     [--seed 13] [--dir /tmp/bc-adversarial]

Writes COUNT mutated and hostile inputs:
- trust files: the shipped examples with bytes flipped, lines dropped or duplicated,
  structure broken, and hostile text put in names and ids (Rich markup, escape sequences,
  formula prefixes, markdown, dates at the ends of the calendar, huge numbers, .nan, deep
  nesting, and now and then a value of up to 400,000 characters);
- saved results (one input in eight): the JSON result of an example with keys dropped,
  values of the wrong type, huge or hostile values, or its bytes cut short.

Each input goes through RUNS of the combinations of command and format, taken in turn so
that across the campaign every combination is used alike: `check` in every format (docx
to a file), with and without a threshold, `due` in every format, `diff` against an
example in every format (a saved result is diffed, and used as a `--baseline`), and
`validate`. A run fails on any exception (a traceback), any exit code outside {0, 1, 2},
output over the bound (64 KB per KB of input plus 2 MB), or, for one run in ten, output
that differs when the run is repeated. Then all the trust files are checked as one batch
in every batch format with one and two workers, and must give byte-identical output.

Failures do not stop the campaign: each is listed (and its input copied to
DIR/failures/) and the exit status is 1. With --part I/N only the inputs whose number is
I modulo N are run one by one (so parts can run in turn or side by side), and only part 0
runs the batch phase. Run by hand; figures go in the issue note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from boardcheck.cli import app
from boardcheck.formats.base import ReportKind, choices

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HOSTILE = [
    "[/]", "[link=https://evil.example]x[/link]", "[bold]", "\x1b[2J\x1b]0;t\x07", "=1+2",
    "@SUM(A1)", "-2+3", "| *x* _y_ <b>&amp;</b> `z`", "\u202ehidden", "a\r\nb::error::x",
    "%0A::warning::x", "A" * 300, "9999-12-31", "0001-01-01", ".nan", ".inf", "1e308",
    "99999999999999999999", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "<script>x</script>",
    "\ud800", "]]>", "&#0;", "${{ secrets.X }}", "2026-02-30", "-1", "0", "true",
]
SAVED_HOSTILE: list[object] = [
    None, True, -1, 10**30, 1e308, "", "x" * 100_000, "[/]", "=1+2", "\x1b[2J", [], {},
    [None], {"x": 1}, "9999-12-31", "0001-01-01", 3, "3", "not_met", "green", 0.5,
]
CHECK_FORMATS = choices(ReportKind.CHECK)
BATCH_FORMATS = choices(ReportKind.BATCH)
DUE_FORMATS = choices(ReportKind.DUE)
DIFF_FORMATS = choices(ReportKind.DIFF)


def mutate(text: str, rng: random.Random) -> bytes:
    """A trust file with one to four hostile changes, and sometimes a flipped byte."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(8)
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
            lines[i] = "".join("9" if ch.isdigit() else ch for ch in lines[i])
        elif kind == 5:
            lines[i] = lines[i].replace(":", rng.choice([": [", ": {", ":"]), 1)
        elif kind == 6 and rng.random() < 0.1:  # now and then, a very long value
            key, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = f"{key}: {rng.choice('AZaz') * rng.randint(1_001, 400_000)}\n"
        else:  # an unquoted plain value of an unexpected kind
            key, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = f"{key}: {rng.choice(['no', 'yes', '~', '0x1F', '1_000', '!!str'])}\n"
    raw = bytearray("".join(lines).encode("utf-8", "surrogatepass"))
    if rng.random() < 0.1 and raw:  # a flipped byte
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def _paths(value: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*at, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            found += _paths(v, (*at, n))
    return found


def mutate_saved(saved: dict[str, object], rng: random.Random) -> bytes:
    """A saved JSON result with hostile changes: keys dropped, values replaced, or cut."""
    data = json.loads(json.dumps(saved))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(data)[1:])
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if rng.random() < 0.3:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(SAVED_HOSTILE)
    raw = json.dumps(data, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        raw = raw[: rng.randrange(len(raw))]
    return raw


def combinations(trust: Path, out: Path) -> list[list[str]]:
    """Every command and format a trust file goes through."""
    runs = [["check", str(trust), "-f", f] for f in CHECK_FORMATS if f != "docx"]
    runs += [["check", str(trust), "-f", f, "--fail-under", "60", "--fail-on-critical"]
             for f in ("rich", "json", "github", "junit")]
    runs += [["check", str(trust), "-f", "docx", "-o", str(out), "--force"]]
    runs += [["due", str(trust), "-f", f] for f in DUE_FORMATS]
    runs += [["diff", str(EXAMPLES[0]), str(trust), "-f", f] for f in DIFF_FORMATS]
    runs += [["validate", str(trust)]]
    return runs


def saved_combinations(saved: Path) -> list[list[str]]:
    """Every command and format a saved result goes through."""
    runs = [["diff", str(saved), str(EXAMPLES[0]), "-f", f] for f in DIFF_FORMATS]
    runs += [["check", str(EXAMPLES[0]), "--baseline", str(saved), "-f", f]
             for f in ("rich", "json", "markdown")]
    return runs


class Campaign:
    def __init__(self, directory: Path) -> None:
        self.runner = CliRunner(env={"NO_COLOR": None, "FORCE_COLOR": None,
                                     "GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None})
        self.failures_dir = directory / "failures"
        self.failures: list[str] = []
        self.codes: Counter[int] = Counter()
        self.used: Counter[str] = Counter()
        self.runs = 0
        self.repeats = 0
        self.largest = 0.0

    def fail(self, what: str, argv: list[str], source: Path) -> None:
        self.failures.append(f"{what}: {' '.join(argv)}")
        self.failures_dir.mkdir(exist_ok=True)
        shutil.copy(source, self.failures_dir / source.name)
        print(f"FAILED {what}: {' '.join(argv)}", flush=True)

    def invoke(self, argv: list[str]) -> tuple[int, bytes, bytes]:
        result = self.runner.invoke(app, argv, catch_exceptions=False)
        return result.exit_code, result.stdout_bytes, result.stderr_bytes

    def run(self, argv: list[str], source: Path, out: Path, repeat: bool) -> None:
        self.runs += 1
        self.used[" ".join(a for a in argv if not a.startswith("/"))] += 1
        try:
            code, stdout, stderr = self.invoke(argv)
        except BaseException as exc:  # a traceback, whatever its kind
            self.fail(f"traceback {type(exc).__name__}: {str(exc)[:200]}", argv, source)
            return
        self.codes[code] += 1
        if code not in (0, 1, 2):
            self.fail(f"exit {code}", argv, source)
        if b"Traceback" in stdout + stderr:
            self.fail("traceback in the output", argv, source)
        size = len(stdout) + len(stderr) + (out.stat().st_size if "-o" in argv and
                                            out.exists() else 0)
        bound = 64 * max(source.stat().st_size, 1024) + 2 * 1024 * 1024
        self.largest = max(self.largest, size / bound)
        if size > bound:
            self.fail(f"{size:,} bytes of output, over {bound:,}", argv, source)
        if repeat:
            self.repeats += 1
            first = (code, stdout, stderr, out.read_bytes() if "-o" in argv and
                     out.exists() else b"")
            out.unlink(missing_ok=True)
            again = self.invoke(argv)
            if (*again, out.read_bytes() if "-o" in argv and out.exists() else b"") != first:
                self.fail("output differs when repeated", argv, source)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2, help="runs per input")
    parser.add_argument("--part", default="0/1", help="I/N: run the inputs numbered I mod N")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bc-adversarial"))
    parser.add_argument("--start", type=int, default=0,
                        help="skip the inputs numbered below this (to resume a campaign)")
    parser.add_argument("--until", type=dt.time.fromisoformat, default=None,
                        help="HH:MM (UTC): take no input after this time, then report")
    parser.add_argument("--no-batch", action="store_true", help="no batch phase")
    parser.add_argument("--batch-only", action="store_true",
                        help="only the batch phase, on the inputs an earlier run wrote")
    parser.add_argument("--batch-sample", type=int, default=2_000,
                        help="formats other than json and csv check this many files as a batch")
    args = parser.parse_args()
    part, parts = (int(n) for n in args.part.split("/"))
    rng = random.Random(args.seed)
    files = args.dir / "files"
    saved_dir = args.dir / "saved"
    if part == 0 and not args.batch_only and args.start == 0:  # others find them written
        shutil.rmtree(args.dir, ignore_errors=True)
        files.mkdir(parents=True)
        saved_dir.mkdir()
        texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
        base = json.loads(CliRunner().invoke(app, ["check", str(EXAMPLES[0]), "-f", "json"])
                          .stdout)
        for n in range(args.count):
            if n % 8 == 7:
                (saved_dir / f"s{n:05d}.json").write_bytes(mutate_saved(base, rng))
            else:
                (files / f"t{n:05d}.yaml").write_bytes(mutate(rng.choice(texts), rng))
        (args.dir / "written").touch()
    else:
        while not (args.dir / "written").exists():
            time.sleep(5)
    inputs = sorted([*files.iterdir(), *saved_dir.iterdir()], key=lambda p: p.name[1:])
    campaign = Campaign(args.dir)
    out = args.dir / f"out-{part}.docx"
    start = time.perf_counter()
    # --until is a time of day: its next occurrence, so a campaign may run past midnight.
    deadline = None
    if args.until is not None:
        now = dt.datetime.now(dt.UTC)
        deadline = now.replace(hour=args.until.hour, minute=args.until.minute, second=0,
                               microsecond=0)
        if deadline <= now:
            deadline += dt.timedelta(days=1)
    turn = 0
    stopped: list[str] = []
    # A campaign stopped early (SIGTERM, or --until) still reports what it ran.
    signal.signal(signal.SIGTERM, lambda *_: stopped.append("stopped by SIGTERM"))
    last = -1
    for n, path in enumerate(inputs):
        if n % parts != part or args.batch_only or n < args.start:
            continue
        if deadline is not None and dt.datetime.now(dt.UTC) >= deadline:
            stopped.append(f"stopped at {args.until} (--until)")
        if stopped:
            break
        last = n
        every = saved_combinations(path) if path.suffix == ".json" else combinations(path, out)
        for _ in range(args.runs):
            argv = every[turn % len(every)]
            campaign.run(argv, path, out, repeat=turn % 10 == 0)
            turn += 1
        if n % 500 == part:
            print(f"{n:,} inputs, {campaign.runs:,} runs, {time.perf_counter() - start:.0f} s, "
                  f"{len(campaign.failures)} failures", flush=True)
    elapsed = time.perf_counter() - start
    yaml_count = sum(1 for p in inputs if p.suffix == ".yaml")
    print("" if not args.batch_only else "(batch phase only) ", end="")
    if stopped:
        print(f"{stopped[0]} after input {last:,}; ", end="")
    done = len([n for n in range(args.start, last + 1) if n % parts == part])
    print(f"part {part}/{parts}: {done:,} inputs ({yaml_count:,} trust "
          f"files and {len(inputs) - yaml_count:,} saved results in all), {campaign.runs:,} "
          f"runs ({campaign.repeats:,} repeated) in {elapsed:.1f} s; exit codes "
          f"{dict(sorted(campaign.codes.items()))}; largest output {campaign.largest:.1%} "
          f"of its bound; {len(campaign.used)} combinations of command and format, each "
          f"used {min(campaign.used.values(), default=0)}-"
          f"{max(campaign.used.values(), default=0)} times")
    # Pool workers are forked from here: with the handler above they would ignore the
    # SIGTERM that ends a pool, and the batch would wait on them for ever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if args.batch_only or (part == 0 and not args.no_batch):
        outputs: dict[str, set[bytes]] = {}
        sample = [str(p) for p in sorted(files.iterdir())[: args.batch_sample]]
        for fmt in BATCH_FORMATS:
            # Every file in the machine formats; a sample in the rest, which cost more.
            checked = [str(files)] if fmt in ("json", "csv") else sample
            for jobs in ("1", "2"):
                argv = ["check", *checked, "-f", fmt, "--jobs", jobs]
                try:
                    code, stdout, stderr = campaign.invoke(argv)
                except BaseException as exc:
                    campaign.failures.append(f"traceback {type(exc).__name__}: check -f {fmt} "
                                             f"--jobs {jobs}")
                    continue
                campaign.codes[code] += 1
                if code not in (0, 1, 2) or b"Traceback" in stdout + stderr:
                    campaign.failures.append(f"exit {code}: check -f {fmt} --jobs {jobs}")
                outputs.setdefault(fmt, set()).add(stdout)
            same = len(outputs.get(fmt, ())) == 1
            if not same:
                campaign.failures.append(f"batch -f {fmt} differs across runs and job counts")
            print(f"batch of {yaml_count if len(checked) == 1 else len(checked):,} trust files, "
                  f"-f {fmt}: byte-identical across runs and job counts: {same}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB; {len(campaign.failures)} failures")
    for line in campaign.failures:
        print(f"  {line}")
    return 1 if campaign.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
