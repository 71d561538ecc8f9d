"""The text engine: read a Chinese work plan into a tree of tasks.

Pure Python with no web framework, so it runs as a library, as ``luoshi parse``
and inside any batch engine. Stages run in this order:
normalise → outline → responsibilities → targets → deadlines → meta.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from luoshi.textplan.errors import ParseError, ReadError
from luoshi.textplan.model import Cadence, Deadline, Item, Meta, Plan, PlanStream, Span, Target

__all__ = [
    "Cadence",
    "Deadline",
    "Item",
    "Meta",
    "ParseError",
    "Plan",
    "PlanStream",
    "Progress",
    "ReadError",
    "Span",
    "Target",
    "parse",
    "parse_file",
    "parse_text",
    "stream_file",
]


Progress = Callable[[str, float], None]
"""Told ``(stage, fraction)`` a few times per document, fractions rising from 0 to 1; see pipeline.run."""


def parse_text(text: str, source: str | None = None, progress: Progress | None = None) -> Plan:
    """Parse already-decoded document text into a Plan."""
    from luoshi.textplan.pipeline import run

    return run(text, source=source, progress=progress)


def parse_file(path: str | os.PathLike[str], progress: Progress | None = None) -> Plan:
    """Read a .txt/.html/.docx/.xlsx/.pdf file and parse it; raises ReadError on unreadable input.

    ``progress``, when given, hears ``("read", 0.0)`` before the file is read (a large PDF can take
    longer than all the rest) and then the stages of ``parse_text``.
    """
    from luoshi.textplan.pipeline import run_taking
    from luoshi.textplan.readers import read_pieces

    p = Path(path)
    if progress:
        progress("read", 0.0)
    # the text read is handed over in pieces, not held here, each freed as it is normalised
    return run_taking(read_pieces(p), source=p.name, progress=progress)


def stream_file(path: str | os.PathLike[str], progress: Progress | None = None) -> PlanStream:
    """As ``parse_file``, the items made one top-level item at a time as they are read from
    ``stream.roots`` (see PlanStream): a writer that writes each and lets it go holds the text and
    the largest part of the document, not the whole plan. Reading errors are raised here; the
    plan's metadata and cadence are known when this returns."""
    from luoshi.textplan.pipeline import stream_taking
    from luoshi.textplan.readers import read_pieces

    p = Path(path)
    if progress:
        progress("read", 0.0)
    return stream_taking(read_pieces(p), source=p.name, progress=progress)


def parse(path_or_text: str | os.PathLike[str]) -> Plan:
    """Parse a file when given a path that exists, else treat the string as the document's text."""
    if isinstance(path_or_text, os.PathLike):
        return parse_file(path_or_text)
    s = str(path_or_text)
    if "\n" not in s and len(s) < 4096:
        try:
            if Path(s).is_file():
                return parse_file(s)
        except OSError:
            pass
    return parse_text(s)
