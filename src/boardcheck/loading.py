"""Read YAML safely, keep the position of every value, and validate it with pydantic.

PyYAML's loaders accept duplicate keys silently, expand aliases without limit and will
construct arbitrary tags if asked; so we only use them to *compose* a node tree (libyaml's
C composer when present) and build plain Python values from the nodes ourselves. That
gives us line and column for every value at no extra cost, and one place to refuse
duplicate keys, aliases, non-core tags and invalid dates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import os
import re
import stat
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from boardcheck.echoes import ECHO_LIMIT
from boardcheck.errors import BoardcheckError, InputError, Problem, shown

try:  # libyaml is ~8x faster; positions cost nothing with it.
    from yaml import CSafeLoader as _BaseLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False


class _Loader(_BaseLoader):
    """The safe loader, with the composer's calls back into Python made cheap.

    libyaml composes in C but calls three Python methods for every node: `resolve` for its
    tag, and `descend_resolver`/`ascend_resolver` for path resolvers, which we do not use.
    In a batch those calls were a sixth of the time. Here all three are C built-ins:
    `resolve` only packs its arguments, (kind, value, (plain, quoted)), in a slice that
    `_Builder` resolves itself, inline and from a memo; the other two do nothing. A tag the
    file writes out (`!!int 5`) is still given as its text, as before."""

    resolve = staticmethod(slice)
    descend_resolver = staticmethod(slice)  # type: ignore[assignment]  # see the docstring
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

YamlPath = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "null", "bool", "int", "float", "timestamp")}


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against files that are huge, deeply nested or built to exhaust memory."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    max_items: int = 1000  # entries in any one list (collaboratives, risks, ...)
    max_nodes: int = 100_000  # values in one file; a 40 KB description has about 1,500
    # How the user can raise max_bytes, named in the refusal ("" where they cannot).
    raise_with: str = " (raise it with --max-bytes)"


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each value of a document stands in its file (1-based line and column)."""

    file: str
    values: Mapping[YamlPath, tuple[int, int]]
    keys: Mapping[YamlPath, tuple[int, int]]
    # The literal text of scalars YAML did not read as text, for messages about YAML 1.1 traps.
    raw: Mapping[YamlPath, str] = field(default_factory=dict)
    # The decoded file, for quick checks over the whole text (template placeholders).
    text: str = ""
    # Whether some text value is longer than reports repeat in full (`echoes.ECHO_LIMIT`):
    # only then need a report be walked to shorten its echoes of it.
    long_text: bool = False

    def has(self, path: YamlPath) -> bool:
        """True when the file states a value at exactly `path`."""
        return path in self.values

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor present in the file."""
        table = self.keys if key else self.values
        found = table.get(path)  # the common case, without slicing the path
        if found is not None:
            return found
        for end in range(len(path), -1, -1):
            pos = table.get(path[:end]) or self.values.get(path[:end])
            if pos is not None:
                return pos
        return (1, 1)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML document: plain values plus where they came from."""

    data: dict[str, Any]
    source: SourceMap
    problems: tuple[Problem, ...] = ()
    reported: frozenset[YamlPath] = frozenset()


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def format_path(path: YamlPath) -> str:
    """`('collaboratives', 0, 'name')` -> `collaboratives[0].name`.

    A key that is not a plain name is shown quoted and shortened, so a key holding a line
    break or a terminal escape cannot break the one-line `file:line:column: message`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{shorten(part)}]"
    return out or "(top level)"


def shorten(value: object, limit: int = 60) -> str:
    """A value for a message: repr() (so control characters show as escapes), shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, counting every YAML line break (CR, LF, CRLF,
    NEL, LS, PS) as libyaml does."""
    line, start = 1, 0
    for match in _BREAKS.finditer(text, 0, offset):
        line += 1
        start = match.end()
    return line, offset - start + 1


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"the value {node.value!r}"


_STR_TAG = f"{_CORE}str"
_NULL_TAG = f"{_CORE}null"
_BOOL_TAG = f"{_CORE}bool"
_INT_TAG = f"{_CORE}int"
_FLOAT_TAG = f"{_CORE}float"
_MERGE_TAG = f"{_CORE}merge"
# Non-text scalars already constructed, by (tag, text): see _Builder._scalar.
_SCALARS: dict[tuple[str, str], Any] = {}
_TAG_REFUSED = ("allowed; only plain YAML values (text, numbers, true/false, dates, lists and "
                "mappings) are accepted")

# What YAML 1.1 reads an unquoted scalar as is PyYAML's own resolver's answer (the one the
# safe loader uses), asked once per distinct text. The resolver picks its patterns by the
# text's first character, so text starting with any other character (most names and
# sentences) is text without asking; likewise only text starting with `<` can be a merge key.
_RESOLVER = Resolver()
_TRAP_STARTS = frozenset(_RESOLVER.yaml_implicit_resolvers)
_MERGE_STARTS = frozenset(first for first, rules in _RESOLVER.yaml_implicit_resolvers.items()
                          if any(tag == _MERGE_TAG for tag, _ in rules))
if None in _TRAP_STARTS:  # pragma: no cover - a pattern for every first character
    raise ImportError("boardcheck expects PyYAML's resolver to pick patterns by first character")
_PLAIN_TAGS: dict[str, str] = {}


def _plain_tag(text: str) -> str:
    """The tag of an unquoted scalar whose first character some pattern starts with."""
    tag = _PLAIN_TAGS.get(text)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]  # PyYAML is untyped here
        # Bounded, and small: each file adds ~5 texts of its own (names starting "N", "T",
        # dates), and 100,000 of them were ~10 MB more in each batch worker by ~20,000
        # files (issue 14); the texts that recur ("yes", "true", ...) are soon back.
        if len(_PLAIN_TAGS) >= 8192:
            _PLAIN_TAGS.clear()
        _PLAIN_TAGS[text] = tag
    return tag


def _scalar_tag(node: Node) -> str:
    """A scalar's tag: as written, else as `_Loader.resolve` left it to be resolved."""
    tag: Any = node.tag  # a slice until resolved, whatever the stubs say
    if tag.__class__ is not slice:
        return str(tag)
    text = node.value
    if tag.step[0] and text[:1] in _TRAP_STARTS:  # an unquoted scalar (implicit[0])
        return _PLAIN_TAGS.get(text) or _plain_tag(text)
    return _STR_TAG


class _Builder:
    """Builds Python values from composed nodes, recording positions as it goes.

    This walk is a third of the cost of a file, so it is written for speed: constant tags,
    exact type tests (the composer makes exactly these node classes), text values taken in
    the mapping and list loops without a call (tags resolved there too), and the alias
    check (composed aliases are the very same node object) only when the text holds a `*`,
    without which YAML has no alias."""

    _constructor = SafeConstructor()

    def __init__(self, file: str, limits: Limits, error: type[BoardcheckError],
                 aliases: bool = True) -> None:
        self.file = file
        self.limits = limits
        self.error = error
        self.values: dict[YamlPath, tuple[int, int]] = {}
        self.keys: dict[YamlPath, tuple[int, int]] = {}
        self.raw: dict[YamlPath, str] = {}
        self.seen: set[int] | None = set() if aliases else None
        # Problems that do not stop the walk, so `validate` can list them all at once.
        self.problems: list[Problem] = []
        # Values already reported (a refused tag): schema errors about them would only repeat.
        self.reported: set[YamlPath] = set()
        self.long_text = False

    def note(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))

    def fail(self, node: Node, message: str) -> BoardcheckError:
        mark = node.start_mark
        return self.error.single(self.file, mark.line + 1, mark.column + 1, message)

    def _too_deep(self, node: Node, path: YamlPath) -> BoardcheckError:
        # Name only where the nesting starts: the full path would be hundreds of `[0]`s.
        start = next((i for i in range(len(path), 0, -1) if isinstance(path[i - 1], str)), 0)
        return self.fail(node, f"{format_path(path[:start])}: nested more than "
                         f"{self.limits.max_depth} levels deep")

    def build(self, node: Node, path: YamlPath) -> Any:
        if len(path) > self.limits.max_depth:
            raise self._too_deep(node, path)
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                raise _AliasFound(path)
            seen.add(id(node))
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        if kind is MappingNode:
            return self._mapping(node, path)  # type: ignore[arg-type]
        if kind is SequenceNode:
            tag: Any = node.tag
            if tag.__class__ is not slice and tag != _SEQ_TAG:
                raise self.fail(node, f"{format_path(path)}: the tag {_short(tag)} is not "
                                + _TAG_REFUSED)
            items = node.value
            if len(items) > self.limits.max_items:
                raise self.fail(node, f"{format_path(path)}: {len(items)} items is more "
                                f"than the limit of {self.limits.max_items}")
            if self.seen is not None or len(path) >= self.limits.max_depth:
                build = self.build
                return [build(item, (*path, i)) for i, item in enumerate(items)]
            return self._items(items, path)
        assert kind is ScalarNode
        return self._scalar(node, path, _scalar_tag(node))  # type: ignore[arg-type]

    def _items(self, items: list[Node], path: YamlPath) -> list[Any]:
        """A list's items on the fast walk: text items taken without a call."""
        values, build, traps, tags = self.values, self.build, _TRAP_STARTS, _PLAIN_TAGS
        out: list[Any] = []
        for i, item in enumerate(items):
            sub = (*path, i)
            if type(item) is ScalarNode:
                tag: Any = item.tag
                text = item.value
                if tag.__class__ is slice:  # resolved here: see _scalar_tag
                    if tag.step[0] and text[:1] in traps:
                        tag = tags.get(text) or _plain_tag(text)
                    else:
                        tag = _STR_TAG
                mark = item.start_mark
                values[sub] = (mark.line + 1, mark.column + 1)
                if tag == _STR_TAG:
                    if len(text) > ECHO_LIMIT:
                        self.long_text = True
                    out.append(text)
                else:
                    out.append(self._scalar(item, sub, tag))
            else:
                out.append(build(item, sub))
        return out

    def _mapping(self, node: MappingNode, path: YamlPath) -> dict[str, Any]:
        tag: Any = node.tag
        if tag.__class__ is not slice and tag != _MAP_TAG:
            raise self.fail(node, f"{format_path(path)}: the tag {_short(tag)} is not "
                            + _TAG_REFUSED)
        if len(node.value) > self.limits.max_items:
            raise self.fail(node, f"{format_path(path)}: {len(node.value)} keys is more "
                            f"than the limit of {self.limits.max_items}")
        out: dict[str, Any] = {}
        seen, keys, values, build = self.seen, self.keys, self.values, self.build
        traps, merges, tags = _TRAP_STARTS, _MERGE_STARTS, _PLAIN_TAGS
        # Scalar values one level down are taken here, without `build`, unless too deep.
        inline = seen is None and len(path) < self.limits.max_depth
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise self.fail(key_node, f"{format_path(path)}: a key must be plain text, "
                                f"not {_describe(key_node)}")
            # Keys are names: take their text as written, so `no:` or `2024:` stay text.
            key: str = key_node.value
            if (key[:1] in merges and _scalar_tag(key_node) == _MERGE_TAG) \
                    or key_node.tag == _MERGE_TAG:
                raise self.fail(key_node, f"{format_path(path)}: merge keys (<<) are not allowed;"
                                " write the keys out in full")
            sub = (*path, key)
            if seen is not None:
                if id(key_node) in seen:
                    raise _AliasFound(sub)
                seen.add(id(key_node))
            mark = key_node.start_mark
            if key in out:
                first = keys[sub]
                self.note(key_node, f"{format_path(sub)}: duplicate key {key!r} "
                          f"(first defined at line {first[0]})")
                continue
            keys[sub] = (mark.line + 1, mark.column + 1)
            if inline and type(value_node) is ScalarNode:
                vtag: Any = value_node.tag
                text = value_node.value
                if vtag.__class__ is slice:  # resolved here: see _scalar_tag
                    if vtag.step[0] and text[:1] in traps:
                        vtag = tags.get(text) or _plain_tag(text)
                    else:
                        vtag = _STR_TAG
                mark = value_node.start_mark
                values[sub] = (mark.line + 1, mark.column + 1)
                if vtag == _STR_TAG:
                    if len(text) > ECHO_LIMIT:
                        self.long_text = True
                    out[key] = text
                else:
                    out[key] = self._scalar(value_node, sub, vtag)
            else:
                out[key] = build(value_node, sub)
        return out

    def _scalar(self, node: ScalarNode, path: YamlPath, tag: str) -> Any:
        if tag == _STR_TAG:
            if len(node.value) > ECHO_LIMIT:
                self.long_text = True
            return node.value
        if tag not in _SCALAR_TAGS:
            self.note(node, f"{format_path(path)}: the tag {_short(tag)} is not " + _TAG_REFUSED)
            self.reported.add(path)
            return None
        self.raw[path] = node.value
        if tag == _NULL_TAG:
            return None
        # Numbers, dates and booleans repeat across files; the values are immutable.
        known = _SCALARS.get((tag, node.value), _SCALARS)
        if known is not _SCALARS:
            return known
        value = self._construct(node, path, tag)
        if path in self.raw and len(node.value) <= 64:  # constructed, not kept as text
            if len(_SCALARS) > 10_000:  # bounded: a hostile batch cannot grow it forever
                _SCALARS.clear()
            _SCALARS[(tag, node.value)] = value
        return value

    def _construct(self, node: ScalarNode, path: YamlPath, tag: str) -> Any:
        c = self._constructor
        try:
            if tag == _BOOL_TAG:
                return c.construct_yaml_bool(node)
            if tag == _INT_TAG:
                return c.construct_yaml_int(node)
            if tag == _FLOAT_TAG:
                return c.construct_yaml_float(node)
            return c.construct_yaml_timestamp(node)
        except Exception:  # PyYAML's constructors fail in many ways on odd input
            # e.g. 2024-13-01 looks like a date but is not one: keep the text, and let the
            # schema say "expected a date" where a date was wanted.
            del self.raw[path]
            digits = sum(ch.isdigit() for ch in node.value)
            limit = sys.get_int_max_str_digits()
            if tag == _INT_TAG and limit and digits > limit:
                # Python refuses to read such a number at all (a guard against slow parsing).
                self.note(node, f"{format_path(path)}: an unquoted number of {digits} digits "
                          f"is too long to read; the limit is {limit}")
                self.reported.add(path)
                return None
            return node.value


def _short(tag: str) -> str:
    return tag.replace(_CORE, "!!")


class _AliasFound(Exception):
    def __init__(self, path: YamlPath) -> None:
        self.path = path


def _alias_mark(text: str) -> tuple[int, int] | None:
    """Line and column of the first alias (`*name`): only called once one is known to exist."""
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) and mark is not None:
            return (mark.line + 1, mark.column + 1)
    return None


# Files above this size have their values counted from the event stream before a node tree
# is built, so a file of a million tiny values is refused in flat memory. Real descriptions
# (10-40 KB) never pay for the count.
_COUNT_ABOVE = 256 * 1024
_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                yaml.AliasEvent)


def _count_nodes(text: str, display: str, limits: Limits, error: type[BoardcheckError]) -> None:
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > limits.max_nodes and event.start_mark is not None:
                    mark = event.start_mark
                    raise error.single(display, mark.line + 1, mark.column + 1,
                                       f"the file holds more than {limits.max_nodes:,} values, "
                                       "the limit for one trust description")
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their positions


def _anchor_mark(text: str) -> tuple[int, int] | None:
    """Line and column of the first anchor (`&name`), if any."""
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        mark = event.start_mark
        if anchor is not None and mark is not None:
            return (mark.line + 1, mark.column + 1)
    return None


def _decode(raw: bytes, file: str, error: type[BoardcheckError]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise error.single(file, 1, 1, "the file starts like UTF-16 but is not valid UTF-16"
                               ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line, column = position(raw[: exc.start].decode("utf-8", "replace"),
                                    len(raw[: exc.start].decode("utf-8", "replace")))
            raise error.single(
                file, line, column,
                f"the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                "save it as UTF-8") from None
    nul = text.find("\x00")
    if 0 <= nul < 2 and len(raw) >= 4 and (raw[0] == 0 or raw[1] == 0):
        raise error.single(file, 1, 1, "the file looks like UTF-16 without a byte-order mark; "
                           "save it as UTF-8")
    if nul >= 0:
        line, column = position(text, nul)
        raise error.single(file, line, column,
                           "the file contains a NUL byte: it looks binary, not YAML text")
    return text


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS,
               error: type[BoardcheckError] = InputError) -> bytes:
    """Read a regular file's bytes, turning every OS failure into a located error.

    The file is opened without blocking and checked once open: a FIFO or a device named
    `x.yaml` is refused instead of hanging the run, and the check cannot race the open."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error.single(display, 1, 1, "no such file") from None
    except PermissionError:
        raise error.single(display, 1, 1, "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise error.single(display, 1, 1, "is a directory, not a YAML file") from None
    except OSError as exc:
        raise error.single(display, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error.single(display, 1, 1, "is a directory, not a YAML file")
        raise error.single(display, 1, 1, "not a regular file (a device, FIFO or socket): "
                           "refusing to read it")
    with os.fdopen(fd, "rb") as handle:
        try:
            if info.st_size > limits.max_bytes:
                raise error.single(display, 1, 1, f"the file is {info.st_size:,} bytes, more "
                                   f"than the limit of {limits.max_bytes:,}{limits.raise_with}")
            # Read one byte past the limit: the file can grow while it is read.
            raw = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise error.single(display, 1, 1, f"cannot read the file: {exc.strerror or exc}"
                               ) from None
    if len(raw) > limits.max_bytes:
        raise error.single(display, 1, 1, f"the file is more than the limit of "
                           f"{limits.max_bytes:,} bytes{limits.raise_with}")
    return raw


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file is composed, built and validated.

    Those make thousands of small objects (nodes, marks, paths, positions) and no cycles
    that outlive the call (refcounting frees them), yet each 700 allocations start a
    collection that walks them all: an eighth of the cost of parsing. A collector that was
    already off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_yaml(raw: bytes, display: str, limits: Limits = DEFAULT_LIMITS,
               error: type[BoardcheckError] = InputError) -> Document:
    """Turn the bytes of one YAML document into a `Document`, or raise `error`."""
    with _collector_paused():
        return _parse_yaml(raw, display, limits, error)


def _parse_yaml(raw: bytes, display: str, limits: Limits, error: type[BoardcheckError]
                ) -> Document:
    text = _decode(raw, display, error)
    if len(text) > _COUNT_ABOVE:
        _count_nodes(text, display, limits, error)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, display, error, text) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids (most control characters); it has a position, no mark.
        at = exc.position
        if HAVE_LIBYAML:  # libyaml counts bytes of the UTF-8 text, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        line, column = position(text, max(0, min(at, len(text))))
        raise error.single(display, line, column, f"the file contains a control character "
                           f"(#x{exc.character:04x}) that YAML does not allow") from None
    except yaml.YAMLError as exc:
        raise error.single(display, 1, 1, f"YAML error: {exc}") from None
    except RecursionError:  # the pure-Python composer recurses once per nesting level
        raise error.single(display, 1, 1, "the YAML is nested too deeply") from None
    finally:
        loader.dispose()
    if node is None:
        what = "has no YAML content, only comments" if text.strip() else "is empty"
        raise error.single(display, 1, 1, f"the file {what}: expected a mapping with keys "
                           "such as schema_version and organisation")
    if not isinstance(node, MappingNode):
        raise error.single(display, node.start_mark.line + 1, node.start_mark.column + 1,
                           f"the top level must be a mapping of keys, not {_describe(node)}")
    # Without a `*` in the text YAML has no alias, so the walk need not look for one.
    builder = _Builder(display, limits, error, aliases="*" in text)
    try:
        data = builder.build(node, ())
    except _AliasFound as found:
        line, column = _alias_mark(text) or builder.values.get(found.path, (1, 1))
        raise error.single(display, line, column,
                           f"{format_path(found.path)}: YAML anchors and aliases (&name, *name) "
                           "are not allowed; write the value out in full") from None
    if "&" in text:
        # An anchor with no alias is harmless, but the rule is "no anchors or aliases": one
        # rule is easier to follow than an exception to it. Only files with '&' pay for this.
        mark = _anchor_mark(text)
        if mark is not None:
            builder.problems.append(Problem(display, *mark, "YAML anchors and aliases (&name, "
                                            "*name) are not allowed; write the value out in "
                                            "full"))
    source = SourceMap(display, builder.values, builder.keys, builder.raw, text,
                       builder.long_text)
    return Document(data, source, tuple(builder.problems), frozenset(builder.reported))


def _yaml_error(exc: yaml.MarkedYAMLError, display: str,
                error: type[BoardcheckError], text: str) -> BoardcheckError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in f"{problem} {exc.context}":
        return error.single(display, line, column,
                            "the file holds more than one YAML document (a second starts here); "
                            "put one trust in each file")
    context = ""
    if exc.context and exc.context not in problem:
        started = exc.context_mark
        where = (f" started at line {started.line + 1}, column {started.column + 1}"
                 if started is not None and started is not mark else "")
        context = f" ({exc.context}{where})"
    hint = syntax_hint(exc, text.splitlines())
    if hint is not None:
        at_line, at_column, words = hint
        return error.single(display, at_line, at_column,
                            f"{words} (YAML's own words: {problem}{context})")
    return error.single(display, line, column, f"YAML syntax error: {problem}{context}")


# --- plain-English hints for the commonest hand-editing mistakes ----------------------------

_KEY_ONLY = re.compile(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_ -]*)\s*")
_KEY_THEN_TEXT = re.compile(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):\s+(\S.*)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_indent(line: str) -> int:
    """The column a line's key starts at ("  - id: x" -> 4, its key `id`)."""
    stripped = line.lstrip(" ")
    return _indent(line) + (2 if stripped.startswith("- ") else 0)


def _previous(lines: list[str], row: int) -> tuple[int, str] | None:
    """The nearest line above `row` holding YAML (not blank, not a comment)."""
    for k in range(row - 1, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return k, lines[k]
    return None


def _key_of(line: str) -> str:
    match = re.match(r"\s*(?:-\s+)?([^:#]+):", line)
    return match.group(1).strip() if match else line.strip()


def _layout_hint(source: SourceMap, loc: YamlPath, name: str,
                 belongs_under: Callable[[str], bool]) -> str | None:
    """Why a key nobody meant is there: text with a comma inside {…} split in two (a key
    with no value of its own), or a key of the section above not indented under it."""
    position = source.keys.get(loc)
    if position is None or not source.text:
        return None
    lines = source.text.splitlines()
    row, col = position[0] - 1, position[1] - 1
    if row >= len(lines):
        return None
    line, before = lines[row], lines[row][:col]
    after = line[col + len(name):].lstrip()
    if before.rstrip().endswith(",") and before.count("{") > before.count("}") \
            and after[:1] in (",", "}"):
        comma = len(before.rstrip()) - 1
        start = max(before.rfind(": ", before.rfind("{"), comma) + 2, before.rfind("{") + 1)
        text = line[start:col + len(name)].strip()
        return (f"; a comma inside {{…}} starts a new entry, so the text before it was cut "
                f"in two: put the whole text in quotes, e.g. {_quoted_example(text)}")
    previous = _previous(lines, row)
    if previous is not None and previous[1].rstrip().endswith(":") \
            and _key_indent(previous[1]) == _indent(line) and belongs_under(_key_of(previous[1])):
        return (f"; it is not indented under {_key_of(previous[1])!r} on the line above: if "
                f"it belongs there, indent it by 2 more spaces")
    return None


def _quoted_example(value: str) -> str:
    return f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"


def syntax_hint(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str] | None:
    """Where and, in words a company secretary would use, what the YAML mistake is, for
    the commonest ones: a key indented wrongly, a colon or a comma in unquoted text, a tab,
    a quotation mark or bracket never closed, a list item where a key belongs. None for
    any other error (the parser's message is shown as it is)."""
    mark, started = exc.problem_mark, exc.context_mark
    if mark is None or mark.line >= len(lines) + 1:
        return None
    row, col = mark.line, mark.column
    line = lines[row] if row < len(lines) else ""
    problem, context = exc.problem or "", exc.context or ""
    if line[col:col + 1] == "\t" or ("\t" in line[:col] and not line[:col].strip(" \t")):
        return (row + 1, line.index("\t") + 1,
                "this line is indented with a tab, which YAML does not accept: indent it "
                "with spaces instead (two for each level)")
    if "quoted scalar" in context and started is not None and "end of stream" in problem:
        quote = lines[started.line][started.column] if started.line < len(lines) else '"'
        return (started.line + 1, started.column + 1,
                f"the quotation mark ({quote}) opened here is never closed, so everything after "
                f"it is read as one piece of text: add the closing {quote} at the end of the "
                "text")
    if problem.startswith("did not find expected ',' or") and started is not None:
        opener = "{…}" if "mapping" in context else "[…]"
        closer = "}" if "mapping" in context else "]"
        if started.line == row:
            return (row + 1, col + 1,
                    f"inside {opener}, text with a colon (: ) or a comma in it must be in "
                    "quotes, or YAML reads it as the start of another entry: put that text "
                    "in quotes")
        return (started.line + 1, started.column + 1,
                f"the {opener[0]} opened here is not closed with {closer} on the same line: "
                f"end it with {closer}, or put each entry on its own indented line")
    previous = _previous(lines, row)
    if problem == "mapping values are not allowed here" \
            or problem == "mapping values are not allowed in this context":
        text_match = _KEY_THEN_TEXT.fullmatch(line[:col])
        if text_match is not None:
            key, value = text_match.group(1), line[line.index(":") + 1:].strip()
            return (row + 1, col + 1,
                    f"the text of {key!r} has a colon followed by a space (\": \") in it, which "
                    f"YAML reads as the start of another key: put the whole text in quotes, "
                    f"e.g. {key}: {_quoted_example(value)}")
        key_match = _KEY_ONLY.fullmatch(line[:col])
        if key_match is not None and previous is not None \
                and _key_indent(line) > _key_indent(previous[1]):
            want = _key_indent(previous[1])
            return (row + 1, _key_indent(line) + 1,
                    f"{key_match.group(1).strip()!r} is indented further than "
                    f"{_key_of(previous[1])!r} on the line above, so YAML cannot tell what it "
                    f"belongs to: start it in the same column as the other keys of its "
                    f"section ({want} spaces in, like {_key_of(previous[1])!r})")
    if problem == "did not find expected key" or problem.startswith("expected <block end>"):
        if line[col:].startswith("- "):
            return (row + 1, col + 1,
                    "a list item (\"- …\") stands where a key was expected: a list must be "
                    "the value of its own key, with its items indented under it")
        if previous is not None and _indent(line) < _key_indent(previous[1]) and line.strip():
            columns = sorted({_key_indent(lines[k]) for k in range(row)
                              if lines[k].strip() and not lines[k].lstrip().startswith("#")
                              and ":" in lines[k]})
            near = [c for c in columns if c != _indent(line)]
            shown_columns = " or ".join(str(c) for c in near[-3:])
            spaces = "1 space" if _indent(line) == 1 else f"{_indent(line)} spaces"
            return (row + 1, _indent(line) + 1,
                    f"{_key_of(line)!r} is indented {spaces}, which lines it "
                    f"up with no key above it: keys of one section start in the same column "
                    f"(here {shown_columns} spaces in)")
    return None


# --- validation -----------------------------------------------------------------------


def _unwrap(annotation: Any) -> Iterator[Any]:
    """Yield the concrete classes inside Optional/list/Annotated/Union annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, tuple):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def model_at(model: type[BaseModel], path: YamlPath) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if there is one."""
    current: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = next((c for c in _unwrap(info.annotation)
                        if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return current


def holds_a_list(model: type[BaseModel], name: str) -> bool:
    """Whether the field `name` of `model` is a list (Optional or not): a dotted path can
    name a field inside each item of a list, but cannot reach through the list itself."""
    info = model.model_fields.get(name)
    return info is not None and _is_list(info.annotation)


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation))
    return origin in (list, tuple)


def _yaml_reading(value: Any, raw: str | None) -> str | None:
    """Explain what YAML 1.1 made of an unquoted value that was meant as text."""
    if raw is None:
        return None
    if isinstance(value, bool):
        return f"YAML reads the unquoted {raw!r} as the boolean {str(value).lower()}"
    if isinstance(value, dt.date):
        return f"YAML reads the unquoted {raw!r} as a date"
    if isinstance(value, int | float):
        return f"YAML reads the unquoted {raw!r} as a number"
    return None


def _message(model: type[BaseModel], err: Any, source: SourceMap,
             prefix: YamlPath) -> tuple[YamlPath, bool, str]:
    own: YamlPath = tuple(p for p in err["loc"] if isinstance(p, str | int))
    loc = (*prefix, *own)
    where = format_path(loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = model_at(model, own[:-1])
        name = str(loc[-1])
        hint = ""
        if parent is not None:
            close = difflib.get_close_matches(name, list(parent.model_fields), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else (
                f"; expected one of: {', '.join(parent.model_fields)}")
        # A key that is really a slip of layout is named as that, not as a spelling.
        def belongs_under(key: str) -> bool:
            section = model_at(model, (*own[:-1], key))
            return section is not None and name in section.model_fields

        hint = _layout_hint(source, loc, name, belongs_under) or hint
        return loc, True, f"{where}: unknown key {shorten(name)}{hint}"
    if kind == "missing":
        return loc[:-1], True, f"{where}: required key {loc[-1]!r} is missing"
    if value is None and (kind.endswith("_type") or kind == "literal_error"):
        expected = (f"one of {err['ctx']['expected']}" if kind == "literal_error"
                    else _EXPECTED.get(kind, "a value"))
        return loc, False, f"{where}: expected {expected}, found an empty value"
    text_wanted = kind == "string_type" or (kind == "literal_error"
                                            and "'" in err["ctx"]["expected"])
    reading = _yaml_reading(value, source.raw.get(loc))
    if text_wanted and reading:
        expect = "text" if kind == "string_type" else f"one of {err['ctx']['expected']}"
        quote = source.raw.get(loc, "")
        return loc, False, f"{where}: expected {expect}, but {reading}; if you meant text, " \
                           f"put it in quotes: \"{quote}\""
    if kind == "literal_error" and isinstance(value, str) and "'" not in err["ctx"]["expected"]:
        return loc, False, f"{where}: expected the number {err['ctx']['expected']}, found the " \
                           f"text {value!r}; remove the quotes"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return loc, False, f"{where}: {value!r} is {word} {err['ctx'][key]}"
    if kind == "literal_error":
        allowed = err["ctx"]["expected"]
        close = difflib.get_close_matches(str(value), [a.strip("'") for a in
                                          allowed.replace(" or ", ", ").split(", ")], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return loc, False, f"{where}: {shorten(value)} is not allowed; expected {allowed}{hint}"
    if kind in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return loc, False, f"{where}: expected a date written as YYYY-MM-DD, found {value!r}"
    if kind == "model_type" or kind == "dict_type":
        return loc, False, f"{where}: expected a mapping of keys, found {_kind_of(value)}"
    if kind == "list_type":
        return loc, False, f"{where}: expected a list, found {_kind_of(value)}"
    msg = str(err["msg"])
    msg = msg[0].lower() + msg[1:] if msg else msg
    found = f", found {_kind_of(value)}" if kind.endswith("_type") else ""
    return loc, False, f"{where}: {msg}{found}"


_EXPECTED = {
    "string_type": "text", "int_type": "a whole number", "float_type": "a number",
    "bool_type": "true or false", "date_type": "a date", "list_type": "a list",
    "model_type": "a mapping of keys", "dict_type": "a mapping of keys",
}
_BOUNDS = {
    "less_than_equal": ("more than the maximum of", "le"),
    "less_than": ("not less than", "lt"),
    "greater_than_equal": ("less than the minimum of", "ge"),
    "greater_than": ("not more than", "gt"),
}


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {shorten(value)}"
    return f"{type(value).__name__} {value!r}"[:80]


def validate(model: type[M], document: Document,
             error: type[BoardcheckError] = InputError,
             convert: Callable[[dict[str, Any]], Any] | None = None) -> M:
    """Validate a document against `model`; every problem becomes a located message."""
    from boardcheck.build_cache import ready_to_validate

    ready_to_validate(model)  # its validator kept from an earlier run (start-up)
    try:
        result = model.model_validate(convert(document.data) if convert else document.data)
    except ValidationError as exc:
        invalid = {*document.problems,
                   *problems_from(model, exc, document.source, skip=document.reported)}
        raise error(sorted(invalid, key=_order)) from None
    # Cross-references the schema cannot express (unique ids, links between sections).
    check = getattr(model, "references", None)
    found = [Problem(document.source.file, *document.source.locate(path),
                     f"{format_path(path)}: {message}")
             for path, message in (check(result) if check is not None else [])]
    if document.problems or found:
        raise error(sorted({*document.problems, *found}, key=_order))
    return result


def _order(problem: Problem) -> tuple[int, int, bool, str]:
    # The "... and N more" note sits at the last problem shown, and after it.
    return (problem.line, problem.column, problem.message.startswith("... and "),
            problem.message)


def problems_from(model: type[BaseModel], exc: ValidationError, source: SourceMap,
                  prefix: YamlPath = (), skip: frozenset[YamlPath] = frozenset()
                  ) -> list[Problem]:
    """Turn pydantic's errors into positioned problems, sorted by place in the file.

    Only the first MAX_PROBLEMS are worded (finding did-you-mean suggestions is the costly
    part): a file with 450,000 unknown keys is refused in seconds, not minutes."""
    errors = exc.errors(include_url=False)
    located = []
    for n, err in enumerate(errors):
        own = tuple(p for p in err["loc"] if isinstance(p, str | int))
        loc = (*prefix, *own)
        if any(loc[:len(done)] == done for done in skip):
            continue
        line, column = source.locate(loc, key=err["type"] in ("extra_forbidden", "missing"))
        located.append((line, column, n))
    located.sort()
    problems: set[Problem] = set()
    for line, column, n in located[:MAX_PROBLEMS]:
        loc, at_key, message = _message(model, errors[n], source, prefix)
        line, column = source.locate(loc, key=at_key)
        problems.add(Problem(source.file, line, column, message))
    ordered = sorted(problems, key=_order)
    if len(located) > MAX_PROBLEMS:
        last = ordered[-1] if ordered else Problem(source.file, 1, 1, "")
        ordered.append(Problem(source.file, last.line, last.column,
                               f"... and {len(located) - MAX_PROBLEMS:,} more problems not "
                               "shown; fix these first"))
    return ordered


MAX_PROBLEMS = 100


def load(path: Path | str, model: type[M], *, display: str | None = None,
         limits: Limits = DEFAULT_LIMITS,
         error: type[BoardcheckError] = InputError) -> tuple[M, SourceMap]:
    """Read, parse and validate one file."""
    path = Path(path)
    display = display or shown(path)
    raw = read_bytes(path, display, limits, error)
    with _collector_paused():
        document = _parse_yaml(raw, display, limits, error)
        return validate(model, document, error), document.source
