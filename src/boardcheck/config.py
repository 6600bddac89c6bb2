"""Configuration: `.boardcheck.toml` or `[tool.boardcheck]` in pyproject.toml, then
`BOARDCHECK_*` environment variables, then command-line flags (each beats the one before).

Every effective value remembers where it came from, for `boardcheck config`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from boardcheck.errors import ConfigError, Problem, shown
from boardcheck.model import Date, Waiver

CONFIG_NAMES = (".boardcheck.toml", "pyproject.toml")


class ConfigFile(BaseModel):
    """What a configuration file may set."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    questionnaire: str | None = None
    format: str | None = None
    as_of: Date | None = None
    fail_under: Annotated[float, Field(ge=0, le=100)] | None = None
    fail_under_category: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(
        default_factory=dict)
    fail_on: Literal["amber", "red"] | None = None
    fail_on_critical: bool | None = None
    jobs: Annotated[int, Field(ge=1)] | None = None
    disable: list[str] = Field(default_factory=list)
    weights: dict[str, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(
        default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Setting:
    value: Any
    source: str


@dataclass(frozen=True, slots=True)
class Effective:
    """The configuration in force: each value with where it came from."""

    settings: dict[str, Setting]
    file: Path | None
    waivers: tuple[Waiver, ...] = ()
    waiver_source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        setting = self.settings.get(key)
        return None if setting is None else setting.value

    def error(self, key: str, message: str) -> ConfigError:
        return setting_error(self, key, message)


def setting_error(eff: Effective, key: str, message: str) -> ConfigError:
    """An error about one effective setting, placed where that setting came from."""
    setting = eff.settings.get(key)
    source = setting.source if setting else "default"
    if ":" in source and not source.startswith("environment"):
        file, _, line = source.rpartition(":")
        return ConfigError.single(file, int(line), 1, f"{key}: {message}")
    where = "--" + key.replace("_", "-") if source == "command line" else source
    return ConfigError.single(where, 1, 1, f"{key}: {message}")


def describe(eff: Effective) -> str:
    """The effective configuration as text: each setting, its value and its source."""
    lines = [f"configuration file: {eff.file or 'none found'}"]
    for key in ConfigFile.model_fields:
        if key == "waivers":
            continue
        setting = eff.settings.get(key)
        if setting is None:
            lines.append(f"{key} = (not set)  [default]")
            continue
        value = setting.value
        shown = value.isoformat() if isinstance(value, dt.date) else value
        lines.append(f"{key} = {shown!r}  [{setting.source}]")
    for w in eff.waivers:
        lines.append(f"waiver {w.criterion}: {w.reason} (owner {w.owner}, approved by "
                     f"{w.approved_by}, review by {w.review_by.isoformat()})  [{eff.file}]")
    return "\n".join(lines) + "\n"


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


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_config(path: Path) -> tuple[ConfigFile, str]:
    """Parse and validate a configuration file; errors name the file, line and key."""
    display = shown(path)
    text = _read_text(path, display)
    data = _parse(text, display)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("boardcheck", {}) if isinstance(tool, dict) else {}
    try:
        return ConfigFile.model_validate(data), text
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = [str(p) for p in err["loc"]]
            key = loc[0] if loc else ""
            where = ".".join(loc)
            if err["type"] == "extra_forbidden":
                close = difflib.get_close_matches(key, list(ConfigFile.model_fields), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                message = f"{where}: unknown setting{hint}"
            else:
                message = f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}"
            line = _line_of(text, loc[-1] if len(loc) > 1 and not loc[-1].isdigit() else key)
            problems.append(Problem(display, line, 1, message))
        raise ConfigError(problems) from None


ENV_KEYS = {
    "questionnaire": "BOARDCHECK_QUESTIONNAIRE",
    "format": "BOARDCHECK_FORMAT",
    "as_of": "BOARDCHECK_AS_OF",
    "fail_under": "BOARDCHECK_FAIL_UNDER",
    "fail_on": "BOARDCHECK_FAIL_ON",
    "fail_on_critical": "BOARDCHECK_FAIL_ON_CRITICAL",
    "jobs": "BOARDCHECK_JOBS",
    "disable": "BOARDCHECK_DISABLE",
}


def _from_env(key: str, raw: str) -> Any:
    name = ENV_KEYS[key]
    try:
        if key == "fail_under":
            return float(raw)
        if key == "jobs":
            return int(raw)
        if key == "as_of":
            return dt.date.fromisoformat(raw)
        if key == "fail_on_critical":
            if raw.lower() not in ("1", "true", "yes", "0", "false", "no"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes")
        if key == "disable":
            return [part.strip().upper() for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ConfigError.single(name, 1, 1, f"{name}={raw!r} is not a valid {key}") from None
    return raw


def _relative_to(config_file: Path, questionnaire: str) -> str:
    """A questionnaire path in a configuration file is read from the file's directory, so
    the file means the same from any subdirectory; a built-in name is left alone."""
    looks_like_path = "/" in questionnaire or questionnaire.endswith((".yaml", ".yml"))
    if not looks_like_path or Path(questionnaire).is_absolute():
        return questionnaire
    return str(config_file.parent / questionnaire)


def resolve(flags: Mapping[str, Any], env: Mapping[str, str], file: Path | None,
            *, explicit_file: bool = False) -> Effective:
    """Combine defaults, the file, the environment and the flags, recording each source."""
    settings: dict[str, Setting] = {}
    waivers: tuple[Waiver, ...] = ()
    if file is not None:
        if explicit_file and not (file.exists() or file.is_symlink()):
            raise ConfigError.single(shown(file), 1, 1, "no such configuration file")
        config, text = read_config(file)
        for key in ConfigFile.model_fields:
            if key == "waivers":
                continue
            value = getattr(config, key)
            if key == "questionnaire" and value is not None:
                value = _relative_to(file, value)
            if value not in (None, [], {}):
                settings[key] = Setting(value, f"{shown(file)}:{_line_of(text, key)}")
        waivers = tuple(config.waivers)
    for key, name in ENV_KEYS.items():
        raw = env.get(name)
        if raw not in (None, ""):
            settings[key] = Setting(_from_env(key, raw), f"environment {name}")
    for key, value in flags.items():
        if value not in (None, [], {}, False):
            settings[key] = Setting(value, "command line")
    return Effective(settings, file, waivers, str(file) if file else "")


def load_effective(flags: Mapping[str, Any], config_path: Path | None) -> Effective:
    """The effective configuration for this run (the CLI's one call into this module)."""
    path = config_path if config_path is not None else find_config(Path.cwd())
    return resolve(flags, os.environ, path, explicit_file=config_path is not None)
