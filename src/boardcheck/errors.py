"""One exception family for everything that stops a file from being evaluated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
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
