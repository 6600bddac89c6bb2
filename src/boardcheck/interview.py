"""A guided start: ask about the trust and its arrangements, then write a trust file."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel
from rich.console import Console
from rich.prompt import Confirm, InvalidResponse, PromptBase
from rich.text import Text

from boardcheck.errors import BoardcheckError
from boardcheck.loading import parse_yaml, validate
from boardcheck.model import (
    ArrangementType,
    Collaborative,
    Frequency,
    GovernanceModel,
    LegalForm,
    Organisation,
    OversightFramework,
    Region,
    Sector,
    TrustDescription,
    TrustRole,
)

_T = TypeVar("_T")

SECTORS: tuple[str, ...] = get_args(Sector)
LEGAL_FORMS: tuple[str, ...] = get_args(LegalForm)
REGIONS: tuple[str, ...] = get_args(Region)
FRAMEWORKS: tuple[str, ...] = get_args(OversightFramework)
ARRANGEMENT_TYPES: tuple[str, ...] = get_args(ArrangementType)
GOVERNANCE_MODELS: tuple[str, ...] = get_args(GovernanceModel)
TRUST_ROLES: tuple[str, ...] = get_args(TrustRole)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)

SKIP = "-"  # typed where a default is offered, to leave the field out instead
_PLACEHOLDERS = frozenset({"tbc", "tbd", "tba", "n/a", "na", "none", "unknown", "-", "?", "xxx"})
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SLUG = re.compile(r"[a-z0-9-]+")
_ODS = re.compile(r"[A-Z0-9]{3,6}")
_WIDTH = 88

_HEADER = """\
# boardcheck trust description (schema version 1)
#
# Written by `boardcheck init --interactive` on {today} from the answers given to its
# questions. Fill in the rest: anything left out shows in the report as "not evidenced".
# Every key is described in docs/input-format.md (or run `boardcheck schema`). Then run:
#     boardcheck check THIS_FILE
"""


class _Question(PromptBase[_T]):
    """A Rich prompt that parses each answer as typed and re-asks, saying why, on error."""

    def __init__(self, question: str, console: Console, parse: Callable[[str], _T], *,
                 choices: Sequence[str] | None = None, hint: str | None = None) -> None:
        super().__init__(Text(question, style="prompt"), console=console,
                         choices=list(choices) if choices else None, show_default=False)
        self._parse = parse
        self._hint = hint

    def make_prompt(self, default: Any) -> Text:
        prompt = self.prompt.copy()
        prompt.end = ""
        if self.show_choices and self.choices:
            prompt.append(" ")
            # A long list is spaced so that it wraps between choices, not inside one.
            joined = "/".join(self.choices)
            if len(joined) > 60:
                joined = " / ".join(self.choices)
            prompt.append(f"[{joined}]", "prompt.choices")
        if self._hint:
            prompt.append(" ")
            prompt.append(f"({self._hint})", "prompt.default")
        prompt.append(self.prompt_suffix)
        return prompt

    def process_response(self, value: str) -> _T:
        try:
            return self._parse(value.strip())
        except ValueError as exc:
            raise InvalidResponse(Text(str(exc), style="prompt.invalid")) from None


# Parsers: each takes the stripped answer and returns a value or raises ValueError with a
# message for the person typing. The combinators below decide what a blank answer means.

def _required(parse: Callable[[str], _T]) -> Callable[[str], _T]:
    def run(answer: str) -> _T:
        if not answer:
            raise ValueError("an answer is needed here")
        return parse(answer)
    return run


def _optional(parse: Callable[[str], _T]) -> Callable[[str], _T | None]:
    def run(answer: str) -> _T | None:
        return parse(answer) if answer else None
    return run


def _defaulted(parse: Callable[[str], _T], default: _T, *,
               skippable: bool = False) -> Callable[[str], _T | None]:
    def run(answer: str) -> _T | None:
        if not answer:
            return default
        if skippable and answer == SKIP:
            return None
        return parse(answer)
    return run


def _text(answer: str) -> str:
    for char in answer:
        if unicodedata.category(char) in _REFUSED_CATEGORIES or char == "\ufeff":
            raise ValueError(f"the answer contains a control character ({char!r}); "
                             "type plain text")
    if answer.lower() in _PLACEHOLDERS:
        raise ValueError(f"{answer!r} is a placeholder, which would count as evidence; "
                         "leave the answer blank instead")
    return answer


def _ods(answer: str) -> str:
    code = _text(answer).upper()
    if not _ODS.fullmatch(code):
        raise ValueError(f"{answer!r} does not look like an ODS code: 3 to 6 letters and "
                         "digits, e.g. R1X")
    return code


def _normalise(answer: str) -> str:
    return re.sub(r"[\s-]+", "_", answer.strip().lower())


def _choice(options: Sequence[str]) -> Callable[[str], str]:
    def run(answer: str) -> str:
        value = _normalise(answer)
        if value in options:
            return value
        close = difflib.get_close_matches(value, options, 1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(f"{answer!r} is not one of: {', '.join(options)}{hint}")
    return run


def _items(answer: str) -> list[str]:
    """Comma-separated answers, blanks dropped, repeats removed, order kept."""
    out: list[str] = []
    for item in answer.split(","):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def _text_list(answer: str) -> list[str]:
    return [_text(item) for item in _items(answer)]


def _choice_list(options: Sequence[str]) -> Callable[[str], list[str]]:
    one = _choice(options)

    def run(answer: str) -> list[str]:
        out: list[str] = []
        for item in _items(answer):
            value = one(item)
            if value not in out:
                out.append(value)
        return out
    return run


def _date(answer: str) -> dt.date:
    match = _DATE.fullmatch(answer)
    if not match:
        raise ValueError(f"{answer!r} is not a date written as YYYY-MM-DD, e.g. 2026-04-01")
    try:
        value = dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"{answer} is not a valid date ({exc})") from None
    if not 1948 <= value.year <= 2100:
        raise ValueError(f"{answer}: the year {value.year} looks like a typo")
    return value


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def run(answer: str) -> int:
        try:
            value = int(answer)
        except ValueError:
            raise ValueError(f"{answer!r} is not a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is not between {low} and {high}")
        return value
    return run


def _wte(answer: str) -> float:
    try:
        value = float(answer)
    except ValueError:
        raise ValueError(f"{answer!r} is not a number; give the whole-time equivalent, "
                         "e.g. 0.4") from None
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{answer} is not between 0 and 1 (1 = full time)")
    return value


def _money(answer: str) -> float:
    text = answer.lower().replace(",", "").replace("£", "").replace(" ", "")
    scale = 1
    if text.endswith(("m", "k")):
        scale = 1_000_000 if text.endswith("m") else 1_000
        text = text[:-1]
    try:
        amount = Decimal(text) * scale
    except InvalidOperation:
        raise ValueError(f"{answer!r} is not an amount in pounds, e.g. 1200000, "
                         "£1.2m or 250k") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{answer!r} is not an amount of zero or more")
    return float(amount)


def _slug(taken: Sequence[str]) -> Callable[[str], str]:
    def run(answer: str) -> str:
        if not _SLUG.fullmatch(answer):
            raise ValueError(f"{answer!r}: use lower-case letters, digits and hyphens only, "
                             "e.g. acute-collab")
        if answer in taken:
            raise ValueError(f"{answer!r} is already the id of another arrangement")
        return answer
    return run


def _ids(known: Sequence[str]) -> Callable[[str], list[str]]:
    by_lower = {k.lower(): k for k in known}

    def run(answer: str) -> list[str]:
        out: list[str] = []
        for item in _items(answer):
            value = by_lower.get(item.lower())
            if value is None:
                raise ValueError(f"{item!r} is not one of the trust's objectives: "
                                 f"{', '.join(known)}")
            if value not in out:
                out.append(value)
        return out
    return run


class _Interview:
    def __init__(self, console: Console, today: dt.date) -> None:
        self.console = console
        self.today = today

    def ask(self, question: str, parse: Callable[[str], _T], *,
            choices: Sequence[str] | None = None, hint: str | None = None) -> _T:
        return _Question(question, self.console, parse, choices=choices, hint=hint)()

    def optional(self, question: str, parse: Callable[[str], _T], *,
                 choices: Sequence[str] | None = None,
                 hint: str = "blank to skip") -> _T | None:
        return self.ask(question, _optional(parse), choices=choices, hint=hint)

    def heading(self, title: str) -> None:
        self.console.print()
        self.console.print(Text(title, style="bold"))

    def run(self) -> dict[str, Any]:
        self.console.print(Text(
            "boardcheck will ask about your trust and each collaborative arrangement it "
            "belongs to, then write a trust description you can fill in further. Press "
            "Enter to skip a question you cannot answer now: anything left out shows in "
            "the report as not evidenced. Dates are written YYYY-MM-DD."))
        self.heading("The trust")
        organisation = self.organisation()
        as_of = self.ask("Date this description is true at (YYYY-MM-DD)",
                         _defaulted(_date, self.today),
                         hint=f"Enter = today, {self.today.isoformat()}")
        self.heading("Strategy")
        strategy = self.strategy()
        self.heading("Board oversight")
        committee = self.optional("Name of the board committee that oversees collaborative "
                                  "arrangements", _text)
        collaboratives: list[dict[str, Any]] = []
        objective_ids = [o["id"] for o in strategy["objectives"]]
        while Confirm.ask("Add a collaborative arrangement?", console=self.console,
                          default=False):
            self.heading(f"Arrangement {len(collaboratives) + 1}")
            collaboratives.append(self.collaborative(
                organisation["name"], objective_ids, committee,
                [c["id"] for c in collaboratives]))
        return {
            "schema_version": 1,
            "as_of": as_of,
            "organisation": organisation,
            "strategy": strategy,
            "board_oversight": {"collaboration_committee": committee},
            "collaboratives": collaboratives,
        }

    def organisation(self) -> dict[str, Any]:
        name = self.ask("The trust's full name", _required(_text))
        ods_code = self.optional("ODS organisation code, e.g. R1X", _ods)
        legal_form = self.optional("Legal form", _choice(LEGAL_FORMS), choices=LEGAL_FORMS)
        sectors = self.optional("Sectors the trust serves (comma-separated)",
                                _choice_list(SECTORS), choices=SECTORS)
        icbs = self.optional("ICB or ICBs the trust works with (names, comma-separated)",
                             _text_list)
        region = self.optional("NHS England region", _choice(REGIONS), choices=REGIONS)
        oversight: dict[str, Any] | None = None
        segment = self.optional("Oversight segment in NHS England's oversight framework (1–5)",
                                _int_range(1, 5))
        if segment is not None:
            if segment == 5:
                framework = "nof_2025"
                self.console.print("Segment 5 exists only in the 2025 framework: recorded as "
                                   "nof_2025.")
            else:
                framework = self.ask("Which oversight framework is that segment from?",
                                     _required(_choice(FRAMEWORKS)), choices=FRAMEWORKS)
            oversight = {"segment": segment, "framework": framework}
        return {"name": name, "ods_code": ods_code, "legal_form": legal_form,
                "sectors": sectors, "icbs": icbs, "region": region, "oversight": oversight}

    def strategy(self) -> dict[str, Any]:
        objectives: list[dict[str, str]] = []
        while True:
            so_id = f"SO{len(objectives) + 1}"
            title = self.optional(f"Strategic objective {so_id}, in a line", _text,
                                  hint="blank when done")
            if title is None:
                break
            objectives.append({"id": so_id, "title": title})
        reviewed = self.optional("When did the board last review how its strategy fits its "
                                 "collaboratives? (YYYY-MM-DD)", _date)
        return {"objectives": objectives, "alignment_last_reviewed": reviewed}

    def collaborative(self, trust: str, objective_ids: list[str], committee: str | None,
                      taken: list[str]) -> dict[str, Any]:
        ident = self.ask("Short id for the arrangement (lower case, digits, hyphens), "
                         "e.g. acute-collab", _required(_slug(taken)))
        name = self.ask("Its full name", _required(_text))
        kind = self.ask("Type of arrangement", _required(_choice(ARRANGEMENT_TYPES)),
                        choices=ARRANGEMENT_TYPES)
        model = self.optional("Governance model", _choice(GOVERNANCE_MODELS),
                              choices=GOVERNANCE_MODELS)
        role = self.optional("The trust's role in it", _choice(TRUST_ROLES),
                             choices=TRUST_ROLES)
        partners = self.optional("Partner organisations (names, comma-separated)",
                                 _text_list) or []
        objectives = self.objectives(name, objective_ids)
        approved = self.optional("When were its terms of reference approved? (YYYY-MM-DD)",
                                 _date)
        approved_by: list[str] | None = None
        if approved is not None:
            everyone = [trust, *(p for p in partners if p != trust)]
            approved_by = self.ask(
                "Which boards approved them? (comma-separated)",
                _defaulted(_text_list, everyone, skippable=True),
                hint=f"Enter = the trust and all partners; {SKIP} = leave out")
        review_due = self.optional("When are the terms of reference next due for review? "
                                   "(YYYY-MM-DD)", _date)
        if committee is not None:
            reports_to = self.ask("Which trust board committee does it report to?",
                                  _defaulted(_text, committee, skippable=True),
                                  hint=f"Enter = {committee}; {SKIP} = leave out")
        else:
            reports_to = self.optional("Which trust board committee does it report to?", _text)
        frequency = None
        if reports_to is not None:
            frequency = self.optional("How often?", _choice(FREQUENCIES), choices=FREQUENCIES)
        executive = self.optional("Executive lead (name)", _text)
        programme = self.optional("Programme lead (name)", _text)
        wte = None
        if programme is not None:
            wte = self.optional("Programme lead's time given to it, whole-time equivalent "
                                "(0–1)", _wte)
        budget = self.optional("Annual budget in pounds, e.g. 1200000 or £1.2m", _money)
        notice = self.optional("Notice period to leave the arrangement, in months",
                               _int_range(0, 120))
        stages = self.optional("Stages of dispute resolution, in order (comma-separated), "
                               "e.g. chief executives, independent mediation", _text_list)
        return {
            "id": ident, "name": name, "type": kind, "governance_model": model,
            "trust_role": role,
            "partners": [{"name": p} for p in partners],
            "objectives": objectives,
            "terms_of_reference": {"approved": approved, "approved_by": approved_by,
                                   "review_due": review_due},
            "decision_making": {"reports_to": reports_to, "reporting_frequency": frequency},
            "resourcing": {
                "budget": {"amount_gbp": budget},
                "executive_lead": {"name": executive} if executive else None,
                "programme_lead": {"name": programme, "wte": wte} if programme else None,
            },
            "exit": {"notice_months": notice},
            "dispute_resolution": {"stages": stages},
        }

    def objectives(self, name: str, objective_ids: list[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            title = self.optional(f"Objective {len(out) + 1} of {name}, in a line", _text,
                                  hint="blank when done")
            if title is None:
                return out
            links: list[str] | None = None
            if objective_ids:
                links = self.optional("Which of the trust's objectives does it serve? "
                                      "(comma-separated ids)", _ids(objective_ids),
                                      choices=objective_ids, hint="blank for none")
            out.append({"title": title, "trust_objectives": links})


def _prune(value: Any) -> Any:
    """Drop unanswered fields: None, and lists or mappings left empty."""
    if isinstance(value, dict):
        kept = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [v for v in (_prune(item) for item in value) if v not in (None, [], {})]
    return value


def _comment(text: str, indent: str = "") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ") + "\n"


def _still_to_add(model: type[BaseModel], given: dict[str, Any]) -> str:
    return ", ".join(f for f in model.model_fields if f not in given)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=_WIDTH)


def _emit(document: dict[str, Any], today: dt.date) -> str:
    """YAML text for the document: a header, then each section with a comment before it."""
    parts = [_HEADER.format(today=today.isoformat()), "\n"]
    parts.append(_dump({k: document[k] for k in ("schema_version", "as_of") if k in document}))
    notes = {
        "organisation": "The trust itself. Still to add if they apply: "
                        + _still_to_add(Organisation, document["organisation"]) + ".",
        "strategy": "The trust's strategic objectives; each arrangement's objectives link to "
                    "their ids.",
        "board_oversight": "How the board oversees its collaboratives. Still to add: "
                           "committee_includes_neds, ned_lead_for_collaboration, "
                           "collaboration_reports_per_year, scheme_of_delegation_updated, "
                           "internal_audits, maturity_assessment.",
    }
    for key, note in notes.items():
        if key in document:
            parts += ["\n", _comment(note), _dump({key: document[key]})]
    if document.get("collaboratives"):
        parts += ["\n", _comment("The trust's collaborative arrangements."),
                  "collaboratives:\n"]
        for item in document["collaboratives"]:
            parts.append(_comment(f"{item['id']}: still to add if they apply: "
                                  f"{_still_to_add(Collaborative, item)}.", "  "))
            parts.append(textwrap.indent(_dump([item]), "  "))
    missing = [k for k in TrustDescription.model_fields if k not in document]
    if missing:
        parts += ["\n", _comment("Sections not started yet: " + ", ".join(missing) + ".")]
    return "".join(parts)


def interview(console: Console, *, today: dt.date) -> str:
    """Ask about the trust and its arrangements on `console`; return commented YAML text.

    The text always validates against the schema: every answer is checked as it is typed,
    and the emitted text is read back through the normal loader before it is returned.
    EOFError or KeyboardInterrupt from the prompts propagate to the caller.
    """
    document: dict[str, Any] = _prune(_Interview(console, today).run())
    expected = TrustDescription.model_validate(document)
    text = _emit(document, today)
    try:
        reloaded = validate(TrustDescription, parse_yaml(text.encode("utf-8"), "interview"))
    except BoardcheckError as exc:
        raise AssertionError(f"the interview wrote YAML that does not validate:\n{exc}") from exc
    if reloaded != expected:
        raise AssertionError("the interview wrote YAML that reads back differently")
    return text
