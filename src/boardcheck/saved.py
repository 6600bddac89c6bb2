"""Saved results (`check -f json`) read back into typed values, for `diff` and `--baseline`.

A saved result is input like any other: it may be truncated, come from another tool, be
nested a hundred thousand deep or hold `NaN`. Everything the comparison uses is validated
here, so a bad file is one located message and exit 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from boardcheck.errors import InputError
from boardcheck.result import READABLE_RESULT_VERSIONS, RESULT_SCHEMA_VERSION, Rating, Status

NOT_A_RESULT = "not a saved boardcheck result for one trust (from check --format json)"
REQUIRED = ("schema_version", "as_of", "overall", "categories", "questionnaire")

Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class _Saved(BaseModel):
    # Keys the comparison does not use are left alone: a result from a later minor version
    # still compares. What it does use must have the type it is documented with.
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class SavedCriterion(_Saved):
    id: str
    title: str
    status: Status
    evidenced: bool | None = None


class SavedCategory(_Saved):
    id: str
    title: str
    score: Score | None
    rating: Rating
    criteria: list[SavedCriterion]


class SavedOverall(_Saved):
    score: Score | None
    rating: Rating


class SavedQuestionnaire(_Saved):
    id: str
    version: str
    digest: str


class SavedWaiver(_Saved):
    criterion: str
    expired: bool


class SavedArrangement(_Saved):
    id: str
    name: str


class SavedResult(_Saved):
    """The parts of a saved result that `diff` and `--baseline` compare."""

    schema_version: Literal[1, 2, 3]
    as_of: dt.date = Field(strict=False)
    questionnaire: SavedQuestionnaire
    overall: SavedOverall
    categories: list[SavedCategory]
    waivers: list[SavedWaiver] = []
    arrangements: list[SavedArrangement] = []
    # The board meeting the result went to, where it records one (labels the trend).
    meeting: dt.date | None = Field(default=None, strict=False)

    @model_validator(mode="after")
    def _today_s_terms(self) -> SavedResult:
        """Statuses in today's terms: a version 1 result wrote silence as not met with
        evidenced false, which is not evidenced now."""
        if self.schema_version == 1:
            for cat in self.categories:
                cat.criteria[:] = [
                    c.model_copy(update={"status": "not_evidenced"})
                    if c.status == "not_met" and c.evidenced is False else c
                    for c in cat.criteria]
        return self


assert RESULT_SCHEMA_VERSION in READABLE_RESULT_VERSIONS
assert set(READABLE_RESULT_VERSIONS) == {1, 2, 3}, \
    "update SavedResult.schema_version with the contract"


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_saved(raw: bytes, display: str) -> SavedResult:
    """Parse the bytes of a saved result; every failure is an InputError naming the file."""
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError.single(display, exc.lineno, exc.colno,
                                f"not valid JSON: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(display, 1, 1, f"not valid JSON: not UTF-8 text "
                                f"(byte 0x{raw[exc.start]:02x})") from None
    except ValueError as exc:  # NaN, Infinity, an integer too long to convert
        raise InputError.single(display, 1, 1, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise InputError.single(display, 1, 1, "not valid JSON for boardcheck: nested too "
                                "deeply") from None
    return from_dict(data, display)


def from_dict(data: Any, display: str) -> SavedResult:
    """A result in the JSON contract (a parsed file, or `result_dict` of a fresh check)."""
    if (not isinstance(data, Mapping) or any(k not in data for k in REQUIRED)
            or data.get("kind") is not None):
        raise InputError.single(display, 1, 1, NOT_A_RESULT)
    version = data["schema_version"]
    if isinstance(version, bool) or version not in READABLE_RESULT_VERSIONS:
        raise InputError.single(display, 1, 1, "a saved result of schema_version "
                                f"{version!r}, which this boardcheck does not read (it reads "
                                f"{', '.join(map(str, READABLE_RESULT_VERSIONS))})")
    try:
        return SavedResult.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise InputError.single(display, 1, 1, f"{NOT_A_RESULT}: {where.lstrip('.')}: "
                                f"{_lower(first['msg'])}") from None


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]
