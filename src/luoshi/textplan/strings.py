"""One copy of the short strings that repeat across a plan: labels, unit names, units of measure."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def shared(s: str) -> str:
    """The first string seen equal to ``s`` (of the last few thousand asked about), or ``s``.

    A plan of 20,000 items writes 1. and 市发展改革局 thousands of times; each item kept its own
    copy. The cache is bounded, so a long-running process does not hold every name it has read."""
    return s
