"""Batch documents written as the rows arrive, so memory stays flat in the number of files.

A streaming format module defines `fragment(result, failing, thresholds) -> str`, run in the
worker that checked the file (its part of the document, in the document's layout; `failing`
and `thresholds` are the criteria and thresholds the run's gates make fail, for formats whose
outcomes agree with the exit code), and `WRITER`, a class whose
instances receive rows in input order and write each fragment as it comes, then the parts
that need the whole batch (summary, errors, totals) in `finish`. Adding a field to the
result means adding it where the format builds one result's values: nothing here changes.
"""

from __future__ import annotations

import functools
import importlib
import io
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, BinaryIO, Protocol, TextIO

if TYPE_CHECKING:
    from boardcheck.formats.base import OutputFormat, RenderOptions
    from boardcheck.result import Result
    from boardcheck.summary import BatchResult, Catalogue, Row


class BatchWriter(Protocol):
    def add(self, row: Row) -> None: ...

    def finish(self, batch: BatchResult) -> None: ...


class WriterFactory(Protocol):
    def __call__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> BatchWriter: ...


class OptionsWriterFactory(Protocol):
    """A writer that also takes how the document was asked for (CSV: --excel): those whose
    registry entry says so (`FormatInfo.writer_options`)."""

    # `out` is text, or a binary handle for a binary format (FormatInfo.binary: xlsx).
    def __call__(self, out: TextIO | BinaryIO, catalogue: Catalogue, *, sort: str,
                 options: RenderOptions) -> BatchWriter: ...


def pack(text: str) -> bytes:
    """A fragment as it crosses between processes: compressed, JSON and XML about 8:1.

    Zstandard at level 1: for a trust's JSON line of 60 KB it takes 0.11 ms in the worker
    and 0.06 ms in the parent where zlib at its fastest level took 0.30 and 0.16 (a
    twentieth of parsing the file), and packs it smaller (7.3 KB against 8.7). Sent as
    it is, the line would cost nothing to pack and 0.015 ms more through the pipe, but
    a worker's row would be six times the 10 KB it is kept to (issue 14)."""
    return pack_bytes(text.encode("utf-8"))


def pack_bytes(data: bytes) -> bytes:
    """Bytes as they cross between processes (a member's board paper, a fragment's UTF-8)."""
    return _zstd()[0](data, 1)


def unpack(data: bytes) -> str:
    return unpack_bytes(data).decode("utf-8")


def unpack_bytes(data: bytes) -> bytes:
    """A packed fragment as its UTF-8."""
    return _zstd()[1](data)


@functools.cache
def _zstd() -> tuple[Callable[[bytes, int], bytes], Callable[[bytes], bytes]]:
    """Zstandard's compress and decompress: in the standard library from Python 3.14, its
    backport before. Imported when a batch first packs a fragment, not by a one-file check."""
    if sys.version_info >= (3, 14):
        from compression import zstd
    else:
        from backports import zstd
    return zstd.compress, zstd.decompress


Fragment = Callable[["Result", frozenset[str], tuple[str, ...]], str]


def fragment_function(module: str) -> Fragment:
    fn: Fragment = importlib.import_module(module).fragment
    return fn


def fragment_module(name: OutputFormat) -> str | None:
    """The module whose `fragment` each worker runs for this format, if its writer takes
    fragments (CSV's writer does not: it writes the compact rows at the end)."""
    from boardcheck.formats.base import FORMATS, info

    if not info(name).streamed:
        return None

    module = FORMATS[name]
    return module if hasattr(importlib.import_module(module), "fragment") else None


def get_batch_writer(name: OutputFormat) -> WriterFactory | None:
    """The streaming writer of a batch format, or None if the format does not stream."""
    from boardcheck.formats.base import FORMATS, info

    if not info(name).streamed:
        return None
    writer: WriterFactory = importlib.import_module(FORMATS[name]).WRITER
    return writer


def row_text(row: Row, fragment: Fragment) -> str | None:
    """A checked row's fragment: as the worker rendered it, or rendered now from a kept
    result (a batch built in memory, as the tests do)."""
    if row.fragment is not None:
        return unpack(row.fragment)
    if row.result is not None:
        return fragment(row.result, row.failing_criteria, row.threshold_failures)
    return None


def render_batch(factory: WriterFactory, batch: BatchResult) -> str:
    """The whole document as a string from a batch held in memory (rows in input order)."""
    from boardcheck.summary import Catalogue

    out = io.StringIO()
    catalogue = batch.catalogue or Catalogue(
        batch.questionnaire_id, batch.questionnaire_version, batch.category_ids,
        batch.category_titles, batch.criterion_ids, ())
    writer = factory(out, catalogue, sort=batch.sort)
    for row in sorted((*batch.rows, *batch.errors), key=lambda r: r.index):
        writer.add(row)
    writer.finish(batch)
    return out.getvalue()


def summary_writer(pieces: Callable[[BatchResult], Iterable[str]]) -> WriterFactory:
    """The writer of a document whose rows are ranked, so none can be written before the
    batch is summarised: it keeps nothing as rows arrive (the summary keeps the compact rows)
    and writes `pieces(batch)` one at a time, so the document is never held whole."""

    class SummaryWriter:
        def __init__(self, out: TextIO, catalogue: Catalogue, *, sort: str) -> None:
            self.out = out

        def add(self, row: Row) -> None:
            """Nothing to write yet."""

        def finish(self, batch: BatchResult) -> None:
            for piece in pieces(batch):
                self.out.write(piece)

    return SummaryWriter
