"""Check many submissions: parallel workers, one compact row per file, a sector summary.

Workers return small rows (scores, ratings, criterion statuses), never documents: a streamed
format's part for the file comes compressed beside the row and is written out as it arrives,
so memory grows only by a compact row per file; rows come back in input order (`imap`), so
the output is the same whatever order the workers finish in. A file that cannot be evaluated
becomes an error row; the rest are still checked.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from boardcheck.echoes import bounded
from boardcheck.errors import BoardcheckError, Problem, shown
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
    encode_statuses,
)

if TYPE_CHECKING:
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


def row_from_result(index: int, result: Result, gates: Gates, keep_result: bool) -> Row:
    models = sorted({a.governance_model or a.type for a in result.arrangements})
    return Row(
        index=index, file=result.file, organisation=result.organisation.name,
        ods_code=result.organisation.ods_code, sectors=result.organisation.sectors,
        governance_models=tuple(models), region=result.organisation.region,
        icbs=result.organisation.icbs, legal_form=result.organisation.legal_form,
        as_of=result.as_of.isoformat(), arrangements=len(result.arrangements),
        critical_gaps=sum(c.severity == "critical" and c.status in ("not_met", "partly_met")
                          for c in result.criteria),
        critical_not_evidenced=sum(c.severity == "critical" and c.status == "not_evidenced"
                                   for c in result.criteria),
        overall_score=result.overall.score,
        overall_rating=result.overall.rating,
        overall_coverage=result.overall.evidence_coverage,
        overall_explanation=result.overall.explanation,
        categories=tuple(CategoryScore(c.id, c.score, c.rating, c.evidence_coverage,
                                       c.explanation) for c in result.categories),
        status_codes=encode_statuses(c.status for c in result.criteria),
        placeholders=len(result.placeholders),
        threshold_failures=tuple(failures(result, gates)),
        failing_criteria=failing_criteria(result, gates),
        result=result if keep_result else None)


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
        if source.long_text:
            result = bounded(result)
    except BoardcheckError as exc:
        return Row(index=index, file=display, problems=exc.problems)
    except RecursionError:
        return Row(index=index, file=display,
                   problems=(Problem(display, 1, 1, "the file is nested too deeply"),))
    except Exception as exc:
        return Row(index=index, file=display, problems=(Problem(
            display, 1, 1, f"internal error, please report it: {type(exc).__name__}: {exc}"),))
    from boardcheck.collaboratives import arrangement_facts, pack_facts

    row = replace(row_from_result(index, result, job.gates, job.keep_results),
                  arrangement_facts=pack_facts(arrangement_facts(trust, source)))
    if job.stream is not None:
        from boardcheck.formats.stream import fragment_function, pack

        row = replace(row, fragment=pack(fragment_function(job.stream)(
            result, row.failing_criteria, row.threshold_failures)))
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
                f"{type(exc).__name__}: {exc}"),))
    return row


# Per-process state for pool workers: the questionnaire is loaded once per worker.
_WORKER: tuple[Job, Questionnaire] | None = None


def _tune_gc() -> None:
    """Each file makes ~10^5 short-lived objects and almost no cycles: the collector's
    default generation-0 threshold (700) runs it thousands of times per file for nothing.
    Freezing what is loaded and collecting less often makes a batch ~20 % faster."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _init_worker(job: Job) -> None:
    global _WORKER
    # Ctrl-C is the parent's to handle: it keeps what is done and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _tune_gc()
    _WORKER = (job, job.questionnaire)


def _work(item: tuple[int, str]) -> Row:
    assert _WORKER is not None
    job, questionnaire = _WORKER
    return check_file(item[0], Path(item[1]), job, questionnaire)


def run_batch(files: Iterable[Path], job: Job, *, jobs: int,
              questionnaire: Questionnaire) -> Iterator[Row]:
    """Yield one row per file, in input order, checking files in `jobs` processes."""
    files = files if isinstance(files, Sequence) else list(files)
    # Made as the pool takes them, not listed up front: 40,000 of them are megabytes.
    items = ((i, str(p)) for i, p in enumerate(files))
    if jobs <= 1 or len(files) < 4:
        before = gc.get_threshold()
        _tune_gc()
        try:
            for index, name in items:
                yield check_file(index, Path(name), job, questionnaire)
        finally:
            gc.set_threshold(*before)
            gc.unfreeze()
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with context.Pool(jobs, initializer=_init_worker, initargs=(job,)) as pool:
        try:
            yield from pool.imap(_work, items, chunksize=chunk)
        except BaseException:
            pool.terminate()
            raise


def feed(rows: Iterable[Row], summariser: Summariser, writer: BatchWriter | None) -> bool:
    """Give each row, as it arrives, to the streamed document and to the summary (which
    keeps only the compact row). False if Ctrl-C stopped the batch."""
    try:
        for row in rows:
            if writer is not None:
                writer.add(row)
            summariser.add(row)
    except KeyboardInterrupt:
        return False
    return True


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
