"""Blocks of real cases, one a line: the cells split by tabs, the page a case came from last."""

from __future__ import annotations


def rows(block: str, n: int) -> list[list[str]]:
    """The first ``n`` cells of each line, ``\\n`` written in a cell read as a line break; every
    line must have exactly ``n`` cells and then its source (``# the page``)."""
    out = []
    for line in block.strip("\n").splitlines():
        cells = line.split("\t")
        assert len(cells) == n + 1 and cells[-1].startswith("# "), line
        out.append([c.replace("\\n", "\n") for c in cells[:n]])
    return out
