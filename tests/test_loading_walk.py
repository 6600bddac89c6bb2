"""The fast walk (no alias bookkeeping when the text has no `*`) builds what the full walk
builds: the same values, positions, keys and raw texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardcheck.errors import InputError
from boardcheck.loading import DEFAULT_LIMITS, Limits, _Builder, _decode, _Loader
from tests.conftest import EXAMPLES, ROOT

FILES = [*sorted(EXAMPLES.glob("*.yaml")), *sorted((ROOT / "tests" / "bad").glob("*.yaml"))]


def walk(path: Path, aliases: bool, limits: Limits = DEFAULT_LIMITS) -> object:
    try:
        text = _decode(path.read_bytes(), str(path), InputError)
    except InputError:
        return "undecoded"
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except Exception:
        return "unparsed"
    finally:
        loader.dispose()
    if node is None:
        return "empty"
    builder = _Builder(str(path), limits, InputError, aliases=aliases)
    try:
        data = builder.build(node, ())
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return data, builder.values, builder.keys, builder.raw, builder.problems, builder.reported


@pytest.mark.parametrize("path", [p for p in FILES if b"*" not in p.read_bytes()],
                         ids=lambda p: p.name)
def test_the_fast_walk_builds_what_the_full_walk_builds(path: Path) -> None:
    assert walk(path, aliases=False) == walk(path, aliases=True)
    shallow = Limits(max_depth=3)
    assert walk(path, aliases=False, limits=shallow) == walk(path, aliases=True, limits=shallow)
