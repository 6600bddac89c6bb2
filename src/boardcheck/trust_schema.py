"""The JSON Schema of the trust description, generated from the loader's own definitions.

pydantic describes the canonical values; what the loader also accepts before validation
(the `assurance` aliases, in any case, with spaces for underscores) is added here from
the same table the loader reads (`model.ASSURANCE_ALIASES`), so the schema accepts
exactly what `validate` does and cannot drift from it.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from boardcheck.model import ASSURANCE_ALIASES, AssuranceLevel, TrustDescription


def _any_case(word: str) -> str:
    """A regular expression for `word` as the loader normalises it: any letter case,
    a space wherever an underscore is, surrounding white space ignored."""
    return "".join("[ _]" if ch == "_" else f"[{ch.lower()}{ch.upper()}]" if ch.isalpha()
                   else re.escape(ch) for ch in word)


def assurance_pattern() -> str:
    words = sorted({*ASSURANCE_ALIASES, *typing.get_args(AssuranceLevel)})
    return r"^\s*(" + "|".join(_any_case(w) for w in words) + r")\s*$"


def trust_json_schema() -> dict[str, Any]:
    schema = TrustDescription.model_json_schema()
    canonical = list(typing.get_args(AssuranceLevel))
    pattern = assurance_pattern()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("enum") == canonical:
                del node["enum"]
                node["pattern"] = pattern
                node["examples"] = canonical
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema
