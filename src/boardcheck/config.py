"""Settings: one validation layer for every source of a setting.

A setting can come from `.boardcheck.toml` or `[tool.boardcheck]` in pyproject.toml, a
`BOARDCHECK_*` environment variable or a command-line flag (each beats the one before).
Whatever the source, a value passes the same check with the same message, and an error
names where the value came from: `file:line:column` for a file, the variable or the flag
otherwise. Every effective value remembers its source, for `boardcheck config`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from boardcheck.errors import ConfigError, Problem, shown
from boardcheck.formats.base import OutputFormat
from boardcheck.model import Date, Waiver
from boardcheck.questionnaire import CATEGORY_IDS

if TYPE_CHECKING:
    import tomllib

CONFIG_NAMES = (".boardcheck.toml", "pyproject.toml")
# Set by GitHub Actions in each step: the file whose markdown goes on the job's page.
STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
FORMATS = tuple(f.value for f in OutputFormat)
FAIL_ON = ("amber", "red")


class ConfigFile(BaseModel):
    """The shape of a configuration file: types only. Values are checked by `check_value`,
    the same checks the environment and the flags pass."""

    # defer_build: validated only when a configuration file is found, which most runs lack.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    questionnaire: str | None = None
    format: str | None = None
    as_of: Date | None = None
    fail_under: float | None = None
    fail_under_category: dict[str, float] = Field(default_factory=dict)
    fail_on: str | None = None
    fail_on_critical: bool | None = None
    jobs: int | None = None
    # A batch's order (--sort) and CSV for Excel (--excel: a byte-order mark and a row of
    # titles under the header).
    sort: str | None = None
    excel: bool | None = None
    disable: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    # The board paper's cover sheet, template and extent ([paper]); entries checked by
    # `_paper`, the same check the paper's flags pass.
    paper: dict[str, Any] = Field(default_factory=dict)


SETTINGS = tuple(k for k in ConfigFile.model_fields if k != "waivers")


# --- the checks: one per setting, whatever the source ---------------------------------


class EntryError(ValueError):
    """A bad entry of a table setting (weights, fail_under_category), named by its key."""

    def __init__(self, entry: str, message: str) -> None:
        super().__init__(message)
        self.entry = entry


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    if not (math.isfinite(value) and 0 <= value <= 100):
        raise ValueError(f"{value:g} is not between 0 and 100")
    return float(value)


def _categories(value: Mapping[str, Any]) -> dict[str, float]:
    checked = {}
    for name, limit in value.items():
        if name not in CATEGORY_IDS:
            raise ValueError(f"{name!r} is not a category; use one of {', '.join(CATEGORY_IDS)}")
        try:
            checked[name] = _score(limit)
        except ValueError as exc:
            raise EntryError(name, str(exc)) from None
    return checked


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)
    return check


def _sort(value: Any) -> str:
    # The batch's orders live with its summary, which a one-file check never loads.
    from boardcheck.summary import sort_choices

    return _one_of(sort_choices(CATEGORY_IDS))(value)


def _jobs(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{value!r} is not a whole number of at least 1")
    return value


def _ids(value: list[str]) -> list[str]:
    return [str(item).strip().upper() for item in value]


def _weights(value: Mapping[str, Any]) -> dict[str, float]:
    checked = {}
    for name, weight in value.items():
        if (isinstance(weight, bool) or not isinstance(weight, int | float)
                or not math.isfinite(weight) or weight <= 0):
            raise EntryError(str(name), f"{weight!r} is not a number above 0")
        checked[str(name).strip().upper()] = float(weight)
    return checked


PURPOSES = ("approval", "assurance", "discussion", "information")
# The [paper] table's entries, and each one's flag.
PAPER_FLAGS = {"agenda_item": "--agenda-item", "author": "--author", "sponsor": "--sponsor",
               "purpose": "--purpose", "previous": "--previous",
               "recommendation": "--recommendation", "baf_risks": "--baf",
               "marking": "--marking", "summary": "--summary", "template": "--template",
               "logo": "--logo", "due_within": "--due-within"}
MAX_PAPER_TEXT = 2000


def _paper_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not text")
    if len(value) > MAX_PAPER_TEXT:
        raise ValueError(f"is {len(value)} characters; a cover sheet entry holds at most "
                         f"{MAX_PAPER_TEXT}")
    return value.strip()


def _paper_entry(name: str, value: Any) -> Any:
    if name == "purpose":
        return _one_of(PURPOSES)(value)
    if name == "baf_risks":
        items = value if isinstance(value, list | tuple) else [value]
        return tuple(_paper_text(item) for item in items)
    if name == "summary":
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if name == "due_within":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
            raise ValueError(f"{value!r} is not a whole number of days from 0 to 3660")
        return value
    return _paper_text(value)


def _paper(value: Mapping[str, Any]) -> dict[str, Any]:
    checked = {}
    for name, item in value.items():
        if name not in PAPER_FLAGS:
            close = difflib.get_close_matches(str(name), list(PAPER_FLAGS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise EntryError(str(name), f"unknown paper setting{hint}")
        try:
            checked[name] = _paper_entry(name, item)
        except ValueError as exc:
            raise EntryError(str(name), str(exc)) from None
    return checked


CHECKS: dict[str, Callable[[Any], Any]] = {
    "questionnaire": str,
    "format": _one_of(FORMATS),
    "as_of": lambda value: value,
    "fail_under": _score,
    "fail_under_category": _categories,
    "fail_on": _one_of(FAIL_ON),
    "fail_on_critical": bool,
    "jobs": _jobs,
    "sort": _sort,
    "excel": bool,
    "disable": _ids,
    "weights": _weights,
    "paper": _paper,
}


# --- text (environment variables and flags) to values ----------------------------------


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def thresholds(text: str) -> tuple[float | None, dict[str, float]]:
    """`N`, `CATEGORY=N` or several of them (spaces or commas between): the --fail-under
    and BOARDCHECK_FAIL_UNDER syntax."""
    overall: float | None = None
    categories: dict[str, float] = {}
    for item in re.split(r"[\s,]+", text.strip()):
        name, _, number = item.rpartition("=")
        if name:
            categories[name] = _number(number)
        else:
            overall = _number(number)
    return overall, categories


_UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day(text: str) -> dt.date:
    """A date from a flag, variable or setting: 15/09/2026 (day/month/year, as written in
    England and accepted by the interview) or 2026-09-15. The one parser for --as-of,
    --meeting and BOARDCHECK_AS_OF, so they all accept what the interview does."""
    written = text.strip()
    try:
        if match := _UK_DAY.fullmatch(written):
            d, m, y = (int(part) for part in match.groups())
            return dt.date(y, m, d)
        if _ISO_DAY.fullmatch(written):
            return dt.date.fromisoformat(written)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date ({exc})") from None
    raise ValueError(f"{text!r} is not a date: write it as 15/09/2026 (day/month/year) or "
                     "2026-09-15") from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number of at least 1") from None


def _yes_no(text: str) -> bool:
    words = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    if text.lower() not in words:
        raise ValueError(f"{text!r} is not one of true, false, yes, no, 1, 0")
    return words[text.lower()]


FROM_TEXT: dict[str, Callable[[str], Any]] = {
    "as_of": day,
    "jobs": _whole,
    "fail_on_critical": _yes_no,
    "excel": _yes_no,
    "disable": lambda text: [part for part in re.split(r"[\s,]+", text) if part],
}

ENV_KEYS = {
    "questionnaire": "BOARDCHECK_QUESTIONNAIRE",
    "format": "BOARDCHECK_FORMAT",
    "as_of": "BOARDCHECK_AS_OF",
    "fail_under": "BOARDCHECK_FAIL_UNDER",
    "fail_on": "BOARDCHECK_FAIL_ON",
    "fail_on_critical": "BOARDCHECK_FAIL_ON_CRITICAL",
    "jobs": "BOARDCHECK_JOBS",
    "sort": "BOARDCHECK_SORT",
    "excel": "BOARDCHECK_EXCEL",
    "disable": "BOARDCHECK_DISABLE",
}
FLAGS = {"fail_under_category": "--fail-under"}


# --- sources ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: a file and line, an environment variable, a flag."""

    kind: str  # "file", "environment", "flag"
    name: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        if self.kind == "file":
            return f"{self.name}:{self.line}"
        return f"environment {self.name}" if self.kind == "environment" else self.name

    def about(self, key: str, message: str) -> Problem:
        """A problem with setting `key`: a flag names the setting already ("--sort: ..."),
        a file or variable says which of its settings ("pyproject.toml:3:1: sort: ...")."""
        return self.problem(message if self.kind == "flag" else f"{key}: {message}")

    def problem(self, message: str) -> Problem:
        if self.kind == "file":
            return Problem(self.name, self.line, self.column, message)
        # Not a file: no line or column to invent, just the variable or the flag.
        return Problem(f"boardcheck: {self.name}", 0, 0, message)


@dataclass(frozen=True, slots=True)
class Setting:
    value: Any
    source: Source


@dataclass(frozen=True, slots=True)
class Effective:
    """The configuration in force: each value with where it came from."""

    settings: dict[str, Setting]
    file: Path | None
    waivers: tuple[Waiver, ...] = ()
    waiver_sources: tuple[Source, ...] = ()
    # Where GitHub Actions takes this step's summary for the job's page: the file
    # $GITHUB_STEP_SUMMARY names, or None outside Actions (unset or empty), when a format
    # that writes one builds none.
    step_summary: Path | None = None

    def get(self, key: str) -> Any:
        setting = self.settings.get(key)
        return None if setting is None else setting.value

    def error(self, key: str, message: str) -> ConfigError:
        return setting_error(self, key, message)


def setting_error(eff: Effective, key: str, message: str) -> ConfigError:
    """An error about one effective setting, placed where that setting came from."""
    setting = eff.settings.get(key)
    source = setting.source if setting else Source("flag", "--" + key.replace("_", "-"))
    return ConfigError([source.about(key, message)])


def check_value(key: str, value: Any, source: Source) -> Setting:
    """The one check every value of `key` passes, from any source."""
    try:
        return Setting(CHECKS[key](value), source)
    except EntryError as exc:
        raise ConfigError([source.problem(f"{key}.{exc.entry}: {exc}")]) from None
    except ValueError as exc:
        raise ConfigError([source.about(key, str(exc))]) from None


def check_waivers(eff: Effective, known: Callable[[str], bool], questionnaire_id: str) -> None:
    """A configuration waiver must name a criterion of the questionnaire in force."""
    problems = [source.problem(f"waivers[{i}].criterion: {w.criterion!r} is not a criterion "
                               f"of questionnaire {questionnaire_id}")
                for i, (w, source) in enumerate(zip(eff.waivers, eff.waiver_sources,
                                                    strict=True))
                if not known(w.criterion.strip().upper())]
    if problems:
        raise ConfigError(problems)


# --- the file ---------------------------------------------------------------------------

# A configuration is a few dozen lines; anything this big is a mistake or an attack.
MAX_CONFIG_BYTES = 1024 * 1024
# A table header or dotted key that makes a pyproject.toml boardcheck's configuration,
# recognised without parsing: a file that names it is reported if it cannot be read.
_NAMES_BOARDCHECK = re.compile(r"^\s*(\[\s*tool\s*\.\s*boardcheck\s*[\].]|tool\s*\.\s*boardcheck"
                               r"\s*[.=])", re.MULTILINE)


def find_config(start: Path) -> Path | None:
    """The nearest `.boardcheck.toml`, or `pyproject.toml` with [tool.boardcheck], upwards.

    Another tool's pyproject.toml that cannot be read or parsed is passed over, not fatal."""
    for folder in (start, *start.parents):
        own = folder / ".boardcheck.toml"
        if own.exists():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.exists():
            try:
                text = _read_text(pyproject, shown(pyproject))
            except ConfigError:
                continue
            if "boardcheck" not in text:
                continue
            if _NAMES_BOARDCHECK.search(text):
                return pyproject
            try:
                tool = _parse(text, shown(pyproject)).get("tool", {})
                if isinstance(tool, dict) and "boardcheck" in tool:
                    return pyproject
            except ConfigError:
                continue
    return None


def _read_text(path: Path, display: str) -> str:
    from boardcheck.loading import Limits, read_bytes

    raw = read_bytes(path, display, Limits(max_bytes=MAX_CONFIG_BYTES, raise_with=""),
                     ConfigError)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError.single(display, line, 1, f"the configuration is not valid UTF-8 "
                                 f"(byte 0x{raw[exc.start]:02x})") from None


def _parse(text: str, display: str) -> dict[str, Any]:
    """TOML to values; a syntax error at its own line and column, deep nesting refused."""
    import tomllib  # only when there is a configuration file: most runs have none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column, message = _toml_position(exc, text)
        raise ConfigError.single(display, line, column, f"TOML syntax error: {message}"
                                 ) from None
    except RecursionError:
        raise ConfigError.single(display, 1, 1, "TOML nested too deeply to be a "
                                 "configuration") from None


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    # Python before 3.14 puts the position only in the message: "... (at line 3, column 7)".
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    message = getattr(exc, "msg", None) or str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        line, column = line or int(found.group(1)), column or int(found.group(2))
        message = message[: found.start()]
    elif message.endswith(" (at end of document)"):
        message = message.removesuffix(" (at end of document)") + " at the end of the file"
        last = text.rsplit("\n", 1)[-1]
        line, column = line or text.count("\n") + 1, column or len(last) + 1
    return line or 1, column or 1, message


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGNMENT = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                         r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'", dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The line of every key, by its full path (tables and array-of-table indexes included):
    a key's own line, not the first line anywhere that starts with the same name."""
    lines: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    in_multiline = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        if in_multiline:
            continue
        header = _HEADER.match(line)
        if header:
            parts = _key_parts(header.group(2))
            if header.group(1) == "[[":
                counts[parts] = counts.get(parts, -1) + 1
                table = (*parts, counts[parts])
            else:
                table = parts
            lines.setdefault(table, number)
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            lines.setdefault((*table, *_key_parts(assignment.group(1))), number)
    return lines


def read_config(path: Path) -> tuple[ConfigFile, dict[tuple[str | int, ...], int]]:
    """Parse a configuration file into its typed shape and the line of each key; errors
    name the file, line and key."""
    display = shown(path)
    text = _read_text(path, display)
    data = _parse(text, display)
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "boardcheck")
        tool = data.get("tool", {})
        data = tool.get("boardcheck", {}) if isinstance(tool, dict) else {}
    found = key_lines(text)
    lines = {key[len(prefix):]: line for key, line in found.items()
             if key[:len(prefix)] == prefix}
    try:
        return ConfigFile.model_validate(data), lines
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc
                             ).replace(".[", "[")
            if err["type"] == "extra_forbidden":
                close = difflib.get_close_matches(str(loc[0]), list(ConfigFile.model_fields),
                                                  n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                message = f"{where}: unknown setting{hint}"
            else:
                message = f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}"
            problems.append(Problem(display, _line(lines, loc), 1, message))
        raise ConfigError(problems) from None


def _line(lines: Mapping[tuple[str | int, ...], int], path: tuple[str | int, ...]) -> int:
    """The line of `path`, or of the nearest enclosing key that has one."""
    for n in range(len(path), 0, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return 1


def _relative_to(config_file: Path, questionnaire: str) -> str:
    """A questionnaire path in a configuration file is read from the file's directory, so
    the file means the same from any subdirectory; a built-in name is left alone."""
    looks_like_path = "/" in questionnaire or questionnaire.endswith((".yaml", ".yml"))
    if not looks_like_path or Path(questionnaire).is_absolute():
        return questionnaire
    return str(config_file.parent / questionnaire)


# --- putting it together -----------------------------------------------------------------


def resolve(flags: Mapping[str, Any], env: Mapping[str, str], file: Path | None,
            *, explicit_file: bool = False) -> Effective:
    """Combine the file, the environment and the flags, each value checked the same way and
    recorded with its source.

    `flags` holds what the command line gave: typed values, or text for `as_of` and the
    `fail_under` list (`N` or `CATEGORY=N`), parsed here as the environment's text is."""
    settings: dict[str, Setting] = {}
    waivers: tuple[Waiver, ...] = ()
    waiver_sources: tuple[Source, ...] = ()
    if file is not None:
        if explicit_file and not (file.exists() or file.is_symlink()):
            raise ConfigError.single(shown(file), 1, 1, "no such configuration file")
        config, lines = read_config(file)
        display = shown(file)
        for key in SETTINGS:
            value = getattr(config, key)
            if value in (None, [], {}):
                continue
            if isinstance(value, dict):  # each entry is checked at its own line
                for name, item in value.items():
                    check_value(key, {name: item}, Source("file", display,
                                                          _line(lines, (key, name))))
            source = Source("file", display, _line(lines, (key,)))
            if key == "questionnaire":
                value = _relative_to(file, value)
            if key == "paper":  # a template folder or logo is read from the file's folder
                value = {name: str(file.parent / item) if name in ("template", "logo")
                         and isinstance(item, str) and not Path(item).is_absolute() else item
                         for name, item in value.items()}
            settings[key] = check_value(key, value, source)
        waivers = tuple(config.waivers)
        waiver_sources = tuple(Source("file", display, _line(lines, ("waivers", i, "criterion")))
                               for i in range(len(waivers)))
    for key, name in ENV_KEYS.items():
        raw = env.get(name)
        if raw in (None, ""):
            continue
        _from_text(settings, key, raw, Source("environment", name))
    for key, value in flags.items():
        if value in (None, [], {}, False, ()):
            continue
        if key == "paper":  # each entry from its own flag, over the file's
            merged = dict(settings["paper"].value) if "paper" in settings else {}
            for name, item in value.items():
                if item in (None, [], (), False):
                    continue
                flag = Source("flag", PAPER_FLAGS.get(name, "--" + name))
                merged[name] = check_value("paper", {name: item}, flag).value[name]
            if merged:
                settings["paper"] = Setting(merged, settings["paper"].source
                                            if "paper" in settings else Source("flag", "--"))
            continue
        source = Source("flag", FLAGS.get(key, "--" + key.replace("_", "-")))
        if isinstance(value, list | tuple) and key == "fail_under":
            for item in value:
                _from_text(settings, key, item, source)
        elif isinstance(value, str) and key in FROM_TEXT:
            _from_text(settings, key, value, source)
        else:
            settings[key] = check_value(key, value, source)
    return Effective(settings, file, waivers, waiver_sources, step_summary_file(env))


def step_summary_file(env: Mapping[str, str]) -> Path | None:
    """The file GitHub Actions reads the step summary from, if the run has one. The runner
    sets it; its content is appended to, never checked here (the CLI says if it cannot)."""
    raw = env.get(STEP_SUMMARY_VARIABLE)
    return Path(raw) if raw else None


def _from_text(settings: dict[str, Setting], key: str, raw: str, source: Source) -> None:
    try:
        if key == "fail_under":
            overall, categories = thresholds(raw)
        else:
            value = FROM_TEXT.get(key, str)(raw)
    except ValueError as exc:
        raise ConfigError([source.about(key, str(exc))]) from None
    if key != "fail_under":
        settings[key] = check_value(key, value, source)
        return
    if overall is not None:
        settings["fail_under"] = check_value("fail_under", overall, source)
    if categories:
        earlier = settings.get("fail_under_category")
        merged = {**(earlier.value if earlier and earlier.source == source else {}),
                  **categories}
        settings["fail_under_category"] = check_value("fail_under_category", merged, source)


def load_effective(flags: Mapping[str, Any], config_path: Path | None) -> Effective:
    """The effective configuration for this run (the CLI's one call into this module)."""
    path = config_path if config_path is not None else find_config(Path.cwd())
    return resolve(flags, os.environ, path, explicit_file=config_path is not None)


# --- showing it ---------------------------------------------------------------------------


def _toml(value: Any) -> str:
    """A value as TOML: strings quoted (JSON's escapes are TOML's), dates bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def describe(eff: Effective) -> str:
    """The effective configuration as TOML, each value with its source in a comment: the
    output is itself a configuration file that sets the same values."""
    where = shown(eff.file) if eff.file else "none found"
    lines = [f"# boardcheck configuration in effect (configuration file: {where})"]
    tables: list[str] = []
    for key in SETTINGS:
        setting = eff.settings.get(key)
        if setting is None:
            lines.append(f"# {key}: not set (default)")
        elif isinstance(setting.value, dict):
            tables += ["", f"[{key}]  # {setting.source}"]
            tables += [f"{_key(name)} = {_toml(v)}" for name, v in setting.value.items()]
        else:
            lines.append(f"{key} = {_toml(setting.value)}  # {setting.source}")
    for w, source in zip(eff.waivers, eff.waiver_sources, strict=True):
        tables += ["", f"[[waivers]]  # {source}"]
        tables += [f"{name} = {_toml(getattr(w, name))}"
                   for name in ("criterion", "reason", "owner", "approved_by", "review_by")]
    return "\n".join(lines + tables) + "\n"
