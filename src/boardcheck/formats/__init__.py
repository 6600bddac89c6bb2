"""Output formats: each turns a `Result` into text and never writes, scores or sorts."""

from __future__ import annotations

from boardcheck.formats.base import FORMATS, Format, OutputFormat, get_format

__all__ = ["FORMATS", "Format", "OutputFormat", "get_format"]
