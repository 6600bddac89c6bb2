"""Alternative YAML parsers against PyYAML's C loader and boardcheck's own loader.

    python -m venv /tmp/pv && /tmp/pv/bin/pip install pyyaml yaml-rs fastyaml-rs \\
        py-yaml12 libfyaml ryaml rapidyaml && /tmp/pv/bin/python benchmarks/parsers.py DIR

(run it in a separate environment: none of these is a dependency of boardcheck). For each
parser that imports, in one run over the same files: CPU per file and the ratio to
CSafeLoader, then what it does with the inputs the loader must refuse or read as meant
(duplicate keys, aliases, tags, YAML 1.1 `no` and dates) and whether it gives positions.
With boardcheck importable (PYTHONPATH=src) the loader's compose + build is timed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

PROBES = {
    "duplicate key": "a: 1\na: 2\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "python tag": "a: !!python/object:os.system ls\n",
    "custom tag": "a: !thing 1\n",
    "1.1 'no'": "name: no\n",
    "date": "d: 2024-01-01\n",
}


def candidates() -> dict[str, Callable[[str], Any]]:
    found: dict[str, Callable[[str], Any]] = {
        "PyYAML CSafeLoader": lambda text: yaml.load(text, Loader=yaml.CSafeLoader)}
    try:
        import yaml_rs

        found["yaml-rs"] = yaml_rs.loads
    except ImportError:
        pass
    try:
        import fast_yaml

        found["fastyaml-rs"] = fast_yaml.safe_load
    except ImportError:
        pass
    try:
        import yaml12

        found["py-yaml12"] = yaml12.parse_yaml
    except ImportError:
        pass
    try:
        import libfyaml

        found["libfyaml"] = libfyaml.loads
    except ImportError:
        pass
    try:
        import ryaml

        found["ryaml"] = ryaml.loads
    except ImportError:
        pass
    try:
        import ryml

        found["rapidyaml (tree only)"] = lambda text: ryml.parse_in_arena(text.encode())
    except ImportError:
        pass
    try:
        from boardcheck.errors import InputError
        from boardcheck.loading import DEFAULT_LIMITS, _Builder, _Loader

        def boardcheck_loader(text: str) -> Any:
            loader = _Loader(text)
            node = loader.get_single_node()
            loader.dispose()
            assert node is not None  # no generated file is empty
            return _Builder("x", DEFAULT_LIMITS, InputError, aliases="*" in text).build(node, ())

        found["boardcheck loader (positions)"] = boardcheck_loader
    except ImportError:
        pass
    return found


def probe(parse: Callable[[str], Any], text: str) -> str:
    try:
        value = parse(text)
    except Exception as exc:
        return f"error ({type(exc).__name__})"
    return repr(value)[:40]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.dir.glob("*.yaml"))[:args.files]]
    found = candidates()
    times: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(args.repeat):  # interleaved, so all share the machine's load alike
        for name, parse in found.items():
            start = time.process_time()
            for text in texts:
                parse(text)
            times[name].append((time.process_time() - start) / len(texts) * 1000)
    base = statistics.median(times["PyYAML CSafeLoader"])
    one, five, _ = os.getloadavg()
    print(f"{len(texts)} files, median of {args.repeat}, load average {one:.1f} {five:.1f}")
    for name in found:
        ms = statistics.median(times[name])
        print(f"{name:30} {ms:6.2f} ms/file  {base / ms:5.1f}x CSafeLoader's speed")
    print()
    for name, parse in found.items():
        print(name)
        for label, text in PROBES.items():
            print(f"    {label:14} {probe(parse, text)}")


if __name__ == "__main__":
    main()
