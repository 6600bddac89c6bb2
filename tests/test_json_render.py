"""The single-file JSON document is written by `dumps_indented`, which must give exactly the
text of `json.dumps(indent=2, ensure_ascii=False)`: for every example's result, and for any
JSON-ready value (text with quotes, braces, line breaks and control characters included)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardcheck.engine import evaluate, resolve_as_of
from boardcheck.formats.base import RenderOptions
from boardcheck.formats.json_format import (
    FORMAT,
    batch_result_dict,
    dumps_indented,
    fragment,
    result_dict,
)
from boardcheck.loading import load
from boardcheck.model import TrustDescription
from boardcheck.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_result_renders_as_json_dumps_writes_it(path: Path) -> None:
    trust, source = load(path, TrustDescription)
    result = evaluate(trust, source, load_questionnaire(None),
                      resolve_as_of(None, trust, dt.date(2026, 11, 1)))
    expected = json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"
    assert FORMAT.render(result, RenderOptions()) == expected


# Text the encoder could mistake for structure: brackets, separators, quotes, escapes, line
# breaks, control characters and non-ASCII.
_tricky = st.sampled_from(list('{}[],:" \\\n\t\x00\x1fab£é\u2028'))
_text = st.text(alphabet=_tricky | st.characters(), max_size=12)
_scalars = (st.none() | st.booleans() | st.integers() | _text
            | st.floats(allow_nan=True, allow_infinity=True))
_values = st.recursive(
    _scalars,
    lambda inner: (st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4)
                   | st.lists(st.dictionaries(_text, _scalars, min_size=1, max_size=3),
                              max_size=3)),
    max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [
    {1: "a", 2.5: [1], False: {}, None: [{"k": 1}]},  # keys json.dumps turns into text
    [{"a": []}, {"b": {}}],  # flat dicts holding empty containers
    ({"a": 1}, ({"b": 2},)),  # tuples
    {"x": math.inf, "y": [-math.inf, math.nan]},
    [], {}, "", 0,
])
def test_edge_values(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _compact(result: Any) -> str:
    return json.dumps(batch_result_dict(result), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_batch_line_is_the_compact_json_dumps_text(path: Path) -> None:
    trust, source = load(path, TrustDescription)
    result = evaluate(trust, source, load_questionnaire(None),
                      resolve_as_of(None, trust, dt.date(2026, 11, 1)))
    assert fragment(result) == _compact(result)


def test_a_batch_line_orjson_refuses_is_written_by_the_standard_library() -> None:
    # A lone surrogate (how Python holds a non-UTF-8 byte of a file name) is refused by
    # orjson; the line must still be written, exactly as json.dumps writes it.
    trust, source = load(EXAMPLES[0], TrustDescription)
    result = evaluate(trust, source, load_questionnaire(None),
                      resolve_as_of(None, trust, dt.date(2026, 11, 1)))
    odd = dataclasses.replace(result, file="trust-\udcff.yaml")
    assert fragment(odd) == _compact(odd)
    assert '"file":"trust-\udcff.yaml"' in fragment(odd)
