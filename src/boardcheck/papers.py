"""Per-member feedback (`check --papers DIR`): each member's board paper, in the same run.

The worker that checked a file renders its paper through the format registry (it holds the
full result) and sends it compressed beside the compact row; `PaperWriter` writes it as the
row arrives, in input order, and drops it from the row, so memory stays flat. A paper is
named by the trust's ODS code, else by a safe form of the file's name; a second paper with a
name already used, an existing file (without --force) or an input file is never written
over: each is a located message and the run exits 2, the other papers still written.

Where members of one collaborative describe it differently, each of their papers says so:
the differences are known only once every file is in, so those members' files are checked
again after the batch (`partner_differences` says which) and their papers written again with
a section listing each fact, what this trust's file states and what the others state.
"""

from __future__ import annotations

import csv
import errno
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from boardcheck.errors import shown
from boardcheck.formats.base import (
    OutputFormat,
    PaperSettings,
    PartnerDifference,
    RenderOptions,
    ReportKind,
    info,
    renderer,
)
from boardcheck.formats.stream import pack_bytes, unpack_bytes

if TYPE_CHECKING:
    import datetime as dt

    from boardcheck.collaboratives import CollaborativeView, Disagreement, Statement
    from boardcheck.result import Result
    from boardcheck.summary import Row

# The paper a batch writes unless the batch's own format is a paper of its own (Word).
DEFAULT_PAPER = OutputFormat.HTML
ODS_CODE = re.compile(r"[A-Za-z0-9]{3,10}")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows reserves whatever the extension: a paper named CON.html cannot be opened there.
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}


def paper_format(batch_format: OutputFormat) -> OutputFormat:
    """The papers' format: the batch's own when it is a binary one-trust document (Word,
    as `-f docx` asks), else the HTML paper."""
    if info(batch_format).binary and ReportKind.CHECK in info(batch_format).renderers:
        return batch_format
    return DEFAULT_PAPER


def suffix(fmt: OutputFormat) -> str:
    return f".{fmt.value}"


def render_paper(result: Result, fmt: OutputFormat, *, meeting: dt.date | None,
                 thresholds: tuple[str, ...], failing: frozenset[str],
                 paper: PaperSettings | None = None) -> bytes:
    """One member's paper, as `check FILE -f FMT -o PAPER` would write it, compressed."""
    options = RenderOptions(meeting=meeting, thresholds_failed=thresholds,
                            failing_criteria=failing, paper=paper)
    found = renderer(fmt, ReportKind.CHECK)
    if info(fmt).binary:
        data: bytes = found.render_bytes(result, options)  # type: ignore[attr-defined]
    else:
        data = found.render(result, options).encode("utf-8")
    return pack_bytes(data)


# A member's file that leaves out an arrangement other members say it belongs to.
MEMBERSHIP = "membership"
NOT_DESCRIBED = "not described in this trust's file"
# A host or lead named, without an ODS code, by a name more than one trust goes by.
AMBIGUOUS_NAME = ("more than one trust in the review goes by this name, and no ODS code "
                  "says which")
MEMBER_NAMED = "lists this trust as a partner"


def partner_differences(views: Iterable[CollaborativeView]
                        ) -> dict[str, tuple[PartnerDifference, ...]]:
    """For each file that states a fact other members state differently, those facts: what
    the file states and what each other member states. Files that leave a fact out are not
    in its difference ("not recorded" is never a value)."""
    found: dict[str, list[PartnerDifference]] = {}
    for view in views:
        # A member whose file leaves out an arrangement its partners say it belongs to: its
        # board may not see it. Said in its paper, with the partners that name it.
        naming = {s.file: s.organisation for s in view.submissions}
        for member in view.not_describing:
            # Each partner once, however many files it submitted.
            theirs = tuple((who, MEMBER_NAMED) for who in dict.fromkeys(
                naming[f] for f in member.named_by if f in naming))
            for file in member.files:
                found.setdefault(file, []).append(PartnerDifference(
                    view.name, view.code is None, MEMBERSHIP, "membership", NOT_DESCRIBED,
                    theirs))
        if not view.disagreements:
            continue
        names: dict[str, str] = {}
        codes: dict[str, str | None] = {}
        # Whether this file was matched only on name and partners: in a collaborative whose
        # other members quote its code, a file that quotes none is the probable one, not
        # every member's.
        probable: dict[str, bool] = {}
        for submission in view.submissions:
            names.setdefault(submission.file, submission.name)
            codes.setdefault(submission.file, submission.ods_code)
            probable.setdefault(submission.file, submission.matched_by != "code")
        for disagreement in view.disagreements:
            if disagreement.fact in NOT_FOR_THE_BOARD:
                continue
            statements = disagreement.statements
            stated = _stated(disagreement)
            for file in dict.fromkeys(s.file for s in statements):
                own = {s.organisation for s in statements if s.file == file}
                code = codes.get(file)
                mine = [s for s in statements if s.file == file]
                ours = "; ".join(stated(s) for s in mine)
                # Another file from the same organisation (a resubmission, a copy: the same
                # name, or the same ODS code under another name) is not a partner: the batch
                # reports it as a possible duplicate instead. Only the members stating
                # otherwise: a trust that agrees with all but one partner is asked to settle
                # the fact with that one, not shown every member saying what it says. A
                # member's second file stating the same is the same member again: once.
                theirs = tuple(dict.fromkeys(
                    (s.organisation, stated(s)) for s in statements
                    if s.file != file and s.organisation not in own
                    and not (code and codes.get(s.file) == code)
                    and not any(_same(disagreement.fact, s, m) for m in mine)))
                if not theirs:
                    continue
                # Members stating the same value together, in the order first stated: one
                # entry a value, not nine members each repeating it.
                alike: dict[str, list[str]] = {}
                for who, value in theirs:
                    alike.setdefault(value, []).append(who)
                theirs = tuple((", ".join(who), value) for value, who in alike.items())
                found.setdefault(file, []).append(PartnerDifference(
                    names.get(file, view.name), probable.get(file, view.code is None),
                    disagreement.title,
                    disagreement.fact, ours, theirs))
    return {file: tuple(differences) for file, differences in found.items()}


# Facts the collaborative view reports that a member's board need not settle: the name
# each member gives the collaborative (matched on its code, whatever name each gives it).
NOT_FOR_THE_BOARD = frozenset({"name"})


def _same(fact: str, a: Statement, b: Statement) -> bool:
    """Whether two statements of a fact say the same: by ODS code where both name an
    organisation by one; never where either name is ambiguous; else as the collaborative
    view compares text (case, spacing, punctuation and '&'/'and' aside), a set's items in
    any order."""
    from boardcheck.collaboratives import FACTS, normalised

    if a.ambiguous or b.ambiguous:
        return False
    if a.ods_code and b.ods_code:
        return a.ods_code == b.ods_code
    if any(key == fact and how == "set" for key, _, how in FACTS):
        # The items as `wording.joined` wrote them: "; " between, quoted where they hold it.
        def items(value: str) -> frozenset[str]:
            return frozenset(normalised(v) for row in csv.reader(
                [value], delimiter=";", skipinitialspace=True) for v in row)
        return items(a.value) == items(b.value)
    return normalised(a.value) == normalised(b.value)


def _stated(disagreement: Disagreement) -> Callable[[Statement], str]:
    """How a paper gives what a file states: a host or lead as written (a file that gives
    only an ODS code, with the name the other members' files give it beside it), with its
    ODS code only where two names read alike but are different organisations; any other
    fact as stated."""
    if disagreement.fact not in ("host", "lead"):
        return lambda statement: statement.value
    from boardcheck.formats.collaborative_text import codes_needed

    apart = codes_needed(disagreement)

    def words(statement: Statement) -> str:
        if statement.known_as and statement.known_as != statement.value:
            # The file gave only a code: quoted as written, the others' name beside it.
            return f"ODS code {statement.value} ({statement.known_as})"
        name = statement.value
        if statement.ods_code and name.strip().upper() == statement.ods_code:
            # Only a code, and no file names that organisation: a board reads it as a code.
            return f"ODS code {name.strip()}"
        if statement.ambiguous:
            # Two trusts in the review go by this name and the file gives no code: the
            # paper must not read as if it named one of them.
            return f"{name} ({AMBIGUOUS_NAME})"
        code = statement.ods_code
        return f"{name} (ODS code {code})" if apart and code and code != name.strip() else name
    return words


def paper_stem(row: Row) -> str:
    """The ODS code, upper case, when it looks like one; else the file's name made safe."""
    code = (row.ods_code or "").strip()
    if ODS_CODE.fullmatch(code):
        return code.upper()
    # The platform's own rule for where a name starts: a backslash separates folders on
    # Windows but is part of the name elsewhere (UNSAFE then makes it a hyphen).
    stem = UNSAFE.sub("-", PurePath(row.file).stem).strip("-.")
    stem = stem or f"submission-{row.index + 1}"
    return f"file-{stem}" if stem.upper() in RESERVED else stem


class PaperWriter:
    """Writes each row's paper into `directory` as the rows pass, then takes it off the row
    and records where it went (relative to `link_base`, the batch document's folder)."""

    def __init__(self, directory: Path, fmt: OutputFormat, *, force: bool,
                 inputs: Iterable[Path], output: Path | None, link_base: Path) -> None:
        self.directory = directory
        self.suffix = suffix(fmt)
        self.force = force
        from boardcheck.output import Inputs

        # Kept as given (a batch's are compact), asked of for each paper written.
        self.inputs = Inputs(inputs)
        self.output = None if output is None else output.resolve()
        self.link_base = link_base
        # Names already given, case-folded (case-insensitive file systems): name -> file.
        self.taken: dict[str, str] = {}
        self.problems: list[str] = []
        self.written = 0
        # Names given but not written (a clash, an existing file, the -o path): never
        # written again with partners' differences either.
        self.refused: set[str] = set()
        self.rewritten = 0

    def rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            yield self.write(row)

    def write(self, row: Row) -> Row:
        from boardcheck.output import OutputError, resolved, write_atomically

        if row.paper_document is None:
            return row
        document = unpack_bytes(row.paper_document)
        row = replace(row, paper_document=None)
        name = paper_stem(row) + self.suffix
        target = self.directory / name
        earlier = self.taken.get(name.casefold())
        if earlier is not None:
            self.problems.append(
                f"{shown(target)}: not written: the paper for {row.file} would have the same "
                f"name as the paper for {earlier}; give each trust its own ODS code")
            return row
        self.taken[name.casefold()] = row.file
        if self.output is not None and resolved(target) == self.output:
            self.problems.append(f"{shown(target)}: not written: it is the batch document's "
                                 f"own path (-o); the paper for {row.file} needs another "
                                 "--papers folder")
            self.refused.add(name.casefold())
            return row
        try:
            write_atomically(target, document, force=self.force, inputs=self.inputs)
        except OutputError as exc:
            self.problems.append(f"{exc} (the paper for {row.file})")
            self.refused.add(name.casefold())
            return row
        self.written += 1
        link = Path(os.path.relpath(target.resolve(), self.link_base.resolve())).as_posix()
        return replace(row, paper=link)


    def rewrite(self, row: Row) -> None:
        """Write again the paper this run wrote for `row.file` (same name), now showing its
        partners' differences. A paper this run did not write is left alone."""
        from boardcheck.output import OutputError, write_atomically

        if row.paper_document is None:
            return
        name = paper_stem(row) + self.suffix
        if self.taken.get(name.casefold()) != row.file or name.casefold() in self.refused:
            return
        try:  # the file is this run's own paper: replacing it clobbers nothing of the user's
            write_atomically(self.directory / name, unpack_bytes(row.paper_document),
                             force=True, inputs=self.inputs)
        except OutputError as exc:
            self.problems.append(f"{exc} (the paper for {row.file}, with its partners' "
                                 "differences)")
            return
        self.rewritten += 1


def check_folder(directory: Path) -> str | None:
    """Why `directory` cannot hold the papers, or None: asked before any file is checked,
    without making anything, so a run refused for another reason (-o) leaves no folder."""
    if directory.exists():
        return None if directory.is_dir() else f"--papers: {shown(directory)}: is not a folder"
    # The folder is made by the run: the nearest existing folder above must take it.
    above = next((p for p in directory.absolute().parents if p.exists()), Path("/"))
    if not above.is_dir():
        problem = errno.ENOTDIR
    elif not os.access(above, os.W_OK | os.X_OK):
        problem = errno.EACCES
    else:
        return None
    return f"--papers: {shown(directory)}: cannot create the folder: {os.strerror(problem)}"


def make_folder(directory: Path) -> None:
    """Make the papers' folder (and the folders above it), once every check has passed."""
    from boardcheck.output import OutputError

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--papers: {shown(directory)}: cannot create the folder: "
                          f"{exc.strerror or exc}") from None
