"""Make text from a trust file safe for where a format puts it: one function per medium.

A description is user input: a name can hold a terminal escape sequence (which would clear
the screen or retitle the window if a report printed it raw), markup a renderer would
obey, a spreadsheet formula, or a character XML cannot hold (which Word refuses). JSON
keeps the text exactly; every other format passes outside text through the function for
its medium here, and nowhere else:

| medium | function |
|---|---|
| terminal (Rich, whose console never reads markup) | `printable` |
| markdown text, markdown code span | `markdown_text`, `markdown_code` |
| HTML | `html_text` |
| CSV cell | `csv_cell` |
| spreadsheet (xlsx) cell | `xlsx_text`, and the cell typed as text, never a formula |
| XML (JUnit, Word) | `xml_safe` |
| GitHub workflow command message, property | `workflow_data`, `workflow_property` |
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Characters that change how the text around them is shown without being seen: the
# bidirectional embeddings, overrides and isolates and the directional marks. A name holding
# U+202E (right-to-left override) would display the rest of its line or cell reversed
# ("Trojan Source"), so, like control characters, they are shown as visible \uNNNN text.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# Compiled when first needed (only the Word paper needs it): ~3 ms at start-up otherwise.
_NOT_XML_PATTERN = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Control characters (escape, bell, carriage return...) shown as visible \\xNN text,
    and bidirectional controls as \\uNNNN."""
    return _CONTROL.sub(_visible, text)


# Characters that could start markup (emphasis, links, tables, code, inline HTML, entity
# references) in markdown: a trust's name must never become a link, a tag or another
# character.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_text(text: str) -> str:
    """Plain text safe inside a markdown paragraph, list item or table cell."""
    # A line break would end the list item or the table row it sits in.
    return _MARKDOWN.sub(r"\\\1", printable(" ".join(text.split())))


def markdown_code(text: str) -> str:
    """Text as an inline code span: shown literally (no backslashes appear, entities are
    not decoded); a fence longer than any run of backticks inside, and `|` escaped, which
    GitHub's tables need even inside code."""
    body = printable(" ".join(text.split())).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def html_text(text: object) -> str:
    """Text for HTML content or a quoted attribute: escaped, control characters visible."""
    return html.escape(printable(str(text)), quote=True)


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading = + - @ (or tab, CR) makes Excel
    and LibreOffice treat the cell as a formula, so such text gets a leading apostrophe.
    Control characters other than line breaks are shown as \\xNN."""
    text = _CSV_CONTROL.sub(_visible, text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_CSV_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def workflow_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it; the log
    renders ANSI sequences, so other control characters are shown as \\xNN."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def workflow_property(text: str) -> str:
    """A workflow command's property value: as data, and also no bare ':' or ','."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


@functools.cache
def _not_xml() -> re.Pattern[str]:
    return re.compile(_NOT_XML_PATTERN)


_BIDI_ONLY = re.compile(f"[{_BIDI}]")


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot carry, even escaped, replaced with U+FFFD; bidirectional
    controls (which XML can carry, and Word and CI viewers would obey) shown as \\uNNNN."""
    return _not_xml().sub("\ufffd", _BIDI_ONLY.sub(_visible, text))


def xlsx_text(text: str) -> str:
    """Text for a workbook cell: control characters shown as \\xNN (openpyxl refuses them),
    then anything XML cannot carry replaced. The cell itself is typed as a string by the
    writer, so a leading = is shown, not run: the text needs no apostrophe."""
    return xml_safe(printable(text))


def deep(value: T, clean: Callable[[str], str]) -> T:
    """`value` with `clean` applied to every string inside it (dataclasses, tuples, lists,
    dicts); other values unchanged. Returns the same object when nothing needed cleaning."""
    return _deep(value, clean)  # type: ignore[no-any-return]


def _deep(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return clean(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _deep(old, clean)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, tuple | list):
        items = [_deep(v, clean) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        return {_deep(k, clean): _deep(v, clean) for k, v in value.items()}
    # A batch's spilled rows, names in its compact store, or its collaborative view (worked
    # out when first read): each cleaned as it is read. Only
    # a batch makes them, and it has imported their module; a one-file report need not
    # import it (start-up).
    summary = sys.modules.get("boardcheck.summary")
    if summary is not None and isinstance(value, summary.Spilled | summary.Selection
                                          | summary.Deferred):
        return value.mapped(lambda v: _deep(v, clean))
    return value
