"""Builds kept between runs, so that a one-file check does not redo them at every start.

Two builds were most of what a one-file check spent that was neither reading the file nor
judging it: the trust description's validator (pydantic generating the schema of ~70 nested
models, an eighth of the run) and the questionnaire (parsed, validated and built with the
validators of every check kind's parameters, a twentieth). What each builds depends only on
boardcheck's code (and, for a questionnaire, its bytes and the name it is shown by), so each
is kept in the user's cache folder under a key of all of these and served only when every
part matches: an edited or upgraded boardcheck, another Python or pydantic, a changed
questionnaire is built afresh. A third kind is the standard library's: the code `dataclasses`
and `typing` compile from text, and the regular expressions `re` compiles, at every start
(`keep_compiled_code`), kept under their exact text for the same Python.

The cache is an optimisation and nothing else. A folder that cannot be written, a file that
cannot be read, is cut short, is unpickled into something else or belongs to someone other
than this user is ignored without a word, and the thing is built as if there were no cache;
a failed write is no failure. Only this user's own files are unpickled (as Python trusts its
own `__pycache__`).
"""

from __future__ import annotations

import builtins
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from boardcheck import __version__

_MAGIC = b"boardcheck-build-1\n"


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/boardcheck, else the platform's per-user cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None)
    root = Path(base) if base else Path.home() / (
        "Library/Caches" if sys.platform == "darwin" else ".cache")
    return root / "boardcheck"


@functools.cache
def code_stamp() -> bytes:
    """What boardcheck's code is: its version, Python's and pydantic's, and the size and
    modification time of each of the package's modules (an edited checkout is new code: a
    changed model, a new check kind)."""
    from pydantic.version import VERSION

    parts = [__version__, sys.version, VERSION]
    with os.scandir(Path(__file__).parent) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def key(*parts: bytes) -> bytes:
    """The key of a build: boardcheck's code and whatever else the build was made from."""
    import hashlib

    digest = hashlib.sha256(code_stamp())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest().encode()


def _slot(kind: str, name: str) -> Path:
    """One file for each thing built (a model, a questionnaire's location): the cache holds
    the latest build of each and never grows with edits."""
    import hashlib

    digest = hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:24]
    return cache_dir() / kind / f"{digest}.pickle"


def load(kind: str, name: str, build_key: bytes) -> Any | None:
    """The object kept for `name` under `build_key`, or None (nothing kept, another key, or
    a file that cannot be trusted or read)."""
    import pickle

    return _read(_slot(kind, name), _MAGIC + build_key + b"\n", pickle.loads)


def _read(slot: Path, header: bytes, loads: Callable[[bytes], Any]) -> Any | None:
    try:
        with slot.open("rb") as f:
            st = os.fstat(f.fileno())
            # Only a file this user wrote and no one else can change is unpickled.
            getuid = getattr(os, "getuid", None)
            if getuid is not None and (st.st_uid != getuid() or st.st_mode & 0o022):
                return None
            if f.read(len(header)) != header:
                return None
            return loads(f.read())
    except Exception:  # any fault in a kept file means: build afresh
        return None


def keep(kind: str, name: str, build_key: bytes, value: object) -> None:
    """Keep `value` for `name` under `build_key`, replacing what was kept; silently not, if
    it cannot be pickled or written."""
    import pickle

    try:
        state = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception:  # no cache is a slower start, never a failure
        return
    _write(_slot(kind, name), _MAGIC + build_key + b"\n" + state)


def _write(slot: Path, data: bytes) -> None:
    import tempfile

    try:
        slot.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=slot.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            Path(temporary).replace(slot)  # whole or not at all, for a run reading it now
        except BaseException:
            Path(temporary).unlink()
            raise
    except Exception:  # no cache is a slower start, never a failure
        pass


def ready_to_validate(model: type[Any]) -> None:
    """Give a model built lazily (`defer_build`) its validator: the one kept from an earlier
    run of the same code, else build it now and keep it.

    The validator is pydantic-core's, made from the model's core schema; a kept one is that
    schema, pickled, and made again in pydantic-core (about a millisecond) instead of
    generated in Python. It validates exactly as the one built here would, because it is made
    from the same schema. Nothing else of the model is set: anything else that needs its
    schema (a JSON Schema, a dump) builds the model in full as before."""
    if model.__pydantic_complete__ or model in _READY:
        return
    from pydantic_core import SchemaValidator

    name = f"{model.__module__}.{model.__qualname__}"
    build_key = key(name.encode())
    validator = load("validators", name, build_key)
    if isinstance(validator, SchemaValidator):
        model.__pydantic_validator__ = validator
        _READY.add(model)
        return
    if model.model_rebuild(raise_errors=False):
        keep("validators", name, build_key, model.__pydantic_validator__)


_READY: set[type[Any]] = set()


# --- the code the standard library compiles at every start --------------------------------

_CODE_MAGIC = b"boardcheck-code-2\n"
# Past this many kept functions (code changed often, as in a checkout being edited), only
# those of the latest run are kept: the file stays the size of what a run uses.
_MOST_CODE = 4000


def _plain(value: Any) -> Any:
    """`value` with every int as a plain int (a flag or an opcode is a subclass of int)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if type(value) is list:
        return [_plain(item) for item in value]
    return value


def keep_compiled_code() -> Callable[[], None]:
    """Serve what the standard library compiles from text at every start from what was kept
    from an earlier run; return what keeps, at the end of the run, anything compiled afresh.

    `@dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, ... as source text
    and compiles it at every import, `typing` compiles every annotation written as text
    (pydantic reads them all), and `re` compiles every pattern (PyYAML's, Click's, ours) in
    Python: ~1,400 compilations and ~60 patterns, a third of a one-file check's
    instructions. The same text always compiles to the same code and the same pattern to
    the same program (on the same Python), so each is kept under its exact text and flags
    and made as it would be made: the classes, types and patterns are the same. Only these
    three modules' compilations are served (their own names `exec` and `compile`, and the
    regular expression compiler's `compile`); nothing else in the process changes, and a
    kept file that cannot be trusted or read is ignored, as for the other builds."""
    import dataclasses
    import importlib
    import marshal
    import re
    import typing

    # The regular expression compiler (no stubs: it is the standard library's own).
    compiler: Any = importlib.import_module("re._compiler")

    slot = cache_dir() / "code" / f"{sys.implementation.cache_tag}.marshal"
    # The compiler's output depends on the Python build and its optimisation level.
    header = _CODE_MAGIC + f"{sys.version}\n{sys.flags.optimize}\n".encode()
    kept: Any = _read(slot, header, marshal.loads)
    if not (isinstance(kept, tuple) and len(kept) == 2
            and all(isinstance(part, dict) for part in kept)):
        kept = ({}, {})
    kept_code: dict[str, Any] = kept[0]
    kept_patterns: dict[tuple[bool, str | bytes, int], tuple[Any, ...]] = kept[1]
    used_code: dict[str, object] = {}
    used_patterns: dict[tuple[bool, str | bytes, int], tuple[Any, ...]] = {}
    fresh = False
    code_type = type(keep_compiled_code.__code__)

    def compiled(source: str, mode: str) -> Any:
        nonlocal fresh
        key = f"{mode}\n{source}"
        code = kept_code.get(key)
        if type(code) is not code_type:
            # As the text is compiled there: neither module has any future feature.
            code = compile(source, "<string>", mode, dont_inherit=True)
            fresh = True
        used_code[key] = code
        return code

    def exec_kept(source: object, globals: dict[str, Any] | None = None,
                  locals: Any = None, /) -> None:
        if globals is None:  # `exec`'s own defaults: the caller's namespaces
            caller = sys._getframe(1)
            globals = caller.f_globals
            locals = caller.f_locals if locals is None else locals
        if type(source) is str:
            source = compiled(source, "exec")
        builtins.exec(source, globals, globals if locals is None else locals)  # type: ignore[arg-type]

    def compile_kept(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        if type(source) is str and filename == "<string>" and mode == "eval" and not (
                args or kwargs):
            return compiled(source, mode)
        return compile(source, filename, mode, *args, **kwargs)

    # A pattern is compiled in Python (parsed, then turned into a program) and made by
    # `_sre.compile` from that program: what it was given is kept, and given again.
    sre = compiler._sre
    compile_pattern = compiler.compile
    given: list[tuple[Any, ...]] = []

    class _Recording:
        """`_sre` as the regular expression compiler sees it: what `compile` is given is
        recorded; everything else is `_sre`'s own."""

        def __getattr__(self, name: str) -> Any:
            return getattr(sre, name)

        @staticmethod
        def compile(*args: Any) -> Any:
            given.append(args)
            return sre.compile(*args)

    def pattern_kept(pattern: Any, flags: Any = 0) -> Any:
        nonlocal fresh
        if type(pattern) not in (str, bytes) or type(flags) not in (int, re.RegexFlag) or (
                flags & re.DEBUG):
            return compile_pattern(pattern, flags)
        key = (type(pattern) is str, pattern, int(flags))
        args = kept_patterns.get(key)
        if args is not None:
            try:
                made = sre.compile(*args)
            except Exception:  # not what this Python's `_sre` takes: compile it afresh
                args = None
            else:
                used_patterns[key] = args
                return made
        given.clear()
        made = compile_pattern(pattern, flags)
        if len(given) == 1 and given[0][0] == pattern:
            # Flags and opcodes as the plain numbers `_sre` keeps (the compiler's named
            # ones cannot be marshalled).
            args = tuple(_plain(a) for a in given[0])
            try:
                marshal.dumps(args)
            except ValueError:
                return made
            used_patterns[key] = args
            fresh = True
        return made

    def finish() -> None:
        del dataclasses.exec  # type: ignore[attr-defined]
        del typing.compile  # type: ignore[attr-defined]
        compiler.compile = compile_pattern
        compiler._sre = sre
        if fresh:
            every = ({**kept_code, **used_code}, {**kept_patterns, **used_patterns})
            if len(every[0]) + len(every[1]) > _MOST_CODE:
                every = (used_code, used_patterns)
            _write(slot, header + marshal.dumps(every))

    dataclasses.exec = exec_kept  # type: ignore[attr-defined]
    typing.compile = compile_kept  # type: ignore[attr-defined]
    compiler._sre = _Recording()
    compiler.compile = pattern_kept
    return finish
