"""Reading back the .xlsx files luoshi writes: each cell as stored, and any formula in the XML."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

# Cell texts that Excel would run if they were stored as formulas.
FORMULA_TITLE = '=HYPERLINK("http://example.invalid/","点此查看")'
FORMULA_UNIT = "=1+1局"


def formula_cells(data: bytes) -> list[str]:
    """``sheet!A1`` of every cell whose XML holds an ``<f>`` (formula) element."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode("utf-8")
                for cell in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*>(.*?)</c>', xml, re.S):
                    if "<f" in cell.group(2):
                        found.append(f"{name}!{cell.group(1)}")
    return found


def cells(data: bytes) -> dict[str, list[tuple[object, str]]]:
    """Each sheet's cells as (value, openpyxl data type), row by row, empty cells left out."""
    wb = load_workbook(io.BytesIO(data))
    return {
        ws.title: [(c.value, c.data_type) for row in ws.iter_rows() for c in row if c.value is not None]
        for ws in wb.worksheets
    }


def text_cells(data: bytes, text: str) -> list[tuple[object, str]]:
    """The cells holding exactly ``text``, with their data types, from every sheet."""
    return [cell for sheet in cells(data).values() for cell in sheet if cell[0] == text]
