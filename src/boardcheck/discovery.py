"""Turn the paths on the command line (files, directories, globs) into the files to check."""

from __future__ import annotations

import glob
import os
import typing
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from boardcheck.errors import Problem, shown

SUFFIXES = (".yaml", ".yml")


class PathList(Sequence[Path]):
    """Paths kept as one run of encoded bytes and their offsets, made into `Path`s only as
    they are read: a batch keeps its list of files from start to end, and 40,000 `Path`
    objects were ~20 MB against ~2 MB for this (issue 14)."""

    __slots__ = ("_data", "_ends")

    def __init__(self, paths: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._data = bytearray()
        self._ends: array[int] = array("q")
        for path in paths:
            self.append(path)

    def append(self, path: str | os.PathLike[str]) -> None:
        # os.fsencode round-trips any name the file system gave (surrogate escapes included).
        self._data += os.fsencode(path)
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    @typing.overload
    def __getitem__(self, i: int) -> Path: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[Path]: ...

    def __getitem__(self, i: int | slice) -> Path | list[Path]:
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self._ends):
            raise IndexError("PathList index out of range")
        start = self._ends[i - 1] if i else 0
        return Path(os.fsdecode(bytes(self._data[start:self._ends[i]])))

    def __iter__(self) -> Iterator[Path]:
        data, start = self._data, 0
        for end in self._ends:
            yield Path(os.fsdecode(bytes(data[start:end])))
            start = end

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same paths, in order, as the tuple it stands for."""
        if not isinstance(other, PathList | tuple | list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                        strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal by content, yet not immutable

    def __repr__(self) -> str:
        return f"PathList({[str(p) for p in self]!r})"


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files found, in a stable order, and the paths that could not be searched."""

    files: Sequence[Path]
    problems: tuple[Problem, ...]


def discover(arguments: list[str]) -> Discovery:
    """Expand each argument: a file as given, a directory searched recursively for YAML,
    a glob pattern expanded. Order is argument order, then sorted within each argument;
    a file named twice is checked once."""
    files = PathList()
    problems: list[Problem] = []
    seen: set[str] = set()

    def add(path: str | Path) -> None:
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
                problems.append(Problem(shown(arg), 0, 0, "no YAML files (*.yaml, *.yml) in this "
                                        "directory"))
            for item in found:
                add(item)
        elif path.exists() or path.is_symlink() or not glob.has_magic(arg):
            # A missing file is still "found": loading it reports "no such file" in place.
            add(path)
        else:
            matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207 - user patterns may be absolute
            if not matches:
                problems.append(Problem(shown(arg), 0, 0, "no files match this pattern"))
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    found, errors = _walk(m)
                    problems.extend(errors)
                    for item in found:
                        add(item)
                else:
                    add(m)
    return Discovery(files, tuple(problems))


def _order(path: str) -> str:
    """What sorts paths as `Path`s sort (component by component, each compared as a string,
    case-folded where the file system folds case): the separator made the lowest character,
    which no name contains, so that `a/b/c` comes before `a/b.yaml` as ('a', 'b', 'c') comes
    before ('a', 'b.yaml')."""
    return os.path.normcase(path).replace(os.sep, "\0")


def _walk(root: Path) -> tuple[list[str], list[Problem]]:
    """YAML files under `root` (as `Path`s would print them), in `Path` order; unreadable
    directories and link loops reported. Strings, not `Path`s: a directory of 40,000 files
    made 40,000 objects of ~500 bytes at once."""
    found: list[str] = []
    problems: list[Problem] = []
    visited: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        where = exc.filename or str(root)
        problems.append(Problem(shown(where), 0, 0, f"cannot search this directory: "
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
            problems.append(Problem(shown(dirpath), 0, 0, "symbolic link loop: this directory was "
                                    "already searched"))
            dirnames[:] = []
            continue
        visited.add(ident)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # The directory's path as a Path prints it ("./x" as "x", "/" as "/"), worked out
        # once per directory rather than a Path made per file.
        prefix = str(Path(dirpath) / "x")[:-1]
        for name in sorted(filenames):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                found.append(prefix + name)
    found.sort(key=_order)
    return found, problems
