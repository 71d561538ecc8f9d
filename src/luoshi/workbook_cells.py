"""The one way luoshi writes a cell of an Excel workbook (ledger, unit and bulletin exports, the
text engine's 台账).

Text is stored as text, exactly as typed. openpyxl takes a string starting with "=" for a formula,
so a task titled =HYPERLINK(…) or a unit named =1+1局 would run when the file is opened; quoting it
with an apostrophe changes the data instead. Here the cell's type is set to text and, for text that
looks like a formula, Excel's own quote-prefix flag is set: Excel shows the text as it is, and keeps
it text when someone edits the cell. No Django in here: the text engine writes through it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

CELL_LIMIT = 32767  # Excel refuses longer cell values
FORMULA_START = ("=", "+", "-", "@")
_PLAIN = (int, float, dt.date, dt.datetime, dt.time, bool)


def clean_text(value: str) -> str:
    """``value`` as Excel can hold it: control characters (which openpyxl refuses) dropped, cut to
    Excel's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT]


def put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write ``value`` at (``row``, ``col``): numbers, dates and booleans as they are, None as an
    empty cell, anything else as text (never a formula)."""
    cell = ws.cell(row, col)
    if value is None or isinstance(value, _PLAIN):
        cell.value = value
        return cell
    text = clean_text(str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def put_row(ws: Worksheet, row: int, values: Iterable[Any]) -> list[Cell]:
    """Write ``values`` across ``row`` from column A, each through ``put``."""
    return [put(ws, row, col, value) for col, value in enumerate(values, 1)]
