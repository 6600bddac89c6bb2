"""Check many submissions: parallel workers, one compact row per file, a sector summary.

Workers return small rows (scores, ratings, criterion statuses), never documents: a streamed
format's part for the file comes beside the row and is written out as it arrives,
so memory grows only by a compact row per file; rows come back in input order (`imap`), so
the output is the same whatever order the workers finish in. A file that cannot be evaluated
becomes an error row; the rest are still checked.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from boardcheck.echoes import bounded
from boardcheck.errors import BoardcheckError, Problem, shown
from boardcheck.formats.stream import Fragment, fragment_function, pack
from boardcheck.gates import Gates, failing_criteria, failures
from boardcheck.loading import DEFAULT_LIMITS, Limits
from boardcheck.model import Waiver
from boardcheck.questionnaire import Questionnaire
from boardcheck.result import Result
from boardcheck.summary import (
    Catalogue,
    CategoryScore,
    CategoryText,
    CriterionText,
    Row,
    Summariser,
    cell_status,
    encode_statuses,
)

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

    from boardcheck.formats.base import OutputFormat, PaperSettings, PartnerDifference
    from boardcheck.formats.stream import BatchWriter


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs to know; sent once to each worker process."""

    questionnaire: Questionnaire
    as_of: dt.date | None
    today: dt.date
    gates: Gates
    limits: Limits = DEFAULT_LIMITS
    keep_results: bool = False
    waivers: tuple[Waiver, ...] = ()
    # The module of a streamed batch format: each worker renders its files' fragments.
    stream: str | None = None
    # --papers: the format of each member's board paper, rendered here beside the row, and
    # the board meeting it goes to.
    papers: OutputFormat | None = None
    meeting: dt.date | None = None
    # The cover sheet, marking, template and logo every member's paper carries ([paper] and
    # the paper flags); earlier boards and the forward look are one trust's, so not here.
    paper: PaperSettings | None = None
    # After a batch, for the members whose partners describe a collaborative differently:
    # each file's differences, shown in its paper (papers.partner_differences).
    partners: Mapping[str, tuple[PartnerDifference, ...]] | None = None


def row_from_result(index: int, result: Result, gates: Gates, keep_result: bool, *,
                    arrangement_facts: bytes = b"",
                    fragment: Fragment | None = None) -> Row:
    """The compact row of a checked file, made once: with its packed facts, and its part of
    a streamed document if `fragment` renders one (given the criteria and thresholds the
    run's gates make fail)."""
    criteria = result.criteria
    # Each critical gap as the engine's caps judged it: a criterion partly met only for want
    # of information (some arrangements silent, none stated failing) is a silence, counted
    # with the not evidenced, not a stated failure.
    critical = [c.gap_state for c in criteria if c.severity == "critical"]
    thresholds = tuple(failures(result, gates))
    failing = failing_criteria(result, gates)
    # Only the governance models the file states: an arrangement's type is not its model,
    # and one that states none is grouped as not recorded, never as its type.
    models = sorted({a.governance_model for a in result.arrangements if a.governance_model})
    organisation = result.organisation
    overall = result.overall
    return Row(
        index=index, file=result.file, organisation=organisation.name,
        ods_code=organisation.ods_code, sectors=organisation.sectors,
        governance_models=tuple(models), region=organisation.region,
        icbs=organisation.icbs, legal_form=organisation.legal_form,
        # Empty where neither the file nor the run states one: the day of the run is no
        # date the file states.
        as_of=result.as_of.isoformat() if result.as_of_stated else None,
        arrangements=len(result.arrangements),
        critical_gaps=critical.count("failing") + critical.count("partial"),
        critical_not_evidenced=critical.count("silent") + critical.count("remit_unknown"),
        overall_score=overall.score,
        overall_rating=overall.rating,
        overall_coverage=overall.evidence_coverage,
        overall_explanation=overall.explanation,
        categories=tuple(CategoryScore(c.id, c.score, c.rating, c.evidence_coverage,
                                       c.explanation) for c in result.categories),
        status_codes=encode_statuses(cell_status(c.status, c.evidenced) for c in criteria),
        placeholders=len(result.placeholders),
        threshold_failures=thresholds,
        failing_criteria=failing,
        result=result if keep_result else None,
        arrangement_facts=arrangement_facts,
        fragment=None if fragment is None else pack(fragment(result, failing, thresholds)))


def check_file(index: int, path: Path, job: Job, questionnaire: Questionnaire) -> Row:
    """Load, validate and evaluate one file; any failure becomes an error row."""
    from boardcheck.engine import evaluate, resolve_as_of
    from boardcheck.loading import load
    from boardcheck.model import TrustDescription

    display = shown(path)
    try:
        trust, source = load(path, TrustDescription, display=display, limits=job.limits)
        result = evaluate(trust, source, questionnaire,
                          resolve_as_of(job.as_of, trust, job.today), extra_waivers=job.waivers)
        if job.as_of is None and trust.as_of is None:  # the run's date, not the file's
            result = replace(result, as_of_stated=False)
        if source.long_text:
            result = bounded(result)
    except BoardcheckError as exc:
        name, ods = _stated_organisation(path, display, job)
        return Row(index=index, file=display, problems=exc.problems,
                   failed_organisation=name, failed_ods_code=ods)
    except RecursionError:
        return Row(index=index, file=display,
                   problems=(Problem(display, 1, 1, "the file is nested too deeply"),))
    except Exception as exc:
        return Row(index=index, file=display, problems=(Problem(
            display, 1, 1, f"internal error, please report it: {type(exc).__name__}: {exc}"),))
    from boardcheck.collaboratives import packed_facts

    row = row_from_result(
        index, result, job.gates, job.keep_results, arrangement_facts=packed_facts(trust, source),
        fragment=None if job.stream is None else fragment_function(job.stream))
    if job.papers is not None:
        from boardcheck.papers import render_paper

        paper = job.paper
        if job.partners and paper is not None:
            paper = replace(paper, partners=job.partners.get(display, ()))
        try:
            row = replace(row, paper_document=render_paper(
                result, job.papers, meeting=job.meeting, thresholds=row.threshold_failures,
                failing=row.failing_criteria, paper=paper))
        except Exception as exc:  # a renderer's bug: this file's error, not the batch's
            return Row(index=index, file=display, problems=(Problem(
                display, 1, 1, "internal error writing the board paper, please report it: "
                f"{type(exc).__name__}: {exc}"),), failed_organisation=row.organisation,
                failed_ods_code=row.ods_code)
    return row


def _stated_organisation(path: Path, display: str, job: Job) -> tuple[str | None, str | None]:
    """The organisation's name and ODS code a file that could not be evaluated states, where
    its YAML can be read (None where it cannot, or does not state them as text): so the
    collaborative view can say the member submitted a file that could not be checked. Read
    again only for a failed file, and what fails here is simply not known."""
    from boardcheck.loading import parse_yaml, read_bytes

    try:
        data = parse_yaml(read_bytes(path, display, job.limits), display, job.limits).data
    except Exception:  # the file's own error is already reported; nothing more is known
        return None, None
    organisation = data.get("organisation") if isinstance(data, dict) else None
    if not isinstance(organisation, dict):
        return None, None
    return (_stated(organisation.get("name"), 500), _stated(organisation.get("ods_code"), 20))


def _stated(value: object, most: int) -> str | None:
    """A text the failed file states, where it is text of a sane length: the batch keeps
    failed rows in memory, and a name of megabytes is no name a partner's file lists."""
    if not isinstance(value, str) or len(value) > most:
        return None
    return value.strip() or None


# Per-process state for pool workers: the questionnaire is loaded once per worker, and the
# batch's stop signal (set on Ctrl-C).
_WORKER: tuple[Job, Questionnaire, Event] | None = None


def _tune_gc() -> None:
    """Each file makes ~10^5 short-lived objects and almost no cycles: the collector's
    default generation-0 threshold (700) runs it thousands of times per file for nothing.
    Freezing what is loaded and collecting less often makes a batch ~20 % faster."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _init_worker(job: Job, stop: Event) -> None:
    global _WORKER
    # Ctrl-C is the parent's to handle: it keeps what is done and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _tune_gc()
    _WORKER = (job, job.questionnaire, stop)


def _work(item: tuple[int, str]) -> Row:
    assert _WORKER is not None
    job, questionnaire, stop = _WORKER
    if stop.is_set():
        # Ctrl-C: the files already handed out are passed over, not checked (a Word paper
        # is a second or two each, and 64 of them would keep the user waiting a minute).
        # Nobody reads this row: the parent stopped reading rows.
        _fall_silent()
        return Row(index=item[0], file=item[1])
    row = check_file(item[0], Path(item[1]), job, questionnaire)
    if stop.is_set():  # Ctrl-C came while this file was being checked
        _fall_silent()
    return row


def _fall_silent() -> None:
    """After Ctrl-C, a worker's stderr is closed to what it may still say. A second Ctrl-C
    stops the parent waiting, and it exits; the pool then fails to send back the row in
    hand (the pipe is gone), and the process printed that as two tracebacks under the
    run's own message. Nothing a worker says after Ctrl-C is for the user: the parent has
    said what the run did."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def run_batch(files: Iterable[Path], job: Job, *, jobs: int,
              questionnaire: Questionnaire) -> Generator[Row, None, None]:
    """Yield one row per file, in input order, checking files in `jobs` processes."""
    files = files if isinstance(files, Sequence) else list(files)
    if jobs <= 1 or len(files) < 4:
        before = gc.get_threshold()
        _tune_gc()
        try:
            for index, path in enumerate(files):
                yield check_file(index, path, job, questionnaire)
        finally:
            gc.set_threshold(*before)
            gc.unfreeze()
        return
    import multiprocessing  # here: a one-file check (a batch of one) never starts a pool

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        _import_for_workers(job)
    context = multiprocessing.get_context(method)
    # Small chunks: a chunk costs ~30 us to hand out and return, and at the end of the batch
    # one worker may still have a chunk to do while the other waits: 64 files were ~0.4 s.
    chunk = max(1, min(8, len(files) // (jobs * 4)))
    # The files handed out but not yet taken by the caller. The pool sends every result
    # back as soon as it is ready and keeps those that come early for their turn, so a
    # caller that stalls (a document piped to a pager) would otherwise have every file's
    # row and fragment pile up in memory.
    window = threading.Semaphore(jobs * chunk * 4)
    stopping = False
    stop = context.Event()  # tells the workers to pass over the files they still hold

    def items() -> Iterator[tuple[int, str]]:
        # Made as the pool takes them, not listed up front: 40,000 of them are megabytes.
        for i, p in enumerate(files):
            window.acquire()
            if stopping:
                return
            yield i, str(p)

    pool = context.Pool(jobs, initializer=_init_worker, initargs=(job, stop))
    try:
        for row in pool.imap(_work, items(), chunksize=chunk):
            yield row
            window.release()
    except BaseException:
        # Ctrl-C, or the caller stopped reading. The feeder may be waiting for room: let it
        # go, to find it must stop handing out files.
        stopping = True
        stop.set()
        window.release(len(files))
        raise
    finally:
        # The workers finish the file each is checking, pass over the others handed out,
        # and leave when they read the end of the work. Never Pool.terminate(): it kills workers
        # that may be holding the result queue's lock mid-send, and then waits forever for
        # the pool's own thread blocked on that lock (seen as a hung CI run).
        pool.close()
        pool.join()


def _import_for_workers(job: Job) -> None:
    """Import what the workers run before they are forked, so they share it instead of
    each importing it again on its first file (about 50 ms of CPU each)."""
    import importlib

    modules = ["boardcheck.engine", "boardcheck.loading", "boardcheck.model",
               "boardcheck.collaboratives"]
    modules += [job.stream] if job.stream is not None else []
    modules += ["boardcheck.papers"] if job.papers is not None else []
    for module in modules:
        importlib.import_module(module)


def feed(rows: Iterable[Row], summariser: Summariser, writer: BatchWriter | None,
         checking: Generator[Row, None, None]) -> bool:
    """Give each row, as it arrives, to the streamed document and to the summary (which
    keeps only the compact row). False if Ctrl-C stopped the batch.

    `checking` (run_batch's rows, which `rows` may wrap) is closed before this returns, so
    that after Ctrl-C the workers finish the files they hold and leave before the run
    reports: left to the garbage collector, the run could exit first, and the workers then
    die writing to a closed pipe, with tracebacks on stderr."""
    complete = False
    try:
        for row in rows:
            if writer is not None:
                writer.add(row)
            summariser.add(row)
        complete = True
    except KeyboardInterrupt:
        pass
    finally:
        try:
            checking.close()
        except KeyboardInterrupt:  # Ctrl-C again: stop waiting for the workers
            complete = False
    return complete


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def catalogue(q: Questionnaire) -> Catalogue:
    return Catalogue(q.id, q.version, tuple(c.id for c in q.source.categories),
                     tuple(c.title for c in q.source.categories),
                     tuple(c.spec.id for c in q.criteria), tuple(c.spec.title for c in q.criteria),
                     categories=tuple(CategoryText(c.id, c.title, c.board_question)
                                      for c in q.source.categories),
                     criteria=tuple(CriterionText(
                         c.spec.id, c.category, c.spec.title, c.spec.severity, c.spec.weight,
                         c.spec.challenge, c.spec.rationale, c.spec.remediation)
                         for c in q.criteria),
                     coverage_minimum=q.source.scoring.evidence_coverage_minimum.overall)
