"""A guided start: ask about the trust and its arrangements, then write a trust file.

The interview asks for the evidence behind every critical criterion of the built-in
questionnaire (objectives, the form of decision-making, the reporting line, budget and its
funding, the executive lead, the board assurance framework, internal audit, exit terms,
partners' oversight segments, delegation agreements) and the major ones a well-run trust
can answer at once (terms of reference, reserved matters, the collaboration agreement,
KPIs and triggers, dispute resolution, contingency, risk register, liability).

Every answer is written into `answers` as it is given, at the path of the field it fills,
so an interview stopped half-way (Ctrl-C) still has a draft to save, and a file that
already exists (or a draft) gives each question its current value as the default: Enter
keeps it, `-` leaves the field out. `revisit` writes the answers back into the existing
text with ruamel.yaml's round trip, so the file's comments and layout are kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import itertools
import math
import os
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

from boardcheck.errors import BoardcheckError, shown
from boardcheck.loading import parse_yaml, validate
from boardcheck.model import (
    ArrangementType,
    AssuranceLevel,
    Budget,
    CollaborationAgreement,
    Collaborative,
    DelegatedFunction,
    Frequency,
    GovernanceModel,
    LegalForm,
    Organisation,
    OversightFramework,
    Partner,
    Region,
    RiskAppetite,
    Sector,
    TrustDescription,
    TrustRole,
)

_T = TypeVar("_T")


def _literal(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The allowed words of a model field typed as a Literal (or a list or Optional of one)."""
    annotation = model.model_fields[name].annotation
    while True:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if args and all(isinstance(a, str) for a in args):
            return tuple(args)
        annotation = args[0]


SECTORS: tuple[str, ...] = get_args(Sector)
LEGAL_FORMS: tuple[str, ...] = get_args(LegalForm)
REGIONS: tuple[str, ...] = get_args(Region)
FRAMEWORKS: tuple[str, ...] = get_args(OversightFramework)
ARRANGEMENT_TYPES: tuple[str, ...] = get_args(ArrangementType)
GOVERNANCE_MODELS: tuple[str, ...] = get_args(GovernanceModel)
TRUST_ROLES: tuple[str, ...] = get_args(TrustRole)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
APPETITES: tuple[str, ...] = get_args(RiskAppetite)
ASSURANCE: tuple[str, ...] = get_args(AssuranceLevel)
PARTNER_KINDS = _literal(Partner, "kind")
AGREEMENT_KINDS = _literal(CollaborationAgreement, "kind")
AGREEMENT_TOPICS = _literal(CollaborationAgreement, "covers")
FUNDING_SOURCES = _literal(Budget, "funding_sources")
DELEGATING_BODIES = _literal(DelegatedFunction, "from_kind")
# What an arrangement may do (the `remit` block): asked as one list, so each is stated.
ACTIVITIES = ("binding_decisions", "delegated_functions", "holds_budget", "delivers_services",
              "employs_or_hosts_staff")

SKIP = "-"  # typed where a default is offered, to leave the field out instead
_PLACEHOLDERS = frozenset({"tbc", "tbd", "tba", "n/a", "na", "none", "unknown", "-", "?", "xxx"})
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# The way dates are written in England: 15/09/2026, 15.9.2026, 15-09-2026, 15/09/26.
_UK_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})")
_WORDY_DATE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? ([0-9]{4})")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_SLUG = re.compile(r"[a-z0-9-]+")
_ODS = re.compile(r"[A-Z0-9]{3,6}")
_WIDTH = 88
_YES = frozenset({"y", "yes", "true"})
_NO = frozenset({"n", "no", "false"})

# Where an editor finds the schema: `boardcheck schema -o trust.schema.json` writes it.
SCHEMA_LINE = "# yaml-language-server: $schema=trust.schema.json\n"

_HEADER = SCHEMA_LINE + """\
# boardcheck trust description (schema version 1)
#
# Written by `boardcheck init --interactive` on {today} from the answers given to its
# questions. Fill in the rest: anything left out shows in the report as "not evidenced".
# Every key is described in docs/input-format.md (or run `boardcheck schema`). Then run:
#     boardcheck check THIS_FILE
"""

_DRAFT_HEADER = """\
# A DRAFT of a boardcheck trust description: the answers given before the interview
# stopped on {today}. Carry on with: boardcheck init --interactive {target}
"""


class _Suggestion(ValueError):
    """A wrong answer with a likely meaning: the next Enter accepts `corrected`."""

    def __init__(self, message: str, corrected: str) -> None:
        super().__init__(message)
        self.corrected = corrected


class _Question(PromptBase[_T]):
    """A Rich prompt that parses each answer as typed and re-asks, saying why, on error.

    After a did-you-mean, the suggestion is the default: Enter accepts it."""

    def __init__(self, question: str, console: Console, parse: Callable[[str], _T], *,
                 choices: Sequence[str] | None = None, hint: str | None = None) -> None:
        super().__init__(Text(question, style="prompt"), console=console,
                         choices=list(choices) if choices else None, show_default=False)
        self._parse = parse
        self._hint = hint
        self._suggested: str | None = None

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
        hint = f"Enter = {self._suggested}" if self._suggested is not None else self._hint
        if hint:
            prompt.append(" ")
            prompt.append(f"({hint})", "prompt.default")
        prompt.append(self.prompt_suffix)
        return prompt

    def process_response(self, value: str) -> _T:
        answer = value.strip()
        if not answer and self._suggested is not None:
            answer = self._suggested
        self._suggested = None
        try:
            return self._parse(answer)
        except _Suggestion as exc:
            self._suggested = exc.corrected
            raise InvalidResponse(Text(f"{exc}; press Enter to accept it",
                                       style="prompt.invalid")) from None
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
        message = f"{answer!r} is not one of: {', '.join(options)}"
        if close:
            raise _Suggestion(f"{message}; did you mean {close[0]}?", close[0])
        raise ValueError(message)
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
        items = _items(answer)
        for k, item in enumerate(items):
            try:
                value = one(item)
            except _Suggestion as exc:
                # Offer the whole answer corrected, so Enter accepts all of it.
                fixed = [_normalise(i) for i in items[:k]]
                rest = ", ".join([*fixed, exc.corrected, *items[k + 1:]])
                raise _Suggestion(str(exc), rest) from None
            if value not in out:
                out.append(value)
        return out
    return run


def _checked_date(year: int, month: int, day: int, answer: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{answer} is not a valid date ({exc})") from None
    if not 1948 <= value.year <= 2100:
        raise ValueError(f"{answer}: the year {value.year} looks like a typo")
    return value


def _date(answer: str) -> dt.date:
    """A date as written in England (15/09/2026, 15 September 2026) or as YYYY-MM-DD."""
    if match := _DATE.fullmatch(answer):
        year, month, day = (int(part) for part in match.groups())
        return _checked_date(year, month, day, answer)
    if match := _UK_DATE.fullmatch(answer):
        day, month, year = (int(part) for part in match.groups())
        # Two-digit years are this century: nobody records a 1926 review in 2026.
        return _checked_date(year + 2000 if year < 100 else year, month, day, answer)
    if match := _WORDY_DATE.fullmatch(answer):
        word = match.group(2).lower()
        months = [k for k, m in enumerate(_MONTHS, 1) if len(word) >= 3 and m.startswith(word)]
        if len(months) == 1:
            return _checked_date(int(match.group(3)), months[0], int(match.group(1)), answer)
    raise ValueError(f"{answer!r} is not a date: write it as 15/09/2026 (day/month/year), "
                     "15 September 2026 or 2026-09-15")


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
    # Whole pounds are written as whole numbers (640000, not 640000.0).
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _yes_no(answer: str) -> bool:
    word = answer.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"{answer!r}: answer y or n")


def slug_of(name: str, taken: Sequence[str] = ()) -> str:
    """A short id derived from a name: "Kestrel Vale Acute Joint Committee" ->
    "kestrel-vale-acute-joint"; a number is added if it is taken."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name).encode(
        "ascii", "ignore").decode().lower())
    words = [w for w in words if w not in ("the", "and", "of", "nhs")] or words or ["arrangement"]
    base = "-".join(words[:4])[:40].strip("-") or "arrangement"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _slug(taken: Sequence[str]) -> Callable[[str], str]:
    def run(answer: str) -> str:
        if not _SLUG.fullmatch(answer):
            raise _Suggestion(f"{answer!r}: use lower-case letters, digits and hyphens only, "
                              f"e.g. {slug_of(answer, taken)}", slug_of(answer, taken))
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


def _kind_from_name(name: str) -> str | None:
    """The likely kind of a partner from its name, offered as the default answer."""
    lower = f" {name.lower()} "
    for words, kind in ((("foundation trust",), "nhs_foundation_trust"),
                        (("nhs trust",), "nhs_trust"),
                        ((" icb ", "integrated care board"), "icb"),
                        (("council", "borough", "county"), "local_authority"),
                        (("primary care", "pcn", "gp "), "primary_care"),
                        (("voluntary", "charity", "alliance"), "voluntary_sector")):
        if any(w in lower for w in words):
            return kind
    return None


def shown_value(value: Any) -> str:
    """A current answer as the prompt offers it back."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(shown_value(v) for v in value)
    return str(value)


Path_ = tuple[str | int, ...]


def _dig(data: Any, path: Path_) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return None
        elif not isinstance(data, dict) or step not in data:
            return None
        data = data[step]
    return data


def _put(data: dict[str, Any], path: Path_, value: Any) -> None:
    """Set `value` at `path`, making the mappings and lists on the way."""
    here: Any = data
    for step, after in itertools.pairwise(path):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(step, int):
            while len(here) <= step:
                here.append(empty)
            if not isinstance(here[step], type(empty)):
                here[step] = empty
        else:
            here.setdefault(step, empty)
        here = here[step]
    last = path[-1]
    if isinstance(last, int):
        while len(here) <= last:
            here.append(None)
    here[last] = value


class Interview:
    """The questions. `answers` holds what has been answered so far; `current`, the file
    being revisited or resumed (each of its values is the default of its question)."""

    def __init__(self, console: Console, today: dt.date,
                 current: dict[str, Any] | None = None) -> None:
        self.console = console
        self.today = today
        # A copy: partners are re-ordered in it to follow the answers (see `partners`).
        self.current = copy.deepcopy(current) if current else {}
        self.original = current or {}
        # Which item of the file's partner lists each answered partner is (by name).
        self.partner_origins: dict[tuple[Path_, int], int | None] = {}
        self.answers: dict[str, Any] = {}
        self.asked = 0
        # Arrangement ids changed on a revisit: old -> new, so BAF risks follow them.
        self.renamed: dict[str, str] = {}

    # --- asking ------------------------------------------------------------------------

    def ask(self, question: str, parse: Callable[[str], _T], *,
            choices: Sequence[str] | None = None, hint: str | None = None) -> _T:
        self.asked += 1
        return _Question(question, self.console, parse, choices=choices, hint=hint)()

    def field(self, path: Path_, question: str, parse: Callable[[str], Any], *,
              required: bool = False, choices: Sequence[str] | None = None,
              offer: Any = None, hint: str | None = None) -> Any:
        """Ask for the field at `path` and record the answer there. The file's current
        value is the default (Enter keeps it); else `offer`, if any; `-` leaves it out."""
        current = _dig(self.current, path)
        default = current if current not in (None, [], {}) else offer
        if default is not None:
            keep = "keep " if default is current else ""
            if required:
                value = self.ask(question, _defaulted(parse, default), choices=choices,
                                 hint=f"Enter = {keep}{shown_value(default)}")
            else:
                value = self.ask(question, _defaulted(parse, default, skippable=True),
                                 choices=choices, hint=f"Enter = {keep}{shown_value(default)}; "
                                 f"{SKIP} = leave out")
        elif required:
            value = self.ask(question, _required(parse), choices=choices, hint=hint)
        else:
            value = self.ask(question, _optional(parse), choices=choices,
                             hint=hint or "blank to skip")
        _put(self.answers, path, value)
        return value

    def yes_no(self, path: Path_, question: str, *, offer: bool | None = None) -> bool | None:
        answer: bool | None = self.field(path, question, _yes_no, choices=("y", "n"),
                                         offer=offer)
        return answer

    def more(self, question: str) -> bool:
        self.asked += 1
        return Confirm.ask(question, console=self.console, default=False)

    def heading(self, title: str) -> None:
        self.console.print()
        self.console.print(Text(title, style="bold"))

    def count(self, path: Path_) -> int:
        found = _dig(self.current, path)
        return len(found) if isinstance(found, list) else 0

    # --- the sections --------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        self.console.print(Text(
            "boardcheck will ask about your trust, its board's oversight and each "
            "collaborative arrangement it belongs to, then write a trust description. Press "
            "Enter to skip a question you cannot answer now: anything left out shows in the "
            "report as not evidenced. Dates may be written 15/09/2026. Ctrl-C saves a draft "
            "to carry on from later."))
        if self.current:
            self.console.print(Text("Each question offers the file's current answer: Enter "
                                    f"keeps it, {SKIP} leaves it out."))
        self.answers["schema_version"] = 1
        self.heading("The trust")
        self.organisation()
        self.field(("as_of",), "Date this description is true at", _date, required=True,
                   offer=self.today, hint=None)
        self.heading("Strategy")
        self.strategy()
        self.heading("Board oversight")
        self.board_oversight()
        k = 0
        while k < self.count(("collaboratives",)) or self.more(
                "Add a collaborative arrangement?" if k == 0
                else "Add another collaborative arrangement?"):
            self.heading(f"Arrangement {k + 1}")
            self.collaborative(k)
            k += 1
        self.heading("Board assurance framework")
        self.assurance_framework()
        self.governors()
        return self.answers

    def organisation(self) -> None:
        at: Path_ = ("organisation",)
        self.field((*at, "name"), "The trust's full name", _text, required=True)
        self.field((*at, "ods_code"), "ODS organisation code, e.g. R1X", _ods)
        self.field((*at, "legal_form"), "Legal form", _choice(LEGAL_FORMS), choices=LEGAL_FORMS)
        sectors = self.field((*at, "sectors"), "Sectors the trust serves (comma-separated)",
                             _choice_list(SECTORS), choices=SECTORS)
        if sectors:
            # Asked here because a list of arrangements only shows what the file describes;
            # without this answer a trust in no provider collaborative cannot say so.
            self.yes_no((*at, "belongs_to_provider_collaborative"), "Does the trust belong to "
                        "at least one provider collaborative (described in this file or not)?")
        self.field((*at, "icbs"), "ICB or ICBs the trust works with (names, comma-separated)",
                   _text_list)
        self.field((*at, "region"), "NHS England region", _choice(REGIONS), choices=REGIONS)
        self.segment(at, "Oversight segment in NHS England's oversight framework (1–5)")

    def segment(self, at: Path_, question: str) -> None:
        segment = self.field((*at, "oversight", "segment"), question, _int_range(1, 5))
        if segment is None:
            _put(self.answers, (*at, "oversight"), None)
            return
        if segment == 5:
            self.console.print("Segment 5 exists only in the 2025 framework: recorded as "
                               "nof_2025.")
            _put(self.answers, (*at, "oversight", "framework"), "nof_2025")
            return
        trust = _dig(self.answers, ("organisation", "oversight", "framework"))
        self.field((*at, "oversight", "framework"), "Which oversight framework is that "
                   "segment from?", _choice(FRAMEWORKS), choices=FRAMEWORKS, required=True,
                   offer=trust if at != ("organisation",) else None)

    def strategy(self) -> None:
        k = 0
        while True:
            so_id = _dig(self.current, ("strategy", "objectives", k, "id")) or f"SO{k + 1}"
            _put(self.answers, ("strategy", "objectives", k), {"id": so_id})  # id first
            title = self.field(("strategy", "objectives", k, "title"),
                               f"Strategic objective {so_id}, in a line", _text,
                               hint="blank when done")
            if title is None:
                self._drop(("strategy", "objectives"), k)
                if k >= self.count(("strategy", "objectives")):
                    break
                k += 1
                continue
            _put(self.answers, ("strategy", "objectives", k, "id"), so_id)
            k += 1
        self.field(("strategy", "alignment_last_reviewed"), "When did the board last review "
                   "how its strategy fits its collaboratives?", _date)
        self.yes_no(("strategy", "joint_forward_plan_referenced"),
                    "Does the trust's strategy refer to the ICB's joint forward plan?")

    def _drop(self, path: Path_, k: int) -> None:
        """An item left out: marked None so it is pruned (and removed on a revisit)."""
        _put(self.answers, (*path, k), None)

    def objective_ids(self) -> list[str]:
        return [o["id"] for o in _dig(self.answers, ("strategy", "objectives")) or []
                if isinstance(o, dict) and o.get("id")]

    def board_oversight(self) -> None:
        at: Path_ = ("board_oversight",)
        committee = self.field((*at, "collaboration_committee"), "Name of the board committee "
                               "that oversees collaborative arrangements", _text)
        if committee is not None:
            self.yes_no((*at, "committee_includes_neds"), "Do non-executive directors sit on "
                        "it?")
        self.field((*at, "ned_lead_for_collaboration"), "The non-executive director who leads "
                   "on collaboration (name)", _text)
        self.field((*at, "collaboration_reports_per_year"), "How many times a year does the "
                   "board hear a report on its collaboratives?", _int_range(0, 52))
        self.field((*at, "scheme_of_delegation_updated"), "When was the scheme of delegation "
                   "last updated for collaborative decisions?", _date)
        audits = max(1, self.count((*at, "internal_audits")))
        for k in range(audits):
            here = (*at, "internal_audits", k)
            _put(self.answers, (*here, "title"), None)  # asked second, written first
            when = self.field((*here, "date"), "Date of the latest internal audit report on "
                              "partnership governance", _date)
            if when is None:
                self._drop((*at, "internal_audits"), k)
                continue
            self.field((*here, "title"), "Its title", _text, required=True)
            self.field((*here, "assurance"), "The assurance it gave", _choice(ASSURANCE),
                       choices=ASSURANCE, required=True)
            self.field((*here, "overdue_actions"), "How many of its actions are overdue?",
                       _int_range(0, 999))

    def collaborative(self, k: int) -> None:
        at: Path_ = ("collaboratives", k)
        taken = [c["id"] for c in self.answers.get("collaboratives", [])[:k]
                 if isinstance(c, dict) and c.get("id")]
        _put(self.answers, (*at, "id"), None)  # the id is asked second, written first
        name = self.field((*at, "name"), "The arrangement's full name", _text, required=True)
        ident = self.field((*at, "id"), "Short id for it (lower case, digits, hyphens)",
                           _slug(taken), required=True, offer=slug_of(name, taken))
        was = _dig(self.current, (*at, "id"))
        if isinstance(was, str) and was != ident:
            self.renamed[was] = ident
        self.field((*at, "type"), "Type of arrangement", _choice(ARRANGEMENT_TYPES),
                   choices=ARRANGEMENT_TYPES, required=True)
        model = self.field((*at, "governance_model"), "Governance model",
                           _choice(GOVERNANCE_MODELS), choices=GOVERNANCE_MODELS)
        role = self.field((*at, "trust_role"), "The trust's role in it", _choice(TRUST_ROLES),
                          choices=TRUST_ROLES)
        does = self.remit(at)
        self.partners(at)
        self.objectives(at, name)
        self.terms_of_reference(at)
        self.decision_making(at, does, model)
        if does.get("delegated_functions"):
            self.delegated_functions(at)
        self.agreement(at)
        self.resourcing(at, role, does)
        self.risk(at)
        self.performance(at)
        self.exit_terms(at, does)

    def remit(self, at: Path_) -> dict[str, bool]:
        """What it does, as one list: each activity not listed is stated as not done."""
        current = _dig(self.current, (*at, "remit"))
        question = ("What does it do? List any of these (comma-separated); any not listed is "
                    "recorded as not done")
        done: list[str] | None
        if isinstance(current, dict) and current:
            offer = [a for a in ACTIVITIES if current.get(a)]
            done = self.ask(question, _defaulted(_choice_list(ACTIVITIES), offer,
                                                 skippable=True), choices=ACTIVITIES,
                            hint=f"Enter = keep {', '.join(offer) or 'none of them'}; "
                            f"{SKIP} = leave out")
        else:
            done = self.ask(question, _optional(_choice_list(ACTIVITIES)), choices=ACTIVITIES,
                            hint="blank to skip")
        if done is None:
            _put(self.answers, (*at, "remit"), None)
            return {}
        remit = {a: a in done for a in ACTIVITIES}
        _put(self.answers, (*at, "remit"), remit)
        return remit

    def partners(self, at: Path_) -> None:
        current = [p for p in _dig(self.current, (*at, "partners")) or [] if isinstance(p, dict)]
        offer = [p["name"] for p in current if p.get("name")]
        given: list[str] | None = self.ask(
            "Partner organisations (names, comma-separated)",
            _defaulted(_text_list, offer, skippable=True) if offer else _optional(_text_list),
            hint=f"Enter = keep {', '.join(offer)}; {SKIP} = leave out" if offer
            else "blank to skip")
        names = given or []
        # Each partner's current answers are the defaults for the same name, wherever the
        # name now stands in the list (`current` is the interview's own copy).
        by_name = {p.get("name"): p for p in current}
        index = {p.get("name"): i for i, p in enumerate(current)}
        for j, name in enumerate(names):
            self.partner_origins[((*at, "partners"), j)] = index.get(name)
        if current:
            _put(self.current, (*at, "partners"), [by_name.get(n, {}) for n in names])
        _put(self.answers, (*at, "partners"), [{"name": n} for n in names] or None)
        for j, name in enumerate(names):
            here = (*at, "partners", j)
            kind = self.field((*here, "kind"), f"What kind of body is {name}?",
                              _choice(PARTNER_KINDS), choices=PARTNER_KINDS,
                              offer=_kind_from_name(name))
            if kind in (None, "nhs_trust", "nhs_foundation_trust"):
                self.segment(here, f"{name}'s oversight segment (1–5)")

    def origin(self, items: Path_, k: int) -> int | None:
        """Which item of the file's list at `items` the k-th answered item is (None: a new
        one). The interview visits each list's items in order, and partners by name."""
        if (items, k) in self.partner_origins:
            return self.partner_origins[(items, k)]
        found = _dig(self.original, items)
        return k if isinstance(found, list) and k < len(found) else None

    def answers_at(self, path: Path_) -> list[dict[str, Any]]:
        found = _dig(self.answers, path)
        return found if isinstance(found, list) else []

    def objectives(self, at: Path_, name: str) -> None:
        known = self.objective_ids()
        k = 0
        while True:
            here = (*at, "objectives", k)
            title = self.field((*here, "title"), f"Objective {k + 1} of {name}, in a line",
                               _text, hint="blank when done")
            if title is None:
                self._drop((*at, "objectives"), k)
                if k >= self.count((*at, "objectives")):
                    return
                k += 1
                continue
            if known:
                self.field((*here, "trust_objectives"), "Which of the trust's objectives does "
                           "it serve? (comma-separated ids)", _ids(known), choices=known,
                           hint="blank for none")
            self.yes_no((*here, "agreed_with_icb"), "Is it agreed with the ICB?")
            k += 1

    def terms_of_reference(self, at: Path_) -> None:
        here = (*at, "terms_of_reference")
        approved = self.field((*here, "approved"), "When were its terms of reference "
                              "approved?", _date)
        if approved is not None:
            trust = _dig(self.answers, ("organisation", "name"))
            partners = [p["name"] for p in self.answers_at((*at, "partners"))]
            everyone = [trust, *(p for p in partners if p != trust)]
            self.field((*here, "approved_by"), "Which boards approved them? (comma-separated)",
                       _text_list, offer=everyone)
        self.field((*here, "review_due"), "When are they next due for review?", _date)

    def decision_making(self, at: Path_, does: dict[str, bool], model: str | None) -> None:
        here = (*at, "decision_making")
        binding = does.get("binding_decisions")
        if binding:
            self.field((*here, "legal_basis"), "The legal basis of its binding decisions, e.g. "
                       "joint committee under s65Z5 NHS Act 2006", _text)
        if model == "committees_in_common" or _dig(self.answers, (*at, "type")) \
                == "committees_in_common":
            self.yes_no((*here, "trust_committee_formed"), "Has the trust formed its own "
                        "committee to sit in common?")
        committee = _dig(self.answers, ("board_oversight", "collaboration_committee"))
        reports_to = self.field((*here, "reports_to"), "Which trust board committee does it "
                                "report to?", _text, offer=committee)
        if reports_to is not None:
            self.field((*here, "reporting_frequency"), "How often?", _choice(FREQUENCIES),
                       choices=FREQUENCIES)
        self.field((*at, "delegation", "reserved_matters"), "Matters reserved to the member "
                   "boards, which it cannot decide (comma-separated)", _text_list)

    def delegated_functions(self, at: Path_) -> None:
        k = 0
        while k < max(1, self.count((*at, "delegated_functions"))) or self.more(
                "Add another delegated function?"):
            here = (*at, "delegated_functions", k)
            function = self.field((*here, "function"), "A function delegated to it, in a line",
                                  _text)
            if function is None:
                self._drop((*at, "delegated_functions"), k)
                if k >= self.count((*at, "delegated_functions")):
                    return
                k += 1
                continue
            self.field((*here, "from_kind"), "Who delegates it?", _choice(DELEGATING_BODIES),
                       choices=DELEGATING_BODIES)
            self.field((*here, "from_body"), "The delegating body's name", _text)
            self.field((*here, "agreement", "signed"), "When was the delegation agreement "
                       "signed?", _date)
            self.field((*here, "agreement", "reporting"), "What the agreement says about "
                       "reporting, in a line", _text)
            self.field((*here, "agreement", "termination_notice_months"), "Its termination "
                       "notice, in months", _int_range(0, 120))
            self.field((*here, "agreement", "retained_accountability"), "What the delegating "
                       "body stays accountable for, in a line", _text)
            own = self.yes_no((*here, "commissions_own_services"), "Does it commission "
                              "services the trust itself provides?")
            if own:
                self.field((*here, "provider_conflict_arrangements"), "How that conflict is "
                           "managed, in a line", _text)
            self.field((*here, "step_in_route"), "How the delegating body can revoke it or "
                       "step in, in a line", _text)
            k += 1

    def agreement(self, at: Path_) -> None:
        here = (*at, "collaboration_agreement")
        _put(self.answers, (*here, "kind"), None)  # asked second, written first
        signed = self.field((*here, "signed"), "When was its collaboration agreement (or MoU) "
                            "signed?", _date)
        if signed is not None:
            self.field((*here, "kind"), "What kind of agreement is it?",
                       _choice(AGREEMENT_KINDS), choices=AGREEMENT_KINDS)
            self.field((*here, "expires"), "When does it expire?", _date)
            self.field((*here, "covers"), "Which topics does it cover? (comma-separated)",
                       _choice_list(AGREEMENT_TOPICS), choices=AGREEMENT_TOPICS)
        self.field((*at, "dispute_resolution", "stages"), "Stages of dispute resolution, in "
                   "order (comma-separated), e.g. chief executives, independent mediation",
                   _text_list)
        self.yes_no((*at, "conflicts_of_interest", "register_kept"), "Does the arrangement "
                    "keep a conflicts-of-interest register?")

    def resourcing(self, at: Path_, role: str | None, does: dict[str, bool]) -> None:
        here = (*at, "resourcing")
        budget = self.field((*here, "budget", "amount_gbp"), "Its annual running-cost budget "
                            "in pounds, e.g. 640000, £640k or £1.2m", _money)
        if budget is not None:
            self.field((*here, "budget", "funding_sources"), "Where the money comes from "
                       "(comma-separated)", _choice_list(FUNDING_SOURCES),
                       choices=FUNDING_SOURCES)
            self.field((*here, "budget", "risk_share"), "How overspends are shared, in a line",
                       _text)
        executive = self.field((*here, "executive_lead", "name"), "Executive lead (name)", _text)
        if executive is None:
            _put(self.answers, (*here, "executive_lead"), None)
        else:
            self.field((*here, "executive_lead", "role"), "Their role", _text)
        programme = self.field((*here, "programme_lead", "name"), "Programme lead (name)",
                               _text)
        if programme is None:
            _put(self.answers, (*here, "programme_lead"), None)
        else:
            self.field((*here, "programme_lead", "wte"), "Programme lead's time given to it, "
                       "whole-time equivalent (0–1)", _wte)
        trust = _dig(self.answers, ("organisation", "name"))
        self.field((*here, "host"), "The host organisation", _text,
                   offer=trust if role in ("host", "lead") else None)

    def risk(self, at: Path_) -> None:
        kept = self.yes_no((*at, "risk_register", "kept"), "Does it keep its own risk "
                           "register?")
        if kept:
            self.field((*at, "risk_register", "last_reviewed"), "When was it last reviewed?",
                       _date)
            self.field((*at, "risk_register", "escalation_threshold"), "The risk score (1–25) "
                       "at which a risk is escalated to member boards", _int_range(1, 25))
        self.field((*at, "liability", "position"), "Where liability for shared decisions "
                   "lies, in a line", _text)

    def performance(self, at: Path_) -> None:
        k = 0
        while True:
            here = (*at, "performance", "kpis", k)
            name = self.field((*here, "name"), f"KPI {k + 1} reported to the board (its name)",
                              _text, hint="blank when done")
            if name is None:
                self._drop((*at, "performance", "kpis"), k)
                if k >= self.count((*at, "performance", "kpis")):
                    break
                k += 1
                continue
            self.field((*here, "target"), "Its target", _text)
            self.field((*here, "trigger"), "The trigger that escalates it", _text)
            self.field((*here, "reporting_frequency"), "How often is it reported?",
                       _choice(FREQUENCIES), choices=FREQUENCIES)
            k += 1
        self.field((*at, "contingency", "plan"), "Its contingency, mutual aid or step-in plan, "
                   "in a line", _text)
        self.yes_no((*at, "contingency", "mutual_aid"), "Does it provide for mutual aid?")
        self.yes_no((*at, "contingency", "step_in"), "Does it provide for step-in?")
        self.field((*at, "contingency", "last_tested"), "When was it last tested?", _date)

    def exit_terms(self, at: Path_, does: dict[str, bool]) -> None:
        here = (*at, "exit")
        self.field((*here, "notice_months"), "Notice period to leave the arrangement, in "
                   "months", _int_range(0, 120))
        if not does or does.get("employs_or_hosts_staff") or does.get("delegated_functions"):
            self.yes_no((*here, "staff"), "Do the exit terms provide for staff?")
        if not does or any(does.get(a) for a in ("holds_budget", "delivers_services",
                                                  "delegated_functions")):
            self.yes_no((*here, "assets"), "Do they provide for assets?")
        self.yes_no((*here, "data"), "Do they provide for data and records?")

    def assurance_framework(self) -> None:
        at: Path_ = ("board_assurance_framework",)
        self.field((*at, "last_reviewed"), "When did the board last review its board "
                   "assurance framework (BAF)?", _date)
        arrangements = [c for c in self.answers.get("collaboratives", []) if isinstance(c, dict)]
        count = self.count((*at, "risks"))
        for k in range(count):
            self.baf_risk(k, None)
        k = count
        for c in arrangements:
            named = any(c["id"] in (_dig(self.current, (*at, "risks", j, "collaboratives"))
                                    or []) and _dig(self.answers, (*at, "risks", j))
                        for j in range(count))
            named = named or any(c["id"] in (r.get("collaboratives") or [])
                                 for r in self.answers_at((*at, "risks")) if isinstance(r, dict))
            if not named and self.baf_risk(k, c):
                k += 1

    def baf_risk(self, k: int, arrangement: dict[str, Any] | None) -> bool:
        at: Path_ = ("board_assurance_framework", "risks", k)
        about = f" for {arrangement['name']}" if arrangement else ""
        _put(self.answers, (*at, "id"), None)  # asked second, written first
        title = self.field((*at, "title"), f"The BAF risk{about}, in a line", _text,
                           hint="blank if there is none")
        if title is None:
            self._drop(("board_assurance_framework", "risks"), k)
            return False
        self.field((*at, "id"), "Its id on the BAF", _text, required=True,
                   offer=f"BAF-{k + 1:02d}")
        if arrangement is not None:
            _put(self.answers, (*at, "collaboratives"), [arrangement["id"]])
        else:
            named = _dig(self.current, (*at, "collaboratives")) or []
            if any(n in self.renamed for n in named):
                _put(self.answers, (*at, "collaboratives"),
                     [self.renamed.get(n, n) for n in named])
        self.field((*at, "owner"), "Its executive owner", _text)
        known = self.objective_ids()
        if known:
            linked = (arrangement or {}).get("objectives") or []
            first = next((o["trust_objectives"][0] for o in linked
                          if isinstance(o, dict) and o.get("trust_objectives")), None)
            self.field((*at, "objective"), "The strategic objective it threatens",
                       _choice(known), choices=known, offer=first)
        for name, words in (("likelihood", "Likelihood now"), ("consequence", "Consequence now"),
                            ("target_likelihood", "Target likelihood"),
                            ("target_consequence", "Target consequence")):
            self.field((*at, name), f"{words} (1–5)", _int_range(1, 5))
        self.field((*at, "appetite"), "The board's appetite for it", _choice(APPETITES),
                   choices=APPETITES)
        self.field((*at, "controls"), "Its controls (comma-separated)", _text_list)
        self.field((*at, "assurances"), "The assurances on those controls (comma-separated)",
                   _text_list)
        self.field((*at, "gaps"), "Gaps in control or assurance (comma-separated)", _text_list)
        self.field((*at, "last_reviewed"), "When was it last reviewed?", _date)
        return True

    def governors(self) -> None:
        """A foundation trust's council of governors: briefed on collaboration, and its
        approval where the trust leads an arrangement (a significant transaction)."""
        if _dig(self.answers, ("organisation", "legal_form")) != "nhs_foundation_trust":
            return
        self.heading("Council of governors")
        at: Path_ = ("organisation", "council_of_governors")
        self.field((*at, "briefed_on_collaboration"), "When were the governors last briefed "
                   "on collaboration?", _date)
        leads = [c for c in self.answers.get("collaboratives", [])
                 if isinstance(c, dict) and c.get("trust_role") == "lead"]
        if leads:
            self.field((*at, "significant_transaction_approved"), "When did the governors "
                       "approve the trust leading " + ", ".join(c["name"] for c in leads)
                       + " (a significant transaction)?", _date)


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


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key ("  - item"), as the template and examples write
    them, so a revisit finds one indentation throughout the file."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True,
                     width=_WIDTH)


def _emit(document: dict[str, Any], header: str) -> str:
    """YAML text for the document: a header, then each section with a comment before it."""
    parts = [header, "\n"]
    parts.append(_dump({k: document[k] for k in ("schema_version", "as_of") if k in document}))
    notes = {
        "organisation": "The trust itself. Still to add if they apply: "
                        + _still_to_add(Organisation, document.get("organisation", {})) + ".",
        "strategy": "The trust's strategic objectives; each arrangement's objectives link to "
                    "their ids.",
        "board_oversight": "How the board oversees its collaboratives.",
        "board_assurance_framework": "The board assurance framework's risks on collaboration; "
                                     "each names the arrangements it covers by id.",
    }
    for key, note in notes.items():
        if key in document:
            parts += ["\n", _comment(note), _dump({key: document[key]})]
    if document.get("collaboratives"):
        parts += ["\n", _comment("The trust's collaborative arrangements."),
                  "collaboratives:\n"]
        for item in document["collaboratives"]:
            parts.append(_comment(f"{item.get('id', '?')}: still to add if they apply: "
                                  f"{_still_to_add(Collaborative, item)}.", "  "))
            parts.append(textwrap.indent(_dump([item]), "  "))
    missing = [k for k in TrustDescription.model_fields if k not in document]
    if missing:
        parts += ["\n", _comment("Sections not started yet: " + ", ".join(missing) + ".")]
    return "".join(parts)


def _checked(text: str, expected: TrustDescription) -> str:
    """`text`, once read back through the normal loader it gives `expected`."""
    try:
        reloaded = validate(TrustDescription, parse_yaml(text.encode("utf-8"), "interview"))
    except BoardcheckError as exc:
        raise AssertionError(f"the interview wrote YAML that does not validate:\n{exc}") from exc
    if reloaded != expected:
        raise AssertionError("the interview wrote YAML that reads back differently")
    return text


def ask_to_resume(draft: os.PathLike[str], console: Console) -> bool:
    """Whether to carry on from the answers a stopped interview left in `draft`."""
    return Confirm.ask(f"An interview stopped earlier left its answers in {shown(draft)}. "
                       "Carry on from them?", default=True, console=console)


def draft_text(interview: Interview, *, today: dt.date, target: str) -> str | None:
    """The answers given so far, as YAML to resume from; None if nothing was answered."""
    answered = _prune(interview.answers)
    if not _prune(answered.get("organisation")):
        return None
    header = _DRAFT_HEADER.format(today=today.isoformat(), target=target)
    return _emit(answered, header)


def interview(console: Console, *, today: dt.date,
              session: Interview | None = None) -> str:
    """Ask about the trust and its arrangements on `console`; return commented YAML text.

    The text always validates against the schema: every answer is checked as it is typed,
    and the emitted text is read back through the normal loader before it is returned.
    EOFError or KeyboardInterrupt from the prompts propagate to the caller, which can save
    `session.answers` as a draft (`draft_text`).
    """
    session = session or Interview(console, today)
    document: dict[str, Any] = _prune(session.run())
    expected = TrustDescription.model_validate(document)
    return _checked(_emit(document, _HEADER.format(today=today.isoformat())), expected)


def revisit(console: Console, text: str, *, today: dt.date,
            session: Interview | None = None) -> str:
    """Ask the interview again over an existing file's `text` (each current value the
    default) and return the text with the answers written in: ruamel.yaml's round trip
    keeps the file's comments, order and quoting; fields the interview does not ask about
    are kept as they are."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    current = parse_yaml(text.encode("utf-8"), "the file").data
    session = session or Interview(console, today, current)
    answers = session.run()
    loader = YAML()
    loader.preserve_quotes = True
    loader.width = 4096  # long lines the file already has stay on one line
    # Lists are written indented as the file already indents them.
    # (ruamel's guess: `indent` is a list's, `dash` the offset of its "-"; mappings nest by
    # the offset too, or by two where lists start at the key's column.)
    _, indent, dash = load_yaml_guess_indent(text)
    if indent is not None:
        loader.indent(mapping=dash or 2, sequence=indent, offset=dash or 0)
    # Answers share value objects (the loader reuses equal dates and numbers); written out,
    # they must be values, never YAML aliases, which the loader refuses.
    loader.representer.ignore_aliases = lambda *args: True
    tree = loader.load(text)
    _merge(tree, answers, session.origin)
    import io

    out = io.StringIO()
    if not any(line.startswith("# yaml-language-server:") for line in text.splitlines()[:5]):
        out.write(SCHEMA_LINE)  # so editors check the file from now on
    loader.dump(tree, out)
    document = parse_yaml(out.getvalue().encode("utf-8"), "the file")
    # Answers can leave the file invalid (an id changed that something else still names):
    # a BoardcheckError, for the caller to report before anything is written.
    validate(TrustDescription, document)
    merged = _plain(document.data)
    # Every answer given is in the result as given.
    if _prune(_overlay(_plain(current), answers, session.origin)) != _prune(merged):
        raise AssertionError("the revisited file does not hold the answers as given")
    return _checked(out.getvalue(), TrustDescription.model_validate(merged))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


Origin = Callable[[Path_, int], "int | None"]


def _empty(value: Any) -> bool:
    return _prune(value) in (None, [], {})


def _overlay(old: Any, new: Any, origin: Origin, path: Path_ = ()) -> Any:
    """What merging `new` answers into `old` data means, on plain values (the check of
    `_merge`): answered fields replace, left-out fields go, unasked fields stay; a list's
    answered items merge into the items they were asked about (`origin`)."""
    if isinstance(new, dict) and isinstance(old, dict):
        out = dict(old)
        for key, value in new.items():
            merged = _overlay(old.get(key), value, origin, (*path, key))
            if _empty(merged):
                out.pop(key, None)
            else:
                out[key] = merged
        return out
    if _is_item_list(new) and isinstance(old, list):
        items = []
        for k, value in enumerate(new):
            if _empty(value):
                continue
            i = origin(path, k)
            items.append(_prune(value) if i is None or i >= len(old)
                         else _overlay(old[i], value, origin, (*path, k)))
        return items
    return _prune(new)


def _is_item_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) \
        and all(isinstance(v, dict) or v is None for v in value)


def _merge(tree: Any, answers: dict[str, Any], origin: Origin, path: Path_ = ()) -> None:
    """Write `answers` into the round-trip `tree` in place, as `_overlay` describes."""
    for key, value in answers.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(tree.get(key), dict):
            _merge(tree[key], value, origin, here)
            if not tree[key]:
                del tree[key]
        elif _empty(value):
            if key in tree:
                del tree[key]
        elif _is_item_list(value) and isinstance(tree.get(key), list):
            _merge_list(tree[key], value, origin, here)
        elif tree.get(key) != _prune(value):  # an unchanged value keeps its layout
            tree[key] = _same_style(tree.get(key), _quoted(_prune(value)))


def _merge_list(seq: Any, answers: list[Any], origin: Origin, path: Path_) -> None:
    kept: list[Any] = []
    old = list(seq)
    for k, value in enumerate(answers):
        if _empty(value):
            continue
        i = origin(path, k)
        if i is None or i >= len(old) or not isinstance(old[i], dict):
            kept.append(_quoted(_prune(value)))
        else:
            _merge(old[i], value, origin, (*path, k))
            kept.append(old[i])
    seq[:] = kept


def _same_style(old: Any, new: Any) -> Any:
    """A list written as the one it replaces was: `[a, b]` stays on one line."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(old, CommentedSeq) and isinstance(new, list) and old.fa.flow_style():
        seq = CommentedSeq(new)
        seq.fa.set_flow_style()
        return seq
    return new


def _quoted(value: Any) -> Any:
    """New text that plain YAML 1.1 would read as something else ('no', '2024-01-01',
    '0123') goes in quotes, as the loader reads YAML 1.1's way."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, str):
        try:
            plain = yaml.safe_load(value)
        except yaml.YAMLError:
            plain = None
        if plain != value or value != value.strip() or "\n" in value:
            return SingleQuotedScalarString(value)
    return value
