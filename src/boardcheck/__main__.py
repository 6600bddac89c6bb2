"""Entry point: answer --version before importing anything heavy, then run the CLI."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main() -> int:
    """Run the command line; return its exit code."""
    # `--version` is asked by scripts and CI far more often than anything else: answering it
    # from argv costs ~7 ms instead of the ~150 ms of importing Typer, Rich and pydantic.
    if sys.argv[1:] in (["--version"], ["-V"]):
        from boardcheck import __version__

        sys.stdout.write(f"boardcheck {__version__}\n")
        return 0
    from boardcheck.build_cache import keep_compiled_code

    # Installed before anything defines a data class (Typer, pydantic, boardcheck itself).
    finish = keep_compiled_code()
    try:
        from boardcheck.cli import run

        run()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")  # sys.exit("message") semantics
        return 1
    finally:
        finish()
    return 0


def entry() -> NoReturn:
    """The console script: run, then exit without the interpreter's teardown.

    Freeing every module and model of a finished run costs ~25 ms, an eighth of a one-file
    check. Nothing is lost by skipping it: every file boardcheck writes is complete and
    closed before this (written to a temporary file and renamed), and a batch's worker pool
    is closed and joined before the run reports; only the standard streams need flushing.
    """
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`| head`): what was not read is not wanted
        pass
    os._exit(status)


if __name__ == "__main__":
    entry()
