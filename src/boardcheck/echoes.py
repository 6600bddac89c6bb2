"""How much of one long text a report repeats: the bound on echoes of input text.

A report repeats what a file says (an arrangement's id or name, an organisation's name, a
waiver's reason) in many places: in findings, evidence notes, tables, annotations. A single
value of megabytes would then be written dozens of times (a 4 MB id once made 130 MB of
JSON). So every text of a report longer than `ECHO_LIMIT` characters (a value from the
file, or a sentence repeating one) is shortened to its first `HEAD` and last `TAIL`
characters around a note of how many are not shown. This happens once, where a report is
made (a checked result, a saved result read back, a forward look), so every format gets
it. Scores and ratings are computed before it, from the full values; the full text stays
in the file, at the line the report gives.

Reports on files whose text values are all within the limit are left as they are (the
loader notes whether any is longer, so ordinary files pay nothing for the walk).
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

ECHO_LIMIT = 1000
HEAD, TAIL = 700, 200


def shortened(text: str) -> str:
    """`text`, or for a text over the limit its head and tail around what is left out."""
    if len(text) <= ECHO_LIMIT:
        return text
    left_out = len(text) - HEAD - TAIL
    return f"{text[:HEAD]} … [{left_out:,} characters not shown] … {text[-TAIL:]}"


def bounded(report: T) -> T:
    """`report` (a result, a saved result, a forward look) with every text in it shortened;
    the same object when nothing is over the limit."""
    from boardcheck.formats.sanitise import deep

    return deep(report, shortened)
