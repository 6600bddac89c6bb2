"""Make text from a trust file safe for where a format puts it.

A description is user input: a name can hold a terminal escape sequence (which would clear
the screen or retitle the window if a report printed it raw) or a character XML cannot
hold (which Word refuses). JSON keeps the text exactly; these helpers are for the formats
whose medium cannot.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Compiled when first needed (only the Word paper needs it): ~3 ms at start-up otherwise.
_NOT_XML_PATTERN = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def printable(text: str) -> str:
    """Control characters (escape, bell, carriage return...) shown as visible \\xNN text."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@functools.cache
def _not_xml() -> re.Pattern[str]:
    return re.compile(_NOT_XML_PATTERN)


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot carry, even escaped, replaced with U+FFFD."""
    return _not_xml().sub("\ufffd", text)


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
    return value
