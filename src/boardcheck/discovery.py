"""Turn the paths on the command line (files, directories, globs) into the files to check."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from boardcheck.errors import Problem, shown

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files found, in a stable order, and the paths that could not be searched."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]


def discover(arguments: list[str]) -> Discovery:
    """Expand each argument: a file as given, a directory searched recursively for YAML,
    a glob pattern expanded. Order is argument order, then sorted within each argument;
    a file named twice is checked once."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for arg in arguments:
        path = Path(arg)
        if path.is_dir():
            found, errors = _walk(path)
            problems.extend(errors)
            if not found and not errors:
                problems.append(Problem(shown(arg), 1, 1, "no YAML files (*.yaml, *.yml) in this "
                                        "directory"))
            for item in found:
                add(item)
        elif path.exists() or path.is_symlink() or not glob.has_magic(arg):
            # A missing file is still "found": loading it reports "no such file" in place.
            add(path)
        else:
            matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207 - user patterns may be absolute
            if not matches:
                problems.append(Problem(shown(arg), 1, 1, "no files match this pattern"))
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    found, errors = _walk(m)
                    problems.extend(errors)
                    for item in found:
                        add(item)
                else:
                    add(m)
    return Discovery(tuple(files), tuple(problems))


def _walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """YAML files under `root`, sorted; unreadable directories and link loops reported."""
    found: list[Path] = []
    problems: list[Problem] = []
    visited: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        where = exc.filename or str(root)
        problems.append(Problem(shown(where), 1, 1, f"cannot search this directory: "
                                f"{exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=True):
        try:
            stat = Path(dirpath).stat()
        except OSError as exc:
            onerror(exc)
            dirnames[:] = []
            continue
        ident = (stat.st_dev, stat.st_ino)
        if ident in visited:
            # Following links can lead back to a directory already searched: a loop.
            problems.append(Problem(shown(dirpath), 1, 1, "symbolic link loop: this directory was "
                                    "already searched"))
            dirnames[:] = []
            continue
        visited.add(ident)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    found.sort()
    return found, problems
