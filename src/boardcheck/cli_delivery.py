"""How a command's outcome reaches the user, for the Typer commands in `cli.py`: the
document on stdout or in the -o file (never over a file the run read), the step summary,
one-line messages on stderr, and the exit code. Every failure becomes located lines on
stderr and exit 2, never a traceback.

Light at import (Typer only), so that `--help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from boardcheck.errors import EXIT_ERROR, EXIT_INTERRUPTED

if TYPE_CHECKING:
    from pathlib import Path

    from boardcheck.application import Outcome, Settings
    from boardcheck.errors import BoardcheckError
    from boardcheck.summary import Row


T = TypeVar("T")


def say(line: str) -> None:
    """One line on stderr, the only way to it: nothing in it can act on the terminal."""
    from boardcheck.errors import one_line

    typer.echo(one_line(line), err=True)


def fail(message: str) -> NoReturn:
    say(f"boardcheck: {message}")
    raise typer.Exit(EXIT_ERROR)


def report(error: BoardcheckError, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    for problem in error.problems:
        say(str(problem))


def guard(debug: bool, action: Callable[[], T]) -> T:
    """Run `action`; every BoardcheckError becomes its messages on stderr and exit 2."""
    from boardcheck.errors import BoardcheckError
    from boardcheck.output import OutputError

    try:
        return action()
    except BoardcheckError as exc:
        report(exc, debug)
        raise typer.Exit(EXIT_ERROR) from None
    except OutputError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        # Ctrl-C outside a batch's checking (which keeps what was done and says so): while a
        # report is rendered or written. Typer would end the run at 130 without a word.
        say("boardcheck: interrupted before the run finished: the report is incomplete, and "
            "a report file (-o) was not written")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def check_choice(option: str, value: str, allowed: Collection[str]) -> None:
    if value not in allowed:
        fail(f"{option}: {value!r} is not one of {', '.join(allowed)}")


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from boardcheck.config import day

    try:
        return day(value)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def deliver(outcome: Outcome, s: Settings) -> int:
    """Write the document (stdout, or -o FILE never over a file the run read), the step
    summary and the stderr lines; return the exit code."""
    if outcome.document is not None:
        if not s.to_stdout:
            from boardcheck.output import Inputs, write_atomically

            assert s.output is not None
            write_atomically(s.output, outcome.document, force=s.force,
                             inputs=Inputs(outcome.inputs, s.read))
        elif isinstance(outcome.document, bytes):
            if sys.stdout.isatty():
                fail(f"{s.format_from} is a binary document: write it with -o FILE")
            sys.stdout.buffer.write(outcome.document)
        else:
            sys.stdout.write(outcome.document)
        sys.stdout.flush()
    if outcome.wrote is not None:
        say(outcome.wrote)
    unwritten = None
    if outcome.step_summary is not None and s.step_summary is not None:
        unwritten = append_step_summary(s.step_summary, outcome.step_summary)
    if unwritten is not None:
        say(unwritten)
    if outcome.error is not None:
        raise outcome.error
    for line in outcome.messages:
        say(line)
    # A step summary that could not be written is a failed run (exit 2), unless the run was
    # stopped (130 says so, and stays).
    return outcome.exit_code if unwritten is None else max(outcome.exit_code, EXIT_ERROR)


def append_step_summary(path: Path, pieces: Iterable[str]) -> str | None:
    """Append the step summary to its file a piece at a time (each step of a job adds its
    own, so nothing there is replaced), the pieces made as they are written; None, or the
    located line saying why it could not be written."""
    from boardcheck.output import step_summary_refusal

    try:
        with path.open("a", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        return f"boardcheck: {step_summary_refusal(path, exc.strerror or str(exc))}"
    return None


def run(debug: bool, make: Callable[[], Settings], go: Callable[[Settings], Outcome]) -> None:
    """Settings, then the run, then delivery: every failure located, exit 2."""
    def whole() -> int:
        s = make()
        return deliver(go(s), s)

    raise typer.Exit(guard(debug, whole))


def progress(rows: Iterable[Row], total: int) -> Iterable[Row]:
    """A progress bar on stderr, for a person watching a batch at a terminal."""
    from rich.console import Console
    from rich.progress import track

    return track(rows, total=total, description="Checking", console=Console(stderr=True),
                 transient=True)
