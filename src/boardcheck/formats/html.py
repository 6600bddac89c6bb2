"""HTML: a board paper for one trust, a sortable sector page for a batch."""

from __future__ import annotations

from boardcheck.formats.html_batch import BATCH, WRITER
from boardcheck.formats.html_paper import FORMAT

__all__ = ["BATCH", "FORMAT", "WRITER"]
