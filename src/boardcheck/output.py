"""Writing output files without ever damaging the user's files."""

from __future__ import annotations

import errno
import io
import os
import sys
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, TextIO

from boardcheck.errors import shown


class OutputError(Exception):
    """The output could not be written; the message says why and what to do."""


class Inputs:
    """The files a run read, which no output may be written over: kept as the sequences
    given (a batch's `discovery.PathList`, compact), never copied into one list of `Path`s.

    Whether a target is one of them is asked once per output, and once per board paper
    with --papers: each input is resolved once, on the first question, and only a sorted
    array of the resolved paths' hashes is kept; a hash found is confirmed by resolving
    the inputs again, so the answer is exactly "an input resolves to the target"."""

    __slots__ = ("_groups", "_hashes")

    def __init__(self, *groups: Iterable[Path]) -> None:
        flat: list[Sequence[Path]] = []
        for group in groups:
            if isinstance(group, Inputs):
                flat += group._groups
            else:
                flat.append(group if isinstance(group, Sequence) else tuple(group))
        self._groups: tuple[Sequence[Path], ...] = tuple(flat)
        # The same inputs as another's: its resolved hashes (if worked out) serve as well.
        self._hashes: array[int] | None = (groups[0]._hashes if len(groups) == 1
                                           and isinstance(groups[0], Inputs) else None)

    def __iter__(self) -> Iterator[Path]:
        for group in self._groups:
            yield from group

    def __len__(self) -> int:
        return sum(len(group) for group in self._groups)

    def holds(self, resolved: Path) -> bool:
        """Whether an input resolves to `resolved` (a target, resolved)."""
        if self._hashes is None:
            self._hashes = array("q", sorted(hash(str(r)) for r in self._resolved()))
        wanted = hash(str(resolved))
        at = bisect_left(self._hashes, wanted)
        if at == len(self._hashes) or self._hashes[at] != wanted:
            return False
        return any(r == resolved for r in self._resolved())

    def _resolved(self) -> Iterator[Path]:
        for source in self:
            try:
                yield source.resolve()
            except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (3.11)
                continue


def write_atomically(target: Path, data: str | bytes, *, force: bool,
                     inputs: Iterable[Path] = ()) -> None:
    """Write to a temporary file beside `target`, then rename it into place.

    A failure midway leaves any existing file untouched; an existing file is replaced only
    with `force`; writing over one of the inputs is always refused.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with open_atomically(target, force=force, inputs=inputs) as handle:
        handle.write(payload)


def resolved(path: Path) -> Path | None:
    """`path.resolve()`, or None where it cannot be resolved (a symbolic link loop: Python
    3.11 raises RuntimeError for it, later ones OSError); every output path is resolved
    through here, so such a path is a located refusal, never a traceback."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


_UNRESOLVED = os.strerror(errno.ELOOP)


def check_target(target: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before anything is written, an output that `open_atomically` would refuse:
    one of the inputs, a directory, or an existing file without `force` (a device such as
    /dev/null is written to, never replaced). A run with other outputs (--papers) asks first,
    so a refused -o leaves nothing behind."""
    known = inputs if isinstance(inputs, Inputs) else Inputs(inputs)
    where = resolved(target)
    if where is None:
        raise OutputError(f"{shown(target)}: cannot write: {_UNRESOLVED}")
    if known.holds(where):
        raise OutputError(f"{shown(target)}: refusing to write the output over an input file")
    if target.is_dir():
        raise OutputError(f"{shown(target)}: is a directory")
    if target.is_file() and not force:
        raise OutputError(_EXISTS.format(shown(target)))


def step_summary_refusal(path: Path, reason: str) -> str:
    """Why the step summary cannot go to `path`, as said before the run or after it."""
    from boardcheck.config import STEP_SUMMARY_VARIABLE

    return f"{STEP_SUMMARY_VARIABLE}: {shown(path)}: cannot write the step summary: {reason}"


def check_step_summary(path: Path, *, inputs: Iterable[Path] = (),
                       outputs: Mapping[str, Path] = MappingProxyType({})) -> None:
    """Refuse, before any file is checked, a step summary file (GITHUB_STEP_SUMMARY) the
    run could not append to: one of the inputs (the summary would be added to the end of a
    trust's file), one of the run's other outputs by the option that names it (the summary
    would be added to the end of that report), a directory, or a place this user cannot
    write. Appending can still fail (a full disk, a file that takes no writes): the CLI
    says so after the run."""
    def refused(reason: str) -> OutputError:
        return OutputError(step_summary_refusal(path, reason))

    known = inputs if isinstance(inputs, Inputs) else Inputs(inputs)
    where = resolved(path)
    if where is None:
        raise refused(_UNRESOLVED)
    if known.holds(where):
        raise refused("it is one of the input files")
    for option, output in outputs.items():
        if resolved(output) == where:
            raise refused(f"it is the {option} file")
    if path.is_dir():
        raise refused(os.strerror(errno.EISDIR))
    if path.exists():
        if not os.access(path, os.W_OK):
            raise refused(os.strerror(errno.EACCES))
        return
    folder = path.parent
    if not folder.is_dir():
        raise refused(os.strerror(errno.ENOENT))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise refused(os.strerror(errno.EACCES))


@contextmanager
def open_atomically(target: Path, *, force: bool,
                    inputs: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """A binary handle to write `target` through, as `write_atomically` writes: checked
    before anything is written, renamed into place when the block ends without an error."""
    check_target(target, force=force, inputs=inputs)
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a FIFO: never rename over a device; just write to it.
        try:
            with target.open("wb") as handle:
                yield handle
        except OSError as exc:
            raise OutputError(f"{shown(target)}: cannot write: {exc.strerror or exc}") from None
        return
    directory = target.parent if str(target.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{shown(target)}: cannot write here: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would,
        # or keep the mode of the file it replaces.
        Path(tmp).chmod(target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            Path(tmp).replace(target)
        else:
            _create_exclusively(Path(tmp), target)
    except FileExistsError:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(_EXISTS.format(shown(target))) from None
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{shown(target)}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def open_output(target: Path | None, *, force: bool,
                inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """Text output written as it is produced: stdout (None or "-"), or `target` written
    atomically. Text is written as given (UTF-8, no newline translation)."""
    if target is None or str(target) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open_atomically(target, force=force, inputs=inputs) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
        yield text
        text.flush()
        text.detach()


@contextmanager
def open_binary_output(target: Path | None, *, force: bool,
                       inputs: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """Bytes written as they are produced: stdout's buffer (None or "-"), or `target`
    written atomically."""
    if target is None or str(target) == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with open_atomically(target, force=force, inputs=inputs) as handle:
        yield handle


_EXISTS = "{}: already exists; use --force to replace it"


def _create_exclusively(tmp: Path, target: Path) -> None:
    """Put the finished `tmp` at `target` only if nothing is there: a hard link is created
    atomically or not at all, so of two runs writing the same -o, the second is refused
    instead of replacing the first's file (a rename would replace it silently)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network and FUSE file systems): create the name
        # exclusively and copy the finished content into it.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, tmp.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as handle:
            handle.write(tmp.read_bytes())
    tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
