"""The collaborative view: members' descriptions of one collaborative, matched and compared.

Members of a collaborative each describe it in their own file. A batch worker takes from each
arrangement a few facts that should be one fact for every member (type, legal basis, terms of
reference, notice period, host, lead, budget, ...) with where each stands in the file
(`arrangement_facts`); the batch keeps them on its compact row. At the end, `collaboratives`
matches the submissions on the shared `collaborative_code`, failing that on name and
partners (a *probable* match), and reports each collaborative's members, which of them
submitted, where their descriptions disagree, and their readiness. Pure: no I/O, and the
reduction reads only the compact rows, so memory stays flat in the number of files.

A fact one member records and another leaves out is not a disagreement: "not recorded" is
never a value. Such facts are listed apart, as recorded by some members only.
"""

from __future__ import annotations

import bisect
import marshal
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from boardcheck.formats.wording import joined
from boardcheck.result import quick_init, quick_state
from boardcheck.summary import (
    CategoryScore,
    Distribution,
    Spill,
    Spilled,
    distribution,
    repeated,
    sorted_positions,
)

if TYPE_CHECKING:
    from boardcheck.errors import Problem
    from boardcheck.loading import SourceMap
    from boardcheck.model import Collaborative, TrustDescription
    from boardcheck.summary import Row

# How a fact's values are compared: text ignoring case, spacing and '&'/'and'; a set of such
# texts in any order; a list in order; or exactly (dates, numbers, fixed values).
Comparison = Literal["text", "set", "list", "exact", "organisation"]

# Every fact compared across members, in the order reports list disagreements: key, words
# for reports, comparison.
FACTS: tuple[tuple[str, str, Comparison], ...] = (
    ("name", "name", "text"),
    ("type", "arrangement type", "exact"),
    ("governance_model", "governance model", "exact"),
    ("status", "form (shadow, transitional or formal)", "exact"),
    ("legal_basis", "legal basis", "text"),
    ("tor_approved", "terms of reference approved", "exact"),
    ("tor_approved_by", "boards that approved the terms of reference", "set"),
    ("tor_review_due", "terms of reference review due", "exact"),
    ("agreement_signed", "collaboration agreement signed", "exact"),
    ("notice_months", "exit notice period (months)", "exact"),
    ("dispute_stages", "dispute resolution stages", "list"),
    ("host", "host organisation", "organisation"),
    ("lead", "lead organisation", "organisation"),
    ("budget_gbp", "budget (£)", "exact"),
    ("commissioning_gbp", "commissioning budget (£)", "exact"),
    ("budget_year", "budget year", "text"),
    ("liability", "liability position", "text"),
    ("delegated_functions", "delegated functions", "set"),
    ("financial_limit_gbp", "delegated financial limit (£)", "exact"),
)
FACT_TITLES = {key: title for key, title, _ in FACTS}
_COMPARISON = {key: how for key, _, how in FACTS}
_FACT_NUMBER = {key: n for n, (key, _, _) in enumerate(FACTS)}

MatchedBy = Literal["code", "name_and_partners"]


# --- what a worker takes from one file ---------------------------------------------------

@quick_init
@dataclass(frozen=True, slots=True)
class Fact:
    """One fact as a file states it: display texts (one, or a list's items) and position."""

    key: str
    value: tuple[str, ...]
    line: int
    column: int


@quick_init
@dataclass(frozen=True, slots=True)
class ArrangementFacts:
    """One arrangement of one file, reduced to what matching and comparing need."""

    id: str
    name: str
    code: str | None
    line: int
    column: int
    # (name, ODS code or None) of each partner the file names.
    partners: tuple[tuple[str, str | None], ...] = ()
    facts: tuple[Fact, ...] = ()


def _amount(value: float) -> str:
    return f"{value:,.2f}".removesuffix(".00")


def arrangement_facts(trust: TrustDescription, source: SourceMap
                      ) -> tuple[ArrangementFacts, ...]:
    """Each arrangement's facts, as stated, with positions; what the file leaves out is left
    out here too."""
    return _built(_plain_facts(trust, source))


def packed_facts(trust: TrustDescription, source: SourceMap) -> bytes:
    """`pack_facts(arrangement_facts(trust, source))`, without making the objects: what a
    batch worker puts on each row."""
    plain = _plain_facts(trust, source)
    return marshal.dumps(plain, _MARSHAL_VERSION) if plain else b""


# One arrangement's facts as plain values, in the order of ArrangementFacts' fields, each
# fact as (its place in FACTS, texts, line, column): what crosses between processes and is
# spilled, and what the objects are made from.
_PlainFact = tuple[int, tuple[str, ...], int, int]
_PlainArrangement = tuple[str, str, str | None, int, int, tuple[tuple[str, str | None], ...],
                          tuple[_PlainFact, ...]]


def _plain_facts(trust: TrustDescription, source: SourceMap
                 ) -> tuple[_PlainArrangement, ...]:
    own = trust.organisation.name
    return tuple(_one(i, c, own, source) for i, c in enumerate(trust.collaboratives))


def _one(i: int, c: Collaborative, own: str, source: SourceMap) -> _PlainArrangement:
    at: tuple[str | int, ...] = ("collaboratives", i)
    facts: list[_PlainFact] = []
    locate = source.locate

    def add(key: str, value: object, *path: str) -> None:
        if value is None or value == []:
            return  # not recorded: absent, never a value
        texts = tuple(_text(v) for v in value) if isinstance(value, list) else (_text(value),)
        facts.append((_FACT_NUMBER[key], texts, *locate((*at, *path))))

    add("name", c.name, "name")
    add("type", c.type, "type")
    add("governance_model", c.governance_model, "governance_model")
    add("status", c.status, "status")
    dm = c.decision_making
    add("legal_basis", dm and dm.legal_basis, "decision_making", "legal_basis")
    tor = c.terms_of_reference
    if tor is not None:
        add("tor_approved", tor.approved, "terms_of_reference", "approved")
        add("tor_approved_by", tor.approved_by, "terms_of_reference", "approved_by")
        add("tor_review_due", tor.review_due, "terms_of_reference", "review_due")
    ca = c.collaboration_agreement
    add("agreement_signed", ca and ca.signed, "collaboration_agreement", "signed")
    add("notice_months", c.exit and c.exit.notice_months, "exit", "notice_months")
    add("dispute_stages", c.dispute_resolution and c.dispute_resolution.stages,
        "dispute_resolution", "stages")
    res = c.resourcing
    # The host is named in `resourcing.host`; a trust that says it is the host names itself.
    if res is not None and res.host is not None:
        add("host", res.host, "resourcing", "host")
    elif c.trust_role == "host":
        add("host", own, "trust_role")
    if c.trust_role == "lead":
        add("lead", own, "trust_role")
    budget = res.budget if res is not None else None
    if budget is not None:
        add("budget_gbp", budget.amount_gbp, "resourcing", "budget", "amount_gbp")
        add("commissioning_gbp", budget.commissioning_gbp, "resourcing", "budget",
            "commissioning_gbp")
        add("budget_year", budget.year, "resourcing", "budget", "year")
    add("liability", c.liability and c.liability.position, "liability", "position")
    add("delegated_functions", [f.function for f in c.delegated_functions],
        "delegated_functions")
    add("financial_limit_gbp", c.delegation and c.delegation.financial_limit_gbp,
        "delegation", "financial_limit_gbp")
    line, column = locate(at)
    return (c.id, c.name, c.collaborative_code, line, column,
            tuple((p.name, p.ods_code) for p in c.partners), tuple(facts))


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _amount(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# Facts cross from worker to parent and go to the spill as marshalled tuples: a tenth of the
# CPU of compressed JSON to pack and two thirds to unpack (the collaborative view unpacks
# each row's about twice, at the end of the batch, while the workers stand idle). About
# 3.5 KB a row instead of 1 KB: the spill is a file on disk, so memory is not what it costs.
_MARSHAL_VERSION = 4
_FACT_KEYS = tuple(key for key, _, _ in FACTS)


def pack_facts(arrangements: tuple[ArrangementFacts, ...]) -> bytes:
    """The facts as a row carries them, each fact's key as its place in FACTS. A batch keeps
    a row per file, and as objects the facts were three times the rest of the row; packed
    they are bytes, unpacked at the end one collaborative's members at a time."""
    if not arrangements:
        return b""
    return marshal.dumps(tuple(
        (a.id, a.name, a.code, a.line, a.column, a.partners,
         tuple((_FACT_NUMBER[f.key], f.value, f.line, f.column) for f in a.facts))
        for a in arrangements), _MARSHAL_VERSION)


def unpack_facts(data: bytes) -> tuple[ArrangementFacts, ...]:
    return _built(_plain(data))


def _plain(data: bytes) -> tuple[_PlainArrangement, ...]:
    """The facts a row carries as plain values, in the order of ArrangementFacts' fields."""
    plain: tuple[_PlainArrangement, ...] = marshal.loads(data) if data else ()
    return plain


def _built(plain: tuple[_PlainArrangement, ...]) -> tuple[ArrangementFacts, ...]:
    keys = _FACT_KEYS
    return tuple(
        ArrangementFacts(a[0], a[1], a[2], a[3], a[4], a[5],
                         tuple(Fact(keys[f[0]], f[1], f[2], f[3]) for f in a[6]))
        for a in plain)


# --- the view a batch reports --------------------------------------------------------------

@quick_state
@dataclass(frozen=True, slots=True)
class Member:
    """An organisation in the collaborative: a submitter, or a partner a submitter names."""

    name: str
    ods_code: str | None
    # Whether the organisation's own file is in the batch, whether or not it describes the
    # collaborative.
    submitted: bool
    # The submissions naming it: as a partner, or as their own organisation.
    named_by: tuple[str, ...]
    # Whether its own file describes the collaborative. A member that submitted a file that
    # does not is a finding of its own: its board may not see an arrangement its partners
    # say it belongs to.
    describes: bool = False
    # Its own files in the batch: those describing the collaborative where it does (two
    # for a resubmission), else those it submitted.
    files: tuple[str, ...] = ()
    # A partner named without a code by a name submitting trusts with different ODS codes
    # share: those codes. Which one is meant cannot be told, so it is matched to none of
    # them (submitted and describes are False: not known).
    ambiguous: tuple[str, ...] = ()
    # Its own files in the batch that could not be evaluated (a validation or YAML error),
    # matched by the organisation and ODS code each states where that much could be read:
    # each file's first problem, as the batch's errors list it. Such a member submitted
    # (`submitted` is True), but what its file says of the collaborative is not known.
    failed: tuple[Problem, ...] = ()


@quick_state
@dataclass(frozen=True, slots=True)
class Submission:
    """One member's description of the collaborative, and that member's readiness."""

    file: str
    line: int
    column: int
    organisation: str
    ods_code: str | None
    arrangement: str  # its id in the file
    name: str
    matched_by: MatchedBy
    overall_score: float | None
    overall_rating: str | None
    overall_coverage: float | None
    categories: tuple[CategoryScore, ...]
    # False for a member's second (or later) file describing the collaborative: readiness
    # counts each member once, by its first file in the batch.
    counted: bool = True


@quick_state
@dataclass(frozen=True, slots=True)
class Statement:
    """What one file states for a fact, and where."""

    file: str
    line: int
    column: int
    organisation: str
    value: str
    # A host or lead: the ODS code the value names (see `_Directory`), None where no code
    # resolves; and, where the value is itself a code, the name the collaborative's files
    # give that organisation, for reports that speak words.
    ods_code: str | None = None
    known_as: str | None = None
    # A host or lead named without a code by a name two or more submitting trusts (or
    # organisations the collaborative's files list with codes) share: which one it is cannot
    # be told, so it is compared by name and said to be ambiguous; the codes it may be.
    ambiguous: tuple[str, ...] = ()
    # From a member's second (or later) file describing the collaborative (a resubmission
    # or a copy): the same member speaking again, not another member.
    repeat: bool = False


@quick_state
@dataclass(frozen=True, slots=True)
class Disagreement:
    """Members stating different values for a fact that should be one fact."""

    fact: str
    title: str
    statements: tuple[Statement, ...]
    # A host or lead that differs only by name: fewer than two different ODS codes resolve
    # among the statements, so the names differ but may be one organisation written two
    # ways. False where two statements resolve to different codes (certain), and for every
    # other fact.
    names_only: bool = False


@quick_state
@dataclass(frozen=True, slots=True)
class Unresolved:
    """A host or lead the members do not disagree on, stated by at least one of them by a
    name organisations with different ODS codes share, without a code: which organisation is
    meant cannot be told, however many members write the same name. (Where members do
    disagree, the disagreement lists the statement, its `ambiguous` naming the codes.)"""

    fact: str
    title: str
    # Every statement of the fact, in input order: the ambiguous ones and any that resolve.
    statements: tuple[Statement, ...]


@quick_state
@dataclass(frozen=True, slots=True)
class PartlyRecorded:
    """A fact some members record and others leave out: not a disagreement."""

    fact: str
    title: str
    recorded_by: tuple[str, ...]
    not_recorded_by: tuple[str, ...]


@quick_state
@dataclass(frozen=True, slots=True)
class CollaborativeView:
    """One collaborative across the members that describe it."""

    code: str | None
    name: str
    # True when any submission was matched on name and partners rather than the code.
    probable: bool
    members: tuple[Member, ...]
    submissions: tuple[Submission, ...]
    disagreements: tuple[Disagreement, ...]
    partly_recorded: tuple[PartlyRecorded, ...]
    overall: Distribution
    categories: dict[str, Distribution] = field(default_factory=dict)
    # A host or lead whose name cannot be resolved to one organisation, where the members'
    # statements do not disagree: reported all the same.
    unresolved: tuple[Unresolved, ...] = ()
    # Files in the batch that could not be evaluated and whose organisation could not be
    # read (a YAML syntax error, say): a member "not submitted" may be among them, so
    # reports say it is not submitted as far as the batch can tell.
    unidentified: int = 0

    @property
    def submitted(self) -> int:
        """Members whose own file describes the collaborative."""
        return sum(m.describes for m in self.members)

    @property
    def not_describing(self) -> tuple[Member, ...]:
        """Members that submitted a file that was checked and does not describe the
        collaborative."""
        return tuple(m for m in self.members if m.files and not m.describes)

    @property
    def unchecked(self) -> tuple[Member, ...]:
        """Members whose only files in the batch could not be evaluated: they submitted,
        but whether their files describe the collaborative is not known."""
        return tuple(m for m in self.members if m.failed and not m.files)

    @property
    def probable_submissions(self) -> tuple[Submission, ...]:
        """The submissions matched on name and partners rather than the shared code."""
        return tuple(s for s in self.submissions if s.matched_by != "code")

    @property
    def ambiguous(self) -> bool:
        """Whether a host or lead is named by a name that cannot be resolved to one
        organisation: in a disagreement or where the members do not disagree."""
        return bool(self.unresolved) or any(
            s.ambiguous for d in self.disagreements for s in d.statements)

    @property
    def repeated(self) -> tuple[Member, ...]:
        """Members with more than one file describing the collaborative."""
        return tuple(m for m in self.members if len(m.files) > 1 and m.describes)


# --- matching and comparing ----------------------------------------------------------------

_NOT_WORD = re.compile(r"[^0-9a-z]+")


# Texts already compared: the same organisation and fact names recur across thousands of
# submissions, and the end of a batch compared each anew (a tenth of its time). Bounded, and
# small: most arrangement names are one file's own, and 65,536 of them with the texts they
# kept alive were ~20 MB at the end of a 40,000-file batch (issue 14); the names that recur
# (partners, shared collaboratives) are few, and soon cached again after a clear.
_NORMALISED: dict[str, str] = {}
_NORMALISED_MOST = 4096


def normalised(text: str) -> str:
    """Text as compared: case, spacing, punctuation and '&' for 'and' ignored."""
    done = _NORMALISED.get(text)
    if done is None:
        if len(_NORMALISED) >= _NORMALISED_MOST:
            _NORMALISED.clear()
        done = _NORMALISED[text] = " ".join(
            _NOT_WORD.sub(" ", text.casefold().replace("&", " and ")).split())
    return done


# Abbreviations an organisation's name is written with, as the words they stand for.
_ORGANISATION_WORDS = {"ft": "foundation trust"}


_ORGANISATIONS: dict[str, str] = {}  # as _NORMALISED: names recur in every member's file


def _organisation(text: str) -> str:
    """An organisation's name as compared: `normalised`, a leading "the" dropped and "FT"
    for "foundation trust" ("Northshire Hospitals NHS FT" is the foundation trust)."""
    done = _ORGANISATIONS.get(text)
    if done is None:
        if len(_ORGANISATIONS) >= _NORMALISED_MOST:
            _ORGANISATIONS.clear()
        words = normalised(text).split()
        done = _ORGANISATIONS[text] = " ".join(
            _ORGANISATION_WORDS.get(w, w) for w in (words[1:] if words[:1] == ["the"] else words))
    return done


def _org_keys(name: str | None, ods: str | None) -> set[str]:
    keys = set()
    if ods and ods.strip():
        keys.add("ods:" + ods.strip().upper())
    if name and _organisation(name):
        keys.add("name:" + _organisation(name))
    return keys


@dataclass(slots=True)
class _Sub:
    row: Row
    facts: ArrangementFacts
    order: int  # its place in the batch: see _place
    matched_by: MatchedBy = "code"


def _organisations(row: Row, facts: ArrangementFacts) -> set[str]:
    """The organisations a submission involves: the submitting trust and its partners."""
    keys = _org_keys(row.organisation, row.ods_code)
    for name, ods in facts.partners:
        keys |= _org_keys(name, ods)
    return keys


# An arrangement's place in the batch, as one int: the row's position in input order and the
# arrangement's in the file (a file holds at most Limits.max_items arrangements).
_PER_ROW = 1 << 20


def _place(row_at: int, arrangement_at: int) -> int:
    return row_at * _PER_ROW + arrangement_at


def collaboratives(rows: Iterable[Row], category_ids: Sequence[str] = (),
                   failed: Iterable[Row] = ()) -> tuple[CollaborativeView, ...]:
    """Every collaborative found in the rows, in `report_order`: those with a shared code
    (even with one member submitting, so the others show as not submitted), and those matched
    on name and partners alone when two or more submissions describe them. `failed`: the
    batch's files that could not be evaluated (error rows), so a member whose file failed
    is said to have submitted one that could not be checked."""
    ordered = sorted(rows, key=lambda r: r.index)
    submitters = _Submitters(ordered, failed)
    return tuple(sorted((_view(code, subs, category_ids, submitters)
                         for code, subs in _groups(ordered, submitters)), key=report_order))


def spilled_collaboratives(ordered: Sequence[Row], category_ids: Sequence[str],
                           spill: Spill, failed: Iterable[Row] = ()
                           ) -> Sequence[CollaborativeView]:
    """`collaboratives` for a batch whose rows are spilled (`ordered` by input index): each
    view is built, spilled and let go, keeping only what orders it, so a batch of 40,000
    files never holds every member's submission at once."""
    at: array[int] = array("q")
    length: array[int] = array("q")
    submitters = _Submitters(ordered, failed)
    for code, subs in _groups(ordered, submitters):
        where, size = spill.put(_view(code, subs, category_ids, submitters))
        at.append(where)
        length.append(size)
    if not at:
        return ()
    # Sorted a run of keys at a time, each view read back for its key (summary's
    # sorted_positions): a key per collaborative held at once grew with the batch.
    found: Spilled[CollaborativeView] = Spilled(spill, at, length)
    return Spilled(spill, at, length,
                   sorted_positions(found, report_order, found.__getitem__))


def _groups(ordered: Sequence[Row], submitters: _Submitters
            ) -> Iterator[tuple[str | None, list[_Sub]]]:
    """Each collaborative's code (None for a probable match) and its submissions; on the
    way, `submitters` learns who submitted a file.

    Memory stays flat in the number of files: the first pass keeps, for each arrangement,
    only where it is and a hash of its name, 16 bytes in arrays, and for each shared code
    its places. A dict entry per arrangement name (and the names, kept alive as keys of
    the text caches) was ~2 KB a file at the end of a batch (issue 14). The facts are
    unpacked again one name, then one collaborative, at a time."""
    coded: dict[str, array[int]] = {}
    # The hashes of the names coded arrangements go by, and the codes going by each:
    # a loose arrangement may join a coded collaborative of the same name.
    coded_names: dict[int, str | list[str]] = {}
    # Arrangements without a code: the hash of the name and the place, side by side.
    loose_names: array[int] = array("q")
    loose_places: array[int] = array("q")
    for r, row in enumerate(ordered):
        submitters.add(row)
        # Only each arrangement's name and code are wanted here: read from the plain
        # values, not made into objects (which was two fifths of the collaborative view).
        for a, plain in enumerate(_plain(row.arrangement_facts)):
            key = hash(normalised(plain[1]))
            code = plain[2]
            if code is None:
                loose_names.append(key)
                loose_places.append(_place(r, a))
                continue
            places = coded.get(code)
            if places is None:
                places = coded[code] = array("q")
            places.append(_place(r, a))
            codes = coded_names.get(key)
            if codes is None:
                coded_names[key] = code
            elif isinstance(codes, str):
                if codes != code:
                    coded_names[key] = [codes, code]
            elif code not in codes:
                codes.append(code)
    submitters.close()
    # A name shared by two loose arrangements, or by a loose and a coded one: the only
    # names a match can be made on. Each name's places, in the order the names first occur.
    wanted = repeated(loose_names) | {k for k in loose_names if k in coded_names}
    by_name: dict[int, array[int]] = {}
    for key, place in zip(loose_names, loose_places, strict=True):
        if key in wanted:
            found = by_name.get(key)
            if found is None:
                found = by_name[key] = array("q")
            found.append(place)
    del loose_names, loose_places, wanted
    # What each coded collaborative a loose cluster could join names itself and involves,
    # worked out only for the codes asked about.
    known: dict[str, tuple[set[str], set[str]]] = {}

    def described(code: str) -> tuple[set[str], set[str]]:
        if code not in known:
            subs = _subs(ordered, coded[code])
            known[code] = ({normalised(s.facts.name) for s in subs},
                           set().union(*(_organisations(s.row, s.facts) for s in subs)))
        return known[code]

    attached: dict[str, list[int]] = {}
    alone: list[list[int]] = []
    for key, places in by_name.items():
        candidates = coded_names.get(key, ())
        for cluster in _clusters(_subs(ordered, places)):
            orgs = set().union(*(_organisations(s.row, s.facts) for s in cluster))
            name = normalised(cluster[0].facts.name)
            # Joins the coded collaborative of the same name that shares an organisation
            # with it, when there is exactly one; otherwise it stands alone, if more than
            # one submission describes it.
            codes = [c for c in ((candidates,) if isinstance(candidates, str) else candidates)
                     if name in described(c)[0] and orgs & described(c)[1]]
            if len(codes) == 1:
                attached.setdefault(codes[0], []).extend(s.order for s in cluster)
            elif len(cluster) > 1:
                alone.append([s.order for s in cluster])
    del by_name
    known.clear()
    groups: list[tuple[str | None, Sequence[int], Sequence[int]]] = [
        (code, coded[code], attached.get(code, [])) for code in sorted(coded)]
    groups += [(None, [], places) for places in alone]
    for code, by_code, probable in groups:
        yield code, _subs(ordered, by_code) + _subs(ordered, probable, "name_and_partners")



def report_order(view: CollaborativeView) -> tuple[int, int, str, str, str]:
    """Where a collaborative stands in every report (terminal, markdown, HTML, JSON): those
    whose members disagree first, most disagreements first, as they need the members to
    act; then probable matches, whose members should quote a shared code, and those naming
    a host or lead ambiguously, whose members should give its ODS code; then those whose
    members agree. Within each, by name, then code, then first file: a total order, so the
    output is the same whatever the order the files arrive in."""
    need = 0 if view.disagreements else 1 if view.probable or view.unresolved else 2
    return (need, -len(view.disagreements), normalised(view.name), view.code or "",
            view.submissions[0].file)


def _subs(ordered: Sequence[Row], places: Iterable[int], matched_by: MatchedBy = "code"
          ) -> list[_Sub]:
    """The submissions at these places, unpacking each row once."""
    found: list[_Sub] = []
    unpacked: dict[int, tuple[Row, tuple[_PlainArrangement, ...]]] = {}
    for place in places:
        r, a = divmod(place, _PER_ROW)
        if r not in unpacked:
            row = ordered[r]  # from a spill, a new object each time: read once
            unpacked[r] = (row, _plain(row.arrangement_facts))
        row, plain = unpacked[r]
        # Only this arrangement made into objects: the row's others are other
        # collaboratives'.
        found.append(_Sub(row, _built((plain[a],))[0], place, matched_by))
    return found


# A file that could not be evaluated: its input index, the ODS code it states, its first
# problem.
_FailedFile = tuple[int, "str | None", "Problem"]


class _Submitters:
    """Who submitted a file to the batch, by ODS code and by name, each as a hash with the
    row's place (16 bytes a row, and two sorted arrays of places): what tells a member whose
    file does not describe a collaborative from one that did not submit, and which names two
    submitting trusts with different codes share. Filled in `_groups`' first pass."""

    def __init__(self, ordered: Sequence[Row], failed: Iterable[Row] = ()) -> None:
        self.ordered = ordered
        # The files that could not be evaluated (kept in memory by the batch already), each
        # as its first problem, by the ODS code and by the name it states; and how many
        # state neither, as far as they could be read.
        self.failed_by_ods: dict[str, list[_FailedFile]] = {}
        self.failed_by_name: dict[str, list[_FailedFile]] = {}
        self.unidentified = 0
        for row in failed:
            if not row.problems:
                continue
            code = _ods(row.failed_ods_code)
            name = _organisation(row.failed_organisation or "")
            entry = (row.index, code, row.problems[0])
            if code:
                self.failed_by_ods.setdefault(code, []).append(entry)
            if name:
                self.failed_by_name.setdefault(name, []).append(entry)
            if not code and not name:
                self.unidentified += 1
        self.ods: array[int] = array("q")
        self.names: array[int] = array("q")
        self.by_ods: array[int] = array("q")
        self.by_name: array[int] = array("q")
        self.shared: set[int] = set()  # hashes of names submitting trusts share

    def add(self, row: Row) -> None:
        self.ods.append(hash(_ods(row.ods_code) or ""))
        self.names.append(hash(_organisation(row.organisation or "")))

    def close(self) -> None:
        count = len(self.ods)
        self.by_ods = array("q", sorted(range(count), key=self.ods.__getitem__))
        self.by_name = array("q", sorted(range(count), key=self.names.__getitem__))
        none = hash("")
        start = 0
        while start < count:
            name = self.names[self.by_name[start]]
            end = start
            codes = set()
            while end < count and self.names[self.by_name[end]] == name:
                if (code := self.ods[self.by_name[end]]) != none:
                    codes.add(code)
                end += 1
            if len(codes) > 1 and name != none:
                self.shared.add(name)
            start = end

    def _at(self, places: array[int], hashes: array[int], key: int) -> Iterator[int]:
        i = bisect.bisect_left(places, key, key=hashes.__getitem__)
        while i < len(places) and hashes[places[i]] == key:
            yield places[i]
            i += 1

    def rows(self, name: str | None, ods: str | None) -> list[Row]:
        """The submitting trusts' rows with this ODS code, or with no code given, this
        name; in input order."""
        code = _ods(ods)
        if code:
            found = [self.ordered[p] for p in sorted(self._at(self.by_ods, self.ods,
                                                              hash(code)))]
            return [r for r in found if _ods(r.ods_code) == code]
        wanted = _organisation(name or "")
        if not wanted:
            return []
        found = [self.ordered[p] for p in sorted(self._at(self.by_name, self.names,
                                                          hash(wanted)))]
        return [r for r in found if _organisation(r.organisation or "") == wanted]

    def failed(self, name: str | None, ods: str | None) -> tuple[Problem, ...]:
        """The files that could not be evaluated stating this ODS code, and those stating
        this name and no code; with no code given, those stating the name and no code. In
        input order."""
        code = _ods(ods)
        named = self.failed_by_name.get(_organisation(name or ""), [])
        found = ([*self.failed_by_ods.get(code, ()), *(f for f in named if f[1] is None)]
                 if code else named)
        return tuple(problem for _, _, problem in sorted(found, key=lambda f: f[0]))

    def codes(self, name: str) -> set[str]:
        """The codes of the submitting trusts of this name, where two or more differ."""
        wanted = _organisation(name)
        key = hash(wanted)
        if key not in self.shared:
            return set()
        return {c for p in self._at(self.by_name, self.names, key)
                if (c := _ods(self.ordered[p].ods_code))
                and _organisation(self.ordered[p].organisation or "") == wanted}


def _clusters(loose: list[_Sub]) -> list[list[_Sub]]:
    """Submissions without a code, joined when their names match and their organisations
    (the submitting trust and the partners it names) overlap; in input order."""
    parent = list(range(len(loose)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, sub in enumerate(loose):
        name = normalised(sub.facts.name)
        for key in sorted(_organisations(sub.row, sub.facts)):
            j = first.setdefault((name, key), i)
            if j != i:
                parent[find(i)] = find(j)
    clusters: dict[int, list[_Sub]] = {}
    for i, sub in enumerate(loose):
        clusters.setdefault(find(i), []).append(sub)
    for cluster in clusters.values():
        for sub in cluster:
            sub.matched_by = "name_and_partners"
    return sorted(clusters.values(), key=lambda c: c[0].order)


def _member_key(row: Row) -> str:
    """The member a submission is from: its ODS code, else its name."""
    code = _ods(row.ods_code)
    return f"ods:{code}" if code else f"name:{_organisation(row.organisation or row.file)}"


def _view(code: str | None, subs: list[_Sub], category_ids: Sequence[str],
          submitters: _Submitters) -> CollaborativeView:
    subs = sorted(subs, key=lambda s: s.order)
    names = Counter(s.facts.name for s in subs)
    name = max(names, key=lambda n: (names[n], -next(i for i, s in enumerate(subs)
                                                     if s.facts.name == n)))
    # Each member once, by its first file in the batch: a resubmission is the same member
    # again, not another reading of readiness. A spilled row is read afresh for each
    # lookup, so the rows are kept.
    first: dict[str, Row] = {}
    for s in subs:
        first.setdefault(_member_key(s.row), s.row)
    rows = list(first.values())
    disagreements, unresolved = _compare(subs, submitters)
    return CollaborativeView(
        code=code, name=name, probable=any(s.matched_by != "code" for s in subs),
        members=_members(subs, submitters),
        submissions=tuple(Submission(
            s.row.file, s.facts.line, s.facts.column, s.row.organisation or s.row.file,
            s.row.ods_code, s.facts.id, s.facts.name, s.matched_by, s.row.overall_score,
            s.row.overall_rating, s.row.overall_coverage, s.row.categories,
            first[_member_key(s.row)].file == s.row.file) for s in subs),
        disagreements=disagreements, partly_recorded=_partly_recorded(subs),
        overall=_readiness(rows, lambda r: (r.overall_score, r.overall_rating)),
        categories={cid: _readiness(rows, _category(cid)) for cid in category_ids},
        unresolved=unresolved, unidentified=submitters.unidentified)


def _category(cid: str) -> Callable[[Row], tuple[float | None, str | None]]:
    def get(row: Row) -> tuple[float | None, str | None]:
        found = next((c for c in row.categories if c.id == cid), None)
        return (None, None) if found is None else (found.score, found.rating)
    return get


def _readiness(rows: list[Row], get: Callable[[Row], tuple[float | None, str | None]]
               ) -> Distribution:
    # As the batch summary counts: a score resting on too little evidence is counted among
    # the ratings but kept out of the quartiles.
    pairs = [get(r) for r in rows]
    return distribution([s for s, r in pairs if s is not None and r != "insufficient_evidence"],
                        [r or "inconclusive" for _, r in pairs])


@dataclass(slots=True)
class _Found:
    name: str
    ods: str | None
    submitted: bool = False
    named_by: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    ambiguous: tuple[str, ...] = ()


def _members(subs: list[_Sub], submitters: _Submitters) -> tuple[Member, ...]:
    found: list[_Found] = []
    by_ods: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}

    unsure: dict[str, _Found] = {}

    def add(name: str, ods: str | None, file: str, submitted: bool) -> None:
        code = ods.strip().upper() if ods and ods.strip() else None
        if not submitted and code is None and len(shared := submitters.codes(name)) > 1:
            # A partner named without a code by a name submitting trusts with different
            # codes share: which one is meant cannot be told, so it joins neither.
            member = unsure.setdefault(_organisation(name), _Found(
                name, None, ambiguous=tuple(sorted(shared))))
            if file not in member.named_by:
                member.named_by.append(file)
            return
        index = by_ods.get(code) if code else None
        if index is None:
            # Same name: the same organisation, unless both give ODS codes that differ.
            index = next((i for i in by_name.get(_organisation(name), ())
                          if not (code and found[i].ods and found[i].ods != code)), None)
        if index is None:
            index = len(found)
            found.append(_Found(name, code))
            by_name.setdefault(_organisation(name), []).append(index)
        member = found[index]
        if code:
            member.ods = member.ods or code
            by_ods.setdefault(code, index)
        if submitted and not member.submitted:
            member.submitted, member.name = True, name  # the trust's own spelling
        if submitted and file not in member.files:
            member.files.append(file)
        if file not in member.named_by:
            member.named_by.append(file)

    for sub in subs:
        add(sub.row.organisation or sub.row.file, sub.row.ods_code, sub.row.file, True)
    for sub in subs:
        for name, ods in sub.facts.partners:
            add(name, ods, sub.row.file, False)
    members = []
    for m in found:
        # Not among the files describing it: did it submit one that does not?
        files = (tuple(m.files) if m.submitted
                 else tuple(r.file for r in submitters.rows(m.name, m.ods)))
        # A member whose file is not checked is known to have submitted only when a failed
        # file states its code or name: then it submitted, and what it says is not known.
        failed = () if m.submitted else submitters.failed(m.name, m.ods)
        members.append(Member(m.name, m.ods, m.submitted or bool(files) or bool(failed),
                               tuple(m.named_by), m.submitted, files, failed=failed))
    members += [Member(m.name, None, False, tuple(m.named_by), ambiguous=m.ambiguous)
                for m in unsure.values()]
    # Those describing it, then those whose file does not, then those whose file could not
    # be checked, then those that did not submit.
    return tuple(sorted(members, key=lambda m: (not m.describes, not m.files,
                                                not m.submitted, _organisation(m.name),
                                                m.ods_code or "")))


# A host or lead written as an ODS code rather than a name: the code part of a
# collaborative code (model.COLLABORATIVE_CODE_PATTERN), alone, in capitals.
_ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")


def _ods(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


@dataclass(slots=True)
class _Directory:
    """The organisations a collaborative's files name with an ODS code: each submitting trust
    (its own name and code) and each partner a file lists with a code. A host or lead is
    compared by the code its text resolves to: the file's own naming first (the trust
    itself, then its partners), then the other members' (a name only when all that give it
    give one code). The collaborative code's prefix is never used: it is "the host or lead"
    organisation's code, so it cannot say which."""

    by_name: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # code -> first name given for it

    def add(self, name: str | None, code: str | None) -> None:
        code = _ods(code)
        if code is None or not name:
            return
        self.by_name.setdefault(_organisation(name), set()).add(code)
        self.names.setdefault(code, name)

    def resolve(self, sub: _Sub, text: str, submitters: _Submitters
                ) -> tuple[str | None, tuple[str, ...]]:
        """The code the text names, or None; and, where a name is shared by organisations
        with different codes (two submitting trusts, or two a file lists), those codes:
        which one is meant cannot be told, so it is never resolved to one of them."""
        if _ODS_CODE.fullmatch(text.strip()):
            return text.strip(), ()
        name = _organisation(text)
        own = _ods(sub.row.ods_code)
        listed = {c for partner, ods in sub.facts.partners
                  if (c := _ods(ods)) and _organisation(partner) == name}
        if own and sub.row.organisation and _organisation(sub.row.organisation) == name:
            # The trust's own name means the trust itself, whatever other trusts are called,
            # unless this very file lists a partner of that name with another code: then
            # which of the two it means cannot be told.
            named = listed | {own}
            return (own, ()) if len(named) == 1 else (None, tuple(sorted(named)))
        if len(listed) == 1:
            return next(iter(listed)), ()
        codes = listed or self.by_name.get(name, set()) | submitters.codes(text)
        if len(codes) == 1:
            return next(iter(codes)), ()
        return None, tuple(sorted(codes)) if len(codes) > 1 else ()


def _directory(subs: list[_Sub]) -> _Directory:
    found = _Directory()
    for sub in subs:
        found.add(sub.row.organisation, sub.row.ods_code)
    for sub in subs:
        for name, ods in sub.facts.partners:
            found.add(name, ods)
    return found


def _compared(key: str, value: tuple[str, ...]) -> object:
    how = _COMPARISON[key]
    if how == "exact":
        return value
    if how == "organisation":
        return tuple(_organisation(v) for v in value)
    texts = tuple(normalised(v) for v in value)
    return frozenset(texts) if how == "set" else texts


def _compare(subs: list[_Sub], submitters: _Submitters
             ) -> tuple[tuple[Disagreement, ...], tuple[Unresolved, ...]]:
    """The facts the members state differently; and each host or lead they do not disagree
    on whose name cannot be resolved to one organisation."""
    found = []
    unresolved = []
    directory: _Directory | None = None
    # A member's first file; a statement from a later one is the member again (`repeat`).
    first: dict[str, str] = {}
    for s in subs:
        first.setdefault(_member_key(s.row), s.row.file)

    def repeat(s: _Sub) -> bool:
        return first[_member_key(s.row)] != s.row.file

    # Each fact's statements, in the order of the submissions, then of their facts.
    by_key: dict[str, list[tuple[_Sub, Fact]]] = {}
    for s in subs:
        for f in s.facts.facts:
            by_key.setdefault(f.key, []).append((s, f))
    for key, title, how in FACTS:
        stated = by_key.get(key)
        if not stated:
            continue
        if how != "organisation":
            if len({_compared(key, f.value) for _, f in stated}) > 1:
                found.append(Disagreement(key, title, tuple(
                    Statement(s.row.file, f.line, f.column, s.row.organisation or s.row.file,
                              # A list's items, each holding "; " quoted: one item.
                              joined(f.value, "; "), repeat=repeat(s)) for s, f in stated)))
            continue
        # A host or lead: one organisation, by its ODS code wherever one resolves, by name
        # where none does. A code and a name that resolves to no code never match: the name
        # may be that organisation written another way, so such a disagreement is by name.
        directory = directory or _directory(subs)
        resolved = [directory.resolve(s, "; ".join(f.value), submitters) for s, f in stated]
        codes = [c for c, _ in resolved]
        known = set(codes) - {None}
        # A name that may be any of several organisations (ambiguous) is not a disagreement
        # with a code it may be: which is meant cannot be told, and it is said so instead.
        compared = {("ods", c) if c else ("name", _compared(key, f.value))
                    for (c, could_be), (_, f) in zip(resolved, stated, strict=True)
                    if c or not (known and known <= set(could_be))}
        if len(compared) < 2 and not any(could_be for _, could_be in resolved):
            continue
        statements = tuple(
            Statement(s.row.file, f.line, f.column, s.row.organisation or s.row.file,
                      text := "; ".join(f.value), c,
                      directory.names.get(c) if c == text.strip() else None,
                      could_be, repeat(s))
            for (c, could_be), (s, f) in zip(resolved, stated, strict=True))
        if len(compared) > 1:
            found.append(Disagreement(key, title, statements, len(known) < 2))
        else:
            # The members agree, or state nothing that contradicts the name: the name still
            # cannot say which organisation it is, and the members need to be told.
            unresolved.append(Unresolved(key, title, statements))
    return tuple(found), tuple(unresolved)


def _partly_recorded(subs: list[_Sub]) -> tuple[PartlyRecorded, ...]:
    if len(subs) < 2:
        return ()
    found = []
    keys = [{f.key for f in s.facts.facts} for s in subs]
    for key, title, _ in FACTS:
        recorded = [s.row.file for s, stated in zip(subs, keys, strict=True) if key in stated]
        if recorded and len(recorded) < len(subs):
            found.append(PartlyRecorded(key, title, tuple(recorded), tuple(
                s.row.file for s in subs if s.row.file not in recorded)))
    return tuple(found)
