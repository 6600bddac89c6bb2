"""One exception family for everything that stops a file from being evaluated."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

# The exit codes, one place for the CLI and the application (README, "Exit codes").
EXIT_OK, EXIT_BELOW_THRESHOLD, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

# Control characters (a newline would forge a second located line; an escape sequence
# would drive the terminal) and the lone surrogates Python decodes undecodable bytes to.
# Bidirectional overrides are shown too: they reorder what a reader sees of a line.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(path: str | os.PathLike[str]) -> str:
    """A file name as every output shows it: bytes that are not UTF-8 and control
    characters as visible \\xNN escapes, so any medium can carry it and none obeys it."""
    return one_line(os.fspath(path))


def one_line(text: str) -> str:
    """Text for one line of a terminal or log: every control character made visible."""
    return _UNSHOWABLE.sub(_escape, text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int  # 0 where the problem is not in a file (`file` then names its source)
    column: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:  # not in a file: a flag or an environment variable
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class BoardcheckError(Exception):
    """A file (trust description, questionnaire or config) that cannot be used.

    Carries every problem found, so `validate` can list them all at once.
    """

    kind = "input"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, line: int, column: int, message: str) -> Self:
        return cls([Problem(file, line, column, message)])


class InputError(BoardcheckError):
    """The trust description could not be read or is invalid."""


class QuestionnaireError(BoardcheckError):
    """The questionnaire could not be read or is invalid."""

    kind = "questionnaire"


class ConfigError(BoardcheckError):
    """The configuration could not be read or is invalid."""

    kind = "config"
