"""What start-up saves must change nothing: the built-in questionnaire read from its cache is
the one its YAML gives, a cache that cannot be trusted is passed over without a word, and a
run that names its command behaves as the whole application does (issue 14)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from boardcheck import questionnaire
from boardcheck.cli import app, run
from boardcheck.questionnaire import BUILT_IN, Questionnaire, load_questionnaire
from tests.conftest import EXAMPLES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache file of the built-in questionnaire, in a cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "boardcheck" / f"questionnaire-{BUILT_IN}.json"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the questionnaire module parses as YAML from now on."""
    seen: list[str] = []
    parse = questionnaire.parse_yaml

    def counted(raw: bytes, display: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(display)
        return parse(raw, display, *args, **kwargs)

    monkeypatch.setattr(questionnaire, "parse_yaml", counted)
    return seen


def test_the_built_in_questionnaire_read_from_its_cache_is_the_one_its_yaml_gives(
        cache: Path, parses: list[str]) -> None:
    from_yaml = load_questionnaire(None)
    assert parses == [f"<built-in>/{BUILT_IN}.yaml"]
    assert cache.is_file()
    from_cache = load_questionnaire(None)
    assert parses == [f"<built-in>/{BUILT_IN}.yaml"]  # not parsed again
    assert from_cache == from_yaml
    assert repr(from_cache) == repr(from_yaml)


def _sealed(body: bytes) -> bytes:
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _stored(cache: Path) -> dict[str, Any]:
    checksum, _, body = cache.read_bytes().partition(b"\n")
    assert hashlib.sha256(body).hexdigest().encode() == checksum
    stored: dict[str, Any] = json.loads(body)
    return stored


def _other_key(cache: Path) -> bytes:
    return _sealed(json.dumps({**_stored(cache), "key": "0" * 64}).encode())


def _weight_changed(cache: Path) -> bytes:
    # Correctly sealed, and a valid questionnaire, but not the one this file and code give.
    stored = _stored(cache)
    stored["key"] = "stale"
    stored["data"]["categories"][0]["criteria"][0]["weight"] = 99
    return _sealed(json.dumps(stored).encode())


def _not_a_questionnaire(cache: Path) -> bytes:
    # Sealed and keyed as a good cache is, but its values would not validate.
    stored = _stored(cache)
    stored["data"]["categories"] = "none"
    return _sealed(json.dumps(stored).encode())


def _flipped(cache: Path) -> bytes:
    blob = bytearray(cache.read_bytes())
    blob[-10] ^= 0x01
    return bytes(blob)


UNTRUSTED: dict[str, Callable[[Path], bytes]] = {
    "empty": lambda cache: b"",
    "garbage": lambda cache: b"\x00\xff not json",
    "truncated": lambda cache: cache.read_bytes()[:1000],
    "one bit flipped": _flipped,
    "checksum of other content": lambda cache: _sealed(b"{}")[:65] + cache.read_bytes()[65:],
    "sealed, not json": lambda cache: _sealed(b"{not json"),
    "sealed, not a mapping": lambda cache: _sealed(b"[1, 2]"),
    "sealed, no values": lambda cache: _sealed(json.dumps({"key": "x"}).encode()),
    "stale key": _other_key,
    "stale values": _weight_changed,
    "not a questionnaire": _not_a_questionnaire,
}


@pytest.mark.parametrize("case", UNTRUSTED)
def test_an_untrusted_cache_is_passed_over_and_replaced(cache: Path, parses: list[str],
                                                          case: str) -> None:
    from_yaml = load_questionnaire(None)
    good = cache.read_bytes()
    cache.write_bytes(UNTRUSTED[case](cache))
    reread: Questionnaire = load_questionnaire(None)
    assert reread == from_yaml
    assert len(parses) == 2  # its YAML read again (a matching key's values fail to validate)
    assert cache.read_bytes() == good  # replaced by the good values


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           parses: list[str]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    first = load_questionnaire(None)
    assert load_questionnaire(None) == first
    assert len(parses) == 2  # read from its YAML each time
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_questionnaire_file_is_never_cached(cache: Path, parses: list[str]) -> None:
    path = questionnaire.built_in_dir() / f"{BUILT_IN}.yaml"
    load_questionnaire(str(path))
    load_questionnaire(str(path))
    assert len(parses) == 2
    assert not cache.parent.exists()


ONE = str(EXAMPLES / "strong-acute-ft.yaml")


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["check"], ["check", ONE, "--jobs", "0"], ["check", ONE, "-f", "nope"],
    ["check", ONE, "-f", "json"], ["check", ONE, "--bogus"], ["due", "--help"], ["config"],
    ["explain", "XX99"],
])
def test_a_run_that_names_its_command_is_the_whole_application_s(
        argv: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["boardcheck", *argv])
    outcomes = []
    for entry in (lambda: app(prog_name="boardcheck"), run):
        with pytest.raises(SystemExit) as exited:
            entry()
        out = capsys.readouterr()
        outcomes.append((exited.value.code, out.out, out.err))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][1] or outcomes[0][2]  # each says something
