"""Entry point: answer --version before importing anything heavy, then run the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    # `--version` is asked by scripts and CI far more often than anything else: answering it
    # from argv costs ~7 ms instead of the ~150 ms of importing Typer, Rich and pydantic.
    if sys.argv[1:] in (["--version"], ["-V"]):
        from boardcheck import __version__

        sys.stdout.write(f"boardcheck {__version__}\n")
        return
    from boardcheck.cli import run

    run()


if __name__ == "__main__":
    main()
